"""Option ``guard``: a connect/imagebuilder request made while no fake is active warns or fails.

And the seam's own loud failure: an internal it patches that is missing means an error at
activation, never a request sent to AWS with half the patches in place.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

QUIET = ("-p", "no:randomly", "-p", "no:hypothesispytest", "-p", "no:benchmark")

FORGOT_THE_FIXTURE = """
import boto3
import pytest
from botocore.config import Config

# a closed local port: with the guard off, the request really is sent (and refused quickly)
OFFLINE = dict(
    region_name="us-east-1",
    endpoint_url="http://127.0.0.1:9",
    aws_access_key_id="AKIDEXAMPLE",
    aws_secret_access_key="secret",
    config=Config(retries={"total_max_attempts": 1}, connect_timeout=1),
)

def test_forgot_the_fixture():
    connect = boto3.client("connect", **OFFLINE)
    connect.list_views(InstanceId="11111111-2222-3333-4444-555555555555")

def test_other_services_are_not_guarded():
    s3 = boto3.client("s3", **OFFLINE)
    with pytest.raises(Exception) as exc:
        s3.list_buckets()
    assert "connectviews" not in str(exc.value)

def test_with_the_fixture(connectviews):
    boto3.client("imagebuilder", region_name="us-east-1").list_workflows()
"""


def test_guard_error_fails_the_test_naming_it(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_guarded=FORGOT_THE_FIXTURE)
    result = pytester.runpytest(*QUIET, "--connectviews-guard=error")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*UnfakedRequestError: connectviews: a connect request (http://127.0.0.1:9/*) was "
            "made while no fake is active, in test_guarded.py::test_forgot_the_fixture; it would "
            "have gone to AWS. Add the `connectviews` fixture*",
        ]
    )


def test_guard_warn_warns_and_lets_the_request_go(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_guarded=FORGOT_THE_FIXTURE)
    pytester.makeini("[pytest]\nconnectviews_guard = warn\nfilterwarnings = default\n")
    result = pytester.runpytest(*QUIET)
    # the request went out (to the closed port) after the warning
    result.assert_outcomes(passed=2, failed=1, warnings=1)
    result.stdout.fnmatch_lines(
        ["*EndpointConnectionError*", "*UnfakedRequestWarning: connectviews: a connect request*"]
    )


def test_guard_off_is_the_default(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_guarded=FORGOT_THE_FIXTURE)
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*EndpointConnectionError*"])
    result.stdout.no_fnmatch_line("*connectviews: a connect request*")


def test_guard_error_without_credentials_fails_before_signing(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3

        def test_no_credentials(monkeypatch, tmp_path):
            for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
                monkeypatch.delenv(name, raising=False)
            monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
            monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
            monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
            # a session of its own: boto3's default one may hold credentials of earlier tests
            client = boto3.Session().client("imagebuilder", region_name="eu-west-1")
            client.list_workflows()
        """
    )
    result = pytester.runpytest(*QUIET, "--connectviews-guard=error")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*UnfakedRequestError: connectviews: a imagebuilder request (imagebuilder in eu-west-1)*"]
    )
    result.stdout.no_fnmatch_line("*NoCredentialsError*")


def test_a_bad_guard_value_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing(): pass")
    result = pytester.runpytest(*QUIET, "--connectviews-guard=loud")
    result.stderr.fnmatch_lines(
        ["*connectviews: guard must be one of off, warn, error, got 'loud'*"]
    )


def test_a_missing_botocore_internal_fails_loudly_at_activation() -> None:
    """A planted incompatibility: the seam refuses to start instead of leaking requests."""
    script = textwrap.dedent(
        """
        import botocore.retryhandler
        import botocore.endpoint
        import pytest_connectviews
        from pytest_connectviews import FakeAWS, SeamError

        original_send = botocore.endpoint.Endpoint._send
        del botocore.retryhandler.delay_exponential
        try:
            FakeAWS().start()
        except SeamError as exc:
            assert botocore.endpoint.Endpoint._send is original_send, "patched anyway"
            print(exc)
        else:
            raise SystemExit("started")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert done.stdout.startswith("connectviews: cannot fake requests with the installed botocore")
    assert "botocore.retryhandler.delay_exponential is missing" in done.stdout
