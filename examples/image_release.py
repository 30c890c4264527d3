"""An image-release tool for EC2 Image Builder: build an AMI behind a human approval step.

This is ordinary application code: it knows boto3 only. It creates a component, an image recipe,
an infrastructure configuration and a BUILD workflow whose ``WaitForAction`` step waits for a
release manager; starts the build; polls until the approval step waits, asks ``approve``, resumes
or stops the step; polls until the image is AVAILABLE; and tears everything down in dependency
order (image, recipe, component, workflow, infrastructure configuration), also when the build
fails. ``test_image_release.py`` tests it against pytest-connectviews' fake, with no AWS account.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

#: the throttling errors Image Builder answers; a poll that meets one just waits for the next poll
THROTTLED = {"CallRateLimitExceededException", "ThrottlingException", "TooManyRequestsException"}
TERMINAL = {"AVAILABLE", "FAILED", "CANCELLED", "DEPRECATED", "DISABLED", "DELETED"}

COMPONENT = """schemaVersion: 1.0
phases:
  - name: build
    steps:
      - name: InstallApp
        action: ExecuteBash
        inputs:
          commands: ["dnf install -y my-app"]
  - name: validate
    steps:
      - name: CheckApp
        action: ExecuteBash
        inputs:
          commands: ["my-app --version"]
"""

APPROVAL_WORKFLOW = """schemaVersion: 1.0
steps:
  - name: LaunchBuildInstance
    action: LaunchInstance
    onFailure: Abort
    inputs:
      waitFor: ssmAgent
  - name: ApplyBuildComponents
    action: ExecuteComponents
    onFailure: Abort
    inputs:
      instanceId.$: "$.stepOutputs.LaunchBuildInstance.instanceId"
  - name: ReleaseApproval
    action: WaitForAction
  - name: CreateOutputAMI
    action: CreateImage
    onFailure: Abort
    inputs:
      instanceId.$: "$.stepOutputs.LaunchBuildInstance.instanceId"
  - name: TerminateBuildInstance
    action: TerminateInstance
    onFailure: Continue
    inputs:
      instanceId.$: "$.stepOutputs.LaunchBuildInstance.instanceId"
"""


class ReleaseError(Exception):
    """The image did not become AVAILABLE: it failed, was stopped or cancelled, or timed out."""


@dataclass
class Release:
    """The resources of one release, filled in as they are created."""

    name: str
    version: str
    component: str | None = None
    recipe: str | None = None
    infrastructure: str | None = None
    workflow: str | None = None
    image: str | None = None
    ami: str | None = None
    #: polls that met a throttling error (and waited for the next poll)
    throttled_polls: int = 0
    deleted: list[str] = field(default_factory=list)


@dataclass
class ImageReleaser:
    """The tool: ``release(...)`` runs everything; the steps are public for finer control."""

    client: Any
    execution_role: str
    instance_profile: str
    parent_image: str
    #: seconds between polls, and how long to wait in all for a state
    poll_seconds: float = 30.0
    timeout_seconds: float = 4 * 3600.0

    # ------------------------------------------------------------------ the whole release
    def release(
        self, name: str, version: str, approve: Callable[[dict[str, Any]], tuple[bool, str]]
    ) -> Release:
        """Build ``name`` ``version``; ``approve(step)`` returns (approved, reason).

        Returns the release with its AMI; raises ``ReleaseError`` when the image does not become
        AVAILABLE. Every resource made is deleted at the end either way.
        """
        release = Release(name, version)
        try:
            self.prepare(release)
            self.start(release)
            step = self.wait_for_approval(release)
            approved, reason = approve(step)
            self.decide(release, step, approved=approved, reason=reason)
            self.wait_until_available(release)
            return release
        finally:
            self.teardown(release)

    # ------------------------------------------------------------------ the steps
    def prepare(self, release: Release) -> None:
        ib, tag = self.client, release.name
        release.component = ib.create_component(
            name=f"{tag}-app",
            semanticVersion=release.version,
            platform="Linux",
            data=COMPONENT,
        )["componentBuildVersionArn"]
        release.recipe = ib.create_image_recipe(
            name=f"{tag}-recipe",
            semanticVersion=release.version,
            parentImage=self.parent_image,
            components=[{"componentArn": release.component}],
        )["imageRecipeArn"]
        release.infrastructure = ib.create_infrastructure_configuration(
            name=f"{tag}-builders", instanceProfileName=self.instance_profile
        )["infrastructureConfigurationArn"]
        release.workflow = ib.create_workflow(
            name=f"{tag}-approval",
            semanticVersion=release.version,
            type="BUILD",
            data=APPROVAL_WORKFLOW,
        )["workflowBuildVersionArn"]

    def start(self, release: Release) -> str:
        release.image = self.client.create_image(
            imageRecipeArn=release.recipe,
            infrastructureConfigurationArn=release.infrastructure,
            workflows=[{"workflowArn": release.workflow}],
            executionRole=self.execution_role,
            imageTestsConfiguration={"imageTestsEnabled": False},
        )["imageBuildVersionArn"]
        return release.image

    def wait_for_approval(self, release: Release) -> dict[str, Any]:
        """Poll until this image's approval step waits; its ListWaitingWorkflowSteps item."""
        deadline = time.monotonic() + self.timeout_seconds
        waited = 0.0
        while True:
            steps = self._poll(release, lambda: self.client.list_waiting_workflow_steps())
            for step in (steps or {}).get("steps", []):
                if step["imageBuildVersionArn"] == release.image:
                    found: dict[str, Any] = step
                    return found
            status, reason = self.status(release)
            if status in TERMINAL:
                raise ReleaseError(f"{release.image} ended {status} before approval: {reason}")
            waited = self._sleep(waited, deadline, "the approval step")

    def decide(
        self, release: Release, step: dict[str, Any], *, approved: bool, reason: str
    ) -> None:
        self.client.send_workflow_step_action(
            stepExecutionId=step["stepExecutionId"],
            imageBuildVersionArn=release.image,
            action="RESUME" if approved else "STOP",
            reason=reason,
        )

    def wait_until_available(self, release: Release) -> None:
        image = self.wait_until_done(release)
        state = image["state"]
        if state["status"] != "AVAILABLE":
            raise ReleaseError(f"{release.image} ended {state['status']}: {state.get('reason')}")
        release.ami = image["outputResources"]["amis"][0]["image"]

    def wait_until_done(self, release: Release) -> dict[str, Any]:
        """Poll until the image's status is terminal; the image as GetImage answered it."""
        deadline = time.monotonic() + self.timeout_seconds
        waited = 0.0
        while True:
            image = self._image(release)
            if image is not None and image["state"]["status"] in TERMINAL:
                return image
            waited = self._sleep(waited, deadline, "the end of the build")

    def status(self, release: Release) -> tuple[str, str]:
        """The image's status and reason; ("POLLING", "") when the poll was throttled."""
        image = self._image(release)
        if image is None:
            return "POLLING", ""
        state = image["state"]
        return str(state["status"]), str(state.get("reason", ""))

    def cancel(self, release: Release) -> None:
        self.client.cancel_image_creation(imageBuildVersionArn=release.image)

    def teardown(self, release: Release) -> None:
        """Delete what the release made, dependants first (a recipe blocks its component)."""
        if release.image is not None and self.status(release)[0] not in TERMINAL:
            # still building (the approval never came, say): stop it first; it may end meanwhile
            with contextlib.suppress(self.client.exceptions.InvalidParameterValueException):
                self.cancel(release)
            self.wait_until_done(release)
        ib = self.client
        for arn, delete in (
            (release.image, lambda a: ib.delete_image(imageBuildVersionArn=a)),
            (release.recipe, lambda a: ib.delete_image_recipe(imageRecipeArn=a)),
            (release.component, lambda a: ib.delete_component(componentBuildVersionArn=a)),
            (release.workflow, lambda a: ib.delete_workflow(workflowBuildVersionArn=a)),
            (
                release.infrastructure,
                lambda a: ib.delete_infrastructure_configuration(infrastructureConfigurationArn=a),
            ),
        ):
            if arn is not None and arn not in release.deleted:
                delete(arn)
                release.deleted.append(arn)

    # ------------------------------------------------------------------ helpers
    def _image(self, release: Release) -> dict[str, Any] | None:
        """GetImage's image, or None when the poll was throttled."""
        answer = self._poll(
            release, lambda: self.client.get_image(imageBuildVersionArn=release.image)
        )
        return None if answer is None else dict(answer["image"])

    def _poll(self, release: Release, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except ClientError as exc:
            if exc.response["Error"]["Code"] not in THROTTLED:
                raise
            release.throttled_polls += 1
            return None

    def _sleep(self, waited: float, deadline: float, what: str) -> float:
        if time.monotonic() > deadline or waited >= self.timeout_seconds:
            raise ReleaseError(f"gave up waiting for {what} after {waited:.0f} s")
        time.sleep(self.poll_seconds)
        return waited + self.poll_seconds
