"""Repository-wide test set-up: no network, ever.

When pytest-socket is installed (the ``test`` extra installs it), every test runs with sockets
blocked except to loopback, which server mode needs. ``--force-enable-socket`` still wins.
"""

from __future__ import annotations

import pytest

LOOPBACK = "127.0.0.1,::1,localhost"


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.hasplugin("socket"):
        return
    option = config.option
    if not option.force_enable_socket:
        option.disable_socket = True
        option.allow_unix_socket = True
        option.allow_hosts = option.allow_hosts or LOOPBACK
