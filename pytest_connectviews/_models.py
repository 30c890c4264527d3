"""The botocore service models the fake serves, loaded once per process on first use."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from botocore.model import ServiceModel

#: botocore service names the fake answers for.
SERVICES: tuple[str, ...] = ("connect", "imagebuilder")

_lock = threading.Lock()
_models: dict[str, ServiceModel] = {}


def service_model(name: str) -> ServiceModel:
    """Return the installed botocore model of ``name``; loaded at most once per process."""
    model = _models.get(name)
    if model is None:
        with _lock:
            model = _models.get(name)
            if model is None:
                import botocore.session

                model = botocore.session.get_session().get_service_model(name)
                _models[name] = model
    return model
