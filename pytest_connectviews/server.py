"""Server mode: the same fake behind a real HTTP server, for code under test in another process.

``FakeServer`` feeds the fake's request pipeline from the standard library's
``ThreadingHTTPServer`` (one thread per connection, HTTP/1.1 keep-alive). The fake is not
``start()``-ed for this: ``start`` patches botocore in *this* process, which the server does not
need. Service, region and account
come from the request's SigV4 credential scope, exactly as in-process.

Outcomes the fake cannot express as a service error become JSON error responses botocore (and any
AWS SDK) parses: an operation the fake does not implement is a 501 ``NotImplemented``, a bug in the
fake is a 500 ``InternalFailure``. Both are also kept in ``FakeServer.errors``.

The console script ``pytest-connectviews serve`` (and ``python -m pytest_connectviews serve``) runs
one in the foreground until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import http.server
import ipaddress
import json
import os
import signal
import socket
import sys
import threading
import traceback
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from email.message import Message
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

from ._defaults import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from .errors import UnhandledOperationError
from .fake import FakeAWS

#: Idle keep-alive connections are closed after this many seconds.
IDLE_TIMEOUT = 60.0

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

__all__ = ["FakeServer", "ServerError", "main"]


@dataclass(frozen=True)
class ServerError:
    """A request the server answered with 501 ``NotImplemented`` or 500 ``InternalFailure``."""

    status: int
    code: str
    request_line: str
    message: str
    #: the formatted traceback for a 500, "" for a 501.
    traceback: str = ""


class FakeServer:
    """Serve a ``FakeAWS`` over HTTP on a background thread.

    :param fake: the fake whose state and recorded calls the server shares (not started by this).
    :param host: the address to bind; loopback by default.
    :param port: the port to bind; 0 picks a free one (see ``port`` after ``start``).
    :param log_requests: write one access-log line per request to stderr.

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
    def env_vars(self) -> dict[str, str]:
        """Variables pointing the AWS CLI and AWS SDKs at this server, with dummy credentials."""
        from ._models import all_facts

        endpoints = {facts.endpoint_env_var: self.url for facts in all_facts()}
        return {
            **endpoints,
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
        """Answer one HTTP request: status, headers and body (the server calls this per request)."""
        from .wire import WireRequest

        parts = urlsplit(target)
        request = WireRequest(method, parts.path or "/", parts.query, headers, body)
        host = headers.get("Host") or ""
        try:
            response = self.fake._pipeline.handle(request, host=host.rsplit(":", 1)[0])
        except UnhandledOperationError as exc:
            message = str(exc)
            if exc.service == "unknown":
                message = (
                    f"connectviews: cannot tell which service {method} {parts.path} is for. Sign "
                    "the request with SigV4 (any credentials) for service 'connect' or "
                    "'imagebuilder', as every AWS SDK and the AWS CLI do."
                )
            self._record(ServerError(501, "NotImplemented", f"{method} {target}", message))
            return _error_response(501, "NotImplemented", message)
        except Exception as exc:
            message = str(exc)
            if not message.startswith("connectviews:"):
                message = (
                    f"connectviews: the fake failed on {method} {parts.path} with "
                    f"{type(exc).__name__}: {exc}. This is a bug in pytest-connectviews; please "
                    "report it with the server's traceback."
                )
            self._record(
                ServerError(
                    500, "InternalFailure", f"{method} {target}", message, traceback.format_exc()
                )
            )
            return _error_response(500, "InternalFailure", message)
        return response.status, response.headers, response.body

    def _record(self, error: ServerError) -> None:
        with self._errors_lock:
            self.errors.append(error)
        # Other processes' clients may swallow the error: say it where a developer looks.
        sys.stderr.write(f"{error.status} {error.code} for {error.request_line}: {error.message}\n")
        if error.traceback:
            sys.stderr.write(error.traceback)


def _error_response(status: int, code: str, message: str) -> tuple[int, dict[str, str], bytes]:
    body = json.dumps({"__type": code, "message": message}, separators=(",", ":")).encode()
    headers = {
        "x-amzn-RequestId": str(uuid.uuid4()),
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


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "pytest-connectviews"
    timeout = IDLE_TIMEOUT
    # Headers and body are two writes: with Nagle on, delayed ACKs cost ~40 ms per response.
    disable_nagle_algorithm = True
    server: _HTTPServer

    def _serve(self) -> None:
        try:
            body = self._read_body()
        except ValueError as exc:
            self.send_error(400, f"connectviews: {exc}")
            return
        fake_server = self.server.fake_server
        status, headers, payload = fake_server.respond(
            self.command, self.path, _Headers(self.headers), body
        )
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            while True:
                size_line = self.rfile.readline(65537)
                try:
                    size = int(size_line.split(b";", 1)[0].strip(), 16)
                except ValueError:
                    raise ValueError("malformed chunked request body") from None
                if size == 0:
                    # trailers, up to the empty line
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(3)
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            count = int(length)
        except ValueError:
            raise ValueError(f"Content-Length {length!r} is not a number") from None
        if count < 0:
            raise ValueError(f"Content-Length {length!r} is negative")
        return self.rfile.read(count)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.fake_server.log_requests:
            super().log_message(format, *args)


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
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return  # the client went away or idled out: nothing to report
        super().handle_error(request, client_address)


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


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# ---------------------------------------------------------------------------- the command line
def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pytest-connectviews",
        description="The pytest-connectviews fake of Amazon Connect views and EC2 Image Builder "
        "workflows, as a local HTTP endpoint for the AWS CLI and any AWS SDK.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    serve = commands.add_parser(
        "serve",
        help="serve the fake over HTTP until SIGINT/SIGTERM",
        description="Serve the fake over HTTP. Point clients at it with "
        "AWS_ENDPOINT_URL_CONNECT / AWS_ENDPOINT_URL_IMAGEBUILDER (or --endpoint-url) and any "
        "credentials; region and account come from each request's SigV4 credential scope "
        "(a 12-digit access key id selects that account). The first line printed is "
        "'listening on http://HOST:PORT'.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=0, help="port to bind (default 0: a free port)")
    serve.add_argument(
        "--region",
        default=DEFAULT_REGION,
        help=f"region for requests without a SigV4 credential scope (default {DEFAULT_REGION})",
    )
    serve.add_argument(
        "--account-id",
        default=DEFAULT_ACCOUNT_ID,
        help="account for requests whose access key id is not 12 digits "
        f"(default {DEFAULT_ACCOUNT_ID})",
    )
    serve.add_argument(
        "--strict-instances",
        action="store_true",
        help="answer ResourceNotFoundException for Connect instances never used before "
        "(off by default: any well-formed InstanceId is accepted)",
    )
    serve.add_argument("-v", "--verbose", action="store_true", help="log every request to stderr")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The ``pytest-connectviews`` console script; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        fake = FakeAWS(
            account_id=args.account_id, region=args.region, strict_instances=args.strict_instances
        )
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    try:
        server = FakeServer(fake, host=args.host, port=args.port, log_requests=args.verbose)
        server.start()
    except (OSError, ValueError) as exc:
        print(exc.strerror if isinstance(exc, OSError) else exc, file=sys.stderr)
        return 1
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        print(f"listening on {server.url}", flush=True)
        if not _is_loopback(args.host):
            print(
                f"connectviews: warning: serving on {args.host}, not loopback: anyone who can "
                "reach this address can read and change the fake's state.",
                file=sys.stderr,
                flush=True,
            )
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
