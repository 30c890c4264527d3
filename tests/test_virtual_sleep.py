"""Option ``virtual_sleep``: the code under test's polling loop runs on the fake clock.

With the option on, ``time.sleep`` and ``asyncio.sleep`` in the test's thread advance the fake
clock instead of waiting; sleeps of other threads stay real; the real functions are back once no
such fake is active, also after a failing test.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import boto3
import pytest

from pytest_connectviews import FakeAWS

REAL_SLEEP = time.sleep
REAL_ASYNC_SLEEP = asyncio.sleep


def wait_until_active(connect: Any, instance_id: str, every: float = 30) -> int:
    """What a provisioning tool does: poll DescribeInstance, sleeping between polls."""
    polls = 0
    while True:
        polls += 1
        found = connect.describe_instance(InstanceId=instance_id)["Instance"]
        if found["InstanceStatus"] != "CREATION_IN_PROGRESS":
            return polls
        time.sleep(every)


def create_instance(connect: Any) -> str:
    made: str = connect.create_instance(
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias="polled",
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )["Id"]
    return made


@pytest.mark.connectviews(virtual_sleep=True)
def test_a_polling_loop_sleeps_on_the_fake_clock(connectviews: FakeAWS) -> None:
    connectviews.clock.freeze()
    connectviews.set_duration("connect.instance_creation", 120)
    connect = boto3.client("connect", region_name="us-east-1")
    made = create_instance(connect)
    start = time.monotonic()

    polls = wait_until_active(connect, made)

    assert polls == 5  # at 0, 30, 60, 90 s in progress; ACTIVE at 120 s
    assert connectviews.clock.slept == 120.0
    assert time.monotonic() - start < 60  # it did not wait the 120 s (a bound, not a timing)
    status = connect.describe_instance(InstanceId=made)["Instance"]["InstanceStatus"]
    assert status == "ACTIVE"


def test_without_the_option_sleeps_are_real(connectviews: FakeAWS) -> None:
    assert time.sleep is REAL_SLEEP
    assert asyncio.sleep is REAL_ASYNC_SLEEP
    start = time.monotonic()
    time.sleep(0.05)
    assert time.monotonic() - start >= 0.05
    assert connectviews.clock.slept == 0.0


def test_sleeps_of_other_threads_stay_real() -> None:
    with FakeAWS(virtual_sleep=True) as fake:
        elapsed: list[float] = []

        def worker() -> None:
            start = time.monotonic()
            time.sleep(0.1)
            elapsed.append(time.monotonic() - start)

        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        time.sleep(1000)  # this thread started the fake: virtual

    assert elapsed[0] >= 0.1
    assert fake.clock.slept == 1000.0


def test_the_real_functions_are_back_after_the_fake_stops() -> None:
    fake = FakeAWS(virtual_sleep=True)
    with fake:
        assert time.sleep is not REAL_SLEEP
        assert asyncio.sleep is not REAL_ASYNC_SLEEP
        with FakeAWS():  # a fake without the option on top: real sleeps while it answers
            time.sleep(0)
            assert fake.clock.slept == 0.0
        time.sleep(5)
    assert time.sleep is REAL_SLEEP
    assert asyncio.sleep is REAL_ASYNC_SLEEP
    assert asyncio.tasks.sleep is REAL_ASYNC_SLEEP
    assert fake.clock.slept == 5.0


def test_switching_the_option_on_an_active_fake() -> None:
    with FakeAWS() as fake:
        assert time.sleep is REAL_SLEEP
        fake.virtual_sleep = True
        time.sleep(7)
        fake.virtual_sleep = False
        assert time.sleep is REAL_SLEEP
    assert fake.clock.slept == 7.0


def test_values_time_sleep_refuses_are_refused_as_before() -> None:
    with FakeAWS(virtual_sleep=True) as fake:
        with pytest.raises(ValueError, match="non-negative"):
            time.sleep(-1)
        with pytest.raises(ValueError, match="NaN"):
            time.sleep(float("nan"))
        with pytest.raises(TypeError):
            time.sleep("1")  # type: ignore[arg-type]
        assert fake.clock.slept == 0.0


def test_asyncio_sleep_is_virtual_and_still_yields_to_other_tasks() -> None:
    events: list[str] = []

    async def ticker() -> None:
        for n in range(3):
            events.append(f"tick {n}")
            await asyncio.sleep(0)

    async def poller() -> None:
        task = asyncio.create_task(ticker())
        for _ in range(3):
            await asyncio.sleep(30)
            events.append("poll")
        await task

    with FakeAWS(virtual_sleep=True) as fake:
        start = time.monotonic()
        asyncio.run(poller())
        assert time.monotonic() - start < 60
    assert fake.clock.slept == 90.0
    # the other task ran while the poller "slept" (a virtual sleep still yields to the loop)
    assert events == ["tick 0", "poll", "tick 1", "poll", "tick 2", "poll"]


def test_the_option_from_the_command_line_and_restored_after_a_failure(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import time

        REAL = time.sleep

        def test_fails_while_virtual(connectviews):
            assert time.sleep is not REAL
            time.sleep(3600)
            assert connectviews.clock.slept == 3600
            raise AssertionError("boom")

        def test_next_one_has_it_too(connectviews):
            time.sleep(10)
            assert connectviews.clock.slept == 10

        def test_without_the_fixture_sleeps_are_real():
            assert time.sleep is REAL
        """
    )
    result = pytester.runpytest("-p", "no:randomly", "--connectviews-virtual-sleep")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*AssertionError: boom*"])
