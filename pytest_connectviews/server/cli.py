"""``pytest-connectviews serve``: one ``FakeServer`` in the foreground until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from .._defaults import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from ..fake import FakeAWS
from .control import TOKEN_HEADER
from .httpd import FakeServer, is_loopback

#: The environment variable that sets the control token when ``--control-token`` is not given.
TOKEN_ENV = "CONNECTVIEWS_CONTROL_TOKEN"


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
        "'listening on http://HOST:PORT'. Tests in any language seed, inject errors, throttle, "
        "move the clock and read the calls through the JSON control API under "
        "http://HOST:PORT/_connectviews/ (see the README).",
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
    serve.add_argument(
        "--control-token",
        metavar="TOKEN",
        default=None,
        help=f"require this token in the {TOKEN_HEADER} header of control API requests "
        f"(/_connectviews/...; health excepted); default: ${TOKEN_ENV}, else no token",
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
        token = args.control_token if args.control_token is not None else os.environ.get(TOKEN_ENV)
        server = FakeServer(
            fake,
            host=args.host,
            port=args.port,
            log_requests=args.verbose,
            control_token=token or None,
        )
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
        if not is_loopback(args.host):
            risk = (
                "can call the fake's AWS operations (they are not authenticated); the control "
                "API needs the control token"
                if token
                else "can read and change the fake's state; pass --control-token (or set "
                f"{TOKEN_ENV}) to guard the control API"
            )
            print(
                f"connectviews: warning: serving on {args.host}, not loopback: anyone who can "
                f"reach this address {risk}.",
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
