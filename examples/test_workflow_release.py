"""Tests of the workflow release helper, run against the pytest-connectviews fake."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from workflow_release import prune_builds, publish_workflow

from pytest_connectviews import FakeAWS

DOCUMENT = (
    Path(__file__).parent.parent
    / "tests"
    / "data"
    / "workflows"
    / "awscli_get_workflow_example.yaml"
)


def test_publish_creates_the_first_build(connectviews: FakeAWS, imagebuilder_client: Any) -> None:
    arn = publish_workflow(
        imagebuilder_client, name="Golden AMI", version="1.0.0", document=DOCUMENT
    )
    assert arn == (
        f"arn:aws:imagebuilder:{connectviews.region}:{connectviews.account_id}"
        ":workflow/build/golden-ami/1.0.0/1"
    )
    call = connectviews.calls.one("CreateWorkflow")
    assert call.params["data"] == DOCUMENT.read_text(encoding="utf-8")
    assert call.params["type"] == "BUILD"


def test_publishing_the_same_document_again_is_a_no_op(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    first = publish_workflow(imagebuilder_client, name="golden", version="1.0.0", document=DOCUMENT)
    again = publish_workflow(imagebuilder_client, name="golden", version="1.0.0", document=DOCUMENT)
    assert again == first
    assert connectviews.calls.operations == [
        "CreateWorkflow",
        "CreateWorkflow",
        "ListWorkflows",
        "GetWorkflow",
    ]
    assert connectviews.calls[1].error_code == "ResourceAlreadyExistsException"


def test_a_changed_document_becomes_the_next_build(imagebuilder_client: Any) -> None:
    publish_workflow(imagebuilder_client, name="golden", version="1.0.0", document=DOCUMENT)
    changed = DOCUMENT.read_text(encoding="utf-8").replace("default: true", "default: false")
    arn = publish_workflow(
        imagebuilder_client,
        name="golden",
        version="1.0.0",
        document=changed,
        change_description="do not wait by default",
    )
    assert arn.endswith("/golden/1.0.0/2")
    workflow = imagebuilder_client.get_workflow(workflowBuildVersionArn=arn)["workflow"]
    assert workflow["parameters"][0]["defaultValue"] == ["false"]


def test_prune_keeps_the_newest_builds_and_those_in_use(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    text = DOCUMENT.read_text(encoding="utf-8")
    arns = [
        publish_workflow(
            imagebuilder_client,
            name="golden",
            version="1.0.0",
            document=text + f"# release {n}\n",
        )
        for n in range(1, 6)
    ]
    connectviews.mark_in_use(arns[1])  # build 2 backs a pipeline

    report = prune_builds(imagebuilder_client, arns[0].rsplit("/", 1)[0], keep=2)

    assert report.kept == [arns[4], arns[3]]
    assert report.deleted == [arns[2], arns[0]]
    assert report.in_use == [arns[1]]
    remaining = imagebuilder_client.list_workflow_build_versions(
        workflowVersionArn=arns[0].rsplit("/", 1)[0]
    )["workflowSummaryList"]
    assert [s["arn"] for s in remaining] == [arns[4], arns[3], arns[1]]
    deletes = connectviews.calls.filter("DeleteWorkflow")
    assert [c.error_code for c in deletes] == [None, "ResourceDependencyException", None]


def test_prune_pages_through_every_build(connectviews: FakeAWS, imagebuilder_client: Any) -> None:
    text = DOCUMENT.read_text(encoding="utf-8")
    for n in range(30):
        publish_workflow(
            imagebuilder_client, name="golden", version="2.0.0", document=f"{text}# {n}\n"
        )
    version_arn = (
        f"arn:aws:imagebuilder:{connectviews.region}:{connectviews.account_id}"
        ":workflow/build/golden/2.x.x"
    )
    report = prune_builds(imagebuilder_client, version_arn, keep=1)
    assert len(report.deleted) == 29
    assert report.kept[0].endswith("/2.0.0/30")
    assert connectviews.calls.count("ListWorkflowBuildVersions") == 2  # 25 + 5


def test_publish_rides_out_throttling_in_legacy_retry_mode(connectviews: FakeAWS) -> None:
    # The legacy retry mode retries any 429; the backoff sleeps are virtual.
    client = boto3.client(
        "imagebuilder",
        region_name=connectviews.region,
        config=Config(retries={"mode": "legacy", "total_max_attempts": 5}),
    )
    connectviews.inject_error("CreateWorkflow", "CallRateLimitExceededException", times=2)
    arn = publish_workflow(client, name="golden", version="1.0.0", document=DOCUMENT)
    assert arn.endswith("/golden/1.0.0/1")
    attempts = connectviews.calls.filter("CreateWorkflow")
    assert [c.attempt for c in attempts] == [1, 2, 3]
    assert [c.status_code for c in attempts] == [429, 429, 200]
    # every retry carries the same client token, so the service cannot create twice
    assert len({c.params["clientToken"] for c in attempts}) == 1


def test_standard_retry_mode_does_not_retry_image_builder_throttling(
    connectviews: FakeAWS,
) -> None:
    # Image Builder's throttling code is not in the standard mode's list: one attempt, then raise.
    client = boto3.client(
        "imagebuilder",
        region_name=connectviews.region,
        config=Config(retries={"mode": "standard", "total_max_attempts": 5}),
    )
    connectviews.inject_error("CreateWorkflow", "CallRateLimitExceededException")
    with pytest.raises(client.exceptions.CallRateLimitExceededException):
        publish_workflow(client, name="golden", version="1.0.0", document=DOCUMENT)
    assert [c.attempt for c in connectviews.calls.filter("CreateWorkflow")] == [1]


def test_prune_refuses_to_delete_everything(imagebuilder_client: Any) -> None:
    with pytest.raises(ValueError, match="keep must be at least 1"):
        prune_builds(imagebuilder_client, "arn:aws:imagebuilder:us-east-1:123456789012:x", keep=0)
