"""Per-call shortcuts: botocore work whose result nothing observes, skipped for our clients.

Only for clients of our services, only while a fake is active, and each one only when botocore's
code is the code it was checked against (a fingerprint of the methods it stands in for); anything
else runs botocore's own path. What a shortcut produces is byte-identical to what botocore would
(``tests/test_shortcuts.py`` compares every request header with and without them):

* **User-Agent memo.** botocore builds the ``User-Agent`` string twice per call (in
  ``_convert_to_request_dict`` and again in a ``request-created`` handler, so that features
  registered meanwhile are included); before 1.44.6 each build costs ~25 µs. The memo keeps the
  string per client creator, keyed by everything it is built from: the feature ids in botocore's
  own iteration order (client features united with the call context's, exactly as botocore unites
  them), the session's name/version/extra, and the client config's user agent override, extra,
  app id, retry mode and endpoint discovery (the inputs botocore 1.44.6 itself caches on). A
  customised ``modify_components`` or a config that is not a ``botocore.config.Config`` bypasses it.
* **SigV4, the parts that do not change the signature.** The signature is computed for real on
  every request (a custom signer, ``signature_version`` or a test that checks ``Authorization``
  sees the real one). Skipped: deriving the signing key again for an unchanged (secret, date,
  region, service) — 4 HMACs — and selecting the signed headers a second time within one
  ``add_auth`` (botocore selects them for the canonical request and again for the header). Only
  exact ``SigV4Auth`` instances of our clients' signers are affected (not S3's, not query
  signing, not subclasses).

* **Response headers.** The ``HeadersDict`` of a faked response is built from header keys made
  once per header name instead of once per response (the same dict botocore's constructor builds).

``ENABLED`` switches every shortcut off (the tests compare both ways). Endpoint resolution is left
alone: botocore memoizes the rule evaluation itself, and the rest of it emits
``before-endpoint-resolution`` and reads per-call parameters, which user handlers can change.
"""

from __future__ import annotations

import hashlib
import inspect
import linecache
from typing import Any

from . import state

#: False runs botocore's own path for everything (the tests compare requests both ways).
ENABLED = True

#: Which shortcuts are on in this process (filled by ``install``; read by the tests and benchmarks).
active: dict[str, bool] = {"user_agent": False, "sigv4": False, "response_headers": False}

# Fingerprints of the botocore methods each shortcut stands in for (see ``_fingerprint``).
# ``UserAgentString``: 1.41.6 - 1.44.5 (one implementation), and 1.44.6 - 1.44.8 (static parts
# cached by botocore itself).
_USER_AGENT_FINGERPRINTS = frozenset({"ff96f4830b8bf39d", "c4c5bbcb93a8285d"})
# ``SigV4Auth``'s signing methods: unchanged from 1.41.6 to 1.44.8.
_SIGV4_METHODS = (
    "headers_to_sign",
    "canonical_request",
    "signature",
    "add_auth",
    "_inject_signature_to_request",
)
_SIGV4_FINGERPRINTS = frozenset({"53e6d413b6525135"})

#: Set on the User-Agent creator (the memo) and the request signer of each client of our services.
_MEMO_ATTR = "_connectviews_ua"
_SIGNER_ATTR = "_connectviews_sigv4"
_MEMO_MAX = 64
_KEYS_MAX = 32
#: (secret key, yyyymmdd, region, service) -> the derived SigV4 signing key
_signing_keys: dict[tuple[str, str, str, str], bytes] = {}


def _fingerprint(cls: type, names: tuple[str, ...] | None = None) -> str | None:
    """A hash of the source of ``cls``'s methods (all of them, or ``names``); None if unreadable."""
    found = vars(cls)
    if names is None:
        names = tuple(k for k, v in found.items() if inspect.isfunction(v))
    digest = hashlib.sha256()
    try:
        for name in sorted(names):
            code = found[name].__code__
            # the source lines of the function (inspect.getsource would search every module and
            # tokenize: ten times slower, and this runs on the first activation)
            lines = linecache.getlines(code.co_filename)
            if not lines:
                return None
            last = max(line for _, _, line in code.co_lines() if line is not None)
            digest.update(name.encode())
            digest.update("".join(lines[code.co_firstlineno - 1 : last]).encode())
    except (KeyError, AttributeError, ValueError, TypeError):
        return None
    return digest.hexdigest()[:16]


def exclude(client: Any) -> None:
    """Run botocore's own path for ``client`` (the benchmarks' floor client is plain botocore)."""
    vars(client._user_agent_creator).pop(_MEMO_ATTR, None)
    vars(client._request_signer).pop(_SIGNER_ATTR, None)


def install() -> None:
    """Install every shortcut whose botocore internals are the known ones (idempotent)."""
    _install_marks()
    _install_user_agent()
    _install_sigv4()
    _install_response_headers()


_headers_cls: Any = None
#: header name -> botocore's case-insensitive key object for it (immutable, shared)
_header_keys: dict[str, Any] = {}
_HEADER_KEYS_MAX = 256


def _header_key(name: str) -> Any:
    probe = _headers_cls({name: ""})
    (key,) = probe._dict
    if len(_header_keys) >= _HEADER_KEYS_MAX:
        _header_keys.clear()
    _header_keys[name] = key
    return key


def response_headers(headers: dict[str, str]) -> Any:
    """botocore's ``HeadersDict`` of a faked response's ``headers``, or None: build it as usual."""
    cls = _headers_cls
    if cls is None or not ENABLED:
        return None
    keys = _header_keys
    built = {}
    for name, value in headers.items():
        key = keys.get(name)
        if key is None:
            key = _header_key(name)
        built[key] = value
    found = cls.__new__(cls)
    found._dict = built
    return found


def _install_response_headers() -> None:
    global _headers_cls
    import botocore.awsrequest

    cls = botocore.awsrequest.HeadersDict
    if _headers_cls is cls:
        return
    _header_keys.clear()
    sample = {"x-amzn-RequestId": "r", "Content-Type": "application/json"}
    try:
        expected = cls(sample)
        _headers_cls = cls
        built = response_headers(sample)
        same = (
            type(getattr(expected, "_dict", None)) is dict
            and built._dict == expected._dict
            and list(built.items()) == list(expected.items())
            and built["content-type"] == "application/json"
        )
    except Exception:
        same = False
    if not same:
        _headers_cls = None
        _header_keys.clear()
    active["response_headers"] = same


def _install_user_agent() -> None:
    import botocore.config
    import botocore.useragent as useragent

    cls = useragent.UserAgentString
    if getattr(cls.to_string, "_connectviews", False):
        return
    get_context = getattr(useragent, "get_context", None)
    if get_context is None or _fingerprint(cls) not in _USER_AGENT_FINGERPRINTS:
        active["user_agent"] = False
        return
    original_to_string = cls.to_string
    Config = botocore.config.Config

    def to_string(self: Any) -> Any:
        memo = self.__dict__.get(_MEMO_ATTR)
        if memo is None or state.current is None or not ENABLED:
            return original_to_string(self)
        if getattr(useragent.modify_components, "__module__", None) != "botocore.useragent":
            return original_to_string(self)  # customised components: botocore's own path
        config = self._client_config
        if config is None:
            config_inputs: Any = None
        elif type(config) is not Config and type(config) not in config_types:
            return original_to_string(self)
        else:
            retries = config.retries
            config_inputs = (
                getattr(config, "_supplied_user_agent", _NOTHING),
                config.user_agent,
                config.user_agent_extra,
                config.user_agent_appid,
                (retries.get("mode"), config.endpoint_discovery_enabled) if retries else None,
            )
        ctx = get_context()
        # botocore's own union, so the tuple has the iteration order of the string it joins
        features = (self._client_features or set()).union(set() if ctx is None else ctx.features)
        key = (
            tuple(features),
            self._session_user_agent_name,
            self._session_user_agent_version,
            self._session_user_agent_extra,
            config_inputs,
        )
        found = memo.get(key)
        if found is None:
            found = original_to_string(self)
            if len(memo) >= _MEMO_MAX:
                memo.clear()
            memo[key] = found
        return found

    to_string._connectviews = True  # type: ignore[attr-defined]
    cls.to_string = to_string
    active["user_agent"] = True


#: ``Config`` subclasses known to build the User-Agent from the same attributes (aiobotocore's
#: ``AioConfig``, added by the async seam); any other config type bypasses the memo.
config_types: set[type] = set()


def _install_marks() -> None:
    """Mark the User-Agent creator and the signer of every new client of our services."""
    import botocore.client
    import botocore.useragent

    creator_cls = botocore.client.ClientCreator
    original_create_client = creator_cls.create_client
    if getattr(original_create_client, "_connectviews", False):
        return
    global _ua_cls
    _ua_cls = botocore.useragent.UserAgentString

    def create_client(self: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
        client = original_create_client(self, service_name, *args, **kwargs)
        mark(client, service_name)
        return client

    create_client._connectviews = True  # type: ignore[attr-defined]
    creator_cls.create_client = create_client


_ua_cls: Any = None


def mark(client: Any, service_name: str) -> None:
    """Let a new client of our services use the User-Agent memo and the fast signer (botocore's
    clients through ``ClientCreator.create_client``, aiobotocore's from its async seam)."""
    if service_name not in state.names:
        return
    creator = getattr(client, "_user_agent_creator", None)
    if _ua_cls is not None and type(creator) is _ua_cls:
        creator.__dict__[_MEMO_ATTR] = {}
    signer = getattr(client, "_request_signer", None)
    if signer is not None:
        signer.__dict__[_SIGNER_ATTR] = True


_NOTHING = object()


_sigv4: Any = None  # botocore's SigV4Auth, when the fast signer stands in for it
_fast_sigv4: Any = None


def fast_auth(signer: Any, auth: Any, signing_name: str) -> None:
    """Make ``auth`` (just made by a signer of one of our clients) the fast ``SigV4Auth``."""
    if (
        _fast_sigv4 is not None
        and type(auth) is _sigv4
        and ENABLED
        and state.current is not None
        and signing_name in state.by_signing_name
        and signer.__dict__.get(_SIGNER_ATTR)
    ):
        auth.__class__ = _fast_sigv4


def _install_sigv4() -> None:
    import botocore.auth
    import botocore.signers

    signer_cls = botocore.signers.RequestSigner
    if getattr(signer_cls.get_auth_instance, "_connectviews_shortcut", False):
        return
    base = botocore.auth.SigV4Auth
    if _fingerprint(base, _SIGV4_METHODS) not in _SIGV4_FINGERPRINTS:
        active["sigv4"] = False
        return

    class FastSigV4Auth(base):  # type: ignore[misc, valid-type]
        """``SigV4Auth`` that derives a signing key once and selects signed headers once."""

        _cv_request: Any = None
        _cv_headers: Any = None

        def add_auth(self, request: Any) -> None:
            self._cv_request = request
            self._cv_headers = None
            try:
                super().add_auth(request)
            finally:
                self._cv_request = self._cv_headers = None

        def headers_to_sign(self, request: Any) -> Any:
            # Within one add_auth nothing changes the headers between the canonical request and
            # the Authorization header, which both select them.
            if request is not self._cv_request:
                return super().headers_to_sign(request)
            found = self._cv_headers
            if found is None:
                found = self._cv_headers = super().headers_to_sign(request)
            return found

        def signature(self, string_to_sign: str, request: Any) -> str:
            key = (
                self.credentials.secret_key,
                request.context["timestamp"][0:8],
                self._region_name,
                self._service_name,
            )
            k_signing = _signing_keys.get(key)
            if k_signing is None:
                k_date = self._sign(f"AWS4{key[0]}".encode(), key[1])
                k_region = self._sign(k_date, key[2])
                k_service = self._sign(k_region, key[3])
                k_signing = self._sign(k_service, "aws4_request")
                if len(_signing_keys) >= _KEYS_MAX:
                    _signing_keys.clear()
                _signing_keys[key] = k_signing
            return str(self._sign(k_signing, string_to_sign, hex=True))

    original = signer_cls.get_auth_instance

    def get_auth_instance(
        self: Any,
        signing_name: str,
        region_name: str,
        signature_version: Any = None,
        request_credentials: Any = None,
        **kwargs: Any,
    ) -> Any:
        auth = original(
            self, signing_name, region_name, signature_version, request_credentials, **kwargs
        )
        fast_auth(self, auth, signing_name)
        return auth

    global _sigv4, _fast_sigv4
    _sigv4, _fast_sigv4 = base, FastSigV4Auth
    get_auth_instance._connectviews_shortcut = True  # type: ignore[attr-defined]
    signer_cls.get_auth_instance = get_auth_instance
    signer_cls.get_auth = get_auth_instance
    active["sigv4"] = True
