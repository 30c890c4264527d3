"""Model-driven HTTP: route by ``requestUri``, decode by location, encode responses and errors."""

from .codec import ServiceCodec, WireRequest, WireResponse

__all__ = ["ServiceCodec", "WireRequest", "WireResponse"]
