"""Tests of the image-release tool, run against the pytest-connectviews fake.

Two ways to let an image build run in a test, both on the fake clock (no test waits for real):

* ``connectviews.settle()`` moves the clock until nothing is in progress but steps waiting for an
  action; the test then calls the tool's steps one by one;
* option ``virtual_sleep`` lets the tool's own polling loop (``time.sleep(30)`` between calls)
  run as written: each sleep advances the fake clock at once.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config
from image_release import ImageReleaser, Release, ReleaseError

from pytest_connectviews import FakeAWS
from pytest_connectviews._models import service_model

ROLE = "arn:aws:iam::123456789012:role/ImageBuilderExecution"
_NEEDED = ("CreateWorkflow", "ListWaitingWorkflowSteps", "SendWorkflowStepAction")
_MISSING = [op for op in _NEEDED if op not in service_model("imagebuilder").operation_names]
pytestmark = pytest.mark.skipif(
    bool(_MISSING), reason=f"this botocore's imagebuilder model has no {', '.join(_MISSING)}"
)


@pytest.fixture
def releaser(connectviews: FakeAWS) -> ImageReleaser:
    connectviews.clock.freeze()  # the fake's own decisions move time: exact figures below
    client = boto3.client(
        "imagebuilder",
        region_name=connectviews.region,
        config=Config(retries={"mode": "standard", "total_max_attempts": 3}),
    )
    return ImageReleaser(
        client,
        execution_role=ROLE,
        instance_profile="EC2InstanceProfileForImageBuilder",
        parent_image=(
            f"arn:aws:imagebuilder:{connectviews.region}:aws:image/amazon-linux-2023-x86/x.x.x"
        ),
    )


def nothing_left(client: Any) -> None:
    """Everything the tool made is gone (AWS-managed resources are not listed as ours)."""
    assert client.list_components()["componentVersionList"] == []
    assert client.list_image_recipes()["imageRecipeSummaryList"] == []
    assert (
        client.list_infrastructure_configurations()["infrastructureConfigurationSummaryList"] == []
    )
    assert client.list_workflows()["workflowVersionList"] == []
    assert client.list_images()["imageVersionList"] == []


def approve_all(step: dict[str, Any]) -> tuple[bool, str]:
    assert step["name"] == "ReleaseApproval"
    return True, "approved by the release manager"


# ---------------------------------------------------------------------------- with settle()
def test_step_by_step_with_settle(connectviews: FakeAWS, releaser: ImageReleaser) -> None:
    release = Release("web", "1.2.0")
    releaser.prepare(release)
    releaser.start(release)
    assert releaser.status(release) == ("PENDING", "")

    advanced = connectviews.settle()  # runs the build up to the approval step
    assert advanced > 0
    step = releaser.wait_for_approval(release)  # found on the first poll: no sleep
    assert (step["name"], step["action"]) == ("ReleaseApproval", "WaitForAction")
    assert releaser.status(release)[0] == "BUILDING"
    releaser.decide(release, step, approved=True, reason="ship it")
    connectviews.settle()
    releaser.wait_until_available(release)

    assert release.ami is not None
    assert release.ami.startswith("ami-")
    assert connectviews.clock.slept == 0.0  # settle() moved the clock, not the tool
    execution = releaser.client.list_workflow_executions(imageBuildVersionArn=release.image)
    [build] = execution["workflowExecutions"]
    assert (build["type"], build["status"]) == ("BUILD", "COMPLETED")
    releaser.teardown(release)
    nothing_left(releaser.client)


def test_a_cancelled_build_ends_cancelled_and_is_cleaned_up(
    connectviews: FakeAWS, releaser: ImageReleaser
) -> None:
    release = Release("web", "1.3.0")
    releaser.prepare(release)
    releaser.start(release)
    connectviews.settle()
    releaser.cancel(release)
    connectviews.settle()
    assert releaser.status(release) == ("CANCELLED", "The image creation was cancelled.")
    with pytest.raises(ReleaseError, match="ended CANCELLED"):
        releaser.wait_until_available(release)
    # the pending approval went with it
    assert releaser.client.list_waiting_workflow_steps()["steps"] == []
    releaser.teardown(release)
    nothing_left(releaser.client)


# ---------------------------------------------------------------------------- virtual_sleep
@pytest.mark.connectviews(virtual_sleep=True)
def test_the_whole_release_with_its_own_polling_loop(
    connectviews: FakeAWS, releaser: ImageReleaser
) -> None:
    release = releaser.release("web", "2.0.0", approve_all)

    assert release.ami is not None
    assert release.ami.startswith("ami-")
    # the tool slept in 30 s polls, on the fake clock, as long as the build took
    assert connectviews.clock.slept > 0
    assert connectviews.clock.slept % releaser.poll_seconds == 0
    operations = connectviews.calls.operations
    assert operations.count("ListWaitingWorkflowSteps") >= 2  # it really polled
    resume = connectviews.calls.one("SendWorkflowStepAction")
    assert (resume.params["action"], resume.params["reason"]) == (
        "RESUME",
        "approved by the release manager",
    )
    # torn down in dependency order: the recipe before the component it uses
    deletes = [c.operation for c in connectviews.calls if c.operation.startswith("Delete")]
    assert deletes == [
        "DeleteImage",
        "DeleteImageRecipe",
        "DeleteComponent",
        "DeleteWorkflow",
        "DeleteInfrastructureConfiguration",
    ]
    nothing_left(releaser.client)


@pytest.mark.connectviews(virtual_sleep=True)
def test_a_stopped_approval_fails_the_release_and_still_cleans_up(
    connectviews: FakeAWS, releaser: ImageReleaser
) -> None:
    def reject(step: dict[str, Any]) -> tuple[bool, str]:
        return False, "security scan found CVE-2026-0001"

    with pytest.raises(ReleaseError, match="ended FAILED: security scan found CVE-2026-0001"):
        releaser.release("web", "2.1.0", reject)
    stop = connectviews.calls.one("SendWorkflowStepAction")
    assert stop.params["action"] == "STOP"
    nothing_left(releaser.client)


@pytest.mark.connectviews(virtual_sleep=True)
def test_a_failed_step_fails_the_release_with_its_message(
    connectviews: FakeAWS, releaser: ImageReleaser
) -> None:
    connectviews.fail_step("CreateOutputAMI", message="Insufficient capacity for c7g.large")

    with pytest.raises(ReleaseError, match=r"ended FAILED: Insufficient capacity for c7g\.large"):
        releaser.release("web", "2.2.0", approve_all)
    failed = [
        c
        for c in connectviews.calls
        if c.operation == "GetImage"
        and c.response
        and c.response["image"]["state"]["status"] == "FAILED"
    ]
    assert failed, "the tool saw the image fail"
    nothing_left(releaser.client)


@pytest.mark.connectviews(virtual_sleep=True)
def test_a_throttled_poll_waits_for_the_next_poll(
    connectviews: FakeAWS, releaser: ImageReleaser
) -> None:
    # GetImage gets one call per 100 s (the tool polls every 30 s): most polls are throttled,
    # and the client's 3 attempts do not absorb them; the tool waits for its next poll.
    connectviews.throttle(rate=0.01, burst=1, service="imagebuilder", operation="GetImage")

    release = releaser.release("web", "2.3.0", approve_all)

    assert release.ami is not None
    assert release.throttled_polls > 0
    throttled = [c for c in connectviews.calls if c.source == "throttled"]
    assert {c.operation for c in throttled} == {"GetImage"}
    assert {c.error_code for c in throttled} == {"CallRateLimitExceededException"}
    nothing_left(releaser.client)
