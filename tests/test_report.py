"""``--connectviews-report[=PATH.json]``: the calls per operation and the untested errors."""

from __future__ import annotations

import importlib.util
import json

import pytest

QUIET = ("-p", "no:randomly", "-p", "no:hypothesispytest")

SUITE = """
    import boto3, pytest

    CONTENT = {"Template": "{}", "Actions": []}

    @pytest.mark.parametrize("n", range(3))
    def test_duplicate(connectviews, n):
        connect = boto3.client("connect", region_name="us-east-1")
        connect.create_view(InstanceId="i-1", Name="Same", Status="SAVED", Content=CONTENT)
        with pytest.raises(connect.exceptions.DuplicateResourceException):
            connect.create_view(InstanceId="i-1", Name="Same", Status="SAVED", Content=CONTENT)

    def test_canned_and_throttled(connectviews):
        connect = boto3.client("connect", region_name="us-east-1")
        connectviews.add_response("ListQueues", {"QueueSummaryList": []})
        connectviews.inject_error("ListQueues", "ThrottlingException", times=1)
        connect.list_queues(InstanceId="i-1")
"""


def test_the_report_names_the_error_paths_no_test_produced(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SUITE)
    result = pytester.runpytest(*QUIET, "--connectviews-report=out/report.json")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(
        [
            "*= connectviews report =*",
            "connect CreateView: 6 client call(s), 6 attempt(s)",
            "    200 ok: backend 3",
            "    409 DuplicateResourceException: backend 3",
            "    never produced: AccessDeniedException, InternalServiceException, "
            "InvalidParameterException, InvalidRequestException, ResourceInUseException, "
            "ResourceNotFoundException, ServiceQuotaExceededException, TooManyRequestsException",
            "connect ListQueues: 1 client call(s), 2 attempt(s)",
            "    200 ok: canned 1",
            "    429 ThrottlingException: injected 1",
            "2 operation(s) called; * modeled error path(s) no test produced",
            "connectviews: report written to out/report.json",
        ]
    )
    data = json.loads((pytester.path / "out" / "report.json").read_text())
    create = next(op for op in data["operations"] if op["operation"] == "CreateView")
    assert (create["client_calls"], create["attempts"]) == (6, 6)
    assert "ServiceQuotaExceededException" in create["untested_errors"]
    assert "DuplicateResourceException" not in create["untested_errors"]
    assert {
        "status": 409,
        "error_code": "DuplicateResourceException",
        "source": "backend",
        "count": 3,
    } in create["outcomes"]
    queues = next(op for op in data["operations"] if op["operation"] == "ListQueues")
    # an injected error counts as produced: the code's error path ran
    assert "ThrottlingException" not in queues["untested_errors"]
    assert "InternalServiceException" in queues["untested_errors"]


def test_without_the_option_there_is_no_report(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SUITE)
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(passed=4)
    assert "connectviews report" not in result.stdout.str()


def test_a_report_path_must_be_json(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_x(): pass")
    result = pytester.runpytest(*QUIET, "--connectviews-report", "tests/")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: connectviews: --connectviews-report takes a PATH.json*"])


def test_the_report_merges_the_xdist_workers(pytester: pytest.Pytester) -> None:
    if importlib.util.find_spec("xdist") is None:
        pytest.fail("connectviews: this test needs pytest-xdist (the 'test' extra)", pytrace=False)
    pytester.makepyfile(SUITE)
    result = pytester.runpytest_subprocess(*QUIET, "-n", "2", "--connectviews-report=r.json")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(
        ["*= connectviews report =*", "connect CreateView: 6 client call(s), 6 attempt(s)"]
    )
    assert result.stdout.str().count("connectviews report") == 1
    data = json.loads((pytester.path / "r.json").read_text())
    assert sum(op["attempts"] for op in data["operations"]) == 8


def test_an_inner_session_is_not_counted_in_the_outer_report(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3

        pytest_plugins = ["pytester"]

        def test_outer(connectviews, pytester):
            boto3.client("connect", region_name="us-east-1").list_views(InstanceId="i-1")
            pytester.makepyfile(
                "import boto3\\n"
                "def test_inner(connectviews):\\n"
                "    c = boto3.client('connect', region_name='us-east-1')\\n"
                "    c.create_view(InstanceId='i', Name='n', Status='SAVED',\\n"
                "                  Content={'Template': '{}', 'Actions': []})\\n"
            )
            pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=1)
            boto3.client("connect", region_name="us-east-1").list_views(InstanceId="i-1")
        """
    )
    result = pytester.runpytest(*QUIET, "--connectviews-report")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["connect ListViews: 2 client call(s), 2 attempt(s)"])
    assert "CreateView" not in result.stdout.str()
