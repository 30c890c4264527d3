"""The request pipeline: one HTTP request in, one HTTP response out, stage by stage.

    identify (wire.identify)  service, region and account of the request
    route, decode (wire)      the operation and its parameters, from the botocore model
    gate (gate)               injected errors, hook deciders, throttles, validation
    dispatch (dispatch)       the family method named after the operation
    family (services/...)     the state change and the output, under the fake's lock
    encode (wire)             the output or the modeled error, as the service writes it
    record (recorder)         the ``Call``, and every observer

The botocore seam (``_transport``) and the HTTP server (``server``) both feed it.
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .clock import Clock
from .dispatch import Dispatcher
from .errors import FakeInternalError, ServiceError, UnhandledOperationError
from .gate import Gate
from .recorder import Call, Recorder, Source
from .services._kit.context import Options, RequestContext
from .wire import WireRequest, WireResponse, codec_for
from .wire.identify import identify


@dataclass
class Settings:
    """What ``FakeAWS`` was configured with; the seam and the pipeline read it per request."""

    account_id: str
    region: str
    passthrough: bool = True
    real_sleeps: bool = False
    #: the seed of the fake's generator (retry jitter, probabilistic faults)
    seed: int = 0
    #: ``time.sleep``/``asyncio.sleep`` of the thread that started the fake move the fake clock
    virtual_sleep: bool = False
    options: Options = field(default_factory=Options)


class Pipeline:
    """The stages of one fake, and the state they share."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.lock = threading.RLock()
        self.clock = Clock()
        #: the thread that started the fake (the one whose sleeps ``virtual_sleep`` makes virtual)
        self.sleep_thread: int | None = None
        #: the fake's seeded generator: botocore's retry jitter for our requests, and
        #: ``inject_error(probability=...)`` without a seed of its own
        self.random = random.Random(settings.seed)
        self.gate = Gate()
        self.dispatcher = Dispatcher()
        self.recorder = Recorder()
        #: duration name -> seconds, as ``FakeAWS.set_duration`` set them
        self.durations: dict[str, float] = {}

    def reset(self) -> None:
        """Back to empty state, calls, rules, throttles and quotas, and a new clock."""
        with self.lock:
            self.dispatcher.reset()
            self.recorder.calls._clear()
            self.gate.reset()
            self.durations = {}
            self.clock = Clock()
            self.random = random.Random(self.settings.seed)

    def next_change(self) -> float | None:
        """The earliest fake-clock time at which something in progress changes, if any."""
        now = self.clock.time()
        times = [
            found
            for state in self.dispatcher.states()
            for family in state.families
            if (found := family.next_change(now)) is not None
        ]
        return min(times) if times else None

    def implements(self, service: str, operation: str) -> bool:
        """Whether the fake answers ``operation`` of ``service`` (with the installed botocore)."""
        return operation in self.dispatcher.state(service).handlers

    def claims(self, service: str, operation: str, request: WireRequest | None) -> bool:
        """Whether this fake answers the request: it implements the operation, or a canned
        response (or an injected error that is certain to apply) matches its parameters.

        moto's ``mock_aws`` asks before it answers (the seam composes both this way).
        """
        if self.implements(service, operation):
            return True
        faults = self.gate.faults
        if request is None or not faults.has_rules_for(service, operation):
            return False
        codec = codec_for(service)
        routed = codec.route(request.method, request.path, request.query)
        if routed is None or routed[0].name != operation:
            return False
        try:
            params = codec.decode(routed[0], routed[1], request)
        except ServiceError:
            return False
        return faults.claims(service, operation, params)

    def handle(
        self, request: WireRequest, *, host: str = "", service_hint: str | None = None
    ) -> WireResponse:
        """Answer one HTTP request as the real service would.

        Raises ``UnhandledOperationError`` for an operation of these services that neither the
        fake nor a canned response answers (recorded first, with source ``"unhandled"``; the HTTP
        server turns it into a 501).
        """
        __tracebackhide__ = True  # a user's traceback shows their call, not the fake's insides
        settings = self.settings
        service, region, account_id = identify(
            request.method,
            request.path,
            request.headers,
            host,
            service_hint,
            settings.account_id,
            settings.region,
        )
        codec = codec_for(service)
        state = self.dispatcher.state(service)
        routed = codec.route(request.method, request.path, request.query)
        if routed is None:
            raise UnhandledOperationError(
                service, f"{request.method} {request.path}", sorted(state.handlers)
            )
        op_model, uri_params = routed
        operation = op_model.name
        handler = state.handlers.get(operation)
        recorder = self.recorder
        request_id = recorder.request_id()
        attempt = _attempt(request.headers)
        gate = self.gate
        ctx = RequestContext(
            service,
            operation,
            account_id,
            region,
            self.clock,
            settings.options,
            gate.faults.quotas,
            self.durations,
        )
        params: dict[str, Any] = {}
        source: Source = "backend"
        output: dict[str, Any] | None = None
        error_code: str | None = None
        error_message: str | None = None
        unhandled: UnhandledOperationError | None = None
        try:
            params = codec.decode(op_model, uri_params, request)
            refused = gate.refuse(ctx, params, attempt, self.clock.time())
            if refused is not None:
                source, exc = refused
                raise exc
            if handler is None and not gate.faults.has_response(service, operation, params):
                unhandled = self._unhandled(service, operation, state.handlers, request_id)
            else:
                invalid = gate.validate(state.spec, op_model, params)
                if invalid is not None:
                    raise invalid
                rule = gate.canned(ctx, params)
                if rule is not None:
                    source = "canned"
                    output = gate.canned_output(rule, ctx, op_model, params, codec.is_modeled_error)
                    response = codec.encode_output(op_model, output, request_id)
                elif handler is None:  # another thread used the canned response up
                    unhandled = self._unhandled(service, operation, state.handlers, request_id)
                else:
                    try:
                        with self.lock:
                            state.owners[operation].catch_up(self.clock.time())
                            output = codec.conform(
                                op_model,
                                codec.with_request_id(op_model, handler(ctx, params), request_id),
                            )
                        response = codec.encode_output(op_model, output, request_id)
                    except ServiceError:
                        raise
                    except Exception as exc:
                        raise FakeInternalError(service, operation, exc) from exc
        except ServiceError as exc:
            output = None
            response = codec.encode_error(exc, request_id)
            error_code, error_message = exc.code, exc.message
        if unhandled is not None:
            source = "unhandled"
            response = WireResponse(501)
            error_code, error_message = "NotImplemented", str(unhandled)
        recorder.record(
            Call._record(
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
        )
        if unhandled is not None:
            raise unhandled
        return response

    @staticmethod
    def _unhandled(
        service: str, operation: str, handlers: Mapping[str, Any], request_id: str
    ) -> UnhandledOperationError:
        from ._unhandled import advice

        return UnhandledOperationError(
            service,
            operation,
            sorted(handlers),
            hint=advice(service, operation),
            request_id=request_id,
        )


_ATTEMPT_RE = re.compile(r"(?:^|;)\s*attempt=([0-9]+)\s*(?:;|$)")
#: ``amz-sdk-request`` value -> its attempt number; clients send a few values over and over
_attempts: dict[Any, int] = {}
_ATTEMPTS_MAX = 256


def _attempt(headers: Mapping[str, str]) -> int:
    raw = headers.get("amz-sdk-request")
    found = _attempts.get(raw)
    if found is not None:
        return found
    value = raw.decode("latin-1") if isinstance(raw, bytes) else raw
    found = 1
    if value:
        match = _ATTEMPT_RE.search(value)
        if match:
            found = int(match.group(1))
    if isinstance(raw, (str, bytes)):
        if len(_attempts) >= _ATTEMPTS_MAX:
            _attempts.clear()
        _attempts[raw] = found
    return found
