"""Release helper for EC2 Image Builder workflows: publish a document, prune old builds.

This is ordinary application code: it knows boto3 only. ``test_workflow_release.py`` tests it
against pytest-connectviews' fake, with no AWS account.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class PruneReport:
    """What ``prune_builds`` did, newest build first in each list."""

    kept: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    in_use: list[str] = field(default_factory=list)


def publish_workflow(
    client: Any,
    *,
    name: str,
    version: str,
    document: str | Path,
    workflow_type: str = "BUILD",
    change_description: str | None = None,
    tags: dict[str, str] | None = None,
) -> str:
    """Publish ``document`` as a build of workflow ``name`` ``version``; return its build ARN.

    Publishing what the newest build already holds creates nothing and returns that build's ARN,
    so a release pipeline can run this on every commit.
    """
    text = document.read_text(encoding="utf-8") if isinstance(document, Path) else document
    request: dict[str, Any] = {
        "name": name,
        "semanticVersion": version,
        "type": workflow_type,
        "data": text,
    }
    if change_description is not None:
        request["changeDescription"] = change_description
    if tags:
        request["tags"] = tags
    try:
        created = client.create_workflow(**request)
    except client.exceptions.ResourceAlreadyExistsException:
        return newest_build(client, name=name, version=version, workflow_type=workflow_type)
    arn: str = created["workflowBuildVersionArn"]
    return arn


def newest_build(client: Any, *, name: str, version: str, workflow_type: str = "BUILD") -> str:
    """The build ARN of the newest build of workflow ``name`` ``version``."""
    found = client.list_workflows(
        filters=[
            {"name": "name", "values": [name]},
            {"name": "version", "values": [version]},
            {"name": "type", "values": [workflow_type]},
        ]
    )["workflowVersionList"]
    if not found:
        raise LookupError(f"workflow {name} {version} ({workflow_type}) does not exist")
    arn: str = client.get_workflow(workflowBuildVersionArn=found[0]["arn"])["workflow"]["arn"]
    return arn


def prune_builds(client: Any, version_arn: str, *, keep: int = 3) -> PruneReport:
    """Delete all but the newest ``keep`` builds of a workflow version; builds in use stay.

    ``version_arn`` is a version ARN (``.../my-workflow/1.2.0``) or a wildcard (``.../1.x.x``).
    """
    if keep < 1:
        raise ValueError("keep must be at least 1: the newest build is never pruned")
    paginator = client.get_paginator("list_workflow_build_versions")
    builds = [
        summary["arn"]
        for page in paginator.paginate(workflowVersionArn=version_arn)
        for summary in page["workflowSummaryList"]
    ]
    report = PruneReport(kept=builds[:keep])
    for arn in builds[keep:]:
        try:
            client.delete_workflow(workflowBuildVersionArn=arn)
        except client.exceptions.ResourceDependencyException:
            report.in_use.append(arn)
        else:
            report.deleted.append(arn)
    return report
