"""Suite-wide fidelity check: every successful response any fake produces must honour the contract.

Each test gets an observer on every ``FakeAWS`` that exists or is started while it runs (fixture
fakes, fakes built in the test, module-level decorator fakes, fakes inside in-process ``pytester``
runs). A successful response that breaks the botocore output shape or misses a member of
``pytest_connectviews.contract.CONTRACT`` raises ``AssertionError`` at the boto3 call; if that
error was swallowed (a thread, a broad ``except``), the test fails at teardown instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterator
from typing import Any

import pytest

from pytest_connectviews import _transport
from pytest_connectviews.contract import check_response
from pytest_connectviews.fake import FakeAWS
from pytest_connectviews.recorder import Call

# Clients made while no fake is active (module fixtures, import time) resolve credentials through
# botocore's chain, whose last step probes the EC2 metadata service: never from this suite.
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")

_call_passed = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.stash[_call_passed] = report.passed
    return report


@pytest.fixture(autouse=True)
def response_contract(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[str]]:
    """Check every successful response; yields the problems found (a test may clear them)."""
    problems: list[str] = []
    watched: list[FakeAWS] = []

    def observe(call: Call) -> None:
        if call.error_code is not None or call.response is None:
            return
        found = check_response(call.service, call.operation, call.response)
        if found:
            problems.extend(found)
            raise AssertionError(
                "connectviews: the fake returned a response that breaks the contract:\n  "
                + "\n  ".join(found)
            )

    def watch(fake: FakeAWS) -> None:
        if observe not in fake.call_observers:
            fake.call_observers.append(observe)
            watched.append(fake)

    for fake in list(_transport._stack):
        watch(fake)

    original_init: Callable[..., None] = FakeAWS.__init__
    original_activate: Callable[[FakeAWS], None] = _transport.activate

    def init(self: FakeAWS, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        watch(self)

    def activate(fake: FakeAWS) -> None:
        watch(fake)
        original_activate(fake)

    monkeypatch.setattr(FakeAWS, "__init__", init)
    monkeypatch.setattr(_transport, "activate", activate)
    yield problems
    for fake in watched:
        if observe in fake.call_observers:
            fake.call_observers.remove(observe)
    if problems and request.node.stash.get(_call_passed, False):
        pytest.fail(
            "connectviews: the fake returned responses that break the contract (the AssertionError "
            "raised at the call was swallowed):\n  " + "\n  ".join(problems),
            pytrace=False,
        )
