"""Connect instances through boto3 (SPEC §9): lifecycle, aliases, attributes, deletion, tags."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from pytest_connectviews import FakeAWS

REGION = "us-east-1"
IMPLICIT = "11111111-2222-3333-4444-555555555555"


@pytest.fixture
def connect(connectviews: FakeAWS) -> Any:
    return boto3.client("connect", region_name=REGION)


def create(connect: Any, alias: str | None = "shop", **extra: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "IdentityManagementType": "CONNECT_MANAGED",
        "InboundCallsEnabled": True,
        "OutboundCallsEnabled": False,
        **extra,
    }
    if alias is not None:
        params["InstanceAlias"] = alias
    out: dict[str, Any] = connect.create_instance(**params)
    return out


def code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


# ------------------------------------------------------------------ the Terraform resource's calls
def test_terraform_instance_lifecycle(connectviews: FakeAWS, connect: Any) -> None:
    """aws_connect_instance: create, wait for ACTIVE, set attributes, read, delete, wait gone."""
    connectviews.set_duration("connect.instance_creation", 120)
    connectviews.set_duration("connect.instance_deletion", 30)
    made = create(connect, "tf-shop", ClientToken="terraform-1", Tags={"env": "test"})
    assert made["Arn"] == f"arn:aws:connect:{REGION}:123456789012:instance/{made['Id']}"

    statuses = []
    for _ in range(100):  # TF's StateChangeConf: Pending CREATION_IN_PROGRESS -> Target ACTIVE
        status = connect.describe_instance(InstanceId=made["Id"])["Instance"]["InstanceStatus"]
        statuses.append(status)
        if status != "CREATION_IN_PROGRESS":
            break
        connectviews.clock.advance(10)
    assert statuses[0] == "CREATION_IN_PROGRESS"
    assert statuses[-1] == "ACTIVE"
    assert 12 <= len(statuses) <= 14  # 120 s of fake time, polled every 10 s

    for attribute in ("CONTACTFLOW_LOGS", "EARLY_MEDIA", "INBOUND_CALLS", "OUTBOUND_CALLS"):
        connect.update_instance_attribute(
            InstanceId=made["Id"], AttributeType=attribute, Value="true"
        )
    instance = connect.describe_instance(InstanceId=made["Id"])["Instance"]
    assert instance["InstanceAlias"] == "tf-shop"
    assert instance["IdentityManagementType"] == "CONNECT_MANAGED"
    assert instance["OutboundCallsEnabled"] is True  # follows the OUTBOUND_CALLS attribute
    assert instance["Tags"] == {"env": "test"}
    assert instance["InstanceAccessUrl"] == "https://tf-shop.my.connect.aws"
    assert instance["ServiceRole"].startswith(
        "arn:aws:iam::123456789012:role/aws-service-role/connect.amazonaws.com/"
        "AWSServiceRoleForAmazonConnect_"
    )
    values = {
        a["AttributeType"]: a["Value"]
        for page in connect.get_paginator("list_instance_attributes").paginate(
            InstanceId=made["Id"]
        )
        for a in page["Attributes"]
    }
    # every attribute type the installed model knows (14 in current models)
    kinds = connect.meta.service_model.shape_for("InstanceAttributeType").enum
    assert list(values) == list(kinds)
    assert values["CONTACTFLOW_LOGS"] == "true"
    assert values["CONTACT_LENS"] == "true"  # a default
    assert values["MULTI_PARTY_CONFERENCE"] == "false"

    connect.delete_instance(InstanceId=made["Id"])
    seen = []
    for _ in range(10):  # waitInstanceDeleted: Pending ACTIVE -> Target gone
        try:
            seen.append(connect.describe_instance(InstanceId=made["Id"])["Instance"])
        except connect.exceptions.ResourceNotFoundException:
            break
        connectviews.clock.advance(10)
    assert [i["InstanceStatus"] for i in seen] == ["ACTIVE"] * 3
    with pytest.raises(connect.exceptions.ResourceNotFoundException):
        connect.delete_instance(InstanceId=made["Id"])  # TF treats this as "already gone"


def test_settle_advances_through_creation(connectviews: FakeAWS, connect: Any) -> None:
    connectviews.set_duration("connect.instance_creation", 300)
    made = create(connect)
    with pytest.raises(connect.exceptions.ResourceNotFoundException):
        connect.list_views(InstanceId=made["Id"])  # nothing in it until it is ACTIVE
    assert connectviews.settle() == pytest.approx(300, abs=1)
    assert connect.describe_instance(InstanceId=made["Id"])["Instance"]["InstanceStatus"] == (
        "ACTIVE"
    )
    assert connectviews.settle() == 0
    assert connect.list_views(InstanceId=made["Id"])["ViewsSummaryList"]


def test_a_scripted_failure_ends_in_creation_failed(connectviews: FakeAWS, connect: Any) -> None:
    connectviews.set_duration("connect.instance_creation", 60)
    connectviews.fail_instance_creation("Broken", "Instance creation failed due to directory issue")
    made = create(connect, "broken")
    in_progress = connect.describe_instance(InstanceId=made["Id"])["Instance"]
    assert in_progress["InstanceStatus"] == "CREATION_IN_PROGRESS"
    connectviews.settle()
    failed = connect.describe_instance(InstanceId=made["Id"])["Instance"]
    assert failed == {
        "Id": made["Id"],
        "Arn": made["Arn"],
        "InstanceStatus": "CREATION_FAILED",
        "StatusReason": {"Message": "Instance creation failed due to directory issue"},
    }
    summary = connect.list_instances()["InstanceSummaryList"]
    assert [s["InstanceStatus"] for s in summary] == ["CREATION_FAILED"]
    with pytest.raises(connect.exceptions.ResourceNotFoundException):
        connect.list_views(InstanceId=made["Id"])


def test_a_failure_can_be_scripted_while_in_progress_not_after(
    connectviews: FakeAWS, connect: Any
) -> None:
    connectviews.set_duration("connect.instance_creation", 60)
    made = create(connect)
    connectviews.fail_instance_creation(made["Id"], "quota of directories")
    connectviews.settle()
    status = connect.describe_instance(InstanceId=made["Id"])["Instance"]["InstanceStatus"]
    assert status == "CREATION_FAILED"
    ok = create(connect, "fine")
    connectviews.settle()
    with pytest.raises(ValueError, match=r"^connectviews: fail_instance_creation: .*ACTIVE"):
        connectviews.fail_instance_creation(ok["Id"], "too late")


# ------------------------------------------------------------------ create rules
def test_aliases_are_unique_per_account_across_regions_and_case(
    connectviews: FakeAWS, connect: Any
) -> None:
    create(connect, "Shop")
    other_region = boto3.client("connect", region_name="eu-west-2")
    for client, alias in ((connect, "shop"), (other_region, "SHOP")):
        with pytest.raises(client.exceptions.InvalidRequestException) as info:
            create(client, alias)
        assert info.value.response["Error"]["Message"] == (
            "Invalid Input. Instance alias is already used."
        )


def test_identity_management_rules(connect: Any) -> None:
    for identity in ("CONNECT_MANAGED", "SAML"):
        with pytest.raises(connect.exceptions.InvalidRequestException, match="InstanceAlias"):
            create(connect, None, IdentityManagementType=identity)
    with pytest.raises(connect.exceptions.InvalidRequestException, match="DirectoryId"):
        create(connect, None, IdentityManagementType="EXISTING_DIRECTORY")
    made = create(
        connect, None, IdentityManagementType="EXISTING_DIRECTORY", DirectoryId="d-0123456789"
    )
    instance = connect.describe_instance(InstanceId=made["Id"])["Instance"]
    assert instance["IdentityManagementType"] == "EXISTING_DIRECTORY"
    assert "DirectoryId" not in instance  # write-only


@pytest.mark.parametrize("alias", ["d-abc", "-shop", "shop-", "a" * 46, "sh_op"])
def test_a_bad_alias_is_refused(connect: Any, alias: str) -> None:
    client = boto3.client("connect", region_name=REGION, config=Config(parameter_validation=False))
    with pytest.raises(ClientError) as info:
        create(client, alias)
    assert code(info) in ("InvalidRequestException", "InvalidParameterException")
    assert connect.list_instances()["InstanceSummaryList"] == []


def test_client_token_replays_the_same_instance(connect: Any) -> None:
    first = create(connect, ClientToken="t-1")
    again = create(connect, ClientToken="t-1")
    assert (again["Id"], again["Arn"]) == (first["Id"], first["Arn"])
    with pytest.raises(connect.exceptions.InvalidRequestException):
        create(connect, "other", ClientToken="t-1")
    assert len(connect.list_instances()["InstanceSummaryList"]) == 1


def test_instance_quota(connectviews: FakeAWS, connect: Any) -> None:
    connectviews.set_quota("connect.instances_per_account", 2)
    create(connect, "one")
    create(connect, "two")
    with pytest.raises(connect.exceptions.ServiceQuotaExceededException) as info:
        create(connect, "three")
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 402
    assert "connect.instances_per_account" in info.value.response["Error"]["Message"]
    elsewhere = boto3.client("connect", region_name="eu-west-2")
    create(elsewhere, "three")  # the quota is per account and region


def test_list_instances_pages_in_creation_order(connect: Any) -> None:
    made = [create(connect, f"shop-{i}")["Id"] for i in range(23)]
    pages = list(connect.get_paginator("list_instances").paginate())
    assert [len(p["InstanceSummaryList"]) for p in pages] == [10, 10, 3]  # default page size 10
    assert [s["Id"] for p in pages for s in p["InstanceSummaryList"]] == made
    with pytest.raises(connect.exceptions.InvalidRequestException):
        connect.list_instances(NextToken="bm9wZQ")


def test_attribute_values_are_booleans(connect: Any) -> None:
    made = create(connect)
    with pytest.raises(connect.exceptions.InvalidParameterException):
        connect.update_instance_attribute(
            InstanceId=made["Id"], AttributeType="EARLY_MEDIA", Value="maybe"
        )
    connect.update_instance_attribute(
        InstanceId=made["Arn"], AttributeType="EARLY_MEDIA", Value="FALSE"
    )
    attribute = connect.describe_instance_attribute(
        InstanceId=made["Id"], AttributeType="EARLY_MEDIA"
    )["Attribute"]
    assert attribute == {"AttributeType": "EARLY_MEDIA", "Value": "false"}
    page = connect.list_instance_attributes(InstanceId=made["Id"], MaxResults=5)
    assert len(page["Attributes"]) == 5
    assert "NextToken" in page


# ------------------------------------------------------------------ deletion
def test_delete_removes_everything_in_the_instance(connectviews: FakeAWS, connect: Any) -> None:
    made = create(connect, Tags={"a": "b"})
    view = connect.create_view(
        InstanceId=made["Id"],
        Name="Form",
        Status="PUBLISHED",
        Content={"Template": '{"Head":{},"Body":[]}', "Actions": []},
        Tags={"t": "v"},
    )["View"]
    view_arn = view["Arn"].rsplit(":", 1)[0]
    flow = connect.create_contact_flow(
        InstanceId=made["Id"],
        Name="Flow",
        Type="CONTACT_FLOW",
        Content=json.dumps(
            {
                "Version": "2019-10-30",
                "StartAction": "end",
                "Actions": [{"Identifier": "end", "Type": "DisconnectParticipant"}],
            }
        ),
        Tags={"t": "v"},
    )
    connect.delete_instance(InstanceId=made["Id"])

    calls = [
        lambda: connect.describe_instance(InstanceId=made["Id"]),
        lambda: connect.list_views(InstanceId=made["Id"]),
        lambda: connect.describe_view(InstanceId=made["Id"], ViewId=view["Id"]),
        lambda: connect.list_contact_flows(InstanceId=made["Id"]),
        lambda: connect.describe_contact_flow(
            InstanceId=made["Id"], ContactFlowId=flow["ContactFlowId"]
        ),
        lambda: connect.list_contact_flow_modules(InstanceId=made["Id"]),
        lambda: connect.list_instance_attributes(InstanceId=made["Id"]),
        lambda: connect.list_tags_for_resource(resourceArn=made["Arn"]),
        lambda: connect.list_tags_for_resource(resourceArn=view_arn),
        lambda: connect.list_tags_for_resource(resourceArn=flow["ContactFlowArn"]),
        lambda: connect.delete_instance(InstanceId=made["Id"]),
    ]
    for call in calls:
        with pytest.raises(connect.exceptions.ResourceNotFoundException):
            call()
    assert connect.list_instances()["InstanceSummaryList"] == []
    # the alias is free again
    assert create(connect)["Id"] != made["Id"]


def test_an_implicit_instance_can_be_described_and_deleted(connect: Any) -> None:
    instance = connect.describe_instance(InstanceId=IMPLICIT)["Instance"]
    assert instance["InstanceAlias"] == "implicit-11111111"
    assert instance["InstanceStatus"] == "ACTIVE"
    connect.create_view(
        InstanceId=IMPLICIT, Name="Form", Status="SAVED", Content={"Template": "{}", "Actions": []}
    )
    assert [i["Id"] for i in connect.list_instances()["InstanceSummaryList"]] == [IMPLICIT]
    connect.delete_instance(InstanceId=IMPLICIT)
    with pytest.raises(connect.exceptions.ResourceNotFoundException):
        connect.list_views(InstanceId=IMPLICIT)  # deleted: not made again on use


# ------------------------------------------------------------------ strictness (SPEC §9)
def test_create_instance_makes_the_region_strict(connect: Any) -> None:
    connect.list_views(InstanceId=IMPLICIT)  # implicit while nothing is declared
    made = create(connect)
    with pytest.raises(connect.exceptions.ResourceNotFoundException):
        connect.list_views(InstanceId="22222222-2222-3333-4444-555555555555")
    assert connect.list_views(InstanceId=made["Id"])["ViewsSummaryList"]
    assert [i["Id"] for i in connect.list_instances()["InstanceSummaryList"]] == [made["Id"]]
    other_region = boto3.client("connect", region_name="eu-west-2")
    assert other_region.list_views(InstanceId=IMPLICIT)["ViewsSummaryList"]  # not strict there


def test_add_instance_and_create_instance_share_one_registry(
    connectviews: FakeAWS, connect: Any
) -> None:
    declared = connectviews.add_instance(alias="declared")
    with pytest.raises(connect.exceptions.InvalidRequestException, match="already used"):
        create(connect, "DECLARED")
    made = create(connect, "made")
    listed = connect.list_instances()["InstanceSummaryList"]
    assert [(i["Id"], i["InstanceAlias"]) for i in listed] == [
        (declared, "declared"),
        (made["Id"], "made"),
    ]
    with pytest.raises(ValueError, match=r"^connectviews: add_instance: the alias 'made'"):
        connectviews.add_instance(alias="made")
    with pytest.raises(ValueError, match=r"^connectviews: add_instance alias"):
        connectviews.add_instance(alias="d-bad")


def test_instance_tags(connect: Any) -> None:
    made = create(connect, Tags={"a": "1"})
    connect.tag_resource(resourceArn=made["Arn"], tags={"b": "2"})
    connect.untag_resource(resourceArn=made["Arn"], tagKeys=["a"])
    assert connect.list_tags_for_resource(resourceArn=made["Arn"])["tags"] == {"b": "2"}
    assert connect.describe_instance(InstanceId=made["Id"])["Instance"]["Tags"] == {"b": "2"}
    assert "Tags" not in connect.list_instances()["InstanceSummaryList"][0]


def test_instance_operations_throttle_with_their_modeled_code(
    connectviews: FakeAWS, connect: Any
) -> None:
    made = create(connect)
    connectviews.throttle(rate=0, burst=0, operation="ListInstanceAttributes")
    client = boto3.client(
        "connect", region_name=REGION, config=Config(retries={"mode": "standard"})
    )
    with pytest.raises(client.exceptions.ThrottlingException):
        client.list_instance_attributes(InstanceId=made["Id"])
    attempts = connectviews.calls.filter("ListInstanceAttributes")
    assert len(attempts) == 3  # standard mode retries ThrottlingException
    assert {c.status_code for c in attempts} == {429}


def test_injected_errors_reach_instance_operations(connectviews: FakeAWS, connect: Any) -> None:
    connectviews.inject_error("CreateInstance", "ServiceQuotaExceededException")
    with pytest.raises(connect.exceptions.ServiceQuotaExceededException):
        create(connect)
    assert connectviews.calls.last.error_code == "ServiceQuotaExceededException"
    assert create(connect)["Id"]


def test_durations_and_options_are_validated() -> None:
    fake = FakeAWS()
    with pytest.raises(ValueError, match=r"connect\.instance_creation"):
        fake.set_duration("connect.instance_creaton", 1)
    with pytest.raises(ValueError, match=r"^connectviews: fail_instance_creation"):
        fake.fail_instance_creation("", "x")
    with pytest.raises(ValueError, match=r"^connectviews: fail_instance_creation reason"):
        fake.fail_instance_creation("shop", "")
