"""Hooks a ``conftest.py`` (or a plugin) can implement to take part in every ``connectviews`` test.

They are called through the test item's hook proxy, so a hook in ``tests/api/conftest.py`` applies
only to the tests below ``tests/api/``. Implementations may accept any subset of the arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Union

import pytest

if TYPE_CHECKING:
    from .errors import ServiceError
    from .fake import FakeAWS
    from .recorder import Call

#: What ``pytest_connectviews_error`` may return.
ErrorDecision = Union[str, tuple[str, str], "ServiceError", None]


@pytest.hookspec
def pytest_connectviews_setup(fake: FakeAWS, request: pytest.FixtureRequest) -> None:
    """Configure each new fake before the test body runs.

    Called once per test, after the ``connectviews`` fixture started a fresh ``FakeAWS`` and before
    the test receives it: declare instances, pre-create views with boto3, set quotas, add
    throttles. Every implementation runs, the one in the closest ``conftest.py`` first. Calls made
    here change the fake's state but are not kept in ``fake.calls`` (a test starts with an empty
    call log), and ``pytest_connectviews_call`` / ``pytest_connectviews_error`` are not consulted
    for them.

    :param fake: the active fake the test will receive.
    :param request: the test's fixture request (``request.node`` is the test item).
    """


@pytest.hookspec
def pytest_connectviews_call(call: Call, fake: FakeAWS) -> None:
    """Observe every call the fake answers during the test, right after it was recorded.

    Called once per attempt (retries included), in the thread that made the request, outside the
    fake's lock. An exception raised here propagates to the code that made the boto3 call.

    :param call: the recorded, immutable call (``call.attempt``, ``call.source``, ...).
    :param fake: the fake that answered it.
    """


@pytest.hookspec(firstresult=True)
def pytest_connectviews_error(
    fake: FakeAWS,
    service: str,
    operation: str,
    params: Mapping[str, Any],
    attempt: int,
) -> ErrorDecision:
    """Decide whether a request should fail with an injected error.

    Called for every attempt that no ``inject_error`` rule answered, before throttling and before
    the backend or a canned response (``add_response``) answers the request, for any operation
    of the two services (implemented by the fake or not). The first implementation that returns
    something other than None decides. Return:

    * ``None`` to let the request through;
    * an error code the service models, e.g. ``"InternalServiceException"`` (a default message);
    * a ``(code, message)`` tuple;
    * a ``pytest_connectviews.ServiceError(code, message, **modeled_fields)``.

    The error gets the modeled HTTP status, so botocore raises the modeled exception class and
    retries as it would against AWS; the recorded call has ``source == "injected"``. Anything else,
    or a code the service does not model, raises ``pytest.UsageError`` naming this hook.

    :param fake: the fake answering the request.
    :param service: ``"connect"`` or ``"imagebuilder"``.
    :param operation: the operation name, e.g. ``"CreateView"``.
    :param params: the request's parameters, as the boto3 call named them (read-only).
    :param attempt: botocore's attempt number, 1 for the first attempt.
    """
