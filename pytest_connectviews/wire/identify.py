"""Which service, region and account a request is for: its SigV4 credential scope, else its host.

A custom ``endpoint_url`` (server mode, LocalStack-style URLs) says nothing about the service, so
the credential scope decides first; the host ``<endpoint prefix>.<region>.amazonaws.com`` is the
fallback. A 12-digit access key id selects that account, as in moto.
"""

from __future__ import annotations

from collections.abc import Mapping

from .._defaults import ACCOUNT_RE
from .._models import SERVICES, host_pattern, service_for_endpoint_prefix, service_for_signing_name
from ..errors import UnhandledOperationError

#: SigV4 credential (``AKID/date/region/service/aws4_request``) -> its parse; requests repeat it.
_scopes: dict[str, tuple[str | None, str | None, str | None]] = {}
_SCOPES_MAX = 256


def identify(
    method: str,
    path: str,
    headers: Mapping[str, str],
    host: str,
    hint: str | None,
    default_account: str,
    default_region: str,
) -> tuple[str, str, str]:
    """(service, region, account) of a request; ``UnhandledOperationError`` if not ours."""
    service = hint if hint in SERVICES else None
    region = None
    account_id = default_account
    auth = headers.get("Authorization") or headers.get("authorization")
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
                if len(_scopes) >= _SCOPES_MAX:
                    _scopes.clear()
                _scopes[credential] = scope
            key_account, scope_region, scope_service = scope
            if key_account is not None:
                account_id = key_account
            region = scope_region
            if service is None:
                service = scope_service
    if service is None or region is None:
        match = host_pattern().match(host.lower())
        if match:
            service = service or service_for_endpoint_prefix(match.group(1))
            region = region or match.group(2)
    if service is None:
        raise UnhandledOperationError("unknown", f"{method} {host}{path}", list(SERVICES))
    return service, region or default_region, account_id


def _scope(credential: str) -> tuple[str | None, str | None, str | None]:
    """(account selected by a 12-digit access key id, region, our service) of a credential."""
    parts = credential.split("/")
    if len(parts) < 4:
        return None, None, None
    account = parts[0] if ACCOUNT_RE.match(parts[0]) else None
    return account, parts[2], service_for_signing_name(parts[3])
