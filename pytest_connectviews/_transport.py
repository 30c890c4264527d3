"""The botocore seam: every connect/imagebuilder request goes to the active fake, on the wire.

Class-level patches, installed on the first activation (and again if botocore's modules were
re-imported, as pytester's in-process runs do) and inert while no fake is active (one global read):

* ``botocore.endpoint.Endpoint._send`` runs inside botocore's retry loop, after the request was
  serialized and signed. Replacing it covers every client — created before activation, at import
  time, from any ``boto3.Session`` — while botocore's serializer, signer, retry handler and parser
  all run for real. Requests for other services are passed to the original (or blocked).
* ``botocore.endpoint.Endpoint._needs_retry`` is where botocore sleeps between attempts (legacy and
  standard modes). For our services the wait is added to the fake's clock instead of slept.
* ``botocore.signers.RequestSigner.get_auth_instance`` supplies dummy credentials to clients of our
  services that have none, so signing does not raise ``NoCredentialsError`` before the fake is
  reached. Static credentials are used as given (their 12-digit access key can pick the account);
  refreshable ones (SSO, assume-role, instance roles) are replaced too, because freezing them
  would call STS/SSO over the network.
* ``botocore.session.Session.create_client`` marks the creation of a client of our services, so
  that ``botocore.credentials.InstanceMetadataProvider.load`` skips its probe of the EC2 metadata
  service (169.254.169.254) for it: with no credentials configured that probe is the one request
  that would still leave the process (and fail under pytest-socket). Other clients are untouched.
* ``botocore.retries.bucket.TokenBucket._acquire`` is where the adaptive retry mode's client-side
  rate limiter waits for capacity. While a fake is active the wait is added to the fake's clock and
  the capacity it would have gained is granted at once (for every client: the bucket does not know
  its service, and a virtual wait is what a test wants there too).

moto's ``mock_aws`` answers every ``*.amazonaws.com`` request in a ``before-send`` handler, which
runs before ``Endpoint._send`` (with 404 "Not yet implemented" for views and workflows). When moto
is loaded, its ``BotocoreStubber`` is told to pass on the operations the active fake implements,
so both compose in either order of activation; moto keeps every other request (S3, Connect
instances, ...).

Which requests are ours is read from the installed models on first activation: endpoint prefix
(``Endpoint._endpoint_prefix``), signing name (the signer) and service id (event names) each map
to the service name, so none of them is assumed equal to another. What answers is the active
fake's ``Pipeline``; the seam never sees ``FakeAWS``.
"""

from __future__ import annotations

import sys
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ._models import all_facts

if TYPE_CHECKING:
    from .pipeline import Pipeline

_lock = threading.Lock()
_installed = False
_stack: list[Pipeline] = []
#: The pipeline of the fake answering requests now (the innermost active one), read per request.
current: Pipeline | None = None
#: From the installed models, on first activation: endpoint prefix / signing name / event service
#: id / botocore service name -> our service name. Nothing assumes they are all the same.
_by_prefix: dict[str, str] = {}
_by_signing_name: dict[str, str] = {}
_by_event_id: dict[str, str] = {}
_names: frozenset[str] = frozenset()

_DUMMY_CREDENTIALS: Any = None
_moto_patched = False
#: Set while a client of our services is being created (the EC2 metadata probe is skipped then).
_creating = threading.local()


def activate(fake: Pipeline) -> None:
    """Make ``fake`` the one answering requests (installing the patches on first use)."""
    global current
    with _lock:
        _read_models()
        _install()
        _patch_moto()
        if fake in _stack:
            raise RuntimeError("connectviews: this FakeAWS is already active")
        _stack.append(fake)
        current = fake


def deactivate(fake: Pipeline) -> None:
    """Stop ``fake`` answering; the previously active fake (if any) answers again."""
    global current
    with _lock:
        if fake in _stack:
            _stack.remove(fake)
        current = _stack[-1] if _stack else None


def _read_models() -> None:
    global _names
    if _names:
        return
    for facts in all_facts():
        _by_prefix[facts.endpoint_prefix] = facts.name
        _by_signing_name[facts.signing_name] = facts.name
        _by_event_id[facts.event_id] = facts.name
    _names = frozenset(f.name for f in all_facts())


def _patch_moto() -> None:
    """Make a loaded moto pass on the operations the active fake implements (once)."""
    global _moto_patched
    module = sys.modules.get("moto.core.botocore_stubber")
    if _moto_patched or module is None:
        return
    stubber_cls = module.BotocoreStubber
    original_call = stubber_cls.__call__

    def __call__(self: Any, event_name: str, request: Any, **kwargs: Any) -> Any:
        fake = current
        if fake is not None:
            # before-send.<hyphenized service id>.<operation>
            parts = event_name.split(".")
            service = _by_event_id.get(parts[1]) if len(parts) > 2 else None
            if service is not None and fake.implements(service, parts[2]):
                return None
        return original_call(self, event_name, request, **kwargs)

    stubber_cls.__call__ = __call__
    _moto_patched = True


def _install() -> None:
    global _installed, _DUMMY_CREDENTIALS
    if _installed:
        import botocore.endpoint

        if getattr(botocore.endpoint.Endpoint._send, "_connectviews", False):
            return
    import botocore.awsrequest
    import botocore.credentials
    import botocore.endpoint
    import botocore.retries.bucket
    import botocore.session
    import botocore.signers
    from botocore.hooks import first_non_none_response

    from .wire import WireRequest

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
    Refreshable = botocore.credentials.RefreshableCredentials
    session_cls = botocore.session.Session
    original_create_client = session_cls.create_client
    imds_cls = botocore.credentials.InstanceMetadataProvider
    original_imds_load = imds_cls.load

    def _send(self: Any, request: Any) -> Any:
        fake = current
        if fake is None:
            return original_send(self, request)
        prefix = self._endpoint_prefix
        service = _by_prefix.get(prefix)
        if service is None:
            if fake.settings.passthrough:
                return original_send(self, request)
            from .errors import BlockedRequestError

            raise BlockedRequestError(prefix, request.url)
        parts = urlsplit(request.url)
        body = request.body
        if body is None:
            body = b""
        elif isinstance(body, str):
            body = body.encode("utf-8")
        elif not isinstance(body, (bytes, bytearray)):
            body = body.read()
            if isinstance(body, str):
                body = body.encode("utf-8")
        response = fake.handle(
            WireRequest(
                request.method,
                parts.path,
                parts.query,
                request.headers,
                body if type(body) is bytes else bytes(body),
            ),
            host=parts.netloc,  # only read when the credential scope does not tell
            service_hint=service,
        )
        http = AWSResponse(request.url, response.status, response.headers, _Raw(response.body))
        http._content = response.body
        return http

    def _needs_retry(
        self: Any,
        attempts: int,
        operation_model: Any,
        request_dict: Any,
        response: Any = None,
        caught_exception: Any = None,
    ) -> bool:
        fake = current
        if fake is None or fake.settings.real_sleeps or self._endpoint_prefix not in _by_prefix:
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
        if not _moto_patched and current is not None and "moto" in sys.modules:
            _patch_moto()  # moto was imported after the fake was activated
        if (
            request_credentials is None
            and current is not None
            and (
                (
                    signing_name in _by_signing_name
                    and (self._credentials is None or isinstance(self._credentials, Refreshable))
                )
                # Other services get them only when blocked, so they fail with BlockedRequestError.
                or (self._credentials is None and not current.settings.passthrough)
            )
        ):
            request_credentials = _DUMMY_CREDENTIALS
        return original_auth(
            self, signing_name, region_name, signature_version, request_credentials, **kwargs
        )

    def _acquire(self: Any, amount: float, block: bool) -> bool:
        fake = current
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

    def create_client(self: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
        if current is None or service_name not in _names:
            return original_create_client(self, service_name, *args, **kwargs)
        _creating.ours = True
        try:
            return original_create_client(self, service_name, *args, **kwargs)
        finally:
            _creating.ours = False

    def imds_load(self: Any) -> Any:
        if current is not None and getattr(_creating, "ours", False):
            return None
        return original_imds_load(self)

    _send._connectviews = True  # type: ignore[attr-defined]
    endpoint_cls._send = _send
    endpoint_cls._needs_retry = _needs_retry
    signer_cls.get_auth_instance = get_auth_instance
    signer_cls.get_auth = get_auth_instance
    bucket_cls._acquire = _acquire
    session_cls.create_client = create_client
    imds_cls.load = imds_load
    _installed = True


class _Raw:
    """The ``raw`` of a botocore ``AWSResponse``: a body already in memory."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body
