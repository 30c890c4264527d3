"""Faults a test asks for: injected errors, token-bucket throttles and resource quotas."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

ParamsMatcher = Mapping[str, Any] | Callable[[Mapping[str, Any]], bool]


@dataclass(eq=False)
class ErrorRule:
    """An injected error; returned by ``inject_error`` so a test can inspect or remove it."""

    operation: str
    error_code: str
    services: tuple[str, ...]
    times: int | None
    message: str | None
    params: ParamsMatcher | None
    probability: float | None
    fields: Mapping[str, Any]
    _random: random.Random = field(repr=False)
    consumed: int = 0
    active: bool = True

    @property
    def remaining(self) -> int | None:
        """Attempts this rule still answers (None: until removed)."""
        return None if self.times is None else max(0, self.times - self.consumed)

    def remove(self) -> None:
        """Stop this rule from answering further requests."""
        self.active = False

    def describe(self) -> str:
        """The ``inject_error(...)`` call that made this rule, for messages."""
        args = [repr(self.operation), repr(self.error_code), f"times={self.times!r}"]
        if len(self.services) == 1:
            args.append(f"service={self.services[0]!r}")
        if self.params is not None:
            args.append(f"params={self.params!r}")
        if self.probability is not None:
            args.append(f"probability={self.probability!r}")
        return f"inject_error({', '.join(args)})"

    def __repr__(self) -> str:
        used = f"{self.consumed}/{'unlimited' if self.times is None else self.times}"
        return f"<ErrorRule {self.describe()} used={used}{'' if self.active else ' removed'}>"

    def _matches(self, service: str, operation: str, params: Mapping[str, Any]) -> bool:
        if not self.active or operation != self.operation or service not in self.services:
            return False
        if self.times is not None and self.consumed >= self.times:
            return False
        if self.params is not None and not _params_match(self.params, params):
            return False
        return self.probability is None or self._random.random() < self.probability

    def _claims(self, service: str, operation: str, params: Mapping[str, Any]) -> bool:
        """Whether this rule would answer, without rolling its probability (moto composition)."""
        if not self.active or operation != self.operation or service not in self.services:
            return False
        if self.probability is not None:
            return False
        if self.times is not None and self.consumed >= self.times:
            return False
        return self.params is None or _params_match(self.params, params)


@dataclass(eq=False)
class ResponseRule:
    """A canned answer; returned by ``add_response`` so a test can inspect or remove it."""

    operation: str
    services: tuple[str, ...]
    #: the output dict (client member names), or a callable taking the decoded parameters
    response: Mapping[str, Any] | Callable[[Mapping[str, Any]], Mapping[str, Any]]
    times: int | None
    params: ParamsMatcher | None
    consumed: int = 0
    active: bool = True

    @property
    def remaining(self) -> int | None:
        """Attempts this rule still answers (None: until removed)."""
        return None if self.times is None else max(0, self.times - self.consumed)

    def remove(self) -> None:
        """Stop this rule from answering further requests."""
        self.active = False

    def describe(self) -> str:
        """The ``add_response(...)`` call that made this rule, for messages."""
        answer = (
            getattr(self.response, "__qualname__", repr(self.response))
            if callable(self.response)
            else "{" + ", ".join(repr(k) + ": ..." for k in self.response) + "}"
        )
        args = [repr(self.operation), answer, f"times={self.times!r}"]
        if len(self.services) == 1:
            args.append(f"service={self.services[0]!r}")
        if self.params is not None:
            args.append(f"params={self.params!r}")
        return f"add_response({', '.join(args)})"

    def __repr__(self) -> str:
        used = f"{self.consumed}/{'unlimited' if self.times is None else self.times}"
        return f"<ResponseRule {self.describe()} used={used}{'' if self.active else ' removed'}>"

    def _matches(self, service: str, operation: str, params: Mapping[str, Any]) -> bool:
        if not self.active or operation != self.operation or service not in self.services:
            return False
        if self.times is not None and self.consumed >= self.times:
            return False
        return self.params is None or _params_match(self.params, params)


def _params_match(matcher: ParamsMatcher, params: Mapping[str, Any]) -> bool:
    if callable(matcher):
        return bool(matcher(params))
    return all(k in params and v == params[k] for k, v in matcher.items())


@dataclass(eq=False)
class ThrottleRule:
    """A token bucket (``rate`` tokens per second, ``burst`` tokens) on the fake's clock."""

    rate: float
    burst: int
    service: str | None
    operation: str | None
    tokens: float
    last: float
    throttled: int = 0
    active: bool = True

    def remove(self) -> None:
        """Stop throttling with this bucket."""
        self.active = False

    def _applies(self, service: str, operation: str) -> bool:
        return (
            self.active
            and (self.service is None or self.service == service)
            and (self.operation is None or self.operation == operation)
        )

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self.last)
        self.tokens = min(float(self.burst), self.tokens + elapsed * self.rate)
        self.last = now  # elapsed clamps at 0 when the clock was frozen at an earlier time

    def __repr__(self) -> str:
        scope = f"{self.service or 'any service'}/{self.operation or 'any operation'}"
        removed = "" if self.active else " removed"
        return (
            f"<ThrottleRule rate={self.rate:g}/s burst={self.burst} {scope} "
            f"tokens={self.tokens:.2f} throttled={self.throttled}{removed}>"
        )


class Faults:
    """The error rules, canned responses, token buckets and quotas of one fake."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.rules: list[ErrorRule] = []
        self.responses: list[ResponseRule] = []
        self.throttles: list[ThrottleRule] = []
        self.quotas: dict[str, int] = {}

    def add_rule(self, rule: ErrorRule) -> None:
        with self._lock:
            self.rules.append(rule)

    def add_response(self, rule: ResponseRule) -> None:
        with self._lock:
            self.responses.append(rule)

    def add_throttle(self, rule: ThrottleRule) -> None:
        with self._lock:
            self.throttles.append(rule)

    def match_rule(
        self, service: str, operation: str, params: Mapping[str, Any]
    ) -> ErrorRule | None:
        """The first rule answering this request (consuming one of its attempts), if any."""
        if not self.rules:
            return None
        with self._lock:
            for rule in self.rules:
                if rule._matches(service, operation, params):
                    rule.consumed += 1
                    return rule
        return None

    def has_response(self, service: str, operation: str, params: Mapping[str, Any]) -> bool:
        """Whether a canned response would answer this request (nothing is consumed)."""
        if not self.responses:
            return False
        with self._lock:
            return any(r._matches(service, operation, params) for r in self.responses)

    def match_response(
        self, service: str, operation: str, params: Mapping[str, Any]
    ) -> ResponseRule | None:
        """The first canned response answering this request (consuming one attempt), if any."""
        if not self.responses:
            return None
        with self._lock:
            for rule in self.responses:
                if rule._matches(service, operation, params):
                    rule.consumed += 1
                    return rule
        return None

    def claims(self, service: str, operation: str, params: Mapping[str, Any]) -> bool:
        """Whether a canned response or a (certain) injected error would answer this request."""
        if not self.responses and not self.rules:
            return False
        with self._lock:
            return any(r._matches(service, operation, params) for r in self.responses) or any(
                r._claims(service, operation, params) for r in self.rules
            )

    def has_rules_for(self, service: str, operation: str) -> bool:
        """Whether any active error rule or canned response names this operation."""
        rules: list[ErrorRule | ResponseRule] = [*self.rules, *self.responses]
        return any(r.active and r.operation == operation and service in r.services for r in rules)

    def throttled(self, service: str, operation: str, now: float) -> bool:
        """Whether a bucket is empty for this request.

        A request passes only when every bucket that applies has a token; then it takes one from
        each. A throttled request takes nothing (as with AWS, a rejected request costs no capacity).
        """
        if not self.throttles:
            return False
        with self._lock:
            buckets = [b for b in self.throttles if b._applies(service, operation)]
            for bucket in buckets:
                bucket._refill(now)
            empty = [b for b in buckets if b.tokens < 1.0]
            if empty:
                for bucket in empty:
                    bucket.throttled += 1
                return True
            for bucket in buckets:
                bucket.tokens -= 1.0
            return False

    def unused(self) -> list[ErrorRule]:
        """Active rules with a finite count that never answered a request."""
        with self._lock:
            return [r for r in self.rules if r.active and r.times is not None and r.consumed == 0]

    def unused_responses(self) -> list[ResponseRule]:
        """Active canned responses with a finite count that never answered a request."""
        with self._lock:
            return [
                r for r in self.responses if r.active and r.times is not None and r.consumed == 0
            ]
