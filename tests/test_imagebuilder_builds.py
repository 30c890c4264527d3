"""Image builds on the fake clock: images, pipelines, workflow and step executions (SPEC §10).

Each test freezes the clock so that every duration is exact; ``settle`` and ``clock.advance``
move it. A request at fake time T sees the state as of T.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_connectviews import FakeAWS
from tests._installed import optional_input

ROLE = "arn:aws:iam::123456789012:role/ImageBuilderExecution"
APPROVAL = """schemaVersion: 1.0
parameters:
  - name: approver
    type: string
    default: release-team
steps:
  - name: LaunchBuildInstance
    action: LaunchInstance
    onFailure: Abort
    inputs:
      waitFor: ssmAgent
  - name: Approve
    action: WaitForAction
    {timeout}
  - name: CreateOutputAMI
    action: CreateImage
    onFailure: Abort
    inputs:
      instanceId.$: "$.stepOutputs.LaunchBuildInstance.instanceId"
  - name: Notify
    action: RunCommand
    if:
      stringEquals: "Linux"
      value: "$.imagebuilder.platform"
    inputs:
      approvedBy.$: "$.stepOutputs.Approve.reason"
      approver.$: "$.parameters.approver"
  - name: TerminateBuildInstance
    action: TerminateInstance
    onFailure: Continue
    inputs:
      instanceId.$: "$.stepOutputs.LaunchBuildInstance.instanceId"
"""
TEST_WF = """schemaVersion: 1.0
steps:
  - name: Probe
    action: RunCommand
    onFailure: {on_failure}
  - name: After
    action: RunCommand
"""
#: the managed build-image run on Linux without components: 147 + 94 + 10 + 145 + 4
BUILD_SECONDS = 400
#: the managed test-image without test components: 147 + 4
TEST_SECONDS = 151


def error_of(info: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    err = info.value.response
    return err["Error"]["Code"], err["ResponseMetadata"]["HTTPStatusCode"], err["Error"]["Message"]


@pytest.fixture
def fake(connectviews: FakeAWS) -> FakeAWS:
    connectviews.clock.freeze()
    return connectviews


@pytest.fixture
def deps(imagebuilder_client: Any) -> dict[str, str]:
    ib = imagebuilder_client
    recipe = ib.create_image_recipe(
        name="web-server",
        semanticVersion="1.0.0",
        parentImage="arn:aws:imagebuilder:us-east-1:aws:image/amazon-linux-2023-x86/x.x.x",
    )["imageRecipeArn"]
    infra = ib.create_infrastructure_configuration(
        name="builders", instanceProfileName="EC2InstanceProfileForImageBuilder"
    )["infrastructureConfigurationArn"]
    return {"recipe": recipe, "infra": infra}


def start(ib: Any, deps: dict[str, str], **kwargs: Any) -> str:
    arn: str = ib.create_image(
        imageRecipeArn=deps["recipe"], infrastructureConfigurationArn=deps["infra"], **kwargs
    )["imageBuildVersionArn"]
    return arn


def status(ib: Any, arn: str) -> str:
    state: str = ib.get_image(imageBuildVersionArn=arn)["image"]["state"]["status"]
    return state


def executions(ib: Any, arn: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = ib.list_workflow_executions(imageBuildVersionArn=arn)[
        "workflowExecutions"
    ]
    return found


def steps(ib: Any, execution: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = ib.list_workflow_step_executions(
        workflowExecutionId=execution["workflowExecutionId"]
    )["steps"]
    return found


def approval_workflow(ib: Any, timeout: str = "") -> str:
    arn: str = ib.create_workflow(
        name="approval",
        semanticVersion="1.0.0",
        type="BUILD",
        data=APPROVAL.format(timeout=timeout),
    )["workflowBuildVersionArn"]
    return arn


def waiting_step(ib: Any) -> dict[str, Any]:
    found = ib.list_waiting_workflow_steps()["steps"]
    assert len(found) == 1, found
    step: dict[str, Any] = found[0]
    return step


# ------------------------------------------------------------------------------ the default build
def test_a_default_build_runs_build_image_and_test_image_to_available(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    out = ib.create_image(
        imageRecipeArn=deps["recipe"], infrastructureConfigurationArn=deps["infra"]
    )
    arn = out["imageBuildVersionArn"]
    assert arn == f"arn:aws:imagebuilder:us-east-1:{fake.account_id}:image/web-server/1.0.0/1"
    assert out["latestVersionReferences"]["latestVersionArn"].endswith("image/web-server/x.x.x")
    image = ib.get_image(imageBuildVersionArn=arn)["image"]
    assert image["state"] == {"status": "PENDING"}
    assert image["version"] == "1.0.0/1"
    assert image["outputResources"] == {"amis": []}
    assert image["imageRecipe"]["arn"] == deps["recipe"]
    assert image["infrastructureConfiguration"]["arn"] == deps["infra"]
    assert image["imageTestsConfiguration"] == {"imageTestsEnabled": True, "timeoutMinutes": 720}
    assert "osVersion" not in image
    assert fake.settle() == 5 + BUILD_SECONDS + TEST_SECONDS + 60
    image = ib.get_image(imageBuildVersionArn=arn)["image"]
    assert image["state"] == {"status": "AVAILABLE"}
    assert image["osVersion"] == "Amazon Linux 2023"
    [ami] = image["outputResources"]["amis"]
    assert ami["region"] == "us-east-1"
    assert ami["image"].startswith("ami-")
    assert ami["accountId"] == fake.account_id
    assert ami["name"].startswith("web-server ")
    build, test = executions(ib, arn)
    assert (build["type"], build["status"], test["type"], test["status"]) == (
        "BUILD",
        "COMPLETED",
        "TEST",
        "COMPLETED",
    )
    assert build["workflowBuildVersionArn"].endswith(":aws:workflow/build/build-image/1.0.3/1")
    counters = ("totalStepCount", "totalStepsSucceeded", "totalStepsFailed", "totalStepsSkipped")
    assert [build[c] for c in counters] == [7, 5, 0, 2]
    assert [test[c] for c in counters] == [4, 2, 0, 2]
    names = [(s["name"], s["status"]) for s in steps(ib, build)]
    assert names == [
        ("LaunchBuildInstance", "COMPLETED"),
        ("ApplyBuildComponents", "SKIPPED"),
        ("InventoryCollection", "COMPLETED"),
        ("RunSanitizeScript", "COMPLETED"),
        ("RunSysPrepScript", "SKIPPED"),
        ("CreateOutputAMI", "COMPLETED"),
        ("TerminateBuildInstance", "COMPLETED"),
    ]


def test_a_request_at_time_t_sees_the_state_as_of_t(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    arn = start(ib, deps)
    fake.clock.advance(4.9)
    assert status(ib, arn) == "PENDING"
    assert executions(ib, arn) == []
    fake.clock.advance(0.1 + 147 + 10)  # launch done, inventory running
    assert status(ib, arn) == "BUILDING"
    [build] = executions(ib, arn)
    assert build["status"] == "RUNNING"
    assert (build["totalStepsSucceeded"], build["totalStepsSkipped"]) == (1, 1)
    assert "endTime" not in build
    launch, skipped, inventory, *rest = steps(ib, build)
    assert launch["status"] == "COMPLETED"
    assert launch["endTime"] > launch["startTime"]
    assert skipped["startTime"] == skipped["endTime"]
    # a skipped step shows its inputs as the document wrote them; a run step resolved
    assert '"instanceId.$": "$.stepOutputs.LaunchBuildInstance.instanceId"' in skipped["inputs"]
    instance = launch["outputs"].split('"instanceId": "')[1].split('"')[0]
    assert inventory["status"] == "RUNNING"
    assert inventory["inputs"] == f'{{"instanceId": "{instance}"}}'
    assert "outputs" not in inventory
    assert {s["status"] for s in rest} == {"PENDING"}
    got = ib.get_workflow_step_execution(stepExecutionId=inventory["stepExecutionId"])
    assert got["imageBuildVersionArn"] == arn
    assert got["workflowExecutionId"] == build["workflowExecutionId"]
    assert (got["onFailure"], got["timeoutSeconds"]) == ("Abort", 1800)
    elapsed = 5 + 147 + 10
    fake.clock.advance(5 + BUILD_SECONDS - elapsed)  # the build workflow just ended
    assert status(ib, arn) == "TESTING"
    fake.clock.advance(TEST_SECONDS - 0.001)
    assert status(ib, arn) == "TESTING"
    fake.clock.advance(0.001)
    assert status(ib, arn) == "DISTRIBUTING"
    fake.clock.advance(60)
    assert status(ib, arn) == "AVAILABLE"


def test_set_duration_changes_how_long_steps_and_stages_take(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    fake.set_duration("imagebuilder.step.LaunchInstance", 1)
    fake.set_duration("imagebuilder.step.CreateImage", 2000)
    fake.set_duration("imagebuilder.pending", 0)
    fake.set_duration("imagebuilder.distribution", 1)
    arn = start(imagebuilder_client, deps, imageTestsConfiguration={"imageTestsEnabled": False})
    # 1 + 94 + 10 + 2000 + 4, no test stage, 1 s distribution
    assert fake.settle() == 2110
    assert status(imagebuilder_client, arn) == "AVAILABLE"
    assert [e["type"] for e in executions(imagebuilder_client, arn)] == ["BUILD"]
    with pytest.raises(ValueError, match=r"imagebuilder\.step\.LaunchInstance"):
        fake.set_duration("imagebuilder.step.Nope", 1)


def test_a_step_running_past_its_timeout_fails_the_build(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    fake.set_duration("imagebuilder.step.LaunchInstance", 5000)  # its timeout is 4500 s
    arn = start(imagebuilder_client, deps)
    fake.settle()
    image = imagebuilder_client.get_image(imageBuildVersionArn=arn)["image"]
    assert image["state"]["status"] == "FAILED"
    assert "timed out after 4500 seconds" in image["state"]["reason"]


# ------------------------------------------------------------------------------ WaitForAction
def test_an_approval_step_waits_then_resume_completes_the_build(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    workflow = approval_workflow(ib)
    arn = start(ib, deps, workflows=[{"workflowArn": workflow}], executionRole=ROLE)
    assert fake.settle() == 5 + 147  # stops at the waiting step
    assert status(ib, arn) == "BUILDING"
    step = waiting_step(ib)
    assert (step["name"], step["action"], step["imageBuildVersionArn"]) == (
        "Approve",
        "WaitForAction",
        arn,
    )
    assert step["workflowBuildVersionArn"] == workflow
    got = ib.get_workflow_step_execution(stepExecutionId=step["stepExecutionId"])
    assert (got["status"], got["timeoutSeconds"]) == ("RUNNING", 259200)
    assert fake.settle() == 0  # nothing in progress but the approval
    out = ib.send_workflow_step_action(
        stepExecutionId=step["stepExecutionId"],
        imageBuildVersionArn=arn,
        action="RESUME",
        reason="approved by QA",
        clientToken="approve-1",
    )
    assert out["stepExecutionId"] == step["stepExecutionId"]
    assert "requestId" not in out
    again = ib.send_workflow_step_action(
        stepExecutionId=step["stepExecutionId"],
        imageBuildVersionArn=arn,
        action="RESUME",
        reason="approved by QA",
        clientToken="approve-1",
    )
    assert again["clientToken"] == "approve-1"  # a replay of the same request
    with pytest.raises(ib.exceptions.ResourceInUseException):
        ib.send_workflow_step_action(
            stepExecutionId=step["stepExecutionId"], imageBuildVersionArn=arn, action="STOP"
        )
    assert ib.list_waiting_workflow_steps()["steps"] == []
    assert fake.settle() == 145 + 30 + 4 + 60  # no test workflow: only what was named runs
    assert status(ib, arn) == "AVAILABLE"
    [build] = executions(ib, arn)
    approved = {s["name"]: s for s in steps(ib, build)}
    assert approved["Approve"]["outputs"] == '{"action": "RESUME", "reason": "approved by QA"}'
    assert approved["Notify"]["inputs"] == (
        '{"approvedBy": "approved by QA", "approver": "release-team"}'
    )


def test_stop_fails_the_step_rolls_back_and_fails_the_image_with_the_reason(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    arn = start(ib, deps, workflows=[{"workflowArn": approval_workflow(ib)}], executionRole=ROLE)
    fake.settle()
    step = waiting_step(ib)
    ib.send_workflow_step_action(
        stepExecutionId=step["stepExecutionId"],
        imageBuildVersionArn=arn,
        action="STOP",
        reason="security scan failed",
    )
    image = ib.get_image(imageBuildVersionArn=arn)["image"]
    assert image["state"] == {"status": "FAILED", "reason": "security scan failed"}
    [build] = executions(ib, arn)
    assert (build["status"], build["message"]) == ("ROLLBACK_COMPLETED", "security scan failed")
    assert (build["totalStepsSucceeded"], build["totalStepsFailed"]) == (1, 1)
    launch, approve, create, *_ = steps(ib, build)
    assert (launch["status"], launch["rollbackStatus"]) == ("COMPLETED", "COMPLETED")
    assert (approve["status"], approve["message"]) == ("FAILED", "security scan failed")
    assert approve["rollbackStatus"] == "SKIPPED"
    assert create["status"] == "PENDING"
    assert fake.settle() == 0


def test_send_workflow_step_action_errors(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    workflow = approval_workflow(ib)
    arn = start(ib, deps, workflows=[{"workflowArn": workflow}], executionRole=ROLE)
    other = start(ib, deps)
    fake.settle()
    step = waiting_step(ib)
    with pytest.raises(ib.exceptions.InvalidParameterValueException):
        ib.send_workflow_step_action(
            stepExecutionId=step["stepExecutionId"], imageBuildVersionArn=other, action="RESUME"
        )
    with pytest.raises(ib.exceptions.ResourceNotFoundException):
        ib.send_workflow_step_action(
            stepExecutionId="step-00000000-0000-4000-8000-000000000000",
            imageBuildVersionArn=arn,
            action="RESUME",
        )
    [build] = executions(ib, arn)
    launch = steps(ib, build)[0]
    with pytest.raises(ib.exceptions.ResourceInUseException):
        ib.send_workflow_step_action(
            stepExecutionId=launch["stepExecutionId"], imageBuildVersionArn=arn, action="RESUME"
        )
    with pytest.raises(ib.exceptions.ResourceNotFoundException):
        ib.get_workflow_execution(workflowExecutionId="wf-00000000-0000-4000-8000-000000000000")


def test_a_waiting_step_times_out_on_the_fake_clock(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    workflow = approval_workflow(ib, timeout="timeoutSeconds: 600")
    arn = start(ib, deps, workflows=[{"workflowArn": workflow}], executionRole=ROLE)
    fake.settle()
    fake.clock.advance(599)
    assert status(ib, arn) == "BUILDING"
    fake.clock.advance(1)
    image = ib.get_image(imageBuildVersionArn=arn)["image"]
    assert image["state"]["status"] == "FAILED"
    assert "timed out after 600 seconds" in image["state"]["reason"]
    assert ib.list_waiting_workflow_steps()["steps"] == []


# ------------------------------------------------------------------------------ fail_step
def test_fail_step_fails_the_named_step_once_with_the_message(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    rule = fake.fail_step("CreateOutputAMI", message="Insufficient capacity")
    failed = start(ib, deps)
    fake.settle()
    image = ib.get_image(imageBuildVersionArn=failed)["image"]
    assert image["state"] == {"status": "FAILED", "reason": "Insufficient capacity"}
    [build] = executions(ib, failed)  # the test stage never started
    assert build["status"] == "ROLLBACK_COMPLETED"
    created = next(s for s in steps(ib, build) if s["name"] == "CreateOutputAMI")
    assert (created["status"], created["message"]) == ("FAILED", "Insufficient capacity")
    assert created["endTime"] > created["startTime"]  # it ran for its duration first
    rule.remove()
    again = start(ib, deps)
    fake.settle()
    assert status(ib, again) == "AVAILABLE"  # the rule was used up


def test_fail_step_narrowed_by_workflow_and_image_and_removed(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    fake.fail_step("LaunchTestInstance", workflow="build-image")  # no such step there
    unused = fake.fail_step("CreateOutputAMI")
    unused.remove()
    first = start(ib, deps)
    second = start(ib, deps)
    fake.fail_step("LaunchBuildInstance", image=second, message="no capacity")
    fake.settle()
    assert status(ib, first) == "AVAILABLE"
    assert ib.get_image(imageBuildVersionArn=second)["image"]["state"]["reason"] == "no capacity"
    with pytest.raises(ValueError, match=r"^connectviews: fail_step image"):
        fake.fail_step("X", image="not-an-arn")
    with pytest.raises(ValueError, match=r"^connectviews: fail_step needs a step name"):
        fake.fail_step("")


def test_on_failure_continue_lets_the_workflow_and_the_image_go_on(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    test_wf = ib.create_workflow(
        name="probe",
        semanticVersion="1.0.0",
        type="TEST",
        data=TEST_WF.format(on_failure="Continue"),
    )["workflowBuildVersionArn"]
    build_wf = "arn:aws:imagebuilder:us-east-1:aws:workflow/build/build-image/x.x.x"
    fake.fail_step("Probe", message="probe failed")
    arn = start(
        ib,
        deps,
        workflows=[{"workflowArn": build_wf}, {"workflowArn": test_wf}],
        executionRole=ROLE,
    )
    fake.settle()
    assert status(ib, arn) == "AVAILABLE"
    _, test = executions(ib, arn)
    assert (test["status"], test["totalStepsFailed"], test["totalStepsSucceeded"]) == (
        "COMPLETED",
        1,
        1,
    )


def test_a_test_workflow_with_on_failure_continue_does_not_fail_the_image(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    test_wf = ib.create_workflow(
        name="probe", semanticVersion="1.0.0", type="TEST", data=TEST_WF.format(on_failure="Abort")
    )["workflowBuildVersionArn"]
    fake.fail_step("Probe")
    arn = start(
        ib, deps, workflows=[{"workflowArn": test_wf, "onFailure": "CONTINUE"}], executionRole=ROLE
    )
    fake.settle()
    assert status(ib, arn) == "AVAILABLE"
    [test] = executions(ib, arn)
    assert test["status"] == "ROLLBACK_COMPLETED"


# ------------------------------------------------------------------------------ cancel and delete
def test_cancel_keeps_the_status_then_cancels_image_and_executions(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    arn = start(ib, deps, workflows=[{"workflowArn": approval_workflow(ib)}], executionRole=ROLE)
    fake.settle()
    step = waiting_step(ib)
    with pytest.raises(ib.exceptions.ResourceDependencyException):
        ib.delete_image(imageBuildVersionArn=arn)
    out = ib.cancel_image_creation(imageBuildVersionArn=arn, clientToken="cancel-1")
    assert out["imageBuildVersionArn"] == arn
    with pytest.raises(ib.exceptions.ResourceInUseException):
        ib.cancel_image_creation(imageBuildVersionArn=arn)
    fake.clock.advance(9)
    assert status(ib, arn) == "BUILDING"
    assert fake.settle() == 1  # the cancellation is in progress, not only waiting
    image = ib.get_image(imageBuildVersionArn=arn)["image"]
    assert image["state"]["status"] == "CANCELLED"
    assert image["state"]["reason"]
    [build] = executions(ib, arn)
    assert build["status"] == "CANCELLED"
    statuses = [s["status"] for s in steps(ib, build)]
    assert statuses == ["COMPLETED", "CANCELLED", "CANCELLED", "CANCELLED", "CANCELLED"]
    assert ib.list_waiting_workflow_steps()["steps"] == []
    with pytest.raises(ib.exceptions.ResourceInUseException):
        ib.send_workflow_step_action(
            stepExecutionId=step["stepExecutionId"], imageBuildVersionArn=arn, action="RESUME"
        )
    with pytest.raises(ib.exceptions.InvalidParameterValueException) as info:
        ib.cancel_image_creation(imageBuildVersionArn=arn)
    assert "terminal" in error_of(info)[2]
    ib.delete_image(imageBuildVersionArn=arn)
    with pytest.raises(ib.exceptions.ResourceNotFoundException):
        ib.get_image(imageBuildVersionArn=arn)
    with pytest.raises(ib.exceptions.ResourceNotFoundException):
        ib.list_workflow_executions(imageBuildVersionArn=arn)
    with pytest.raises(ib.exceptions.ResourceNotFoundException):
        ib.get_workflow_execution(workflowExecutionId=build["workflowExecutionId"])
    # build numbers are never reused
    assert start(ib, deps).endswith("/1.0.0/2")


def test_an_image_used_as_a_parent_cannot_be_deleted(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    arn = start(ib, deps)
    fake.settle()
    child = ib.create_image_recipe(name="child", semanticVersion="1.0.0", parentImage=arn)
    got = ib.get_image_recipe(imageRecipeArn=child["imageRecipeArn"])["imageRecipe"]
    assert got["platform"] == "Linux"
    with pytest.raises(ib.exceptions.ResourceDependencyException):
        ib.delete_image(imageBuildVersionArn=arn)
    ib.delete_image_recipe(imageRecipeArn=child["imageRecipeArn"])
    ib.delete_image(imageBuildVersionArn=arn)


# ------------------------------------------------------------------------------ create checks
def test_create_image_checks_its_references_and_workflows(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    base = f"arn:aws:imagebuilder:us-east-1:{fake.account_id}"
    with pytest.raises(ib.exceptions.ResourceNotFoundException) as info:
        ib.create_image(
            imageRecipeArn=f"{base}:image-recipe/nope/1.0.0",
            infrastructureConfigurationArn=deps["infra"],
        )
    assert "image-recipe/nope/1.0.0" in error_of(info)[2]
    with pytest.raises(ib.exceptions.ResourceNotFoundException):
        ib.create_image(
            imageRecipeArn=deps["recipe"],
            infrastructureConfigurationArn=f"{base}:infrastructure-configuration/nope",
        )
    workflow = approval_workflow(ib)
    with pytest.raises(ib.exceptions.InvalidRequestException) as info:
        start(ib, deps, workflows=[{"workflowArn": workflow}])
    assert error_of(info)[2] == "An execution role is required to provide workflows"
    managed = "arn:aws:imagebuilder:us-east-1:aws:workflow/build/build-image/1.0.3/1"
    with pytest.raises(ib.exceptions.InvalidParameterValueException) as info:
        start(ib, deps, workflows=[{"workflowArn": managed}], executionRole=ROLE)
    assert "AWS managed workflows must have latest version 'x.x.x'" in error_of(info)[2]
    with pytest.raises(ib.exceptions.InvalidParameterCombinationException):
        start(
            ib,
            deps,
            workflows=[{"workflowArn": workflow, "parallelGroup": "g1"}],
            executionRole=ROLE,
        )
    with pytest.raises(ib.exceptions.InvalidParameterCombinationException):
        start(
            ib,
            deps,
            workflows=[
                {
                    "workflowArn": workflow,
                    "parameters": [{"name": "colour", "value": ["red"]}],
                }
            ],
            executionRole=ROLE,
        )
    assert ib.list_images()["imageVersionList"] == []


def test_distribution_regions_and_the_distribution_workflow(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    dist = ib.create_distribution_configuration(
        name="two-regions",
        distributions=[
            {
                "region": "us-east-1",
                "amiDistributionConfiguration": {"name": "web {{imagebuilder:buildVersion}}"},
            },
            {"region": "eu-west-1", "amiDistributionConfiguration": {}},
        ],
    )["distributionConfigurationArn"]
    distribute = "arn:aws:imagebuilder:us-east-1:aws:workflow/distribution/distribute-image/x.x.x"
    build = "arn:aws:imagebuilder:us-east-1:aws:workflow/build/build-image/x.x.x"
    arn = start(
        ib,
        deps,
        distributionConfigurationArn=dist,
        workflows=[{"workflowArn": distribute}, {"workflowArn": build}],
        executionRole=ROLE,
    )
    fake.clock.advance(5 + BUILD_SECONDS)
    assert status(ib, arn) == "DISTRIBUTING"
    assert [e["type"] for e in executions(ib, arn)] == ["BUILD", "DISTRIBUTION"]
    fake.settle()
    image = ib.get_image(imageBuildVersionArn=arn)["image"]
    assert image["state"]["status"] == "AVAILABLE"
    assert [a["region"] for a in image["outputResources"]["amis"]] == ["us-east-1", "eu-west-1"]
    assert image["outputResources"]["amis"][0]["name"] == "web 1"
    assert image["distributionConfiguration"]["arn"] == dist
    _, shipped = executions(ib, arn)
    first = steps(ib, shipped)[0]
    assert first["name"] == "DistributeImage"
    assert '"region": "eu-west-1"' in first["outputs"]


def test_list_images_and_build_versions(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    first = start(ib, deps, tags={"build": "one"})
    second = start(ib, deps)
    fake.settle()
    versions = ib.list_images()["imageVersionList"]
    assert [(v["arn"].split("image/")[1], v["version"]) for v in versions] == [
        ("web-server/1.0.0", "1.0.0")
    ]
    summaries = ib.list_image_build_versions(imageVersionArn=first.rsplit("/", 1)[0], maxResults=1)
    assert [s["arn"] for s in summaries["imageSummaryList"]] == [second]
    rest = ib.list_image_build_versions(
        imageVersionArn=first.rsplit("/", 1)[0], nextToken=summaries["nextToken"]
    )
    assert [s["arn"] for s in rest["imageSummaryList"]] == [first]
    assert rest["imageSummaryList"][0]["tags"] == {"build": "one"}
    assert rest["imageSummaryList"][0]["state"] == {"status": "AVAILABLE"}
    if optional_input("imagebuilder", "ListImageBuildVersions", "imageVersionArn"):
        # without an ARN: every image build of the account, newest first, filters applied
        every = ib.list_image_build_versions()["imageSummaryList"]
        assert [s["arn"] for s in every] == [second, first]
        named = ib.list_image_build_versions(filters=[{"name": "name", "values": ["other"]}])
        assert named["imageSummaryList"] == []
    amazon = ib.list_images(owner="Amazon")["imageVersionList"]
    assert {v["owner"] for v in amazon} == {"Amazon"}
    assert any(v["name"] == "amazon-linux-2023-x86" for v in amazon)
    windows = ib.list_images(owner="Amazon", filters=[{"name": "platform", "values": ["Windows"]}])
    assert {v["platform"] for v in windows["imageVersionList"]} == {"Windows"}


def test_tags_on_images_and_pipelines(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    arn = start(ib, deps)
    pipeline = ib.create_image_pipeline(
        name="nightly", imageRecipeArn=deps["recipe"], infrastructureConfigurationArn=deps["infra"]
    )["imagePipelineArn"]
    for target in (arn, pipeline):
        ib.tag_resource(resourceArn=target, tags={"team": "web"})
        assert ib.list_tags_for_resource(resourceArn=target)["tags"] == {"team": "web"}
    assert ib.get_image(imageBuildVersionArn=arn)["image"]["tags"] == {"team": "web"}


# ------------------------------------------------------------------------------ pipelines
def test_pipelines_reference_what_they_use_and_block_its_delete(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    dist = ib.create_distribution_configuration(
        name="dist", distributions=[{"region": "us-east-1", "amiDistributionConfiguration": {}}]
    )["distributionConfigurationArn"]
    workflow = approval_workflow(ib)
    pipeline = ib.create_image_pipeline(
        name="Nightly Build",
        imageRecipeArn=deps["recipe"],
        infrastructureConfigurationArn=deps["infra"],
        distributionConfigurationArn=dist,
        workflows=[{"workflowArn": workflow}],
        executionRole=ROLE,
        schedule={"scheduleExpression": "cron(0 9 ? * SUN *)"},
    )["imagePipelineArn"]
    assert pipeline.endswith(":image-pipeline/nightly-build")
    for delete, arn in (
        (ib.delete_image_recipe, {"imageRecipeArn": deps["recipe"]}),
        (
            ib.delete_infrastructure_configuration,
            {"infrastructureConfigurationArn": deps["infra"]},
        ),
        (ib.delete_distribution_configuration, {"distributionConfigurationArn": dist}),
        (ib.delete_workflow, {"workflowBuildVersionArn": workflow}),
    ):
        with pytest.raises(ib.exceptions.ResourceDependencyException) as info:
            delete(**arn)
        assert error_of(info)[2] == (
            f"Resource dependency error: The resource ARN '{next(iter(arn.values()))}' has "
            "other resources depended on it."
        )
    got = ib.get_image_pipeline(imagePipelineArn=pipeline)["imagePipeline"]
    assert got["schedule"] == {
        "scheduleExpression": "cron(0 9 ? * SUN *)",
        "pipelineExecutionStartCondition": "EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE",
        "timezone": "UTC",
    }
    assert (got["status"], got["platform"], got["consecutiveFailures"]) == ("ENABLED", "Linux", 0)
    assert "lastRunStatus" not in got
    with pytest.raises(ib.exceptions.ResourceAlreadyExistsException):
        ib.create_image_pipeline(
            name="nightly_build",
            imageRecipeArn=deps["recipe"],
            infrastructureConfigurationArn=deps["infra"],
        )
    # an update replaces everything: without the workflow and distribution they can go
    ib.update_image_pipeline(
        imagePipelineArn=pipeline,
        imageRecipeArn=deps["recipe"],
        infrastructureConfigurationArn=deps["infra"],
    )
    updated = ib.get_image_pipeline(imagePipelineArn=pipeline)["imagePipeline"]
    assert "workflows" not in updated
    assert "dateUpdated" in updated
    ib.delete_workflow(workflowBuildVersionArn=workflow)
    ib.delete_distribution_configuration(distributionConfigurationArn=dist)
    ib.delete_image_pipeline(imagePipelineArn=pipeline)
    ib.delete_image_recipe(imageRecipeArn=deps["recipe"])
    ib.delete_infrastructure_configuration(infrastructureConfigurationArn=deps["infra"])


def test_pipeline_runs_are_builds_listed_newest_first(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    members = ib.meta.service_model.operation_model("CreateImagePipeline").input_shape.members
    if "imageTags" not in members:
        pytest.skip("the installed botocore model has no CreateImagePipeline imageTags")
    pipeline = ib.create_image_pipeline(
        name="nightly",
        imageRecipeArn=deps["recipe"],
        infrastructureConfigurationArn=deps["infra"],
        imageTestsConfiguration={"imageTestsEnabled": False},
        imageTags={"from": "pipeline"},
    )["imagePipelineArn"]
    first = ib.start_image_pipeline_execution(imagePipelineArn=pipeline)["imageBuildVersionArn"]
    fake.settle()
    second = ib.start_image_pipeline_execution(imagePipelineArn=pipeline, tags={"run": "2"})[
        "imageBuildVersionArn"
    ]
    assert ib.get_image_pipeline(imagePipelineArn=pipeline)["imagePipeline"]["lastRunStatus"] == (
        "PENDING"
    )
    with pytest.raises(ib.exceptions.ResourceDependencyException):
        ib.delete_image_pipeline(imagePipelineArn=pipeline)
    listed = ib.list_image_pipeline_images(imagePipelineArn=pipeline)["imageSummaryList"]
    assert [(i["arn"], i["state"]["status"]) for i in listed] == [
        (second, "PENDING"),
        (first, "AVAILABLE"),
    ]
    image = ib.get_image(imageBuildVersionArn=second)["image"]
    assert (image["sourcePipelineArn"], image["sourcePipelineName"]) == (pipeline, "nightly")
    assert image["tags"] == {"from": "pipeline", "run": "2"}
    fake.settle()
    assert [e["type"] for e in executions(ib, second)] == ["BUILD"]
    with pytest.raises(ib.exceptions.ResourceNotFoundException):
        ib.start_image_pipeline_execution(imagePipelineArn=pipeline + "-gone")
    with pytest.raises(ib.exceptions.ResourceNotFoundException):
        ib.list_image_pipeline_images(imagePipelineArn=pipeline + "-gone")
    items = ib.list_image_pipelines(filters=[{"name": "name", "values": ["nightly"]}])
    assert [p["arn"] for p in items["imagePipelineList"]] == [pipeline]


@pytest.mark.parametrize(
    "quota", ["imagebuilder.image_pipelines", "imagebuilder.concurrent_builds"]
)
def test_pipeline_and_concurrent_build_quotas(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str], quota: str
) -> None:
    ib = imagebuilder_client
    fake.set_quota(quota, 1)

    def make(i: int) -> None:
        if quota == "imagebuilder.image_pipelines":
            ib.create_image_pipeline(
                name=f"p-{i}",
                imageRecipeArn=deps["recipe"],
                infrastructureConfigurationArn=deps["infra"],
            )
        else:
            start(ib, deps)

    make(1)
    with pytest.raises(ib.exceptions.ServiceQuotaExceededException):
        make(2)
    if quota == "imagebuilder.concurrent_builds":
        fake.settle()
        make(3)  # the first build is done: it no longer counts


def test_settle_stops_after_max_seconds(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    arn = start(imagebuilder_client, deps)
    assert fake.settle(max_seconds=100) == 100
    assert status(imagebuilder_client, arn) == "BUILDING"
    assert fake.settle() == 5 + BUILD_SECONDS + TEST_SECONDS + 60 - 100


def test_the_terraform_image_flow_polls_until_available(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    """aws_imagebuilder_image: create with a token, poll GetImage, read, tag, delete in order."""
    ib = imagebuilder_client
    arn = ib.create_image(
        imageRecipeArn=deps["recipe"],
        infrastructureConfigurationArn=deps["infra"],
        clientToken="terraform-1",
        enhancedImageMetadataEnabled=True,
    )["imageBuildVersionArn"]
    pending = {"BUILDING", "CREATING", "DISTRIBUTING", "INTEGRATING", "PENDING", "TESTING"}
    seen = []
    while (state := status(ib, arn)) in pending:
        seen.append(state)
        fake.clock.advance(30)
    assert state == "AVAILABLE"
    assert seen[0] == "PENDING"
    assert {"BUILDING", "TESTING", "DISTRIBUTING"} <= set(seen)
    image = ib.get_image(imageBuildVersionArn=arn)["image"]
    assert image["imageRecipe"]["arn"] == deps["recipe"]
    ib.tag_resource(resourceArn=arn, tags={"Name": "web"})
    ib.delete_image(imageBuildVersionArn=arn)
    ib.delete_image_recipe(imageRecipeArn=deps["recipe"])
    ib.delete_infrastructure_configuration(infrastructureConfigurationArn=deps["infra"])
