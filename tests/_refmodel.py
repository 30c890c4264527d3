"""Independent reference models and fixtures for the property-based and stateful tests.

Written from SPEC §4/§5 only: nothing here imports the fake's backends, so a test comparing the
fake with these models can catch a backend that is consistently wrong.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"

MANAGED_VIEW_IDS = ("after-contact-work", "cards", "confirmation", "detail", "form", "list")


# ---------------------------------------------------------------------------- Connect views
def content_sha(template: str, actions: list[str] | tuple[str, ...]) -> str:
    """ViewContentSha256 as SPEC §4 defines it."""
    canonical = json.dumps(
        {"Actions": list(actions), "Template": template},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def view_fixture_contents() -> list[tuple[str, list[str]]]:
    """(template string, actions) of the publishable real view fixtures in tests/data/views."""
    out: list[tuple[str, list[str]]] = []
    cards = json.loads((DATA / "views" / "customer_managed_cards_awsdoc.json").read_text("utf-8"))
    out.append((json.dumps(cards["Template"]), list(cards["Actions"])))
    task = json.loads((DATA / "views" / "task_demo_widget_captured.json").read_text("utf-8"))
    out.append((json.dumps(task["content"]["template"]), list(task["content"]["actions"])))
    managed = json.loads(
        (DATA / "views" / "aws_managed_after_contact_work.json").read_text("utf-8")
    )
    out.append((json.dumps(managed), []))
    return out


def small_contents() -> list[tuple[str, list[str], bool]]:
    """Small (template, actions, publishable) contents; distinct templates."""
    return [
        ('{"Head":{},"Body":[]}', [], True),
        ('{"Head":{"Title":"one"},"Body":[]}', [], True),
        (
            '{"Head":{},"Body":[{"_id":"b1","Type":"Button","Props":{"Action":"Go"}}]}',
            ["Go"],
            True,
        ),
        ('{"Head":{"Title":"\\u00e9\\ud83d\\ude00 \\u05d0"},"Body":[]}', [], True),
        # valid JSON objects that cannot be published (SAVED only)
        ('{"Body":[]}', [], False),
        ('{"Head":{},"Body":[{"_id":"x","Type":"T"}]}', [], False),
        ('{"Head":{},"Body":[{"_id":"b","Type":"B","Props":{"Action":"Nope"}}]}', [], False),
    ]


@dataclass
class RefContent:
    template: str
    actions: tuple[str, ...]

    @property
    def sha(self) -> str:
        return content_sha(self.template, self.actions)


@dataclass
class RefView:
    id: str
    name: str
    description: str | None
    saved: RefContent
    latest: RefContent | None
    versions: dict[int, RefContent] = field(default_factory=dict)
    issued: list[int] = field(default_factory=list)

    def highest(self) -> int | None:
        return max(self.versions) if self.versions else None

    def saved_status(self) -> str:
        if self.latest is not None and self.latest.sha == self.saved.sha:
            return "PUBLISHED"
        return "SAVED"

    def next_number(self) -> int:
        return (max(self.issued) if self.issued else 0) + 1


class RefViews:
    """What SPEC §4 says one Connect instance holds."""

    def __init__(self) -> None:
        self.views: dict[str, RefView] = {}

    def by_name(self, name: str) -> RefView | None:
        for view in self.views.values():
            if view.name == name:
                return view
        return None

    def summaries(self) -> list[tuple[str, str, str, str | None]]:
        """Customer views as (Name, Id, Status, Description), in ListViews order."""
        rows = [
            (v.name, v.id, "PUBLISHED" if v.latest is not None else "SAVED", v.description)
            for v in self.views.values()
        ]
        return sorted(rows)


# ---------------------------------------------------------------------------- Image Builder
def normalize_workflow_name(name: str) -> str:
    """The ARN segment of a workflow name (SPEC §5)."""
    return name.lower().replace(" ", "-").replace("_", "-")


def workflow_documents() -> dict[str, str]:
    """The real workflow document fixtures, by file stem."""
    return {
        path.stem: path.read_text("utf-8") for path in sorted((DATA / "workflows").glob("*.yaml"))
    }


def version_key(version: str) -> tuple[int, int, int]:
    major, minor, patch = (int(part) for part in version.split("."))
    return major, minor, patch


def wildcard_matches(pattern: str, version: str) -> bool:
    """Whether an ``M.m.p`` version matches a version pattern with ``x`` nodes."""
    return all(p in ("x", v) for p, v in zip(pattern.split("."), version.split("."), strict=True))


@dataclass
class RefBuild:
    number: int
    config: tuple[Any, ...]
    description: str | None


@dataclass
class RefWorkflowVersion:
    type: str
    name: str
    version: str
    builds: dict[int, RefBuild] = field(default_factory=dict)
    issued: list[int] = field(default_factory=list)


class RefWorkflows:
    """What SPEC §5 says an account/region holds (customer workflows only)."""

    def __init__(self, region: str, account: str) -> None:
        self.region = region
        self.account = account
        self.versions: dict[tuple[str, str, str], RefWorkflowVersion] = {}

    def version_arn(self, wtype: str, name: str, version: str) -> str:
        return (
            f"arn:aws:imagebuilder:{self.region}:{self.account}:workflow/{wtype.lower()}/"
            f"{normalize_workflow_name(name)}/{version}"
        )

    def build_arn(self, wtype: str, name: str, version: str, build: int) -> str:
        return f"{self.version_arn(wtype, name, version)}/{build}"

    def key(self, wtype: str, name: str, version: str) -> tuple[str, str, str]:
        return (wtype, normalize_workflow_name(name), version)

    def live(self) -> list[RefWorkflowVersion]:
        return [v for v in self.versions.values() if v.builds]

    def resolve(self, wtype: str, norm: str, pattern: str) -> tuple[RefWorkflowVersion, int] | None:
        """The newest build matching a version (or wildcard) of (type, normalized name)."""
        candidates = [
            v
            for (t, n, ver), v in self.versions.items()
            if t == wtype and n == norm and v.builds and wildcard_matches(pattern, ver)
        ]
        if not candidates:
            return None
        newest = max(candidates, key=lambda v: version_key(v.version))
        return newest, max(newest.builds)


_ARN_RE = re.compile(
    r"^arn:aws:imagebuilder:(?P<region>[a-z0-9-]+):(?P<account>[0-9]{12}|aws):workflow/"
    r"(?P<type>build|test|distribution)/(?P<name>[a-z0-9_-]+)/(?P<version>[0-9x]+\.[0-9x]+\.[0-9x]+)"
    r"(?:/(?P<build>[0-9]+))?$"
)


def parse_workflow_arn(arn: str) -> dict[str, str] | None:
    """The parts of a workflow ARN (build is None for version ARNs)."""
    match = _ARN_RE.match(arn)
    return match.groupdict() if match else None
