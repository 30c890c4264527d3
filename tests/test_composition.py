"""Composition with moto's ``mock_aws`` and botocore's ``Stubber`` in the same test.

moto answers every ``*.amazonaws.com`` request at ``before-send`` (404 "Not yet implemented" for
views and workflows); while a fake is active, moto passes on the operations the fake implements
and keeps everything else. A ``Stubber`` answers its own client at ``before-call``, before any of
this, so it keeps working too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from pytest_connectviews import FakeAWS

moto = pytest.importorskip("moto")

INSTANCE = "11111111-2222-3333-4444-555555555555"
CONTENT = {"Template": '{"Head":{"Title":"t"},"Body":[]}', "Actions": []}
DOC = "schemaVersion: 1.0\nsteps:\n  - name: Launch\n    action: LaunchInstance\n"


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # moto needs no real credentials either; keep anything from the machine out of the test
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


@pytest.fixture
def moto_first(aws_env: None) -> Iterator[FakeAWS]:
    with moto.mock_aws(), FakeAWS() as fake:
        yield fake


@pytest.fixture
def fake_first(aws_env: None) -> Iterator[FakeAWS]:
    with FakeAWS() as fake, moto.mock_aws():
        yield fake


def use_both(fake: FakeAWS) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="composition-bucket")
    s3.put_object(Bucket="composition-bucket", Key="k", Body=b"v")
    connect = boto3.client("connect", region_name="us-east-1")
    view = connect.create_view(InstanceId=INSTANCE, Name="Form", Status="SAVED", Content=CONTENT)
    names = [v["Name"] for v in connect.list_views(InstanceId=INSTANCE)["ViewsSummaryList"]]
    ib = boto3.client("imagebuilder", region_name="us-east-1")
    arn = ib.create_workflow(name="wf-one", semanticVersion="1.0.0", type="BUILD", data=DOC)[
        "workflowBuildVersionArn"
    ]
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["composition-bucket"]
    assert s3.get_object(Bucket="composition-bucket", Key="k")["Body"].read() == b"v"
    assert "Form" in names
    assert ib.get_workflow(workflowBuildVersionArn=arn)["workflow"]["name"] == "wf-one"
    assert view["View"]["Name"] == "Form"
    assert fake.calls.operations == ["CreateView", "ListViews", "CreateWorkflow", "GetWorkflow"]


def test_moto_started_first_then_the_fake(moto_first: FakeAWS) -> None:
    use_both(moto_first)


def test_the_fake_started_first_then_moto(fake_first: FakeAWS) -> None:
    use_both(fake_first)


@pytest.mark.parametrize("order", ["fake_first", "moto_first"])
def test_the_fake_answers_instance_calls_and_moto_keeps_the_rest(
    order: str, request: pytest.FixtureRequest
) -> None:
    fake: FakeAWS = request.getfixturevalue(order)
    connect = boto3.client("connect", region_name="us-east-1")
    instance = connect.create_instance(
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias="composition",
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )
    described = connect.describe_instance(InstanceId=instance["Id"])["Instance"]
    assert described["InstanceAlias"] == "composition"
    assert described["ServiceRole"].rsplit("_", 1)[1].isalnum()  # moto's role has no suffix
    arn = instance["Arn"]
    connect.tag_resource(resourceArn=arn, tags={"team": "a"})
    assert connect.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "a"}
    assert fake.calls.operations == [
        "CreateInstance",
        "DescribeInstance",
        "TagResource",
        "ListTagsForResource",
    ]
    # moto still answers what the fake does not implement (and does not know the fake's instance)
    with pytest.raises(ClientError, match=r"Instance with id .* not found"):
        connect.list_analytics_data_associations(InstanceId=instance["Id"])
    assert len(fake.calls) == 4


def test_moto_answers_views_again_once_the_fake_stops(aws_env: None) -> None:
    with moto.mock_aws():
        connect = boto3.client("connect", region_name="us-east-1")
        with FakeAWS():
            connect.list_views(InstanceId=INSTANCE)
        with pytest.raises(ClientError) as info:
            connect.list_views(InstanceId=INSTANCE)
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_a_stubber_keeps_answering_its_client_while_the_fake_is_active(
    connectviews: FakeAWS,
) -> None:
    stubbed = boto3.client("connect", region_name="us-east-1")
    other = boto3.client("connect", region_name="us-east-1")
    canned: dict[str, Any] = {
        "View": {"Id": "canned", "Name": "Canned", "Status": "PUBLISHED", "Type": "AWS_MANAGED"}
    }
    with Stubber(stubbed) as stubber:
        stubber.add_response("describe_view", canned, {"InstanceId": INSTANCE, "ViewId": "canned"})
        stubber.add_client_error("list_views", "TooManyRequestsException", http_status_code=429)
        assert (
            stubbed.describe_view(InstanceId=INSTANCE, ViewId="canned")["View"]["Name"] == "Canned"
        )
        with pytest.raises(stubbed.exceptions.TooManyRequestsException):
            stubbed.list_views(InstanceId=INSTANCE)
        stubber.assert_no_pending_responses()
        assert other.list_views(InstanceId=INSTANCE)["ViewsSummaryList"]
    assert connectviews.calls.operations == ["ListViews"]
    assert stubbed.list_views(InstanceId=INSTANCE)["ViewsSummaryList"]
    assert connectviews.calls.operations == ["ListViews", "ListViews"]


def test_a_stubber_moto_and_the_fake_together(fake_first: FakeAWS) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    connect = boto3.client("connect", region_name="us-east-1")
    with Stubber(s3) as stubber:
        stubber.add_response("list_buckets", {"Buckets": [{"Name": "stubbed"}]})
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["stubbed"]
    s3.create_bucket(Bucket="from-moto")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["from-moto"]
    connect.create_view(InstanceId=INSTANCE, Name="Form", Status="SAVED", Content=CONTENT)
    assert fake_first.calls.operations == ["CreateView"]


@pytest.mark.parametrize("order", ["moto_first", "fake_first"])
def test_a_canned_response_wins_over_moto_while_it_is_registered(
    order: str, request: pytest.FixtureRequest
) -> None:
    fake: FakeAWS = request.getfixturevalue(order)
    connect = boto3.client("connect", region_name="us-east-1")
    # ListAnalyticsDataAssociations is one of moto's Connect operations the fake does not implement
    rule = fake.add_response(
        "ListAnalyticsDataAssociations",
        {"Results": [{"DataSetId": "forced-set", "TargetAccountId": "123456789012"}]},
        params={"InstanceId": "forced"},
    )
    listed = connect.list_analytics_data_associations(InstanceId="forced")["Results"]
    assert [r["DataSetId"] for r in listed] == ["forced-set"]
    # params that do not match stay with moto
    with pytest.raises(connect.exceptions.ResourceNotFoundException, match=r"Instance with id"):
        connect.list_analytics_data_associations(InstanceId="other")
    rule.remove()
    with pytest.raises(connect.exceptions.ResourceNotFoundException, match=r"Instance with id"):
        connect.list_analytics_data_associations(InstanceId="forced")  # moto's answer again
    # an injected error for one of moto's operations wins too
    fake.inject_error("ListAnalyticsDataAssociations", "ThrottlingException", times=1)
    no_retry = boto3.client(
        "connect", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1})
    )
    with pytest.raises(no_retry.exceptions.ThrottlingException):
        no_retry.list_analytics_data_associations(InstanceId="forced")
    assert [(c.operation, c.source) for c in fake.calls] == [
        ("ListAnalyticsDataAssociations", "canned"),
        ("ListAnalyticsDataAssociations", "injected"),
    ]
