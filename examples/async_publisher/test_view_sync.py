"""Testing an async (aiobotocore) module with the fixture: the same fake answers async clients.

It needs aiobotocore and anyio (``pip install -e '.[aio]'``); without them it is skipped.
"""

from __future__ import annotations

import os

import pytest

if os.environ.get("CONNECTVIEWS_REQUIRE_AIO") != "1":  # the aio tox envs require it
    pytest.importorskip(
        "aiobotocore", reason="aiobotocore is not installed (pip install -e '.[aio]')"
    )
    pytest.importorskip("anyio", reason="anyio is not installed (pip install -e '.[aio]')")

from view_sync import publish_all

from pytest_connectviews import FakeAWS

pytestmark = pytest.mark.anyio
PAGE = {"Head": {"Title": "t"}, "Body": []}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_publishes_new_and_existing_views(connectviews: FakeAWS) -> None:
    instance = connectviews.add_instance()
    first = await publish_all(instance, {"refund": PAGE})
    again = await publish_all(instance, {"refund": PAGE, "survey": PAGE})

    assert first["refund"].endswith(":$LATEST")
    assert again["refund"] == first["refund"]
    assert connectviews.calls.filter(attempt=1).operations == [
        "ListViews",
        "CreateView",
        "ListViews",
        "UpdateViewContent",
        "CreateView",
    ]


async def test_throttling_is_absorbed_by_the_retry_settings(connectviews: FakeAWS) -> None:
    connectviews.clock.freeze()
    instance = connectviews.add_instance()
    connectviews.throttle(rate=1, burst=2, service="connect")
    views = {f"view-{i}": PAGE for i in range(6)}

    published = await publish_all(instance, views)

    assert sorted(published) == sorted(views)
    throttled = connectviews.calls.filter(attempt=2)
    assert throttled, "some calls were throttled and retried"
    assert connectviews.clock.slept > 0  # the backoff ran on the fake clock, not in real time
