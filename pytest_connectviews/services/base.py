"""What every service backend provides to the fake's HTTP core."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import ServiceError

if TYPE_CHECKING:
    from ..fake import FakeAWS, RequestContext
    from ..validation import Violation

Handler = Callable[["RequestContext", dict[str, Any]], dict[str, Any]]


class Backend(ABC):
    """State for one service across accounts and regions, one method per operation."""

    service: ClassVar[str]
    #: operation name -> handler, filled by subclasses.
    operations: dict[str, Handler]

    def __init__(self, fake: FakeAWS) -> None:
        self.fake = fake
        self._token_key = hashlib.sha256(f"{id(self)}:{fake.account_id}".encode()).digest()

    @abstractmethod
    def validation_error(self, operation: str, violation: Violation) -> ServiceError:
        """The error the service answers for a parameter that breaks a modeled constraint."""

    @abstractmethod
    def throttling_code(self, operation: str) -> str:
        """The error code the service answers when a request is throttled."""

    # Pagination tokens: opaque, bound to the listing they were issued for, tamper-evident.
    def make_token(self, listing: str, position: Any) -> str:
        """An opaque next-token for ``position`` in ``listing``."""
        payload = json.dumps([listing, position], separators=(",", ":")).encode()
        mac = hmac.new(self._token_key, payload, hashlib.sha256).digest()[:12]
        return base64.urlsafe_b64encode(mac + payload).decode().rstrip("=")

    def read_token(self, listing: str, token: str, error: ServiceError) -> Any:
        """The position a token of ``listing`` means; ``error`` if the fake did not issue it."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            mac, payload = raw[:12], raw[12:]
            expected = hmac.new(self._token_key, payload, hashlib.sha256).digest()[:12]
            if not hmac.compare_digest(mac, expected):
                raise error
            issued_for, position = json.loads(payload)
        except (ValueError, TypeError):
            raise error from None
        if issued_for != listing:
            raise error
        return position
