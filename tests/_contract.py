"""The response contract: what the real services return for each operation the fake implements.

Test infrastructure (not shipped in the wheel); ``tests/conftest.py`` applies ``check_wire`` to
every successful connect/imagebuilder response of the suite.

The botocore output shapes of these operations mark almost no member ``required``, so a response
that validates against the model can still be missing what every real response carries. This
module keeps the explicit list (SPEC §6, derived from SPEC §4-§5 and real captured outputs) and two
checkers:

* ``check_response`` validates a response dict (client member names, datetimes for timestamps:
  what botocore parsed) against the installed botocore output shape *and* the list. It is stricter
  than botocore's ``ParamValidator`` (which only checks types, required members and minimums): it
  also checks maximums, enums and patterns, and reports members the model does not know. Known
  model bugs are listed in ``MODEL_BUGS`` with the rule used instead.
* ``check_body`` validates the encoded JSON body: every key at every level must be the wire name
  of a body member of its shape, and every value must have the JSON type the protocol gives the
  shape. botocore's parser silently drops unknown keys and accepts a timestamp as a number or a
  string, so a parsed response alone cannot show those encoder bugs.

``check_wire`` runs both on one HTTP response. Only the installed botocore model and ``regex`` are
used, never the package's internals, so the checks stay independent of the code they check.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import botocore.session
import regex

if TYPE_CHECKING:
    from botocore.model import ServiceModel, Shape

__all__ = [
    "CONTRACT",
    "EMPTY_TAGS_ALLOWED",
    "MODEL_BUGS",
    "Member",
    "check_body",
    "check_response",
    "check_wire",
    "service_model",
]


@functools.cache
def service_model(name: str) -> ServiceModel:
    """The installed botocore model of ``name``; loaded at most once per process."""
    return botocore.session.get_session().get_service_model(name)


@functools.cache
def _compiled(pattern: str) -> regex.Pattern[str] | None:
    # Java/Smithy "$" means end of input; Python's also matches before a final newline.
    anchored = regex.sub(r"(?<!\\)\$(?=\)|\||$)", r"\\Z", pattern)
    try:
        return regex.compile(anchored)
    except regex.error:
        return None


@dataclass(frozen=True)
class Member:
    """A member the real service returns: a dotted path (``[]`` marks list items).

    ``when`` (given the object that holds the member) limits it to some responses, e.g. ``Version``
    only on a numbered view version.
    """

    path: str
    when: Callable[[Mapping[str, Any]], bool] | None = None
    why: str = ""


def _numbered_view(view: Mapping[str, Any]) -> bool:
    return bool(re.search(r":[0-9]+$", str(view.get("Arn", ""))))


def _customer_workflow(refs: Mapping[str, Any]) -> bool:
    # AWS-managed workflows only have latestVersionArn (account "aws" in the ARN).
    parts = str(refs.get("latestVersionArn", "")).split(":")
    return len(parts) > 4 and parts[4] != "aws"


def _view(prefix: str) -> tuple[Member, ...]:
    names = (
        "Id",
        "Arn",
        "Name",
        "Status",
        "Type",
        "Content",
        "Content.InputSchema",
        "Content.Template",
        "Content.Actions",
        "CreatedTime",
        "LastModifiedTime",
        "ViewContentSha256",
    )
    return (
        Member(prefix),
        *(Member(f"{prefix}.{name}") for name in names),
        Member(
            f"{prefix}.Version",
            _numbered_view,
            "a numbered version (Arn ending in :<n>) always carries its Version",
        ),
    )


_LATEST_REFS = (
    Member("latestVersionReferences"),
    Member("latestVersionReferences.latestVersionArn"),
    *(
        Member(
            f"latestVersionReferences.{name}",
            _customer_workflow,
            "customer workflows carry all four references, AWS-managed ones only x.x.x",
        )
        for name in ("latestMajorVersionArn", "latestMinorVersionArn", "latestPatchVersionArn")
    ),
)


def _healthy_instance(instance: Mapping[str, Any]) -> bool:
    return instance.get("InstanceStatus") != "CREATION_FAILED"


def _failed_instance(instance: Mapping[str, Any]) -> bool:
    return instance.get("InstanceStatus") == "CREATION_FAILED"


def _instance(prefix: str, *, summary: bool) -> tuple[Member, ...]:
    why = (
        "a failed instance answers null for every member but Id, Arn and the status (OBS TF#31684)"
    )
    names = (
        "IdentityManagementType",
        "InstanceAlias",
        "CreatedTime",
        "ServiceRole",
        "InboundCallsEnabled",
        "OutboundCallsEnabled",
        "InstanceAccessUrl",
    )
    return (
        *(Member(f"{prefix}.{n}") for n in ("Id", "Arn", "InstanceStatus")),
        *(Member(f"{prefix}.{n}", _healthy_instance, why) for n in names),
        *(() if summary else (Member(f"{prefix}.StatusReason", _failed_instance, why),)),
    )


def _flow(prefix: str, *, module: bool) -> tuple[Member, ...]:
    names = (
        ("Arn", "Id", "Name", "Content", "State", "Status", "FlowModuleContentSha256")
        if module
        else (
            "Arn",
            "Id",
            "Name",
            "Type",
            "State",
            "Status",
            "Content",
            "FlowContentSha256",
            "LastModifiedTime",
            "LastModifiedRegion",
        )
    )
    return (Member(prefix), *(Member(f"{prefix}.{n}") for n in names))


_REQUEST_ID = Member("requestId", why="Image Builder answers carry the request id in the body")


def _recipe(prefix: str) -> tuple[Member, ...]:
    names = (
        "arn",
        "type",
        "name",
        "platform",
        "owner",
        "version",
        "parentImage",
        "dateCreated",
        "workingDirectory",
    )
    return (Member(prefix), *(Member(f"{prefix}.{n}") for n in names))


def _infrastructure(prefix: str) -> tuple[Member, ...]:
    names = (
        "arn",
        "name",
        "instanceProfileName",
        "terminateInstanceOnFailure",
        "dateCreated",
        "tags",
    )
    return (Member(prefix), *(Member(f"{prefix}.{n}") for n in names))


def _distribution(prefix: str) -> tuple[Member, ...]:
    names = ("arn", "name", "distributions", "timeoutMinutes", "dateCreated", "tags")
    return (Member(prefix), *(Member(f"{prefix}.{n}") for n in names))


def _pipeline(prefix: str) -> tuple[Member, ...]:
    names = (
        "arn",
        "name",
        "platform",
        "enhancedImageMetadataEnabled",
        "imageRecipeArn",
        "infrastructureConfigurationArn",
        "imageTestsConfiguration",
        "status",
        "dateCreated",
    )
    return (Member(prefix), *(Member(f"{prefix}.{n}") for n in names))


def _image_summary(prefix: str) -> tuple[Member, ...]:
    names = (
        "arn",
        "name",
        "type",
        "version",
        "platform",
        "state",
        "state.status",
        "owner",
        "dateCreated",
        "outputResources",
        "buildType",
        "imageSource",
    )
    return tuple(Member(f"{prefix}.{n}") for n in names)


def _execution(prefix: str) -> tuple[Member, ...]:
    names = (
        "workflowBuildVersionArn",
        "workflowExecutionId",
        "type",
        "status",
        "totalStepCount",
        "totalStepsSucceeded",
        "totalStepsFailed",
        "totalStepsSkipped",
        "startTime",
    )
    return tuple(Member(f"{prefix}{n}") for n in names)


def _step(prefix: str) -> tuple[Member, ...]:
    names = ("stepExecutionId", "name", "action", "status")
    return tuple(Member(f"{prefix}{n}") for n in names)


def _failed(state: Mapping[str, Any]) -> bool:
    return state.get("status") in ("FAILED", "CANCELLED")


def _built(image: Mapping[str, Any]) -> bool:
    # AWS-managed images (account "aws") were not built from a recipe of the account.
    parts = str(image.get("arn", "")).split(":")
    return len(parts) > 4 and parts[4] != "aws"


_HERE = "tests/_contract.py"

#: (service, operation) -> the members every successful response carries.
CONTRACT: dict[tuple[str, str], tuple[Member, ...]] = {
    ("connect", "CreateView"): _view("View"),
    ("connect", "CreateViewVersion"): (*_view("View"), Member("View.Version")),
    ("connect", "DescribeView"): _view("View"),
    ("connect", "UpdateViewContent"): _view("View"),
    ("connect", "ListViews"): (
        Member("ViewsSummaryList"),
        *(Member(f"ViewsSummaryList[].{n}") for n in ("Id", "Arn", "Name", "Type", "Status")),
    ),
    ("connect", "ListViewVersions"): (
        Member("ViewVersionSummaryList"),
        *(
            Member(f"ViewVersionSummaryList[].{n}")
            for n in ("Id", "Arn", "Name", "Type", "Version")
        ),
    ),
    ("connect", "SearchViews"): (
        Member("Views"),
        Member("ApproximateTotalCount"),
        *_view("Views[]")[1:],
    ),
    ("connect", "UpdateViewMetadata"): (),
    ("connect", "DeleteView"): (),
    ("connect", "DeleteViewVersion"): (),
    ("connect", "CreateInstance"): (Member("Id"), Member("Arn")),
    ("connect", "DescribeInstance"): (Member("Instance"), *_instance("Instance", summary=False)),
    ("connect", "ListInstances"): (
        Member("InstanceSummaryList"),
        *_instance("InstanceSummaryList[]", summary=True),
    ),
    ("connect", "DeleteInstance"): (),
    ("connect", "DescribeInstanceAttribute"): (
        Member("Attribute"),
        Member("Attribute.AttributeType"),
        Member("Attribute.Value"),
    ),
    ("connect", "UpdateInstanceAttribute"): (),
    ("connect", "ListInstanceAttributes"): (
        Member("Attributes"),
        Member("Attributes[].AttributeType"),
        Member("Attributes[].Value"),
    ),
    ("connect", "CreateContactFlow"): (
        Member("ContactFlowId"),
        Member("ContactFlowArn"),
        Member("FlowContentSha256"),
    ),
    ("connect", "DescribeContactFlow"): _flow("ContactFlow", module=False),
    ("connect", "ListContactFlows"): (
        Member("ContactFlowSummaryList"),
        *(
            Member(f"ContactFlowSummaryList[].{n}")
            for n in (
                "Id",
                "Arn",
                "Name",
                "ContactFlowType",
                "ContactFlowState",
                "ContactFlowStatus",
            )
        ),
    ),
    ("connect", "UpdateContactFlowContent"): (),
    ("connect", "UpdateContactFlowMetadata"): (),
    ("connect", "UpdateContactFlowName"): (),
    ("connect", "DeleteContactFlow"): (),
    ("connect", "CreateContactFlowVersion"): (Member("ContactFlowArn"), Member("Version")),
    ("connect", "ListContactFlowVersions"): (
        Member("ContactFlowVersionSummaryList"),
        *(Member(f"ContactFlowVersionSummaryList[].{n}") for n in ("Arn", "Version")),
    ),
    ("connect", "DeleteContactFlowVersion"): (),
    ("connect", "SearchContactFlows"): (
        Member("ContactFlows"),
        Member("ApproximateTotalCount"),
        *_flow("ContactFlows[]", module=False)[1:],
    ),
    ("connect", "CreateContactFlowModule"): (Member("Id"), Member("Arn")),
    ("connect", "DescribeContactFlowModule"): _flow("ContactFlowModule", module=True),
    ("connect", "ListContactFlowModules"): (
        Member("ContactFlowModulesSummaryList"),
        *(Member(f"ContactFlowModulesSummaryList[].{n}") for n in ("Id", "Arn", "Name", "State")),
    ),
    ("connect", "UpdateContactFlowModuleContent"): (),
    ("connect", "UpdateContactFlowModuleMetadata"): (),
    ("connect", "DeleteContactFlowModule"): (),
    ("connect", "CreateContactFlowModuleVersion"): (
        Member("ContactFlowModuleArn"),
        Member("Version"),
    ),
    ("connect", "ListContactFlowModuleVersions"): (
        Member("ContactFlowModuleVersionSummaryList"),
        *(Member(f"ContactFlowModuleVersionSummaryList[].{n}") for n in ("Arn", "Version")),
    ),
    ("connect", "DeleteContactFlowModuleVersion"): (),
    ("connect", "SearchContactFlowModules"): (
        Member("ContactFlowModules"),
        Member("ApproximateTotalCount"),
        *_flow("ContactFlowModules[]", module=True)[1:],
    ),
    ("connect", "TagResource"): (),
    ("connect", "UntagResource"): (),
    ("connect", "ListTagsForResource"): (Member("tags"),),
    ("imagebuilder", "CreateWorkflow"): (
        Member("clientToken"),
        Member("workflowBuildVersionArn"),
        Member("latestVersionReferences"),
        *(
            Member(f"latestVersionReferences.{n}")
            for n in (
                "latestVersionArn",
                "latestMajorVersionArn",
                "latestMinorVersionArn",
                "latestPatchVersionArn",
            )
        ),
    ),
    ("imagebuilder", "GetWorkflow"): (
        Member("workflow"),
        *(
            Member(f"workflow.{n}")
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
        ),
        *_LATEST_REFS,
    ),
    ("imagebuilder", "ListWorkflows"): (
        Member("workflowVersionList"),
        *(
            Member(f"workflowVersionList[].{n}")
            for n in ("arn", "name", "version", "type", "owner", "dateCreated")
        ),
    ),
    ("imagebuilder", "ListWorkflowBuildVersions"): (
        Member("workflowSummaryList"),
        *(
            Member(f"workflowSummaryList[].{n}")
            for n in ("arn", "name", "version", "type", "owner", "dateCreated")
        ),
    ),
    ("imagebuilder", "DeleteWorkflow"): (Member("workflowBuildVersionArn"),),
    ("imagebuilder", "CreateComponent"): (
        _REQUEST_ID,
        Member("clientToken"),
        Member("componentBuildVersionArn"),
        *_LATEST_REFS,
    ),
    ("imagebuilder", "GetComponent"): (
        _REQUEST_ID,
        Member("component"),
        *(
            Member(f"component.{n}")
            for n in (
                "arn",
                "name",
                "version",
                "type",
                "platform",
                "state",
                "state.status",
                "owner",
                "data",
                "encrypted",
                "dateCreated",
                "tags",
            )
        ),
        *_LATEST_REFS,
    ),
    ("imagebuilder", "ListComponents"): (
        _REQUEST_ID,
        Member("componentVersionList"),
        *(
            Member(f"componentVersionList[].{n}")
            for n in ("arn", "name", "version", "platform", "type", "owner", "dateCreated")
        ),
    ),
    ("imagebuilder", "ListComponentBuildVersions"): (
        _REQUEST_ID,
        Member("componentSummaryList"),
        *(
            Member(f"componentSummaryList[].{n}")
            for n in ("arn", "name", "version", "platform", "state", "type", "owner", "dateCreated")
        ),
    ),
    ("imagebuilder", "DeleteComponent"): (_REQUEST_ID, Member("componentBuildVersionArn")),
    ("imagebuilder", "CreateImageRecipe"): (
        _REQUEST_ID,
        Member("clientToken"),
        Member("imageRecipeArn"),
        *_LATEST_REFS,
    ),
    ("imagebuilder", "GetImageRecipe"): (
        _REQUEST_ID,
        *_recipe("imageRecipe"),
        Member("imageRecipe.tags"),
        *_LATEST_REFS,
    ),
    ("imagebuilder", "ListImageRecipes"): (
        _REQUEST_ID,
        Member("imageRecipeSummaryList"),
        *(
            Member(f"imageRecipeSummaryList[].{n}")
            for n in ("arn", "name", "platform", "owner", "parentImage", "dateCreated")
        ),
    ),
    ("imagebuilder", "DeleteImageRecipe"): (_REQUEST_ID, Member("imageRecipeArn")),
    ("imagebuilder", "CreateInfrastructureConfiguration"): (
        _REQUEST_ID,
        Member("clientToken"),
        Member("infrastructureConfigurationArn"),
    ),
    ("imagebuilder", "UpdateInfrastructureConfiguration"): (
        _REQUEST_ID,
        Member("clientToken"),
        Member("infrastructureConfigurationArn"),
    ),
    ("imagebuilder", "GetInfrastructureConfiguration"): (
        _REQUEST_ID,
        *_infrastructure("infrastructureConfiguration"),
    ),
    ("imagebuilder", "ListInfrastructureConfigurations"): (
        _REQUEST_ID,
        Member("infrastructureConfigurationSummaryList"),
        *(
            Member(f"infrastructureConfigurationSummaryList[].{n}")
            for n in ("arn", "name", "dateCreated", "instanceProfileName")
        ),
    ),
    ("imagebuilder", "DeleteInfrastructureConfiguration"): (
        _REQUEST_ID,
        Member("infrastructureConfigurationArn"),
    ),
    ("imagebuilder", "CreateDistributionConfiguration"): (
        _REQUEST_ID,
        Member("clientToken"),
        Member("distributionConfigurationArn"),
    ),
    ("imagebuilder", "UpdateDistributionConfiguration"): (
        _REQUEST_ID,
        Member("clientToken"),
        Member("distributionConfigurationArn"),
    ),
    ("imagebuilder", "GetDistributionConfiguration"): (
        _REQUEST_ID,
        *_distribution("distributionConfiguration"),
    ),
    ("imagebuilder", "ListDistributionConfigurations"): (
        _REQUEST_ID,
        Member("distributionConfigurationSummaryList"),
        *(
            Member(f"distributionConfigurationSummaryList[].{n}")
            for n in ("arn", "name", "dateCreated", "regions")
        ),
    ),
    ("imagebuilder", "DeleteDistributionConfiguration"): (
        _REQUEST_ID,
        Member("distributionConfigurationArn"),
    ),
    ("imagebuilder", "CreateImagePipeline"): (
        _REQUEST_ID,
        Member("clientToken"),
        Member("imagePipelineArn"),
    ),
    ("imagebuilder", "UpdateImagePipeline"): (
        _REQUEST_ID,
        Member("clientToken"),
        Member("imagePipelineArn"),
    ),
    ("imagebuilder", "GetImagePipeline"): (
        _REQUEST_ID,
        *_pipeline("imagePipeline"),
        Member("imagePipeline.tags"),
    ),
    ("imagebuilder", "ListImagePipelines"): (
        _REQUEST_ID,
        Member("imagePipelineList"),
        *_pipeline("imagePipelineList[]")[1:],
    ),
    ("imagebuilder", "DeleteImagePipeline"): (_REQUEST_ID, Member("imagePipelineArn")),
    ("imagebuilder", "StartImagePipelineExecution"): (
        _REQUEST_ID,
        Member("clientToken"),
        Member("imageBuildVersionArn"),
    ),
    ("imagebuilder", "ListImagePipelineImages"): (
        _REQUEST_ID,
        Member("imageSummaryList"),
        *_image_summary("imageSummaryList[]"),
    ),
    ("imagebuilder", "CreateImage"): (
        _REQUEST_ID,
        Member("clientToken"),
        Member("imageBuildVersionArn"),
        *_LATEST_REFS,
    ),
    ("imagebuilder", "GetImage"): (
        _REQUEST_ID,
        Member("image"),
        *(
            Member(f"image.{n}")
            for n in (
                "arn",
                "type",
                "name",
                "version",
                "platform",
                "enhancedImageMetadataEnabled",
                "state",
                "state.status",
                "dateCreated",
                "outputResources",
                "outputResources.amis",
                "tags",
                "buildType",
                "imageSource",
            )
        ),
        Member("image.state.reason", _failed, "a FAILED or CANCELLED image says why"),
        *(
            Member(f"image.{n}", _built, "a build carries what it was built from")
            for n in ("imageRecipe", "infrastructureConfiguration", "imageTestsConfiguration")
        ),
        *_LATEST_REFS,
    ),
    ("imagebuilder", "ListImages"): (
        _REQUEST_ID,
        Member("imageVersionList"),
        *(
            Member(f"imageVersionList[].{n}")
            for n in (
                "arn",
                "name",
                "type",
                "version",
                "platform",
                "owner",
                "dateCreated",
                "buildType",
                "imageSource",
            )
        ),
    ),
    ("imagebuilder", "ListImageBuildVersions"): (
        _REQUEST_ID,
        Member("imageSummaryList"),
        *_image_summary("imageSummaryList[]"),
    ),
    ("imagebuilder", "DeleteImage"): (_REQUEST_ID, Member("imageBuildVersionArn")),
    ("imagebuilder", "CancelImageCreation"): (
        _REQUEST_ID,
        Member("clientToken"),
        Member("imageBuildVersionArn"),
    ),
    ("imagebuilder", "GetWorkflowExecution"): (
        _REQUEST_ID,
        Member("imageBuildVersionArn"),
        *_execution(""),
    ),
    ("imagebuilder", "ListWorkflowExecutions"): (
        _REQUEST_ID,
        Member("imageBuildVersionArn"),
        Member("workflowExecutions"),
        *_execution("workflowExecutions[]."),
        Member("workflowExecutions[].retried"),
    ),
    ("imagebuilder", "GetWorkflowStepExecution"): (
        _REQUEST_ID,
        *_step(""),
        *(
            Member(n)
            for n in (
                "workflowBuildVersionArn",
                "workflowExecutionId",
                "imageBuildVersionArn",
                "onFailure",
                "timeoutSeconds",
            )
        ),
    ),
    ("imagebuilder", "ListWorkflowStepExecutions"): (
        _REQUEST_ID,
        Member("steps"),
        *_step("steps[]."),
        Member("workflowBuildVersionArn"),
        Member("workflowExecutionId"),
        Member("imageBuildVersionArn"),
    ),
    ("imagebuilder", "ListWaitingWorkflowSteps"): (
        Member("steps"),
        *(
            Member(f"steps[].{n}")
            for n in (
                "stepExecutionId",
                "imageBuildVersionArn",
                "workflowExecutionId",
                "workflowBuildVersionArn",
                "name",
                "action",
                "startTime",
            )
        ),
    ),
    ("imagebuilder", "SendWorkflowStepAction"): (
        Member("stepExecutionId"),
        Member("imageBuildVersionArn"),
        Member("clientToken"),
    ),
    ("imagebuilder", "TagResource"): (),
    ("imagebuilder", "UntagResource"): (),
    ("imagebuilder", "ListTagsForResource"): (Member("tags"),),
}

#: Paths where an empty ``tags`` map is returned although TagMap's model minimum is 1 (SPEC §6).
EMPTY_TAGS_ALLOWED: frozenset[tuple[str, str, str]] = frozenset(
    {
        ("imagebuilder", "GetWorkflow", "workflow.tags"),
        ("imagebuilder", "GetComponent", "component.tags"),
        ("imagebuilder", "GetImageRecipe", "imageRecipe.tags"),
        ("imagebuilder", "GetInfrastructureConfiguration", "infrastructureConfiguration.tags"),
        ("imagebuilder", "GetDistributionConfiguration", "distributionConfiguration.tags"),
        ("imagebuilder", "GetImagePipeline", "imagePipeline.tags"),
        ("imagebuilder", "GetImage", "image.tags"),
        ("imagebuilder", "ListTagsForResource", "tags"),
        ("connect", "ListTagsForResource", "tags"),
    }
)

_BUILD_ARN = (
    r"^arn:aws(?:-[a-z]+)*:imagebuilder:[a-z]{2,}(?:-[a-z]+)+-[0-9]+:(?:[0-9]{12}|aws(?:-[a-z-]+)?)"
    r":workflow/(build|test|distribution)/[a-z0-9-_]+/[0-9]+\.[0-9]+\.[0-9]+/[0-9]+$"
)

_ISO_MILLIS = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$"

#: (service, shape name) -> the maximum checked instead of the model's (a known model bug).
MODEL_BUG_MAXIMA: dict[tuple[str, str], int] = {
    # The model says 43200; WaitForAction's default step timeout is 3 days and its maximum 7
    # (the user guide's action table), and real step executions report them.
    ("imagebuilder", "WorkflowStepTimeoutSecondsInteger"): 604800,
}

#: (service, shape name) -> the pattern checked instead of the model's (a known model bug).
MODEL_BUGS: dict[tuple[str, str], str] = {
    # The model says one character (^[a-zA-Z0-9]$); real values are 64 lower-case hex characters.
    ("connect", "ViewContentSha256"): r"^[0-9a-f]{64}$",
    # The model says .../x.x.x; real ListWorkflowBuildVersions items carry build version ARNs.
    ("imagebuilder", "WorkflowNameArn"): _BUILD_ARN,
    # A plain string in the model; real values are ISO-8601 UTC with milliseconds.
    ("imagebuilder", "DateTime"): _ISO_MILLIS,
}
if "VersionNumberWithBuild" not in service_model("imagebuilder").shape_names:
    # Older models give an image's version the shape VersionNumber (M.m.p); real image versions
    # carry their build node (1.0.0/1), as newer models say with VersionNumberWithBuild.
    MODEL_BUGS[("imagebuilder", "VersionNumber")] = r"^[0-9]+\.[0-9]+\.[0-9]+(/[0-9]+)?$"


def check_response(service: str, operation: str, response: Mapping[str, Any]) -> list[str]:
    """The problems of a successful response of ``operation``; an empty list when it is faithful.

    ``response`` is the output dict in client member names (``Call.response``), with datetimes for
    timestamps. Checks the installed botocore output shape (types, unknown members, required
    members, lengths, ranges, enums, patterns) and the members of ``CONTRACT``.
    """
    contract = CONTRACT.get((service, operation))
    if contract is None:
        return [f"{service} {operation}: no response contract (add it to CONTRACT in {_HERE})"]
    problems: list[str] = []
    shape = service_model(service).operation_model(operation).output_shape
    if shape is None:
        if response:
            problems.append(f"the operation has no output, got members {sorted(response)}")
    else:
        _Walker(service, operation, problems).check(shape, response, "")
    for member in contract:
        _present(response, member.path.split("."), member, problems, "")
    return [f"{service} {operation}: {p}" for p in problems]


def _present(
    obj: Any, segments: list[str], member: Member, problems: list[str], where: str
) -> None:
    if not isinstance(obj, Mapping):
        return  # the shape walk reports the type problem
    head, rest = segments[0], segments[1:]
    is_list = head.endswith("[]")
    name = head[:-2] if is_list else head
    here = f"{where}.{name}" if where else name
    if not rest and member.when is not None and not member.when(obj):
        return
    if name not in obj:
        reason = f" ({member.why})" if member.why else ""
        problems.append(f"{here}: missing, the real service returns it{reason}")
        return
    value = obj[name]
    if not rest:
        return
    if is_list:
        if isinstance(value, list):
            for index, item in enumerate(value):
                _present(item, rest, member, problems, f"{here}[{index}]")
        return
    _present(value, rest, member, problems, here)


class _Walker:
    """Walks a value against a botocore output shape, collecting every problem."""

    def __init__(self, service: str, operation: str, problems: list[str]) -> None:
        self.service = service
        self.operation = operation
        self.problems = problems

    def report(self, path: str, message: str) -> None:
        self.problems.append(f"{path or '<response>'}: {message}")

    def check(self, shape: Shape, value: Any, path: str) -> None:
        kind = shape.type_name
        if value is None:
            self.report(path, "is None (omit the member instead)")
            return
        checker = getattr(self, f"_{kind}", None)
        if checker is not None:
            checker(shape, value, path)

    def _structure(self, shape: Shape, value: Any, path: str) -> None:
        if not isinstance(value, Mapping):
            self.report(path, f"must be a structure ({shape.name}), got {type(value).__name__}")
            return
        members = shape.members
        for name in shape.required_members:
            if name not in value:
                self.report(_join(path, name), f"missing, required by {shape.name}")
        for name, item in value.items():
            member = members.get(name)
            if member is None:
                self.report(
                    _join(path, name),
                    f"not a member of {shape.name} in the installed botocore model "
                    f"(known: {', '.join(members)})",
                )
                continue
            self.check(member, item, _join(path, name))

    def _list(self, shape: Shape, value: Any, path: str) -> None:
        if not isinstance(value, list):
            self.report(path, f"must be a list ({shape.name}), got {type(value).__name__}")
            return
        self._size(shape, len(value), path)
        for index, item in enumerate(value):
            self.check(shape.member, item, f"{path}[{index}]")

    def _map(self, shape: Shape, value: Any, path: str) -> None:
        if not isinstance(value, Mapping):
            self.report(path, f"must be a map ({shape.name}), got {type(value).__name__}")
            return
        if not value and (self.service, self.operation, path) in EMPTY_TAGS_ALLOWED:
            return
        self._size(shape, len(value), path)
        for key, item in value.items():
            self.check(shape.key, key, f"{path}.key({key!r})")
            self.check(shape.value, item, f"{path}[{key!r}]")

    def _string(self, shape: Shape, value: Any, path: str) -> None:
        if not isinstance(value, str):
            self.report(path, f"must be a string ({shape.name}), got {type(value).__name__}")
            return
        self._size(shape, len(value), path)
        enum = shape.enum
        if enum and value not in enum:
            self.report(path, f"{value!r} is not one of {shape.name}'s values {list(enum)}")
        bug = MODEL_BUGS.get((self.service, shape.name))
        pattern = bug if bug is not None else shape.metadata.get("pattern")
        if pattern:
            compiled = _compiled(pattern)
            if compiled is not None and compiled.search(value) is None:
                shown = value if len(value) <= 120 else value[:120] + "..."
                self.report(path, f"{shown!r} does not match {shape.name}'s pattern {pattern}")

    def _integer(self, shape: Shape, value: Any, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(path, f"must be an integer ({shape.name}), got {type(value).__name__}")
            return
        meta = shape.metadata
        if "min" in meta and value < meta["min"]:
            self.report(path, f"{value} is below {shape.name}'s minimum {meta['min']}")
        top = MODEL_BUG_MAXIMA.get((self.service, shape.name), meta.get("max"))
        if top is not None and value > top:
            self.report(path, f"{value} is above {shape.name}'s maximum {top}")

    _long = _integer

    def _boolean(self, shape: Shape, value: Any, path: str) -> None:
        if not isinstance(value, bool):
            self.report(path, f"must be a boolean ({shape.name}), got {type(value).__name__}")

    def _float(self, shape: Shape, value: Any, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.report(path, f"must be a number ({shape.name}), got {type(value).__name__}")

    _double = _float

    def _timestamp(self, shape: Shape, value: Any, path: str) -> None:
        if not isinstance(value, dt.datetime):
            self.report(path, f"must be a datetime ({shape.name}), got {type(value).__name__}")
        elif value.tzinfo is None:
            self.report(path, "must be an aware datetime (UTC), got a naive one")

    def _blob(self, shape: Shape, value: Any, path: str) -> None:
        if not isinstance(value, (bytes, bytearray)):
            self.report(path, f"must be bytes ({shape.name}), got {type(value).__name__}")

    def _size(self, shape: Shape, size: int, path: str) -> None:
        meta = shape.metadata
        if "min" in meta and size < meta["min"]:
            self.report(path, f"size {size} is below {shape.name}'s minimum {meta['min']}")
        if "max" in meta and size > meta["max"]:
            self.report(path, f"size {size} is above {shape.name}'s maximum {meta['max']}")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


# ------------------------------------------------------------------------------ the wire
#: Protocols whose bodies are JSON, with the timestamp format a shape without ``timestampFormat``
#: is written in.
_JSON_TIMESTAMPS = {"rest-json": "unixTimestamp", "json": "unixTimestamp"}
_FLOAT_WORDS = frozenset({"NaN", "Infinity", "-Infinity"})


def check_wire(
    service: str, operation: str, status: int, body: bytes, parsed: Mapping[str, Any]
) -> list[str]:
    """The problems of one HTTP response of ``operation``; an empty list when it is faithful.

    ``body`` is the encoded body (what went over the wire), ``parsed`` what botocore parsed from
    it (what the caller receives; ``ResponseMetadata`` is ignored). Responses that are not 2xx are
    errors and not checked here.
    """
    if not 200 <= status < 300:
        return []
    response = {k: v for k, v in parsed.items() if k != "ResponseMetadata"}
    return check_response(service, operation, response) + check_body(service, operation, body)


def check_body(service: str, operation: str, body: bytes) -> list[str]:
    """The problems of the encoded JSON body of a successful response of ``operation``.

    Every key at every level must be the wire name (``serialization['name']``, else the member
    name) of a body member of its shape (one without a ``location``), and every value must have
    the JSON type of its shape: a timestamp is an epoch number unless its ``timestampFormat`` (or
    the protocol) says otherwise, a blob is base64 text, ``null`` is never written.
    """
    model = service_model(service)
    protocol = getattr(model, "resolved_protocol", None) or model.protocol
    default_format = _JSON_TIMESTAMPS.get(protocol)
    if default_format is None:
        return []  # not a JSON protocol: nothing to say about its bodies here
    problems: list[str] = []
    walker = _BodyWalker(default_format, problems)
    shape = model.operation_model(operation).output_shape
    if shape is not None and shape.serialization.get("payload"):
        shape = shape.members[shape.serialization["payload"]]
        if shape.type_name != "structure":
            return []  # a raw (blob or string) payload is not JSON
    if not body.strip():
        decoded: Any = {}  # botocore parses an empty body as no members
    else:
        try:
            decoded = json.loads(body)
        except ValueError as error:
            shown = body[:120] + (b"..." if len(body) > 120 else b"")
            return [f"{service} {operation}: encoded body: not JSON ({error}): {shown!r}"]
    if shape is None:
        if decoded != {}:
            walker.report("", f"the operation has no output, the body must be {{}}, got {body!r}")
    else:
        walker.check(shape, decoded, "")
    return [f"{service} {operation}: encoded body: {p}" for p in problems]


class _BodyWalker:
    """Walks decoded JSON against a botocore shape by wire names, collecting every problem."""

    def __init__(self, default_timestamp_format: str, problems: list[str]) -> None:
        self.default_timestamp_format = default_timestamp_format
        self.problems = problems

    def report(self, path: str, message: str) -> None:
        self.problems.append(f"{path or '<body>'}: {message}")

    def check(self, shape: Shape, value: Any, path: str) -> None:
        kind = shape.type_name
        if value is None:
            self.report(path, "is null (omit the member instead)")
        elif kind == "structure":
            self._structure(shape, value, path)
        elif kind == "list":
            if self._is(value, list, "a JSON array", shape, path):
                for index, item in enumerate(value):
                    self.check(shape.member, item, f"{path}[{index}]")
        elif kind == "map":
            if self._is(value, dict, "a JSON object", shape, path):
                for key, item in value.items():
                    self.check(shape.value, item, f"{path}[{key!r}]")
        elif kind == "string":
            self._is(value, str, "a JSON string", shape, path)
        elif kind in ("integer", "long"):
            self._is(value, int, "a JSON integer", shape, path)
        elif kind in ("float", "double"):
            if not (isinstance(value, str) and value in _FLOAT_WORDS):
                self._is(value, (int, float), "a JSON number", shape, path)
        elif kind == "boolean":
            self._is(value, bool, "JSON true or false", shape, path)
        elif kind == "timestamp":
            fmt = shape.serialization.get("timestampFormat", self.default_timestamp_format)
            if fmt == "unixTimestamp":
                self._is(value, (int, float), "a JSON number (epoch seconds)", shape, path)
            else:
                self._is(value, str, f"a JSON string ({fmt})", shape, path)
        elif kind == "blob" and self._is(value, str, "a base64 JSON string", shape, path):
            try:
                base64.b64decode(value, validate=True)
            except binascii.Error:
                self.report(path, f"{value[:40]!r} is not base64 ({shape.name})")
        # documents (and types botocore adds later) hold any JSON

    def _structure(self, shape: Shape, value: Any, path: str) -> None:
        if not self._is(value, dict, "a JSON object", shape, path):
            return
        body_members = {
            member.serialization.get("name", name): member
            for name, member in shape.members.items()
            if "location" not in member.serialization
        }
        for key, item in value.items():
            member = body_members.get(key)
            if member is None:
                self.report(
                    _join(path, key),
                    f"not a body member of {shape.name} (botocore drops it; "
                    f"known: {', '.join(body_members) or 'none'})",
                )
            else:
                self.check(member, item, _join(path, key))

    def _is(
        self, value: Any, types: type | tuple[type, ...], what: str, shape: Shape, path: str
    ) -> bool:
        if isinstance(value, types) and (bool in _as_tuple(types) or not isinstance(value, bool)):
            return True
        self.report(path, f"must be {what} ({shape.name}), got {json.dumps(value)[:60]}")
        return False


def _as_tuple(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)
