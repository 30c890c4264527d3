"""The ``connectviews_server`` fixture: the test's own fake, served to subprocesses."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from typing import Any

import pytest

from pytest_connectviews import FakeAWS
from pytest_connectviews.server import FakeServer

INSTANCE = "11111111-2222-3333-4444-555555555555"
# Inner runs: fixed order; no pytest-benchmark (it warns inside xdist workers, an error here).
INNER = ("-p", "no:randomly", "-p", "no:benchmark")

SUBPROCESS = textwrap.dedent(
    """
    import json, sys
    import boto3  # no endpoint_url, no credentials: everything comes from the environment

    connect = boto3.client("connect")
    view = connect.create_view(
        InstanceId=sys.argv[1], Name="FromSubprocess", Status="PUBLISHED",
        Content={"Template": json.dumps({"Head": {}, "Body": []}), "Actions": []},
    )["View"]
    print(view["Id"])
    """
)


def test_a_subprocess_sdk_reaches_the_tests_fake(
    connectviews: FakeAWS, connectviews_server: FakeServer, connect_client: Any
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SUBPROCESS, INSTANCE],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    view_id = done.stdout.strip()

    # The same state: the in-process client sees what the subprocess created...
    view = connect_client.describe_view(InstanceId=INSTANCE, ViewId=view_id)["View"]
    assert view["Name"] == "FromSubprocess"
    # ...and the calls of both are in one log.
    created = connectviews.calls.one("CreateView")
    assert created.params["Name"] == "FromSubprocess"
    assert (created.region, created.account_id) == (connectviews.region, connectviews.account_id)
    assert [c.operation for c in connectviews.calls] == ["CreateView", "DescribeView"]
    assert connectviews_server.fake is connectviews


CONTROL_SUBPROCESS = textwrap.dedent(
    """
    import json, os, sys, urllib.request

    def control(method, path, body=None):
        request = urllib.request.Request(
            os.environ["CONNECTVIEWS_URL"] + path, method=method,
            data=None if body is None else json.dumps(body).encode(),
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)

    print(control("POST", "/instances", {"instance_id": sys.argv[1]})["instance_id"])
    control("POST", "/errors", {"operation": "CreateView", "code": "AccessDeniedException"})
    calls = control("GET", "/calls?operation=ListViews")
    print(json.dumps(calls))
    """
)


def test_the_control_api_drives_the_tests_own_fake(
    connectviews: FakeAWS, connectviews_server: FakeServer, connect_client: Any
) -> None:
    connect_client.list_views(InstanceId=INSTANCE)  # in-process, before the subprocess runs

    done = subprocess.run(
        [sys.executable, "-c", CONTROL_SUBPROCESS, INSTANCE],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    declared, calls = done.stdout.splitlines()
    assert declared == INSTANCE
    # The subprocess saw the in-process call in the one log...
    listed = json.loads(calls)
    assert [c["operation"] for c in listed["calls"]] == ["ListViews"]
    assert listed["next"] == 1
    # ...and what it seeded and injected is the in-process fake's state.
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
        connect_client.list_views(InstanceId="99999999-2222-3333-4444-555555555555")
    with pytest.raises(connect_client.exceptions.AccessDeniedException):
        connect_client.create_view(
            InstanceId=INSTANCE, Name="V", Status="SAVED", Content={"Template": "{}"}
        )
    assert os.environ["CONNECTVIEWS_URL"] == f"{connectviews_server.url}/_connectviews"


@pytest.fixture
def developer_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "production")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "real-session-token")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALKEY")


@pytest.mark.connectviews(region="eu-central-1")
@pytest.mark.usefixtures("developer_profile")
def test_environment_points_at_the_server_and_hides_real_config(
    connectviews_server: FakeServer,
) -> None:
    url = connectviews_server.url
    assert url == f"http://127.0.0.1:{connectviews_server.port}"
    for env in (os.environ, connectviews_server.env):
        assert env["AWS_ENDPOINT_URL_CONNECT"] == url
        assert env["AWS_ENDPOINT_URL_IMAGEBUILDER"] == url
        assert env["AWS_DEFAULT_REGION"] == "eu-central-1"
        assert env["AWS_ACCESS_KEY_ID"] != "AKIAREALKEY"
        assert "AWS_PROFILE" not in env
        assert "AWS_SESSION_TOKEN" not in env
        assert not os.path.exists(env["AWS_CONFIG_FILE"])
        assert not os.path.exists(env["AWS_SHARED_CREDENTIALS_FILE"])
    assert "PATH" in connectviews_server.env  # a full environment for subprocess.run(env=...)


def test_teardown_restores_the_environment(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(
        """
        import os

        def test_with_server(connectviews_server):
            assert os.environ["AWS_ENDPOINT_URL_CONNECT"] == connectviews_server.url

        def test_after():
            assert "AWS_ENDPOINT_URL_CONNECT" not in os.environ
            assert os.environ.get("AWS_PROFILE") == "developer"
        """
    )
    monkeypatch.setenv("AWS_PROFILE", "developer")
    monkeypatch.delenv("AWS_ENDPOINT_URL_CONNECT", raising=False)
    result = pytester.runpytest(*INNER)
    result.assert_outcomes(passed=2)


UNHANDLED = """
    import http.client, json

    AUTH = (
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/connect/aws4_request, "
        "SignedHeaders=host, Signature=0"
    )

    def list_queues(url):
        host, port = url.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port))
        conn.request("GET", "/queues-summary/11111111-2222-3333-4444-555555555555",
                     headers={"Authorization": AUTH})
        response = conn.getresponse()
        body = json.loads(response.read())
        conn.close()
        return response.status, body["__type"]
"""


def test_an_unimplemented_operation_fails_the_test_at_teardown(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        UNHANDLED
        + """
    import pytest

    def test_swallowed(connectviews_server):
        assert list_queues(connectviews_server.url) == (501, "NotImplemented")

    @pytest.mark.connectviews(assert_all_calls_handled=False)
    def test_expected(connectviews_server):
        assert list_queues(connectviews_server.url) == (501, "NotImplemented")
        assert connectviews_server.errors[0].request_line.startswith("GET /queues-summary/")
        assert connectviews_server.errors[0].request_id

    def test_failing_anyway(connectviews_server):
        list_queues(connectviews_server.url)
        assert False, "the test's own failure"

    def test_unsigned(connectviews_server):
        host, port = connectviews_server.url.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port))
        conn.request("GET", "/instance/x")
        assert conn.getresponse().status == 501
        conn.close()
    """
    )
    result = pytester.runpytest(*INNER)
    result.assert_outcomes(passed=3, failed=1, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_swallowed*",
            "connectviews: these calls were answered by nothing (UnhandledOperationError was "
            "raised, even if the code under test caught it):",
            "  - connect ListQueues (1 attempt). Answer it with a canned response: "
            "connectviews.add_response('list_queues', {*",
            "*assert_all_calls_handled=False*",
        ]
    )
    # a request the fake could not even route is the server fixture's to report
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_unsigned*",
            "*connectviews: the server answered requests the fake could not handle:",
            "*501 NotImplemented for GET /instance/x: connectviews: cannot tell which service*",
            "*check and clear connectviews_server.errors*",
        ]
    )
    assert "ERROR at teardown of test_failing_anyway" not in result.stdout.str()
    assert "ERROR at teardown of test_expected" not in result.stdout.str()


def test_each_xdist_worker_serves_its_own_fake(pytester: pytest.Pytester) -> None:
    if importlib.util.find_spec("xdist") is None:
        pytest.fail(
            "connectviews: this test needs pytest-xdist (in the 'test' extra)", pytrace=False
        )
    pytester.makepyfile(
        """
        import http.client, json, os
        import pytest

        AUTH = (
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/connect/aws4_request, "
            "SignedHeaders=host, Signature=0"
        )

        @pytest.mark.parametrize("n", range(4))
        def test_create(connectviews_server, n):
            conn = http.client.HTTPConnection("127.0.0.1", connectviews_server.port)
            body = {"Name": "Same", "Status": "SAVED", "Content": {"Template": "{}", "Actions": []}}
            conn.request("PUT", "/views/11111111-2222-3333-4444-555555555555",
                         body=json.dumps(body), headers={"Authorization": AUTH})
            status = conn.getresponse().status
            conn.close()
            assert status == 200  # a shared fake would answer 409 for the same name
            assert len(connectviews_server.fake.calls) == 1
            assert os.environ["PYTEST_XDIST_WORKER"].startswith("gw")
        """
    )
    result = pytester.runpytest_subprocess(*INNER, "-n", "2")
    result.assert_outcomes(passed=4)
