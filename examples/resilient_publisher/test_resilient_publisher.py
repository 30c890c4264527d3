"""The publisher's retry and quota paths, driven by the fake's faults instead of a real outage."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import boto3
import pytest
from botocore.config import Config
from resilient_publisher import GaveUp, Publisher, QuotaExhausted

from pytest_connectviews import FakeAWS

INSTANCE_ID = "7d3c1f2a-5b6e-4c8d-9e0f-1a2b3c4d5e6f"  # declared by conftest.py's hook
FORM = {"Head": {"Title": "Refund"}, "Body": [{"_id": "b", "Type": "Button", "Props": {}}]}
WORKFLOW = """\
name: build-image
description: Build an image
schemaVersion: 1.0
steps:
  - name: LaunchBuildInstance
    action: LaunchInstance
    onFailure: Abort
    inputs:
      waitFor: ssmAgent
"""


def clients(attempts: int) -> tuple[Any, Any]:
    """Clients as the deployment job builds them: botocore's standard retry mode."""
    config = Config(retries={"mode": "standard", "total_max_attempts": attempts})
    return (
        boto3.client("connect", region_name="us-east-1", config=config),
        boto3.client("imagebuilder", region_name="us-east-1", config=config),
    )


@pytest.fixture
def publisher(connectviews: FakeAWS) -> Publisher:
    connect, imagebuilder = clients(attempts=2)
    # the publisher's own backoff waits on the fake's clock too: no real sleeping in tests
    return Publisher(connect, imagebuilder, attempts=4, sleep=connectviews.clock.sleep)


def test_publishes_a_view_and_a_version(connectviews: FakeAWS, publisher: Publisher) -> None:
    arn = publisher.publish_view(INSTANCE_ID, "Refund", FORM, [])
    assert arn.endswith(":1")
    view = publisher.connect.describe_view(InstanceId=INSTANCE_ID, ViewId=arn)["View"]
    assert view["Status"] == "PUBLISHED"
    assert view["CreatedTime"] == dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.timezone.utc)
    # publishing a changed form updates the same view and cuts version 2
    changed = {**FORM, "Head": {"Title": "Refund request"}}
    assert publisher.publish_view(INSTANCE_ID, "Refund", changed, []).endswith(":2")
    connectviews.calls.assert_called_once_with("CreateView", Name="Refund", Status="PUBLISHED")


def test_survives_throttling_longer_than_botocore_retries(
    connectviews: FakeAWS, publisher: Publisher
) -> None:
    # three throttled attempts: botocore gives up after two, the publisher tries again
    connectviews.inject_error("CreateView", "TooManyRequestsException", times=3)
    started = time.monotonic()
    publisher.publish_view(INSTANCE_ID, "Refund", FORM, [])
    creates = connectviews.calls.filter("CreateView")
    assert [(c.attempt, c.ok) for c in creates] == [(1, False), (2, False), (1, False), (2, True)]
    assert publisher.throttled == 1
    assert connectviews.clock.slept >= publisher.base_delay  # backoff happened, virtually
    assert time.monotonic() - started < 1


def test_retries_call_rate_limit_that_standard_mode_does_not(
    connectviews: FakeAWS, publisher: Publisher
) -> None:
    connectviews.throttle(rate=1, burst=1, service="imagebuilder")  # one request per second
    arns = [publisher.publish_workflow("build-image", f"1.0.{n}", WORKFLOW) for n in range(3)]
    assert arns[2].endswith("/1.0.2/1")
    throttled = connectviews.calls.filter(source="throttled")
    # botocore's standard mode did not retry these: each is a first attempt
    assert {c.error_code for c in throttled} == {"CallRateLimitExceededException"}
    assert {c.attempt for c in throttled} == {1}
    assert publisher.throttled == len(throttled) > 0


def test_republishing_the_same_workflow_is_idempotent(
    connectviews: FakeAWS, publisher: Publisher
) -> None:
    first = publisher.publish_workflow("build-image", "1.0.0", WORKFLOW)
    assert publisher.publish_workflow("build-image", "1.0.0", WORKFLOW) == first
    listed = publisher.imagebuilder.list_workflow_build_versions(
        workflowVersionArn=first.rsplit("/", 1)[0]
    )
    assert [w["arn"] for w in listed["workflowSummaryList"]] == [first]


def test_reports_an_exhausted_version_quota_without_retrying(
    connectviews: FakeAWS, publisher: Publisher
) -> None:
    connectviews.set_quota("connect.versions_per_view", 1)
    publisher.publish_view(INSTANCE_ID, "Refund", FORM, [])
    changed = {**FORM, "Head": {"Title": "Refund request"}}
    with pytest.raises(QuotaExhausted, match=r"connect\.versions_per_view"):
        publisher.publish_view(INSTANCE_ID, "Refund", changed, [])
    assert connectviews.calls.count("CreateViewVersion", ok=False) == 1


def test_gives_up_when_throttling_does_not_stop(
    connectviews: FakeAWS, publisher: Publisher
) -> None:
    connectviews.throttle(rate=0, burst=0, operation="ListViews")
    with pytest.raises(GaveUp, match="list_views was throttled 4 times"):
        publisher.publish_view(INSTANCE_ID, "Refund", FORM, [])
    # 4 tries of the publisher x 2 attempts of botocore, then nothing else was called
    assert connectviews.calls.count("ListViews") == 8
    assert connectviews.calls.operations == ["ListViews"] * 8


def test_an_undeclared_instance_is_not_found(publisher: Publisher) -> None:
    with pytest.raises(publisher.connect.exceptions.ResourceNotFoundException):
        publisher.publish_view("00000000-0000-0000-0000-000000000000", "Refund", FORM, [])


def test_the_setup_hook_froze_the_clock(connectviews: FakeAWS) -> None:
    assert connectviews.clock.frozen
    assert connectviews.clock.now().year == 2025
