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

* Retry jitter: legacy mode's ``botocore.retryhandler.delay_exponential`` draws from the
  ``random`` module global of ``botocore.retryhandler`` (replaced by a stand-in), standard mode's
  ``ExponentialBackoff.delay_amount`` from its ``_random`` (called on a copy holding the fake's).
  Both draw from the active fake's seeded generator only while ``state.jitter`` is set, which the
  ``_needs_retry`` patch does around the ``needs-retry`` event of one of our requests.
* ``botocore.retries.bucket.Clock.current_time`` is adaptive mode's clock (send rate, CUBIC): the
  fake's clock while a fake is active, so that mode is reproducible too.

Every internal is checked before anything is patched (``internals.require``): a missing or
changed one is a ``SeamError`` at activation, never a half-patched seam that leaks requests.

The guard (option ``guard``): while no fake is active, ``_send`` and the signer read one more
global, ``state.guard``, and report a request of our services (warn or ``UnfakedRequestError``).

moto's ``mock_aws`` answers every ``*.amazonaws.com`` request in a ``before-send`` handler, which
runs before ``Endpoint._send`` (with 404 "Not yet implemented" for views and workflows). When moto
is loaded, its ``BotocoreStubber`` is told to pass on the requests the active fake claims (the
operations it implements, and those a canned response or a certain injected error matches), so
both compose in either order of activation; moto keeps every other request (S3, Connect
instances, ...).

Which requests are ours is read from the installed models on first activation: endpoint prefix
(``Endpoint._endpoint_prefix``), signing name (the signer) and service id (event names) each map
to the service name, so none of them is assumed equal to another. What answers is the active
fake's ``Pipeline``; the seam never sees ``FakeAWS``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from . import aiobotocore_seam, botocore_seam, sleeps, state

if TYPE_CHECKING:
    from ..pipeline import Pipeline

_moto_patched = False


def __getattr__(name: str) -> Any:
    # ``_transport.current`` and ``_transport._stack`` read the live state
    if name == "current":
        return state.current
    if name == "_stack":
        return state.stack
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def activate(fake: Pipeline) -> None:
    """Make ``fake`` the one answering requests (installing the patches on first use)."""
    with state.lock:
        state.read_models()
        botocore_seam.install(patch_moto, install_async)
        aiobotocore_seam.install(patch_moto)
        patch_moto()
        if fake in state.stack:
            raise RuntimeError("connectviews: this FakeAWS is already active")
        state.stack.append(fake)
        state.current = fake
        if fake.settings.virtual_sleep:
            sleeps.install()


def virtual_sleep_changed() -> None:
    """An active fake's ``virtual_sleep`` was switched: install or remove the sleep wrappers."""
    with state.lock:
        if any(fake.settings.virtual_sleep for fake in state.stack):
            sleeps.install()
        else:
            sleeps.uninstall_unless_used()


def guard_on(mode: str, test: str) -> None:
    """Report requests for our services made while no fake is active (``mode`` warn or error)."""
    with state.lock:
        state.read_models()
        botocore_seam.install(patch_moto, install_async)
        aiobotocore_seam.install(patch_moto)
        state.guard = (mode, test)


def guard_off() -> None:
    """Stop reporting requests made while no fake is active."""
    state.guard = None


def deactivate(fake: Pipeline) -> None:
    """Stop ``fake`` answering; the previously active fake (if any) answers again."""
    with state.lock:
        if fake in state.stack:
            state.stack.remove(fake)
        state.current = state.stack[-1] if state.stack else None
        sleeps.uninstall_unless_used()


def install_async() -> None:
    """Install the aiobotocore seam if aiobotocore was imported (after activation, say)."""
    with state.lock:
        aiobotocore_seam.install(patch_moto)


def patch_moto() -> None:
    """Make a loaded moto pass on the operations the active fake implements (once)."""
    global _moto_patched
    module = sys.modules.get("moto.core.botocore_stubber")
    if _moto_patched or module is None:
        return
    stubber_cls = module.BotocoreStubber
    original_call = stubber_cls.__call__

    def __call__(self: Any, event_name: str, request: Any, **kwargs: Any) -> Any:
        fake = state.current
        if fake is not None:
            # before-send.<hyphenized service id>.<operation>
            parts = event_name.split(".")
            service = state.by_event_id.get(parts[1]) if len(parts) > 2 else None
            if service is not None and fake.claims(
                service, parts[2], botocore_seam.wire_request(request, read_streams=False)
            ):
                return None
        return original_call(self, event_name, request, **kwargs)

    stubber_cls.__call__ = __call__
    _moto_patched = True


def moto_patched() -> bool:
    """Whether a loaded moto was told to pass on the fake's operations."""
    return _moto_patched
