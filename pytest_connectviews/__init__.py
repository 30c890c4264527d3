"""pytest-connectviews: a wire-level fake of the Connect views and Image Builder workflow APIs.

The public names are loaded on first use, so that pytest loading the plugin stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .clock import Clock
    from .dispatch import QUOTAS
    from .errors import (
        BlockedRequestError,
        CannedResponseError,
        FakeInternalError,
        SeamError,
        ServiceError,
        UnfakedRequestError,
        UnfakedRequestWarning,
        UnhandledOperationError,
    )
    from .fake import FakeAWS
    from .faults import ErrorRule, ResponseRule, ThrottleRule
    from .recorder import Call, CallLog
    from .server import FakeServer

__version__ = "0.1.0"

_WHERE = {
    "QUOTAS": "dispatch",
    "BlockedRequestError": "errors",
    "Call": "recorder",
    "CannedResponseError": "errors",
    "CallLog": "recorder",
    "Clock": "clock",
    "ErrorRule": "faults",
    "FakeAWS": "fake",
    "FakeInternalError": "errors",
    "FakeServer": "server",
    "ResponseRule": "faults",
    "SeamError": "errors",
    "ServiceError": "errors",
    "ThrottleRule": "faults",
    "UnfakedRequestError": "errors",
    "UnfakedRequestWarning": "errors",
    "UnhandledOperationError": "errors",
}

__all__ = [
    "QUOTAS",
    "BlockedRequestError",
    "Call",
    "CallLog",
    "CannedResponseError",
    "Clock",
    "ErrorRule",
    "FakeAWS",
    "FakeInternalError",
    "FakeServer",
    "ResponseRule",
    "SeamError",
    "ServiceError",
    "ThrottleRule",
    "UnfakedRequestError",
    "UnfakedRequestWarning",
    "UnhandledOperationError",
    "__version__",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'pytest_connectviews' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
