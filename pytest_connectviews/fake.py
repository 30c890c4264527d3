"""``FakeAWS``: the object tests hold — lifecycle, state, recorded calls, faults, quotas, clock.

It is an HTTP server that happens to run in-process: ``handle`` takes a request (method, path,
query, headers, body) and returns a response. The botocore seam (``_transport``) and the real HTTP
server (``server``) both call it.
"""

from __future__ import annotations

import functools
import inspect
import itertools
import random
import re
import threading
import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from . import _transport
from ._defaults import (
    ACCOUNT_RE,
    DEFAULT_ACCOUNT_ID,
    DEFAULT_REGION,
    check_account_id,
    check_region,
)
from ._models import SERVICES, service_model
from .clock import Clock
from .errors import FakeInternalError, ServiceError, UnhandledOperationError
from .faults import QUOTAS, ErrorRule, Faults, ParamsMatcher, ThrottleRule
from .recorder import Call, CallLog, Source

if TYPE_CHECKING:
    from .services.base import Backend
    from .wire import ServiceCodec, WireRequest, WireResponse

F = TypeVar("F", bound=Callable[..., Any])

_HOST_RE = re.compile(r"^(connect|imagebuilder)\.([a-z0-9-]+)\.amazonaws\.com")


class RequestContext(NamedTuple):
    """What a backend knows about a request besides its parameters (immutable, cheap to make)."""

    fake: FakeAWS
    service: str
    operation: str
    account_id: str
    region: str


#: Decides an error for a call before the backend sees it (the pytest_connectviews_error hook).
ErrorDecider = Callable[[RequestContext, Mapping[str, Any], int], "ServiceError | None"]


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
    ) -> None:
        self.account_id = check_account_id(account_id)
        self.region = check_region(region)
        self.strict_instances = bool(strict_instances)
        self.passthrough = bool(passthrough)
        self.real_sleeps = bool(real_sleeps)
        self.allow_distribution_workflows = bool(allow_distribution_workflows)
        self.clock = Clock()
        self.lock = threading.RLock()
        self.calls = CallLog()
        self.faults = Faults()
        self._backends: dict[str, Backend] = {}
        self._codecs: dict[str, ServiceCodec] = {}
        self.error_deciders: list[ErrorDecider] = []
        self.call_observers: list[Callable[[Call], None]] = []
        self._active = False
        # uuid-shaped request ids, unique per fake: a counter costs a seventh of uuid4().
        self._request_id_prefix = str(uuid.uuid4())[:24]
        self._request_numbers = itertools.count(1)

    # ------------------------------------------------------------------------ lifecycle
    def start(self) -> FakeAWS:
        """Start answering requests; returns ``self``."""
        if self._active:
            raise RuntimeError(
                "connectviews: this FakeAWS is already started; call stop() first, or create "
                "another FakeAWS (the connectviews fixture already gives each test a started one)"
            )
        _transport.activate(self)
        self._active = True
        return self

    def stop(self) -> None:
        """Stop answering requests (state is kept until ``reset``)."""
        if self._active:
            _transport.deactivate(self)
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
        with self.lock:
            self._backends = {}
            self.calls._clear()
            self.faults = Faults()
            self.clock = Clock()

    def __repr__(self) -> str:
        state = "active" if self._active else "inactive"
        return (
            f"<FakeAWS {state} account={self.account_id} region={self.region} "
            f"calls={len(self.calls)}>"
        )

    # ------------------------------------------------------------------------ state helpers
    def backend(self, service: str) -> Backend:
        """The state backend of ``service`` ("connect" or "imagebuilder")."""
        found = self._backends.get(service)
        if found is None:
            with self.lock:
                found = self._backends.get(service)
                if found is None:
                    found = _make_backend(service, self)
                    self._backends[service] = found
        return found

    def add_instance(self, instance_id: str | None = None, *, region: str | None = None) -> str:
        """Declare a Connect instance (a new uuid when ``instance_id`` is None); returns its id.

        Once any instance is declared, unknown instances answer ``ResourceNotFoundException``.
        """
        from .services.connect_views import ConnectViews

        backend = self.backend("connect")
        assert isinstance(backend, ConnectViews)
        if region is not None:
            check_region(region)
        return backend.add_instance(instance_id, region or self.region, self.account_id)

    def register_document(self, uri: str, text: str) -> None:
        """Provide the workflow document behind an ``s3://bucket/key`` uri for CreateWorkflow."""
        from .services.imagebuilder_workflows import ImageBuilderWorkflows

        backend = self.backend("imagebuilder")
        assert isinstance(backend, ImageBuilderWorkflows)
        backend.register_document(uri, text)

    def mark_in_use(self, build_arn: str, in_use: bool = True) -> None:
        """Mark a workflow build as used by an image pipeline (DeleteWorkflow then fails)."""
        from .services.imagebuilder_workflows import ImageBuilderWorkflows

        backend = self.backend("imagebuilder")
        assert isinstance(backend, ImageBuilderWorkflows)
        backend.mark_in_use(build_arn, in_use)

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
        seed: int | None = 0,
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
        :param seed: the seed of the rule's random source for ``probability`` (None: unseeded).
        :param fields: modeled extra members of the error, e.g. ``{"Reason": {...}}``.
        :returns: the rule; ``rule.remove()`` stops it, ``rule.consumed`` counts answered attempts.
        """
        services = self._services_for(operation, service, "inject_error")
        op_name = self._operation_name(operation, services)
        if not isinstance(error_code, str):
            raise ValueError(
                f"connectviews: inject_error error_code must be a string, got {error_code!r}"
            )
        modeled = [s for s in services if self.codec(s).is_modeled_error(error_code)]
        if not modeled:
            documented = sorted(
                {
                    str(e.metadata.get("error", {}).get("code", e.name))
                    for s in services
                    for e in self.codec(s).model.operation_model(op_name).error_shapes
                }
            )
            valid = sorted({c for s in services for c in self.codec(s).error_codes()})
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
        if params is not None and not (callable(params) or isinstance(params, Mapping)):
            raise ValueError("connectviews: inject_error params must be a dict or a predicate")
        if fields is not None:
            for s in modeled:
                shape = self.codec(s).model.shape_for_error_code(error_code)
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
            _random=random.Random(seed),
        )
        self.faults.add_rule(rule)
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
        self.faults.add_throttle(rule)
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
            self.faults.quotas.pop(name, None)
            return
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"connectviews: quota {name} must be an int >= 0, got {value!r}")
        self.faults.quotas[name] = value

    def quota(self, name: str) -> int | None:
        """The value of a quota, None when unset (no limit)."""
        if name not in QUOTAS:
            raise ValueError(
                f"connectviews: unknown quota {name!r}. Valid quotas: {', '.join(QUOTAS)}"
            )
        return self.faults.quotas.get(name)

    def unused_errors(self) -> list[ErrorRule]:
        """Injected error rules with a finite count that never answered a request."""
        return self.faults.unused()

    def _services_for(self, operation: str, service: str | None, api: str) -> list[str]:
        if not isinstance(operation, str) or not operation:
            raise ValueError(
                f"connectviews: {api} operation must be an operation name, got {operation!r}"
            )
        if service is not None and service not in SERVICES:
            raise ValueError(
                f"connectviews: {api} service must be one of {', '.join(SERVICES)}, got {service!r}"
            )
        candidates = [service] if service else list(SERVICES)
        found = [s for s in candidates if self._operation_name(operation, [s], api, strict=False)]
        if not found:
            implemented = sorted({op for s in candidates for op in self.backend(s).operations})
            raise ValueError(
                f"connectviews: {api}: {operation!r} is not an operation the fake implements"
                f"{' for ' + service if service else ''}. Implemented: {', '.join(implemented)}"
            )
        return found

    def _operation_name(
        self, operation: str, services: list[str], api: str = "", strict: bool = True
    ) -> str:
        for s in services:
            ops = self.backend(s).operations
            if operation in ops:
                return operation
            for name in ops:
                if _snake(name) == operation:
                    return name
        if strict:
            raise ValueError(f"connectviews: {api}: unknown operation {operation!r}")
        return ""

    # ------------------------------------------------------------------------ the HTTP core
    def codec(self, service: str) -> ServiceCodec:
        """The wire codec of ``service`` (models are loaded once per process)."""
        found = self._codecs.get(service)
        if found is None:
            found = _codec(service)
            self._codecs[service] = found
        return found

    def handle(
        self, request: WireRequest, *, host: str = "", service_hint: str | None = None
    ) -> WireResponse:
        """Answer one HTTP request as the real service would.

        Raises ``UnhandledOperationError`` for an operation of these services the fake does not
        implement (the HTTP server turns it into a 501).
        """
        service, region, account_id = self._identify(request, host, service_hint)
        codec = self.codec(service)
        backend = self.backend(service)
        routed = codec.route(request.method, request.path, request.query)
        if routed is None:
            raise UnhandledOperationError(
                service, f"{request.method} {request.path}", sorted(backend.operations)
            )
        op_model, uri_params = routed
        operation = op_model.name
        handler = backend.operations.get(operation)
        if handler is None:
            raise UnhandledOperationError(service, operation, sorted(backend.operations))
        request_id = f"{self._request_id_prefix}{next(self._request_numbers):012x}"
        attempt = _attempt(request.headers)
        ctx = RequestContext(self, service, operation, account_id, region)
        params: dict[str, Any] = {}
        source: Source = "backend"
        output: dict[str, Any] | None = None
        error_code: str | None = None
        error_message: str | None = None
        try:
            params = codec.decode(op_model, uri_params, request)
            error = self._gate(ctx, params, attempt)
            if error is not None:
                source, exc = error
                raise exc
            input_shape = op_model.input_shape
            if input_shape is not None:
                violation = _validator()(input_shape, params)
                if violation is not None:
                    raise backend.validation_error(operation, violation)
            try:
                with self.lock:
                    output = handler(ctx, params)
                response = codec.encode_output(op_model, output, request_id)
            except ServiceError:
                raise
            except Exception as exc:
                raise FakeInternalError(service, operation, exc) from exc
        except ServiceError as exc:
            output = None
            response = codec.encode_error(exc, request_id)
            error_code, error_message = exc.code, exc.message
        call = Call._record(
            service,
            operation,
            params,
            region,
            account_id,
            response.status,
            error_code,
            output,
            attempt,
            source,
            error_message,
            request_id,
            self.clock.now(),
        )
        self.calls._append(call)
        for observer in self.call_observers:
            observer(call)
        return response

    def _gate(
        self, ctx: RequestContext, params: Mapping[str, Any], attempt: int
    ) -> tuple[Source, ServiceError] | None:
        rule = self.faults.match_rule(ctx.service, ctx.operation, params)
        if rule is not None:
            message = rule.message or (
                f"{rule.error_code} injected by pytest-connectviews for {ctx.operation}"
            )
            return "injected", ServiceError(rule.error_code, message, **rule.fields)
        for decide in self.error_deciders:
            decided = decide(ctx, params, attempt)
            if decided is not None:
                return "injected", decided
        faults = self.faults
        if faults.throttles and faults.throttled(ctx.service, ctx.operation, self.clock.time()):
            code = self.backend(ctx.service).throttling_code(ctx.operation)
            return "throttled", ServiceError(code, "Rate exceeded")
        return None

    def _identify(self, request: WireRequest, host: str, hint: str | None) -> tuple[str, str, str]:
        service = hint if hint in SERVICES else None
        region = None
        account_id = self.account_id
        auth = request.headers.get("Authorization") or request.headers.get("authorization")
        if isinstance(auth, bytes):
            auth = auth.decode("latin-1")
        if auth:
            start = auth.find("Credential=")
            if start >= 0:
                end = auth.find(",", start)
                credential = auth[start + 11 : end if end >= 0 else len(auth)]
                scope = _scopes.get(credential)
                if scope is None:
                    scope = _scope(credential)
                    if len(_scopes) >= 256:
                        _scopes.clear()
                    _scopes[credential] = scope
                key_account, scope_region, scope_service = scope
                if key_account is not None:
                    account_id = key_account
                region = scope_region
                if service is None:
                    service = scope_service
        if service is None or region is None:
            match = _HOST_RE.match(host.lower())
            if match:
                service = service or match.group(1)
                region = region or match.group(2)
        if service is None:
            raise UnhandledOperationError(
                "unknown", f"{request.method} {host}{request.path}", list(SERVICES)
            )
        return service, region or self.region, account_id


#: SigV4 credential (``AKID/date/region/service/aws4_request``) -> its parse, requests repeat it.
_scopes: dict[str, tuple[str | None, str | None, str | None]] = {}


def _scope(credential: str) -> tuple[str | None, str | None, str | None]:
    """(account selected by a 12-digit access key id, region, our service) of a credential."""
    parts = credential.split("/")
    if len(parts) < 4:
        return None, None, None
    account = parts[0] if ACCOUNT_RE.match(parts[0]) else None
    return account, parts[2], parts[3] if parts[3] in SERVICES else None


_ATTEMPT_RE = re.compile(r"(?:^|;)\s*attempt=([0-9]+)\s*(?:;|$)")


def _attempt(headers: Mapping[str, str]) -> int:
    value = headers.get("amz-sdk-request")
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if value:
        match = _ATTEMPT_RE.search(value)
        if match:
            return int(match.group(1))
    return 1


_check: Callable[[Any, Any], Any] | None = None


def _validator() -> Callable[[Any, Any], Any]:
    """``validation.check``, imported on first use (it loads ``regex``; the plugin must not)."""
    global _check
    if _check is None:
        from .validation import check

        _check = check
    return _check


def _snake(name: str) -> str:
    from botocore import xform_name

    return str(xform_name(name))


_codec_lock = threading.Lock()
_codecs: dict[str, ServiceCodec] = {}


def _codec(service: str) -> ServiceCodec:
    found = _codecs.get(service)
    if found is None:
        with _codec_lock:
            found = _codecs.get(service)
            if found is None:
                from .wire import ServiceCodec

                found = ServiceCodec(service_model(service))
                _codecs[service] = found
    return found


def _make_backend(service: str, fake: FakeAWS) -> Backend:
    if service == "connect":
        from .services.connect_views import ConnectViews

        return ConnectViews(fake)
    if service == "imagebuilder":
        from .services.imagebuilder_workflows import ImageBuilderWorkflows

        return ImageBuilderWorkflows(fake)
    raise ValueError(f"connectviews: unknown service {service!r}; use one of {', '.join(SERVICES)}")
