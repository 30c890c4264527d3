"""pytest glue: options, the ``connectviews`` marker, fixtures. Nothing expensive at import time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from .fake import FakeAWS

if TYPE_CHECKING:
    pass


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "connectviews(**options): activate the pytest-connectviews fake for this test, with options "
        "(region, account_id, strict_instances, passthrough, real_sleeps, ...).",
    )


@pytest.fixture
def connectviews(request: pytest.FixtureRequest) -> Iterator[FakeAWS]:
    """A fresh, active ``FakeAWS`` for this test; reset and deactivated afterwards."""
    options: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers("connectviews"))):
        options.update(marker.kwargs)
    fake = FakeAWS(**options)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
        fake.reset()


@pytest.fixture
def connect_client(connectviews: FakeAWS) -> Any:
    """A boto3 ``connect`` client in the fake's region."""
    import boto3

    return boto3.client("connect", region_name=connectviews.region)


@pytest.fixture
def imagebuilder_client(connectviews: FakeAWS) -> Any:
    """A boto3 ``imagebuilder`` client in the fake's region."""
    import boto3

    return boto3.client("imagebuilder", region_name=connectviews.region)
