"""Keep Amazon Connect step-by-step guide views in sync with templates kept in code.

A small module of the kind a contact-center team writes: views are addressed by name, so a
deployment can run again and again; publishing and cutting versions are separate steps, as
in the Connect console.
"""

from __future__ import annotations

import json
from typing import Any

import boto3


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
