"""Suite-wide fidelity check: every successful response of our services must honour the contract.

``botocore.endpoint.Endpoint._do_get_response`` (which sends a request and parses the answer) is
wrapped once per session, in ``pytest_configure``, and restored in ``pytest_unconfigure``; nothing
of ``pytest_connectviews`` is patched. While a test of this directory runs (the autouse fixture
``response_contract``), each 2xx connect/imagebuilder response of an operation in
``_contract.CONTRACT`` (except a test's own canned ``add_response`` answers) is checked twice by
``_contract.check_wire``: what botocore parsed (what the caller receives) against the botocore
output shape and the contract members, and the encoded JSON body against the body members and
JSON types of the shape (botocore's parser silently drops unknown keys). That covers fixture
fakes, fakes built in the test, module-level decorator fakes, fakes inside in-process
``pytester`` runs and the HTTP server mode alike.

A violation raises ``AssertionError`` at the boto3 call; if that error was swallowed (a thread, a
broad ``except``), the test fails at teardown instead. Operations outside ``CONTRACT`` (moto's
Connect instances, say) are not the fake's; ``test_fidelity_contract`` pins that ``CONTRACT``
covers exactly what the fake implements.

pytester's in-process runs may re-import botocore's modules (a new ``Endpoint`` class): the fixture
wraps the class in ``sys.modules`` again when it is not wrapped yet.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Generator, Iterator
from typing import Any

import pytest
from _contract import CONTRACT, check_wire

# Clients made while no fake is active (module fixtures, import time) resolve credentials through
# botocore's chain, whose last step probes the EC2 metadata service: never from this suite.
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")

_call_passed = pytest.StashKey[bool]()

#: The problems of the running test (None outside the tests of this directory: nothing checked).
_problems: list[str] | None = None
#: (class, its original ``_do_get_response``) of every class wrapped, restored at unconfigure.
_wrapped: list[tuple[Any, Callable[..., Any]]] = []


def _inspect(endpoint: Any, operation_model: Any, result: Any) -> None:
    """Check the result of one ``_do_get_response``; raise AssertionError on a violation."""
    problems = _problems
    success = result[0]
    if problems is None or success is None:
        return
    service, operation = endpoint._endpoint_prefix, operation_model.name
    if (service, operation) not in CONTRACT:
        return
    http_response, parsed = success
    if _canned(http_response.headers.get("x-amzn-RequestId", "")):
        return  # a test's own add_response answer, not the fake's
    found = check_wire(service, operation, http_response.status_code, http_response.content, parsed)
    if found:
        problems.extend(found)
        raise AssertionError(
            "connectviews: the fake returned a response that breaks the contract:\n  "
            + "\n  ".join(found)
        )


def _canned(request_id: str) -> bool:
    """Whether the active fake answered this request with a canned response (``add_response``)."""
    from pytest_connectviews._transport import state

    for pipeline in state.stack:
        for call in reversed(pipeline.recorder.calls._snapshot()[-5:]):
            if call.request_id == request_id:
                return call.source == "canned"
    return False


def wrap_endpoint(endpoint_cls: Any) -> None:
    """Wrap ``endpoint_cls._do_get_response`` with ``_inspect`` (once; idempotent).

    The whole seam: an async endpoint (aiobotocore's ``AioEndpoint``) would get the same wrapper
    with ``result = await original(...)``.
    """
    original = endpoint_cls._do_get_response
    if getattr(original, "_response_contract", False):
        return

    def _do_get_response(self: Any, request: Any, operation_model: Any, context: Any) -> Any:
        result = original(self, request, operation_model, context)
        _inspect(self, operation_model, result)
        return result

    _do_get_response._response_contract = True
    _do_get_response.__wrapped__ = original
    endpoint_cls._do_get_response = _do_get_response
    _wrapped.append((endpoint_cls, original))


def _wrap_current() -> None:
    module = sys.modules.get("botocore.endpoint")
    if module is None:
        import botocore.endpoint as module
    wrap_endpoint(module.Endpoint)


def pytest_configure(config: pytest.Config) -> None:
    _wrap_current()


def pytest_unconfigure(config: pytest.Config) -> None:
    while _wrapped:
        endpoint_cls, original = _wrapped.pop()
        if getattr(endpoint_cls._do_get_response, "_response_contract", False):
            endpoint_cls._do_get_response = original


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.stash[_call_passed] = report.passed
    return report


@pytest.fixture(autouse=True)
def response_contract(request: pytest.FixtureRequest) -> Iterator[list[str]]:
    """Check every successful response; yields the problems found (a test may clear them)."""
    global _problems
    _wrap_current()
    problems: list[str] = []
    outer, _problems = _problems, problems
    try:
        yield problems
    finally:
        _problems = outer
    if problems and request.node.stash.get(_call_passed, False):
        pytest.fail(
            "connectviews: the fake returned responses that break the contract (the AssertionError "
            "raised at the call was swallowed):\n  " + "\n  ".join(problems),
            pytrace=False,
        )
