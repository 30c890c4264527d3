"""The ``connectviews_server`` fixture: the test's fake, also served over HTTP for subprocesses.

Cheap to import (pytest loads it with the plugin): the server module is imported by the fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .fake import FakeAWS
    from .server import FakeServer


@pytest.fixture
def connectviews_server(
    connectviews: FakeAWS, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[FakeServer]:
    """The test's ``connectviews`` fake served over HTTP on a free loopback port.

    While the test runs, ``os.environ`` points the AWS CLI and every AWS SDK in a subprocess at it
    (``AWS_ENDPOINT_URL_CONNECT``, ``AWS_ENDPOINT_URL_IMAGEBUILDER``, dummy credentials, the fake's
    region, no shared config files). The yielded server has ``url``, ``port``, ``fake``, ``env``
    (a full environment for ``subprocess.run(env=...)``) and ``errors``.

    A request the fake fails on (500) or cannot route (501) fails the test at teardown, unless
    the test failed already or emptied ``connectviews_server.errors``. A 501 for an operation
    nothing answered was recorded as an unhandled call: the ``connectviews`` fixture's
    ``assert_all_calls_handled`` check reports it (once).
    """
    from .server import REMOVED_ENV, FakeServer

    server = FakeServer(connectviews).start()
    try:
        for name in REMOVED_ENV:
            monkeypatch.delenv(name, raising=False)
        for name, value in server.env_vars.items():
            monkeypatch.setenv(name, value)
        failed_before = request.session.testsfailed
        yield server
    finally:
        server.stop()
    errors = [e for e in server.errors if not e.request_id]
    if errors and request.session.testsfailed == failed_before:
        lines = "\n".join(
            f"  {e.status} {e.code} for {e.request_line}: {e.message}" for e in errors
        )
        pytest.fail(
            "connectviews: the server answered requests the fake could not handle:\n"
            f"{lines}\n"
            "If the test expects this, check and clear connectviews_server.errors before it ends.",
            pytrace=False,
        )
