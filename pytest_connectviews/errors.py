"""Exceptions the plugin raises to test code, and the error a backend raises to the wire layer."""

from __future__ import annotations

from typing import Any


class UnhandledOperationError(AssertionError):
    """A request reached the fake for an operation that neither it nor a canned response answers.

    It subclasses ``AssertionError`` so that a test fails loudly instead of the request going out to
    the network; the call is recorded (``source="unhandled"``) and the ``connectviews`` fixture
    fails the test at teardown even if the code under test caught this exception. Over real HTTP
    (server mode) the same case is a 501 with code ``NotImplemented``.
    """

    def __init__(
        self,
        service: str,
        operation: str,
        implemented: list[str],
        *,
        hint: str = "",
        request_id: str = "",
    ) -> None:
        self.service = service
        self.operation = operation
        self.implemented = implemented
        #: the request id of the recorded call ("" when the request could not be routed)
        self.request_id = request_id
        advice = hint or (
            "Answer it with fake.add_response(...) (see 'Canned responses' in the "
            "pytest-connectviews README)."
        )
        super().__init__(
            f"connectviews: {service} {operation} is not implemented by the fake and no "
            f"add_response rule answers it. {advice} "
            f"Implemented {service} operations: {', '.join(implemented)}."
        )


class CannedResponseError(AssertionError):
    """A canned response's callable returned something the operation's output shape refuses."""


class BlockedRequestError(RuntimeError):
    """A request for another AWS service was made while passthrough is off."""

    def __init__(self, service: str, url: str) -> None:
        self.service = service
        self.url = url
        super().__init__(
            f"connectviews: a request to AWS service {service!r} ({url}) was blocked because "
            "passthrough is off. Fake that service with another tool (for example moto), or allow "
            "it with FakeAWS(passthrough=True) / @pytest.mark.connectviews(passthrough=True)."
        )


class UnfakedRequestError(AssertionError):
    """A ``connect``/``imagebuilder`` request was made while no fake is active (option ``guard``).

    It subclasses ``AssertionError``: the test forgot the fixture, and the request would have gone
    to AWS.
    """

    def __init__(self, service: str, what: str, test: str) -> None:
        self.service = service
        self.test = test
        super().__init__(self.describe(service, what, test))

    @staticmethod
    def describe(service: str, what: str, test: str) -> str:
        return (
            f"connectviews: a {service} request ({what}) was made while no fake is active, in "
            f"{test}; it would have gone to AWS. Add the `connectviews` fixture or "
            "@pytest.mark.connectviews to that test (or start a FakeAWS) to fake it, or turn the "
            "guard off (--connectviews-guard=off, ini connectviews_guard = off)."
        )


class UnfakedRequestWarning(UserWarning):
    """The ``guard=warn`` form of ``UnfakedRequestError``."""


class SeamError(RuntimeError):
    """An internal of botocore/aiobotocore that the seam patches is missing or changed.

    Raised when a fake is activated, before anything is patched: no request is ever sent to AWS
    because of a seam that no longer fits.
    """

    def __init__(self, where: str, internal: str, problem: str) -> None:
        self.where = where
        self.internal = internal
        super().__init__(
            f"connectviews: cannot fake requests with the installed {where}: {internal} "
            f"{problem}. Nothing was patched. Install a supported version (see 'Supported "
            "versions' in the pytest-connectviews README) or report it."
        )


class FakeInternalError(AssertionError):
    """The fake itself failed while answering a request: a bug in pytest-connectviews."""

    def __init__(self, service: str, operation: str, cause: BaseException) -> None:
        self.service = service
        self.operation = operation
        super().__init__(
            f"connectviews: internal error while answering {service} {operation}: {cause!r}. "
            "This is a bug in pytest-connectviews; please report it with the failing test."
        )


class ServiceError(Exception):
    """Raised by a service backend: a modeled error code, its message and modeled extra fields.

    The wire layer turns it into an HTTP error response with the status the botocore model gives
    the code, so botocore raises the modeled exception class.
    """

    def __init__(self, code: str, message: str, **fields: Any) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.fields = fields
