"""One idempotency-token scheme: a token replays what its first request did, for that request."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import Any

from ...errors import ServiceError


def fingerprint(params: Mapping[str, Any], ignore: Collection[str] = ()) -> str:
    """What makes two requests the same request: every parameter but ``ignore``, canonically."""
    return json.dumps(
        {k: v for k, v in params.items() if k not in ignore}, sort_keys=True, default=str
    )


class Idempotency:
    """Client tokens seen per scope (an account and region, an instance, ...)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[Any, str], tuple[str, Any]] = {}

    def replay(self, scope: Any, token: str, print_: str, mismatch: ServiceError) -> Any | None:
        """What the first request with ``token`` remembered; None for a new token.

        Raises ``mismatch`` when the token was used with a different request.
        """
        seen = self._seen.get((scope, token))
        if seen is None:
            return None
        if seen[0] != print_:
            raise mismatch
        return seen[1]

    def remember(self, scope: Any, token: str, print_: str, value: Any) -> None:
        """Remember what the request with ``token`` did (``value`` is not None)."""
        self._seen[(scope, token)] = (print_, value)
