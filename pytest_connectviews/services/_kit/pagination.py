"""One paginator for every listing: botocore's paginator config names the members, one end rule.

A family gives ``paginate`` a ``seek(after)`` that yields ``(position, item)`` in order, starting
after the position a token stands for (None: from the start). A page takes ``limit`` items and
carries a next-token exactly when one more item exists, so paging over N items costs O(N) in all.
Tokens are opaque, bound to the listing they were issued for, and tamper-evident.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..._models import facts
from ...errors import ServiceError
from .context import RequestContext

Seek = Callable[[Any], Iterable[tuple[Any, Any]]]


class PageTokens:
    """Issues and reads next-tokens, HMAC'd with a key of the service."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def make(self, listing: str, position: Any) -> str:
        """An opaque next-token for ``position`` in ``listing``."""
        payload = json.dumps([listing, position], separators=(",", ":")).encode()
        mac = hmac.new(self._key, payload, hashlib.sha256).digest()[:12]
        return base64.urlsafe_b64encode(mac + payload).decode().rstrip("=")

    def read(self, listing: str, token: str, error: ServiceError) -> Any:
        """The position a token of ``listing`` means; ``error`` if the fake did not issue it."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            mac, payload = raw[:12], raw[12:]
            expected = hmac.new(self._key, payload, hashlib.sha256).digest()[:12]
            if not hmac.compare_digest(mac, expected):
                raise error
            issued_for, position = json.loads(payload)
        except (ValueError, TypeError):
            raise error from None
        if issued_for != listing:
            raise error
        return position


def paginate(
    ctx: RequestContext,
    params: Mapping[str, Any],
    tokens: PageTokens,
    *,
    listing: str,
    seek: Seek,
    invalid_token: ServiceError,
    default_limit: int,
) -> dict[str, Any]:
    """One page of ``ctx.operation``'s listing, named as its botocore paginator names it."""
    pager = facts(ctx.service).paginators[ctx.operation]
    limit = params.get(pager.limit_key, default_limit)
    after = None
    token = params.get(pager.input_token)
    if token is not None:
        after = tokens.read(listing, token, invalid_token)
    items: list[Any] = []
    last: Any = None
    more = False
    for position, item in seek(after):
        if len(items) >= limit:
            more = True
            break
        items.append(item)
        last = position
    out: dict[str, Any] = {pager.result_key: items}
    if more:
        out[pager.output_token] = tokens.make(listing, last)
    return out
