"""set_quota: resource quotas answer ServiceQuotaExceededException (402) naming the quota."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from pytest_connectviews import QUOTAS, FakeAWS

CONTENT = {"Template": "{}", "Actions": []}
WORKFLOW = (
    Path(__file__).parent / "data" / "workflows" / "build_workflow_example.yaml"
).read_text()
NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})


@pytest.fixture
def connect() -> Any:
    return boto3.client("connect", region_name="us-east-1", config=NO_RETRY)


def test_views_per_instance(connectviews: FakeAWS, connect: Any) -> None:
    instance = connectviews.add_instance()
    other = connectviews.add_instance()
    connectviews.set_quota("connect.views_per_instance", 2)
    for name in ("a", "b"):
        connect.create_view(InstanceId=instance, Name=name, Status="SAVED", Content=CONTENT)
    with pytest.raises(connect.exceptions.ServiceQuotaExceededException) as exc:
        connect.create_view(InstanceId=instance, Name="c", Status="SAVED", Content=CONTENT)
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 402
    assert "connect.views_per_instance" in exc.value.response["Error"]["Message"]
    assert connectviews.calls.last.source == "backend"
    # per instance: another instance still has room; deleting makes room again
    connect.create_view(InstanceId=other, Name="c", Status="SAVED", Content=CONTENT)
    first = connect.list_views(InstanceId=instance, Type="CUSTOMER_MANAGED")["ViewsSummaryList"][0]
    connect.delete_view(InstanceId=instance, ViewId=first["Id"])
    connect.create_view(InstanceId=instance, Name="c", Status="SAVED", Content=CONTENT)


def test_versions_per_view(connectviews: FakeAWS, connect: Any) -> None:
    instance = connectviews.add_instance()
    connectviews.set_quota("connect.versions_per_view", 1)
    published = {"Template": '{"Head": {"Title": "One"}, "Body": []}', "Actions": []}
    view = connect.create_view(InstanceId=instance, Name="a", Status="PUBLISHED", Content=published)
    view_id = view["View"]["Id"]
    connect.create_view_version(InstanceId=instance, ViewId=view_id)
    changed = {"Template": '{"Head": {"Title": "Two"}, "Body": []}', "Actions": []}
    connect.update_view_content(
        InstanceId=instance, ViewId=view_id, Status="PUBLISHED", Content=changed
    )
    with pytest.raises(connect.exceptions.ServiceQuotaExceededException) as exc:
        connect.create_view_version(InstanceId=instance, ViewId=view_id)
    assert "connect.versions_per_view" in exc.value.response["Error"]["Message"]
    connectviews.set_quota("connect.versions_per_view", None)  # cleared: no limit
    connect.create_view_version(InstanceId=instance, ViewId=view_id)


def test_imagebuilder_workflow_versions(connectviews: FakeAWS) -> None:
    imagebuilder = boto3.client("imagebuilder", region_name="us-east-1", config=NO_RETRY)
    connectviews.set_quota("imagebuilder.workflow_versions", 1)
    imagebuilder.create_workflow(
        name="build-wf", semanticVersion="1.0.0", type="BUILD", data=WORKFLOW, clientToken="t1"
    )
    with pytest.raises(imagebuilder.exceptions.ServiceQuotaExceededException) as exc:
        imagebuilder.create_workflow(
            name="build-wf", semanticVersion="1.0.1", type="BUILD", data=WORKFLOW, clientToken="t2"
        )
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 402
    assert "imagebuilder.workflow_versions" in exc.value.response["Error"]["Message"]


def test_imagebuilder_build_versions_per_version(connectviews: FakeAWS) -> None:
    imagebuilder = boto3.client("imagebuilder", region_name="us-east-1", config=NO_RETRY)
    connectviews.set_quota("imagebuilder.build_versions_per_version", 1)
    imagebuilder.create_workflow(
        name="build-wf", semanticVersion="1.0.0", type="BUILD", data=WORKFLOW, clientToken="t1"
    )
    with pytest.raises(imagebuilder.exceptions.ServiceQuotaExceededException) as exc:
        imagebuilder.create_workflow(
            name="build-wf",
            semanticVersion="1.0.0",
            type="BUILD",
            data=WORKFLOW,
            description="changed",
            clientToken="t2",
        )
    assert "imagebuilder.build_versions_per_version" in exc.value.response["Error"]["Message"]


def test_no_quota_applies_unless_set(connectviews: FakeAWS, connect: Any) -> None:
    instance = connectviews.add_instance()
    assert all(connectviews.quota(name) is None for name in QUOTAS)
    for i in range(30):
        connect.create_view(InstanceId=instance, Name=f"v{i}", Status="SAVED", Content=CONTENT)


def test_set_quota_refuses_unknown_names_listing_the_valid_ones(connectviews: FakeAWS) -> None:
    with pytest.raises(ValueError, match="unknown quota") as exc:
        connectviews.set_quota("connect.views", 3)
    message = str(exc.value)
    assert message.startswith("connectviews: unknown quota 'connect.views'. Valid quotas: ")
    assert all(name in message for name in QUOTAS)


@pytest.mark.parametrize("value", [-1, 1.5, True, "3"])
def test_set_quota_refuses_bad_values(connectviews: FakeAWS, value: Any) -> None:
    with pytest.raises(ValueError, match="must be an int >= 0"):
        connectviews.set_quota("connect.views_per_instance", value)


def test_quota_reads_the_value_and_refuses_unknown_names(connectviews: FakeAWS) -> None:
    connectviews.set_quota("connect.versions_per_view", 4)
    assert connectviews.quota("connect.versions_per_view") == 4
    with pytest.raises(ValueError, match="unknown quota"):
        connectviews.quota("connect.nope")


def test_reset_clears_quotas(connectviews: FakeAWS) -> None:
    connectviews.set_quota("connect.versions_per_view", 4)
    connectviews.reset()
    assert connectviews.quota("connect.versions_per_view") is None
