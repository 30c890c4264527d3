"""pytest_connectviews_* hooks implemented in a user's conftest.py (pytester)."""

from __future__ import annotations

# pytester's in-process runs drop the modules first imported inside them, and with them the
# patched botocore classes and boto3's default session: import them out here, once.
import boto3  # noqa: F401
import botocore.endpoint
import botocore.retries.bucket
import botocore.signers
import pytest

QUIET = ("-p", "no:randomly", "-p", "no:hypothesispytest", "-p", "no:benchmark")

CLIENT = """
import boto3
from botocore.config import Config

def connect(attempts=1):
    config = Config(retries={"mode": "standard", "total_max_attempts": attempts})
    return boto3.client("connect", region_name="us-east-1", config=config)
"""


def test_setup_hook_seeds_every_new_fake(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import boto3

        INSTANCE = "11111111-2222-3333-4444-555555555555"

        def pytest_connectviews_setup(fake, request):
            fake.add_instance(INSTANCE)
            fake.set_quota("connect.views_per_instance", 1)
            connect = boto3.client("connect", region_name=fake.region)
            name = request.node.name.replace("[", "-").rstrip("]")
            connect.create_view(InstanceId=INSTANCE, Name=name, Status="SAVED",
                                Content={"Template": "{}", "Actions": []})
        """
    )
    pytester.makepyfile(
        """
        import boto3
        import pytest
        from conftest import INSTANCE

        @pytest.mark.parametrize("n", [1, 2])
        def test_seeded(connectviews, n):
            assert len(connectviews.calls) == 0  # seeding calls are not in the test's log
            connect = boto3.client("connect", region_name="us-east-1")
            views = connect.list_views(InstanceId=INSTANCE, Type="CUSTOMER_MANAGED")
            assert [v["Name"] for v in views["ViewsSummaryList"]] == [f"test_seeded-{n}"]
            with pytest.raises(connect.exceptions.ServiceQuotaExceededException):
                connect.create_view(InstanceId=INSTANCE, Name="two", Status="SAVED",
                                    Content={"Template": "{}", "Actions": []})
            assert connectviews.calls.operations == ["ListViews", "CreateView"]
        """
    )
    pytester.runpytest(*QUIET).assert_outcomes(passed=2)


def test_hooks_follow_conftest_scoping(pytester: pytest.Pytester) -> None:
    pytester.mkpydir("api")  # a package, so that both test files may share a basename scheme
    pytester.path.joinpath("api", "conftest.py").write_text(
        "def pytest_connectviews_setup(fake):\n    fake.set_quota('connect.versions_per_view', 3)\n"
    )
    pytester.path.joinpath("api", "test_api.py").write_text(
        "def test_api(connectviews):\n"
        "    assert connectviews.quota('connect.versions_per_view') == 3\n"
    )
    pytester.makepyfile(
        test_other="""
        def test_other(connectviews):
            assert connectviews.quota("connect.versions_per_view") is None
        """
    )
    pytester.runpytest(*QUIET).assert_outcomes(passed=2)


def test_call_hook_sees_every_attempt(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        SEEN = []

        def pytest_connectviews_call(call, fake):
            SEEN.append((call.operation, call.attempt, call.source, fake.account_id))
        """
    )
    pytester.makepyfile(
        CLIENT
        + """
from conftest import SEEN

def test_observed(connectviews):
    connectviews.inject_error("ListViews", "TooManyRequestsException")
    connect(attempts=3).list_views(InstanceId=connectviews.add_instance())
    assert SEEN == [
        ("ListViews", 1, "injected", "123456789012"),
        ("ListViews", 2, "backend", "123456789012"),
    ]
"""
    )
    pytester.runpytest(*QUIET).assert_outcomes(passed=1)


def test_error_hook_injects_errors_per_attempt(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        from pytest_connectviews import ServiceError

        def pytest_connectviews_error(fake, service, operation, params, attempt):
            if operation == "ListViews" and attempt == 1:
                return "TooManyRequestsException"
            if operation == "DescribeView":
                return ("AccessDeniedException", "no describing here")
            if operation == "DeleteView":
                return ServiceError("ResourceInUseException", "busy")
            return None
        """
    )
    pytester.makepyfile(
        CLIENT
        + """
import pytest

def test_decided(connectviews):
    instance = connectviews.add_instance()
    connect(attempts=3).list_views(InstanceId=instance)  # retried after attempt 1
    assert [(c.attempt, c.source) for c in connectviews.calls] == [(1, "injected"), (2, "backend")]
    client = connect()
    with pytest.raises(client.exceptions.AccessDeniedException, match="no describing here"):
        client.describe_view(InstanceId=instance, ViewId="v")
    with pytest.raises(client.exceptions.ResourceInUseException, match="busy"):
        client.delete_view(InstanceId=instance, ViewId="v")
    assert connectviews.calls.last.status_code == 409
"""
    )
    pytester.runpytest(*QUIET).assert_outcomes(passed=1)


def test_closest_error_hook_wins(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        "def pytest_connectviews_error(operation):\n    return 'InternalServiceException'\n"
    )
    pytester.mkpydir("inner")
    pytester.path.joinpath("inner", "conftest.py").write_text(
        "def pytest_connectviews_error(operation):\n    return 'AccessDeniedException'\n"
    )
    pytester.path.joinpath("inner", "test_inner.py").write_text(
        CLIENT + "import pytest\n"
        "def test_inner(connectviews):\n"
        "    client = connect()\n"
        "    with pytest.raises(client.exceptions.AccessDeniedException):\n"
        "        client.list_views(InstanceId=connectviews.add_instance())\n"
    )
    pytester.runpytest(*QUIET).assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("returned", "message"),
    [
        (
            "42",
            "*UsageError: connectviews: the pytest_connectviews_error hook returned 42. Return "
            "None to let the request through, an error code string, a (code, message) tuple of "
            "strings, or a pytest_connectviews.ServiceError.",
        ),
        (
            "('TooManyRequestsException',)",
            "*UsageError: connectviews: the pytest_connectviews_error hook returned "
            "('TooManyRequestsException',). Return None*",
        ),
        (
            "'SlowDownException'",
            "*UsageError: connectviews: the pytest_connectviews_error hook returned error code "
            "'SlowDownException' for connect ListViews, which connect does not model. "
            "Valid codes: AccessDeniedException, *",
        ),
    ],
)
def test_invalid_error_hook_results_are_usage_errors(
    pytester: pytest.Pytester, returned: str, message: str
) -> None:
    pytester.makeconftest(f"def pytest_connectviews_error():\n    return {returned}\n")
    pytester.makepyfile(
        CLIENT
        + """
def test_bad_hook(connectviews):
    connect().list_views(InstanceId=connectviews.add_instance())
"""
    )
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([message])


def test_hook_implementations_are_validated_against_the_specs(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("def pytest_connectviews_setup(fake, nonsense):\n    pass\n")
    pytester.makepyfile("def test_nothing(): pass")
    result = pytester.runpytest(*QUIET)
    assert result.ret != pytest.ExitCode.OK
    output = "\n".join(result.outlines + result.errlines)
    assert "for hook 'pytest_connectviews_setup'" in output
    assert "nonsense" in output


def test_without_hook_implementations_nothing_is_wired(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_plain(connectviews):
            assert connectviews._pipeline.gate.deciders == []
        """
    )
    pytester.runpytest(*QUIET).assert_outcomes(passed=1)


del botocore  # imported above only to keep the modules loaded
