"""Server mode's HTTP layer under hostile input: every answer a well-formed HTTP/1.1 response with
a JSON error body, bodies over the cap refused unread, slow clients blocking no one, and a bounded
fuzz of malformed requests on loopback that leaves no traceback in the server's log."""

from __future__ import annotations

import json
import random
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from pytest_connectviews import FakeAWS, _transport
from pytest_connectviews.server import MAX_BODY_BYTES, FakeServer

INSTANCE = "11111111-2222-3333-4444-555555555555"
CONTENT = {"Template": json.dumps({"Head": {}, "Body": []}), "Actions": []}
SIGNED = (
    "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/connect/"
    "aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcd\r\n"
)
STATUS_RE = re.compile(rb"HTTP/1\.1 ([0-9]{3}) [^\r\n]*")


def connect_client(url: str) -> Any:
    return boto3.client(
        "connect",
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


@pytest.fixture
def served() -> Iterator[FakeServer]:
    assert _transport.current is None
    with FakeServer(FakeAWS()) as server:
        yield server


def exchange(port: int, data: bytes, *, timeout: float = 10.0, half_close: bool = True) -> bytes:
    """Send ``data`` on a fresh loopback connection; return all the server sends until it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        received = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                return received
            received += chunk
    return received


def responses(stream: bytes) -> list[tuple[int, dict[str, str], bytes]]:
    """Split what a server sent into HTTP/1.1 responses, failing on anything malformed."""
    found = []
    while stream:
        head, sep, rest = stream.partition(b"\r\n\r\n")
        assert sep, f"response head without its blank line: {stream[:200]!r}"
        lines = head.split(b"\r\n")
        match = STATUS_RE.fullmatch(lines[0])
        assert match, f"not an HTTP/1.1 status line: {lines[0][:200]!r}"
        status = int(match.group(1))
        headers = {}
        for line in lines[1:]:
            name, colon, value = line.partition(b":")
            assert colon, f"malformed header line {line!r}"
            headers[name.decode().lower()] = value.decode().strip()
        if status == 100:
            stream = rest
            continue
        length = int(headers["content-length"])
        body, stream = rest[:length], rest[length:]
        assert len(body) == length, "body shorter than its Content-Length"
        found.append((status, headers, body))
    return found


def one_json_error(stream: bytes) -> tuple[int, dict[str, Any]]:
    [(status, headers, body)] = responses(stream)
    assert headers["content-type"] == "application/json"
    document = json.loads(body)
    assert headers["x-amzn-errortype"] == document["__type"]
    assert document["message"].startswith("connectviews: ")
    return status, document


@pytest.mark.parametrize(
    ("request_bytes", "status", "code"),
    [
        (b"garbage\r\n\r\n", 400, "InvalidRequestException"),
        (b"\x00\x01\x02\xff\xfe junk \x80\r\n\r\n", 400, "InvalidRequestException"),
        (b"GET / HTTP/9.9\r\n\r\n", 505, "HttpVersionNotSupportedException"),
        (b"GET / HTTP/x.y\r\n\r\n", 400, "InvalidRequestException"),
        (b"GET /\r\n\r\n", 400, "InvalidRequestException"),
        (b"OPTIONS / HTTP/1.1\r\nHost: x\r\n\r\n", 501, "NotImplemented"),
        (b"BREW /pot HTTP/1.1\r\n\r\n", 501, "NotImplemented"),
        (b"GET /views/x HTTP/1.1\r\n\r\n", 501, "NotImplemented"),
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414, "RequestUriTooLongException"),
        (b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 101 + b"\r\n", 431, "RequestHeaderFields"),
        (b"GET / HTTP/1.1\r\nX: " + b"y" * 70_000 + b"\r\n\r\n", 431, "RequestHeaderFields"),
        (b"GET http://[::1/ HTTP/1.1\r\n\r\n", 400, "InvalidRequestException"),
        (b"POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n", 400, "InvalidRequestException"),
        (b"POST / HTTP/1.1\r\nContent-Length: 1_0\r\n\r\n", 400, "InvalidRequestException"),
        (b"POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nab", 400, "Invalid"),
        (b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc", 400, "InvalidRequestException"),
        (b"POST / HTTP/1.1\r\nContent-Length: 1000000000000\r\n\r\n", 413, "RequestEntityTooLarge"),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501, "NotImplemented"),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400, "InvalidRequest"),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\n", 400, "InvalidRequest"),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", 400, "InvalidRequest"),
        (
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFF\r\n",
            413,
            "RequestEntityTooLarge",
        ),
    ],
)
def test_malformed_requests_get_a_well_formed_json_error(
    served: FakeServer,
    capsys: pytest.CaptureFixture[str],
    request_bytes: bytes,
    status: int,
    code: str,
) -> None:
    answered, document = one_json_error(exchange(served.port, request_bytes))

    assert answered == status
    assert document["__type"].startswith(code)
    assert "Traceback" not in capsys.readouterr().err
    assert [e for e in served.errors if e.status == 500] == []
    # The server keeps serving.
    connect_client(served.url).list_views(InstanceId=INSTANCE)


def test_a_modeled_400_is_raised_by_botocore_as_invalid_request(served: FakeServer) -> None:
    status, document = one_json_error(exchange(served.port, b"garbage\r\n\r\n"))
    assert (status, document["__type"]) == (400, "InvalidRequestException")
    assert "METHOD /path HTTP/1.1" in document["message"]


def test_an_oversized_body_is_refused_before_it_is_sent(served: FakeServer) -> None:
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
        sock.sendall(
            b"PUT /views/x HTTP/1.1\r\nHost: x\r\n"
            + f"Content-Length: {MAX_BODY_BYTES + 1}\r\n".encode()
            + b"Expect: 100-continue\r\n\r\n"
        )
        # No "100 Continue": the refusal comes first, while the client still holds the body.
        head = sock.recv(65536)
    assert head.startswith(b"HTTP/1.1 413 ")


def test_a_declared_body_over_the_cap_is_not_waited_for(served: FakeServer) -> None:
    # Nothing after the headers, and the connection stays open: an answer proves no read.
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000000\r\n\r\n")
        received = b""
        while b"\r\n\r\n" not in received or not received.endswith(b"}"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
    status, document = one_json_error(received)
    assert (status, document["__type"]) == (413, "RequestEntityTooLargeException")
    assert str(MAX_BODY_BYTES) in document["message"]


def test_a_body_over_the_cap_sent_at_once_still_gets_its_413(served: FakeServer) -> None:
    body = b"x" * (MAX_BODY_BYTES + 1024)
    request = (
        b"POST / HTTP/1.1\r\nHost: x\r\n" + f"Content-Length: {len(body)}\r\n\r\n".encode() + body
    )
    status, _ = one_json_error(exchange(served.port, request, timeout=30))
    assert status == 413


def test_a_body_at_the_cap_is_accepted(served: FakeServer) -> None:
    body = b"{" + b" " * (MAX_BODY_BYTES - 2) + b"}"
    request = (
        b"POST /_connectviews/reset HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    [(status, _, answer)] = responses(exchange(served.port, request, timeout=30))
    assert (status, json.loads(answer)) == (200, {"status": "ok"})


def test_keep_alive_survives_a_control_error_but_not_a_protocol_error(served: FakeServer) -> None:
    two = (
        b"GET /_connectviews/nope HTTP/1.1\r\nHost: x\r\n\r\n"
        b"GET /_connectviews/health HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    assert [s for s, _, _ in responses(exchange(served.port, two))] == [404, 200]
    broken = (
        b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n"
        b"GET /_connectviews/health HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    [(status, headers, _)] = responses(exchange(served.port, broken))
    assert (status, headers["connection"]) == (400, "close")


def test_slow_and_idle_clients_do_not_block_others(served: FakeServer) -> None:
    stalled = []
    try:
        for partial in (
            b"GET /_connectviews/hea",  # half a request line
            b"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nab",  # half a body
            b"",  # connected, silent
        ):
            sock = socket.create_connection(("127.0.0.1", served.port), timeout=10)
            stalled.append(sock)
            sock.sendall(partial)
        connect = connect_client(served.url)
        for n in range(5):
            connect.create_view(InstanceId=INSTANCE, Name=f"V{n}", Status="SAVED", Content=CONTENT)
        assert len(served.fake.calls) == 5
    finally:
        for sock in stalled:
            sock.close()


# ---------------------------------------------------------------------------- bounded fuzz
FUZZ_CASES = 250
FUZZ_SECONDS = 60.0
AWS_PATHS = [
    f"/views/{INSTANCE}",
    f"/views/{INSTANCE}/00000000-0000-0000-0000-000000000000",
    f"/views/{INSTANCE}/x/versions",
    "/tags/arn:aws:connect:us-east-1:123456789012:instance/x",
    "/CreateWorkflow",
    "/ListWorkflows",
    "/_connectviews/errors",
    "/_connectviews/clock",
    "/_connectviews/calls?since=1",
    "/_connectviews/quotas/connect.views_per_instance",
    "/",
    "*",
]
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "X\x00"]
BODIES = [
    b"",
    b"{}",
    b'{"Name": "x", "Status": "SAVED", "Content": {"Template": "{}", "Actions": []}}',
    b'{"operation": "ListViews", "code": "AccessDeniedException", "times": null}',
    b'{"advance": 1e308}',
    b'{"freeze": true, "at": 1e400}',
    b'{"value": 99999999999999999999999}',
    b"[1,2,3]",
    b"\xff\xfe\x00\x00",
    b'{"Name": "' + b"\xc3\xa9" * 300 + b'"}',
]


def fuzz_request(rng: random.Random) -> bytes:
    body = rng.choice(BODIES)
    method = rng.choice(METHODS)
    path = rng.choice(AWS_PATHS)
    version = rng.choice(["HTTP/1.1"] * 6 + ["HTTP/1.0", "HTTP/2.0", "HTTP/1", "", "http/1.1"])
    headers = "Host: 127.0.0.1\r\nContent-Type: application/json\r\n"
    if rng.random() < 0.7:
        headers += SIGNED
    length = rng.choice([len(body)] * 5 + [0, len(body) + 7, -1, 10**15])
    if length >= 0:
        headers += f"Content-Length: {length}\r\n"
    if rng.random() < 0.1:
        headers += "Transfer-Encoding: chunked\r\n"
        body = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    data = f"{method} {path} {version}".rstrip().encode() + b"\r\n" + headers.encode() + b"\r\n"
    data += body
    mutation = rng.random()
    if mutation < 0.25:  # flip bytes
        raw = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        data = bytes(raw)
    elif mutation < 0.35:  # truncate
        data = data[: rng.randrange(1, len(data))]
    elif mutation < 0.45:  # junk
        data = bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))
    return data


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals stop the server")
def test_bounded_fuzz_of_malformed_requests_leaves_a_clean_log(tmp_path: Path) -> None:
    log = (tmp_path / "server.log").open("w+")  # a pipe nobody reads would fill and stall it
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest_connectviews", "serve", "--port", "0", "-v"],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("listening on http://127.0.0.1:"), first
        url = first.split()[-1]
        port = int(url.rsplit(":", 1)[1])
        rng = random.Random(14)
        deadline = time.monotonic() + FUZZ_SECONDS
        unanswered = 0
        for case in range(FUZZ_CASES):
            if time.monotonic() > deadline:
                break
            data = fuzz_request(rng)
            received = exchange(port, data, timeout=10)
            if not received:
                # only a request that never had a request line goes unanswered
                assert not data.split(b"\n", 1)[0].strip(), (case, data[:200])
                unanswered += 1
                continue
            for status, headers, body in responses(received):
                assert 200 <= status < 600, (case, data[:200])
                if body:
                    assert headers["content-type"] == "application/json", (case, body[:200])
                    json.loads(body)
        # Still serving, concurrently too.
        connect = connect_client(url)
        threads = [
            threading.Thread(target=connect.list_views, kwargs={"InstanceId": INSTANCE})
            for _ in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
        log.seek(0)
        err = log.read()
        log.close()
    assert proc.returncode == 0, err
    assert "Traceback" not in err, err[-3000:]
    assert "Exception occurred" not in err, err[-3000:]
    assert "500 InternalFailure" not in err, err[-3000:]
    assert unanswered < FUZZ_CASES // 10
