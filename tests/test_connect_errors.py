"""Connect views: instances, accounts/regions, model validation, error statuses, output shapes."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.config import Config

from pytest_connectviews import FakeAWS, dispatch
from pytest_connectviews._models import service_model
from pytest_connectviews.validation import check

INSTANCE = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
TEMPLATE = json.dumps({"Head": {}, "Body": [{"_id": "b", "Type": "Button", "Props": {}}]})
CONTENT = {"Template": TEMPLATE, "Actions": []}
NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})


def client(**kwargs: Any) -> Any:
    kwargs.setdefault("region_name", "us-east-1")
    return boto3.client("connect", config=NO_RETRY, **kwargs)


def create(c: Any, name: str = "v", instance: str = INSTANCE, **kwargs: Any) -> dict[str, Any]:
    view: dict[str, Any] = c.create_view(
        InstanceId=instance, Name=name, Status="PUBLISHED", Content=CONTENT, **kwargs
    )["View"]
    return view


# ---------------------------------------------------------------------------- instances
def test_lenient_instances_are_created_on_first_use(connect_client: Any) -> None:
    assert create(connect_client, instance="any-instance-id")["Name"] == "v"


def test_declared_instances_make_unknown_ones_fail(connectviews: FakeAWS) -> None:
    known = connectviews.add_instance()
    c = client()
    assert create(c, instance=known)["Arn"].split("/")[1] == known
    with pytest.raises(c.exceptions.ResourceNotFoundException) as excinfo:
        c.list_views(InstanceId="some-other-instance")
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert "some-other-instance" in excinfo.value.response["Error"]["Message"]


@pytest.mark.connectviews(strict_instances=True)
def test_strict_instances_option(connectviews: FakeAWS) -> None:
    c = client()
    with pytest.raises(c.exceptions.ResourceNotFoundException):
        create(c, instance="undeclared")
    connectviews.add_instance("declared")
    assert create(c, instance="declared")["Name"] == "v"


def test_add_instance_rejects_bad_ids(connectviews: FakeAWS) -> None:
    with pytest.raises(ValueError, match="connectviews: add_instance"):
        connectviews.add_instance("has space")


def test_instance_arn_of_the_instance(connectviews: FakeAWS) -> None:
    instance = connectviews.add_instance()
    arn = f"arn:aws:connect:us-east-1:123456789012:instance/{instance}"
    c = client()
    view = create(c, instance=arn)
    assert view["Arn"].startswith(arn + "/view/")
    assert c.describe_view(InstanceId=instance, ViewId=view["Id"])["View"]["Id"] == view["Id"]


# ---------------------------------------------------------------------------- accounts, regions
def test_state_is_per_account_selected_by_access_key(connectviews: FakeAWS) -> None:
    default = client()
    other = client(aws_access_key_id="210987654321", aws_secret_access_key="x")
    view = create(default)
    assert view["Arn"].split(":")[4] == "123456789012"

    mine = create(other)
    assert mine["Arn"].split(":")[4] == "210987654321"
    with pytest.raises(other.exceptions.ResourceNotFoundException):
        other.describe_view(InstanceId=INSTANCE, ViewId=view["Id"])
    assert connectviews.calls[-1].account_id == "210987654321"
    names = other.list_views(InstanceId=INSTANCE, Type="CUSTOMER_MANAGED")["ViewsSummaryList"]
    assert [v["Id"] for v in names] == [mine["Id"]]


@pytest.mark.connectviews(account_id="555555555555")
def test_account_option(connectviews: FakeAWS) -> None:
    assert create(client())["Arn"].split(":")[4] == "555555555555"


def test_state_is_per_region(connectviews: FakeAWS) -> None:
    east, west = client(), client(region_name="eu-west-1")
    view = create(east)
    create(west)  # the same name is free in another region
    with pytest.raises(west.exceptions.ResourceNotFoundException):
        west.describe_view(InstanceId=INSTANCE, ViewId=view["Id"])
    assert create(west, name="w")["Arn"].startswith("arn:aws:connect:eu-west-1:")
    assert [c.region for c in connectviews.calls] == [
        "us-east-1",
        "eu-west-1",
        "eu-west-1",
        "eu-west-1",
    ]


def test_reset_forgets_everything(connectviews: FakeAWS) -> None:
    c = client()
    view = create(c)
    connectviews.reset()
    with pytest.raises(c.exceptions.ResourceNotFoundException):
        c.describe_view(InstanceId=INSTANCE, ViewId=view["Id"])
    assert len(connectviews.calls) == 1


# ---------------------------------------------------------------------------- model validation
@pytest.mark.parametrize("name", ["Überprüfung", "Заявка", "表单", "a b", "Name (v2)", "o'brien"])
def test_unicode_names_accepted(connect_client: Any, name: str) -> None:
    assert create(connect_client, name=name)["Name"] == name


@pytest.mark.parametrize("name", [" leading", "tab\tinside", "x" * 256, "semi;colon", "line\n"])
def test_bad_names_refused(connect_client: Any, name: str) -> None:
    with pytest.raises(connect_client.exceptions.InvalidParameterException) as excinfo:
        create(connect_client, name=name)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "Name" in excinfo.value.response["Error"]["Message"]


def test_model_validation_message_names_the_member(connect_client: Any) -> None:
    with pytest.raises(connect_client.exceptions.InvalidParameterException) as excinfo:
        create(connect_client, Description="x" * 4097)
    message = excinfo.value.response["Error"]["Message"]
    assert message.startswith("1 validation error detected")
    assert "'Description'" in message
    assert "4096" in message


def test_instance_id_pattern_is_anchored(connect_client: Any) -> None:
    with pytest.raises(connect_client.exceptions.InvalidParameterException):
        connect_client.list_views(InstanceId="abc\n")


# ---------------------------------------------------------------------------- modeled statuses
def _scenario_duplicate(c: Any, fake: FakeAWS) -> None:
    create(c)
    create(c)


def _scenario_quota(c: Any, fake: FakeAWS) -> None:
    fake.set_quota("connect.views_per_instance", 1)
    create(c)
    create(c, name="second")


def _scenario_version_quota(c: Any, fake: FakeAWS) -> None:
    fake.set_quota("connect.versions_per_view", 1)
    vid = create(c)["Id"]
    c.create_view_version(InstanceId=INSTANCE, ViewId=vid)
    c.update_view_content(
        InstanceId=INSTANCE,
        ViewId=vid,
        Status="PUBLISHED",
        Content={"Template": json.dumps({"Head": {"n": 2}, "Body": []})},
    )
    c.create_view_version(InstanceId=INSTANCE, ViewId=vid)


def _scenario_throttle(c: Any, fake: FakeAWS) -> None:
    fake.throttle(rate=0, burst=0, service="connect")
    c.list_views(InstanceId=INSTANCE)


def _scenario_search_throttle(c: Any, fake: FakeAWS) -> None:
    fake.throttle(rate=0, burst=0, service="connect")
    c.search_views(InstanceId=INSTANCE)


def _scenario_tag_throttle(c: Any, fake: FakeAWS) -> None:
    fake.throttle(rate=0, burst=0, service="connect")
    c.list_tags_for_resource(
        resourceArn=f"arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE}/view/x"
    )


SCENARIOS: list[tuple[str, Callable[[Any, FakeAWS], None], str, int]] = [
    ("duplicate name", _scenario_duplicate, "DuplicateResourceException", 409),
    ("views quota", _scenario_quota, "ServiceQuotaExceededException", 402),
    ("versions quota", _scenario_version_quota, "ServiceQuotaExceededException", 402),
    ("throttled", _scenario_throttle, "TooManyRequestsException", 429),
    ("search throttled", _scenario_search_throttle, "ThrottlingException", 429),
    ("tags throttled", _scenario_tag_throttle, "ThrottlingException", 429),
    (
        "not found",
        lambda c, f: c.describe_view(InstanceId=INSTANCE, ViewId="missing"),
        "ResourceNotFoundException",
        404,
    ),
    (
        "managed is read-only",
        lambda c, f: c.delete_view(
            InstanceId=INSTANCE, ViewId="arn:aws:connect:us-east-1:aws:view/list"
        ),
        "AccessDeniedException",
        403,
    ),
    (
        "no metadata",
        lambda c, f: c.update_view_metadata(InstanceId=INSTANCE, ViewId=create(c)["Id"]),
        "InvalidRequestException",
        400,
    ),
    (
        "bad template",
        lambda c, f: c.create_view(
            InstanceId=INSTANCE, Name="n", Status="SAVED", Content={"Template": "[]"}
        ),
        "InvalidParameterException",
        400,
    ),
]


@pytest.mark.parametrize(
    ("make_error", "code", "status"),
    [pytest.param(fn, code, status, id=label) for label, fn, code, status in SCENARIOS],
)
def test_errors_carry_modeled_code_status_and_class(
    connectviews: FakeAWS, make_error: Callable[[Any, FakeAWS], None], code: str, status: int
) -> None:
    c = client()
    with pytest.raises(getattr(c.exceptions, code)) as excinfo:
        make_error(c, connectviews)
    response = excinfo.value.response
    assert response["Error"]["Code"] == code
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert response["ResponseMetadata"]["RequestId"] == connectviews.calls.last.request_id
    assert connectviews.calls.last.error_code == code
    assert connectviews.calls.last.status_code == status


def test_quota_rejection_creates_nothing(connectviews: FakeAWS) -> None:
    c = client()
    connectviews.set_quota("connect.views_per_instance", 2)
    create(c, name="a")
    create(c, name="b")
    with pytest.raises(c.exceptions.ServiceQuotaExceededException):
        create(c, name="c")
    c.delete_view(
        InstanceId=INSTANCE,
        ViewId=c.list_views(InstanceId=INSTANCE, Type="CUSTOMER_MANAGED")["ViewsSummaryList"][0][
            "Id"
        ],
    )
    assert create(c, name="c")["Name"] == "c"


# ---------------------------------------------------------------------------- output shapes
#: Members every successful answer carries (the model marks almost nothing required).
VIEW_MEMBERS = {
    "Id",
    "Arn",
    "Name",
    "Status",
    "Type",
    "Content",
    "CreatedTime",
    "LastModifiedTime",
    "ViewContentSha256",
}
REQUIRED = {
    "CreateView": {"View": VIEW_MEMBERS},
    "CreateViewVersion": {"View": VIEW_MEMBERS | {"Version"}},
    "DescribeView": {"View": VIEW_MEMBERS},
    "UpdateViewContent": {"View": VIEW_MEMBERS},
    "ListViews": {"ViewsSummaryList": {"Id", "Arn", "Name", "Type", "Status"}},
    "ListViewVersions": {"ViewVersionSummaryList": {"Id", "Arn", "Name", "Type", "Version"}},
    "SearchViews": {"Views": VIEW_MEMBERS, "ApproximateTotalCount": set()},
    "ListTagsForResource": {"tags": set()},
}


def test_every_answer_fits_the_output_shape_and_carries_required_members(
    connectviews: FakeAWS, connect_client: Any
) -> None:
    c = connect_client
    vid = create(c, Description="d", Tags={"k": "v"})["Id"]
    saved = c.create_view(InstanceId=INSTANCE, Name="s", Status="SAVED", Content=CONTENT)["View"]
    c.create_view_version(InstanceId=INSTANCE, ViewId=vid, VersionDescription="vd")
    for ref in (
        vid,
        vid + ":$SAVED",
        vid + ":1",
        saved["Id"] + ":$SAVED",
        "arn:aws:connect:us-east-1:aws:view/after-contact-work",
    ):
        c.describe_view(InstanceId=INSTANCE, ViewId=ref)
    c.update_view_content(InstanceId=INSTANCE, ViewId=vid, Status="SAVED", Content=CONTENT)
    c.update_view_metadata(InstanceId=INSTANCE, ViewId=vid, Name="renamed")
    c.list_views(InstanceId=INSTANCE)
    c.list_view_versions(InstanceId=INSTANCE, ViewId=vid)
    c.search_views(InstanceId=INSTANCE)
    arn = f"arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE}/view/{saved['Id']}"
    c.list_tags_for_resource(resourceArn=arn)  # no tags: {} (the SPEC's one exception)
    c.tag_resource(resourceArn=arn, tags={"a": "b"})
    c.untag_resource(resourceArn=arn, tagKeys=["a"])
    c.delete_view_version(InstanceId=INSTANCE, ViewId=vid, ViewVersion=1)
    c.delete_view(InstanceId=INSTANCE, ViewId=vid)

    model = service_model("connect")
    assert all(call.ok for call in connectviews.calls)
    views = {op for op in dispatch.operations("connect") if "View" in op or "tag" in op.lower()}
    assert set(connectviews.calls.operations) == views
    for call in connectviews.calls:
        shape = model.operation_model(call.operation).output_shape
        response = dict(call.response or {})
        if call.operation == "ListTagsForResource" and response == {"tags": {}}:
            continue
        if shape is None:  # operations with an empty output
            assert response == {}, call.operation
            continue
        assert check(shape, response) is None, (call.operation, check(shape, response))
        for member, inner in REQUIRED.get(call.operation, {}).items():
            assert member in response, (call.operation, member)
            value = response[member]
            for item in value if isinstance(value, list) else [value]:
                if inner:
                    assert inner <= set(item), (call.operation, inner - set(item))


def test_instance_arn_of_another_account_or_region_is_not_found(connect_client: Any) -> None:
    create(connect_client)
    for arn in (
        f"arn:aws:connect:us-east-1:999999999999:instance/{INSTANCE}",
        f"arn:aws:connect:eu-west-1:123456789012:instance/{INSTANCE}",
    ):
        with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
            connect_client.list_views(InstanceId=arn)
        with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
            connect_client.search_views(InstanceId=arn)
