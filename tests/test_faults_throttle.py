"""throttle: token buckets on the fake clock, the services' own throttling errors, virtual backoff.

botocore decides what to retry; the fake only answers with the real code and status. These tests
pin the fake to botocore's behaviour in each retry mode.
"""

from __future__ import annotations

import time
from typing import Any

import boto3
import pytest
from botocore.config import Config

from pytest_connectviews import FakeAWS

MODES = ["legacy", "standard", "adaptive"]


@pytest.fixture
def instance(connectviews: FakeAWS) -> str:
    return connectviews.add_instance()


def connect_client(mode: str, attempts: int) -> Any:
    config = Config(retries={"mode": mode, "total_max_attempts": attempts})
    return boto3.client("connect", region_name="us-east-1", config=config)


def imagebuilder_client(mode: str, attempts: int) -> Any:
    config = Config(retries={"mode": mode, "total_max_attempts": attempts})
    return boto3.client("imagebuilder", region_name="us-east-1", config=config)


def test_burst_then_too_many_requests(connectviews: FakeAWS, instance: str) -> None:
    connectviews.clock.freeze()
    connect = connect_client("standard", 1)
    bucket = connectviews.throttle(rate=1, burst=3, service="connect")
    for _ in range(3):
        connect.list_views(InstanceId=instance)
    with pytest.raises(connect.exceptions.TooManyRequestsException) as exc:
        connect.list_views(InstanceId=instance)
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert connectviews.calls.last.source == "throttled"
    assert bucket.throttled == 1
    connectviews.clock.advance(1)  # one token back
    connect.list_views(InstanceId=instance)
    with pytest.raises(connect.exceptions.TooManyRequestsException):
        connect.list_views(InstanceId=instance)


@pytest.mark.parametrize(
    ("operation", "code"),
    [("SearchViews", "ThrottlingException"), ("ListTagsForResource", "ThrottlingException")],
)
def test_search_and_tagging_answer_throttling_exception(
    connectviews: FakeAWS, instance: str, operation: str, code: str
) -> None:
    connect = connect_client("standard", 1)
    connectviews.throttle(rate=0, burst=0, operation=operation)
    arn = f"arn:aws:connect:us-east-1:123456789012:instance/{instance}/view/x"
    call = (
        (lambda: connect.search_views(InstanceId=instance))
        if operation == "SearchViews"
        else (lambda: connect.list_tags_for_resource(resourceArn=arn))
    )
    with pytest.raises(connect.exceptions.ThrottlingException) as exc:
        call()
    assert exc.value.response["Error"]["Code"] == code
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    connect.list_views(InstanceId=instance)  # other operations are not throttled


def test_an_operation_bucket_leaves_other_operations_alone(
    connectviews: FakeAWS, instance: str
) -> None:
    connect = connect_client("standard", 1)
    connectviews.throttle(rate=0, burst=1, operation="create_view")
    content = {"Template": "{}", "Actions": []}
    connect.create_view(InstanceId=instance, Name="a", Status="SAVED", Content=content)
    with pytest.raises(connect.exceptions.TooManyRequestsException):
        connect.create_view(InstanceId=instance, Name="b", Status="SAVED", Content=content)
    for _ in range(5):
        connect.list_views(InstanceId=instance)


def test_a_throttled_request_takes_no_token(connectviews: FakeAWS, instance: str) -> None:
    connectviews.clock.freeze()
    connect = connect_client("standard", 1)
    service_bucket = connectviews.throttle(rate=0, burst=2, service="connect")
    connectviews.throttle(rate=0, burst=0, operation="SearchViews")
    with pytest.raises(connect.exceptions.ThrottlingException):
        connect.search_views(InstanceId=instance)
    assert service_bucket.tokens == 2
    connect.list_views(InstanceId=instance)
    connect.list_views(InstanceId=instance)


def test_removed_bucket_stops_throttling(connectviews: FakeAWS, instance: str) -> None:
    connect = connect_client("standard", 1)
    bucket = connectviews.throttle(rate=0, burst=0)
    with pytest.raises(connect.exceptions.TooManyRequestsException):
        connect.list_views(InstanceId=instance)
    bucket.remove()
    connect.list_views(InstanceId=instance)


@pytest.mark.parametrize("mode", MODES)
def test_always_throttled_uses_every_attempt_without_real_sleeping(
    connectviews: FakeAWS, instance: str, mode: str
) -> None:
    connect = connect_client(mode, 6)
    connectviews.throttle(rate=0, burst=0, service="connect")
    started = time.monotonic()
    with pytest.raises(connect.exceptions.TooManyRequestsException):
        connect.list_views(InstanceId=instance)
    wall = time.monotonic() - started
    assert [c.attempt for c in connectviews.calls] == [1, 2, 3, 4, 5, 6]
    assert all(c.source == "throttled" for c in connectviews.calls)
    # five backoffs happened on the fake clock, not in real time
    assert connectviews.clock.slept > 1.0
    assert wall < connectviews.clock.slept / 5


@pytest.mark.parametrize("mode", MODES)
def test_virtual_backoff_refills_the_bucket_so_the_retry_succeeds(
    connectviews: FakeAWS, instance: str, mode: str
) -> None:
    connectviews.clock.freeze()  # only botocore's (virtual) backoff moves time
    connect = connect_client(mode, 10)
    connectviews.throttle(rate=0.5, burst=1, service="connect")  # a token every 2 s
    connect.list_views(InstanceId=instance)
    started = connectviews.clock.time()
    connect.list_views(InstanceId=instance)  # throttled until the backoff adds up to 2 s
    calls = connectviews.calls[1:]
    assert [c.source for c in calls] == ["throttled"] * (len(calls) - 1) + ["backend"]
    assert len(calls) >= 2
    assert connectviews.clock.time() - started == pytest.approx(connectviews.clock.slept)
    assert connectviews.clock.slept >= 2.0 - 1e-6  # epoch-sized floats: 2 s within rounding
    # the success came on the first attempt after the refill: the backoff before it was needed
    assert [c.attempt for c in calls] == list(range(1, len(calls) + 1))


@pytest.mark.parametrize(("mode", "attempts"), [("legacy", 5), ("standard", 1), ("adaptive", 1)])
def test_imagebuilder_call_rate_limit_is_retried_as_botocore_decides(
    connectviews: FakeAWS, mode: str, attempts: int
) -> None:
    """Standard mode does not retry CallRateLimitExceededException; legacy retries any 429."""
    imagebuilder = imagebuilder_client(mode, 5)
    connectviews.throttle(rate=0, burst=0, service="imagebuilder")
    with pytest.raises(imagebuilder.exceptions.CallRateLimitExceededException) as exc:
        imagebuilder.list_workflows()
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert len(connectviews.calls) == attempts
    assert {c.error_code for c in connectviews.calls} == {"CallRateLimitExceededException"}


@pytest.mark.parametrize(("mode", "attempts"), [("legacy", 4), ("standard", 4), ("adaptive", 4)])
def test_connect_too_many_requests_is_retried_in_every_mode(
    connectviews: FakeAWS, instance: str, mode: str, attempts: int
) -> None:
    connect = connect_client(mode, attempts)
    connectviews.inject_error("ListViews", "TooManyRequestsException", times=None)
    with pytest.raises(connect.exceptions.TooManyRequestsException):
        connect.list_views(InstanceId=instance)
    assert len(connectviews.calls) == attempts


@pytest.mark.parametrize("mode", MODES)
def test_quota_error_is_never_retried(connectviews: FakeAWS, instance: str, mode: str) -> None:
    connect = connect_client(mode, 5)
    connectviews.inject_error("ListViews", "ServiceQuotaExceededException")
    with pytest.raises(connect.exceptions.ServiceQuotaExceededException):
        connect.list_views(InstanceId=instance)
    assert len(connectviews.calls) == 1


def test_real_sleeps_sleep_in_real_time(
    connectviews: FakeAWS, instance: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import botocore.endpoint

    slept: list[float] = []
    monkeypatch.setattr(botocore.endpoint.time, "sleep", slept.append)
    connectviews.real_sleeps = True
    connect = connect_client("standard", 3)
    connectviews.throttle(rate=0, burst=0)
    with pytest.raises(connect.exceptions.TooManyRequestsException):
        connect.list_views(InstanceId=instance)
    assert len(slept) == 2
    assert connectviews.clock.slept == 0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"rate": -1, "burst": 1}, "rate must be a number >= 0"),
        ({"rate": 1, "burst": 1.5}, "burst must be an int >= 0"),
        ({"rate": 1, "burst": 1, "service": "s3"}, "service must be one of"),
        ({"rate": 1, "burst": 1, "operation": "Nope"}, "not an operation connect or imagebuilder"),
    ],
)
def test_bad_throttle_arguments_fail_at_once(
    connectviews: FakeAWS, kwargs: dict[str, Any], match: str
) -> None:
    with pytest.raises(ValueError, match="^connectviews: .*" + match):
        connectviews.throttle(**kwargs)
