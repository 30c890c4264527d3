"""The connectviews marker, ini options, CLI flags, report header and load cost (pytester)."""

from __future__ import annotations

# pytester's in-process runs drop the modules first imported inside them, and with them the
# patched botocore classes and boto3's default session: import them out here, once.
import boto3  # noqa: F401
import botocore.endpoint
import botocore.retries.bucket
import botocore.signers  # noqa: F401
import pytest

# Inner runs: no random order; hypothesis' plugin re-imports hypothesis in every run (seconds).
QUIET = ("-p", "no:randomly", "-p", "no:hypothesispytest", "-p", "no:benchmark")

FAKE_IN_TEST = """
import boto3  # noqa: F401
import pytest

def test_it(connectviews):
    print("EFFECTIVE", connectviews.region, connectviews.account_id,
          connectviews.strict_instances, connectviews.passthrough, connectviews.real_sleeps)
"""


def effective(result: pytest.RunResult) -> str:
    for line in result.outlines:
        if "EFFECTIVE" in line:
            return line[line.index("EFFECTIVE") + len("EFFECTIVE ") :]
    raise AssertionError(f"no EFFECTIVE line in:\n{result.stdout.str()}")


def test_the_marker_alone_switches_the_fake_on(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3
        import pytest
        from pytest_connectviews import _transport

        @pytest.mark.connectviews(region="eu-west-1")
        def test_marked(request):
            # no fixture requested and no credentials: still answered by the fake
            connect = boto3.client("connect", region_name="eu-west-1")
            views = connect.list_views(InstanceId="00000000-0000-0000-0000-000000000000")
            assert {v["Type"] for v in views["ViewsSummaryList"]} == {"AWS_MANAGED"}
            fake = request.getfixturevalue("connectviews")
            assert fake.calls.operations == ["ListViews"]
            assert fake.region == "eu-west-1"

        def test_unmarked():
            assert _transport.current is None
        """
    )
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(passed=2)


def test_fixture_defaults(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(FAKE_IN_TEST)
    result = pytester.runpytest("-s", *QUIET)
    result.assert_outcomes(passed=1)
    assert effective(result) == "us-east-1 123456789012 False True False"


def test_markers_merge_closest_first(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.connectviews(strict_instances=True, region="ap-south-1")

        @pytest.mark.connectviews(region="eu-west-1", account_id="111122223333")
        class TestViews:
            @pytest.mark.connectviews(region="eu-central-1")
            def test_method(self, connectviews):
                assert connectviews.region == "eu-central-1"
                assert connectviews.account_id == "111122223333"
                assert connectviews.strict_instances is True

            def test_class_level(self, connectviews):
                assert connectviews.region == "eu-west-1"

        def test_module_level(connectviews):
            assert connectviews.region == "ap-south-1"
            assert connectviews.account_id == "123456789012"
        """
    )
    pytester.runpytest(*QUIET).assert_outcomes(passed=3)


def test_ini_options_set_the_defaults(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        """
        [pytest]
        connectviews_region = ap-southeast-2
        connectviews_account_id = 444455556666
        connectviews_strict_instances = yes
        connectviews_passthrough = false
        connectviews_real_sleeps = 0
        """
    )
    pytester.makepyfile(FAKE_IN_TEST)
    result = pytester.runpytest("-s", *QUIET)
    result.assert_outcomes(passed=1)
    assert effective(result) == "ap-southeast-2 444455556666 True False False"


def test_cli_wins_over_ini_and_the_marker_wins_over_both(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        """
        [pytest]
        connectviews_region = ap-southeast-2
        connectviews_passthrough = false
        """
    )
    pytester.makepyfile(
        FAKE_IN_TEST
        + """
@pytest.mark.connectviews(region="ca-central-1", strict_instances=False)
def test_marked(connectviews):
    assert connectviews.region == "ca-central-1"
    assert connectviews.strict_instances is False
    assert connectviews.passthrough is True
"""
    )
    result = pytester.runpytest(
        "-s",
        *QUIET,
        "--connectviews-region=sa-east-1",
        "--connectviews-passthrough",
        "--connectviews-strict-instances",
        "--connectviews-real-sleeps",
    )
    result.assert_outcomes(passed=2)
    assert effective(result) == "sa-east-1 123456789012 True True True"


def test_no_flags_turn_booleans_off(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(FAKE_IN_TEST)
    result = pytester.runpytest("-s", *QUIET, "--connectviews-no-passthrough")
    assert effective(result) == "us-east-1 123456789012 False False False"


def test_report_header_shows_the_effective_settings(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nconnectviews_region = eu-north-1\n")
    pytester.makepyfile("def test_nothing(): pass")
    result = pytester.runpytest(*QUIET, "--connectviews-no-passthrough")
    result.stdout.fnmatch_lines(
        [
            "connectviews: region=eu-north-1, account_id=123456789012, strict_instances=False, "
            "passthrough=False, real_sleeps=False, allow_distribution_workflows=True, "
            "check_flow_references=True, assert_all_errors_used=True, "
            "assert_all_calls_handled=True, seed=0, guard=off, virtual_sleep=False"
        ]
    )


def test_passthrough_off_blocks_other_services(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3
        import pytest
        from pytest_connectviews import BlockedRequestError

        @pytest.mark.connectviews(passthrough=False)
        def test_blocked():
            s3 = boto3.client("s3", region_name="us-east-1", aws_access_key_id="a",
                              aws_secret_access_key="b")
            with pytest.raises(BlockedRequestError, match="connectviews: a request to AWS service"):
                s3.list_buckets()
        """
    )
    pytester.runpytest(*QUIET).assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("ini", "args", "message"),
    [
        (
            "connectviews_strict_instances = maybe",
            [],
            "ERROR: connectviews: ini option connectviews_strict_instances must be a boolean "
            "(true/false, yes/no, 1/0, on/off), got 'maybe'",
        ),
        (
            "",
            ["--connectviews-region=Moon"],
            "ERROR: connectviews: region must look like 'us-east-1', got 'Moon' "
            "(set by command line option --connectviews-region)",
        ),
        (
            "connectviews_account_id = 42",
            [],
            "ERROR: connectviews: account_id must be 12 digits as a string, got '42' "
            "(set by ini option connectviews_account_id)",
        ),
    ],
)
def test_bad_ini_and_cli_values_are_usage_errors(
    pytester: pytest.Pytester, ini: str, args: list[str], message: str
) -> None:
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile("def test_nothing(): pass")
    result = pytester.runpytest(*QUIET, *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        (
            "connectviews(regoin='eu-west-1')",
            "connectviews: unknown option(s) regoin in "
            "@pytest.mark.connectviews(regoin=...) on test_bad_marker.py::test_it. "
            "Valid options: region, account_id, strict_instances, passthrough, real_sleeps, "
            "allow_distribution_workflows, check_flow_references, assert_all_errors_used, "
            "assert_all_calls_handled, seed, guard, virtual_sleep",
        ),
        (
            "connectviews('eu-west-1')",
            "connectviews: @pytest.mark.connectviews takes keyword arguments only, "
            "got ('eu-west-1',) on test_bad_marker.py::test_it. Valid options: *",
        ),
        (
            "connectviews(strict_instances='sometimes')",
            "connectviews: @pytest.mark.connectviews(strict_instances=...) on "
            "test_bad_marker.py::test_it must be a boolean *, got 'sometimes'",
        ),
        (
            "connectviews(region=1)",
            "connectviews: @pytest.mark.connectviews(region=...) on "
            "test_bad_marker.py::test_it must be a string, got 1",
        ),
    ],
)
def test_a_bad_marker_errors_that_test_at_setup_and_the_others_run(
    pytester: pytest.Pytester, marker: str, message: str
) -> None:
    pytester.makepyfile(
        test_bad_marker=f"""
        import pytest

        @pytest.mark.{marker}
        def test_it():
            pass

        def test_other(connectviews):
            pass

        @pytest.mark.connectviews(region="eu-west-1")
        def test_good_marker(connectviews):
            assert connectviews.region == "eu-west-1"
        """
    )
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at setup of test_it*", message])
    assert "plugin.py" not in result.stdout.str()  # no plugin frames


def test_a_bad_marker_on_a_deselected_test_does_not_abort_the_session(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.connectviews(regoin="eu-west-1")
        def test_typo():
            pass

        def test_fine():
            pass
        """
    )
    result = pytester.runpytest(*QUIET, "-k", "fine")
    result.assert_outcomes(passed=1, deselected=1)
    assert result.ret == pytest.ExitCode.OK


def test_marker_is_registered_for_strict_markers(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(FAKE_IN_TEST)
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(
        ["@pytest.mark.connectviews(*, region=*assert_all_errors_used=*assert_all_calls_handled=*"]
    )


def test_help_shows_each_default_and_ini_booleans_are_booleans(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--help")
    out = result.stdout.str()
    for flag, default in [
        ("--connectviews-region=REGION", "us-east-1"),
        ("--connectviews-account-id=ACCOUNT_ID", "123456789012"),
        ("--connectviews-strict-instances", "false"),
        ("--connectviews-passthrough", "true"),
        ("--connectviews-assert-all-calls-handled", "true"),
    ]:
        section = out.split(flag, 1)[1].split("--connectviews-", 1)[0]
        assert f"(default: {default})" in " ".join(section.split()), flag
    result.stdout.fnmatch_lines(["*connectviews_region (string):*"])
    result.stdout.fnmatch_lines(["*connectviews_strict_instances (bool):*"])


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [("yes", True), ("on", True), ("1", True), ("TRUE", True), ("off", False), ("0", False)],
)
def test_ini_booleans_keep_their_spellings(
    pytester: pytest.Pytester, spelling: str, expected: bool
) -> None:
    pytester.makeini(f"[pytest]\nconnectviews_strict_instances = {spelling}\n")
    pytester.makepyfile(
        f"""
        def test_it(connectviews):
            assert connectviews.strict_instances is {expected}
        """
    )
    pytester.runpytest(*QUIET).assert_outcomes(passed=1)


def test_loading_the_plugin_does_not_import_botocore(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import sys

        def pytest_sessionstart(session):
            heavy = [m for m in ("botocore", "boto3", "regex", "yaml") if m in sys.modules]
            print("HEAVY", heavy)
        """
    )
    pytester.makepyfile("def test_nothing(): pass")
    result = pytester.runpytest_subprocess("-s", *QUIET, "-p", "no:xdist")
    result.stdout.fnmatch_lines(["HEAVY []"])
    result.stdout.fnmatch_lines(["connectviews: region=us-east-1*"])
