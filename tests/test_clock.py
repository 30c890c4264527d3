"""fake.clock: the time source of timestamps, buckets and virtual backoff."""

from __future__ import annotations

import datetime as dt
import time

import boto3
import pytest

from pytest_connectviews import Clock, FakeAWS

CONTENT = {"Template": "{}", "Actions": []}
AT = dt.datetime(2024, 2, 29, 12, 0, 0, tzinfo=dt.timezone.utc)


def test_now_is_aware_utc_and_follows_real_time() -> None:
    clock = Clock()
    now = clock.now()
    assert now.tzinfo is not None
    assert now.utcoffset() == dt.timedelta(0)
    assert abs(clock.time() - time.time()) < 1


def test_advance_moves_time_forward_at_once() -> None:
    clock = Clock()
    before = clock.time()
    clock.advance(3600)
    assert clock.time() - before == pytest.approx(3600, abs=1)
    assert clock.slept == 0  # advancing is not sleeping


def test_freeze_at_a_datetime_stops_real_time() -> None:
    clock = Clock()
    clock.freeze(AT)
    assert clock.frozen
    assert clock.now() == AT
    time.sleep(0.01)
    assert clock.now() == AT
    clock.advance(1.5)
    assert clock.now() == AT + dt.timedelta(seconds=1.5)


def test_freeze_without_argument_stops_where_it_is_and_accepts_epoch() -> None:
    clock = Clock()
    clock.advance(100)
    expected = time.time() + 100
    clock.freeze()
    assert clock.time() == pytest.approx(expected, abs=1)
    clock.freeze(0)
    assert clock.now() == dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def test_unfreeze_continues_from_the_frozen_time() -> None:
    clock = Clock()
    clock.freeze(AT)
    clock.unfreeze()
    assert not clock.frozen
    assert clock.time() - AT.timestamp() == pytest.approx(0, abs=1)


def test_sleep_is_virtual_and_counted() -> None:
    clock = Clock()
    clock.freeze(AT)
    started = time.monotonic()
    clock.sleep(30)
    assert time.monotonic() - started < 1
    assert clock.slept == 30
    assert clock.now() == AT + dt.timedelta(seconds=30)


@pytest.mark.parametrize("bad", [-1, "1", True, None, float("nan"), float("inf")])
def test_advance_refuses_bad_values(bad: object) -> None:
    with pytest.raises(ValueError, match=r"^connectviews: clock.advance"):
        Clock().advance(bad)  # type: ignore[arg-type]


def test_freeze_refuses_naive_datetimes_and_other_types() -> None:
    with pytest.raises(ValueError, match="aware datetime"):
        Clock().freeze(dt.datetime(2024, 1, 1))
    with pytest.raises(ValueError, match="takes a datetime or epoch seconds"):
        Clock().freeze("2024-01-01")  # type: ignore[arg-type]
    for out_of_range in (1e308, float("nan"), -1.0):
        with pytest.raises(ValueError, match="takes a datetime or epoch seconds"):
            Clock().freeze(out_of_range)


def test_the_clock_never_moves_past_what_a_timestamp_can_show() -> None:
    # Found by the server's fuzz: advance(1e308) left every later request failing on now().
    clock = Clock()
    with pytest.raises(ValueError, match="past the year 9999"):
        clock.advance(1e308)
    clock.freeze(dt.datetime(9999, 12, 31, 23, 0, tzinfo=dt.timezone.utc))
    with pytest.raises(ValueError, match="past the year 9999"):
        clock.advance(7200)
    clock.advance(3599)
    assert clock.now().year == 9999


def test_view_timestamps_follow_a_frozen_clock(connectviews: FakeAWS) -> None:
    connect = boto3.client("connect", region_name="us-east-1")
    instance = connectviews.add_instance()
    connectviews.clock.freeze(AT)
    view = connect.create_view(InstanceId=instance, Name="a", Status="SAVED", Content=CONTENT)
    assert view["View"]["CreatedTime"] == AT
    assert view["View"]["LastModifiedTime"] == AT
    connectviews.clock.advance(90)
    connect.update_view_content(
        InstanceId=instance, ViewId=view["View"]["Id"], Status="SAVED", Content=CONTENT
    )
    described = connect.describe_view(InstanceId=instance, ViewId=view["View"]["Id"] + ":$SAVED")
    assert described["View"]["CreatedTime"] == AT
    assert described["View"]["LastModifiedTime"] == AT + dt.timedelta(seconds=90)


def test_recorded_calls_carry_the_fake_time(connectviews: FakeAWS) -> None:
    connect = boto3.client("connect", region_name="us-east-1")
    connectviews.clock.freeze(AT)
    connect.list_views(InstanceId=connectviews.add_instance())
    assert connectviews.calls.last.time == AT


def test_workflow_date_created_follows_the_clock(connectviews: FakeAWS) -> None:
    from pathlib import Path

    data = (
        Path(__file__).parent / "data" / "workflows" / "build_workflow_example.yaml"
    ).read_text()
    imagebuilder = boto3.client("imagebuilder", region_name="us-east-1")
    connectviews.clock.freeze(AT)
    arn = imagebuilder.create_workflow(
        name="clock-wf", semanticVersion="1.0.0", type="BUILD", data=data, clientToken="c1"
    )["workflowBuildVersionArn"]
    workflow = imagebuilder.get_workflow(workflowBuildVersionArn=arn)["workflow"]
    assert workflow["dateCreated"].startswith("2024-02-29T12:00:00")


def test_reset_unfreezes_the_clock(connectviews: FakeAWS) -> None:
    connectviews.clock.freeze(AT)
    connectviews.reset()
    assert not connectviews.clock.frozen
    assert abs(connectviews.clock.time() - time.time()) < 1
