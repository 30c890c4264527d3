"""The botocore seam: which clients the fake answers, credentials, routing, passthrough, backoff."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config

from pytest_connectviews import BlockedRequestError, FakeAWS, UnhandledOperationError

INSTANCE = "inst-1"
CONTENT = {"Template": json.dumps({"Head": {}, "Body": []}), "Actions": []}


class _Body:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Any:
        yield self.body


class RecordingHTTP:
    """Stands in for a client's HTTP session: records what botocore would put on the network."""

    def __init__(self, body: bytes = b'{"ViewsSummaryList": []}') -> None:
        self.sent: list[str] = []
        self.body = body

    def send(self, request: Any) -> AWSResponse:
        self.sent.append(request.url)
        headers = {"x-amzn-RequestId": "canned", "Content-Type": "application/json"}
        return AWSResponse(request.url, 200, headers, _Body(self.body))


def offline(client: Any, monkeypatch: pytest.MonkeyPatch, **kwargs: Any) -> RecordingHTTP:
    """Replace the client's network layer (below ``Endpoint._send``) with a recorder."""
    http = RecordingHTTP(**kwargs)
    monkeypatch.setattr(client._endpoint, "http_session", http)
    return http


def no_aws_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No AWS_* variables, empty config and credentials files, no EC2 metadata lookup."""
    import os

    for key in list(os.environ):
        if key.startswith("AWS_"):
            monkeypatch.delenv(key)
    empty = tmp_path / "empty"
    empty.write_text("")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def test_client_created_before_the_fake_started() -> None:
    early = boto3.client("connect", region_name="us-east-1")
    with FakeAWS() as fake:
        view = early.create_view(InstanceId=INSTANCE, Name="early", Status="SAVED", Content=CONTENT)
    assert view["View"]["Name"] == "early"
    assert fake.calls.operations == ["CreateView"]


@pytest.mark.parametrize("kind", ["boto3.Session", "botocore.session"])
def test_clients_from_any_session(connectviews: FakeAWS, kind: str) -> None:
    if kind == "boto3.Session":
        client = boto3.Session(region_name="eu-central-1").client("connect")
    else:
        client = botocore.session.Session().create_client("connect", region_name="eu-central-1")
    client.create_view(InstanceId=INSTANCE, Name="s", Status="SAVED", Content=CONTENT)
    assert connectviews.calls.one("CreateView").region == "eu-central-1"


def test_no_credentials_anywhere_still_works(
    connectviews: FakeAWS, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_aws_environment(monkeypatch, tmp_path)
    session = boto3.Session(region_name="us-east-1")
    assert session.get_credentials() is None

    client = session.client("connect")
    client.create_view(InstanceId=INSTANCE, Name="nocreds", Status="SAVED", Content=CONTENT)
    assert connectviews.calls.one("CreateView").account_id == connectviews.account_id


def test_real_credentials_are_used_as_given(connectviews: FakeAWS) -> None:
    client = boto3.client(
        "connect",
        region_name="us-east-1",
        aws_access_key_id="AKIAREALLOOKINGKEY00",
        aws_secret_access_key="secret",
    )
    client.list_views(InstanceId=INSTANCE)
    assert connectviews.calls.last.account_id == connectviews.account_id


def test_custom_endpoint_url_is_routed_by_the_credential_scope(connectviews: FakeAWS) -> None:
    client = boto3.client(
        "connect", region_name="ap-southeast-2", endpoint_url="http://localhost:4566"
    )
    view = client.create_view(InstanceId=INSTANCE, Name="local", Status="SAVED", Content=CONTENT)
    assert view["View"]["Arn"].startswith("arn:aws:connect:ap-southeast-2:")
    assert connectviews.calls.last.region == "ap-southeast-2"


@pytest.mark.connectviews(assert_all_calls_handled=False)
@pytest.mark.parametrize("mode", ["legacy", "standard"])
def test_unimplemented_operation_raises_and_sends_nothing(
    connectviews: FakeAWS, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    client = boto3.client("connect", region_name="us-east-1", config=Config(retries={"mode": mode}))
    http = offline(client, monkeypatch)
    with pytest.raises(UnhandledOperationError) as excinfo:
        client.list_queues(InstanceId=INSTANCE)
    message = str(excinfo.value)
    assert message.startswith("connectviews:")
    assert "ListQueues" in message
    assert "CreateView" in message  # says what is implemented
    assert isinstance(excinfo.value, AssertionError)
    assert http.sent == []
    # recorded once (no retry of an unhandled call), so the teardown check sees it
    assert [(c.operation, c.source) for c in connectviews.calls] == [("ListQueues", "unhandled")]


def test_other_services_pass_through_by_default(
    connectviews: FakeAWS, monkeypatch: pytest.MonkeyPatch
) -> None:
    s3 = boto3.client(
        "s3", region_name="us-east-1", aws_access_key_id="AKIA", aws_secret_access_key="x"
    )
    http = offline(s3, monkeypatch, body=b"<ListAllMyBucketsResult/>")
    s3.list_buckets()
    assert len(http.sent) == 1
    assert len(connectviews.calls) == 0


@pytest.mark.connectviews(passthrough=False)
def test_other_services_blocked_without_passthrough(
    connectviews: FakeAWS, monkeypatch: pytest.MonkeyPatch
) -> None:
    s3 = boto3.client(
        "s3", region_name="us-east-1", aws_access_key_id="AKIA", aws_secret_access_key="x"
    )
    http = offline(s3, monkeypatch)
    with pytest.raises(BlockedRequestError) as excinfo:
        s3.list_buckets()
    assert str(excinfo.value).startswith("connectviews:")
    assert excinfo.value.service == "s3"
    assert http.sent == []
    # Our own services are still answered.
    boto3.client("connect", region_name="us-east-1").list_views(InstanceId=INSTANCE)
    assert connectviews.calls.operations == ["ListViews"]


@pytest.mark.connectviews(passthrough=False)
def test_blocked_service_without_credentials_is_blocked_not_unsigned(
    connectviews: FakeAWS, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_aws_environment(monkeypatch, tmp_path)
    s3 = boto3.Session(region_name="us-east-1").client("s3")
    http = offline(s3, monkeypatch)
    # Not NoCredentialsError: the user must learn that the request was blocked.
    with pytest.raises(BlockedRequestError):
        s3.list_buckets()
    assert http.sent == []


def test_patches_are_inert_after_stop(monkeypatch: pytest.MonkeyPatch) -> None:
    client = boto3.client(
        "connect", region_name="us-east-1", aws_access_key_id="AKIA", aws_secret_access_key="x"
    )
    fake = FakeAWS()
    with fake:
        client.list_views(InstanceId=INSTANCE)
    http = offline(client, monkeypatch)
    result = client.list_views(InstanceId=INSTANCE)
    assert http.sent == [f"https://connect.us-east-1.amazonaws.com/views/{INSTANCE}"]
    assert result["ResponseMetadata"]["RequestId"] == "canned"
    assert len(fake.calls) == 1  # only the call made while it was active


def test_dummy_credentials_only_while_active(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from botocore.exceptions import NoCredentialsError

    no_aws_environment(monkeypatch, tmp_path)
    client = boto3.Session(region_name="us-east-1").client("connect")
    http = offline(client, monkeypatch)
    with pytest.raises(NoCredentialsError):
        client.list_views(InstanceId=INSTANCE)
    assert http.sent == []


def test_nested_fakes_answer_innermost_then_outer(
    connect_client: Any, connectviews: FakeAWS
) -> None:
    with FakeAWS() as inner:
        connect_client.list_views(InstanceId=INSTANCE)
    connect_client.list_views(InstanceId=INSTANCE)
    assert len(inner.calls) == 1
    assert len(connectviews.calls) == 1


@pytest.mark.parametrize("mode", ["legacy", "standard", "adaptive"])
def test_retry_backoff_is_virtual(connectviews: FakeAWS, mode: str) -> None:
    client = boto3.client(
        "connect",
        region_name="us-east-1",
        config=Config(retries={"mode": mode, "total_max_attempts": 5}),
    )
    connectviews.inject_error("ListViews", "TooManyRequestsException", times=4, service="connect")
    started = time.monotonic()
    result = client.list_views(InstanceId=INSTANCE)
    elapsed = time.monotonic() - started

    assert result["ResponseMetadata"]["RetryAttempts"] == 4
    assert [c.attempt for c in connectviews.calls] == [1, 2, 3, 4, 5]
    assert [c.error_code for c in connectviews.calls] == ["TooManyRequestsException"] * 4 + [None]
    # botocore backed off (seconds on average for four retries) on the fake clock only.
    assert connectviews.clock.slept > 0.05
    assert elapsed < 0.5


@pytest.mark.connectviews(real_sleeps=True)
def test_real_sleeps_option_sleeps_for_real(
    connectviews: FakeAWS, monkeypatch: pytest.MonkeyPatch
) -> None:
    import botocore.endpoint

    slept: list[float] = []
    monkeypatch.setattr(botocore.endpoint.time, "sleep", slept.append)
    client = boto3.client(
        "connect",
        region_name="us-east-1",
        config=Config(retries={"mode": "standard", "total_max_attempts": 3}),
    )
    connectviews.inject_error("ListViews", "TooManyRequestsException", times=2, service="connect")
    client.list_views(InstanceId=INSTANCE)
    assert len(slept) == 2  # botocore's own sleep ran (recorded here instead of waiting)
    assert connectviews.clock.slept == 0


def test_throttle_refills_during_virtual_backoff(connectviews: FakeAWS) -> None:
    client = boto3.client(
        "connect",
        region_name="us-east-1",
        config=Config(retries={"mode": "standard", "total_max_attempts": 10}),
    )
    connectviews.clock.freeze()
    connectviews.throttle(rate=2, burst=1, service="connect", operation="ListViews")
    started = time.monotonic()
    for _ in range(5):
        client.list_views(InstanceId=INSTANCE)
    assert time.monotonic() - started < 1
    assert connectviews.calls.count("ListViews", ok=True) == 5
    assert connectviews.calls.count("ListViews", error_code="TooManyRequestsException") >= 1
