"""The teardown check: injected errors that no request used fail the test (pytester)."""

from __future__ import annotations

# pytester's in-process runs drop the modules first imported inside them, and with them the
# patched botocore classes and boto3's default session: import them out here, once.
import boto3  # noqa: F401
import botocore.endpoint
import botocore.retries.bucket
import botocore.signers  # noqa: F401
import pytest

QUIET = ("-p", "no:randomly", "-p", "no:hypothesispytest", "-p", "no:benchmark")

UNUSED = """
import boto3  # noqa: F401
import pytest

{marker}
def test_unused(connectviews):
    connectviews.inject_error("DescribeView", "ResourceNotFoundException", times=2)
    connectviews.inject_error(
        "ListViews", "TooManyRequestsException", params={{"Type": "AWS_MANAGED"}}
    )
    connect = boto3.client("connect", region_name="us-east-1")
    connect.list_views(InstanceId=connectviews.add_instance())
    {tail}
"""


def test_unused_injected_errors_fail_the_test_at_teardown(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(UNUSED.format(marker="", tail=""))
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_unused*",
            "connectviews: these injected errors or canned responses were never used by a request:",
            "  - inject_error('DescribeView', 'ResourceNotFoundException', times=2, "
            "service='connect')",
            "  - inject_error('ListViews', 'TooManyRequestsException', times=1, "
            "service='connect', params={'Type': 'AWS_MANAGED'})",
            "Check the operation name, service and params of each rule, or call rule.remove() "
            "when a rule is optional. To switch this check off, use "
            "@pytest.mark.connectviews(assert_all_errors_used=False), the ini option "
            "connectviews_assert_all_errors_used = false or "
            "--connectviews-no-assert-all-errors-used.",
        ],
        consecutive=True,
    )


def test_used_removed_and_unlimited_rules_pass(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3
        from botocore.config import Config

        def test_used(connectviews):
            connect = boto3.client("connect", region_name="us-east-1")
            connectviews.inject_error("ListViews", "TooManyRequestsException", times=2)
            connectviews.inject_error("DeleteView", "InternalServiceException", times=None)
            optional = connectviews.inject_error("DescribeView", "InternalServiceException")
            optional.remove()
            connect.list_views(InstanceId=connectviews.add_instance())
        """
    )
    pytester.runpytest(*QUIET).assert_outcomes(passed=1)


def test_the_check_is_skipped_when_the_test_already_failed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(UNUSED.format(marker="", tail="raise ValueError('the real failure')"))
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["E   *ValueError: the real failure"])
    result.stdout.no_fnmatch_line("*never used by a request*")


@pytest.mark.parametrize(
    ("marker", "ini", "args"),
    [
        ("@pytest.mark.connectviews(assert_all_errors_used=False)", "", ()),
        ("", "connectviews_assert_all_errors_used = false", ()),
        ("", "", ("--connectviews-no-assert-all-errors-used",)),
    ],
)
def test_the_check_can_be_switched_off(
    pytester: pytest.Pytester, marker: str, ini: str, args: tuple[str, ...]
) -> None:
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile(UNUSED.format(marker=marker, tail=""))
    pytester.runpytest(*QUIET, *args).assert_outcomes(passed=1)


def test_the_marker_switches_the_check_back_on(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nconnectviews_assert_all_errors_used = false\n")
    pytester.makepyfile(
        UNUSED.format(marker="@pytest.mark.connectviews(assert_all_errors_used=True)", tail="")
    )
    pytester.runpytest(*QUIET).assert_outcomes(passed=1, errors=1)


def test_the_fake_is_stopped_and_reset_after_each_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from pytest_connectviews import _transport

        seen = []

        @pytest.mark.parametrize("n", [1, 2])
        def test_fresh(connectviews, n):
            assert _transport.current is connectviews._pipeline
            assert len(connectviews.calls) == 0
            connectviews.set_quota("connect.views_per_instance", n)
            seen.append(connectviews)

        def test_after():
            assert _transport.current is None
            assert not seen[0].active
            assert seen[0].quota("connect.views_per_instance") is None
            assert seen[0] is not seen[1]
        """
    )
    pytester.runpytest(*QUIET).assert_outcomes(passed=3)
