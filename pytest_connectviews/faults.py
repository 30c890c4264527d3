"""Faults a test asks for: injected errors, token-bucket throttles and resource quotas."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: Quota names accepted by ``FakeAWS.set_quota`` and what each one counts.
QUOTAS: dict[str, str] = {
    "connect.views_per_instance": "customer-managed views per Connect instance",
    "connect.versions_per_view": "numbered versions per view",
    "imagebuilder.workflow_versions": "workflow (type, name, version) keys per account and region",
    "imagebuilder.build_versions_per_version": "build versions per workflow version",
}

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

    def _matches(self, service: str, operation: str, params: Mapping[str, Any]) -> bool:
        if not self.active or operation != self.operation or service not in self.services:
            return False
        if self.times is not None and self.consumed >= self.times:
            return False
        if self.params is not None:
            if callable(self.params):
                if not self.params(params):
                    return False
            elif any(k not in params or not (v == params[k]) for k, v in self.params.items()):
                return False
        return self.probability is None or self._random.random() < self.probability


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

    def _take(self, now: float) -> bool:
        elapsed = max(0.0, now - self.last)
        self.tokens = min(float(self.burst), self.tokens + elapsed * self.rate)
        self.last = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        self.throttled += 1
        return False


class Faults:
    """The error rules and buckets of one fake; ``check`` runs for every request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.rules: list[ErrorRule] = []
        self.throttles: list[ThrottleRule] = []
        self.quotas: dict[str, int] = {}

    def add_rule(self, rule: ErrorRule) -> None:
        with self._lock:
            self.rules.append(rule)

    def add_throttle(self, rule: ThrottleRule) -> None:
        with self._lock:
            self.throttles.append(rule)

    def match_rule(self, service: str, operation: str, params: Mapping[str, Any]) -> ErrorRule | None:
        """The first rule answering this request (consuming one of its attempts), if any."""
        if not self.rules:
            return None
        with self._lock:
            for rule in self.rules:
                if rule._matches(service, operation, params):
                    rule.consumed += 1
                    return rule
        return None

    def throttled(self, service: str, operation: str, now: float) -> bool:
        """Whether a bucket is empty for this request (taking a token from each that applies)."""
        if not self.throttles:
            return False
        with self._lock:
            ok = True
            for bucket in self.throttles:
                if bucket._applies(service, operation) and not bucket._take(now):
                    ok = False
            return not ok

    def unused(self) -> list[ErrorRule]:
        """Active rules with a finite count that never answered a request."""
        with self._lock:
            return [r for r in self.rules if r.active and r.times is not None and r.consumed == 0]
