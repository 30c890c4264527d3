"""The dispatcher: operation name -> the family method that answers it, found by name.

For each service, the operations of the installed botocore model are matched once per process
with the families' methods (``xform_name`` of the operation: ``create_view`` answers
``CreateView``, as moto's ``call_action`` finds its handlers). An operation the installed model
lacks is not offered even where a family has a method for it. Each fake gets its own families
and shared components per service, made on first use.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import threading
from collections.abc import Callable
from typing import Any

from ._models import SERVICES, facts
from .services import SERVICE_PACKAGES
from .services._kit.context import Duration, Family, Quota, RequestContext, ServiceSpec

Handler = Callable[[RequestContext, dict[str, Any]], dict[str, Any]]

_lock = threading.Lock()
_tables: dict[str, dict[str, tuple[int, str]]] = {}


def spec(service: str) -> ServiceSpec:
    """The ``ServiceSpec`` of one of ``SERVICES`` (imports its package on first use)."""
    if service not in SERVICE_PACKAGES:
        raise ValueError(
            f"connectviews: unknown service {service!r}; use one of {', '.join(SERVICES)}"
        )
    found: ServiceSpec = importlib.import_module(SERVICE_PACKAGES[service]).SERVICE
    return found


def _table(service: str) -> dict[str, tuple[int, str]]:
    """operation -> (index of the family, method name), for the installed model."""
    found = _tables.get(service)
    if found is None:
        from botocore import xform_name

        families = spec(service).families
        table: dict[str, tuple[int, str]] = {}
        for operation in sorted(facts(service).operations):
            method = xform_name(operation)
            owners = [
                i for i, family in enumerate(families) if callable(getattr(family, method, None))
            ]
            if len(owners) > 1:
                names = ", ".join(families[i].__name__ for i in owners)
                raise TypeError(f"connectviews: {service} {operation} is answered by {names}")
            if owners:
                table[operation] = (owners[0], method)
        with _lock:
            found = _tables.setdefault(service, table)
    return found


def operations(service: str) -> frozenset[str]:
    """The operations of ``service`` that the fake answers with the installed botocore."""
    return frozenset(_table(service))


def _families() -> list[type[Family]]:
    return [family for service in SERVICES for family in spec(service).families]


def quotas() -> dict[str, Quota]:
    """Every quota the families declare, by name."""
    return {quota.name: quota for family in _families() for quota in family.quotas}


def durations() -> dict[str, Duration]:
    """Every duration the families declare, by name."""
    return {duration.name: duration for family in _families() for duration in family.durations}


#: Quota names accepted by ``FakeAWS.set_quota`` and what each one counts (as the families
#: declare them).
QUOTAS: dict[str, str] = {quota.name: quota.counts for quota in quotas().values()}


class ServiceState:
    """One fake's state of one service: its shared components, families and handlers."""

    def __init__(self, service: str, secret: bytes) -> None:
        self.spec = spec(service)
        self.shared = self.spec.shared(hashlib.sha256(secret + service.encode()).digest())
        self.families: tuple[Family, ...] = tuple(f(self.shared) for f in self.spec.families)
        self.handlers: dict[str, Handler] = {
            operation: getattr(self.families[index], method)
            for operation, (index, method) in _table(service).items()
        }
        #: operation -> the family that answers it (its ``catch_up`` runs first)
        self.owners: dict[str, Family] = {
            operation: self.families[index] for operation, (index, _) in _table(service).items()
        }


class Dispatcher:
    """The per-service states of one fake, made on first use (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._states: dict[str, ServiceState] = {}
        self._secret = os.urandom(16)

    def state(self, service: str) -> ServiceState:
        found = self._states.get(service)
        if found is None:
            with self._lock:
                found = self._states.get(service)
                if found is None:
                    found = self._states[service] = ServiceState(service, self._secret)
        return found

    def states(self) -> list[ServiceState]:
        """The states made so far."""
        with self._lock:
            return list(self._states.values())

    def reset(self) -> None:
        """Forget every state (the next request starts from empty services)."""
        with self._lock:
            self._states = {}
