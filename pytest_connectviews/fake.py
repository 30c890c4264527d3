"""``FakeAWS``: the object tests hold — a facade over the request pipeline.

It owns the lifecycle (start/stop, context manager, decorator, reset), the options and the
documented API (calls, clock, faults, quotas, seeding); every request goes through the pipeline
(``pipeline.py``), which the botocore seam (``_transport``) and the HTTP server (``server``) feed.
"""

from __future__ import annotations

import copy
import difflib
import functools
import inspect
import random
import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from . import _transport
from ._defaults import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_REGION,
    DEFAULT_SEED,
    check_account_id,
    check_region,
    check_seed,
)
from ._models import SERVICES, facts
from .clock import Clock
from .dispatch import QUOTAS, durations, operations
from .errors import FakeInternalError
from .faults import ErrorRule, ParamsMatcher, ResponseRule, ThrottleRule
from .gate import ErrorDecider, _validator, output_problem
from .pipeline import Pipeline, Settings
from .recorder import Call, CallLog
from .services._kit.context import Options
from .services.imagebuilder.builds import StepFailure
from .wire import codec_for

F = TypeVar("F", bound=Callable[..., Any])


class FakeAWS:
    """A stateful fake of the Connect views and Image Builder workflow APIs.

    Use it as a context manager, a decorator, or with ``start()``/``stop()``. While it is active,
    every botocore client of ``connect`` and ``imagebuilder`` is answered by it.

    :param account_id: the account requests are answered for (a 12-digit access key id selects
        that account instead, as in moto).
    :param region: the default region for ``add_instance`` and the convenience fixtures.
    :param strict_instances: answer ``ResourceNotFoundException`` for Connect instances that were
        not declared with ``add_instance`` (also on as soon as any instance is declared).
    :param passthrough: let requests for other AWS services through (default); when False they
        raise ``BlockedRequestError``.
    :param real_sleeps: sleep botocore's retry backoff in real time instead of on the fake clock.
    :param allow_distribution_workflows: accept ``type=DISTRIBUTION`` in CreateWorkflow.
    :param check_flow_references: refuse to publish a contact flow whose ``ShowView`` names a
        view that does not exist in its instance.
    :param seed: the seed of the fake's random generator, from which botocore's retry jitter for
        our services and ``inject_error(probability=...)`` draw while it is active (default 0:
        the same calls give the same outcome every run).
    :param virtual_sleep: while active, ``time.sleep`` and ``asyncio.sleep`` called in the thread
        that started the fake advance the fake clock instead of waiting (a polling loop of the
        code under test finishes at once); sleeps of other threads are real.
    """

    def __init__(
        self,
        *,
        account_id: str = DEFAULT_ACCOUNT_ID,
        region: str = DEFAULT_REGION,
        strict_instances: bool = False,
        passthrough: bool = True,
        real_sleeps: bool = False,
        allow_distribution_workflows: bool = True,
        check_flow_references: bool = True,
        seed: int = DEFAULT_SEED,
        virtual_sleep: bool = False,
    ) -> None:
        self._settings = Settings(
            account_id=check_account_id(account_id),
            region=check_region(region),
            passthrough=bool(passthrough),
            real_sleeps=bool(real_sleeps),
            seed=check_seed(seed),
            virtual_sleep=bool(virtual_sleep),
            options=Options(
                strict_instances=bool(strict_instances),
                allow_distribution_workflows=bool(allow_distribution_workflows),
                check_flow_references=bool(check_flow_references),
            ),
        )
        self._pipeline = Pipeline(self._settings)
        self._active = False

    # ------------------------------------------------------------------------ settings
    @property
    def account_id(self) -> str:
        """The account requests are answered for (unless a 12-digit access key selects one)."""
        return self._settings.account_id

    @account_id.setter
    def account_id(self, value: str) -> None:
        self._settings.account_id = check_account_id(value)

    @property
    def region(self) -> str:
        """The default region of ``add_instance`` and of requests whose region is unknown."""
        return self._settings.region

    @region.setter
    def region(self, value: str) -> None:
        self._settings.region = check_region(value)

    @property
    def passthrough(self) -> bool:
        """Whether requests for other AWS services go through (else ``BlockedRequestError``)."""
        return self._settings.passthrough

    @passthrough.setter
    def passthrough(self, value: bool) -> None:
        self._settings.passthrough = bool(value)

    @property
    def real_sleeps(self) -> bool:
        """Whether botocore's retry backoff sleeps in real time."""
        return self._settings.real_sleeps

    @real_sleeps.setter
    def real_sleeps(self, value: bool) -> None:
        self._settings.real_sleeps = bool(value)

    @property
    def strict_instances(self) -> bool:
        """Whether undeclared Connect instances answer ``ResourceNotFoundException``."""
        return self._settings.options.strict_instances

    @strict_instances.setter
    def strict_instances(self, value: bool) -> None:
        self._settings.options.strict_instances = bool(value)

    @property
    def allow_distribution_workflows(self) -> bool:
        """Whether CreateWorkflow accepts ``type=DISTRIBUTION``."""
        return self._settings.options.allow_distribution_workflows

    @allow_distribution_workflows.setter
    def allow_distribution_workflows(self, value: bool) -> None:
        self._settings.options.allow_distribution_workflows = bool(value)

    @property
    def check_flow_references(self) -> bool:
        """Whether publishing a contact flow checks that its ``ShowView`` views exist."""
        return self._settings.options.check_flow_references

    @check_flow_references.setter
    def check_flow_references(self, value: bool) -> None:
        self._settings.options.check_flow_references = bool(value)

    @property
    def virtual_sleep(self) -> bool:
        """Whether the starting thread's ``time.sleep``/``asyncio.sleep`` move the fake clock."""
        return self._settings.virtual_sleep

    @virtual_sleep.setter
    def virtual_sleep(self, value: bool) -> None:
        self._settings.virtual_sleep = bool(value)
        if self._active:
            _transport.virtual_sleep_changed()

    @property
    def seed(self) -> int:
        """The seed of the fake's random generator (retry jitter, probabilistic faults)."""
        return self._settings.seed

    @property
    def calls(self) -> CallLog:
        """Every request the fake answered, in order, each retry attempt its own ``Call``."""
        return self._pipeline.recorder.calls

    @property
    def clock(self) -> Clock:
        """The fake's time source (timestamps, throttles, virtual backoff)."""
        return self._pipeline.clock

    # ------------------------------------------------------------------------ lifecycle
    def start(self) -> FakeAWS:
        """Start answering requests; returns ``self``."""
        if self._active:
            raise RuntimeError(
                "connectviews: this FakeAWS is already started; call stop() first, or create "
                "another FakeAWS (the connectviews fixture already gives each test a started one)"
            )
        self._pipeline.sleep_thread = threading.get_ident()
        _transport.activate(self._pipeline)
        self._active = True
        return self

    def stop(self) -> None:
        """Stop answering requests (state is kept until ``reset``)."""
        if self._active:
            _transport.deactivate(self._pipeline)
            self._active = False

    @property
    def active(self) -> bool:
        """Whether this fake is answering requests."""
        return self._active

    def __enter__(self) -> FakeAWS:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __call__(self, func: F) -> F:
        """Use the fake as a decorator: active (and reset afterwards) around each call."""
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with self:
                    try:
                        return await func(*args, **kwargs)
                    finally:
                        self.reset()

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                try:
                    return func(*args, **kwargs)
                finally:
                    self.reset()

        return wrapper  # type: ignore[return-value]

    def reset(self) -> None:
        """Back to an empty fake: no state, calls, rules, throttles or quotas; clock unfrozen."""
        self._pipeline.reset()

    def __repr__(self) -> str:
        state = "active" if self._active else "inactive"
        return (
            f"<FakeAWS {state} account={self.account_id} region={self.region} "
            f"calls={len(self.calls)}>"
        )

    # ------------------------------------------------------------------------ seeding
    def _shared(self, service: str) -> Any:
        return self._pipeline.dispatcher.state(service).shared

    def add_instance(
        self,
        instance_id: str | None = None,
        *,
        region: str | None = None,
        alias: str | None = None,
    ) -> str:
        """Declare an ACTIVE Connect instance (a new uuid when ``instance_id`` is None); returns
        its id.

        Once any instance is declared in an account and region (here or with CreateInstance),
        unknown instances there answer ``ResourceNotFoundException``.

        :param region: its region (default: the fake's).
        :param alias: its ``InstanceAlias`` (unique per account; default ``instance-<id[:8]>``).
        """
        if region is not None:
            check_region(region)
        with self._pipeline.lock:
            registry = self._shared("connect").instances
            return str(
                registry.declare(
                    instance_id,
                    self.account_id,
                    region or self.region,
                    alias=alias,
                    created=self.clock.now(),
                )
            )

    def fail_instance_creation(self, alias_or_id: str, reason: str) -> None:
        """Make the creation of a Connect instance end in ``CREATION_FAILED`` with ``reason``.

        :param alias_or_id: the alias (compared case-insensitively) or id of an instance still
            ``CREATION_IN_PROGRESS``, or of one CreateInstance will make later.
        :param reason: its ``StatusReason.Message``.
        """
        if not isinstance(alias_or_id, str) or not alias_or_id:
            raise ValueError(
                "connectviews: fail_instance_creation needs an instance alias or id, "
                f"got {alias_or_id!r}"
            )
        if not isinstance(reason, str) or not reason:
            raise ValueError(
                f"connectviews: fail_instance_creation reason must be a message, got {reason!r}"
            )
        with self._pipeline.lock:
            registry = self._shared("connect").instances
            registry.script_failure(self.account_id, alias_or_id, reason, self.clock.time())

    def register_document(self, uri: str, text: str) -> None:
        """Provide the workflow document behind an ``s3://bucket/key`` uri for CreateWorkflow."""
        with self._pipeline.lock:
            self._shared("imagebuilder").register_document(uri, text)

    def mark_in_use(self, build_arn: str, in_use: bool = True) -> None:
        """Mark a workflow build as used by an image pipeline (DeleteWorkflow then fails)."""
        with self._pipeline.lock:
            self._shared("imagebuilder").mark_in_use(build_arn, in_use)

    def fail_step(
        self,
        step_name: str,
        *,
        workflow: str | None = None,
        image: str | None = None,
        message: str = "The step failed (connectviews fail_step).",
    ) -> StepFailure:
        """Make the next run of an Image Builder workflow step named ``step_name`` fail.

        The step runs for its duration, then fails with ``message``; its ``onFailure`` applies
        (Abort: rollback, the image ends FAILED with the message as its reason).

        :param workflow: only in this workflow (its name as in the ARN, or a build, version or
            wildcard-free prefix of its ARN).
        :param image: only for this image build version ARN.
        :returns: the rule; ``rule.remove()`` stops it before it is used.
        """
        with self._pipeline.lock:
            shared = self._shared("imagebuilder")
            shared.builds.advance(self.clock.time())
            rule: StepFailure = shared.fail_step(
                step_name, workflow=workflow, image=image, message=message
            )
            return rule

    # ------------------------------------------------------------------------ faults
    def inject_error(
        self,
        operation: str,
        error_code: str,
        *,
        times: int | None = 1,
        service: str | None = None,
        message: str | None = None,
        params: ParamsMatcher | None = None,
        probability: float | None = None,
        seed: int | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> ErrorRule:
        """Answer the next ``times`` matching requests (attempts) with a modeled error.

        :param operation: operation name (``"CreateView"`` or ``"create_view"``).
        :param error_code: an error code the operation's service models, for example
            ``"TooManyRequestsException"``; anything else is a ``ValueError`` listing the codes.
        :param times: how many attempts to answer; ``None`` until the rule is removed.
        :param service: ``"connect"`` or ``"imagebuilder"``; by default every service that has
            the operation.
        :param message: the error message (a default naming the injection otherwise).
        :param params: only requests whose parameters include these items (compared with
            ``==``), or for which this predicate returns True.
        :param probability: answer a matching request only with this probability (0 < p <= 1).
        :param seed: a seed for this rule's own random source for ``probability``; by default
            (None) it draws from the fake's seeded generator (``FakeAWS(seed=...)``).
        :param fields: modeled extra members of the error, e.g. ``{"Reason": {...}}``.
        :returns: the rule; ``rule.remove()`` stops it, ``rule.consumed`` counts answered attempts.
        """
        services = self._services_for(operation, service, "inject_error")
        op_name = self._operation_name(operation, services)
        if not isinstance(error_code, str):
            raise ValueError(
                f"connectviews: inject_error error_code must be a string, got {error_code!r}"
            )
        modeled = [s for s in services if codec_for(s).is_modeled_error(error_code)]
        if not modeled:
            documented = sorted(
                {
                    str(e.metadata.get("error", {}).get("code", e.name))
                    for s in services
                    for e in codec_for(s).model.operation_model(op_name).error_shapes
                }
            )
            valid = sorted({c for s in services for c in codec_for(s).error_codes()})
            others = [c for c in valid if c not in documented]
            raise ValueError(
                f"connectviews: inject_error: {error_code!r} is not an error that "
                f"{' or '.join(services)} models, so botocore could not raise it. "
                f"Errors {op_name} documents: {', '.join(documented)}. "
                f"Other codes the service models: {', '.join(others)}"
            )
        if message is not None and not isinstance(message, str):
            raise ValueError(
                f"connectviews: inject_error message must be a string (or None for a default "
                f"naming the injection), got {message!r}"
            )
        if times is not None and (
            isinstance(times, bool) or not isinstance(times, int) or times < 1
        ):
            raise ValueError(
                f"connectviews: inject_error times must be an int >= 1, or None for 'until "
                f"removed', got {times!r}"
            )
        if probability is not None and (
            isinstance(probability, bool)
            or not isinstance(probability, (int, float))
            or not 0 < probability <= 1
        ):
            raise ValueError(
                f"connectviews: inject_error probability must be in (0, 1], got {probability!r}"
            )
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ValueError(
                f"connectviews: inject_error seed must be an int, or None to draw from the "
                f"fake's seeded generator, got {seed!r}"
            )
        if params is not None and not (callable(params) or isinstance(params, Mapping)):
            raise ValueError("connectviews: inject_error params must be a dict or a predicate")
        if fields is not None:
            for s in modeled:
                shape = codec_for(s).model.shape_for_error_code(error_code)
                unknown = set(fields) - set(shape.members)
                if unknown:
                    raise ValueError(
                        f"connectviews: inject_error fields {sorted(unknown)} are not members of "
                        f"{error_code}; its members are {sorted(shape.members)}"
                    )
                # botocore must be able to parse what the fake sends (a union needs one member)
                violation = _validator()(shape, dict(fields))
                if violation is not None and violation.value is not None:
                    raise ValueError(
                        f"connectviews: inject_error fields: {violation.path} of {error_code} "
                        f"is not valid: {violation.constraint}"
                    )
        rule = ErrorRule(
            operation=op_name,
            error_code=error_code,
            services=tuple(modeled),
            times=times,
            message=message,
            params=params,
            probability=probability,
            fields=dict(fields or {}),
            _random=self._pipeline.random if seed is None else random.Random(seed),
        )
        self._pipeline.gate.faults.add_rule(rule)
        return rule

    def add_response(
        self,
        operation: str,
        response: Mapping[str, Any] | Callable[[Mapping[str, Any]], Mapping[str, Any]],
        *,
        service: str | None = None,
        params: ParamsMatcher | None = None,
        times: int | None = None,
    ) -> ResponseRule:
        """Answer matching requests of any operation of the two services with a canned response.

        The answer goes through the same pipeline as the fake's own: injected errors, hooks and
        throttles come first, validation of the request too; then it is encoded on the wire,
        parsed by botocore and recorded with ``source="canned"``. For an operation the fake
        implements, a matching canned response takes precedence and changes no state.

        :param operation: ``"ListQueues"`` or ``"list_queues"``; any operation the installed
            models have (an unknown one is a ``ValueError`` naming close matches).
        :param response: the response dict as boto3 returns it (``ResponseMetadata`` is left
            out), checked against the output shape now; or a callable taking the decoded
            parameters and returning one (checked when it answers), or raising
            ``pytest_connectviews.ServiceError`` for a modeled error.
        :param service: ``"connect"`` or ``"imagebuilder"``, for a name both services have.
        :param params: only requests whose parameters include these items (compared with
            ``==``), or for which this predicate returns True.
        :param times: how many attempts to answer; None (the default) until removed.
        :returns: the rule; ``rule.remove()`` stops it, ``rule.consumed`` counts its answers.
        """
        services = self._services_for(operation, service, "add_response")
        op_name = self._operation_name(operation, services)
        if times is not None and (
            isinstance(times, bool) or not isinstance(times, int) or times < 1
        ):
            raise ValueError(
                f"connectviews: add_response times must be an int >= 1, or None for 'until "
                f"removed', got {times!r}"
            )
        if params is not None and not (callable(params) or isinstance(params, Mapping)):
            raise ValueError("connectviews: add_response params must be a dict or a predicate")
        answer: Mapping[str, Any] | Callable[[Mapping[str, Any]], Mapping[str, Any]]
        if callable(response):
            answer = response
        elif isinstance(response, Mapping):
            for s in services:
                problem = output_problem(codec_for(s).model.operation_model(op_name), response)
                if problem is not None:
                    raise ValueError(
                        f"connectviews: add_response({operation!r}): the response is not one "
                        f"{s} {op_name} can return: {problem}"
                    )
            answer = {k: copy.deepcopy(v) for k, v in response.items() if k != "ResponseMetadata"}
        else:
            raise ValueError(
                f"connectviews: add_response response must be the response dict (as boto3 "
                f"returns it) or a callable taking the request parameters, got {response!r}"
            )
        rule = ResponseRule(
            operation=op_name, services=tuple(services), response=answer, times=times, params=params
        )
        self._pipeline.gate.faults.add_response(rule)
        return rule

    def throttle(
        self,
        *,
        rate: float,
        burst: int,
        service: str | None = None,
        operation: str | None = None,
    ) -> ThrottleRule:
        """Throttle with a token bucket on the fake's clock (``rate`` per second, ``burst`` tokens).

        An empty bucket answers the service's own throttling error with status 429.
        """
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or rate < 0:
            raise ValueError(f"connectviews: throttle rate must be a number >= 0, got {rate!r}")
        if isinstance(burst, bool) or not isinstance(burst, int) or burst < 0:
            raise ValueError(f"connectviews: throttle burst must be an int >= 0, got {burst!r}")
        if service is not None and service not in SERVICES:
            raise ValueError(
                f"connectviews: throttle service must be one of {', '.join(SERVICES)}, "
                f"got {service!r}"
            )
        op_name = None
        if operation is not None:
            services = self._services_for(operation, service, "throttle")
            op_name = self._operation_name(operation, services)
        rule = ThrottleRule(float(rate), burst, service, op_name, float(burst), self.clock.time())
        self._pipeline.gate.faults.add_throttle(rule)
        return rule

    def set_quota(self, name: str, value: int | None) -> None:
        """Set (or with None, clear) a resource quota.

        A request that would exceed it answers ``ServiceQuotaExceededException`` (402) naming the
        quota. No quota applies unless set.

        :param name: one of ``QUOTAS`` (``"connect.views_per_instance"``, ...).
        :param value: the limit (an int >= 0), or None to remove it.
        """
        if name not in QUOTAS:
            valid = "; ".join(f"{q} ({what})" for q, what in QUOTAS.items())
            raise ValueError(f"connectviews: unknown quota {name!r}. Valid quotas: {valid}")
        if value is None:
            self._pipeline.gate.faults.quotas.pop(name, None)
            return
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"connectviews: quota {name} must be an int >= 0, got {value!r}")
        self._pipeline.gate.faults.quotas[name] = value

    def set_duration(self, name: str, seconds: float) -> None:
        """How long something takes on the fake clock, for example ``"connect.instance_creation"``.

        :param name: a duration the fake knows; anything else is a ``ValueError`` listing them.
        :param seconds: fake-clock seconds (a number >= 0).
        """
        known = durations()
        if name not in known:
            valid = "; ".join(
                f"{d} ({known[d].what}, default {known[d].default:g} s)" for d in known
            )
            raise ValueError(
                f"connectviews: unknown duration {name!r}. Known durations: {valid or 'none'}"
            )
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
            raise ValueError(
                f"connectviews: duration {name} must be a number of seconds >= 0, got {seconds!r}"
            )
        with self._pipeline.lock:
            self._pipeline.durations[name] = float(seconds)

    def settle(self, max_seconds: float = 7 * 86400) -> float:
        """Advance the fake clock until nothing is in progress; returns the seconds advanced.

        What waits for the test (a workflow step waiting for an action) does not count as in
        progress. Stops after ``max_seconds`` of fake time even if something still is.
        """
        if isinstance(max_seconds, bool) or not isinstance(max_seconds, (int, float)):
            raise ValueError(
                f"connectviews: settle max_seconds must be a number, got {max_seconds!r}"
            )
        advanced = 0.0
        while True:
            with self._pipeline.lock:
                clock = self._pipeline.clock
                upcoming = self._pipeline.next_change()
                if upcoming is None or advanced >= max_seconds:
                    return advanced
                step = min(upcoming - clock.time(), max_seconds - advanced)
                if step <= 0:  # a family must report changes ahead of now: a bug otherwise
                    raise FakeInternalError(
                        "fake", "settle", RuntimeError(f"a change at {upcoming} is not ahead")
                    )
                clock.advance(step)
                advanced += step

    def quota(self, name: str) -> int | None:
        """The value of a quota, None when unset (no limit)."""
        if name not in QUOTAS:
            raise ValueError(
                f"connectviews: unknown quota {name!r}. Valid quotas: {', '.join(QUOTAS)}"
            )
        return self._pipeline.gate.faults.quotas.get(name)

    def unused_errors(self) -> list[ErrorRule]:
        """Injected error rules with a finite count that never answered a request."""
        return self._pipeline.gate.faults.unused()

    def unused_responses(self) -> list[ResponseRule]:
        """Canned responses with a finite ``times`` that never answered a request."""
        return self._pipeline.gate.faults.unused_responses()

    def _services_for(self, operation: str, service: str | None, api: str) -> list[str]:
        """The services modeling ``operation`` (either spelling); a ``ValueError`` otherwise."""
        if not isinstance(operation, str) or not operation:
            raise ValueError(
                f"connectviews: {api} operation must be an operation name, got {operation!r}"
            )
        if service is not None and service not in SERVICES:
            raise ValueError(
                f"connectviews: {api} service must be one of {', '.join(SERVICES)}, got {service!r}"
            )
        candidates = [service] if service else list(SERVICES)
        found = [s for s in candidates if _modeled_name(s, operation)]
        if not found:
            names = [n for s in candidates for op in facts(s).operations for n in (op, _snake(op))]
            close = difflib.get_close_matches(operation, names, n=5, cutoff=0.6)
            elsewhere = [s for s in SERVICES if s not in candidates and _modeled_name(s, operation)]
            implemented = sorted({op for s in candidates for op in operations(s)})
            raise ValueError(
                f"connectviews: {api}: {operation!r} is not an operation "
                f"{' or '.join(candidates)} models"
                + (f" (it is a {elsewhere[0]} operation)" if elsewhere else "")
                + f". Close matches: {', '.join(close) or 'none'}. "
                f"Implemented: {', '.join(implemented)}"
            )
        return found

    def _operation_name(self, operation: str, services: list[str]) -> str:
        for s in services:
            name = _modeled_name(s, operation)
            if name:
                return name
        raise ValueError(f"connectviews: unknown operation {operation!r}")

    # ------------------------------------------------------------------------ for the glue
    def _observe(self, observer: Callable[[Call], None]) -> None:
        """Show every recorded call to ``observer`` (the pytest_connectviews_call hook)."""
        self._pipeline.recorder.observers.append(observer)

    def _decide(self, decider: ErrorDecider) -> None:
        """Let ``decider`` answer requests with an error (the pytest_connectviews_error hook)."""
        self._pipeline.gate.deciders.append(decider)


def _snake(name: str) -> str:
    from botocore import xform_name

    return str(xform_name(name))


_names: dict[str, dict[str, str]] = {}


def _modeled_name(service: str, operation: str) -> str:
    """The model's name of ``operation`` ("ListQueues" or "list_queues") in ``service``, or ""."""
    table = _names.get(service)
    if table is None:
        table = {}
        for name in facts(service).operations:
            table[name] = name
            table[_snake(name)] = name
        _names[service] = table
    return table.get(operation, "")
