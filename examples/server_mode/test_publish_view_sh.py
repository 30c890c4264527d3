"""Runs ``publish_view_test.sh``, a shell test of ``publish_view.sh``, so the suite checks it too.

The shell test is what a project without Python tests would write: it seeds an instance, sets a
call budget (a throttle) and a throttling error through the control API with ``curl``, runs the
script under test (the AWS CLI), and asserts on ``/_connectviews/calls``. It runs here twice: once
starting its own ``pytest-connectviews serve``, as it would in another project's CI, and once
against ``connectviews_server``, whose fake the Python test then inspects as well.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_connectviews import FakeAWS
from pytest_connectviews.server import FakeServer

SHELL_TEST = Path(__file__).with_name("publish_view_test.sh")
CHECKS = 7


def run_shell_test(env: dict[str, str]) -> str:
    for tool in ("bash", "curl"):
        if shutil.which(tool) is None:
            pytest.skip(f"this example's shell test needs {tool} on PATH")
    done = subprocess.run(
        ["bash", str(SHELL_TEST)],
        env={**env, "AWS_CLI": f"{sys.executable} -m awscli"},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    passed = [line for line in done.stdout.splitlines() if line.startswith("ok - ")]
    assert len(passed) == CHECKS, done.stdout
    return done.stdout


def test_shell_test_with_its_own_server() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CONNECTVIEWS_"))}
    env["CONNECTVIEWS_SERVE"] = f"{sys.executable} -m pytest_connectviews serve"

    run_shell_test(env)


def test_shell_test_against_the_tests_fake(
    connectviews: FakeAWS, connectviews_server: FakeServer
) -> None:
    run_shell_test(dict(os.environ))  # the fixture set CONNECTVIEWS_URL and the AWS variables

    # The shell test drove this test's own fake: its calls are in connectviews.calls.
    assert [(c.operation, c.source) for c in connectviews.calls] == [
        ("ListViews", "backend"),
        ("CreateView", "backend"),
        ("CreateViewVersion", "injected"),
        ("CreateViewVersion", "backend"),
        ("ListViews", "throttled"),
    ]
