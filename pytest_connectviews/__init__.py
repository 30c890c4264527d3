"""pytest-connectviews: a wire-level fake of the Connect views and Image Builder workflow APIs."""

from .clock import Clock
from .errors import (
    BlockedRequestError,
    FakeInternalError,
    ServiceError,
    UnhandledOperationError,
)
from .fake import FakeAWS
from .faults import QUOTAS, ErrorRule, ThrottleRule
from .recorder import Call, CallLog

__version__ = "0.1.0"

__all__ = [
    "QUOTAS",
    "BlockedRequestError",
    "Call",
    "CallLog",
    "Clock",
    "ErrorRule",
    "FakeAWS",
    "FakeInternalError",
    "ServiceError",
    "ThrottleRule",
    "UnhandledOperationError",
    "__version__",
]
