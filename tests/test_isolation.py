"""Nothing leaks: between tests, regions, accounts, after ``reset()``, under xdist, random order."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from pytest_connectviews import FakeAWS

INSTANCE = "1501a7ed-0000-4000-8000-000000000001"
LEAK_NAME = "leak-check"
DOC = "schemaVersion: 1.0\nsteps:\n  - name: Wait\n    action: WaitForAction\n"


def content() -> dict[str, Any]:
    return {"Template": '{"Head":{},"Body":[]}', "Actions": []}


def customer_views(api: Any, instance: str = INSTANCE) -> list[str]:
    views = api.list_views(InstanceId=instance, Type="CUSTOMER_MANAGED")["ViewsSummaryList"]
    return [v["Name"] for v in views]


# ---------------------------------------------------------------------------- between tests
# The two tests below are the same: each asserts a clean fake, then leaves state, calls, an
# injected error, a throttle, a quota and an advanced clock behind. Whichever runs second fails
# if anything leaked from the first.
def _leave_state_behind(fake: FakeAWS, connect: Any) -> None:
    assert customer_views(connect) == []
    assert len(fake.calls) == 1
    assert fake.quota("connect.views_per_instance") is None
    connect.create_view(InstanceId=INSTANCE, Name=LEAK_NAME, Status="SAVED", Content=content())
    fake.set_quota("connect.views_per_instance", 1)
    fake.inject_error("DescribeView", "AccessDeniedException", times=None)
    fake.throttle(rate=0, burst=0, service="connect", operation="ListViewVersions")
    fake.clock.advance(3600)


def test_state_does_not_leak_first(connectviews: FakeAWS, connect_client: Any) -> None:
    _leave_state_behind(connectviews, connect_client)


def test_state_does_not_leak_second(connectviews: FakeAWS, connect_client: Any) -> None:
    _leave_state_behind(connectviews, connect_client)


def test_fixture_fake_is_inactive_after_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3, pytest
        from pytest_connectviews import _transport

        kept = []

        def test_one(connectviews):
            kept.append(connectviews)
            assert _transport.current is connectviews._pipeline

        def test_two():
            assert kept[0].active is False
            assert _transport.current is None
            assert len(kept[0].calls) == 0
        """
    )
    pytester.runpytest_subprocess("-p", "no:randomly").assert_outcomes(passed=2)


# ---------------------------------------------------------------------------- regions and accounts
def test_same_instance_id_in_two_regions_is_two_instances(connectviews: FakeAWS) -> None:
    east = boto3.client("connect", region_name="us-east-1")
    west = boto3.client("connect", region_name="eu-west-1")
    view = east.create_view(InstanceId=INSTANCE, Name="same", Status="SAVED", Content=content())
    assert customer_views(west) == []
    # the same name is free in the other region, and each view's ARN carries its region
    other = west.create_view(InstanceId=INSTANCE, Name="same", Status="SAVED", Content=content())
    assert view["View"]["Arn"].startswith("arn:aws:connect:us-east-1:")
    assert other["View"]["Arn"].startswith("arn:aws:connect:eu-west-1:")
    with pytest.raises(west.exceptions.ResourceNotFoundException):
        west.describe_view(InstanceId=INSTANCE, ViewId=f"{view['View']['Id']}:$SAVED")
    east.delete_view(InstanceId=INSTANCE, ViewId=view["View"]["Id"])
    assert customer_views(east) == []
    assert customer_views(west) == ["same"]
    assert [c.region for c in connectviews.calls.filter(operation="CreateView")] == [
        "us-east-1",
        "eu-west-1",
    ]


def test_access_key_id_of_twelve_digits_selects_the_account(connectviews: FakeAWS) -> None:
    default = boto3.client("connect", region_name="us-east-1")
    other = boto3.client(
        "connect",
        region_name="us-east-1",
        aws_access_key_id="111122223333",
        aws_secret_access_key="x",
    )
    mine = other.create_view(InstanceId=INSTANCE, Name="acct", Status="SAVED", Content=content())
    assert mine["View"]["Arn"].startswith("arn:aws:connect:us-east-1:111122223333:instance/")
    assert customer_views(default) == []
    assert customer_views(other) == ["acct"]
    default.create_view(InstanceId=INSTANCE, Name="acct", Status="SAVED", Content=content())
    assert [c.account_id for c in connectviews.calls.filter(operation="CreateView")] == [
        "111122223333",
        connectviews.account_id,
    ]


def test_workflows_are_isolated_by_region_and_account(connectviews: FakeAWS) -> None:
    pytest.importorskip("pytest_connectviews.services.imagebuilder.workflows")
    east = boto3.client("imagebuilder", region_name="us-east-1")
    west = boto3.client("imagebuilder", region_name="eu-west-1")
    other = boto3.client(
        "imagebuilder",
        region_name="us-east-1",
        aws_access_key_id="111122223333",
        aws_secret_access_key="x",
    )
    arn = east.create_workflow(name="iso", semanticVersion="1.0.0", type="BUILD", data=DOC)[
        "workflowBuildVersionArn"
    ]
    assert west.list_workflows()["workflowVersionList"] == []
    assert other.list_workflows()["workflowVersionList"] == []
    for api in (west, other):
        with pytest.raises(api.exceptions.ClientError) as info:
            api.get_workflow(workflowBuildVersionArn=arn)
        assert info.value.response["Error"]["Code"] in {
            "ResourceNotFoundException",
            "InvalidParameterValueException",
            "ForbiddenException",
        }
    # the identical create in another region is a new build 1, not a duplicate
    west_arn = west.create_workflow(name="iso", semanticVersion="1.0.0", type="BUILD", data=DOC)[
        "workflowBuildVersionArn"
    ]
    assert west_arn == arn.replace("us-east-1", "eu-west-1")


# ---------------------------------------------------------------------------- reset
def test_reset_empties_everything() -> None:
    api = boto3.client("connect", region_name="us-east-1")
    with FakeAWS() as fake:
        fake.add_instance(INSTANCE)
        api.create_view(InstanceId=INSTANCE, Name="gone", Status="SAVED", Content=content())
        fake.set_quota("connect.views_per_instance", 1)
        rule = fake.inject_error("ListViews", "AccessDeniedException", times=None)
        fake.throttle(rate=0, burst=0, service="connect", operation="DescribeView")
        fake.clock.advance(1000)
        fake.clock.freeze()
        frozen_at = fake.clock.now()
        fake.reset()

        assert fake.active, "reset keeps the fake answering"
        assert len(fake.calls) == 0
        assert fake.quota("connect.views_per_instance") is None
        assert fake.unused_errors() == []
        assert (fake.clock.now() - frozen_at).total_seconds() < -900, "the clock offset is gone"
        # no instance is declared any more, so strict mode is off and the view is gone
        assert customer_views(api) == []
        assert customer_views(api, "any-other-instance") == []
        with pytest.raises(api.exceptions.ResourceNotFoundException):
            api.describe_view(InstanceId=INSTANCE, ViewId="arn:aws:connect:us-east-1:aws:view/x")
        assert rule.consumed == 0
        assert [c.operation for c in fake.calls] == ["ListViews", "ListViews", "DescribeView"]


# ---------------------------------------------------------------------------- xdist, random order
GENERATED_TEST = """
import boto3
import pytest

INSTANCE = "{instance}"


def content():
    return {{"Template": '{{"Head":{{}},"Body":[]}}', "Actions": []}}


@pytest.mark.parametrize("n", range(4))
def test_views_{i}(connectviews, n):
    api = boto3.client("connect", region_name="us-east-1")
    assert api.list_views(InstanceId=INSTANCE, Type="CUSTOMER_MANAGED")["ViewsSummaryList"] == []
    assert len(connectviews.calls) == 1
    api.create_view(InstanceId=INSTANCE, Name="shared-name", Status="SAVED", Content=content())
    connectviews.inject_error("ListViews", "AccessDeniedException", times=None)


@pytest.mark.connectviews(region="eu-west-1", account_id="210987654321")
def test_marker_{i}(connect_client, connectviews):
    assert connectviews.region == "eu-west-1"
    view = connect_client.create_view(
        InstanceId=INSTANCE, Name="shared-name", Status="SAVED", Content=content()
    )["View"]
    assert ":eu-west-1:" in view["Arn"]
    assert len(connectviews.calls) == 1
"""


@pytest.fixture
def generated_suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(
        **{f"test_gen_{i}": GENERATED_TEST.format(i=i, instance=INSTANCE) for i in range(3)}
    )
    return pytester


def test_generated_suite_passes_under_xdist(generated_suite: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    result = generated_suite.runpytest_subprocess("-p", "xdist", "-n", "2", "-p", "no:randomly")
    result.assert_outcomes(passed=15)
    result.stdout.fnmatch_lines(["*2 workers*"])


@pytest.mark.parametrize("seed", [1, 12345])
def test_generated_suite_passes_in_random_order(
    generated_suite: pytest.Pytester, seed: int
) -> None:
    pytest.importorskip("pytest_randomly")
    result = generated_suite.runpytest_subprocess(
        "-p", "randomly", "-p", "no:xdist", f"--randomly-seed={seed}"
    )
    result.assert_outcomes(passed=15)
    result.stdout.fnmatch_lines([f"*randomly-seed={seed}*"])
