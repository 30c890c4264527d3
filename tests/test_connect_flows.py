"""Contact flows and flow modules through boto3 (SPEC §9): publish checks, ShowView references,
saved and published copies, versions, names, search, quotas, tags."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import boto3
import pytest
from botocore.config import Config

from pytest_connectviews import FakeAWS

REGION = "us-east-1"
VIEW_CONTENT = {"Template": '{"Head":{"Title":"Refund"},"Body":[]}', "Actions": []}


@pytest.fixture
def connect(connectviews: FakeAWS) -> Any:
    return boto3.client("connect", region_name=REGION)


@pytest.fixture
def instance(connectviews: FakeAWS, connect: Any) -> str:
    made = connect.create_instance(
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias="flows",
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )
    return str(made["Id"])


def flow(*actions: dict[str, Any], start: str = "show") -> str:
    return json.dumps({"Version": "2019-10-30", "StartAction": start, "Actions": list(actions)})


END = {"Identifier": "end", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}}


def show(view_id: str, **resource: Any) -> dict[str, Any]:
    return {
        "Identifier": "show",
        "Type": "ShowView",
        "Parameters": {
            "ViewResource": {"Id": view_id, **resource},
            "InvocationTimeLimitSeconds": "480",
        },
        "Transitions": {
            "NextAction": "end",
            "Conditions": [
                {"NextAction": "end", "Condition": {"Operator": "Equals", "Operands": ["Submit"]}}
            ],
            "Errors": [
                {"NextAction": "end", "ErrorType": "NoMatchingCondition"},
                {"NextAction": "end", "ErrorType": "NoMatchingError"},
                {"NextAction": "end", "ErrorType": "TimeLimitExceeded"},
            ],
        },
    }


def published_view(connect: Any, instance: str, name: str = "Refund") -> str:
    """A published view with version 1; returns its bare ARN."""
    view = connect.create_view(
        InstanceId=instance, Name=name, Status="PUBLISHED", Content=VIEW_CONTENT
    )["View"]
    connect.create_view_version(InstanceId=instance, ViewId=view["Id"])
    return str(view["Arn"].rsplit(":", 1)[0])


def problems(info: pytest.ExceptionInfo[Any], key: str = "problems") -> list[str]:
    return [p["message"] for p in info.value.response[key]]


# ------------------------------------------------------------------ ShowView references
def test_a_flow_showing_an_existing_view_version_is_accepted_and_described_back(
    connect: Any, instance: str
) -> None:
    view_arn = published_view(connect, instance)
    content = flow(show(f"{view_arn}:1"), END)
    made = connect.create_contact_flow(
        InstanceId=instance, Name="Refund flow", Type="CONTACT_FLOW", Content=content
    )
    assert made["FlowContentSha256"] == hashlib.sha256(content.encode()).hexdigest()
    described = connect.describe_contact_flow(
        InstanceId=instance, ContactFlowId=made["ContactFlowId"]
    )["ContactFlow"]
    assert described["Content"] == content
    assert described["Status"] == "PUBLISHED"
    assert described["State"] == "ACTIVE"
    assert described["Arn"] == made["ContactFlowArn"]
    assert described["Arn"].endswith(f":instance/{instance}/contact-flow/{made['ContactFlowId']}")
    shown = json.loads(described["Content"])["Actions"][0]["Parameters"]["ViewResource"]["Id"]
    assert shown == f"{view_arn}:1"


@pytest.mark.parametrize(
    ("reference", "resource"),
    [
        ("{arn}", {}),
        ("{arn}:$LATEST", {}),
        ("{arn}:1", {}),
        ("{arn}", {"Version": "1"}),
        ("arn:aws:connect:us-east-1:aws:view/form", {}),
        ("arn:aws:connect:us-east-1:aws:view/after-contact-work:1", {}),
        ("$.Attributes.ViewArn", {}),  # resolved when the flow runs, not on publish
    ],
)
def test_showview_references_that_name_a_view(
    connect: Any, instance: str, reference: str, resource: dict[str, Any]
) -> None:
    view_arn = published_view(connect, instance)
    content = flow(show(reference.format(arn=view_arn), **resource), END)
    connect.create_contact_flow(InstanceId=instance, Name="f", Type="CONTACT_FLOW", Content=content)


@pytest.mark.parametrize(
    ("reference", "resource", "why"),
    [
        ("{arn}:2", {}, "version 2"),
        ("{arn}", {"Version": "7"}, "version 7"),
        ("{arn}:$SAVED", {}, "$SAVED"),
        ("{missing}", {}, "does not exist"),
        ("{other}", {}, "another instance"),
        ("{draft}", {}, "not published"),
        ("arn:aws:connect:us-east-1:aws:view/nope", {}, "no AWS managed view"),
        ("arn:aws:connect:eu-west-1:aws:view/form", {}, "not in us-east-1"),
    ],
)
def test_showview_references_to_missing_views_are_refused_at_their_path(
    connectviews: FakeAWS,
    connect: Any,
    instance: str,
    reference: str,
    resource: dict[str, Any],
    why: str,
) -> None:
    view_arn = published_view(connect, instance)
    draft = connect.create_view(
        InstanceId=instance, Name="Draft", Status="SAVED", Content=VIEW_CONTENT
    )["View"]
    other = connectviews.add_instance("33333333-2222-3333-4444-555555555555")
    other_view = published_view(connect, other)
    ref = reference.format(
        arn=view_arn,
        missing=view_arn.rsplit("/", 1)[0] + "/00000000-0000-4000-8000-000000000000",
        other=other_view,
        draft=draft["Arn"].rsplit(":", 1)[0],
    )
    # ShowView is Actions[1]: the problem names its path
    content = flow(
        {
            "Identifier": "start",
            "Type": "MessageParticipant",
            "Transitions": {"NextAction": "show"},
        },
        show(ref, **resource),
        END,
        start="start",
    )
    with pytest.raises(connect.exceptions.InvalidContactFlowException) as info:
        connect.create_contact_flow(
            InstanceId=instance, Name="f", Type="CONTACT_FLOW", Content=content
        )
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    [message] = problems(info)
    assert message.startswith("Invalid Action property value")
    assert why in message
    assert message.endswith("Path: Actions[1].Parameters.ViewResource.Id")
    names = [
        f["Name"] for f in connect.list_contact_flows(InstanceId=instance)["ContactFlowSummaryList"]
    ]
    assert "f" not in names
    # saving it as a draft checks nothing but JSON
    connect.create_contact_flow(
        InstanceId=instance, Name="f", Type="CONTACT_FLOW", Content=content, Status="SAVED"
    )


def test_a_flow_that_showed_a_deleted_view_cannot_be_published_again(
    connect: Any, instance: str
) -> None:
    view_arn = published_view(connect, instance)
    made = connect.create_contact_flow(
        InstanceId=instance, Name="f", Type="CONTACT_FLOW", Content=flow(show(view_arn), END)
    )
    connect.delete_view(InstanceId=instance, ViewId=view_arn)  # allowed: no dependency tracking
    with pytest.raises(connect.exceptions.InvalidContactFlowException) as info:
        connect.update_contact_flow_content(
            InstanceId=instance,
            ContactFlowId=made["ContactFlowId"],
            Content=flow(show(view_arn), END),
        )
    assert problems(info)[0].endswith("Path: Actions[0].Parameters.ViewResource.Id")


@pytest.mark.connectviews(check_flow_references=False)
def test_the_reference_check_can_be_switched_off(connect: Any, instance: str) -> None:
    missing = f"arn:aws:connect:us-east-1:123456789012:instance/{instance}/view/nope"
    connect.create_contact_flow(
        InstanceId=instance, Name="f", Type="CONTACT_FLOW", Content=flow(show(missing), END)
    )


def test_modules_check_view_references_too_and_answer_capital_problems(
    connect: Any, instance: str
) -> None:
    with pytest.raises(connect.exceptions.InvalidContactFlowModuleException) as info:
        connect.create_contact_flow_module(
            InstanceId=instance,
            Name="m",
            Content=flow(show("arn:aws:connect:us-east-1:aws:view/nope"), END),
        )
    assert problems(info, "Problems")[0].endswith("Path: Actions[0].Parameters.ViewResource.Id")


# ------------------------------------------------------------------ flow language
def test_publish_reports_every_problem_in_document_order(connect: Any, instance: str) -> None:
    content = json.dumps(
        {
            "Version": "2020-01-01",
            "StartAction": "nowhere",
            "Actions": [
                {"Identifier": "a", "Type": "MessageParticipant", "Transitions": {}},
                {"Identifier": "a", "Type": "Wait", "Transitions": {"NextAction": "b"}},
                {
                    "Identifier": "c",
                    "Type": "CheckAttribute",
                    "Transitions": {
                        "NextAction": "a",
                        "Errors": [{"ErrorType": "NoMatchingError", "NextAction": "gone"}],
                    },
                },
                {"Type": "DisconnectParticipant"},
            ],
        }
    )
    with pytest.raises(connect.exceptions.InvalidContactFlowException) as info:
        connect.create_contact_flow(
            InstanceId=instance, Name="bad", Type="CONTACT_FLOW", Content=content
        )
    paths = [m.rsplit("Path: ", 1)[1] for m in problems(info)]
    assert paths == [
        "Version",
        "StartAction",
        "Actions[0].Transitions.NextAction",
        "Actions[1].Identifier",
        "Actions[1].Transitions.NextAction",
        "Actions[2].Transitions.Errors[0].NextAction",
        "Actions[3].Identifier",
    ]
    assert (
        problems(info)[2]
        == "Action is missing required property. Path: Actions[0].Transitions.NextAction"
    )


@pytest.mark.parametrize("content", ["not json", "[1]", '"text"'])
def test_even_a_draft_must_be_a_json_object(connect: Any, instance: str, content: str) -> None:
    with pytest.raises(connect.exceptions.InvalidContactFlowException):
        connect.create_contact_flow(
            InstanceId=instance, Name="d", Type="CONTACT_FLOW", Content=content, Status="SAVED"
        )


def test_at_most_250_actions(connect: Any, instance: str) -> None:
    actions = [
        {"Identifier": f"a{i}", "Type": "MessageParticipant", "Transitions": {"NextAction": "end"}}
        for i in range(250)
    ]
    connect.create_contact_flow(
        InstanceId=instance,
        Name="ok",
        Type="CONTACT_FLOW",
        Content=flow(*actions[:249], END, start="a0"),
    )
    with pytest.raises(connect.exceptions.InvalidContactFlowException) as info:
        connect.create_contact_flow(
            InstanceId=instance,
            Name="big",
            Type="CONTACT_FLOW",
            Content=flow(*actions, END, start="a0"),
        )
    assert problems(info) == ["A flow can have at most 250 actions. Path: Actions"]


# ------------------------------------------------------------------ copies and qualifiers
def test_saved_and_published_copies(connect: Any, instance: str) -> None:
    draft = connect.create_contact_flow(
        InstanceId=instance, Name="d", Type="CONTACT_FLOW", Content="{}", Status="SAVED"
    )
    flow_id = draft["ContactFlowId"]
    with pytest.raises(connect.exceptions.ContactFlowNotPublishedException) as info:
        connect.describe_contact_flow(InstanceId=instance, ContactFlowId=flow_id)
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    saved = connect.describe_contact_flow(InstanceId=instance, ContactFlowId=f"{flow_id}:$SAVED")
    assert (saved["ContactFlow"]["Status"], saved["ContactFlow"]["Content"]) == ("SAVED", "{}")
    summary = connect.list_contact_flows(InstanceId=instance, ContactFlowTypes=["CONTACT_FLOW"])
    assert [s["ContactFlowStatus"] for s in summary["ContactFlowSummaryList"]] == ["SAVED"]

    published = flow(END, start="end")
    connect.update_contact_flow_content(
        InstanceId=instance, ContactFlowId=flow_id, Content=published
    )
    assert (
        connect.describe_contact_flow(InstanceId=instance, ContactFlowId=flow_id)["ContactFlow"][
            "Content"
        ]
        == published
    )
    # a $SAVED update saves without publishing (or validating the flow language)
    connect.update_contact_flow_content(
        InstanceId=instance, ContactFlowId=f"{draft['ContactFlowArn']}:$SAVED", Content='{"x":1}'
    )
    latest = connect.describe_contact_flow(InstanceId=instance, ContactFlowId=flow_id)
    assert latest["ContactFlow"]["Content"] == published
    saved = connect.describe_contact_flow(InstanceId=instance, ContactFlowId=f"{flow_id}:$SAVED")
    assert (saved["ContactFlow"]["Status"], saved["ContactFlow"]["Content"]) == ("SAVED", '{"x":1}')


def test_versions_are_numbered_never_reused_and_readable(connect: Any, instance: str) -> None:
    first = flow(END, start="end")
    made = connect.create_contact_flow(
        InstanceId=instance, Name="v", Type="CONTACT_FLOW", Content=first
    )
    flow_id = made["ContactFlowId"]
    one = connect.create_contact_flow_version(
        InstanceId=instance, ContactFlowId=flow_id, FlowContentSha256=made["FlowContentSha256"]
    )
    assert (one["Version"], one["ContactFlowArn"]) == (1, f"{made['ContactFlowArn']}:1")
    second = flow({**END, "Identifier": "bye"}, start="bye")
    connect.update_contact_flow_content(InstanceId=instance, ContactFlowId=flow_id, Content=second)
    with pytest.raises(connect.exceptions.InvalidRequestException):
        connect.create_contact_flow_version(
            InstanceId=instance, ContactFlowId=flow_id, FlowContentSha256=made["FlowContentSha256"]
        )
    assert (
        connect.create_contact_flow_version(
            InstanceId=instance, ContactFlowId=flow_id, Description="two"
        )["Version"]
        == 2
    )
    connect.delete_contact_flow_version(
        InstanceId=instance, ContactFlowId=flow_id, ContactFlowVersion=2
    )
    assert (
        connect.create_contact_flow_version(InstanceId=instance, ContactFlowId=flow_id)["Version"]
        == 3
    )
    listed = connect.list_contact_flow_versions(InstanceId=instance, ContactFlowId=flow_id)
    assert [v["Version"] for v in listed["ContactFlowVersionSummaryList"]] == [3, 1]
    v1 = connect.describe_contact_flow(InstanceId=instance, ContactFlowId=f"{flow_id}:1")
    assert (v1["ContactFlow"]["Content"], v1["ContactFlow"]["Version"]) == (first, 1)
    with pytest.raises(connect.exceptions.ResourceNotFoundException):
        connect.describe_contact_flow(InstanceId=instance, ContactFlowId=f"{flow_id}:2")


# ------------------------------------------------------------------ the Terraform resources' calls
def test_terraform_contact_flow_resource(connect: Any, instance: str) -> None:
    content = flow(
        {
            "Identifier": "12345678-1234-1234-1234-123456789012",
            "Type": "MessageParticipant",
            "Transitions": {
                "NextAction": "abcdef-abcd-abcd-abcd-abcdefghijkl",
                "Errors": [],
                "Conditions": [],
            },
            "Parameters": {"Text": "Thanks for calling the sample flow!"},
        },
        {
            "Identifier": "abcdef-abcd-abcd-abcd-abcdefghijkl",
            "Type": "DisconnectParticipant",
            "Transitions": {},
            "Parameters": {},
        },
        start="12345678-1234-1234-1234-123456789012",
    )
    made = connect.create_contact_flow(
        InstanceId=instance,
        Name="tf",
        Description="d",
        Type="CONTACT_FLOW",
        Content=content,
        Tags={"k": "v"},
    )
    read = connect.describe_contact_flow(InstanceId=instance, ContactFlowId=made["ContactFlowId"])[
        "ContactFlow"
    ]
    assert {k: read[k] for k in ("Arn", "Id", "Name", "Description", "Type", "Tags")} == {
        "Arn": made["ContactFlowArn"],
        "Id": made["ContactFlowId"],
        "Name": "tf",
        "Description": "d",
        "Type": "CONTACT_FLOW",
        "Tags": {"k": "v"},
    }
    connect.update_contact_flow_name(
        InstanceId=instance, ContactFlowId=made["ContactFlowId"], Name="tf", Description=""
    )
    connect.update_contact_flow_content(
        InstanceId=instance, ContactFlowId=made["ContactFlowId"], Content=content
    )
    read = connect.describe_contact_flow(InstanceId=instance, ContactFlowId=made["ContactFlowId"])[
        "ContactFlow"
    ]
    assert "Description" not in read
    # the data source: find by name with MaxResults 60
    pages = connect.get_paginator("list_contact_flows").paginate(
        InstanceId=instance, PaginationConfig={"PageSize": 60}
    )
    found = [s for p in pages for s in p["ContactFlowSummaryList"] if s["Name"] == "tf"]
    assert [s["Id"] for s in found] == [made["ContactFlowId"]]
    connect.delete_contact_flow(InstanceId=instance, ContactFlowId=made["ContactFlowArn"])
    with pytest.raises(connect.exceptions.ResourceNotFoundException):
        connect.describe_contact_flow(InstanceId=instance, ContactFlowId=made["ContactFlowId"])
    with pytest.raises(connect.exceptions.ResourceNotFoundException):
        connect.delete_contact_flow(InstanceId=instance, ContactFlowId=made["ContactFlowId"])


def test_terraform_contact_flow_module_resource(connect: Any, instance: str) -> None:
    content = json.dumps(
        {
            "Version": "2019-10-30",
            "StartAction": "m",
            "Actions": [
                {
                    "Identifier": "m",
                    "Type": "MessageParticipant",
                    "Parameters": {"Text": "hi"},
                    "Transitions": {"NextAction": "d"},
                },
                {
                    "Identifier": "d",
                    "Type": "DisconnectParticipant",
                    "Parameters": {},
                    "Transitions": {},
                },
            ],
            "Settings": {"InputParameters": [], "OutputParameters": [], "Transitions": []},
        }
    )
    made = connect.create_contact_flow_module(
        InstanceId=f"arn:aws:connect:us-east-1:123456789012:instance/{instance}",
        Name="mod",
        Description="d",
        Content=content,
        Tags={"k": "v"},
    )
    assert made["Arn"].endswith(f"/flow-module/{made['Id']}")
    read = connect.describe_contact_flow_module(
        InstanceId=instance, ContactFlowModuleId=made["Id"]
    )["ContactFlowModule"]
    assert (read["Status"], read["State"], read["Content"], read["Tags"]) == (
        "PUBLISHED",
        "ACTIVE",
        content,
        {"k": "v"},
    )
    connect.update_contact_flow_module_metadata(
        InstanceId=instance, ContactFlowModuleId=made["Id"], Name="mod", Description="changed"
    )
    connect.update_contact_flow_module_content(
        InstanceId=instance, ContactFlowModuleId=made["Arn"], Content=content
    )
    assert (
        connect.describe_contact_flow_module(InstanceId=instance, ContactFlowModuleId=made["Id"])[
            "ContactFlowModule"
        ]["Description"]
        == "changed"
    )
    connect.delete_contact_flow_module(InstanceId=instance, ContactFlowModuleId=made["Id"])
    with pytest.raises(connect.exceptions.ResourceNotFoundException):
        connect.describe_contact_flow_module(InstanceId=instance, ContactFlowModuleId=made["Id"])


def test_module_client_token_and_versions(connect: Any, instance: str) -> None:
    content = flow(END, start="end")
    first = connect.create_contact_flow_module(
        InstanceId=instance, Name="m", Content=content, ClientToken="t"
    )
    again = connect.create_contact_flow_module(
        InstanceId=instance, Name="m", Content=content, ClientToken="t"
    )
    assert again["Id"] == first["Id"]
    with pytest.raises(connect.exceptions.IdempotencyException):
        connect.create_contact_flow_module(
            InstanceId=instance, Name="m2", Content=content, ClientToken="t"
        )
    with pytest.raises(connect.exceptions.DuplicateResourceException):
        connect.create_contact_flow_module(InstanceId=instance, Name="m", Content=content)
    version = connect.create_contact_flow_module_version(
        InstanceId=instance,
        ContactFlowModuleId=first["Id"],
        FlowModuleContentSha256=hashlib.sha256(content.encode()).hexdigest(),
    )
    assert (version["Version"], version["ContactFlowModuleArn"]) == (1, f"{first['Arn']}:1")
    listed = connect.list_contact_flow_module_versions(
        InstanceId=instance, ContactFlowModuleId=first["Id"]
    )
    assert [v["Version"] for v in listed["ContactFlowModuleVersionSummaryList"]] == [1]
    connect.update_contact_flow_module_metadata(
        InstanceId=instance, ContactFlowModuleId=first["Id"], State="ARCHIVED"
    )
    archived = connect.list_contact_flow_modules(
        InstanceId=instance, ContactFlowModuleState="ARCHIVED"
    )
    assert [m["Id"] for m in archived["ContactFlowModulesSummaryList"]] == [first["Id"]]
    assert (
        connect.list_contact_flow_modules(InstanceId=instance, ContactFlowModuleState="ACTIVE")[
            "ContactFlowModulesSummaryList"
        ]
        == []
    )


# ------------------------------------------------------------ instance contents, names, search
def test_a_new_instance_holds_the_default_flows(connect: Any, instance: str) -> None:
    summaries = connect.list_contact_flows(InstanceId=instance)["ContactFlowSummaryList"]
    assert {s["Name"]: s["ContactFlowType"] for s in summaries} == {
        "Default agent hold": "AGENT_HOLD",
        "Default agent transfer": "AGENT_TRANSFER",
        "Default agent whisper": "AGENT_WHISPER",
        "Default customer hold": "CUSTOMER_HOLD",
        "Default customer queue": "CUSTOMER_QUEUE",
        "Default customer whisper": "CUSTOMER_WHISPER",
        "Default outbound": "OUTBOUND_WHISPER",
        "Default queue transfer": "QUEUE_TRANSFER",
    }
    assert {s["ContactFlowStatus"] for s in summaries} == {"PUBLISHED"}
    for summary in summaries:  # their content is valid flow language: publishing it again works
        content = connect.describe_contact_flow(InstanceId=instance, ContactFlowId=summary["Id"])[
            "ContactFlow"
        ]["Content"]
        connect.update_contact_flow_content(
            InstanceId=instance, ContactFlowId=summary["Id"], Content=content
        )
    holds = connect.list_contact_flows(
        InstanceId=instance, ContactFlowTypes=["AGENT_HOLD", "CUSTOMER_HOLD"]
    )
    assert len(holds["ContactFlowSummaryList"]) == 2


def test_flow_names_are_unique_per_instance_across_types(connect: Any, instance: str) -> None:
    content = flow(END, start="end")
    a = connect.create_contact_flow(
        InstanceId=instance, Name="Same", Type="CONTACT_FLOW", Content=content
    )
    with pytest.raises(connect.exceptions.DuplicateResourceException):
        connect.create_contact_flow(
            InstanceId=instance, Name="Same", Type="CUSTOMER_QUEUE", Content=content
        )
    with pytest.raises(connect.exceptions.DuplicateResourceException):
        connect.update_contact_flow_metadata(
            InstanceId=instance, ContactFlowId=a["ContactFlowId"], Name="Default outbound"
        )
    connect.update_contact_flow_metadata(
        InstanceId=instance,
        ContactFlowId=a["ContactFlowId"],
        Name="Same",
        ContactFlowState="ARCHIVED",
    )
    connect.create_contact_flow(
        InstanceId=instance, Name="same", Type="CONTACT_FLOW", Content=content
    )  # case-sensitive


def test_search_contact_flows(connect: Any, instance: str) -> None:
    content = flow(END, start="end")
    connect.create_contact_flow(
        InstanceId=instance,
        Name="Refund queue",
        Type="CUSTOMER_QUEUE",
        Content=content,
        Tags={"team": "a"},
    )
    connect.create_contact_flow(
        InstanceId=instance,
        Name="Refund inbound",
        Type="CONTACT_FLOW",
        Content=content,
        Description="refunds",
    )
    by_name = connect.search_contact_flows(
        InstanceId=instance,
        SearchCriteria={
            "StringCondition": {
                "FieldName": "name",
                "Value": "refund",
                "ComparisonType": "STARTS_WITH",
            }
        },
    )
    assert [f["Name"] for f in by_name["ContactFlows"]] == ["Refund inbound", "Refund queue"]
    assert by_name["ApproximateTotalCount"] == 2
    typed = connect.search_contact_flows(
        InstanceId=instance,
        SearchCriteria={
            "AndConditions": [{"TypeCondition": "CUSTOMER_QUEUE"}, {"StatusCondition": "PUBLISHED"}]
        },
    )
    assert sorted(f["Name"] for f in typed["ContactFlows"]) == [
        "Default customer queue",
        "Refund queue",
    ]
    tagged = connect.search_contact_flows(
        InstanceId=instance,
        SearchFilter={"TagFilter": {"TagCondition": {"TagKey": "team", "TagValue": "a"}}},
    )
    assert [f["Name"] for f in tagged["ContactFlows"]] == ["Refund queue"]
    assert tagged["ContactFlows"][0]["Tags"] == {"team": "a"}
    pages = list(
        connect.get_paginator("search_contact_flows").paginate(
            InstanceId=instance, PaginationConfig={"PageSize": 3}
        )
    )
    assert sum(len(p["ContactFlows"]) for p in pages) == 10
    with pytest.raises(connect.exceptions.InvalidParameterException):
        connect.search_contact_flows(
            InstanceId=instance,
            SearchCriteria={"StringCondition": {"FieldName": "status", "Value": "x"}},
        )


def test_flow_quota_answers_limit_exceeded(connectviews: FakeAWS, instance: str) -> None:
    connectviews.set_quota("connect.contact_flows_per_instance", 9)  # the 8 default flows count
    client = boto3.client(
        "connect", region_name=REGION, config=Config(retries={"total_max_attempts": 1})
    )
    content = flow(END, start="end")
    client.create_contact_flow(
        InstanceId=instance, Name="ninth", Type="CONTACT_FLOW", Content=content
    )
    with pytest.raises(client.exceptions.LimitExceededException) as info:
        client.create_contact_flow(
            InstanceId=instance, Name="tenth", Type="CONTACT_FLOW", Content=content
        )
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429


def test_flow_operations_throttle_with_throttling_exception(
    connectviews: FakeAWS, connect: Any, instance: str
) -> None:
    connectviews.throttle(rate=0, burst=0, operation="ListContactFlows")
    client = boto3.client(
        "connect", region_name=REGION, config=Config(retries={"total_max_attempts": 2})
    )
    with pytest.raises(client.exceptions.ThrottlingException):
        client.list_contact_flows(InstanceId=instance)
    assert [c.error_code for c in connectviews.calls.filter("ListContactFlows")] == [
        "ThrottlingException"
    ] * 2


def test_flow_and_module_tags(connect: Any, instance: str) -> None:
    content = flow(END, start="end")
    made = connect.create_contact_flow(
        InstanceId=instance, Name="t", Type="CONTACT_FLOW", Content=content
    )
    module = connect.create_contact_flow_module(InstanceId=instance, Name="t", Content=content)
    for arn in (made["ContactFlowArn"], module["Arn"]):
        connect.tag_resource(resourceArn=arn, tags={"a": "1", "b": "2"})
        connect.untag_resource(resourceArn=arn, tagKeys=["a"])
        assert connect.list_tags_for_resource(resourceArn=arn)["tags"] == {"b": "2"}
    connect.delete_contact_flow(InstanceId=instance, ContactFlowId=made["ContactFlowId"])
    with pytest.raises(connect.exceptions.ResourceNotFoundException):
        connect.list_tags_for_resource(resourceArn=made["ContactFlowArn"])


def test_flow_ids_of_another_instance_are_not_found(
    connectviews: FakeAWS, connect: Any, instance: str
) -> None:
    other = connectviews.add_instance("44444444-2222-3333-4444-555555555555")
    made = connect.create_contact_flow(
        InstanceId=instance, Name="t", Type="CONTACT_FLOW", Content=flow(END, start="end")
    )
    for ref in (made["ContactFlowId"], made["ContactFlowArn"]):
        with pytest.raises(connect.exceptions.ResourceNotFoundException):
            connect.describe_contact_flow(InstanceId=other, ContactFlowId=ref)
