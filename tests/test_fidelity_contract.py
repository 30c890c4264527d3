"""The response contract: complete responses for every operation, checked against the model.

``tests/conftest.py`` applies ``check_response`` to every successful response of the whole suite;
these tests pin the contract itself and prove that the checker and the suite-wide hook catch a
response that is incomplete or breaks the botocore output shape.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest

from pytest_connectviews import FakeAWS
from pytest_connectviews._models import service_model
from pytest_connectviews.contract import CONTRACT, EMPTY_TAGS_ALLOWED, check_response

DATA = Path(__file__).parent / "data"
CARDS = json.loads((DATA / "views" / "customer_managed_cards_awsdoc.json").read_text("utf-8"))
WORKFLOW = (DATA / "workflows" / "awscli_get_workflow_example.yaml").read_text("utf-8")
INSTANCE = "11111111-2222-3333-4444-555555555555"
SHA = "a" * 64
NOW = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)


def content() -> dict[str, Any]:
    return {"Template": json.dumps(CARDS["Template"]), "Actions": CARDS["Actions"]}


def view(**changes: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Id": "0b286577-6474-4a95-abc9-6fef67e1521c",
        "Arn": f"arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE}/view/0b286577:$LATEST",
        "Name": "Form",
        "Status": "PUBLISHED",
        "Type": "CUSTOMER_MANAGED",
        "Content": {"InputSchema": "{}", "Template": "{}", "Actions": []},
        "CreatedTime": NOW,
        "LastModifiedTime": NOW,
        "ViewContentSha256": SHA,
    }
    out.update(changes)
    return {k: v for k, v in out.items() if v is not ...}


def workflow(**changes: Any) -> dict[str, Any]:
    base = "arn:aws:imagebuilder:us-east-1:123456789012:workflow/build/my-wf"
    out: dict[str, Any] = {
        "workflow": {
            "arn": f"{base}/1.0.0/1",
            "name": "my-wf",
            "version": "1.0.0",
            "type": "BUILD",
            "owner": "123456789012",
            "data": "schemaVersion: 1.0",
            "dateCreated": "2026-09-09T19:55:55.731Z",
            "tags": {},
            "parameters": [],
        },
        "latestVersionReferences": {
            "latestVersionArn": f"{base}/x.x.x",
            "latestMajorVersionArn": f"{base}/1.x.x",
            "latestMinorVersionArn": f"{base}/1.0.x",
            "latestPatchVersionArn": f"{base}/1.0.0",
        },
    }
    out["workflow"].update(changes)
    out["workflow"] = {k: v for k, v in out["workflow"].items() if v is not ...}
    return out


# ------------------------------------------------------------------------------ the contract
@pytest.mark.parametrize("service", ["connect", "imagebuilder"])
def test_the_contract_covers_exactly_the_implemented_operations(service: str) -> None:
    fake = FakeAWS()
    implemented = set(fake.backend(service).operations)
    covered = {op for svc, op in CONTRACT if svc == service}
    assert covered == implemented


@pytest.mark.parametrize(("service", "operation"), sorted(CONTRACT))
def test_every_contract_member_is_a_member_of_the_output_shape(
    service: str, operation: str
) -> None:
    output = service_model(service).operation_model(operation).output_shape
    for member in CONTRACT[service, operation]:
        shape = output
        for segment in member.path.split("."):
            name = segment.removesuffix("[]")
            assert shape is not None
            assert name in shape.members, (service, operation, member.path)
            shape = shape.members[name]
            if segment.endswith("[]"):
                assert shape.type_name == "list"
                shape = shape.member


def test_the_view_contract_lists_what_describe_view_really_returns() -> None:
    paths = {m.path for m in CONTRACT["connect", "DescribeView"]}
    assert {
        "View.Id",
        "View.Arn",
        "View.Name",
        "View.Status",
        "View.Type",
        "View.Content.InputSchema",
        "View.Content.Template",
        "View.Content.Actions",
        "View.CreatedTime",
        "View.LastModifiedTime",
        "View.ViewContentSha256",
        "View.Version",
    } <= paths


def test_the_workflow_contract_lists_what_get_workflow_really_returns() -> None:
    paths = {m.path for m in CONTRACT["imagebuilder", "GetWorkflow"]}
    assert {
        f"workflow.{n}"
        for n in (
            "arn",
            "name",
            "version",
            "type",
            "owner",
            "data",
            "dateCreated",
            "tags",
            "parameters",
        )
    } | {"latestVersionReferences.latestVersionArn"} <= paths


# ------------------------------------------------------------------------------ the checker
def test_a_complete_view_response_has_no_problem() -> None:
    assert check_response("connect", "DescribeView", {"View": view()}) == []


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ({"View": view(ViewContentSha256=...)}, "View.ViewContentSha256: missing"),
        (
            {"View": view(Content={"Template": "{}", "Actions": []})},
            "View.Content.InputSchema: missing",
        ),
        ({}, "View: missing"),
        ({"View": view(Arn=view()["Arn"].replace("$LATEST", "3"))}, "View.Version: missing"),
        ({"View": view(Status="DRAFT")}, "'DRAFT' is not one of ViewStatus's values"),
        ({"View": view(CreatedTime="2026-01-01")}, "View.CreatedTime: must be a datetime"),
        ({"View": view(CreatedTime=NOW.replace(tzinfo=None))}, "naive"),
        ({"View": view(Version="1")}, "View.Version: must be an integer"),
        ({"View": view(Colour="red")}, "View.Colour: not a member of View"),
        ({"View": view(ViewContentSha256="A" * 64)}, "does not match ViewContentSha256's pattern"),
        ({"View": view(Tags={})}, "View.Tags: size 0 is below TagMap's minimum 1"),
        ({"View": view(Description=None)}, "View.Description: is None"),
        ({"View": view(Name="x" * 256)}, "View.Name: size 256 is above ViewName's maximum 255"),
        ({"View": view(Name=" leading space")}, "does not match ViewName's pattern"),
    ],
    ids=[
        "missing-sha",
        "missing-nested",
        "missing-top",
        "numbered-without-version",
        "enum",
        "timestamp-type",
        "naive-datetime",
        "integer-type",
        "unknown-member",
        "sha-not-lower-hex",
        "empty-tags-not-allowed-here",
        "none-value",
        "too-long",
        "pattern",
    ],
)
def test_the_checker_reports_each_kind_of_problem(response: dict[str, Any], expected: str) -> None:
    problems = check_response("connect", "DescribeView", response)
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("connect DescribeView: ") for p in problems)


def test_the_model_bug_pattern_of_view_content_sha256_is_not_applied() -> None:
    # The model says ^[a-zA-Z0-9]$ (one character); real values are 64 lower-case hex characters.
    assert (
        check_response("connect", "DescribeView", {"View": view(ViewContentSha256="0" * 64)}) == []
    )


def test_empty_tags_are_allowed_exactly_where_spec_says() -> None:
    assert ("imagebuilder", "GetWorkflow", "workflow.tags") in EMPTY_TAGS_ALLOWED
    assert check_response("imagebuilder", "GetWorkflow", workflow()) == []
    assert check_response("connect", "ListTagsForResource", {"tags": {}}) == []
    assert check_response("imagebuilder", "ListTagsForResource", {"tags": {}}) == []
    assert check_response("imagebuilder", "ListTagsForResource", {}) == [
        "imagebuilder ListTagsForResource: tags: missing, the real service returns it"
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"tags": ...}, "workflow.tags: missing"),
        ({"parameters": ...}, "workflow.parameters: missing"),
        ({"dateCreated": "2026-09-09T19:55:55Z"}, "does not match DateTime's pattern"),
        ({"parameters": [{"name": "p"}]}, "workflow.parameters[0].type: missing, required"),
        ({"type": "build"}, "'build' is not one of WorkflowType's values"),
    ],
)
def test_the_checker_reports_workflow_problems(changes: dict[str, Any], expected: str) -> None:
    problems = check_response("imagebuilder", "GetWorkflow", workflow(**changes))
    assert any(expected in p for p in problems), problems


def test_managed_workflows_need_only_the_latest_version_reference() -> None:
    base = "arn:aws:imagebuilder:us-east-1:aws:workflow/build/build-image"
    response = workflow(arn=f"{base}/1.0.3/1", owner="Amazon")
    response["latestVersionReferences"] = {"latestVersionArn": f"{base}/x.x.x"}
    assert check_response("imagebuilder", "GetWorkflow", response) == []
    customer = workflow()
    del customer["latestVersionReferences"]["latestPatchVersionArn"]
    assert check_response("imagebuilder", "GetWorkflow", customer) == [
        "imagebuilder GetWorkflow: latestVersionReferences.latestPatchVersionArn: missing, the "
        "real service returns it (customer workflows carry all four references, AWS-managed ones "
        "only x.x.x)"
    ]


def test_build_version_summaries_carry_build_arns_despite_the_model() -> None:
    item = {
        "arn": "arn:aws:imagebuilder:us-east-1:123456789012:workflow/build/my-wf/1.0.0/2",
        "name": "my-wf",
        "version": "1.0.0",
        "type": "BUILD",
        "owner": "123456789012",
        "dateCreated": "2026-09-09T19:55:55.731Z",
    }
    ok = {"workflowSummaryList": [item]}
    assert check_response("imagebuilder", "ListWorkflowBuildVersions", ok) == []
    bad = {"workflowSummaryList": [{**item, "arn": item["arn"].rsplit("/", 1)[0]}]}
    assert check_response("imagebuilder", "ListWorkflowBuildVersions", bad)


def test_an_operation_without_a_contract_is_a_problem() -> None:
    assert check_response("connect", "DescribeInstance", {}) == [
        "connect DescribeInstance: no response contract "
        "(add it to pytest_connectviews.contract.CONTRACT)"
    ]


# ------------------------------------------------------------------------------ real responses
def _all_connect_operations(connect: Any) -> None:
    made = connect.create_view(
        InstanceId=INSTANCE, Name="Cards", Status="PUBLISHED", Content=content(), Tags={"a": "b"}
    )["View"]
    connect.create_view(InstanceId=INSTANCE, Name="Draft", Status="SAVED", Content=content())
    connect.create_view_version(InstanceId=INSTANCE, ViewId=made["Id"], VersionDescription="v1")
    connect.describe_view(InstanceId=INSTANCE, ViewId=made["Id"])
    connect.describe_view(InstanceId=INSTANCE, ViewId=f"{made['Id']}:1")
    connect.describe_view(InstanceId=INSTANCE, ViewId=f"{made['Id']}:$SAVED")
    connect.describe_view(
        InstanceId=INSTANCE, ViewId="arn:aws:connect:us-east-1:aws:view/after-contact-work"
    )
    connect.update_view_content(
        InstanceId=INSTANCE, ViewId=made["Id"], Status="SAVED", Content=content()
    )
    connect.update_view_metadata(InstanceId=INSTANCE, ViewId=made["Id"], Description="d")
    connect.list_views(InstanceId=INSTANCE)
    connect.list_view_versions(InstanceId=INSTANCE, ViewId=made["Id"])
    connect.search_views(InstanceId=INSTANCE)
    arn = made["Arn"].rsplit(":", 1)[0]
    connect.tag_resource(resourceArn=arn, tags={"c": "d"})
    connect.untag_resource(resourceArn=arn, tagKeys=["a", "c"])
    connect.list_tags_for_resource(resourceArn=arn)
    connect.delete_view_version(InstanceId=INSTANCE, ViewId=made["Id"], ViewVersion=1)
    connect.delete_view(InstanceId=INSTANCE, ViewId=made["Id"])


def _all_imagebuilder_operations(ib: Any) -> None:
    arn = ib.create_workflow(
        name="My Workflow", semanticVersion="1.0.0", type="BUILD", data=WORKFLOW
    )["workflowBuildVersionArn"]
    ib.get_workflow(workflowBuildVersionArn=arn)
    ib.get_workflow(
        workflowBuildVersionArn="arn:aws:imagebuilder:us-east-1:aws:workflow/build/build-image/x.x.x"
    )
    ib.list_workflows()
    ib.list_workflows(owner="Amazon")
    ib.list_workflow_build_versions(workflowVersionArn=arn.rsplit("/", 1)[0])
    ib.tag_resource(resourceArn=arn, tags={"a": "b"})
    ib.list_tags_for_resource(resourceArn=arn)
    ib.untag_resource(resourceArn=arn, tagKeys=["a"])
    ib.list_tags_for_resource(resourceArn=arn)
    ib.delete_workflow(workflowBuildVersionArn=arn)


@pytest.mark.parametrize(
    ("service", "exercise"),
    [("connect", _all_connect_operations), ("imagebuilder", _all_imagebuilder_operations)],
)
def test_every_operation_answers_a_complete_response(
    connectviews: FakeAWS, service: str, exercise: Callable[[Any], None]
) -> None:
    exercise(boto3.client(service, region_name="us-east-1"))
    answered = connectviews.calls.filter(service=service, ok=True)
    assert set(answered.operations) == set(connectviews.backend(service).operations)
    for call in answered:
        assert call.response is not None
        assert check_response(service, call.operation, call.response) == [], call


def test_the_suite_hook_fails_a_call_whose_response_is_incomplete(
    connectviews: FakeAWS, monkeypatch: pytest.MonkeyPatch, response_contract: list[str]
) -> None:
    from pytest_connectviews.services.connect_views import ConnectViews

    original = ConnectViews._wire_view

    def without_sha(self: ConnectViews, *args: Any) -> dict[str, Any]:
        out = original(self, *args)
        del out["ViewContentSha256"]
        return out

    monkeypatch.setattr(ConnectViews, "_wire_view", without_sha)
    connect = boto3.client("connect", region_name="us-east-1")
    with pytest.raises(AssertionError, match=r"View\.ViewContentSha256: missing"):
        connect.create_view(InstanceId=INSTANCE, Name="Cards", Status="SAVED", Content=content())
    assert response_contract == [
        "connect CreateView: View.ViewContentSha256: missing, the real service returns it"
    ]
    response_contract.clear()  # the problem was on purpose; do not fail this test at teardown


def test_the_suite_hook_watches_fakes_made_inside_the_test(response_contract: list[str]) -> None:
    with FakeAWS() as fake:
        assert fake.call_observers, "the suite-wide contract observer is attached"
        boto3.client("connect", region_name="us-east-1").list_views(InstanceId=INSTANCE)
    assert response_contract == []
