"""Recorded calls: immutable ``Call`` records in a ``CallLog`` that answers questions about them."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, overload

#: What answered a call: the fake's families ("backend"), an injected error or hook ("injected"),
#: a token bucket ("throttled"), an ``add_response`` rule ("canned"), or nothing ("unhandled":
#: ``UnhandledOperationError`` was raised, and the test fails at teardown).
Source = Literal["backend", "injected", "throttled", "canned", "unhandled"]


@dataclass(frozen=True)
class Call:
    """One request the fake answered (each retry attempt is its own ``Call``)."""

    service: str
    operation: str
    params: Mapping[str, Any]
    region: str
    account_id: str
    status_code: int
    error_code: str | None
    response: Mapping[str, Any] | None
    attempt: int = 1
    source: Source = "backend"
    error_message: str | None = None
    request_id: str = ""
    time: dt.datetime | None = field(default=None, compare=False)

    @classmethod
    def _record(
        cls,
        service: str,
        operation: str,
        params: Mapping[str, Any],
        region: str,
        account_id: str,
        status_code: int,
        error_code: str | None,
        response: Mapping[str, Any] | None,
        attempt: int,
        source: Source,
        error_message: str | None,
        request_id: str,
        time: dt.datetime | None,
    ) -> Call:
        """A ``Call`` built on the request path: the same record, without the frozen dataclass's
        per-field ``object.__setattr__`` (half the cost of ``Call(...)``)."""
        call = object.__new__(cls)
        call.__dict__.update(
            service=service,
            operation=operation,
            params=params,
            region=region,
            account_id=account_id,
            status_code=status_code,
            error_code=error_code,
            response=response,
            attempt=attempt,
            source=source,
            error_message=error_message,
            request_id=request_id,
            time=time,
        )
        return call

    @property
    def ok(self) -> bool:
        """True when the call succeeded."""
        return self.error_code is None

    @property
    def injected(self) -> bool:
        """True when the outcome was an error injected with ``inject_error`` or a hook."""
        return self.source == "injected"

    @property
    def throttled(self) -> bool:
        """True when a token bucket of ``throttle`` answered the call."""
        return self.source == "throttled"

    @property
    def canned(self) -> bool:
        """True when an ``add_response`` rule answered the call."""
        return self.source == "canned"

    def __repr__(self) -> str:
        outcome = "ok" if self.error_code is None else f"{self.error_code}({self.source})"
        if self.error_code is None and self.source != "backend":
            outcome = f"ok({self.source})"
        return (
            f"<Call {self.service}.{self.operation} attempt={self.attempt} {outcome} "
            f"{self.region}/{self.account_id} params={dict(self.params)!r}>"
        )


def _operation_matches(call_operation: str, wanted: str) -> bool:
    if call_operation == wanted:
        return True
    # "create_view" (the boto3 method name) matches "CreateView"
    return not wanted[:1].isupper() and _snake(call_operation) == wanted


@functools.lru_cache(maxsize=512)
def _snake(name: str) -> str:
    from botocore import xform_name

    return str(xform_name(name))


def _params_match(
    actual: Mapping[str, Any], expected: Mapping[str, Any] | Callable[[Mapping[str, Any]], bool]
) -> bool:
    if callable(expected):
        return bool(expected(actual))
    # expected on the left, so that unittest.mock.ANY compares equal to anything
    return all(key in actual and expected[key] == actual[key] for key in expected)


def _matches(
    call: Call,
    operation: str | None,
    service: str | None,
    params: Mapping[str, Any] | Callable[[Mapping[str, Any]], bool] | None,
    error_code: str | None,
    region: str | None,
    ok: bool | None,
    attempt: int | None = None,
    source: str | None = None,
    account_id: str | None = None,
) -> bool:
    if operation is not None and not _operation_matches(call.operation, operation):
        return False
    if service is not None and call.service != service:
        return False
    if error_code is not None and call.error_code != error_code:
        return False
    if region is not None and call.region != region:
        return False
    if ok is not None and call.ok != ok:
        return False
    if attempt is not None and call.attempt != attempt:
        return False
    if source is not None and call.source != source:
        return False
    if account_id is not None and call.account_id != account_id:
        return False
    return params is None or _params_match(call.params, params)


def _diff(actual: Mapping[str, Any], expected: Mapping[str, Any]) -> str:
    lines = []
    for key, value in expected.items():
        if key not in actual:
            lines.append(f"  {key}: expected {value!r}, not sent")
        elif value != actual[key]:
            lines.append(f"  {key}: expected {value!r}, sent {actual[key]!r}")
    return "\n".join(lines)


class CallLog(Sequence[Call]):
    """The calls a fake answered, in order; thread-safe to append, read as a sequence."""

    def __init__(
        self, calls: list[Call] | None = None, *, _lock: threading.Lock | None = None
    ) -> None:
        self._calls: list[Call] = calls if calls is not None else []
        self._lock = _lock or threading.Lock()

    def _append(self, call: Call) -> None:
        with self._lock:
            self._calls.append(call)

    def _clear(self) -> None:
        with self._lock:
            self._calls.clear()

    def _snapshot(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    @overload
    def __getitem__(self, index: int) -> Call: ...
    @overload
    def __getitem__(self, index: slice) -> CallLog: ...
    def __getitem__(self, index: int | slice) -> Call | CallLog:
        if isinstance(index, slice):
            return CallLog(self._snapshot()[index])
        return self._snapshot()[index]

    def __len__(self) -> int:
        return len(self._calls)

    def __iter__(self) -> Iterator[Call]:
        return iter(self._snapshot())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CallLog):
            return self._snapshot() == other._snapshot()
        if isinstance(other, list):
            return self._snapshot() == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        calls = self._snapshot()
        if not calls:
            return "CallLog([])"
        return "CallLog([\n  " + ",\n  ".join(repr(c) for c in calls) + "\n])"

    # ------------------------------------------------------------------------ queries
    def filter(
        self,
        operation: str | None = None,
        *,
        service: str | None = None,
        params: Mapping[str, Any] | Callable[[Mapping[str, Any]], bool] | None = None,
        error_code: str | None = None,
        region: str | None = None,
        ok: bool | None = None,
        attempt: int | None = None,
        source: Source | None = None,
        account_id: str | None = None,
    ) -> CallLog:
        """The calls matching every given criterion.

        :param operation: ``"CreateView"`` or the boto3 method name ``"create_view"``.
        :param params: a dict the call's parameters include (values compared with ``==``, so
            ``unittest.mock.ANY`` works), or a predicate taking the parameters.
        :param attempt: 1 selects first attempts only, i.e. one call per client call.
        :param source: ``"backend"``, ``"injected"``, ``"throttled"``, ``"canned"`` or
            ``"unhandled"``.
        """
        return CallLog(
            [
                c
                for c in self._snapshot()
                if _matches(
                    c,
                    operation,
                    service,
                    params,
                    error_code,
                    region,
                    ok,
                    attempt,
                    source,
                    account_id,
                )
            ]
        )

    def count(self, operation: str | None = None, **criteria: Any) -> int:
        """How many calls match (the same criteria as ``filter``)."""
        return len(self.filter(operation, **criteria))

    @property
    def operations(self) -> list[str]:
        """The operation names, in call order."""
        return [c.operation for c in self._snapshot()]

    @property
    def last(self) -> Call:
        """The most recent call; AssertionError when there is none."""
        calls = self._snapshot()
        if not calls:
            raise AssertionError("connectviews: no call was recorded")
        return calls[-1]

    def one(self, operation: str | None = None, **criteria: Any) -> Call:
        """The single matching call; AssertionError (showing what was called) otherwise."""
        found = self.filter(operation, **criteria)
        if len(found) != 1:
            raise AssertionError(
                "connectviews: expected exactly one call matching "
                f"{_describe(operation, criteria)}, found {len(found)}.\n{self._explain()}"
            )
        return found[0]

    get_call = one

    def assert_called(self, operation: str | None = None, **criteria: Any) -> None:
        """At least one call matches."""
        if not self.filter(operation, **criteria):
            raise AssertionError(
                "connectviews: expected a call matching "
                f"{_describe(operation, criteria)}, found none.\n{self._explain()}"
            )

    def assert_not_called(self, operation: str | None = None, **criteria: Any) -> None:
        """No call matches."""
        found = self.filter(operation, **criteria)
        if found:
            raise AssertionError(
                f"connectviews: expected no call matching {_describe(operation, criteria)}, "
                f"found {len(found)}.\n{self._explain()}"
            )

    def assert_call_count(self, count: int, operation: str | None = None, **criteria: Any) -> None:
        """Exactly ``count`` calls match."""
        found = self.filter(operation, **criteria)
        if len(found) != count:
            raise AssertionError(
                f"connectviews: expected {count} call(s) matching "
                f"{_describe(operation, criteria)}, found {len(found)}.\n{self._explain()}"
            )

    def assert_called_once(self, operation: str | None = None, **criteria: Any) -> None:
        """Exactly one call matches."""
        self.assert_call_count(1, operation, **criteria)

    def assert_called_with(self, operation: str, /, **params: Any) -> None:
        """The last call of ``operation`` had these parameters (a subset; ``mock.ANY`` works)."""
        found = self.filter(operation)
        if not found:
            raise AssertionError(
                f"connectviews: expected a {operation} call, found none.\n{self._explain()}"
            )
        last = found[-1]
        if not _params_match(last.params, params):
            raise AssertionError(
                f"connectviews: the last {operation} call was not sent with the expected "
                f"parameters:\n{_diff(last.params, params)}\n{self._explain()}"
            )

    def assert_called_once_with(self, operation: str, /, **params: Any) -> None:
        """``operation`` was requested exactly once (counting every attempt), with these parameters.

        To count client calls rather than attempts, narrow first: ``calls.filter(attempt=1)``.
        """
        found = self.filter(operation)
        if len(found) != 1:
            raise AssertionError(
                f"connectviews: expected {operation} to be called once, it was called "
                f"{len(found)} time(s).\n{self._explain()}"
            )
        self.assert_called_with(operation, **params)

    def _explain(self) -> str:
        calls = self._snapshot()
        if not calls:
            return "No call was recorded."
        lines = [f"  {i}: {c!r}" for i, c in enumerate(calls[-20:], start=max(0, len(calls) - 20))]
        more = f" (last 20 of {len(calls)})" if len(calls) > 20 else ""
        return "Recorded calls" + more + ":\n" + "\n".join(lines)


def _describe(operation: str | None, criteria: Mapping[str, Any]) -> str:
    parts = [f"operation={operation!r}"] if operation else []
    parts += [f"{k}={v!r}" for k, v in criteria.items()]
    return "(" + ", ".join(parts) + ")" if parts else "(anything)"


#: The counter of ``--connectviews-report`` (None while it is off): every recorder of the process
#: adds each call to it.
tally: Counter[tuple[str, str, bool, int, str | None, str]] | None = None


class Recorder:
    """The last stage of the pipeline: request ids, the call log and the call observers."""

    def __init__(self) -> None:
        self.calls = CallLog()
        self.observers: list[Callable[[Call], None]] = []
        # uuid-shaped request ids, unique per fake: a counter costs a seventh of uuid4().
        self._prefix = str(uuid.uuid4())[:24]
        self._numbers = itertools.count(1)

    def request_id(self) -> str:
        """A new request id (``x-amzn-RequestId``)."""
        return f"{self._prefix}{next(self._numbers):012x}"

    def record(self, call: Call) -> None:
        """Append ``call`` to the log and show it to every observer."""
        self.calls._append(call)
        counter = tally
        if counter is not None:  # --connectviews-report: one increment per call
            counter[
                (
                    call.service,
                    call.operation,
                    call.attempt == 1,
                    call.status_code,
                    call.error_code,
                    call.source,
                )
            ] += 1
        for observer in self.observers:
            observer(call)
