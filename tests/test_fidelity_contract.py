"""The response contract: complete responses for every operation, checked against the model.

``tests/conftest.py`` applies ``check_wire`` to every successful response of the whole suite (what
botocore parsed and the encoded body); these tests pin the contract itself and prove that the
checkers and the suite-wide hook catch a response that is incomplete, carries a key botocore drops
or a value of the wrong JSON type, or otherwise breaks the botocore output shape.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import botocore.endpoint
import botocore.parsers
import pytest
from _contract import (
    CONTRACT,
    EMPTY_TAGS_ALLOWED,
    check_body,
    check_response,
    check_wire,
    service_model,
)

from pytest_connectviews import FakeAWS, dispatch

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
    # Adding an operation to a family means adding its contract row; the suite hook checks
    # exactly the operations of CONTRACT (others, such as moto's, are not the fake's).
    covered = {op for svc, op in CONTRACT if svc == service}
    assert covered == set(dispatch.operations(service))


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
    assert check_response("connect", "ListQueues", {}) == [
        "connect ListQueues: no response contract (add it to CONTRACT in tests/_contract.py)"
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
    flow_content = json.dumps(
        {
            "Version": "2019-10-30",
            "StartAction": "show",
            "Actions": [
                {
                    "Identifier": "show",
                    "Type": "ShowView",
                    "Parameters": {"ViewResource": {"Id": f"{arn}:1"}},
                    "Transitions": {"NextAction": "end"},
                },
                {"Identifier": "end", "Type": "DisconnectParticipant", "Transitions": {}},
            ],
        }
    )
    flow = connect.create_contact_flow(
        InstanceId=INSTANCE, Name="Show", Type="CONTACT_FLOW", Content=flow_content, Tags={"a": "b"}
    )
    flow_id = flow["ContactFlowId"]
    connect.describe_contact_flow(InstanceId=INSTANCE, ContactFlowId=flow_id)
    connect.describe_contact_flow(InstanceId=INSTANCE, ContactFlowId=f"{flow_id}:$SAVED")
    connect.update_contact_flow_content(
        InstanceId=INSTANCE, ContactFlowId=flow_id, Content=flow_content
    )
    connect.update_contact_flow_metadata(
        InstanceId=INSTANCE, ContactFlowId=flow_id, Description="d", ContactFlowState="ACTIVE"
    )
    connect.update_contact_flow_name(InstanceId=INSTANCE, ContactFlowId=flow_id, Name="Shown")
    connect.create_contact_flow_version(InstanceId=INSTANCE, ContactFlowId=flow_id, Description="v")
    connect.describe_contact_flow(InstanceId=INSTANCE, ContactFlowId=f"{flow_id}:1")
    connect.list_contact_flow_versions(InstanceId=INSTANCE, ContactFlowId=flow_id)
    connect.list_contact_flows(InstanceId=INSTANCE)
    connect.search_contact_flows(InstanceId=INSTANCE)
    connect.delete_contact_flow_version(
        InstanceId=INSTANCE, ContactFlowId=flow_id, ContactFlowVersion=1
    )
    connect.delete_contact_flow(InstanceId=INSTANCE, ContactFlowId=flow_id)
    module = connect.create_contact_flow_module(
        InstanceId=INSTANCE, Name="Module", Content=flow_content, Settings="{}"
    )
    connect.describe_contact_flow_module(InstanceId=INSTANCE, ContactFlowModuleId=module["Id"])
    connect.update_contact_flow_module_content(
        InstanceId=INSTANCE, ContactFlowModuleId=module["Id"], Content=flow_content
    )
    connect.update_contact_flow_module_metadata(
        InstanceId=INSTANCE, ContactFlowModuleId=module["Id"], Name="Module 2"
    )
    connect.create_contact_flow_module_version(
        InstanceId=INSTANCE, ContactFlowModuleId=module["Id"]
    )
    connect.list_contact_flow_module_versions(InstanceId=INSTANCE, ContactFlowModuleId=module["Id"])
    connect.list_contact_flow_modules(InstanceId=INSTANCE)
    connect.search_contact_flow_modules(InstanceId=INSTANCE)
    connect.delete_contact_flow_module_version(
        InstanceId=INSTANCE, ContactFlowModuleId=module["Id"], ContactFlowModuleVersion=1
    )
    connect.delete_contact_flow_module(InstanceId=INSTANCE, ContactFlowModuleId=module["Id"])
    connect.delete_view_version(InstanceId=INSTANCE, ViewId=made["Id"], ViewVersion=1)
    connect.delete_view(InstanceId=INSTANCE, ViewId=made["Id"])
    connect.describe_instance(InstanceId=INSTANCE)
    connect.update_instance_attribute(
        InstanceId=INSTANCE, AttributeType="CONTACT_LENS", Value="false"
    )
    connect.describe_instance_attribute(InstanceId=INSTANCE, AttributeType="CONTACT_LENS")
    connect.list_instance_attributes(InstanceId=INSTANCE)
    created = connect.create_instance(
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias="contract",
        InboundCallsEnabled=True,
        OutboundCallsEnabled=False,
        Tags={"a": "b"},
    )
    connect.describe_instance(InstanceId=created["Id"])
    connect.list_instances()
    connect.delete_instance(InstanceId=created["Id"])


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
    _all_imagebuilder_resource_operations(ib)


COMPONENT = (
    "schemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: Hello\n"
    "        action: ExecuteBash\n        inputs:\n          commands: [echo hi]\n"
)


def _all_imagebuilder_resource_operations(ib: Any) -> None:
    component = ib.create_component(
        name="hello", semanticVersion="1.0.0", platform="Linux", data=COMPONENT
    )["componentBuildVersionArn"]
    ib.get_component(componentBuildVersionArn=component)
    ib.list_components()
    ib.list_components(owner="Amazon")
    ib.list_component_build_versions(componentVersionArn=component.rsplit("/", 1)[0])
    recipe = ib.create_image_recipe(
        name="my-recipe",
        semanticVersion="1.0.x",
        parentImage="ami-0123456789abcdef0",
        components=[{"componentArn": component}],
    )["imageRecipeArn"]
    ib.get_image_recipe(imageRecipeArn=recipe)
    ib.list_image_recipes()
    infra = ib.create_infrastructure_configuration(name="infra", instanceProfileName="profile")[
        "infrastructureConfigurationArn"
    ]
    ib.update_infrastructure_configuration(
        infrastructureConfigurationArn=infra,
        instanceProfileName="other",
        instanceTypes=["m5.large"],
    )
    ib.get_infrastructure_configuration(infrastructureConfigurationArn=infra)
    ib.list_infrastructure_configurations()
    dist = ib.create_distribution_configuration(
        name="dist", distributions=[{"region": "us-east-1", "amiDistributionConfiguration": {}}]
    )["distributionConfigurationArn"]
    ib.update_distribution_configuration(
        distributionConfigurationArn=dist,
        distributions=[
            {
                "region": "us-west-2",
                "amiDistributionConfiguration": {"name": "a {{imagebuilder:buildDate}}"},
            }
        ],
    )
    ib.get_distribution_configuration(distributionConfigurationArn=dist)
    ib.list_distribution_configurations()
    _all_imagebuilder_build_operations(ib, recipe, infra, dist)
    ib.delete_distribution_configuration(distributionConfigurationArn=dist)
    ib.delete_infrastructure_configuration(infrastructureConfigurationArn=infra)
    ib.delete_image_recipe(imageRecipeArn=recipe)
    ib.delete_component(componentBuildVersionArn=component)


APPROVAL = "schemaVersion: 1.0\nsteps:\n  - name: Approve\n    action: WaitForAction\n"


def _all_imagebuilder_build_operations(ib: Any, recipe: str, infra: str, dist: str) -> None:
    workflow = ib.create_workflow(
        name="approval", semanticVersion="1.0.0", type="BUILD", data=APPROVAL
    )["workflowBuildVersionArn"]
    pipeline = ib.create_image_pipeline(
        name="pipe",
        imageRecipeArn=recipe,
        infrastructureConfigurationArn=infra,
        distributionConfigurationArn=dist,
        workflows=[{"workflowArn": workflow}],
        executionRole="arn:aws:iam::123456789012:role/build",
        schedule={"scheduleExpression": "cron(0 9 ? * SUN *)"},
        tags={"a": "b"},
    )["imagePipelineArn"]
    ib.update_image_pipeline(
        imagePipelineArn=pipeline,
        imageRecipeArn=recipe,
        infrastructureConfigurationArn=infra,
        distributionConfigurationArn=dist,
        workflows=[{"workflowArn": workflow}],
        executionRole="arn:aws:iam::123456789012:role/build",
    )
    ib.get_image_pipeline(imagePipelineArn=pipeline)
    ib.list_image_pipelines()
    waiting = ib.start_image_pipeline_execution(imagePipelineArn=pipeline)["imageBuildVersionArn"]
    image = ib.create_image(imageRecipeArn=recipe, infrastructureConfigurationArn=infra)[
        "imageBuildVersionArn"
    ]
    ib.get_image(imageBuildVersionArn=image)
    ib.get_image(
        imageBuildVersionArn="arn:aws:imagebuilder:us-east-1:aws:image/amazon-linux-2023-x86/x.x.x"
    )
    ib.list_images()
    ib.list_images(owner="Amazon")
    ib.list_image_build_versions(imageVersionArn=image.rsplit("/", 1)[0])
    ib.list_image_pipeline_images(imagePipelineArn=pipeline)
    ib.cancel_image_creation(imageBuildVersionArn=image)
    _CLOCKS[-1].advance(3600)
    ib.get_image(imageBuildVersionArn=image)  # CANCELLED, with a reason
    for execution in ib.list_workflow_executions(imageBuildVersionArn=waiting)[
        "workflowExecutions"
    ]:
        ib.get_workflow_execution(workflowExecutionId=execution["workflowExecutionId"])
        for step in ib.list_workflow_step_executions(
            workflowExecutionId=execution["workflowExecutionId"]
        )["steps"]:
            ib.get_workflow_step_execution(stepExecutionId=step["stepExecutionId"])
    [step] = ib.list_waiting_workflow_steps()["steps"]
    ib.send_workflow_step_action(
        stepExecutionId=step["stepExecutionId"], imageBuildVersionArn=waiting, action="RESUME"
    )
    _CLOCKS[-1].advance(3600)
    ib.get_image(imageBuildVersionArn=waiting)  # AVAILABLE
    ib.delete_image(imageBuildVersionArn=image)
    ib.delete_image(imageBuildVersionArn=waiting)
    ib.delete_image_pipeline(imagePipelineArn=pipeline)
    ib.delete_workflow(workflowBuildVersionArn=workflow)


#: the clock of the running test's fake (the build steps need fake time to pass)
_CLOCKS: list[Any] = []


@pytest.mark.parametrize(
    ("service", "exercise"),
    [("connect", _all_connect_operations), ("imagebuilder", _all_imagebuilder_operations)],
)
def test_every_operation_answers_a_complete_response(
    connectviews: FakeAWS, service: str, exercise: Callable[[Any], None]
) -> None:
    _CLOCKS.append(connectviews.clock)
    exercise(boto3.client(service, region_name="us-east-1"))
    if service == "connect":  # a failed instance answers few members (reference §1.5)
        connectviews.fail_instance_creation("failing", "Instance creation failed.")
        connect = boto3.client("connect", region_name="us-east-1")
        failed = connect.create_instance(
            IdentityManagementType="CONNECT_MANAGED",
            InstanceAlias="failing",
            InboundCallsEnabled=True,
            OutboundCallsEnabled=True,
        )
        assert connect.describe_instance(InstanceId=failed["Id"])["Instance"] == {
            "Id": failed["Id"],
            "Arn": failed["Arn"],
            "InstanceStatus": "CREATION_FAILED",
            "StatusReason": {"Message": "Instance creation failed."},
        }
        connect.list_instances()
    answered = connectviews.calls.filter(service=service, ok=True)
    assert set(answered.operations) == set(dispatch.operations(service))
    for call in answered:
        assert call.response is not None
        assert check_response(service, call.operation, call.response) == [], call


def test_the_suite_hook_watches_fakes_made_inside_the_test(response_contract: list[str]) -> None:
    assert getattr(botocore.endpoint.Endpoint._do_get_response, "_response_contract", False)
    with FakeAWS():
        boto3.client("connect", region_name="us-east-1").list_views(InstanceId=INSTANCE)
    assert response_contract == []


# ------------------------------------------------------------------------------ the wire
def _parse(service: str, operation: str, body: bytes) -> dict[str, Any]:
    """What botocore's own parser makes of a 200 ``body``: what a boto3 caller would receive."""
    model = service_model(service)
    response = {"status_code": 200, "headers": {}, "body": body, "context": {}}
    parser = botocore.parsers.create_parser(model.resolved_protocol)
    parsed = dict(parser.parse(response, model.operation_model(operation).output_shape))
    assert "ResponseMetadata" in parsed  # check_wire ignores it, check_response would not
    return parsed


def _members(parsed: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in parsed.items() if k != "ResponseMetadata"}


def _wire_view(**changes: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        **view(),
        "CreatedTime": NOW.timestamp(),
        "LastModifiedTime": NOW.timestamp(),
    }
    out.update(changes)
    return {k: v for k, v in out.items() if v is not ...}


def _encoded(obj: Any) -> bytes:
    return json.dumps(obj).encode()


def test_a_faithful_encoded_view_has_no_problem() -> None:
    body = _encoded({"View": _wire_view()})
    parsed = _parse("connect", "DescribeView", body)
    assert parsed["View"]["CreatedTime"] == NOW
    assert check_wire("connect", "DescribeView", 200, body, parsed) == []


def test_the_wire_check_sees_a_contract_member_missing_from_the_body() -> None:
    body = _encoded({"View": _wire_view(ViewContentSha256=...)})
    problems = check_wire(
        "connect", "DescribeView", 200, body, _parse("connect", "DescribeView", body)
    )
    assert problems == [
        "connect DescribeView: View.ViewContentSha256: missing, the real service returns it"
    ]


def test_the_wire_check_sees_an_unknown_key_that_botocore_drops() -> None:
    body = _encoded({"View": _wire_view(Colour="red"), "NextToken": "t"})
    parsed = _parse("connect", "DescribeView", body)
    assert "Colour" not in parsed["View"]
    assert "NextToken" not in parsed
    assert check_response("connect", "DescribeView", _members(parsed)) == []  # parsed looks fine
    problems = check_wire("connect", "DescribeView", 200, body, parsed)
    assert [p.split(" (")[0] for p in problems] == [
        "connect DescribeView: encoded body: View.Colour: not a body member of View",
        "connect DescribeView: encoded body: NextToken: not a body member of DescribeViewResponse",
    ]


def test_the_wire_check_uses_wire_names_by_case() -> None:
    # Member names are case-sensitive on the wire; botocore drops "viewContentSha256".
    inner = _wire_view(ViewContentSha256=...)
    body = _encoded({"View": {**inner, "viewContentSha256": SHA}})
    problems = check_wire(
        "connect", "DescribeView", 200, body, _parse("connect", "DescribeView", body)
    )
    assert any("View.ViewContentSha256: missing" in p for p in problems), problems
    assert any("encoded body: View.viewContentSha256: not a body member" in p for p in problems)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # botocore parses an ISO string as happily as an epoch number: only the body shows it.
        ({"CreatedTime": "2026-01-02T03:04:05Z"}, "View.CreatedTime: must be a JSON number"),
        ({"Version": "1"}, 'View.Version: must be a JSON integer (ViewVersion), got "1"'),
        ({"Version": True}, "View.Version: must be a JSON integer (ViewVersion), got true"),
        ({"Content": []}, "View.Content: must be a JSON object (ViewContent), got []"),
        ({"Tags": []}, "View.Tags: must be a JSON object (TagMap), got []"),
        ({"Name": 5}, "View.Name: must be a JSON string (ViewName), got 5"),
        ({"Description": None}, "View.Description: is null (omit the member instead)"),
    ],
    ids=[
        "iso-timestamp",
        "string-integer",
        "bool-integer",
        "list-struct",
        "list-map",
        "number-string",
        "null",
    ],
)
def test_the_wire_check_sees_a_value_of_the_wrong_json_type(
    changes: dict[str, Any], expected: str
) -> None:
    body = _encoded({"View": _wire_view(**changes)})
    problems = check_body("connect", "DescribeView", body)
    assert any(p.startswith(f"connect DescribeView: encoded body: {expected}") for p in problems), (
        problems
    )


def test_the_iso_timestamp_is_invisible_in_what_botocore_parsed() -> None:
    body = _encoded({"View": _wire_view(CreatedTime="2026-01-02T03:04:05Z")})
    parsed = _parse("connect", "DescribeView", body)
    assert _members(parsed)["View"]["CreatedTime"] == NOW
    assert check_response("connect", "DescribeView", _members(parsed)) == []
    assert check_wire("connect", "DescribeView", 200, body, parsed) == [
        "connect DescribeView: encoded body: View.CreatedTime: must be a JSON number (epoch "
        'seconds) (Timestamp), got "2026-01-02T03:04:05Z"'
    ]


def test_the_wire_check_of_bodies_that_are_not_objects() -> None:
    assert check_body("connect", "DescribeView", b"[]") == [
        "connect DescribeView: encoded body: <body>: must be a JSON object (DescribeViewResponse), "
        "got []"
    ]
    assert check_body("connect", "DescribeView", b"{") == [
        "connect DescribeView: encoded body: not JSON (Expecting property name enclosed in double "
        "quotes: line 1 column 2 (char 1)): b'{'"
    ]
    assert check_body("connect", "TagResource", b"") == []
    assert check_body("connect", "TagResource", b"{}") == []
    assert check_body("connect", "TagResource", b'{"a":1}') == [
        "connect TagResource: encoded body: <body>: the operation has no output, the body must be "
        """{}, got b'{"a":1}'"""
    ]


def test_the_wire_check_skips_error_responses() -> None:
    assert check_wire("connect", "DescribeView", 404, b'{"message":"no"}', {}) == []


def test_the_wire_check_of_imagebuilder_bodies() -> None:
    body = _encoded(workflow())
    assert (
        check_wire(
            "imagebuilder", "GetWorkflow", 200, body, _parse("imagebuilder", "GetWorkflow", body)
        )
        == []
    )
    # dateCreated is a string shape (DateTime) in imagebuilder, not a timestamp
    bad = workflow(dateCreated=1767322800)
    bad["workflow"]["parameters"] = [{"name": "p", "type": "string", "defaultValue": "x"}]
    problems = check_body("imagebuilder", "GetWorkflow", _encoded(bad))
    assert [p.split(" (")[0] for p in problems] == [
        "imagebuilder GetWorkflow: encoded body: workflow.dateCreated: must be a JSON string",
        "imagebuilder GetWorkflow: encoded body: workflow.parameters[0].defaultValue: "
        "must be a JSON array",
    ]


# ------------------------------------------------------------------------------ the suite hook
def _patch_encoder(
    monkeypatch: pytest.MonkeyPatch, change: Callable[[dict[str, Any]], None]
) -> None:
    """Make the fake's encoder change each successful JSON body it writes (on the wire only)."""
    from pytest_connectviews.wire import ServiceCodec

    original = ServiceCodec.encode_output

    def encode_output(self: Any, op: Any, output: Any, request_id: str) -> Any:
        response = original(self, op, output, request_id)
        body = json.loads(response.body)
        change(body)
        response.body = json.dumps(body).encode()
        return response

    monkeypatch.setattr(ServiceCodec, "encode_output", encode_output)


def test_the_suite_hook_sees_a_member_the_encoder_drops(
    connectviews: FakeAWS, monkeypatch: pytest.MonkeyPatch, response_contract: list[str]
) -> None:
    _patch_encoder(monkeypatch, lambda body: body.get("View", {}).pop("ViewContentSha256", None))
    connect = boto3.client("connect", region_name="us-east-1")
    with pytest.raises(AssertionError, match=r"View\.ViewContentSha256: missing"):
        connect.create_view(InstanceId=INSTANCE, Name="Cards", Status="SAVED", Content=content())
    assert response_contract == [
        "connect CreateView: View.ViewContentSha256: missing, the real service returns it"
    ]
    # The backend's own answer was complete: only the wire (and so botocore's parse) lost it.
    (call,) = connectviews.calls.filter(operation="CreateView")
    assert call.response is not None
    assert "ViewContentSha256" in call.response["View"]
    response_contract.clear()  # the problem was on purpose; do not fail this test at teardown


def test_the_suite_hook_sees_an_unknown_key_the_encoder_adds(
    connectviews: FakeAWS, monkeypatch: pytest.MonkeyPatch, response_contract: list[str]
) -> None:
    _patch_encoder(monkeypatch, lambda body: body.update(Extra=1))
    connect = boto3.client("connect", region_name="us-east-1")
    with pytest.raises(AssertionError, match=r"encoded body: Extra: not a body member"):
        connect.list_views(InstanceId=INSTANCE)
    assert [p.split(" (")[0] for p in response_contract] == [
        "connect ListViews: encoded body: Extra: not a body member of ListViewsResponse"
    ]
    response_contract.clear()


def test_the_suite_hook_fails_at_teardown_when_the_error_is_swallowed(
    pytester: pytest.Pytester,
) -> None:
    # The inner run does not load tests/conftest.py: give it the same hook and _contract.
    tests = Path(__file__).parent
    pytester.makeconftest((tests / "conftest.py").read_text("utf-8"))
    pytester.makepyfile(_contract=(tests / "_contract.py").read_text("utf-8"))
    pytester.makepyfile(
        test_inner=f"""
        import json

        import boto3

        from pytest_connectviews.wire import ServiceCodec

        INSTANCE = {INSTANCE!r}


        def test_swallowed(connectviews, monkeypatch):
            original = ServiceCodec.encode_output

            def encode_output(self, op, output, request_id):
                response = original(self, op, output, request_id)
                body = json.loads(response.body)
                body["nextToken"] = "t"  # botocore drops it: only the encoded body shows it
                response.body = json.dumps(body).encode()
                return response

            monkeypatch.setattr(ServiceCodec, "encode_output", encode_output)
            try:
                boto3.client("connect", region_name="us-east-1").list_views(InstanceId=INSTANCE)
            except AssertionError:
                pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*the AssertionError raised at the call was swallowed*",
            "  connect ListViews: encoded body: nextToken: not a body member of ListViewsResponse*",
        ]
    )
    result.stdout.no_fnmatch_line("  connect ListViews: nextToken*")  # nothing in what was parsed
