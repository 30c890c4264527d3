"""fake.calls: every attempt recorded as an immutable Call; assertion helpers that explain."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any
from unittest import mock

import boto3
import pytest
from botocore.config import Config

from pytest_connectviews import Call, CallLog, FakeAWS

CONTENT = {"Template": "{}", "Actions": []}


@pytest.fixture
def connect() -> Any:
    config = Config(retries={"mode": "standard", "total_max_attempts": 3})
    return boto3.client("connect", region_name="us-east-1", config=config)


@pytest.fixture
def instance(connectviews: FakeAWS) -> str:
    return connectviews.add_instance()


def test_a_call_records_what_the_client_sent_and_got(
    connectviews: FakeAWS, connect: Any, instance: str
) -> None:
    created = connect.create_view(
        InstanceId=instance, Name="Form", Status="SAVED", Content=CONTENT, Tags={"team": "a"}
    )
    call = connectviews.calls.one("CreateView")
    assert call.service == "connect"
    assert call.params == {
        "InstanceId": instance,
        "Name": "Form",
        "Status": "SAVED",
        "Content": CONTENT,
        "Tags": {"team": "a"},
    }
    assert (call.region, call.account_id) == ("us-east-1", "123456789012")
    assert (call.status_code, call.error_code, call.attempt, call.source) == (
        200,
        None,
        1,
        "backend",
    )
    assert call.ok
    assert call.response is not None
    assert call.response["View"]["Id"] == created["View"]["Id"]
    assert call.request_id == created["ResponseMetadata"]["RequestId"]


def test_calls_are_immutable(connectviews: FakeAWS, connect: Any, instance: str) -> None:
    connect.list_views(InstanceId=instance)
    with pytest.raises(dataclasses.FrozenInstanceError):
        connectviews.calls.last.operation = "Other"  # type: ignore[misc]


def test_each_attempt_is_a_call_with_source_and_error(
    connectviews: FakeAWS, connect: Any, instance: str
) -> None:
    connectviews.inject_error("ListViews", "TooManyRequestsException", message="slow down")
    connect.list_views(InstanceId=instance)
    first, second = connectviews.calls
    assert (first.attempt, first.source, first.error_code, first.status_code) == (
        1,
        "injected",
        "TooManyRequestsException",
        429,
    )
    assert first.error_message == "slow down"
    assert first.response is None
    assert first.injected
    assert not first.throttled
    assert (second.attempt, second.source, second.ok) == (2, "backend", True)
    assert connectviews.calls.filter(attempt=1).operations == ["ListViews"]


def test_backend_errors_are_recorded_with_their_code(
    connectviews: FakeAWS, connect: Any, instance: str
) -> None:
    with pytest.raises(connect.exceptions.ResourceNotFoundException):
        connect.describe_view(InstanceId=instance, ViewId="0" * 8)
    call = connectviews.calls.last
    assert (call.error_code, call.status_code, call.source) == (
        "ResourceNotFoundException",
        404,
        "backend",
    )


def test_filter_by_operation_name_or_method_name_service_params_and_outcome(
    connectviews: FakeAWS, connect: Any, instance: str
) -> None:
    for name in ("a", "b"):
        connect.create_view(InstanceId=instance, Name=name, Status="SAVED", Content=CONTENT)
    connect.list_views(InstanceId=instance)
    calls = connectviews.calls
    assert len(calls.filter("CreateView")) == 2
    assert calls.filter("create_view") == calls.filter("CreateView")
    assert calls.filter(params={"Name": "b"}).one().params["Name"] == "b"
    assert calls.filter(params=lambda p: p.get("Name") == "a").operations == ["CreateView"]
    assert calls.filter(service="imagebuilder") == []
    assert calls.count("ListViews") == 1
    assert calls.count(ok=False) == 0
    assert calls.operations == ["CreateView", "CreateView", "ListViews"]
    assert isinstance(calls[0:2], CallLog)
    assert calls.filter(params={"Name": mock.ANY}).operations == ["CreateView", "CreateView"]


def test_assert_called_once_with_passes_and_accepts_any(
    connectviews: FakeAWS, connect: Any, instance: str
) -> None:
    connect.create_view(InstanceId=instance, Name="a", Status="SAVED", Content=CONTENT)
    connectviews.calls.assert_called_once_with("CreateView", Name="a", Content=mock.ANY)
    connectviews.calls.assert_called_once_with("create_view", InstanceId=instance)
    connectviews.calls.assert_not_called("DeleteView")
    connectviews.calls.assert_call_count(1, "CreateView")


def test_assert_called_once_with_shows_the_difference_and_the_calls(
    connectviews: FakeAWS, connect: Any, instance: str
) -> None:
    connect.create_view(InstanceId=instance, Name="a", Status="SAVED", Content=CONTENT)
    with pytest.raises(AssertionError) as exc:
        connectviews.calls.assert_called_once_with("CreateView", Name="b", Description="d")
    message = str(exc.value)
    assert message.startswith(
        "connectviews: the last CreateView call was not sent with the expected parameters:"
    )
    assert "  Name: expected 'b', sent 'a'" in message
    assert "  Description: expected 'd', not sent" in message
    assert "Recorded calls:\n  0: <Call connect.CreateView attempt=1 ok" in message


def test_assert_called_once_with_counts_attempts(
    connectviews: FakeAWS, connect: Any, instance: str
) -> None:
    connectviews.inject_error("ListViews", "TooManyRequestsException")
    connect.list_views(InstanceId=instance)
    with pytest.raises(AssertionError, match="it was called 2 time") as exc:
        connectviews.calls.assert_called_once_with("ListViews")
    assert "TooManyRequestsException(injected)" in str(exc.value)
    connectviews.calls.filter(attempt=1).assert_called_once_with("ListViews")


def test_assert_not_called_lists_what_was_called(
    connectviews: FakeAWS, connect: Any, instance: str
) -> None:
    connect.list_views(InstanceId=instance)
    with pytest.raises(AssertionError) as exc:
        connectviews.calls.assert_not_called("ListViews")
    assert str(exc.value).startswith(
        "connectviews: expected no call matching (operation='ListViews'), found 1.\n"
        "Recorded calls:\n  0: <Call connect.ListViews attempt=1 ok us-east-1/123456789012"
    )


def test_one_and_get_call_explain_when_nothing_matches(connectviews: FakeAWS) -> None:
    with pytest.raises(AssertionError) as exc:
        connectviews.calls.get_call("CreateView", params={"Name": "x"})
    assert str(exc.value) == (
        "connectviews: expected exactly one call matching "
        "(operation='CreateView', params={'Name': 'x'}), found 0.\nNo call was recorded."
    )


def test_assert_call_count_message(connectviews: FakeAWS, connect: Any, instance: str) -> None:
    connect.list_views(InstanceId=instance)
    with pytest.raises(
        AssertionError, match=r"expected 2 call\(s\) matching \(operation='ListViews'\), found 1"
    ):
        connectviews.calls.assert_call_count(2, "ListViews")


def test_last_on_an_empty_log_is_an_assertion(connectviews: FakeAWS) -> None:
    with pytest.raises(AssertionError, match="no call was recorded"):
        _ = connectviews.calls.last


def test_long_logs_show_the_last_twenty(connectviews: FakeAWS, connect: Any, instance: str) -> None:
    for _ in range(25):
        connect.list_views(InstanceId=instance)
    with pytest.raises(AssertionError) as exc:
        connectviews.calls.assert_called("DeleteView")
    message = str(exc.value)
    assert "Recorded calls (last 20 of 25):" in message
    assert "  24: <Call connect.ListViews" in message
    assert "  4: " not in message


def test_calls_record_the_region_and_account_of_the_request(connectviews: FakeAWS) -> None:
    client = boto3.client(
        "connect",
        region_name="eu-west-2",
        aws_access_key_id="111122223333",
        aws_secret_access_key="x",
    )
    client.list_views(InstanceId="00000000-0000-0000-0000-000000000000")
    call = connectviews.calls.last
    assert (call.region, call.account_id) == ("eu-west-2", "111122223333")
    assert connectviews.calls.filter(region="eu-west-2", account_id="111122223333")


def test_reset_clears_the_log(connectviews: FakeAWS, connect: Any, instance: str) -> None:
    connect.list_views(InstanceId=instance)
    connectviews.reset()
    assert len(connectviews.calls) == 0
    assert connectviews.calls == []


def test_call_repr_is_readable() -> None:
    call = Call(
        "connect",
        "ListViews",
        {"InstanceId": "i"},
        "us-east-1",
        "1" * 12,
        429,
        "ThrottlingException",
        None,
        2,
        "throttled",
    )
    assert repr(call) == (
        "<Call connect.ListViews attempt=2 ThrottlingException(throttled) us-east-1/111111111111 "
        "params={'InstanceId': 'i'}>"
    )


def test_calls_recorded_on_the_request_path_equal_constructed_ones() -> None:
    args = (
        "imagebuilder",
        "GetWorkflow",
        {"workflowBuildVersionArn": "arn"},
        "eu-west-1",
        "2" * 12,
        200,
        None,
        {"workflow": {}},
        1,
        "backend",
        None,
        "rid",
        dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
    )
    recorded = Call._record(*args)
    built = Call(*args)
    assert recorded == built
    assert vars(recorded) == vars(built)  # every field, also those excluded from ==
    assert [f.name for f in dataclasses.fields(Call)] == list(vars(recorded))
    with pytest.raises(dataclasses.FrozenInstanceError):
        recorded.attempt = 2  # type: ignore[misc]
