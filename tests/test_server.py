"""Server mode: FakeServer over real HTTP, and the ``pytest-connectviews serve`` command line."""

from __future__ import annotations

import http.client
import json
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from pytest_connectviews import FakeAWS, _transport
from pytest_connectviews.server import FakeServer

INSTANCE = "11111111-2222-3333-4444-555555555555"
CONTENT = {"Template": json.dumps({"Head": {}, "Body": []}), "Actions": []}
NO_RETRIES = Config(retries={"total_max_attempts": 1, "mode": "standard"})
POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def client(url: str, region: str = "us-east-1", key: str = "AKIDEXAMPLE", **kwargs: Any) -> Any:
    return boto3.client(
        "connect",
        region_name=region,
        endpoint_url=url,
        aws_access_key_id=key,
        aws_secret_access_key="secret",
        config=NO_RETRIES,
        **kwargs,
    )


@pytest.fixture
def served() -> Iterator[FakeServer]:
    # No in-process fake may be active here, or botocore would never reach the server.
    assert _transport.current is None
    with FakeServer(FakeAWS()) as server:
        yield server


# ---------------------------------------------------------------------------- FakeServer in-thread
def test_boto3_over_http_shares_state_and_calls_with_the_fake(served: FakeServer) -> None:
    connect = client(served.url)
    created = connect.create_view(
        InstanceId=INSTANCE, Name="Form", Status="PUBLISHED", Content=CONTENT
    )["View"]
    described = connect.describe_view(InstanceId=INSTANCE, ViewId=created["Id"])["View"]

    assert described["Name"] == "Form"
    assert described["Arn"] == created["Arn"]
    assert [c.operation for c in served.fake.calls] == ["CreateView", "DescribeView"]
    assert served.fake.calls[0].params["Name"] == "Form"
    assert served.fake.calls[1].response is not None
    assert served.errors == []


def test_region_and_account_come_from_the_credential_scope(served: FakeServer) -> None:
    connect = client(served.url, region="ap-southeast-2", key="111122223333")
    arn = connect.create_view(InstanceId=INSTANCE, Name="V", Status="SAVED", Content=CONTENT)[
        "View"
    ]["Arn"]

    assert arn.startswith(f"arn:aws:connect:ap-southeast-2:111122223333:instance/{INSTANCE}/view/")
    call = served.fake.calls.last
    assert (call.region, call.account_id) == ("ap-southeast-2", "111122223333")
    # The same name in another region is another view, not a duplicate.
    client(served.url, region="eu-west-1", key="111122223333").create_view(
        InstanceId=INSTANCE, Name="V", Status="SAVED", Content=CONTENT
    )


def test_modeled_errors_keep_status_and_code(served: FakeServer) -> None:
    connect = client(served.url)
    connect.create_view(InstanceId=INSTANCE, Name="Dup", Status="SAVED", Content=CONTENT)

    with pytest.raises(connect.exceptions.DuplicateResourceException) as info:
        connect.create_view(InstanceId=INSTANCE, Name="Dup", Status="SAVED", Content=CONTENT)

    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert served.errors == []


def test_unimplemented_operation_is_501_not_implemented(served: FakeServer) -> None:
    connect = client(served.url)

    with pytest.raises(ClientError) as info:
        connect.list_queues(InstanceId=INSTANCE)

    error = info.value.response
    assert error["Error"]["Code"] == "NotImplemented"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert "ListQueues is not implemented" in error["Error"]["Message"]
    assert [(e.status, e.code) for e in served.errors] == [(501, "NotImplemented")]
    # recorded like an in-process unhandled call, with the request id of the 501
    call = served.fake.calls.one("ListQueues", source="unhandled")
    assert (call.status_code, call.error_code) == (501, "NotImplemented")
    assert served.errors[0].request_id == call.request_id
    assert error["ResponseMetadata"]["RequestId"] == call.request_id


def test_a_bug_in_the_fake_is_500_internal_failure(
    served: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(ctx: Any, params: Any) -> dict[str, Any]:
        raise RuntimeError("boom")

    served.fake._pipeline.dispatcher.state("connect").handlers["ListViews"] = broken

    with pytest.raises(ClientError) as info:
        client(served.url).list_views(InstanceId=INSTANCE)

    error = info.value.response
    assert error["Error"]["Code"] == "InternalFailure"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert error["Error"]["Message"].startswith("connectviews: ")
    assert "ListViews" in error["Error"]["Message"]
    assert "boom" in error["Error"]["Message"]
    assert served.errors[0].code == "InternalFailure"
    assert "RuntimeError: boom" in capsys.readouterr().err  # the traceback, server side


def test_keep_alive_and_chunked_request_bodies(served: FakeServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    try:
        conn.request("GET", "/views/x")  # unsigned: the server cannot tell the service
        first = conn.getresponse()
        body = json.loads(first.read())
        assert first.status == 501
        assert body["__type"] == "NotImplemented"
        assert "Sign the request with SigV4" in body["message"]
        local = conn.sock.getsockname()

        auth = (
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/eu-west-1/connect/aws4_request, "
            "SignedHeaders=host, Signature=0"
        )
        payload = json.dumps({"Name": "Chunky", "Status": "SAVED", "Content": CONTENT}).encode()
        chunks = iter([payload[:10], payload[10:]])
        conn.request(
            "PUT",
            f"/views/{INSTANCE}",
            body=chunks,
            headers={"Authorization": auth, "Content-Type": "application/json"},
            encode_chunked=True,
        )
        second = conn.getresponse()
        view = json.loads(second.read())["View"]
        assert conn.sock.getsockname() == local  # the same connection answered both
    finally:
        conn.close()

    assert second.status == 200
    assert view["Name"] == "Chunky"
    assert view["Arn"].startswith("arn:aws:connect:eu-west-1:123456789012:")


def test_start_fails_fast_when_the_port_is_taken() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(OSError, match=f"connectviews: cannot listen on 127.0.0.1:{port}: the"):
            FakeServer(FakeAWS(), port=port).start()


def test_stop_closes_idle_keep_alive_connections(served: FakeServer) -> None:
    port = served.port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/views/x")
        conn.getresponse().read()
        stopper = threading.Thread(target=served.stop)
        stopper.start()
        stopper.join(5)
        assert not stopper.is_alive(), "stop() waited for an idle keep-alive client"
    finally:
        conn.close()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


# ---------------------------------------------------------------------------- the command line
def serve(*args: str) -> tuple[subprocess.Popen[str], str]:
    """Start ``python -m pytest_connectviews serve``; return the process and its first line."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest_connectviews", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(proc.stdout.readline()))  # type: ignore[union-attr]
    reader.start()
    reader.join(30)
    if not lines:
        proc.kill()
        proc.communicate()
        pytest.fail("connectviews serve printed nothing within 30 s")
    return proc, lines[0]


@pytest.fixture(scope="module")
def cli_server() -> Iterator[str]:
    assert _transport.current is None
    proc, first = serve("--port", "0")
    try:
        assert first.startswith("listening on http://127.0.0.1:"), first
        yield first.split()[-1]
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err


def test_cli_prints_listening_line_first_and_answers_boto3(cli_server: str) -> None:
    port = int(cli_server.rsplit(":", 1)[1])
    assert port > 0
    connect = client(cli_server)
    connect.create_view(InstanceId=INSTANCE, Name="Hello", Status="SAVED", Content=CONTENT)
    names = [
        v["Name"]
        for v in connect.list_views(InstanceId=INSTANCE, Type="CUSTOMER_MANAGED")[
            "ViewsSummaryList"
        ]
    ]
    assert "Hello" in names


def test_cli_answers_concurrent_requests(cli_server: str) -> None:
    instance = "22222222-3333-4444-5555-666666666666"

    def work(worker: int) -> list[str]:
        connect = client(cli_server)
        return [
            connect.create_view(
                InstanceId=instance, Name=f"w{worker}-{i}", Status="SAVED", Content=CONTENT
            )["View"]["Id"]
            for i in range(10)
        ]

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = [view_id for batch in pool.map(work, range(8)) for view_id in batch]

    assert len(set(ids)) == 80
    listed = client(cli_server).list_views(InstanceId=instance, Type="CUSTOMER_MANAGED")
    assert len(listed["ViewsSummaryList"]) == 80


def test_cli_unimplemented_operation_is_501(cli_server: str) -> None:
    with pytest.raises(ClientError) as info:
        client(cli_server).list_queues(InstanceId=INSTANCE)
    assert info.value.response["Error"]["Code"] == "NotImplemented"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501


def test_cli_port_taken_exits_nonzero_with_a_clear_message() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "pytest_connectviews", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith(
        f"connectviews: cannot listen on 127.0.0.1:{port}: the port is already in use"
    )
    assert "Traceback" not in done.stderr


def control_status(url: str, path: str, token: str | None = None) -> int:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        headers = {} if token is None else {"X-Connectviews-Token": token}
        conn.request("POST", f"/_connectviews/{path}", body=b"{}", headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@pytest.mark.parametrize("given_as", ["flag", "environment"])
def test_cli_control_token_guards_the_control_api(
    given_as: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CONNECTVIEWS_CONTROL_TOKEN", raising=False)
    args: tuple[str, ...] = ("--control-token", "t0k3n")
    if given_as == "environment":
        monkeypatch.setenv("CONNECTVIEWS_CONTROL_TOKEN", "t0k3n")
        args = ()
    proc, first = serve("--port", "0", *args)
    try:
        url = first.split()[-1]
        assert control_status(url, "reset") == 401
        assert control_status(url, "reset", token="t0k3n") == 200
        client(url).list_views(InstanceId=INSTANCE)  # AWS requests need no token
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert err == ""  # loopback: no warning


@pytest.mark.parametrize(
    ("token", "advice"),
    [([], "pass --control-token"), (["--control-token", "x"], "the control API needs the control")],
)
def test_cli_warns_when_the_address_is_not_loopback(token: list[str], advice: str) -> None:
    # Pretend 127.0.0.1 is another interface: the test never binds a reachable address.
    code = (
        "import sys, pytest_connectviews.server.cli as cli; cli.is_loopback = lambda host: False; "
        "sys.exit(cli.main(sys.argv[1:]))"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--port", "0", *token],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    try:
        assert proc.stdout.readline().startswith("listening on http://127.0.0.1:")
        warning = proc.stderr.readline()
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
    assert warning.startswith("connectviews: warning: serving on 127.0.0.1, not loopback")
    assert advice in warning


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.10", False),
        ("::", False),
        ("example.com", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    from pytest_connectviews.server.httpd import is_loopback

    assert is_loopback(host) is loopback


def test_cli_rejects_a_bad_region() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest_connectviews", "serve", "--region", "mars"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("connectviews: region must look like 'us-east-1'")


@POSIX_ONLY
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_cli_shuts_down_cleanly_on_signals(signum: int) -> None:
    proc, first = serve()
    url = first.split()[-1]
    # an open keep-alive connection must not hold the shutdown up
    conn = http.client.HTTPConnection(
        url.removeprefix("http://").split(":")[0], int(url.rsplit(":", 1)[1])
    )
    try:
        conn.request("GET", "/")
        assert conn.getresponse().read()
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=30)
    finally:
        conn.close()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=2).close()


def test_small_responses_are_not_held_back_by_nagle(served: FakeServer) -> None:
    # Headers and body leave in two writes; with Nagle's algorithm on, each response waits for
    # the client's delayed ACK (~40 ms on Linux): 20 requests would take 0.8 s or more.
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    try:
        started = time.perf_counter()
        for _ in range(20):
            conn.request("GET", "/views/x")
            conn.getresponse().read()
        elapsed = time.perf_counter() - started
    finally:
        conn.close()
    assert elapsed < 0.6, f"20 keep-alive requests took {elapsed:.2f} s"
