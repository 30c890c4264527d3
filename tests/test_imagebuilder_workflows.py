"""Image Builder workflows via real boto3 clients: create, get, delete, documents, tags, quotas."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from pytest_connectviews import FakeAWS
from pytest_connectviews.services.imagebuilder.workflows import MANAGED_WORKFLOWS, parse_document

DATA = Path(__file__).parent / "data" / "workflows"
CLI_DESCRIPTION = (
    "Builds an AMI, and then waits for an external action before the workflow completes"
)
AWSCLI_DOC = (DATA / "awscli_get_workflow_example.yaml").read_text(encoding="utf-8")
BUILD_DOC = (DATA / "build_workflow_example.yaml").read_text(encoding="utf-8")
TEST_DOC = (DATA / "test_workflow_example.yaml").read_text(encoding="utf-8")

MINIMAL = "schemaVersion: 1.0\nsteps:\n  - name: Launch\n    action: LaunchInstance\n"
DISTRIBUTE = "schemaVersion: 1.0\nsteps:\n  - name: Ship\n    action: DistributeImage\n"


def prefix(fake: FakeAWS) -> str:
    return f"arn:aws:imagebuilder:{fake.region}:{fake.account_id}:workflow"


def create(client: Any, name: str = "my-wf", version: str = "1.0.0", **kwargs: Any) -> str:
    kwargs.setdefault("type", "BUILD")
    if "uri" not in kwargs:
        kwargs.setdefault("data", MINIMAL)
    arn: str = client.create_workflow(name=name, semanticVersion=version, **kwargs)[
        "workflowBuildVersionArn"
    ]
    return arn


def error_of(info: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    err = info.value.response
    return err["Error"]["Code"], err["ResponseMetadata"]["HTTPStatusCode"], err["Error"]["Message"]


# ------------------------------------------------------------------------------ CreateWorkflow
def test_create_returns_build_one_and_all_latest_version_references(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    out = imagebuilder_client.create_workflow(
        name="my-example-workflow",
        semanticVersion="1.0.0",
        type="BUILD",
        data=AWSCLI_DOC,
        clientToken="token-1",
    )
    base = f"{prefix(connectviews)}/build/my-example-workflow"
    assert out["workflowBuildVersionArn"] == f"{base}/1.0.0/1"
    assert out["clientToken"] == "token-1"
    assert out["latestVersionReferences"] == {
        "latestVersionArn": f"{base}/x.x.x",
        "latestMajorVersionArn": f"{base}/1.x.x",
        "latestMinorVersionArn": f"{base}/1.0.x",
        "latestPatchVersionArn": f"{base}/1.0.0",
    }
    assert set(out) - {"ResponseMetadata"} == {
        "clientToken",
        "workflowBuildVersionArn",
        "latestVersionReferences",
    }


@pytest.mark.parametrize(
    ("name", "segment"),
    [
        ("My Workflow_1", "my-workflow-1"),
        ("UPPER_case name", "upper-case-name"),
        ("already-normal", "already-normal"),
    ],
)
def test_name_is_normalized_in_the_arn_and_returned_verbatim(
    connectviews: FakeAWS, imagebuilder_client: Any, name: str, segment: str
) -> None:
    arn = create(imagebuilder_client, name=name, type="TEST")
    assert arn == f"{prefix(connectviews)}/test/{segment}/1.0.0/1"
    workflow = imagebuilder_client.get_workflow(workflowBuildVersionArn=arn)["workflow"]
    assert workflow["name"] == name
    assert workflow["type"] == "TEST"


@pytest.mark.parametrize(
    "change",
    [
        {"description": "other"},
        {"changeDescription": "second"},
        {"kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/abc"},
        {"data": MINIMAL + "# a comment changes the document\n"},
    ],
)
def test_changed_configuration_creates_the_next_build(
    imagebuilder_client: Any, change: dict[str, str]
) -> None:
    first = create(imagebuilder_client, description="first")
    second = create(imagebuilder_client, **{"description": "first", **change})
    assert first.endswith("/1.0.0/1")
    assert second.endswith("/1.0.0/2")
    third = create(imagebuilder_client, description="third")
    assert third.endswith("/1.0.0/3")


def test_identical_configuration_is_resource_already_exists(imagebuilder_client: Any) -> None:
    arn = create(imagebuilder_client, description="d", tags={"team": "a"})
    with pytest.raises(imagebuilder_client.exceptions.ResourceAlreadyExistsException) as info:
        # tags are not part of the configuration, and the name differs only in case
        create(imagebuilder_client, name="MY_WF", description="d", tags={"team": "b"})
    code, status, message = error_of(info)
    assert (code, status) == ("ResourceAlreadyExistsException", 400)
    assert arn in message


def test_type_and_version_are_part_of_the_key(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    assert create(imagebuilder_client, type="BUILD").endswith("/build/my-wf/1.0.0/1")
    assert create(imagebuilder_client, type="TEST").endswith("/test/my-wf/1.0.0/1")
    assert create(imagebuilder_client, version="1.0.1").endswith("/build/my-wf/1.0.1/1")


def test_client_token_replay_returns_the_first_response(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    kwargs = {"name": "my-wf", "semanticVersion": "1.0.0", "type": "BUILD", "data": MINIMAL}
    first = imagebuilder_client.create_workflow(clientToken="same", **kwargs)
    again = imagebuilder_client.create_workflow(clientToken="same", **kwargs)
    first.pop("ResponseMetadata")
    again.pop("ResponseMetadata")
    assert again == first
    builds = imagebuilder_client.list_workflow_build_versions(
        workflowVersionArn=first["latestVersionReferences"]["latestPatchVersionArn"]
    )["workflowSummaryList"]
    assert len(builds) == 1
    assert [c.status_code for c in connectviews.calls.filter("CreateWorkflow")] == [200, 200]


def test_client_token_with_other_parameters_is_a_mismatch(imagebuilder_client: Any) -> None:
    create(imagebuilder_client, clientToken="tok")
    with pytest.raises(imagebuilder_client.exceptions.IdempotentParameterMismatchException):
        create(imagebuilder_client, clientToken="tok", description="changed")


def test_botocore_fills_the_client_token_so_plain_calls_are_not_replays(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    create(imagebuilder_client)
    create(imagebuilder_client, description="other")
    tokens = [c.params["clientToken"] for c in connectviews.calls.filter("CreateWorkflow")]
    assert len(set(tokens)) == 2


def test_data_and_uri_together_is_invalid_parameter_combination(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    connectviews.register_document("s3://bucket/wf.yaml", MINIMAL)
    with pytest.raises(imagebuilder_client.exceptions.InvalidParameterCombinationException):
        create(imagebuilder_client, data=MINIMAL, uri="s3://bucket/wf.yaml")


def test_neither_data_nor_uri_is_invalid_request(imagebuilder_client: Any) -> None:
    with pytest.raises(imagebuilder_client.exceptions.InvalidRequestException):
        imagebuilder_client.create_workflow(name="my-wf", semanticVersion="1.0.0", type="BUILD")


def test_version_nodes_are_limited_to_2_pow_30_minus_1(imagebuilder_client: Any) -> None:
    assert create(imagebuilder_client, version="1073741823.0.0").endswith("/1073741823.0.0/1")
    with pytest.raises(imagebuilder_client.exceptions.InvalidVersionNumberException):
        create(imagebuilder_client, version="1.1073741824.0")


@pytest.mark.parametrize("version", ["1.0", "1.0.0.0", "v1.0.0", "1.x.0"])
def test_semantic_version_pattern_is_checked_server_side(
    imagebuilder_client: Any, version: str
) -> None:
    with pytest.raises(imagebuilder_client.exceptions.InvalidParameterValueException) as info:
        create(imagebuilder_client, version=version)
    assert error_of(info)[2] == (
        "The value supplied for parameter 'semanticVersion' is not valid. "
        r"semanticVersion must match pattern ^[0-9]+\.[0-9]+\.[0-9]+$"
    )


def test_name_pattern_is_checked_server_side(imagebuilder_client: Any) -> None:
    with pytest.raises(imagebuilder_client.exceptions.InvalidParameterValueException) as info:
        create(imagebuilder_client, name="bad/name")
    assert "parameter 'name'" in error_of(info)[2]


def test_dry_run_on_a_valid_request_creates_nothing(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    with pytest.raises(imagebuilder_client.exceptions.DryRunOperationException) as info:
        create(imagebuilder_client, dryRun=True)
    assert error_of(info)[:2] == ("DryRunOperationException", 412)
    assert imagebuilder_client.list_workflows()["workflowVersionList"] == []
    assert create(imagebuilder_client).endswith("/1.0.0/1")


@pytest.mark.parametrize(
    ("setup", "kwargs", "expected"),
    [
        ("existing", {}, "ResourceAlreadyExistsException"),
        (None, {"data": "schemaVersion: 2.0\nsteps: []\n"}, "InvalidParameterValueException"),
        (None, {"uri": "s3://bucket/missing.yaml"}, "InvalidParameterValueException"),
        (None, {"version": "1.0.1073741824"}, "InvalidVersionNumberException"),
        ("quota", {"name": "other"}, "ServiceQuotaExceededException"),
        ("token", {"clientToken": "used"}, "IdempotentParameterMismatchException"),
    ],
)
def test_dry_run_meets_every_other_error_first(
    connectviews: FakeAWS,
    imagebuilder_client: Any,
    setup: str | None,
    kwargs: dict[str, Any],
    expected: str,
) -> None:
    if setup == "existing":
        create(imagebuilder_client)
    elif setup == "quota":
        create(imagebuilder_client)
        connectviews.set_quota("imagebuilder.workflow_versions", 1)
    elif setup == "token":
        create(imagebuilder_client, clientToken="used")
    with pytest.raises(ClientError) as info:
        create(imagebuilder_client, dryRun=True, **kwargs)
    assert error_of(info)[0] == expected


def test_uri_reads_the_registered_document(connectviews: FakeAWS, imagebuilder_client: Any) -> None:
    connectviews.register_document("s3://my-bucket/workflows/build.yaml", BUILD_DOC)
    arn = create(imagebuilder_client, uri="s3://my-bucket/workflows/build.yaml")
    workflow = imagebuilder_client.get_workflow(workflowBuildVersionArn=arn)["workflow"]
    assert workflow["data"] == BUILD_DOC
    assert workflow["parameters"] == [{"name": "foo", "type": "string"}]
    # the same uri with another document behind it is another configuration
    connectviews.register_document("s3://my-bucket/workflows/build.yaml", AWSCLI_DOC)
    assert create(imagebuilder_client, uri="s3://my-bucket/workflows/build.yaml").endswith("/2")


def test_unknown_uri_is_invalid_parameter_value(imagebuilder_client: Any) -> None:
    with pytest.raises(imagebuilder_client.exceptions.InvalidParameterValueException) as info:
        create(imagebuilder_client, uri="s3://bucket/not-registered.yaml")
    message = error_of(info)[2]
    assert "parameter 'uri'" in message
    assert "s3://bucket/not-registered.yaml" in message


@pytest.mark.parametrize(
    "uri", ["https://bucket/key", "s3://bucket", "s3://Bucket/key", "bucket/key"]
)
def test_register_document_rejects_a_malformed_uri(connectviews: FakeAWS, uri: str) -> None:
    with pytest.raises(ValueError, match=r"^connectviews: register_document needs an S3 uri"):
        connectviews.register_document(uri, MINIMAL)


def test_register_document_rejects_non_text(connectviews: FakeAWS) -> None:
    with pytest.raises(ValueError, match=r"^connectviews: register_document needs the document"):
        connectviews.register_document("s3://bucket/key", MINIMAL.encode())  # type: ignore[arg-type]


def test_distribution_workflows_are_allowed_by_default(imagebuilder_client: Any) -> None:
    assert create(imagebuilder_client, type="DISTRIBUTION", data=DISTRIBUTE).endswith(
        "/distribution/my-wf/1.0.0/1"
    )


@pytest.mark.connectviews(allow_distribution_workflows=False)
def test_distribution_workflows_can_be_refused(imagebuilder_client: Any) -> None:
    with pytest.raises(imagebuilder_client.exceptions.InvalidParameterValueException) as info:
        create(imagebuilder_client, type="DISTRIBUTION", data=DISTRIBUTE)
    assert "Custom distribution workflows are not supported." in error_of(info)[2]


# ------------------------------------------------------------------------------ documents
def _steps(*actions: str) -> str:
    body = "".join(f"  - name: Step{i}\n    action: {a}\n" for i, a in enumerate(actions))
    return f"schemaVersion: 1.0\nsteps:\n{body}"


@pytest.mark.parametrize(
    ("document", "workflow_type", "problem"),
    [
        ("steps: [{name: Ab, action: LaunchInstance}]\n", "BUILD", "schemaVersion"),
        ("schemaVersion: 2.0\n" + _steps("LaunchInstance")[19:], "BUILD", "schemaVersion"),
        ("schemaVersion: 1.0\nsteps: [unclosed\n", "BUILD", "not valid YAML"),
        ("- just\n- a list\n", "BUILD", "YAML mapping"),
        ("schemaVersion: 1.0\nsteps: []\n", "BUILD", "between 1 and 15 steps"),
        (_steps(*["LaunchInstance"] * 16), "BUILD", "at most 15"),
        (
            "schemaVersion: 1.0\nsteps:\n  - {name: Same, action: LaunchInstance}\n"
            "  - {name: Same, action: TerminateInstance}\n",
            "BUILD",
            "'Same' is used more than once",
        ),
        ("schemaVersion: 1.0\nsteps:\n  - {name: 1st, action: LaunchInstance}\n", "BUILD", "1st"),
        (_steps("LaunchRocket"), "BUILD", "unsupported action 'LaunchRocket'"),
        (_steps("DistributeImage"), "BUILD", "DistributeImage is not supported in a BUILD"),
        (_steps("CollectImageScanFindings"), "BUILD", "not supported in a BUILD"),
        (_steps("ExecuteComponents"), "DISTRIBUTION", "not supported in a DISTRIBUTION"),
        (
            _steps("DistributeContainerImage", "DistributeImage"),
            "DISTRIBUTION",
            "cannot be combined with DistributeImage",
        ),
        (_steps("LaunchInstance") + "    onFailure: Retry\n", "BUILD", "onFailure 'Retry'"),
        (_steps("LaunchInstance") + "    timeoutSeconds: 0\n", "BUILD", "timeoutSeconds 0"),
        (_steps("LaunchInstance") + "    timeoutSeconds: 86401\n", "BUILD", "timeoutSeconds 86401"),
        (
            _steps("LaunchInstance")
            + "parameters:\n"
            + "".join(f"  - {{name: p{i}, type: string}}\n" for i in range(26)),
            "BUILD",
            "26 parameters",
        ),
        (
            _steps("LaunchInstance") + "parameters:\n  - {name: p, type: number}\n",
            "BUILD",
            "type 'number'",
        ),
        (
            _steps("LaunchInstance")
            + "outputs:\n"
            + "".join(f"  - {{name: o{i}, value: x}}\n" for i in range(26)),
            "BUILD",
            "26 outputs",
        ),
    ],
    ids=[
        "no-schemaVersion",
        "schemaVersion-2.0",
        "not-yaml",
        "not-a-mapping",
        "no-steps",
        "16-steps",
        "duplicate-step-name",
        "bad-step-name",
        "unknown-action",
        "distribute-in-build",
        "scan-findings-in-build",
        "components-in-distribution",
        "container-and-ami-distribution",
        "bad-onFailure",
        "timeout-0",
        "timeout-86401",
        "26-parameters",
        "bad-parameter-type",
        "26-outputs",
    ],
)
def test_invalid_documents_are_invalid_parameter_value_naming_data(
    imagebuilder_client: Any, document: str, workflow_type: str, problem: str
) -> None:
    with pytest.raises(imagebuilder_client.exceptions.InvalidParameterValueException) as info:
        create(imagebuilder_client, data=document, type=workflow_type)
    message = error_of(info)[2]
    assert message.startswith("The value supplied for parameter 'data' is not valid.")
    assert problem in message
    assert imagebuilder_client.list_workflows()["workflowVersionList"] == []


@pytest.mark.parametrize(
    ("document", "workflow_type"),
    [
        ('schemaVersion: "1.0"\nsteps:\n  - {name: Ab, action: LaunchInstance}\n', "BUILD"),
        (_steps("LaunchInstance") + "    timeoutSeconds: 86400\n", "BUILD"),
        (_steps(*["LaunchInstance"] * 15), "BUILD"),
        (_steps("CollectImageScanFindings", "ExecuteComponents"), "TEST"),
        (_steps("DistributeContainerImage"), "DISTRIBUTION"),
        (
            _steps("DistributeImage", "ModifyImageAttributes", "ApplyImageConfigurations"),
            "DISTRIBUTION",
        ),
        (
            _steps("LaunchInstance")
            + "parameters:\n"
            + "".join(f"  - {{name: p{i}, type: string}}\n" for i in range(25))
            + "outputs:\n"
            + "".join(f"  - {{name: o{i}, value: x}}\n" for i in range(25)),
            "BUILD",
        ),
        (BUILD_DOC, "BUILD"),
        (TEST_DOC, "TEST"),
    ],
    ids=[
        "quoted-schemaVersion",
        "timeout-86400",
        "15-steps",
        "test-actions",
        "container-distribution",
        "ami-distribution",
        "25-parameters-25-outputs",
        "terraform-build",
        "terraform-test",
    ],
)
def test_valid_documents_are_accepted(
    imagebuilder_client: Any, document: str, workflow_type: str
) -> None:
    assert create(imagebuilder_client, data=document, type=workflow_type).endswith("/1.0.0/1")


@pytest.mark.parametrize(
    "filename",
    [
        "awscli_get_workflow_example.yaml",
        "build_workflow_example.yaml",
        "test_workflow_example.yaml",
    ],
)
def test_data_round_trips_byte_for_byte(imagebuilder_client: Any, filename: str) -> None:
    text = (DATA / filename).read_text(encoding="utf-8")
    # trailing blanks, CRLF and comments are kept exactly
    document = text.replace("\n", "\r\n", 2) + "\n# trailing comment   \n\n"
    arn = create(
        imagebuilder_client, data=document, type="TEST" if "test_" in filename else "BUILD"
    )
    assert (
        imagebuilder_client.get_workflow(workflowBuildVersionArn=arn)["workflow"]["data"]
        == document
    )


@pytest.mark.parametrize(
    ("filename", "workflow_type", "expected"),
    [
        (
            "awscli_get_workflow_example.yaml",
            "BUILD",
            [{"name": "waitForActionAtEnd", "type": "boolean", "defaultValue": ["true"]}],
        ),
        ("build_workflow_example.yaml", "BUILD", [{"name": "foo", "type": "string"}]),
        ("test_workflow_example.yaml", "TEST", [{"name": "waitForActionAtEnd", "type": "boolean"}]),
    ],
)
def test_parameters_are_derived_from_the_real_documents(
    imagebuilder_client: Any, filename: str, workflow_type: str, expected: list[dict[str, Any]]
) -> None:
    arn = create(imagebuilder_client, data=(DATA / filename).read_text(), type=workflow_type)
    workflow = imagebuilder_client.get_workflow(workflowBuildVersionArn=arn)["workflow"]
    assert workflow["parameters"] == expected


def test_parameter_defaults_are_lists_of_strings(imagebuilder_client: Any) -> None:
    document = _steps("LaunchInstance") + (
        "parameters:\n"
        "  - {name: dryRunOnly, type: boolean, default: false}\n"
        "  - {name: count, type: integer, default: 5, description: How many}\n"
        "  - {name: regions, type: stringList, default: [us-east-1, eu-west-1]}\n"
        "  - {name: version, type: string, default: 1.0}\n"
        "  - {name: untyped, default: text}\n"
        "  - {name: required, type: string}\n"
    )
    arn = create(imagebuilder_client, data=document)
    assert imagebuilder_client.get_workflow(workflowBuildVersionArn=arn)["workflow"][
        "parameters"
    ] == [
        {"name": "dryRunOnly", "type": "boolean", "defaultValue": ["false"]},
        {"name": "count", "type": "integer", "defaultValue": ["5"], "description": "How many"},
        {"name": "regions", "type": "stringList", "defaultValue": ["us-east-1", "eu-west-1"]},
        {"name": "version", "type": "string", "defaultValue": ["1.0"]},
        {"name": "untyped", "type": "string", "defaultValue": ["text"]},
        {"name": "required", "type": "string"},
    ]


def test_yaml_is_not_imported_at_plugin_start_up() -> None:
    code = (
        "import sys, pytest_connectviews.plugin, pytest_connectviews.fake; "
        "print('yaml' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# ------------------------------------------------------------------------------ GetWorkflow
def test_get_workflow_returns_every_member_the_service_returns(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    connectviews.clock.freeze(dt.datetime(2026, 9, 9, 19, 55, 55, 731000, tzinfo=dt.timezone.utc))
    arn = create(
        imagebuilder_client,
        name="my-example-workflow",
        data=AWSCLI_DOC,
        description=CLI_DESCRIPTION,
        changeDescription="Initial version",
    )
    out = imagebuilder_client.get_workflow(workflowBuildVersionArn=arn)
    workflow = out["workflow"]
    assert workflow == {
        "arn": arn,
        "name": "my-example-workflow",
        "version": "1.0.0",
        "description": CLI_DESCRIPTION,
        "changeDescription": "Initial version",
        "type": "BUILD",
        "owner": connectviews.account_id,
        "data": AWSCLI_DOC,
        "dateCreated": "2026-09-09T19:55:55.731Z",
        "tags": {},
        "parameters": [{"name": "waitForActionAtEnd", "type": "boolean", "defaultValue": ["true"]}],
    }
    base = f"{prefix(connectviews)}/build/my-example-workflow"
    assert out["latestVersionReferences"] == {
        "latestVersionArn": f"{base}/x.x.x",
        "latestMajorVersionArn": f"{base}/1.x.x",
        "latestMinorVersionArn": f"{base}/1.0.x",
        "latestPatchVersionArn": f"{base}/1.0.0",
    }


def test_get_workflow_omits_unset_optional_fields_and_returns_kms_key(
    imagebuilder_client: Any,
) -> None:
    plain = imagebuilder_client.get_workflow(workflowBuildVersionArn=create(imagebuilder_client))
    assert set(plain["workflow"]) == {
        "arn",
        "name",
        "version",
        "type",
        "owner",
        "data",
        "dateCreated",
        "tags",
        "parameters",
    }
    assert plain["workflow"]["parameters"] == []
    arn = create(imagebuilder_client, name="keyed", kmsKeyId="alias/my-key", tags={"team": "img"})
    workflow = imagebuilder_client.get_workflow(workflowBuildVersionArn=arn)["workflow"]
    assert workflow["kmsKeyId"] == "alias/my-key"
    assert workflow["tags"] == {"team": "img"}


def test_date_created_is_iso_8601_utc_with_milliseconds(imagebuilder_client: Any) -> None:
    workflow = imagebuilder_client.get_workflow(
        workflowBuildVersionArn=create(imagebuilder_client)
    )["workflow"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", workflow["dateCreated"])


def test_get_workflow_resolves_version_and_wildcard_arns(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    # the semantic-versioning guide's example: 2.2.4, 1.7.8 and 1.6.8
    for version in ("1.6.8", "2.2.4", "1.7.8"):
        create(imagebuilder_client, version=version)
    create(imagebuilder_client, version="1.6.8", description="second build")
    base = f"{prefix(connectviews)}/build/my-wf"

    def resolved(suffix: str) -> str:
        arn = imagebuilder_client.get_workflow(workflowBuildVersionArn=f"{base}/{suffix}")[
            "workflow"
        ]["arn"]
        return str(arn)[len(base) + 1 :]

    assert resolved("x.x.x") == "2.2.4/1"
    assert resolved("1.x.x") == "1.7.8/1"
    assert resolved("1.6.x") == "1.6.8/2"
    assert resolved("1.6.8") == "1.6.8/2"
    assert resolved("1.6.8/1") == "1.6.8/1"
    out = imagebuilder_client.get_workflow(workflowBuildVersionArn=f"{base}/1.6.x")
    assert out["latestVersionReferences"]["latestPatchVersionArn"] == f"{base}/1.6.8"


@pytest.mark.parametrize("suffix", ["x.2.x", "1.x.8", "x.x.1"])
def test_wildcards_must_be_rightmost(
    connectviews: FakeAWS, imagebuilder_client: Any, suffix: str
) -> None:
    create(imagebuilder_client)
    with pytest.raises(imagebuilder_client.exceptions.InvalidParameterValueException) as info:
        imagebuilder_client.get_workflow(
            workflowBuildVersionArn=f"{prefix(connectviews)}/build/my-wf/{suffix}"
        )
    assert "every node to its right must be 'x'" in error_of(info)[2]


@pytest.mark.parametrize(
    "arn",
    [
        "{p}/build/nope/x.x.x",
        "{p}/build/my-wf/2.x.x",
        "{p}/build/my-wf/1.0.0/2",
        "{p}/test/my-wf/1.0.0",
        "arn:aws:imagebuilder:{r}:999999999999:workflow/build/my-wf/1.0.0/1",
        "arn:aws:imagebuilder:eu-west-1:{a}:workflow/build/my-wf/1.0.0/1",
    ],
)
def test_get_workflow_without_a_match_is_resource_not_found(
    connectviews: FakeAWS, imagebuilder_client: Any, arn: str
) -> None:
    create(imagebuilder_client)
    target = arn.format(p=prefix(connectviews), r=connectviews.region, a=connectviews.account_id)
    with pytest.raises(imagebuilder_client.exceptions.ResourceNotFoundException) as info:
        imagebuilder_client.get_workflow(workflowBuildVersionArn=target)
    assert error_of(info)[1] == 404


def test_state_is_kept_per_account_and_region(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    arn = create(imagebuilder_client)
    other_region = boto3.client("imagebuilder", region_name="eu-central-1")
    assert other_region.list_workflows()["workflowVersionList"] == []
    other_account = boto3.client(
        "imagebuilder",
        region_name=connectviews.region,
        aws_access_key_id="111122223333",
        aws_secret_access_key="x",
    )
    assert other_account.list_workflows()["workflowVersionList"] == []
    assert create(other_account).startswith("arn:aws:imagebuilder:us-east-1:111122223333:workflow/")
    assert imagebuilder_client.get_workflow(workflowBuildVersionArn=arn)["workflow"]["arn"] == arn


# ------------------------------------------------------------------------------ DeleteWorkflow
def test_delete_returns_the_arn_and_the_next_newest_build_takes_over(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    first = create(imagebuilder_client, description="one")
    second = create(imagebuilder_client, description="two")
    out = imagebuilder_client.delete_workflow(workflowBuildVersionArn=second)
    assert out["workflowBuildVersionArn"] == second
    latest = imagebuilder_client.get_workflow(
        workflowBuildVersionArn=f"{prefix(connectviews)}/build/my-wf/x.x.x"
    )
    assert latest["workflow"]["arn"] == first
    # build numbers are not reused while the version exists
    assert create(imagebuilder_client, description="three").endswith("/1.0.0/3")


def test_deleting_the_last_build_removes_the_version(imagebuilder_client: Any) -> None:
    arn = create(imagebuilder_client)
    create(imagebuilder_client, version="2.0.0")
    imagebuilder_client.delete_workflow(workflowBuildVersionArn=arn)
    listed = imagebuilder_client.list_workflows()["workflowVersionList"]
    assert [item["version"] for item in listed] == ["2.0.0"]
    with pytest.raises(imagebuilder_client.exceptions.ResourceNotFoundException):
        imagebuilder_client.get_workflow(workflowBuildVersionArn=arn)
    # a recreated version starts again at build 1
    assert create(imagebuilder_client).endswith("/1.0.0/1")


def test_delete_of_a_missing_build_is_resource_not_found(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    arn = create(imagebuilder_client)
    with pytest.raises(imagebuilder_client.exceptions.ResourceNotFoundException):
        imagebuilder_client.delete_workflow(workflowBuildVersionArn=arn[:-1] + "7")
    imagebuilder_client.delete_workflow(workflowBuildVersionArn=arn)
    with pytest.raises(imagebuilder_client.exceptions.ResourceNotFoundException):
        imagebuilder_client.delete_workflow(workflowBuildVersionArn=arn)


def test_delete_takes_a_build_arn_only(connectviews: FakeAWS, imagebuilder_client: Any) -> None:
    create(imagebuilder_client)
    with pytest.raises(imagebuilder_client.exceptions.InvalidParameterValueException) as info:
        imagebuilder_client.delete_workflow(
            workflowBuildVersionArn=f"{prefix(connectviews)}/build/my-wf/1.0.0"
        )
    assert "parameter 'workflowBuildVersionArn'" in error_of(info)[2]


def test_a_build_in_use_cannot_be_deleted(connectviews: FakeAWS, imagebuilder_client: Any) -> None:
    arn = create(imagebuilder_client)
    connectviews.mark_in_use(arn)
    with pytest.raises(imagebuilder_client.exceptions.ResourceDependencyException) as info:
        imagebuilder_client.delete_workflow(workflowBuildVersionArn=arn)
    assert error_of(info)[:2] == ("ResourceDependencyException", 400)
    connectviews.mark_in_use(arn, in_use=False)
    assert (
        imagebuilder_client.delete_workflow(workflowBuildVersionArn=arn)["workflowBuildVersionArn"]
        == arn
    )


@pytest.mark.parametrize(
    "arn", ["arn:aws:imagebuilder:us-east-1:123456789012:workflow/build/my-wf/1.0.0", "wf", 42]
)
def test_mark_in_use_needs_a_build_arn(connectviews: FakeAWS, arn: Any) -> None:
    with pytest.raises(
        ValueError, match=r"^connectviews: mark_in_use needs a workflow build version ARN"
    ):
        connectviews.mark_in_use(arn)


def test_aws_managed_workflows_cannot_be_deleted(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    arn = f"arn:aws:imagebuilder:{connectviews.region}:aws:workflow/build/build-image/1.0.3/1"
    with pytest.raises(imagebuilder_client.exceptions.ForbiddenException) as info:
        imagebuilder_client.delete_workflow(workflowBuildVersionArn=arn)
    assert error_of(info)[1] == 403


# ------------------------------------------------------------------------------ managed workflows
def test_aws_managed_workflow_is_readable_by_its_arn(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    base = f"arn:aws:imagebuilder:{connectviews.region}:aws:workflow/build/build-image"
    out = imagebuilder_client.get_workflow(workflowBuildVersionArn=f"{base}/x.x.x")
    assert out["latestVersionReferences"] == {"latestVersionArn": f"{base}/x.x.x"}
    workflow = out["workflow"]
    assert workflow["arn"] == f"{base}/1.0.3/1"
    assert workflow["owner"] == "Amazon"
    assert workflow["name"] == "build-image"
    assert "action: CreateImage" in workflow["data"]
    assert (
        imagebuilder_client.get_workflow(workflowBuildVersionArn=f"{base}/1.0.3/1")["workflow"]
        == workflow
    )


@pytest.mark.parametrize("managed", MANAGED_WORKFLOWS, ids=lambda m: m.norm)
def test_aws_managed_documents_are_valid(managed: Any) -> None:
    assert parse_document(managed.document, managed.type) == []


# ------------------------------------------------------------------------------ tags
def test_tags_live_on_the_build_arn(imagebuilder_client: Any) -> None:
    arn = create(imagebuilder_client, tags={"team": "images"})
    assert imagebuilder_client.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "images"}
    imagebuilder_client.tag_resource(resourceArn=arn, tags={"env": "prod", "team": "platform"})
    imagebuilder_client.untag_resource(resourceArn=arn, tagKeys=["env"])
    assert imagebuilder_client.list_tags_for_resource(resourceArn=arn)["tags"] == {
        "team": "platform"
    }
    imagebuilder_client.untag_resource(resourceArn=arn, tagKeys=["team"])
    assert imagebuilder_client.list_tags_for_resource(resourceArn=arn)["tags"] == {}
    assert imagebuilder_client.get_workflow(workflowBuildVersionArn=arn)["workflow"]["tags"] == {}


def test_tags_of_other_builds_are_separate(imagebuilder_client: Any) -> None:
    first = create(imagebuilder_client, tags={"build": "1"})
    second = create(imagebuilder_client, description="2", tags={"build": "2"})
    assert imagebuilder_client.list_tags_for_resource(resourceArn=first)["tags"] == {"build": "1"}
    assert imagebuilder_client.list_tags_for_resource(resourceArn=second)["tags"] == {"build": "2"}


@pytest.mark.parametrize("operation", ["tag", "untag", "list"])
@pytest.mark.parametrize("suffix", ["1.0.0/9", "1.0.0"])
def test_tags_on_an_unknown_arn_are_resource_not_found(
    connectviews: FakeAWS, imagebuilder_client: Any, operation: str, suffix: str
) -> None:
    create(imagebuilder_client)
    arn = f"{prefix(connectviews)}/build/my-wf/{suffix}"
    calls = {
        "tag": lambda: imagebuilder_client.tag_resource(resourceArn=arn, tags={"a": "b"}),
        "untag": lambda: imagebuilder_client.untag_resource(resourceArn=arn, tagKeys=["a"]),
        "list": lambda: imagebuilder_client.list_tags_for_resource(resourceArn=arn),
    }
    with pytest.raises(imagebuilder_client.exceptions.ResourceNotFoundException):
        calls[operation]()


def test_tag_keys_starting_with_aws_are_refused(imagebuilder_client: Any) -> None:
    arn = create(imagebuilder_client)
    with pytest.raises(imagebuilder_client.exceptions.InvalidParameterValueException):
        imagebuilder_client.tag_resource(resourceArn=arn, tags={"aws:owner": "me"})


def test_the_tag_limit_answers_one_error_whichever_way_it_is_reached(
    imagebuilder_client: Any,
) -> None:
    errors = imagebuilder_client.exceptions
    arn = create(imagebuilder_client, tags={f"k{i}": "v" for i in range(30)})
    with pytest.raises(errors.InvalidParameterValueException) as pushed:
        imagebuilder_client.tag_resource(resourceArn=arn, tags={f"n{i}": "v" for i in range(21)})
    with pytest.raises(errors.InvalidParameterValueException) as at_once:
        imagebuilder_client.tag_resource(resourceArn=arn, tags={f"n{i}": "v" for i in range(51)})
    with pytest.raises(errors.InvalidParameterValueException) as created:
        create(imagebuilder_client, name="other", tags={f"k{i}": "v" for i in range(51)})
    for info in (pushed, at_once, created):
        message = info.value.response["Error"]["Message"]
        assert message.startswith("The value supplied for parameter 'tags' is not valid."), message
    assert imagebuilder_client.list_tags_for_resource(resourceArn=arn)["tags"] == {
        f"k{i}": "v" for i in range(30)
    }


# ------------------------------------------------------------------------- quotas and throttling
def test_workflow_versions_quota(connectviews: FakeAWS, imagebuilder_client: Any) -> None:
    connectviews.set_quota("imagebuilder.workflow_versions", 2)
    create(imagebuilder_client, version="1.0.0")
    create(imagebuilder_client, version="1.0.1")
    with pytest.raises(imagebuilder_client.exceptions.ServiceQuotaExceededException) as info:
        create(imagebuilder_client, version="1.0.2")
    _, status, message = error_of(info)
    assert status == 402
    assert "imagebuilder.workflow_versions" in message
    # another build of an existing version is not a new version
    assert create(imagebuilder_client, version="1.0.0", description="b2").endswith("/1.0.0/2")


def test_build_versions_per_version_quota(connectviews: FakeAWS, imagebuilder_client: Any) -> None:
    connectviews.set_quota("imagebuilder.build_versions_per_version", 2)
    create(imagebuilder_client, description="1")
    create(imagebuilder_client, description="2")
    with pytest.raises(imagebuilder_client.exceptions.ServiceQuotaExceededException) as info:
        create(imagebuilder_client, description="3")
    assert "imagebuilder.build_versions_per_version" in error_of(info)[2]
    assert create(imagebuilder_client, version="2.0.0").endswith("/2.0.0/1")


def test_throttling_answers_call_rate_limit_exceeded(connectviews: FakeAWS) -> None:
    client = boto3.client(
        "imagebuilder",
        region_name=connectviews.region,
        config=Config(retries={"mode": "standard", "total_max_attempts": 3}),
    )
    connectviews.clock.freeze()
    connectviews.throttle(rate=0, burst=1, service="imagebuilder")
    client.list_workflows()
    with pytest.raises(client.exceptions.CallRateLimitExceededException) as info:
        client.list_workflows()
    assert error_of(info)[1] == 429
    # standard mode does not retry this code (SPEC §8)
    assert (
        connectviews.calls.count("ListWorkflows", error_code="CallRateLimitExceededException") == 1
    )


def test_injected_errors_use_the_modeled_status(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    connectviews.inject_error("CreateWorkflow", "ServiceQuotaExceededException")
    with pytest.raises(imagebuilder_client.exceptions.ServiceQuotaExceededException):
        create(imagebuilder_client)
    assert create(imagebuilder_client).endswith("/1")
