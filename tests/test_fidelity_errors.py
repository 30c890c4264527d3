"""Every error the fake can emit reaches boto3 as the modeled exception, status and fields.

Two halves: every error each operation models, injected (parametrized from the botocore model),
and every error a backend produces by itself, reached by a real trigger.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from pytest_connectviews import FakeAWS, dispatch
from pytest_connectviews._models import SERVICES, service_model

DATA = Path(__file__).parent / "data"
CARDS = json.loads((DATA / "views" / "customer_managed_cards_awsdoc.json").read_text("utf-8"))
DOC = (DATA / "workflows" / "awscli_get_workflow_example.yaml").read_text("utf-8")
INSTANCE = "11111111-2222-3333-4444-555555555555"
ONE_ATTEMPT = Config(retries={"total_max_attempts": 1, "mode": "standard"})
#: Errors a backend emits although the operation's modeled list omits them; each one is a shape
#: of the service model, and SPEC §4-§5 / reference A.5, B.0, B.3-B.4 show the service using it.
UNLISTED_BUT_DOCUMENTED = {
    "connect": {"AccessDeniedException"},  # tagging an AWS-managed view (SPEC §4)
    "imagebuilder": {
        "ResourceNotFoundException",  # missing ARN (terraform-provider-aws)
        "ResourceAlreadyExistsException",  # identical CreateWorkflow (SPEC §5)
        "InvalidParameterValueException",  # server-side validation (SPEC §6)
        "ForbiddenException",  # tagging an AWS-managed workflow
    },
}


def sample(shape: Any) -> Any:
    """A small value that passes botocore's client-side validation of ``shape``."""
    kind = shape.type_name
    if kind == "structure":
        if getattr(shape, "is_tagged_union", False):  # exactly one member set
            name, member = next(iter(shape.members.items()))
            return {name: sample(member)}
        return {name: sample(shape.members[name]) for name in shape.required_members}
    if kind == "list":
        return [sample(shape.member)]
    if kind == "map":
        return {"key1": sample(shape.value)}
    if kind in ("integer", "long"):
        return max(1, shape.metadata.get("min", 1))
    if kind == "boolean":
        return False
    if shape.enum:
        return shape.enum[0]
    return "a1b2c3"


@functools.cache
def _client(service: str, region: str) -> Any:
    return boto3.client(service, region_name=region, config=ONE_ATTEMPT)


def client(service: str, fake: FakeAWS) -> Any:
    """A single-attempt client (made once per module: the seam covers clients made any time)."""
    return _client(service, fake.region)


def modeled_errors() -> list[tuple[str, str, str]]:
    cases = []
    for service in SERVICES:
        model = service_model(service)
        for operation in sorted(dispatch.operations(service)):
            for shape in model.operation_model(operation).error_shapes:
                cases.append((service, operation, shape.name))
    return cases


def error_fields(service: str, code: str) -> dict[str, Any]:
    shape = service_model(service).shape_for(code)
    return {
        name: sample(member) for name, member in shape.members.items() if name.lower() != "message"
    }


# ------------------------------------------------------------------------------ injected
@pytest.mark.parametrize(("service", "operation", "code"), modeled_errors(), ids=lambda v: str(v))
def test_every_modeled_error_injects_as_the_modeled_class(
    connectviews: FakeAWS, service: str, operation: str, code: str
) -> None:
    model = service_model(service)
    op = model.operation_model(operation)
    fields = error_fields(service, code)
    connectviews.inject_error(
        operation, code, service=service, message="injected for the test", fields=fields
    )
    api = client(service, connectviews)
    method = getattr(api, _snake(operation))
    with pytest.raises(getattr(api.exceptions, code)) as info:
        method(**sample(op.input_shape))
    response = info.value.response
    status = model.shape_for(code).metadata["error"]["httpStatusCode"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert response["Error"]["Code"] == code
    assert response["Error"]["Message"] == "injected for the test"
    for name, value in fields.items():
        assert response[name] == value, name
    call = connectviews.calls.one(operation, service=service)
    assert (call.error_code, call.status_code, call.source) == (code, status, "injected")


def test_connect_reason_and_resource_fields_reach_the_caller(connectviews: FakeAWS) -> None:
    connect = client("connect", connectviews)
    connectviews.inject_error(
        "DeleteView",
        "ResourceInUseException",
        fields={"ResourceType": "CONTACT_FLOW", "ResourceId": "flow-1"},
    )
    with pytest.raises(connect.exceptions.ResourceInUseException) as info:
        connect.delete_view(InstanceId=INSTANCE, ViewId="v")
    assert info.value.response["ResourceType"] == "CONTACT_FLOW"
    assert info.value.response["ResourceId"] == "flow-1"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    reason = {"AttachedFileInvalidRequestExceptionReason": "INVALID_FILE_NAME"}
    connectviews.inject_error("CreateView", "InvalidRequestException", fields={"Reason": reason})
    with pytest.raises(connect.exceptions.InvalidRequestException) as info:
        connect.create_view(InstanceId=INSTANCE, Name="n", Status="SAVED", Content={})
    assert info.value.response["Reason"] == reason


@pytest.mark.parametrize(
    ("service", "operation", "code"),
    [
        ("connect", "CreateView", "TooManyRequestsException"),
        ("connect", "DescribeView", "TooManyRequestsException"),
        ("connect", "SearchViews", "ThrottlingException"),
        ("connect", "TagResource", "ThrottlingException"),
        ("connect", "ListTagsForResource", "ThrottlingException"),
        ("imagebuilder", "GetWorkflow", "CallRateLimitExceededException"),
        ("imagebuilder", "ListWorkflows", "CallRateLimitExceededException"),
    ],
)
def test_an_empty_bucket_answers_the_services_own_throttling_error(
    connectviews: FakeAWS, service: str, operation: str, code: str
) -> None:
    connectviews.throttle(rate=0, burst=0, service=service)
    api = client(service, connectviews)
    op = service_model(service).operation_model(operation)
    assert code in [e.name for e in op.error_shapes]
    with pytest.raises(getattr(api.exceptions, code)) as info:
        getattr(api, _snake(operation))(**sample(op.input_shape))
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert connectviews.calls.last.source == "throttled"


# ------------------------------------------------------------------------------ backend-made
def expect(
    fake: FakeAWS, service: str, operation: str, code: str, call: Callable[[], Any]
) -> ClientError:
    """``call`` raises the modeled class of ``code`` with its modeled status; returns the error."""
    api = client(service, fake)
    model = service_model(service)
    listed = [e.name for e in model.operation_model(operation).error_shapes]
    assert code in listed or code in UNLISTED_BUT_DOCUMENTED[service], (operation, code)
    with pytest.raises(ClientError) as info:
        call()
    error = info.value
    assert type(error) is getattr(api.exceptions, code), type(error)
    assert error.response["Error"]["Code"] == code
    status = model.shape_for(code).metadata["error"]["httpStatusCode"]
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert error.response["Error"]["Message"]
    last = fake.calls.last
    assert (last.operation, last.error_code, last.source) == (operation, code, "backend")
    return error


def content(template: Any = None) -> dict[str, Any]:
    return {"Template": json.dumps(template or CARDS["Template"]), "Actions": CARDS["Actions"]}


MANAGED_VIEW = "arn:aws:connect:us-east-1:aws:view/form"
MISSING_VIEW = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def connect(connectviews: FakeAWS) -> Any:
    return client("connect", connectviews)


@pytest.fixture
def published(connect: Any) -> dict[str, Any]:
    view: dict[str, Any] = connect.create_view(
        InstanceId=INSTANCE, Name="Cards", Status="PUBLISHED", Content=content()
    )["View"]
    return view


def test_connect_create_view_errors(connectviews: FakeAWS, connect: Any, published: Any) -> None:
    def create(name: str = "Other", **kwargs: Any) -> Any:
        kwargs.setdefault("Content", content())
        return lambda: connect.create_view(
            InstanceId=INSTANCE, Name=name, Status="PUBLISHED", **kwargs
        )

    expect(connectviews, "connect", "CreateView", "DuplicateResourceException", create("Cards"))
    expect(connectviews, "connect", "CreateView", "InvalidParameterException", create(" bad"))
    expect(
        connectviews,
        "connect",
        "CreateView",
        "InvalidParameterException",
        create(Content={"Template": "not json", "Actions": []}),
    )
    connectviews.set_quota("connect.views_per_instance", 1)
    expect(connectviews, "connect", "CreateView", "ServiceQuotaExceededException", create())
    connectviews.add_instance()
    expect(connectviews, "connect", "CreateView", "ResourceNotFoundException", create())


def test_connect_view_version_errors(connectviews: FakeAWS, connect: Any, published: Any) -> None:
    view_id = published["Id"]
    expect(
        connectviews,
        "connect",
        "CreateViewVersion",
        "InvalidParameterException",
        lambda: connect.create_view_version(
            InstanceId=INSTANCE, ViewId=view_id, ViewContentSha256="0" * 64
        ),
    )
    draft = connect.create_view(
        InstanceId=INSTANCE, Name="Draft", Status="SAVED", Content=content()
    )["View"]
    expect(
        connectviews,
        "connect",
        "CreateViewVersion",
        "ResourceNotFoundException",
        lambda: connect.create_view_version(InstanceId=INSTANCE, ViewId=draft["Id"]),
    )
    expect(
        connectviews,
        "connect",
        "CreateViewVersion",
        "AccessDeniedException",
        lambda: connect.create_view_version(InstanceId=INSTANCE, ViewId=MANAGED_VIEW),
    )
    connectviews.set_quota("connect.versions_per_view", 0)
    expect(
        connectviews,
        "connect",
        "CreateViewVersion",
        "ServiceQuotaExceededException",
        lambda: connect.create_view_version(InstanceId=INSTANCE, ViewId=view_id),
    )
    expect(
        connectviews,
        "connect",
        "DeleteViewVersion",
        "ResourceNotFoundException",
        lambda: connect.delete_view_version(InstanceId=INSTANCE, ViewId=view_id, ViewVersion=7),
    )
    expect(
        connectviews,
        "connect",
        "ListViewVersions",
        "ResourceNotFoundException",
        lambda: connect.list_view_versions(InstanceId=INSTANCE, ViewId=MISSING_VIEW),
    )
    expect(
        connectviews,
        "connect",
        "ListViewVersions",
        "InvalidParameterException",
        lambda: connect.list_view_versions(InstanceId=INSTANCE, ViewId=view_id, NextToken="x"),
    )


def test_connect_describe_and_list_errors(
    connectviews: FakeAWS, connect: Any, published: Any
) -> None:
    draft = connect.create_view(
        InstanceId=INSTANCE, Name="Draft", Status="SAVED", Content=content()
    )["View"]
    for view_id in (MISSING_VIEW, draft["Id"], f"{published['Id']}:9"):
        expect(
            connectviews,
            "connect",
            "DescribeView",
            "ResourceNotFoundException",
            lambda view_id=view_id: connect.describe_view(InstanceId=INSTANCE, ViewId=view_id),
        )
    expect(
        connectviews,
        "connect",
        "DescribeView",
        "InvalidParameterException",
        lambda: connect.describe_view(InstanceId=INSTANCE, ViewId=f"{published['Id']}:$NEWEST"),
    )
    expect(
        connectviews,
        "connect",
        "ListViews",
        "InvalidParameterException",
        lambda: connect.list_views(InstanceId=INSTANCE, NextToken="forged"),
    )
    expect(
        connectviews,
        "connect",
        "ListViews",
        "InvalidParameterException",
        lambda: connect.list_views(InstanceId=INSTANCE, MaxResults=101),
    )
    expect(
        connectviews,
        "connect",
        "SearchViews",
        "InvalidParameterException",
        lambda: connect.search_views(
            InstanceId=INSTANCE,
            SearchCriteria={"StringCondition": {"FieldName": "colour", "Value": "x"}},
        ),
    )
    connectviews.add_instance()
    for operation, call in (
        ("ListViews", lambda: connect.list_views(InstanceId=INSTANCE)),
        ("SearchViews", lambda: connect.search_views(InstanceId=INSTANCE)),
        ("DescribeView", lambda: connect.describe_view(InstanceId=INSTANCE, ViewId=MANAGED_VIEW)),
    ):
        expect(connectviews, "connect", operation, "ResourceNotFoundException", call)


def test_connect_update_and_delete_errors(
    connectviews: FakeAWS, connect: Any, published: Any
) -> None:
    view_id = published["Id"]
    connect.create_view(InstanceId=INSTANCE, Name="Taken", Status="SAVED", Content=content())
    expect(
        connectviews,
        "connect",
        "UpdateViewContent",
        "InvalidParameterException",
        lambda: connect.update_view_content(
            InstanceId=INSTANCE, ViewId=view_id, Status="PUBLISHED", Content=content({"Body": []})
        ),
    )
    for operation, call in (
        (
            "UpdateViewContent",
            lambda: connect.update_view_content(
                InstanceId=INSTANCE, ViewId=MISSING_VIEW, Status="SAVED", Content=content()
            ),
        ),
        (
            "UpdateViewMetadata",
            lambda: connect.update_view_metadata(
                InstanceId=INSTANCE, ViewId=MISSING_VIEW, Name="n"
            ),
        ),
        ("DeleteView", lambda: connect.delete_view(InstanceId=INSTANCE, ViewId=MISSING_VIEW)),
    ):
        expect(connectviews, "connect", operation, "ResourceNotFoundException", call)
    for operation, call in (
        (
            "UpdateViewContent",
            lambda: connect.update_view_content(
                InstanceId=INSTANCE, ViewId=MANAGED_VIEW, Status="SAVED", Content=content()
            ),
        ),
        (
            "UpdateViewMetadata",
            lambda: connect.update_view_metadata(
                InstanceId=INSTANCE, ViewId=MANAGED_VIEW, Name="n"
            ),
        ),
        ("DeleteView", lambda: connect.delete_view(InstanceId=INSTANCE, ViewId=MANAGED_VIEW)),
        (
            "DeleteViewVersion",
            lambda: connect.delete_view_version(
                InstanceId=INSTANCE, ViewId=MANAGED_VIEW, ViewVersion=1
            ),
        ),
    ):
        expect(connectviews, "connect", operation, "AccessDeniedException", call)
    expect(
        connectviews,
        "connect",
        "UpdateViewMetadata",
        "InvalidRequestException",
        lambda: connect.update_view_metadata(InstanceId=INSTANCE, ViewId=view_id),
    )
    expect(
        connectviews,
        "connect",
        "UpdateViewMetadata",
        "DuplicateResourceException",
        lambda: connect.update_view_metadata(InstanceId=INSTANCE, ViewId=view_id, Name="Taken"),
    )


def test_connect_tagging_errors(connectviews: FakeAWS, connect: Any, published: Any) -> None:
    arn = published["Arn"].rsplit(":", 1)[0]
    missing = arn.replace(published["Id"], MISSING_VIEW)
    expect(
        connectviews,
        "connect",
        "TagResource",
        "InvalidParameterException",
        lambda: connect.tag_resource(resourceArn=arn, tags={"aws:reserved": "x"}),
    )
    expect(
        connectviews,
        "connect",
        "TagResource",
        "InvalidParameterException",
        lambda: connect.tag_resource(resourceArn=arn, tags={f"k{i}": "v" for i in range(51)}),
    )
    for operation, call in (
        ("TagResource", lambda: connect.tag_resource(resourceArn=missing, tags={"a": "b"})),
        ("UntagResource", lambda: connect.untag_resource(resourceArn=missing, tagKeys=["a"])),
        ("ListTagsForResource", lambda: connect.list_tags_for_resource(resourceArn=missing)),
    ):
        expect(connectviews, "connect", operation, "ResourceNotFoundException", call)
    expect(
        connectviews,
        "connect",
        "TagResource",
        "AccessDeniedException",
        lambda: connect.tag_resource(resourceArn=MANAGED_VIEW, tags={"a": "b"}),
    )


# ------------------------------------------------------------------------------ Image Builder
@pytest.fixture
def ib(connectviews: FakeAWS) -> Any:
    return client("imagebuilder", connectviews)


@pytest.fixture
def build_arn(ib: Any) -> str:
    arn: str = ib.create_workflow(name="my-wf", semanticVersion="1.0.0", type="BUILD", data=DOC)[
        "workflowBuildVersionArn"
    ]
    return arn


def test_imagebuilder_create_workflow_errors(
    connectviews: FakeAWS, ib: Any, build_arn: str
) -> None:
    def create(**kwargs: Any) -> Callable[[], Any]:
        params = {"name": "other", "semanticVersion": "1.0.0", "type": "BUILD", "data": DOC}
        params.update(kwargs)
        return lambda: ib.create_workflow(**{k: v for k, v in params.items() if v is not None})

    cases = [
        ("ResourceAlreadyExistsException", create(name="my-wf")),
        ("InvalidParameterCombinationException", create(uri="s3://bucket/doc.yaml")),
        ("InvalidRequestException", create(data=None)),
        ("InvalidVersionNumberException", create(semanticVersion="1073741824.0.0")),
        ("InvalidParameterValueException", create(data="steps: []")),
        ("InvalidParameterValueException", create(semanticVersion="1.0")),
        ("InvalidParameterValueException", create(uri="s3://bucket/missing.yaml", data=None)),
        ("DryRunOperationException", create(dryRun=True)),
    ]
    for code, call in cases:
        expect(connectviews, "imagebuilder", "CreateWorkflow", code, call)
    ib.create_workflow(
        name="tok", semanticVersion="1.0.0", type="BUILD", data=DOC, clientToken="t-1"
    )
    expect(
        connectviews,
        "imagebuilder",
        "CreateWorkflow",
        "IdempotentParameterMismatchException",
        create(name="tok", clientToken="t-1", description="changed"),
    )
    connectviews.set_quota("imagebuilder.workflow_versions", 2)
    expect(
        connectviews, "imagebuilder", "CreateWorkflow", "ServiceQuotaExceededException", create()
    )


def test_imagebuilder_read_and_delete_errors(
    connectviews: FakeAWS, ib: Any, build_arn: str
) -> None:
    missing = build_arn.replace("my-wf", "gone")
    managed = "arn:aws:imagebuilder:us-east-1:aws:workflow/build/build-image/1.0.3/1"
    expect(
        connectviews,
        "imagebuilder",
        "GetWorkflow",
        "ResourceNotFoundException",
        lambda: ib.get_workflow(workflowBuildVersionArn=missing),
    )
    expect(
        connectviews,
        "imagebuilder",
        "GetWorkflow",
        "InvalidParameterValueException",
        lambda: ib.get_workflow(workflowBuildVersionArn="not-an-arn"),
    )
    expect(
        connectviews,
        "imagebuilder",
        "ListWorkflows",
        "InvalidPaginationTokenException",
        lambda: ib.list_workflows(nextToken="forged"),
    )
    expect(
        connectviews,
        "imagebuilder",
        "ListWorkflows",
        "InvalidParameterValueException",
        lambda: ib.list_workflows(filters=[{"name": "colour", "values": ["red"]}]),
    )
    version_arn = build_arn.rsplit("/", 1)[0]
    expect(
        connectviews,
        "imagebuilder",
        "ListWorkflowBuildVersions",
        "InvalidPaginationTokenException",
        lambda: ib.list_workflow_build_versions(workflowVersionArn=version_arn, nextToken="x"),
    )
    expect(
        connectviews,
        "imagebuilder",
        "DeleteWorkflow",
        "ResourceNotFoundException",
        lambda: ib.delete_workflow(workflowBuildVersionArn=missing),
    )
    expect(
        connectviews,
        "imagebuilder",
        "DeleteWorkflow",
        "ForbiddenException",
        lambda: ib.delete_workflow(workflowBuildVersionArn=managed),
    )
    connectviews.mark_in_use(build_arn)
    expect(
        connectviews,
        "imagebuilder",
        "DeleteWorkflow",
        "ResourceDependencyException",
        lambda: ib.delete_workflow(workflowBuildVersionArn=build_arn),
    )


def test_imagebuilder_tagging_errors(connectviews: FakeAWS, ib: Any, build_arn: str) -> None:
    missing = build_arn.replace("my-wf", "gone")
    managed = "arn:aws:imagebuilder:us-east-1:aws:workflow/build/build-image/1.0.3/1"
    for operation, call in (
        ("TagResource", lambda: ib.tag_resource(resourceArn=missing, tags={"a": "b"})),
        ("UntagResource", lambda: ib.untag_resource(resourceArn=missing, tagKeys=["a"])),
        ("ListTagsForResource", lambda: ib.list_tags_for_resource(resourceArn=missing)),
    ):
        expect(connectviews, "imagebuilder", operation, "ResourceNotFoundException", call)
    expect(
        connectviews,
        "imagebuilder",
        "TagResource",
        "ForbiddenException",
        lambda: ib.tag_resource(resourceArn=managed, tags={"a": "b"}),
    )
    ib.tag_resource(resourceArn=build_arn, tags={f"k{i}": "v" for i in range(50)})
    expect(
        connectviews,
        "imagebuilder",
        "TagResource",
        "InvalidParameterValueException",
        lambda: ib.tag_resource(resourceArn=build_arn, tags={"one-more": "v"}),
    )
    expect(
        connectviews,
        "imagebuilder",
        "TagResource",
        "InvalidParameterValueException",
        lambda: ib.tag_resource(resourceArn=build_arn, tags={"aws:reserved": "v"}),
    )


def test_invalid_parameter_value_uses_the_documented_message(
    connectviews: FakeAWS, ib: Any
) -> None:
    error = expect(
        connectviews,
        "imagebuilder",
        "CreateWorkflow",
        "InvalidParameterValueException",
        lambda: ib.create_workflow(name="ok-name", semanticVersion="1.0", type="BUILD", data=DOC),
    )
    assert error.response["Error"]["Message"].startswith(
        "The value supplied for parameter 'semanticVersion' is not valid."
    )


def _snake(name: str) -> str:
    from botocore import xform_name

    return str(xform_name(name))
