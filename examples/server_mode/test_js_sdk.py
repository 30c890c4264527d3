"""Runs ``js_sdk/check.mjs``, the AWS SDK for JavaScript v3, against this test's fake.

A client no one here wrote is the best check that the server speaks AWS's wire protocol: the SDK
serializes, signs, retries and parses on its own. The script seeds an instance, injects errors
and settles an image build through the control API, then this test reads the same fake's calls.

It needs Node.js and the SDK (``npm install`` in ``js_sdk/``; ``.ci/run`` does it when npm is on
PATH) and skips, saying which is missing, otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pytest_connectviews import FakeAWS
from pytest_connectviews.server import FakeServer

HERE = Path(__file__).with_name("js_sdk")
CHECKS = 15


def test_the_js_sdk_drives_the_fixtures_server(
    connectviews: FakeAWS, connectviews_server: FakeServer
) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("the JavaScript SDK check needs node on PATH")
    if not (HERE / "node_modules" / "@aws-sdk" / "client-connect").is_dir():
        pytest.skip(f"the JavaScript SDK check needs `npm install` in {HERE}")
    done = subprocess.run(
        [node, "check.mjs"],
        cwd=HERE,
        env={**os.environ, "URL": connectviews_server.url, "NODE_NO_WARNINGS": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    passed = [line for line in done.stdout.splitlines() if line.startswith("ok ")]
    assert len(passed) == CHECKS, done.stdout
    assert f"1..{CHECKS}" in done.stdout

    # The SDK drove this test's own fake (after its reset): the calls are here, signed by the SDK.
    operations = connectviews.calls.operations
    assert operations[:2] == ["ListInstances", "CreateView"]
    assert operations.count("GetImage") == 2
    injected = [c for c in connectviews.calls if c.source == "injected"]
    assert [(c.operation, c.error_code) for c in injected] == [
        ("ListViews", "ThrottlingException"),
        ("ListViews", "ThrottlingException"),
    ]
    assert all(c.service in ("connect", "imagebuilder") for c in connectviews.calls)
