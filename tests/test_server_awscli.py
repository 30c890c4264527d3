"""The real AWS CLI (v1, from PyPI) as a subprocess against ``connectviews_server``."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pytest_connectviews import FakeAWS
from pytest_connectviews.server import FakeServer

DATA = Path(__file__).parent / "data"
INSTANCE = "11111111-2222-3333-4444-555555555555"
CARDS = json.loads((DATA / "views" / "customer_managed_cards_awsdoc.json").read_text())
CARDS_CONTENT = json.dumps({"Template": json.dumps(CARDS["Template"]), "Actions": CARDS["Actions"]})

Aws = Callable[..., "subprocess.CompletedProcess[str]"]


@pytest.fixture
def aws(connectviews_server: FakeServer) -> Aws:
    """Run ``aws <args> --output json`` in a subprocess pointed at the server."""
    if importlib.util.find_spec("awscli") is None:
        pytest.fail(
            "connectviews: these tests drive the real AWS CLI: install it with "
            "`pip install awscli` (it is part of the 'test' extra: pip install -e '.[test]').",
            pytrace=False,
        )

    def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "awscli", *args, "--output", "json"],
            env={**connectviews_server.env, **env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run


def ok(done: subprocess.CompletedProcess[str]) -> Any:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if done.stdout.strip() else None


def test_create_describe_and_list_views(
    connectviews: FakeAWS, aws: Aws, connect_client: Any
) -> None:
    created = ok(
        aws(
            "connect",
            "create-view",
            "--instance-id",
            INSTANCE,
            "--name",
            "Cards",
            "--status",
            "PUBLISHED",
            "--content",
            CARDS_CONTENT,
        )
    )["View"]
    described = ok(
        aws("connect", "describe-view", "--instance-id", INSTANCE, "--view-id", created["Id"])
    )
    listed = ok(
        aws("connect", "list-views", "--instance-id", INSTANCE, "--type", "CUSTOMER_MANAGED")
    )

    assert created["Arn"].endswith(f"/view/{created['Id']}:$LATEST")
    assert described["View"]["Name"] == "Cards"
    assert described["View"]["Status"] == "PUBLISHED"
    assert described["View"]["Content"]["Actions"] == ["CardSelected", "Skip"]
    assert [v["Name"] for v in listed["ViewsSummaryList"]] == ["Cards"]
    # Same state and one call log for the CLI and the test.
    assert [c.operation for c in connectviews.calls] == ["CreateView", "DescribeView", "ListViews"]
    in_process = connect_client.describe_view(InstanceId=INSTANCE, ViewId=created["Id"])["View"]
    assert in_process["ViewContentSha256"] == described["View"]["ViewContentSha256"]


def test_duplicate_view_name_is_duplicate_resource_exception(
    connectviews: FakeAWS, aws: Aws, connect_client: Any
) -> None:
    connect_client.create_view(
        InstanceId=INSTANCE, Name="Taken", Status="SAVED", Content={"Template": "{}", "Actions": []}
    )

    done = aws(
        "connect",
        "create-view",
        "--instance-id",
        INSTANCE,
        "--name",
        "Taken",
        "--status",
        "SAVED",
        "--content",
        '{"Template": "{}", "Actions": []}',
    )

    assert done.returncode != 0
    assert (
        "An error occurred (DuplicateResourceException) when calling the CreateView" in done.stderr
    )
    last = connectviews.calls.last
    assert (last.operation, last.status_code, last.error_code) == (
        "CreateView",
        409,
        "DuplicateResourceException",
    )


def test_create_and_list_workflows(
    connectviews: FakeAWS, aws: Aws, imagebuilder_client: Any
) -> None:
    document = DATA / "workflows" / "build_workflow_example.yaml"
    created = ok(
        aws(
            "imagebuilder",
            "create-workflow",
            "--name",
            "Build AMI",
            "--semantic-version",
            "1.0.0",
            "--type",
            "BUILD",
            "--data",
            f"file://{document}",
            "--client-token",
            "t-1",
        )
    )
    listed = ok(aws("imagebuilder", "list-workflows"))

    region, account = connectviews.region, connectviews.account_id
    build_arn = f"arn:aws:imagebuilder:{region}:{account}:workflow/build/build-ami/1.0.0/1"
    assert created["workflowBuildVersionArn"] == build_arn
    assert [w["arn"] for w in listed["workflowVersionList"]] == [build_arn.rsplit("/", 1)[0]]
    assert listed["workflowVersionList"][0]["name"] == "Build AMI"
    # The test sees the document the CLI uploaded, byte for byte.
    got = imagebuilder_client.get_workflow(workflowBuildVersionArn=build_arn)["workflow"]
    assert got["data"] == document.read_text()


def test_cli_retries_an_injected_throttle_and_succeeds(connectviews: FakeAWS, aws: Aws) -> None:
    connectviews.inject_error("ListViews", "TooManyRequestsException", times=1)

    listed = ok(
        aws(
            "connect",
            "list-views",
            "--instance-id",
            INSTANCE,
            AWS_RETRY_MODE="standard",
            AWS_MAX_ATTEMPTS="2",
        )
    )

    assert len(listed["ViewsSummaryList"]) == 6  # the AWS-managed views
    calls = connectviews.calls.filter("ListViews")
    assert [(c.attempt, c.error_code) for c in calls] == [
        (1, "TooManyRequestsException"),
        (2, None),
    ]
    assert calls[0].status_code == 429


def test_cli_gives_up_on_a_throttle_after_its_attempts(connectviews: FakeAWS, aws: Aws) -> None:
    connectviews.throttle(rate=0, burst=0, service="connect", operation="ListViews")

    done = aws(
        "connect",
        "list-views",
        "--instance-id",
        INSTANCE,
        AWS_RETRY_MODE="standard",
        AWS_MAX_ATTEMPTS="2",
    )

    assert done.returncode != 0
    assert "TooManyRequestsException" in done.stderr
    assert "reached max retries: 1" in done.stderr
    calls = connectviews.calls.filter("ListViews")
    assert [(c.attempt, c.status_code, c.throttled) for c in calls] == [
        (1, 429, True),
        (2, 429, True),
    ]
