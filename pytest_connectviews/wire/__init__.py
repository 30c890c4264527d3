"""Model-driven HTTP: routing by ``requestUri``, decoding by location, encoding responses and errors."""

from .codec import ServiceCodec, WireRequest, WireResponse

__all__ = ["ServiceCodec", "WireRequest", "WireResponse"]
