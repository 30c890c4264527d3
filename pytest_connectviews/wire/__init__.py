"""Model-driven HTTP: route by ``requestUri``, decode by location, encode responses and errors."""

from __future__ import annotations

import threading

from .._models import service_model
from .codec import ServiceCodec, WireRequest, WireResponse

__all__ = ["ServiceCodec", "WireRequest", "WireResponse", "codec_for"]

_lock = threading.Lock()
_codecs: dict[str, ServiceCodec] = {}


def codec_for(service: str) -> ServiceCodec:
    """The codec of ``service``, built once per process from its installed model."""
    found = _codecs.get(service)
    if found is None:
        with _lock:
            found = _codecs.get(service)
            if found is None:
                found = _codecs[service] = ServiceCodec(service_model(service))
    return found
