"""pytest glue: options (marker, ini, CLI), hooks, fixtures, the teardown check.

Cheap to load: nothing here imports botocore, boto3, regex or yaml; the fake does that on first use.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, fields, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pytest

from ._defaults import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_REGION,
    DEFAULT_SEED,
    check_account_id,
    check_guard,
    check_region,
)
from ._server_fixture import connectviews_server  # noqa: F401  (registered as a fixture)
from .errors import ServiceError

if TYPE_CHECKING:
    from .fake import FakeAWS
    from .recorder import Call
    from .services._kit.context import RequestContext

_MARKER = "connectviews"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Options:
    """The effective settings of one test (marker > CLI > ini > default)."""

    region: str = DEFAULT_REGION
    account_id: str = DEFAULT_ACCOUNT_ID
    strict_instances: bool = False
    passthrough: bool = True
    real_sleeps: bool = False
    allow_distribution_workflows: bool = True
    check_flow_references: bool = True
    assert_all_errors_used: bool = True
    assert_all_calls_handled: bool = True
    seed: int = DEFAULT_SEED
    guard: str = "off"
    virtual_sleep: bool = False

    def fake_kwargs(self) -> dict[str, Any]:
        """The keyword arguments for ``FakeAWS``."""
        kwargs = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in _TEARDOWN_ONLY:
            del kwargs[name]
        return kwargs

    def header(self) -> str:
        return "connectviews: " + ", ".join(
            f"{f.name}={getattr(self, f.name)}" for f in fields(self)
        )


_HELP = {
    "region": "region of the convenience clients and of add_instance (default us-east-1)",
    "account_id": "12-digit account the fake answers for (default 123456789012)",
    "strict_instances": "unknown Connect instances answer ResourceNotFoundException",
    "passthrough": "let requests for other AWS services through (false: block them)",
    "real_sleeps": "sleep botocore's retry backoff in real time instead of on the fake clock",
    "allow_distribution_workflows": "accept CreateWorkflow with type=DISTRIBUTION",
    "check_flow_references": "refuse contact flows whose ShowView names a missing view",
    "assert_all_errors_used": "fail a test whose inject_error or add_response rules (finite "
    "times) were never used",
    "assert_all_calls_handled": "fail a test that made a call nothing answered (even if the code "
    "under test caught the UnhandledOperationError)",
    "seed": "seed of the fake's generator for retry jitter and probabilistic faults (default 0)",
    "guard": "a connect/imagebuilder request while no fake is active: off (default), warn or error",
    "virtual_sleep": "time.sleep/asyncio.sleep in the test's thread advance the fake clock "
    "instead of waiting",
}
#: options of the fixture (its teardown checks, the guard for tests without a fake), not of FakeAWS
_TEARDOWN_ONLY = ("assert_all_errors_used", "assert_all_calls_handled", "guard")
_NAMES = tuple(f.name for f in fields(Options))
_BOOLS = tuple(f.name for f in fields(Options) if isinstance(f.default, bool))

_config_key = pytest.StashKey[Options]()
_reports_key = pytest.StashKey[dict[str, pytest.TestReport]]()
_outer_tally_key = pytest.StashKey[Any]()


def _parse_bool(value: object, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise pytest.UsageError(
        f"connectviews: {where} must be a boolean (true/false, yes/no, 1/0, on/off), got {value!r}"
    )


def _parse_seed(value: object, where: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise pytest.UsageError(f"connectviews: {where} must be an integer seed, got {value!r}")


def _resolve(base: Options, values: Mapping[str, object], where: Callable[[str], str]) -> Options:
    """``base`` updated with ``values``, every value checked; bad ones are ``pytest.UsageError``."""
    unknown = sorted(set(values) - set(_NAMES))
    if unknown:
        raise pytest.UsageError(
            f"connectviews: unknown option(s) {', '.join(unknown)} in {where(unknown[0])}. "
            f"Valid options: {', '.join(_NAMES)}"
        )
    changes: dict[str, Any] = {}
    for name, value in values.items():
        if name in _BOOLS:
            changes[name] = _parse_bool(value, where(name))
        elif name == "seed":
            changes[name] = _parse_seed(value, where(name))
        elif name == "guard":
            try:
                changes[name] = check_guard(value)
            except ValueError as exc:
                raise pytest.UsageError(f"{exc} (set by {where(name)})") from None
        elif isinstance(value, str):
            changes[name] = value
        else:
            raise pytest.UsageError(f"connectviews: {where(name)} must be a string, got {value!r}")
    options = replace(base, **changes)
    try:  # the fake's own checks, without importing the fake at start-up
        check_region(options.region)
        check_account_id(options.account_id)
    except ValueError as exc:
        names = ", ".join(where(n) for n in changes) or "the defaults"
        raise pytest.UsageError(f"{exc} (set by {names})") from None
    return options


# ---------------------------------------------------------------------------- pytest hooks
def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    from . import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup(
        "connectviews", "pytest-connectviews (fake Connect views, Image Builder)"
    )
    defaults = Options()
    for name in _NAMES:
        flag = "--connectviews-" + name.replace("_", "-")
        dest = "connectviews_" + name
        default = getattr(defaults, name)
        shown = str(default).lower() if isinstance(default, bool) else default
        help_text = f"{_HELP[name]} (default: {shown})"
        if name in _BOOLS:
            group.addoption(
                flag, action="store_const", const=True, default=None, dest=dest, help=help_text
            )
            group.addoption(
                "--connectviews-no-" + name.replace("_", "-"),
                action="store_const",
                const=False,
                dest=dest,
                help=f"the opposite of {flag}",
            )
            parser.addini(dest, help_text, type="bool", default=None)  # None: not set
        else:
            group.addoption(
                flag, action="store", default=None, dest=dest, metavar=name.upper(), help=help_text
            )
            parser.addini(dest, help_text, type="string", default="")
    group.addoption(
        "--connectviews-report",
        action="store",
        nargs="?",
        const="",
        default=None,
        dest="connectviews_report",
        metavar="PATH.json",
        help="at the end of the session, list every operation the suite called, its outcomes "
        "and the modeled errors no test produced; with =PATH.json also write them as JSON "
        "(default: off)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "connectviews(*, region=..., account_id=..., strict_instances=..., passthrough=..., "
        "real_sleeps=..., allow_distribution_workflows=..., check_flow_references=..., "
        "assert_all_errors_used=..., assert_all_calls_handled=..., seed=..., guard=..., "
        "virtual_sleep=...): run "
        "this test with an active "
        "pytest-connectviews fake (the `connectviews` fixture), with these options.",
    )
    ini: dict[str, object] = {}
    for name in _NAMES:
        key = "connectviews_" + name
        try:
            value = config.getini(key)  # None: a boolean that is not set
        except (ValueError, TypeError, pytest.UsageError) as exc:  # a bool pytest cannot read
            got = str(exc).rsplit("invalid truth value ", 1)[-1]
            raise pytest.UsageError(
                f"connectviews: ini option {key} must be a boolean (true/false, yes/no, 1/0, "
                f"on/off), got {got}"
            ) from None
        if isinstance(value, bool) or (isinstance(value, str) and value.strip()):
            ini[name] = value.strip() if isinstance(value, str) else value
    options = _resolve(Options(), ini, lambda n: f"ini option connectviews_{n}")
    cli = {}
    for name in _NAMES:
        value = config.getoption("connectviews_" + name)
        if value is not None:
            cli[name] = value
    config.stash[_config_key] = _resolve(
        options, cli, lambda n: "command line option --connectviews-" + n.replace("_", "-")
    )
    from . import recorder

    # this session's report only (an in-process pytester run inside another session counts apart)
    config.stash[_outer_tally_key] = recorder.tally
    recorder.tally = None
    report = config.getoption("connectviews_report", None)
    if report is not None:
        if report and not report.endswith(".json"):
            raise pytest.UsageError(
                f"connectviews: --connectviews-report takes a PATH.json (written as JSON), got "
                f"{report!r}. Write --connectviews-report=PATH.json, or put "
                "--connectviews-report last (terminal section only)."
            )
        from ._report import ReportPlugin

        config.pluginmanager.register(ReportPlugin(config, report or None), "connectviews-report")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _outer_tally_key in config.stash:
        from . import recorder

        recorder.tally = config.stash[_outer_tally_key]


def pytest_report_header(config: pytest.Config) -> str:
    return config.stash[_config_key].header()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker(_MARKER) is None:
            continue
        # a bad marker errors that test at set-up (in the fixture), not the session
        fixturenames = getattr(item, "fixturenames", None)
        if fixturenames is not None and _MARKER not in fixturenames:
            # the marker alone switches the fake on (as time-machine does); first, so that
            # other fixtures already talk to the fake
            fixturenames.insert(0, _MARKER)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, object, object]:
    guard = item.config.stash[_config_key].guard
    if item.get_closest_marker(_MARKER) is not None:
        with contextlib.suppress(pytest.UsageError):  # a bad marker errors that test at set-up
            guard = _options_for(item).guard
    if guard == "off":
        return (yield)
    from . import _transport

    _transport.guard_on(guard, item.nodeid)  # the seam sees requests while no fake is active
    try:
        return (yield)
    finally:
        _transport.guard_off()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    item.stash.setdefault(_reports_key, {})[report.when] = report
    return report


# ---------------------------------------------------------------------------- fixtures
def _options_for(item: pytest.Item) -> Options:
    values: dict[str, object] = {}
    for marker in item.iter_markers(_MARKER):  # closest first: the first value seen wins
        if marker.args:
            raise pytest.UsageError(
                f"connectviews: @pytest.mark.connectviews takes keyword arguments only, got "
                f"{marker.args!r} on {item.nodeid}. Valid options: {', '.join(_NAMES)}"
            )
        for key, value in marker.kwargs.items():
            values.setdefault(key, value)
    return _resolve(
        item.config.stash[_config_key],
        values,
        lambda n: f"@pytest.mark.connectviews({n}=...) on {item.nodeid}",
    )


@pytest.fixture
def connectviews(request: pytest.FixtureRequest) -> Iterator[FakeAWS]:
    """A fresh, active ``FakeAWS`` for this test; checked, stopped and reset afterwards.

    Configure it with ``@pytest.mark.connectviews(...)``, ``connectviews_*`` ini options or
    ``--connectviews-*`` flags; seed it from a ``conftest.py`` with ``pytest_connectviews_setup``.
    """
    __tracebackhide__ = True
    item: pytest.Item = request.node
    try:
        options = _options_for(item)
    except pytest.UsageError as exc:
        bad_marker = str(exc)
    else:
        bad_marker = ""
    if bad_marker:
        pytest.fail(bad_marker, pytrace=False)
    from .fake import FakeAWS

    fake = FakeAWS(**options.fake_kwargs())
    fake.start()
    try:
        ihook = item.ihook
        ihook.pytest_connectviews_setup(fake=fake, request=request)
        fake.calls._clear()  # the test starts with an empty call log
        _wire_hooks(fake, ihook)
        yield fake
        if not _failed(item):
            problems = []
            if options.assert_all_calls_handled:
                unhandled = fake.calls.filter(source="unhandled")
                if unhandled:
                    problems.append(_unhandled_message(unhandled))
            if options.assert_all_errors_used:
                unused: list[Any] = [*fake.unused_errors(), *fake.unused_responses()]
                if unused:
                    problems.append(_unused_message(unused))
            if problems:
                pytest.fail("\n\n".join(problems), pytrace=False)
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


# ---------------------------------------------------------------------------- helpers
def _failed(item: pytest.Item) -> bool:
    reports = item.stash.get(_reports_key, {})
    return any(r.failed for r in reports.values())


def _unhandled_message(unhandled: Any) -> str:
    from ._unhandled import advice

    seen: dict[tuple[str, str], int] = {}
    for call in unhandled:
        key = (call.service, call.operation)
        seen[key] = seen.get(key, 0) + 1
    lines = "\n".join(
        f"  - {service} {operation} ({count} attempt{'s' if count > 1 else ''}). "
        f"{advice(service, operation)}"
        for (service, operation), count in seen.items()
    )
    return (
        "connectviews: these calls were answered by nothing (UnhandledOperationError was raised, "
        "even if the code under test caught it):\n"
        f"{lines}\n"
        "A test that means to provoke this can switch the check off with "
        "@pytest.mark.connectviews(assert_all_calls_handled=False), the ini option "
        "connectviews_assert_all_calls_handled = false or "
        "--connectviews-no-assert-all-calls-handled."
    )


def _unused_message(unused: list[Any]) -> str:
    lines = "\n".join(f"  - {rule.describe()}" for rule in unused)
    return (
        "connectviews: these injected errors or canned responses were never used by a request:\n"
        f"{lines}\n"
        "Check the operation name, service and params of each rule, or call rule.remove() when "
        "a rule is optional. To switch this check off, use "
        "@pytest.mark.connectviews(assert_all_errors_used=False), the ini option "
        "connectviews_assert_all_errors_used = false or --connectviews-no-assert-all-errors-used."
    )


def _wire_hooks(fake: FakeAWS, ihook: Any) -> None:
    call_hook = ihook.pytest_connectviews_call
    if call_hook.get_hookimpls():

        def observe(call: Call) -> None:
            call_hook(call=call, fake=fake)

        fake._observe(observe)
    error_hook = ihook.pytest_connectviews_error
    if error_hook.get_hookimpls():

        def decide(
            ctx: RequestContext, params: Mapping[str, Any], attempt: int
        ) -> ServiceError | None:
            result = error_hook(
                fake=fake,
                service=ctx.service,
                operation=ctx.operation,
                params=MappingProxyType(dict(params)),
                attempt=attempt,
            )
            return _decision(result, ctx)

        fake._decide(decide)


_INVALID_DECISION = (
    "connectviews: the pytest_connectviews_error hook returned {result!r}. Return None to let the "
    "request through, an error code string, a (code, message) tuple of strings, or a "
    "pytest_connectviews.ServiceError."
)


def _decision(result: object, ctx: RequestContext) -> ServiceError | None:
    if result is None:
        return None
    if isinstance(result, ServiceError):
        error = result
    elif isinstance(result, str):
        error = ServiceError(
            result, f"{result} returned by the pytest_connectviews_error hook for {ctx.operation}"
        )
    elif (
        isinstance(result, tuple)
        and len(result) == 2
        and isinstance(result[0], str)
        and isinstance(result[1], str)
    ):
        error = ServiceError(result[0], result[1])
    else:
        raise pytest.UsageError(_INVALID_DECISION.format(result=result))
    from .wire import codec_for

    codec = codec_for(ctx.service)
    if not codec.is_modeled_error(error.code):
        raise pytest.UsageError(
            f"connectviews: the pytest_connectviews_error hook returned error code "
            f"{error.code!r} for {ctx.service} {ctx.operation}, which {ctx.service} does not "
            f"model. Valid codes: {', '.join(codec.error_codes())}"
        )
    return error
