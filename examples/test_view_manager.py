"""Testing a small view-deployment module against the fake, as a user of the plugin would."""

from __future__ import annotations

import json

import boto3
import pytest
from view_manager import ViewManager

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
