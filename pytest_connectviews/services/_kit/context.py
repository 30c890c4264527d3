"""The narrow view of a request that a family gets, and the shapes every family shares.

A family method receives a ``RequestContext`` and the decoded parameters, and returns the output
as the model shapes it (client member names). It never sees HTTP, the fake or the seam.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from ...clock import Clock
from ...errors import ServiceError

if TYPE_CHECKING:
    from ...validation import Violation


@dataclass
class Options:
    """The fake's settings that change what a family answers (``FakeAWS`` keeps them current)."""

    strict_instances: bool = False
    allow_distribution_workflows: bool = True
    check_flow_references: bool = True


@dataclass(frozen=True)
class Quota:
    """A resource quota a family counts: its name, what it counts and the error it answers."""

    name: str
    counts: str
    error_code: str = "ServiceQuotaExceededException"


@dataclass(frozen=True)
class Duration:
    """How long something takes on the fake clock (``FakeAWS.set_duration`` changes it)."""

    name: str
    what: str
    default: float


class RequestContext(NamedTuple):
    """What a family knows about a request besides its parameters (immutable, cheap to make)."""

    service: str
    operation: str
    account_id: str
    region: str
    clock: Clock
    options: Options
    #: quota name -> the limit a test set (no entry: no limit).
    quotas: Mapping[str, int]
    #: duration name -> the seconds a test set (no entry: the declared default).
    durations: Mapping[str, float]

    def duration(self, duration: Duration) -> float:
        """The seconds ``duration`` takes on the fake clock."""
        return self.durations.get(duration.name, duration.default)

    def check_quota(self, quota: Quota, used: int, where: str) -> None:
        """Refuse the request when ``used`` resources already reach ``quota``'s limit."""
        limit = self.quotas.get(quota.name)
        if limit is not None and used >= limit:
            raise ServiceError(
                quota.error_code, f"The quota {quota.name} ({limit}) is reached for {where}."
            )


class Family:
    """One resource family of a service: its state, and one method per operation.

    A method named after an operation (``xform_name`` of the model's name: ``create_view`` for
    ``CreateView``) answers it; the dispatcher finds it. ``quotas`` declares what it counts,
    ``durations`` how long its resources take to change on the fake clock.
    """

    quotas: ClassVar[tuple[Quota, ...]] = ()
    durations: ClassVar[tuple[Duration, ...]] = ()

    def __init__(self, shared: Any) -> None:
        self.shared = shared

    def catch_up(self, now: float) -> None:
        """Bring what changes on the fake clock up to ``now``; called before each request the
        family answers, under the fake's lock, so a request at time T sees the state as of T."""

    def next_change(self, now: float) -> float | None:
        """The fake-clock time at which something in progress here changes next, if anything is
        in progress (``FakeAWS.settle`` advances the clock to it). What only waits for the test
        (a step waiting for an action) is not in progress."""
        return None


@dataclass(frozen=True)
class ServiceSpec:
    """How one service is served: its families, their shared components and its error wording."""

    name: str
    families: tuple[type[Family], ...]
    #: builds the components the families of one fake share (tags, instances, ...), given the
    #: fake's secret key for this service (page tokens of one fake mean nothing to another).
    shared: Callable[[bytes], Any]
    #: the error the service answers for a parameter that breaks a modeled constraint.
    validation_error: Callable[[Violation], ServiceError]
