"""``FakeServer``: the fake's request pipeline behind the standard library's HTTP server.

``ThreadingHTTPServer`` gives one thread per connection and HTTP/1.1 keep-alive. The fake is not
``start()``-ed for this: ``start`` patches botocore in *this* process, which the server does not
need. Service, region and account come from the request's SigV4 credential scope, exactly as
in-process; paths under ``/_connectviews/`` go to the control API (``control.py``) instead.

Outcomes the fake cannot express as a service error become JSON error responses botocore (and any
AWS SDK) parses: an operation that neither the fake nor a canned response answers is a 501
``NotImplemented`` (recorded in the fake's calls as ``source="unhandled"``, as in-process), a bug in
the fake is a 500 ``InternalFailure``. Both are also kept in ``FakeServer.errors``.

Hostile or broken HTTP never reaches the standard library's fallbacks (an HTML page, and for a bad
request line no status line at all, HTTP/0.9 style): ``send_error`` is replaced, so every answer is
an HTTP/1.1 response with a JSON body in the services' error format; a declared body over
``MAX_BODY_BYTES`` is refused with 413 before it is read; an exception in the handler becomes a
500 answer and a ``ServerError``, never a traceback from ``socketserver``.
"""

from __future__ import annotations

import contextlib
import errno
import http.server
import ipaddress
import json
import os
import re
import socket
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

from ..errors import UnhandledOperationError
from ..fake import FakeAWS
from .control import CONTROL_PREFIX, ControlAPI

#: Idle keep-alive connections are closed after this many seconds.
IDLE_TIMEOUT = 60.0
#: The largest request body the server accepts (8 MiB); a larger one is answered 413 unread.
MAX_BODY_BYTES = 8 * 1024 * 1024

#: Dummy credentials for clients of the server (not 12 digits: the fake's own account answers).
DUMMY_ACCESS_KEY_ID = "AKIACONNECTVIEWSFAKE"
DUMMY_SECRET_ACCESS_KEY = "connectviews-fake-secret-key"
# A path that cannot exist on any OS (a file "inside" the null device): no real AWS config is read.
_NO_FILE = os.path.join(os.devnull, "connectviews-no-aws-config")
#: Variables dropped from ``FakeServer.env``: they would select real profiles, tokens or endpoints.
REMOVED_ENV = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
)

# The error code of each status the HTTP layer itself answers (a modeled code of both services
# for 400, so SDKs raise it as a modeled error).
_HTTP_ERROR_CODES = {
    400: "InvalidRequestException",
    413: "RequestEntityTooLargeException",
    414: "RequestUriTooLongException",
    431: "RequestHeaderFieldsTooLargeException",
    501: "NotImplemented",
    505: "HttpVersionNotSupportedException",
}
_LENGTH_RE = re.compile(r"[0-9]{1,19}")
_CHUNK_SIZE_RE = re.compile(rb"[0-9A-Fa-f]{1,16}")
_MAX_TRAILER_LINES = 100
# After refusing a body, how long and how much of it is discarded so the client reads the answer.
_LINGER_SECONDS = 1.0
_LINGER_BYTES = 2 * MAX_BODY_BYTES


@dataclass(frozen=True)
class ServerError:
    """A request the server answered with 501 ``NotImplemented`` or 500 ``InternalFailure``."""

    status: int
    code: str
    request_line: str
    message: str
    #: the formatted traceback for a 500, "" for a 501.
    traceback: str = ""
    #: the request id of the call the fake recorded for a 501 (``source="unhandled"``; the
    #: ``connectviews`` fixture's teardown check reports it), "" when nothing was recorded.
    request_id: str = ""


class FakeServer:
    """Serve a ``FakeAWS`` over HTTP on a background thread.

    :param fake: the fake whose state and recorded calls the server shares (not started by this).
    :param host: the address to bind; loopback by default.
    :param port: the port to bind; 0 picks a free one (see ``port`` after ``start``).
    :param log_requests: write one access-log line per request to stderr.
    :param control_token: when set, requests to the control API (``/_connectviews/...``) must
        carry it in the ``X-Connectviews-Token`` header (``health`` excepted).

    Use ``start()``/``stop()`` or a ``with`` block. ``url`` is the endpoint to give clients, for
    example ``boto3.client("connect", endpoint_url=server.url)`` in another process.
    """

    def __init__(
        self,
        fake: FakeAWS,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        log_requests: bool = False,
        control_token: str | None = None,
    ) -> None:
        if not isinstance(fake, FakeAWS):
            raise ValueError(f"connectviews: FakeServer needs a FakeAWS, got {fake!r}")
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise ValueError(f"connectviews: port must be an int in 0..65535, got {port!r}")
        self.fake = fake
        self.host = host
        self.log_requests = log_requests
        #: 501/500 answers, in order (a test can inspect or clear this list).
        self.errors: list[ServerError] = []
        self._errors_lock = threading.Lock()
        self._control = ControlAPI(fake, token=control_token)
        self._requested_port = port
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------------ lifecycle
    def start(self) -> FakeServer:
        """Bind and start serving on a daemon thread; returns ``self``.

        Raises ``OSError`` with a ``connectviews:`` message when the address cannot be bound (for
        example, the port is taken): it never waits for the port to become free.
        """
        if self._httpd is not None:
            raise RuntimeError("connectviews: this FakeServer is already started")
        self._httpd = _bind(self, self.host, self._requested_port)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"connectviews-server-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close open connections and the listening socket (idempotent)."""
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        if thread is not None:
            thread.join()
        self._httpd = None
        self._thread = None

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound port (after ``start``)."""
        if self._httpd is None:
            raise RuntimeError("connectviews: start the FakeServer before asking for its port")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """The endpoint URL, e.g. ``http://127.0.0.1:54321``."""
        host = self.host
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    @property
    def control_url(self) -> str:
        """The control API's base URL, e.g. ``http://127.0.0.1:54321/_connectviews``."""
        return self.url + CONTROL_PREFIX.rstrip("/")

    @property
    def env_vars(self) -> dict[str, str]:
        """Variables pointing the AWS CLI and AWS SDKs at this server, with dummy credentials.

        ``CONNECTVIEWS_URL`` is the control API's base URL (``control_url``).
        """
        from .._models import all_facts

        endpoints = {facts.endpoint_env_var: self.url for facts in all_facts()}
        return {
            **endpoints,
            "CONNECTVIEWS_URL": self.control_url,
            "AWS_ACCESS_KEY_ID": DUMMY_ACCESS_KEY_ID,
            "AWS_SECRET_ACCESS_KEY": DUMMY_SECRET_ACCESS_KEY,
            "AWS_DEFAULT_REGION": self.fake.region,
            "AWS_REGION": self.fake.region,
            "AWS_CONFIG_FILE": _NO_FILE,
            "AWS_SHARED_CREDENTIALS_FILE": _NO_FILE,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_PAGER": "",
        }

    @property
    def env(self) -> dict[str, str]:
        """A full environment for ``subprocess.run(..., env=server.env)``.

        That is ``os.environ`` without ``REMOVED_ENV``, plus ``env_vars``.
        """
        environ = {k: v for k, v in os.environ.items() if k not in REMOVED_ENV}
        environ.update(self.env_vars)
        return environ

    def __repr__(self) -> str:
        where = self.url if self._httpd is not None else "not started"
        return f"<FakeServer {where} {self.fake!r}>"

    # ------------------------------------------------------------------------ request handling
    def respond(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        """Answer one HTTP request: status, headers and body (the server calls this per request).

        Paths under ``/_connectviews/`` are the control API; every other path is an AWS request.
        """
        from ..wire import WireRequest

        try:
            parts = urlsplit(target)
        except ValueError as exc:
            return _error_response(
                400, "InvalidRequestException", f"connectviews: bad request target: {exc}"
            )
        path = parts.path or "/"
        if path.startswith(CONTROL_PREFIX) or path == CONTROL_PREFIX.rstrip("/"):
            try:
                return self._control.handle(method, path, parts.query, headers, body)
            except Exception as exc:
                return self._internal_failure(method, target, exc)
        request = WireRequest(method, path, parts.query, headers, body)
        host = headers.get("Host") or ""
        try:
            response = self.fake._pipeline.handle(request, host=host.rsplit(":", 1)[0])
        except UnhandledOperationError as exc:
            message = str(exc)
            if exc.service == "unknown":
                message = (
                    f"connectviews: cannot tell which service {method} {path} is for. Sign "
                    "the request with SigV4 (any credentials) for service 'connect' or "
                    "'imagebuilder', as every AWS SDK and the AWS CLI do."
                )
            self._record(
                ServerError(
                    501, "NotImplemented", f"{method} {target}", message, "", exc.request_id
                )
            )
            return _error_response(501, "NotImplemented", message, exc.request_id)
        except Exception as exc:
            return self._internal_failure(method, target, exc)
        return response.status, response.headers, response.body

    def _internal_failure(
        self, method: str, target: str, exc: BaseException
    ) -> tuple[int, dict[str, str], bytes]:
        message = str(exc)
        if not message.startswith("connectviews:"):
            message = (
                f"connectviews: the fake failed on {method} {urlsplit(target).path} with "
                f"{type(exc).__name__}: {exc}. This is a bug in pytest-connectviews; please "
                "report it with the server's traceback."
            )
        self._record(
            ServerError(
                500, "InternalFailure", f"{method} {target}", message, traceback.format_exc()
            )
        )
        return _error_response(500, "InternalFailure", message)

    def _record(self, error: ServerError) -> None:
        with self._errors_lock:
            self.errors.append(error)
        # Other processes' clients may swallow the error: say it where a developer looks.
        sys.stderr.write(f"{error.status} {error.code} for {error.request_line}: {error.message}\n")
        if error.traceback:
            sys.stderr.write(error.traceback)


def _error_response(
    status: int, code: str, message: str, request_id: str = ""
) -> tuple[int, dict[str, str], bytes]:
    body = json.dumps({"__type": code, "message": message}, separators=(",", ":")).encode()
    headers = {
        "x-amzn-RequestId": request_id or str(uuid.uuid4()),
        "x-amzn-ErrorType": code,
        "Content-Type": "application/json",
    }
    return status, headers, body


class _Headers(Mapping[str, str]):
    """Request headers as a case-insensitive mapping (iteration keeps the names as sent)."""

    def __init__(self, message: Message) -> None:
        self._items: dict[str, tuple[str, str]] = {}
        for name, value in message.items():
            self._items.setdefault(name.lower(), (name, str(value)))

    def __getitem__(self, key: str) -> str:
        return self._items[key.lower()][1]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._items

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)


class _Refused(Exception):
    """A request the HTTP layer answers itself, before the fake sees it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _clip(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "pytest-connectviews"
    timeout = IDLE_TIMEOUT
    # Headers and body are two writes: with Nagle on, delayed ACKs cost ~40 ms per response.
    disable_nagle_algorithm = True
    server: _HTTPServer
    _answered = False
    # Read before parse_request sets them, when the request line never arrived whole.
    command = ""
    path = "/"
    requestline = ""

    # ------------------------------------------------------------------------ the stdlib's paths
    def handle_one_request(self) -> None:
        self._answered = False
        try:
            super().handle_one_request()
        except OSError:
            # the client went away, or stop() shut the socket: nothing to answer
            self.close_connection = True
        except Exception as exc:
            self.close_connection = True
            method = self.command or "-"
            failure = self.server.fake_server._internal_failure(method, self.path or "/", exc)
            if not self._answered:
                with contextlib.suppress(OSError):
                    self._write(*failure)

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if self.request_version == "HTTP/0.9":  # "GET /" without a version: no status line
            self.send_error(400, f"request line {self.requestline!r} has no HTTP version")
            return False
        return True

    def handle_expect_100(self) -> bool:
        # Refuse an oversized body before the client sends it.
        try:
            self._declared_length()
        except _Refused as refused:
            self._refuse(refused)
            return False
        return super().handle_expect_100()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Every error the stdlib answers itself, as a JSON error of the services' format."""
        status = int(code)
        if status == 501 and self.command:
            message = (
                f"method {_clip(self.command)!r} is not supported; AWS SDKs send GET, POST, "
                "PUT, DELETE, PATCH or HEAD"
            )
        elif message is None:
            message = self.responses.get(status, ("error", ""))[0]
        elif explain and explain != message:
            message = f"{message}: {explain}"
        if status == 400:
            message += "; a request line is 'METHOD /path HTTP/1.1'"
        self._refuse(_Refused(status, message))

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.fake_server.log_requests:
            super().log_message(format, *args)

    # ------------------------------------------------------------------------ answering
    def _write(self, status: int, headers: Mapping[str, str], payload: bytes) -> None:
        if self.request_version in ("HTTP/0.9", ""):
            self.request_version = "HTTP/1.1"  # the stdlib omits the status line otherwise
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)
        self._answered = True

    def _refuse(self, refused: _Refused) -> None:
        self.close_connection = True
        code = _HTTP_ERROR_CODES.get(refused.status, "InvalidRequestException")
        message = refused.message
        if not message.startswith("connectviews:"):
            message = f"connectviews: {_clip(message)}"
        self.log_error("code %d, message %s", refused.status, message)
        self._write(*_error_response(refused.status, code, message))
        if refused.status == 413:
            self._linger()

    def _linger(self) -> None:
        """Discard what the client still sends (bounded), so it reads the answer, not a reset."""
        with contextlib.suppress(OSError):
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + _LINGER_SECONDS
            discarded = 0
            while discarded < _LINGER_BYTES:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.connection.settimeout(left)
                data = self.connection.recv(65536)
                if not data:
                    break
                discarded += len(data)

    def _serve(self) -> None:
        try:
            body = self._read_body()
        except _Refused as refused:
            self._refuse(refused)
            return
        status, headers, payload = self.server.fake_server.respond(
            self.command, self.path, _Headers(self.headers), body
        )
        self._write(status, headers, payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve

    # ------------------------------------------------------------------------ the request body
    def _declared_length(self) -> int | None:
        """The Content-Length (None for a chunked body or none), refused when bad or too big."""
        encoding = self.headers.get_all("Transfer-Encoding") or []
        if encoding:
            codings = [c.strip().lower() for v in encoding for c in v.split(",") if c.strip()]
            if codings != ["chunked"]:
                raise _Refused(
                    501, f"Transfer-Encoding {', '.join(encoding)!r} is not supported (chunked is)"
                )
            return None
        values = {v.strip() for v in self.headers.get_all("Content-Length") or []}
        if not values:
            return None
        if len(values) > 1:
            raise _Refused(400, f"conflicting Content-Length headers {sorted(values)!r}")
        text = values.pop()
        if not _LENGTH_RE.fullmatch(text):
            raise _Refused(400, f"Content-Length {_clip(text)!r} is not a number of bytes")
        count = int(text)
        if count > MAX_BODY_BYTES:
            raise _Refused(
                413, f"the request body of {count} bytes is over the limit of {MAX_BODY_BYTES}"
            )
        return count

    def _read_body(self) -> bytes:
        count = self._declared_length()
        if count is None:
            if self.headers.get_all("Transfer-Encoding"):
                return self._read_chunked()
            return b""
        body = self.rfile.read(count)
        if len(body) != count:
            raise _Refused(400, f"the body ended after {len(body)} of {count} declared bytes")
        return body

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            size_text = line.split(b";", 1)[0].strip()
            if not line.endswith(b"\n") or not _CHUNK_SIZE_RE.fullmatch(size_text):
                raise _Refused(400, f"malformed chunk size line {_clip(repr(line))}")
            size = int(size_text, 16)
            if size == 0:
                break
            total += size
            if total > MAX_BODY_BYTES:
                raise _Refused(
                    413, f"the chunked request body is over the limit of {MAX_BODY_BYTES} bytes"
                )
            chunk = self.rfile.read(size)
            if len(chunk) != size or self.rfile.readline(3) not in (b"\r\n", b"\n"):
                raise _Refused(400, "a chunk of the request body is shorter than its size line")
            chunks.append(chunk)
        for _ in range(_MAX_TRAILER_LINES):  # trailers, up to the empty line
            line = self.rfile.readline(65537)
            if line in (b"\r\n", b"\n"):
                return b"".join(chunks)
            if not line.endswith(b"\n"):
                break
        raise _Refused(400, "the chunked request body has no end")


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    # SO_REUSEADDR on Windows would let us bind a port another process listens on.
    allow_reuse_address = os.name != "nt"
    allow_reuse_port = False

    def __init__(self, address: tuple[str, int], fake_server: FakeServer, family: int) -> None:
        self.address_family = family
        self.fake_server = fake_server
        self._connections: set[socket.socket] = set()
        self._connections_changed = threading.Condition()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_changed:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        # Runs at the end of each connection's thread.
        super().shutdown_request(request)
        with self._connections_changed:
            self._connections.discard(request)
            self._connections_changed.notify_all()

    def close_connections(self, timeout: float = 10.0) -> None:
        """End every connection (idle keep-alive ones too) and wait for their threads."""
        with self._connections_changed:
            open_now = list(self._connections)
        for conn in open_now:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        with self._connections_changed:
            self._connections_changed.wait_for(lambda: not self._connections, timeout)

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):
            return  # the client went away or idled out: nothing to report
        # The handler answers its own failures; anything left is the server's bug: one record.
        self.fake_server._internal_failure("-", "/", exc or RuntimeError("unknown error"))


def _bind(fake_server: FakeServer, host: str, port: int) -> _HTTPServer:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return _HTTPServer((host, port), fake_server, family)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE or getattr(exc, "winerror", None) == 10048:
            reason = "the port is already in use; pick another --port, or --port 0 for a free one"
        elif exc.errno == errno.EADDRNOTAVAIL:
            reason = "that address is not one of this machine's; use 127.0.0.1"
        elif exc.errno == errno.EACCES:
            reason = "permission denied; use a port above 1023, or --port 0 for a free one"
        else:
            reason = exc.strerror or str(exc)
        raise OSError(
            exc.errno, f"connectviews: cannot listen on {host}:{port}: {reason}"
        ) from None


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (or ``localhost``)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
