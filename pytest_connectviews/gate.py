"""The gate: what answers a request before a family sees it.

In order: injected error rules, the ``pytest_connectviews_error`` hook's deciders, token-bucket
throttles (answering the operation's modeled throttling error), then the server-side validation
of the parameters against the model, then canned responses (``add_response``), matched like
injected error rules. Quotas are counted by the families and enforced through
``RequestContext.check_quota`` with the limits kept in the same ``Faults``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ._models import facts
from .errors import CannedResponseError, ServiceError
from .faults import Faults, ResponseRule
from .recorder import Source
from .services._kit.context import RequestContext

if TYPE_CHECKING:
    from botocore.model import OperationModel

    from .services._kit.context import ServiceSpec

#: Decides an error for a call before the family sees it (the pytest_connectviews_error hook).
ErrorDecider = Callable[[RequestContext, Mapping[str, Any], int], "ServiceError | None"]

_check: Callable[..., Any] | None = None


def _validator() -> Callable[..., Any]:
    """``validation.check``, imported on first use (it loads ``regex``; the plugin must not)."""
    global _check
    if _check is None:
        from .validation import check

        _check = check
    return _check


class Gate:
    """The faults and deciders of one fake."""

    def __init__(self) -> None:
        self.faults = Faults()
        self.deciders: list[ErrorDecider] = []

    def reset(self) -> None:
        self.faults = Faults()

    def refuse(
        self, ctx: RequestContext, params: Mapping[str, Any], attempt: int, now: float
    ) -> tuple[Source, ServiceError] | None:
        """The injected or throttling error that answers this request, if any."""
        faults = self.faults
        rule = faults.match_rule(ctx.service, ctx.operation, params)
        if rule is not None:
            message = rule.message or (
                f"{rule.error_code} injected by pytest-connectviews for {ctx.operation}"
            )
            return "injected", ServiceError(rule.error_code, message, **rule.fields)
        for decide in self.deciders:
            decided = decide(ctx, params, attempt)
            if decided is not None:
                return "injected", decided
        if faults.throttles and faults.throttled(ctx.service, ctx.operation, now):
            code = facts(ctx.service).throttling_code(ctx.operation)
            return "throttled", ServiceError(code, "Rate exceeded")
        return None

    @staticmethod
    def validate(
        spec: ServiceSpec, operation: OperationModel, params: Mapping[str, Any]
    ) -> ServiceError | None:
        """The service's validation error for parameters that break a modeled constraint."""
        shape = operation.input_shape
        if shape is None:
            return None
        violation = _validator()(shape, params)
        return None if violation is None else spec.validation_error(violation)

    def canned(self, ctx: RequestContext, params: Mapping[str, Any]) -> ResponseRule | None:
        """The canned response answering this request (one of its attempts consumed), if any."""
        return self.faults.match_response(ctx.service, ctx.operation, params)

    @staticmethod
    def canned_output(
        rule: ResponseRule,
        ctx: RequestContext,
        operation: OperationModel,
        params: Mapping[str, Any],
        is_modeled_error: Callable[[str], bool],
    ) -> dict[str, Any]:
        """The output of a canned response; a callable's result is checked here.

        A ``ServiceError`` the callable raises is passed on when the service models its code;
        a result the output shape refuses is a ``CannedResponseError``.
        """
        answer = rule.response
        if not callable(answer):
            return dict(answer)
        try:
            result = answer(copy.deepcopy(dict(params)))
        except ServiceError as exc:
            if not is_modeled_error(exc.code):
                raise CannedResponseError(
                    f"connectviews: the callable of {rule.describe()} raised ServiceError "
                    f"{exc.code!r}, which {ctx.service} does not model for {ctx.operation}."
                ) from None
            raise
        problem = output_problem(operation, result)
        if problem is not None:
            raise CannedResponseError(
                f"connectviews: the callable of {rule.describe()} returned a response that "
                f"{ctx.service} {ctx.operation} cannot return: {problem}"
            )
        assert isinstance(result, Mapping)
        return {k: v for k, v in result.items() if k != "ResponseMetadata"}


def output_problem(operation: OperationModel, response: object) -> str | None:
    """What is wrong with ``response`` as an output of ``operation`` (None when it is valid)."""
    if not isinstance(response, Mapping):
        return f"a response must be a dict (as boto3 returns it), got {response!r}"
    body = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    shape = operation.output_shape
    if shape is None:
        if body:
            return f"{operation.name} has no output members, got {sorted(body)}"
        return None
    violation = _validator()(shape, body, output=True)
    if violation is None:
        return None
    return f"{violation.path or '<response>'} = {violation.value!r}: {violation.constraint}"
