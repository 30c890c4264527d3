"""Server mode: the same fake behind a real HTTP server, for code under test in another process.

- ``httpd.py``: ``FakeServer``, the HTTP server (stdlib ``ThreadingHTTPServer``), hardened so that
  every answer is a well-formed HTTP/1.1 response with a JSON body.
- ``control.py``: the control API under ``/_connectviews/`` (seed, faults, clock, calls), driving
  the ``FakeAWS`` public API.
- ``cli.py``: ``main``, the console script ``pytest-connectviews serve`` (and
  ``python -m pytest_connectviews serve``), which runs one in the foreground until SIGINT or
  SIGTERM.
"""

from __future__ import annotations

from .cli import main
from .control import CONTROL_PREFIX, TOKEN_HEADER
from .httpd import (
    DUMMY_ACCESS_KEY_ID,
    DUMMY_SECRET_ACCESS_KEY,
    IDLE_TIMEOUT,
    MAX_BODY_BYTES,
    REMOVED_ENV,
    FakeServer,
    ServerError,
)

__all__ = [
    "CONTROL_PREFIX",
    "DUMMY_ACCESS_KEY_ID",
    "DUMMY_SECRET_ACCESS_KEY",
    "IDLE_TIMEOUT",
    "MAX_BODY_BYTES",
    "REMOVED_ENV",
    "TOKEN_HEADER",
    "FakeServer",
    "ServerError",
    "main",
]
