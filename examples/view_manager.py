"""Keep Amazon Connect step-by-step guide views in sync with templates kept in code, and publish
the contact flows that show them.

A small module of the kind a contact-center team writes: views are addressed by name, so a
deployment can run again and again; publishing and cutting versions are separate steps, as
in the Connect console. ``ViewPublisher`` is the deployment step: find the instance by alias,
create or update the view, cut a version, publish a flow whose ShowView shows that version, and
undo the view change when the flow cannot be published.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import ClientError


class ViewManager:
    """Create, publish, version and rename the customer-managed views of one Connect instance."""

    def __init__(self, instance_id: str, client: Any = None) -> None:
        self.instance_id = instance_id
        self.client = client or boto3.client("connect")

    def find(self, name: str) -> dict[str, Any] | None:
        """The ListViews summary of the view called ``name``, or None."""
        pages = self.client.get_paginator("list_views").paginate(
            InstanceId=self.instance_id, Type="CUSTOMER_MANAGED"
        )
        for page in pages:
            for summary in page["ViewsSummaryList"]:
                if summary["Name"] == name:
                    return dict(summary)
        return None

    def names_with_prefix(self, prefix: str) -> list[str]:
        """Names of the customer-managed views whose name starts with ``prefix``."""
        result = self.client.search_views(
            InstanceId=self.instance_id,
            SearchCriteria={
                "AndConditions": [
                    {"ViewTypeCondition": "CUSTOMER_MANAGED"},
                    {
                        "StringCondition": {
                            "FieldName": "name",
                            "Value": prefix,
                            "ComparisonType": "STARTS_WITH",
                        }
                    },
                ]
            },
        )
        return [view["Name"] for view in result["Views"]]

    def upsert(
        self,
        name: str,
        template: dict[str, Any],
        actions: list[str],
        *,
        publish: bool = False,
        description: str | None = None,
    ) -> dict[str, Any]:
        """Create the view called ``name`` or replace its content; returns the view."""
        status = "PUBLISHED" if publish else "SAVED"
        content = {"Template": json.dumps(template), "Actions": actions}
        existing = self.find(name)
        if existing is None:
            extra = {"Description": description} if description else {}
            view: dict[str, Any] = self.client.create_view(
                InstanceId=self.instance_id, Name=name, Status=status, Content=content, **extra
            )["View"]
            return view
        view = self.client.update_view_content(
            InstanceId=self.instance_id, ViewId=existing["Id"], Status=status, Content=content
        )["View"]
        if description and description != existing.get("Description"):
            self.client.update_view_metadata(
                InstanceId=self.instance_id, ViewId=existing["Id"], Description=description
            )
        return view

    def release(self, name: str, note: str) -> int:
        """Freeze the published content of ``name`` as a numbered version; returns the number.

        Releasing unchanged content again returns the existing version number.
        """
        summary = self._require(name)
        latest = self.client.describe_view(InstanceId=self.instance_id, ViewId=summary["Id"])
        version = self.client.create_view_version(
            InstanceId=self.instance_id,
            ViewId=summary["Id"],
            VersionDescription=note,
            ViewContentSha256=latest["View"]["ViewContentSha256"],
        )["View"]
        return int(version["Version"])

    def rename(self, old: str, new: str) -> None:
        """Rename a view (Connect keeps names unique per instance)."""
        summary = self._require(old)
        self.client.update_view_metadata(
            InstanceId=self.instance_id, ViewId=summary["Id"], Name=new
        )

    def _require(self, name: str) -> dict[str, Any]:
        summary = self.find(name)
        if summary is None:
            raise LookupError(f"no view called {name!r} in instance {self.instance_id}")
        return summary


def find_instance(alias: str, client: Any = None) -> str:
    """The id of the ACTIVE Connect instance with this alias (as Terraform's data source finds it:
    page through ListInstances, exact match)."""
    client = client or boto3.client("connect")
    for page in client.get_paginator("list_instances").paginate():
        for summary in page["InstanceSummaryList"]:
            if summary.get("InstanceAlias") == alias and summary["InstanceStatus"] == "ACTIVE":
                return str(summary["Id"])
    raise LookupError(f"no ACTIVE Connect instance with alias {alias!r}")


def show_view_flow(view_version_arn: str, timeout_seconds: int = 600) -> str:
    """Flow language content that shows one view version, then ends the flow."""
    return json.dumps(
        {
            "Version": "2019-10-30",
            "StartAction": "show",
            "Actions": [
                {
                    "Identifier": "show",
                    "Type": "ShowView",
                    "Parameters": {
                        "ViewResource": {"Id": view_version_arn},
                        "InvocationTimeLimitSeconds": str(timeout_seconds),
                    },
                    "Transitions": {
                        "NextAction": "end",
                        "Errors": [
                            {"NextAction": "end", "ErrorType": "NoMatchingCondition"},
                            {"NextAction": "end", "ErrorType": "NoMatchingError"},
                            {"NextAction": "end", "ErrorType": "TimeLimitExceeded"},
                        ],
                    },
                },
                {"Identifier": "end", "Type": "DisconnectParticipant", "Transitions": {}},
            ],
        }
    )


@dataclass(frozen=True)
class Published:
    """What one ``ViewPublisher.publish`` made: the view version and the flow showing it."""

    instance_id: str
    view_arn: str  # qualified with the version number
    version: int
    flow_id: str


class FlowPublishError(RuntimeError):
    """The flow was refused; the view change was rolled back. ``problems`` are Connect's."""

    def __init__(self, flow_name: str, problems: list[str], cause: ClientError) -> None:
        super().__init__(f"flow {flow_name!r} was refused: {'; '.join(problems) or cause}")
        self.problems = problems


class ViewPublisher:
    """Publish a view and the flow that shows it, in the instance with a given alias."""

    def __init__(self, alias: str, client: Any = None) -> None:
        self.client = client or boto3.client("connect")
        self.instance_id = find_instance(alias, self.client)
        self.views = ViewManager(self.instance_id, self.client)

    def publish(
        self, view_name: str, template: dict[str, Any], actions: list[str], flow_name: str
    ) -> Published:
        """Publish ``template`` as ``view_name``, cut a version and point ``flow_name`` at it."""
        before = self.views.find(view_name)
        previous = None
        if before is not None and before["Status"] == "PUBLISHED":
            previous = self.client.describe_view(InstanceId=self.instance_id, ViewId=before["Id"])[
                "View"
            ]["Content"]
        view = self.views.upsert(view_name, template, actions, publish=True)
        version = self.views.release(view_name, f"shown by {flow_name}")
        view_arn = f"{view['Arn'].rsplit(':', 1)[0]}:{version}"
        try:
            flow_id = self.publish_flow(flow_name, view_arn)
        except ClientError as exc:
            # agents must not see a view no flow shows: put the previous content back
            self._roll_back(view["Id"], before is None, previous)
            found = exc.response.get("problems") or []
            raise FlowPublishError(flow_name, [p["message"] for p in found], exc) from exc
        return Published(self.instance_id, view_arn, version, flow_id)

    def publish_flow(self, name: str, view_arn: str) -> str:
        """Create or update the inbound flow ``name`` so that it shows ``view_arn``; its id."""
        content = show_view_flow(view_arn)
        pages = self.client.get_paginator("list_contact_flows").paginate(
            InstanceId=self.instance_id, ContactFlowTypes=["CONTACT_FLOW"]
        )
        for page in pages:
            for summary in page["ContactFlowSummaryList"]:
                if summary["Name"] == name:
                    self.client.update_contact_flow_content(
                        InstanceId=self.instance_id, ContactFlowId=summary["Id"], Content=content
                    )
                    return str(summary["Id"])
        made = self.client.create_contact_flow(
            InstanceId=self.instance_id, Name=name, Type="CONTACT_FLOW", Content=content
        )
        return str(made["ContactFlowId"])

    def _roll_back(self, view_id: str, created: bool, previous: dict[str, Any] | None) -> None:
        if created:
            self.client.delete_view(InstanceId=self.instance_id, ViewId=view_id)
        elif previous is not None:
            self.client.update_view_content(
                InstanceId=self.instance_id,
                ViewId=view_id,
                Status="PUBLISHED",
                Content={"Template": previous["Template"], "Actions": previous["Actions"]},
            )
