"""The botocore patches (see the package docstring for what each one does and why)."""

from __future__ import annotations

import copy
import inspect
import random
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from ..errors import SeamError
from . import shortcuts, state
from .internals import require, unfaked

_installed = False
_DUMMY_CREDENTIALS: Any = None


class _JitterRandom(ModuleType):
    """Stands in for ``random`` in ``botocore.retryhandler`` (legacy mode's ``delay_exponential``).

    While botocore computes a delay for one of our requests under an active fake, ``random()``
    draws from the fake's seeded generator; otherwise from the ``random`` module, as before.
    """

    def __init__(self) -> None:
        super().__init__("random")

    def random(self) -> float:
        rng = state.jitter.get()
        return rng.random() if rng is not None else random.random()

    def __getattr__(self, name: str) -> Any:
        return getattr(random, name)


def _check() -> None:
    """Fail loudly, before anything is patched, if an internal the seam needs is not there."""
    import botocore
    import botocore.credentials
    import botocore.endpoint
    import botocore.retries.bucket
    import botocore.retries.standard
    import botocore.retryhandler
    import botocore.session
    import botocore.signers

    version = getattr(botocore, "__version__", "?")
    where = f"botocore {version}"
    endpoint_cls = botocore.endpoint.Endpoint
    require(where, endpoint_cls, "_send", ("request",))
    require(
        where,
        endpoint_cls,
        "_needs_retry",
        ("attempts", "operation_model", "request_dict", "response", "caught_exception"),
    )
    require(
        where,
        botocore.signers.RequestSigner,
        "get_auth_instance",
        ("signing_name", "region_name", "signature_version"),
    )
    require(where, botocore.retries.bucket.TokenBucket, "_acquire", ("amount", "block"))
    require(where, botocore.retries.bucket.TokenBucket, "_refill", ())
    require(where, botocore.retries.bucket.Clock, "current_time", ())
    require(where, botocore.retries.bucket.TokenBucket, "_sleep_amount", ("amount",))
    require(where, botocore.session.Session, "create_client", ("service_name",))
    require(where, botocore.credentials.InstanceMetadataProvider, "load", ())
    require(where, botocore.retryhandler, "delay_exponential", ("base", "growth_factor"))
    if not isinstance(getattr(botocore.retryhandler, "random", None), ModuleType):
        raise SeamError(where, "botocore.retryhandler.random", "is not the random module")
    backoff = botocore.retries.standard.ExponentialBackoff
    require(where, backoff, "delay_amount", ("context",))
    require(where, backoff, "__init__", ("random",))
    if not hasattr(backoff(), "_random"):
        raise SeamError(where, "ExponentialBackoff()._random", "is missing (the jitter source)")


def install(patch_moto: Callable[[], None], install_async: Callable[[], None]) -> None:
    """Install the patches (again if botocore's modules were re-imported).

    Raises ``SeamError`` (nothing patched) if an internal the seam needs is missing or changed.
    """
    global _installed, _DUMMY_CREDENTIALS
    if _installed:
        import botocore.endpoint

        if getattr(botocore.endpoint.Endpoint._send, "_connectviews", False):
            return
    import botocore
    import botocore.awsrequest
    import botocore.credentials
    import botocore.endpoint
    import botocore.retries.bucket
    import botocore.retries.standard
    import botocore.retryhandler
    import botocore.session
    import botocore.signers
    from botocore.hooks import first_non_none_response

    _check()

    _DUMMY_CREDENTIALS = botocore.credentials.Credentials(
        "AKIACONNECTVIEWSFAKE", "connectviews-fake-secret-key"
    )
    AWSResponse = botocore.awsrequest.AWSResponse
    endpoint_cls = botocore.endpoint.Endpoint
    original_send = endpoint_cls._send
    original_needs_retry = endpoint_cls._needs_retry
    signer_cls = botocore.signers.RequestSigner
    original_auth = signer_cls.get_auth_instance
    bucket_cls = botocore.retries.bucket.TokenBucket
    original_acquire = bucket_cls._acquire
    CapacityNotAvailableError = botocore.retries.bucket.CapacityNotAvailableError
    rate_clock_cls = botocore.retries.bucket.Clock
    original_current_time = rate_clock_cls.current_time
    Refreshable = botocore.credentials.RefreshableCredentials
    session_cls = botocore.session.Session
    original_create_client = session_cls.create_client
    imds_cls = botocore.credentials.InstanceMetadataProvider
    original_imds_load = imds_cls.load
    original_session_init = session_cls.__init__
    backoff_cls = botocore.retries.standard.ExponentialBackoff
    original_delay_amount = backoff_cls.delay_amount
    # botocore < 1.34.70 has no per-request credentials: sign with a copy holding the dummy ones
    auth_takes_credentials = "request_credentials" in inspect.signature(original_auth).parameters

    def _send(self: Any, request: Any) -> Any:
        fake = state.current
        if fake is None:
            if state.guard is not None and self._endpoint_prefix in state.by_prefix:
                unfaked(state.by_prefix[self._endpoint_prefix], request.url)
            return original_send(self, request)
        prefix = self._endpoint_prefix
        service = state.by_prefix.get(prefix)
        if service is None:
            if fake.settings.passthrough:
                return original_send(self, request)
            from ..errors import BlockedRequestError

            raise BlockedRequestError(prefix, request.url)
        __tracebackhide__ = True
        parts = urlsplit(request.url)
        response = fake.handle(
            wire_request(request, parts),
            host=parts.netloc,  # only read when the credential scope does not tell
            service_hint=service,
        )
        return http_response(AWSResponse, request.url, response, _Raw(response.body))

    def _needs_retry(
        self: Any,
        attempts: int,
        operation_model: Any,
        request_dict: Any,
        response: Any = None,
        caught_exception: Any = None,
    ) -> bool:
        fake = state.current
        if fake is None or self._endpoint_prefix not in state.by_prefix:
            return bool(
                original_needs_retry(
                    self, attempts, operation_model, request_dict, response, caught_exception
                )
            )
        __tracebackhide__ = True
        token = state.jitter.set(fake.random)  # the delay's jitter comes from the fake's seed
        try:
            if fake.settings.real_sleeps:
                return bool(
                    original_needs_retry(
                        self, attempts, operation_model, request_dict, response, caught_exception
                    )
                )
            service_id = operation_model.service_model.service_id.hyphenize()
            responses = self._event_emitter.emit(
                f"needs-retry.{service_id}.{operation_model.name}",
                response=response,
                endpoint=self,
                operation=operation_model,
                attempts=attempts,
                caught_exception=caught_exception,
                request_dict=request_dict,
            )
        finally:
            state.jitter.reset(token)
        delay = first_non_none_response(responses)
        if delay is None or delay is False:
            return False
        fake.clock.sleep(float(delay))
        return True

    def get_auth_instance(
        self: Any,
        signing_name: str,
        region_name: str,
        signature_version: Any = None,
        request_credentials: Any = None,
        **kwargs: Any,
    ) -> Any:
        if state.current is None:
            if (
                state.guard is not None
                and signing_name in state.by_signing_name
                and self._credentials is None
                and request_credentials is None
            ):  # signing would fail before the send point: report it here
                unfaked(state.by_signing_name[signing_name], f"{signing_name} in {region_name}")
        elif "moto" in sys.modules:
            patch_moto()  # moto may have been imported after the fake was activated
        if (
            request_credentials is None
            and state.current is not None
            and (
                (
                    signing_name in state.by_signing_name
                    and (self._credentials is None or isinstance(self._credentials, Refreshable))
                )
                # Other services get them only when blocked, so they fail with BlockedRequestError.
                or (self._credentials is None and not state.current.settings.passthrough)
            )
        ):
            request_credentials = _DUMMY_CREDENTIALS
        if auth_takes_credentials:
            return original_auth(
                self, signing_name, region_name, signature_version, request_credentials, **kwargs
            )
        if request_credentials is not None:
            signer = copy.copy(self)
            signer._credentials = request_credentials
            return original_auth(signer, signing_name, region_name, signature_version, **kwargs)
        return original_auth(self, signing_name, region_name, signature_version, **kwargs)

    def _acquire(self: Any, amount: float, block: bool) -> bool:
        fake = state.current
        if fake is None or fake.settings.real_sleeps:
            return bool(original_acquire(self, amount, block))
        self._refill()
        if amount > self._current_capacity:
            if not block:
                raise CapacityNotAvailableError()
            fake.clock.sleep(self._sleep_amount(amount))
            self._current_capacity = amount
        self._current_capacity -= amount
        return True

    def current_time(self: Any) -> float:
        fake = state.current
        if fake is None or fake.settings.real_sleeps:
            return float(original_current_time(self))
        return fake.clock.time()  # adaptive mode measures its send rate on the fake's clock

    def create_client(self: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
        if state.current is None or service_name not in state.names:
            return original_create_client(self, service_name, *args, **kwargs)
        state.creating.ours = True
        try:
            return original_create_client(self, service_name, *args, **kwargs)
        finally:
            state.creating.ours = False

    def session_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_session_init(self, *args, **kwargs)
        if (state.current is not None or state.guard is not None) and "aiobotocore" in sys.modules:
            install_async()  # an AioSession: aiobotocore may have been imported after activation

    def imds_load(self: Any) -> Any:
        if state.current is not None and getattr(state.creating, "ours", False):
            return None
        return original_imds_load(self)

    def delay_amount(self: Any, context: Any) -> Any:
        rng = state.jitter.get()
        if rng is None:
            return original_delay_amount(self, context)
        seeded = copy.copy(self)  # the client's backoff object stays as it was
        seeded._random = rng.random
        return original_delay_amount(seeded, context)

    _send._connectviews = True  # type: ignore[attr-defined]
    if not isinstance(botocore.retryhandler.random, _JitterRandom):
        botocore.retryhandler.random = _JitterRandom()
    backoff_cls.delay_amount = delay_amount
    endpoint_cls._send = _send
    endpoint_cls._needs_retry = _needs_retry
    signer_cls.get_auth_instance = get_auth_instance
    signer_cls.get_auth = get_auth_instance
    bucket_cls._acquire = _acquire
    rate_clock_cls.current_time = current_time
    session_cls.create_client = create_client
    session_cls.__init__ = session_init
    imds_cls.load = imds_load
    shortcuts.install()  # after the patches above: it wraps get_auth_instance
    _installed = True


def http_response(cls: Any, url: str, response: Any, raw: Any) -> Any:
    """botocore's (or aiobotocore's) ``cls`` response of a faked ``WireResponse``."""
    headers = shortcuts.response_headers(response.headers)
    http = cls(url, response.status, response.headers if headers is None else (), raw)
    if headers is not None:
        http.headers = headers
    http._content = response.body
    return http


def wire_request(request: Any, parts: Any = None, *, read_streams: bool = True) -> Any:
    """The ``WireRequest`` of a botocore ``AWSPreparedRequest`` (None: a stream not read)."""
    from ..wire import WireRequest

    if parts is None:
        parts = urlsplit(request.url)
    body = request.body
    if body is None:
        body = b""
    elif isinstance(body, str):
        body = body.encode("utf-8")
    elif not isinstance(body, (bytes, bytearray)):
        if not read_streams:
            return None
        body = body.read()
        if isinstance(body, str):
            body = body.encode("utf-8")
    return WireRequest(
        request.method,
        parts.path,
        parts.query,
        request.headers,
        body if type(body) is bytes else bytes(body),
    )


class _Raw:
    """The ``raw`` of a botocore ``AWSResponse``: a body already in memory."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body
