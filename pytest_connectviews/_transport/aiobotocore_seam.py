"""The aiobotocore patches: async clients (aiobotocore, aioboto3) answered by the same fake.

aiobotocore overrides every method the botocore seam patches with an ``async`` one (or, for the
token bucket, a class of its own), so none of the botocore patches reaches it. The counterparts:

* ``AioEndpoint._send`` (``AnyioEndpoint`` inherits it): our requests go to the same synchronous
  ``Pipeline.handle``; the answer is an ``AioAWSResponse`` whose content is already in memory,
  which aiobotocore's ``convert_to_response_dict`` awaits and its parser reads.
* ``AioEndpoint._needs_retry``: the backoff is added to the fake's clock instead of awaited; the
  jitter draws from the fake's generator (the same ``state.jitter`` as the botocore seam).
* ``AioRequestSigner.get_auth_instance``: dummy ``AioCredentials`` for clients without any (or
  with refreshable ones), as for botocore.
* ``AioSession._create_client`` marks the creation of a client of our services in a
  ``ContextVar`` (tasks share one thread), so ``AioInstanceMetadataProvider.load`` skips the EC2
  metadata probe for it.
* ``AsyncTokenBucket._acquire``: adaptive mode's async rate limiter waits on the fake's clock.

Nothing is imported from aiobotocore unless the user has imported it: ``install`` is called at
activation (and when the guard is switched on) if ``aiobotocore`` is in ``sys.modules``, and again
whenever a botocore ``Session`` is created while a fake is active (aiobotocore's ``AioSession``
is one), which covers a user importing aiobotocore after the fixture started.
"""

from __future__ import annotations

import copy
import inspect
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from ..errors import SeamError
from . import shortcuts, state
from .botocore_seam import http_response, wire_request
from .internals import require, unfaked

_patched: Any = None  # the AioEndpoint class patched (a re-import makes a new one)


def loaded() -> bool:
    return "aiobotocore" in sys.modules


def install(patch_moto: Callable[[], None]) -> None:
    """Install the async patches if aiobotocore is loaded (again if it was re-imported)."""
    global _patched
    module = sys.modules.get("aiobotocore.endpoint")
    if not loaded():
        return
    if module is not None and _patched is getattr(module, "AioEndpoint", None):
        return
    import aiobotocore
    import aiobotocore.awsrequest
    import aiobotocore.credentials
    import aiobotocore.endpoint
    import aiobotocore.retries.bucket
    import aiobotocore.session
    import aiobotocore.signers
    from botocore.credentials import RefreshableCredentials
    from botocore.hooks import first_non_none_response
    from botocore.retries.bucket import CapacityNotAvailableError

    where = f"aiobotocore {getattr(aiobotocore, '__version__', '?')}"
    endpoint_cls = aiobotocore.endpoint.AioEndpoint
    require(where, endpoint_cls, "_send", ("request",))
    require(
        where,
        endpoint_cls,
        "_needs_retry",
        ("attempts", "operation_model", "request_dict", "response", "caught_exception"),
    )
    signer_cls = aiobotocore.signers.AioRequestSigner
    require(where, signer_cls, "get_auth_instance", ("signing_name", "region_name"))
    session_cls = aiobotocore.session.AioSession
    require(where, session_cls, "_create_client", ("service_name",))
    imds_cls = aiobotocore.credentials.AioInstanceMetadataProvider
    require(where, imds_cls, "load", ())
    bucket_cls = aiobotocore.retries.bucket.AsyncTokenBucket
    require(where, bucket_cls, "_acquire", ("amount", "block"))
    require(where, bucket_cls, "_refill", ())
    require(where, bucket_cls, "_sleep_amount", ("amount",))
    require(where, aiobotocore.awsrequest, "AioAWSResponse", ())
    require(where, aiobotocore.credentials, "AioCredentials", ())
    for method in ("_send", "_needs_retry", "get_auth_instance", "_create_client", "load"):
        owner = {
            "_send": endpoint_cls,
            "_needs_retry": endpoint_cls,
            "get_auth_instance": signer_cls,
            "_create_client": session_cls,
            "load": imds_cls,
        }[method]
        if not inspect.iscoroutinefunction(getattr(owner, method)):
            raise SeamError(where, f"{owner.__qualname__}.{method}", "is not a coroutine function")

    AioAWSResponse = aiobotocore.awsrequest.AioAWSResponse
    import aiobotocore.config

    aio_config = getattr(aiobotocore.config, "AioConfig", None)
    if isinstance(aio_config, type):  # adds connector and HTTP options, nothing the UA reads
        shortcuts.config_types.add(aio_config)
    dummy = aiobotocore.credentials.AioCredentials(
        "AKIACONNECTVIEWSFAKE", "connectviews-fake-secret-key"
    )
    original_send = endpoint_cls._send
    original_needs_retry = endpoint_cls._needs_retry
    original_auth = signer_cls.get_auth_instance
    auth_takes_credentials = "request_credentials" in inspect.signature(original_auth).parameters
    original_create_client = session_cls._create_client
    original_imds_load = imds_cls.load
    original_acquire = bucket_cls._acquire

    async def _send(self: Any, request: Any) -> Any:
        fake = state.current
        prefix = self._endpoint_prefix
        if fake is None:
            if state.guard is not None and prefix in state.by_prefix:
                unfaked(state.by_prefix[prefix], request.url)
            return await original_send(self, request)
        service = state.by_prefix.get(prefix)
        if service is None:
            if fake.settings.passthrough:
                return await original_send(self, request)
            from ..errors import BlockedRequestError

            raise BlockedRequestError(prefix, request.url)
        __tracebackhide__ = True
        parts = urlsplit(request.url)
        response = fake.handle(
            wire_request(request, parts),
            host=parts.netloc,
            service_hint=service,
        )
        return http_response(AioAWSResponse, request.url, response, _AsyncRaw(response.body))

    async def _needs_retry(
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
                await original_needs_retry(
                    self, attempts, operation_model, request_dict, response, caught_exception
                )
            )
        __tracebackhide__ = True
        token = state.jitter.set(fake.random)
        try:
            if fake.settings.real_sleeps:
                return bool(
                    await original_needs_retry(
                        self, attempts, operation_model, request_dict, response, caught_exception
                    )
                )
            service_id = operation_model.service_model.service_id.hyphenize()
            responses = await self._event_emitter.emit(
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

    async def get_auth_instance(
        self: Any,
        signing_name: str,
        region_name: str,
        signature_version: Any = None,
        request_credentials: Any = None,
        **kwargs: Any,
    ) -> Any:
        fake = state.current
        if fake is None:
            if (
                state.guard is not None
                and signing_name in state.by_signing_name
                and self._credentials is None
                and request_credentials is None
            ):
                unfaked(state.by_signing_name[signing_name], f"{signing_name} in {region_name}")
        elif "moto" in sys.modules:
            patch_moto()
        if (
            request_credentials is None
            and fake is not None
            and (
                (
                    signing_name in state.by_signing_name
                    and (
                        self._credentials is None
                        or isinstance(self._credentials, RefreshableCredentials)
                    )
                )
                or (self._credentials is None and not fake.settings.passthrough)
            )
        ):
            request_credentials = dummy
        if auth_takes_credentials:
            auth = await original_auth(
                self, signing_name, region_name, signature_version, request_credentials, **kwargs
            )
        elif request_credentials is not None:
            signer = copy.copy(self)
            signer._credentials = request_credentials
            auth = await original_auth(
                signer, signing_name, region_name, signature_version, **kwargs
            )
        else:
            auth = await original_auth(self, signing_name, region_name, signature_version, **kwargs)
        shortcuts.fast_auth(self, auth, signing_name)
        return auth

    async def _create_client(self: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
        if state.current is None or service_name not in state.names:
            client = await original_create_client(self, service_name, *args, **kwargs)
        else:
            token = state.creating_async.set(True)
            try:
                client = await original_create_client(self, service_name, *args, **kwargs)
            finally:
                state.creating_async.reset(token)
        shortcuts.mark(client, service_name)
        return client

    async def imds_load(self: Any) -> Any:
        if state.current is not None and state.creating_async.get():
            return None
        return await original_imds_load(self)

    async def _acquire(self: Any, amount: float, block: bool) -> bool:
        fake = state.current
        if fake is None or fake.settings.real_sleeps:
            return bool(await original_acquire(self, amount, block))
        self._refill()
        if amount > self._current_capacity:
            if not block:
                raise CapacityNotAvailableError()
            fake.clock.sleep(self._sleep_amount(amount))
            self._current_capacity = amount
        self._current_capacity -= amount
        return True

    endpoint_cls._send = _send
    endpoint_cls._needs_retry = _needs_retry
    signer_cls.get_auth_instance = get_auth_instance
    signer_cls.get_auth = get_auth_instance
    session_cls._create_client = _create_client
    imds_cls.load = imds_load
    bucket_cls._acquire = _acquire
    _patched = endpoint_cls


class _AsyncRaw:
    """The ``raw`` of an ``AioAWSResponse`` whose body is already in memory."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    async def read(self, *_: Any) -> bytes:
        return self._body

    async def aread(self) -> bytes:
        return self._body
