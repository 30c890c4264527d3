"""Testing a small view-deployment module against the fake, as a user of the plugin would."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.config import Config
from view_manager import FlowPublishError, ViewManager, ViewPublisher

from pytest_connectviews import FakeAWS

INSTANCE = "0f6c9a4e-3b8e-4d2a-9a4e-2f1b7c5d8e90"


def refund_form(title: str = "Refund") -> dict:
    return {
        "Head": {"Title": title},
        "Body": [
            {"_id": "amount", "Type": "FormInput", "Props": {"Name": "amount", "Label": "$.Label"}},
            {"_id": "send", "Type": "Button", "Props": {"Action": "Submit"}, "Content": ["Send"]},
        ],
    }


@pytest.fixture
def manager(connectviews: FakeAWS) -> ViewManager:
    return ViewManager(INSTANCE, boto3.client("connect", region_name="us-east-1"))


def test_first_deploy_creates_a_draft(manager: ViewManager, connectviews: FakeAWS) -> None:
    view = manager.upsert("refund-form", refund_form(), ["Submit"], description="Refunds")

    assert view["Status"] == "SAVED"
    assert manager.find("refund-form")["Description"] == "Refunds"
    created = connectviews.calls.one("CreateView")
    assert created.params["Status"] == "SAVED"
    assert json.loads(created.params["Content"]["Template"])["Head"]["Title"] == "Refund"


def test_redeploy_updates_in_place_and_publishes(
    manager: ViewManager, connectviews: FakeAWS
) -> None:
    first = manager.upsert("refund-form", refund_form(), ["Submit"])
    second = manager.upsert("refund-form", refund_form("Refund v2"), ["Submit"], publish=True)

    assert second["Id"] == first["Id"]
    assert second["Status"] == "PUBLISHED"
    assert json.loads(second["Content"]["Template"])["Head"]["Title"] == "Refund v2"
    connectviews.calls.assert_called_once_with("CreateView", Name="refund-form")
    connectviews.calls.assert_called_once_with(
        "UpdateViewContent", ViewId=first["Id"], Status="PUBLISHED"
    )


def test_publishing_a_broken_view_fails_before_agents_see_it(manager: ViewManager) -> None:
    broken = refund_form()
    manager.upsert("refund-form", broken, ["Cancel"])  # drafts are only checked lightly
    with pytest.raises(manager.client.exceptions.InvalidParameterException) as excinfo:
        manager.upsert("refund-form", broken, ["Cancel"], publish=True)
    assert "Submit" in excinfo.value.response["Error"]["Message"]


def test_release_cuts_versions_only_for_new_content(
    manager: ViewManager, connectviews: FakeAWS
) -> None:
    manager.upsert("refund-form", refund_form(), ["Submit"], publish=True)
    assert manager.release("refund-form", "first release") == 1
    assert manager.release("refund-form", "nothing changed") == 1
    manager.upsert("refund-form", refund_form("Refund v2"), ["Submit"], publish=True)
    assert manager.release("refund-form", "second release") == 2

    # Each release sent the checksum it had just read, so a concurrent edit would be refused.
    shas = [c.params["ViewContentSha256"] for c in connectviews.calls.filter("CreateViewVersion")]
    assert len(shas) == 3
    assert shas[0] == shas[1] != shas[2]


def test_release_of_a_draft_only_view_is_refused(manager: ViewManager) -> None:
    manager.upsert("refund-form", refund_form(), ["Submit"])
    with pytest.raises(manager.client.exceptions.ResourceNotFoundException):
        manager.release("refund-form", "too early")


def test_rename_and_prefix_listing(manager: ViewManager) -> None:
    for name in ("refund-form", "refund-confirmation", "address-change"):
        manager.upsert(name, refund_form(), ["Submit"])
    manager.rename("address-change", "refund-address")

    assert manager.names_with_prefix("refund-") == [
        "refund-address",
        "refund-confirmation",
        "refund-form",
    ]
    with pytest.raises(manager.client.exceptions.DuplicateResourceException):
        manager.rename("refund-form", "refund-address")
    with pytest.raises(LookupError, match="address-change"):
        manager.rename("address-change", "anything")


def test_throttling_is_retried_by_botocore(manager: ViewManager, connectviews: FakeAWS) -> None:
    connectviews.inject_error("ListViews", "TooManyRequestsException", times=2, service="connect")
    manager.upsert("refund-form", refund_form(), ["Submit"])

    attempts = connectviews.calls.filter("ListViews")
    assert [c.error_code for c in attempts] == ["TooManyRequestsException"] * 2 + [None]
    assert manager.find("refund-form") is not None


# ---------------------------------------------------------------- publishing a view and its flow
@pytest.fixture
def shop(connectviews: FakeAWS) -> str:
    """A Connect instance created as the deployment's infrastructure code would."""
    connect = boto3.client("connect", region_name="us-east-1")
    connectviews.set_duration("connect.instance_creation", 90)
    made = connect.create_instance(
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias="refund-shop",
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )
    connectviews.settle()  # through CREATION_IN_PROGRESS to ACTIVE
    return str(made["Id"])


def publisher(**config: Any) -> ViewPublisher:
    client = boto3.client("connect", region_name="us-east-1", config=Config(**config))
    return ViewPublisher("refund-shop", client)


def shown_view(connect: Any, instance: str, flow_id: str) -> str:
    content = connect.describe_contact_flow(InstanceId=instance, ContactFlowId=flow_id)
    action = json.loads(content["ContactFlow"]["Content"])["Actions"][0]
    return str(action["Parameters"]["ViewResource"]["Id"])


def test_publish_a_view_and_the_flow_that_shows_it(shop: str, connectviews: FakeAWS) -> None:
    tool = publisher()
    first = tool.publish("refund-form", refund_form(), ["Submit"], "Refund flow")
    assert (first.instance_id, first.version) == (shop, 1)
    assert first.view_arn.endswith(":1")
    assert shown_view(tool.client, shop, first.flow_id) == first.view_arn

    second = tool.publish("refund-form", refund_form("Refund v2"), ["Submit"], "Refund flow")
    assert second.version == 2
    assert second.flow_id == first.flow_id  # the same flow, updated in place
    assert shown_view(tool.client, shop, first.flow_id) == second.view_arn
    assert connectviews.calls.operations.count("CreateContactFlow") == 1
    connectviews.calls.assert_called_once_with("UpdateContactFlowContent", InstanceId=shop)


def test_a_missing_instance_stops_before_anything_is_changed(
    shop: str, connectviews: FakeAWS
) -> None:
    with pytest.raises(LookupError, match="refund-shop-eu"):
        ViewPublisher("refund-shop-eu", boto3.client("connect", region_name="us-east-1"))
    other_region = boto3.client("connect", region_name="eu-west-1")
    with pytest.raises(LookupError, match="refund-shop"):
        ViewPublisher("refund-shop", other_region)  # instances live in one region
    assert set(connectviews.calls.operations) == {"CreateInstance", "ListInstances"}


def test_a_flow_that_shows_a_deleted_view_is_refused(shop: str) -> None:
    tool = publisher()
    published = tool.publish("refund-form", refund_form(), ["Submit"], "Refund flow")
    tool.client.delete_view(InstanceId=shop, ViewId=published.view_arn.rsplit(":", 1)[0])

    with pytest.raises(tool.client.exceptions.InvalidContactFlowException) as excinfo:
        tool.publish_flow("Refund flow", published.view_arn)
    [problem] = excinfo.value.response["problems"]
    assert problem["message"].endswith("Path: Actions[0].Parameters.ViewResource.Id")
    # the published flow still shows what it showed
    assert shown_view(tool.client, shop, published.flow_id) == published.view_arn


def test_a_refused_flow_rolls_the_new_view_back(shop: str, connectviews: FakeAWS) -> None:
    connectviews.set_quota("connect.contact_flows_per_instance", 8)  # the default flows fill it
    tool = publisher()
    with pytest.raises(FlowPublishError, match="Refund flow"):
        tool.publish("refund-form", refund_form(), ["Submit"], "Refund flow")
    assert tool.views.find("refund-form") is None  # created, then deleted again
    assert len(connectviews.calls.filter("DeleteView")) == 1


def test_a_refused_flow_restores_the_previous_view(shop: str, connectviews: FakeAWS) -> None:
    tool = publisher()
    tool.publish("refund-form", refund_form(), ["Submit"], "Refund flow")
    connectviews.inject_error(
        "UpdateContactFlowContent",
        "InvalidContactFlowException",
        fields={"problems": [{"message": "Action is missing required error. Path: Actions[0]"}]},
    )
    with pytest.raises(FlowPublishError) as excinfo:
        tool.publish("refund-form", refund_form("Broken v2"), ["Submit"], "Refund flow")
    assert excinfo.value.problems == ["Action is missing required error. Path: Actions[0]"]
    view = tool.client.describe_view(InstanceId=shop, ViewId=tool.views.find("refund-form")["Id"])
    assert json.loads(view["View"]["Content"]["Template"])["Head"]["Title"] == "Refund"


def test_a_throttled_publish_is_retried_on_the_fake_clock(shop: str, connectviews: FakeAWS) -> None:
    # Connect allows a burst of 3 calls, then one per 2 s; the publish makes about ten
    connectviews.throttle(rate=0.5, burst=3, service="connect")
    tool = publisher(retries={"mode": "standard", "total_max_attempts": 10})
    published = tool.publish("refund-form", refund_form(), ["Submit"], "Refund flow")

    refused = [c for c in connectviews.calls if c.error_code]
    # each operation answers its own modeled throttling error
    assert {c.error_code for c in refused if c.operation == "CreateContactFlow"} == {
        "ThrottlingException"
    }
    assert {c.error_code for c in refused if c.operation == "CreateView"} <= {
        "TooManyRequestsException"
    }
    assert {c.status_code for c in refused} == {429}
    assert connectviews.calls.filter("CreateContactFlow")[-1].ok
    assert published.version == 1
    assert connectviews.clock.slept > 0  # botocore's backoff waited on the fake clock
