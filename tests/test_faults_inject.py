"""inject_error: documented errors with modeled status, counted per attempt, matched by params."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from pytest_connectviews import FakeAWS

NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})
CONTENT = {"Template": "{}", "Actions": []}


@pytest.fixture
def instance(connectviews: FakeAWS) -> str:
    return connectviews.add_instance()


def client(max_attempts: int = 1, mode: str = "standard") -> Any:
    config = Config(retries={"mode": mode, "total_max_attempts": max_attempts})
    return boto3.client("connect", region_name="us-east-1", config=config)


def test_injected_error_raises_the_modeled_exception_class_with_status(
    connectviews: FakeAWS, instance: str
) -> None:
    connect = client()
    connectviews.inject_error("CreateView", "ServiceQuotaExceededException", message="full")
    with pytest.raises(connect.exceptions.ServiceQuotaExceededException) as exc:
        connect.create_view(InstanceId=instance, Name="A", Status="SAVED", Content=CONTENT)
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 402
    assert exc.value.response["Error"]["Message"] == "full"
    # the backend never saw it: no view exists
    assert (
        connect.list_views(InstanceId=instance, Type="CUSTOMER_MANAGED")["ViewsSummaryList"] == []
    )


def test_times_counts_attempts_so_botocore_retries_consume_them(
    connectviews: FakeAWS, instance: str
) -> None:
    connect = client(max_attempts=3)
    rule = connectviews.inject_error("list_views", "TooManyRequestsException", times=2)
    connect.list_views(InstanceId=instance)  # attempt 3 succeeds
    calls = connectviews.calls.filter("ListViews")
    assert [(c.attempt, c.error_code, c.source) for c in calls] == [
        (1, "TooManyRequestsException", "injected"),
        (2, "TooManyRequestsException", "injected"),
        (3, None, "backend"),
    ]
    assert [c.status_code for c in calls] == [429, 429, 200]
    assert rule.consumed == 2
    assert rule.remaining == 0


def test_more_injected_failures_than_attempts_reach_the_caller(
    connectviews: FakeAWS, instance: str
) -> None:
    connect = client(max_attempts=2)
    connectviews.inject_error("ListViews", "TooManyRequestsException", times=3)
    with pytest.raises(connect.exceptions.TooManyRequestsException):
        connect.list_views(InstanceId=instance)
    connect.list_views(InstanceId=instance)  # the third failure, then success
    assert [c.ok for c in connectviews.calls] == [False, False, False, True]


def test_times_none_answers_until_removed(connectviews: FakeAWS, instance: str) -> None:
    connect = client()
    rule = connectviews.inject_error("ListViews", "InternalServiceException", times=None)
    for _ in range(4):
        with pytest.raises(connect.exceptions.InternalServiceException):
            connect.list_views(InstanceId=instance)
    rule.remove()
    connect.list_views(InstanceId=instance)
    assert rule.consumed == 4
    assert connectviews.calls.last.ok


def test_params_subset_selects_requests(connectviews: FakeAWS, instance: str) -> None:
    connect = client()
    connectviews.inject_error("CreateView", "DuplicateResourceException", params={"Name": "Taken"})
    connect.create_view(InstanceId=instance, Name="Free", Status="SAVED", Content=CONTENT)
    with pytest.raises(connect.exceptions.DuplicateResourceException):
        connect.create_view(InstanceId=instance, Name="Taken", Status="SAVED", Content=CONTENT)
    assert connectviews.calls.filter("CreateView", params={"Name": "Taken"}).one().injected


def test_params_predicate_selects_requests(connectviews: FakeAWS, instance: str) -> None:
    connect = client()
    connectviews.inject_error(
        "CreateView",
        "InvalidParameterException",
        times=None,
        params=lambda p: p["Name"].startswith("bad"),
    )
    connect.create_view(InstanceId=instance, Name="good", Status="SAVED", Content=CONTENT)
    with pytest.raises(connect.exceptions.InvalidParameterException):
        connect.create_view(InstanceId=instance, Name="bad-1", Status="SAVED", Content=CONTENT)


def test_probability_is_reproducible_with_a_seed(connectviews: FakeAWS, instance: str) -> None:
    connect = client()

    def outcomes(seed: int) -> list[bool]:
        rule = connectviews.inject_error(
            "ListViews", "InternalServiceException", times=None, probability=0.5, seed=seed
        )
        results = []
        for _ in range(20):
            try:
                connect.list_views(InstanceId=instance)
                results.append(True)
            except connect.exceptions.InternalServiceException:
                results.append(False)
        rule.remove()
        return results

    first = outcomes(7)
    assert first == outcomes(7)
    assert 0 < first.count(False) < 20


def test_modeled_extra_fields_reach_the_exception(connectviews: FakeAWS, instance: str) -> None:
    connect = client()
    connectviews.inject_error(
        "ListViews",
        "AccessDeniedException",
        fields={"Message": "ignored by the message arg"},
        message="no access",
    )
    with pytest.raises(ClientError) as exc:
        connect.list_views(InstanceId=instance)
    assert exc.value.response["Error"]["Code"] == "AccessDeniedException"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_unknown_field_is_refused_naming_the_members(connectviews: FakeAWS) -> None:
    with pytest.raises(ValueError, match=r"connectviews: .*not members of.*Message"):
        connectviews.inject_error("ListViews", "AccessDeniedException", fields={"Nope": 1})


def test_unmodeled_error_code_is_refused_with_the_valid_codes(connectviews: FakeAWS) -> None:
    with pytest.raises(ValueError, match="is not an error that connect models") as exc:
        connectviews.inject_error("CreateView", "ThrottledException")
    message = str(exc.value)
    assert message.startswith("connectviews: inject_error: 'ThrottledException'")
    assert "Errors CreateView documents: " in message
    assert "DuplicateResourceException" in message
    assert "TooManyRequestsException" in message


def test_imagebuilder_code_is_refused_for_a_connect_operation(connectviews: FakeAWS) -> None:
    with pytest.raises(ValueError, match="CallRateLimitExceededException"):
        connectviews.inject_error("ListViews", "CallRateLimitExceededException")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"operation": "CreateWidget"}, "not an operation connect or imagebuilder models"),
        (
            {"operation": "ListViews", "service": "imagebuilder"},
            "not an operation imagebuilder models .it is a connect operation.",
        ),
        ({"operation": "ListViews", "service": "s3"}, "service must be one of"),
        ({"operation": "ListViews", "times": 0}, "times must be an int >= 1"),
        ({"operation": "ListViews", "probability": 1.5}, r"probability must be in \(0, 1\]"),
        ({"operation": "ListViews", "params": 3}, "params must be a dict or a predicate"),
    ],
)
def test_bad_arguments_fail_at_once(
    connectviews: FakeAWS, kwargs: dict[str, Any], match: str
) -> None:
    kwargs = {"error_code": "InternalServiceException", **kwargs}
    with pytest.raises(ValueError, match="^connectviews: .*" + match):
        connectviews.inject_error(**kwargs)


def test_service_narrows_a_shared_operation_name(connectviews: FakeAWS) -> None:
    arn = "arn:aws:connect:us-east-1:123456789012:instance/i/view/v"
    connect = client()
    imagebuilder = boto3.client("imagebuilder", region_name="us-east-1")
    connectviews.inject_error("TagResource", "InvalidParameterException", service="imagebuilder")
    with pytest.raises(imagebuilder.exceptions.InvalidParameterException):
        imagebuilder.tag_resource(
            resourceArn="arn:aws:imagebuilder:us-east-1:123456789012:workflow/build/x/1.0.0/1",
            tags={"a": "b"},
        )
    # the connect TagResource is not affected (it fails on its own: unknown view)
    with pytest.raises(connect.exceptions.ResourceNotFoundException):
        connect.tag_resource(resourceArn=arn, tags={"a": "b"})


def test_imagebuilder_error_is_raised_as_its_modeled_class(connectviews: FakeAWS) -> None:
    imagebuilder = boto3.client("imagebuilder", region_name="us-east-1", config=NO_RETRY)
    connectviews.inject_error("ListWorkflows", "ServiceUnavailableException")
    with pytest.raises(imagebuilder.exceptions.ServiceUnavailableException) as exc:
        imagebuilder.list_workflows()
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503


def test_unused_errors_lists_rules_that_never_answered(
    connectviews: FakeAWS, instance: str
) -> None:
    connect = client()
    used = connectviews.inject_error("ListViews", "InternalServiceException")
    unused = connectviews.inject_error("DescribeView", "InternalServiceException")
    forever = connectviews.inject_error("DeleteView", "InternalServiceException", times=None)
    with pytest.raises(connect.exceptions.InternalServiceException):
        connect.list_views(InstanceId=instance)
    assert connectviews.unused_errors() == [unused]
    assert used not in connectviews.unused_errors()
    assert forever not in connectviews.unused_errors()
    unused.remove()
    assert connectviews.unused_errors() == []
