"""Server mode: the code under test is a shell script calling the AWS CLI.

``connectviews_server`` serves the test's fake on a free loopback port and points the AWS CLI (and
any AWS SDK) in subprocesses at it, so the test seeds state, runs the script, and then asserts on
the fake's state and on the calls the script made.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pytest_connectviews import FakeAWS
from pytest_connectviews.server import FakeServer

SCRIPT = Path(__file__).with_name("publish_view.sh")


def survey(question: str) -> dict[str, Any]:
    template = {
        "Head": {"Title": "Survey"},
        "Body": [
            {"_id": "q", "Type": "TextInput", "Props": {"Label": question}},
            {"_id": "send", "Type": "Button", "Props": {"Action": "Submit"}, "Content": ["Send"]},
        ],
    }
    return {"Template": json.dumps(template), "Actions": ["Submit"]}


def publish(server: FakeServer, instance_id: str, name: str, content_file: Path) -> str:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("this example needs bash")
    done = subprocess.run(
        [bash, str(SCRIPT), instance_id, name, str(content_file)],
        env={**server.env, "AWS_CLI": f"{sys.executable} -m awscli"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_first_publish_creates_the_view_and_version_1(
    connectviews: FakeAWS, connectviews_server: FakeServer, connect_client: Any, tmp_path: Path
) -> None:
    instance_id = connectviews.add_instance()
    content_file = tmp_path / "survey.json"
    content_file.write_text(json.dumps(survey("How was your call?")))

    arn = publish(connectviews_server, instance_id, "Survey", content_file)

    assert arn.endswith(":1")
    view = connect_client.describe_view(InstanceId=instance_id, ViewId=arn)["View"]
    assert view["Name"] == "Survey"
    assert "How was your call?" in view["Content"]["Template"]
    assert connectviews.calls.operations == [
        "ListViews",
        "CreateView",
        "CreateViewVersion",
        "DescribeView",
    ]


def test_republish_updates_the_content_and_adds_a_version(
    connectviews: FakeAWS, connectviews_server: FakeServer, connect_client: Any, tmp_path: Path
) -> None:
    instance_id = connectviews.add_instance()
    old = connect_client.create_view(
        InstanceId=instance_id, Name="Survey", Status="PUBLISHED", Content=survey("Old question?")
    )["View"]
    connect_client.create_view_version(InstanceId=instance_id, ViewId=old["Id"])
    content_file = tmp_path / "survey.json"
    content_file.write_text(json.dumps(survey("New question?")))

    arn = publish(connectviews_server, instance_id, "Survey", content_file)

    assert arn == f"{old['Arn'].rsplit(':', 1)[0]}:2"
    script_calls = connectviews.calls[2:]
    assert [c.operation for c in script_calls] == [
        "ListViews",
        "UpdateViewContent",
        "CreateViewVersion",
    ]
    assert script_calls[1].params["ViewId"] == old["Id"]
    latest = connect_client.describe_view(InstanceId=instance_id, ViewId=old["Id"])["View"]
    assert "New question?" in latest["Content"]["Template"]
