"""The response contract: what the real services return for each operation the fake implements.

The botocore output shapes of these operations mark almost no member ``required``, so a response
that validates against the model can still be missing what every real response carries. This
module keeps the explicit list (SPEC §6, derived from SPEC §4-§5 and real captured outputs) and a
checker, ``check_response``, that validates a response dict (client member names, datetimes for
timestamps) against the installed botocore output shape *and* the list.

The checker is stricter than botocore's ``ParamValidator`` (which only checks types, required
members and minimums): it also checks maximums, enums and patterns, and reports members the model
does not know (the wire codec would silently drop them). Known model bugs are listed in
``MODEL_BUGS`` with the rule used instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._models import service_model
from .validation import _compiled

if TYPE_CHECKING:
    from botocore.model import Shape

__all__ = ["CONTRACT", "EMPTY_TAGS_ALLOWED", "MODEL_BUGS", "Member", "check_response"]


@dataclass(frozen=True)
class Member:
    """A member the real service returns: a dotted path (``[]`` marks list items).

    ``when`` (given the object that holds the member) limits it to some responses, e.g. ``Version``
    only on a numbered view version.
    """

    path: str
    when: Callable[[Mapping[str, Any]], bool] | None = None
    why: str = ""


def _numbered_view(view: Mapping[str, Any]) -> bool:
    return bool(re.search(r":[0-9]+$", str(view.get("Arn", ""))))


def _customer_workflow(refs: Mapping[str, Any]) -> bool:
    # AWS-managed workflows only have latestVersionArn (account "aws" in the ARN).
    parts = str(refs.get("latestVersionArn", "")).split(":")
    return len(parts) > 4 and parts[4] != "aws"


def _view(prefix: str) -> tuple[Member, ...]:
    names = (
        "Id",
        "Arn",
        "Name",
        "Status",
        "Type",
        "Content",
        "Content.InputSchema",
        "Content.Template",
        "Content.Actions",
        "CreatedTime",
        "LastModifiedTime",
        "ViewContentSha256",
    )
    return (
        Member(prefix),
        *(Member(f"{prefix}.{name}") for name in names),
        Member(
            f"{prefix}.Version",
            _numbered_view,
            "a numbered version (Arn ending in :<n>) always carries its Version",
        ),
    )


_LATEST_REFS = (
    Member("latestVersionReferences"),
    Member("latestVersionReferences.latestVersionArn"),
    *(
        Member(
            f"latestVersionReferences.{name}",
            _customer_workflow,
            "customer workflows carry all four references, AWS-managed ones only x.x.x",
        )
        for name in ("latestMajorVersionArn", "latestMinorVersionArn", "latestPatchVersionArn")
    ),
)

#: (service, operation) -> the members every successful response carries.
CONTRACT: dict[tuple[str, str], tuple[Member, ...]] = {
    ("connect", "CreateView"): _view("View"),
    ("connect", "CreateViewVersion"): (*_view("View"), Member("View.Version")),
    ("connect", "DescribeView"): _view("View"),
    ("connect", "UpdateViewContent"): _view("View"),
    ("connect", "ListViews"): (
        Member("ViewsSummaryList"),
        *(Member(f"ViewsSummaryList[].{n}") for n in ("Id", "Arn", "Name", "Type", "Status")),
    ),
    ("connect", "ListViewVersions"): (
        Member("ViewVersionSummaryList"),
        *(
            Member(f"ViewVersionSummaryList[].{n}")
            for n in ("Id", "Arn", "Name", "Type", "Version")
        ),
    ),
    ("connect", "SearchViews"): (
        Member("Views"),
        Member("ApproximateTotalCount"),
        *_view("Views[]")[1:],
    ),
    ("connect", "UpdateViewMetadata"): (),
    ("connect", "DeleteView"): (),
    ("connect", "DeleteViewVersion"): (),
    ("connect", "TagResource"): (),
    ("connect", "UntagResource"): (),
    ("connect", "ListTagsForResource"): (Member("tags"),),
    ("imagebuilder", "CreateWorkflow"): (
        Member("clientToken"),
        Member("workflowBuildVersionArn"),
        Member("latestVersionReferences"),
        *(
            Member(f"latestVersionReferences.{n}")
            for n in (
                "latestVersionArn",
                "latestMajorVersionArn",
                "latestMinorVersionArn",
                "latestPatchVersionArn",
            )
        ),
    ),
    ("imagebuilder", "GetWorkflow"): (
        Member("workflow"),
        *(
            Member(f"workflow.{n}")
            for n in (
                "arn",
                "name",
                "version",
                "type",
                "owner",
                "data",
                "dateCreated",
                "tags",
                "parameters",
            )
        ),
        *_LATEST_REFS,
    ),
    ("imagebuilder", "ListWorkflows"): (
        Member("workflowVersionList"),
        *(
            Member(f"workflowVersionList[].{n}")
            for n in ("arn", "name", "version", "type", "owner", "dateCreated")
        ),
    ),
    ("imagebuilder", "ListWorkflowBuildVersions"): (
        Member("workflowSummaryList"),
        *(
            Member(f"workflowSummaryList[].{n}")
            for n in ("arn", "name", "version", "type", "owner", "dateCreated")
        ),
    ),
    ("imagebuilder", "DeleteWorkflow"): (Member("workflowBuildVersionArn"),),
    ("imagebuilder", "TagResource"): (),
    ("imagebuilder", "UntagResource"): (),
    ("imagebuilder", "ListTagsForResource"): (Member("tags"),),
}

#: Paths where an empty ``tags`` map is returned although TagMap's model minimum is 1 (SPEC §6).
EMPTY_TAGS_ALLOWED: frozenset[tuple[str, str, str]] = frozenset(
    {
        ("imagebuilder", "GetWorkflow", "workflow.tags"),
        ("imagebuilder", "ListTagsForResource", "tags"),
        ("connect", "ListTagsForResource", "tags"),
    }
)

_BUILD_ARN = (
    r"^arn:aws(?:-[a-z]+)*:imagebuilder:[a-z]{2,}(?:-[a-z]+)+-[0-9]+:(?:[0-9]{12}|aws(?:-[a-z-]+)?)"
    r":workflow/(build|test|distribution)/[a-z0-9-_]+/[0-9]+\.[0-9]+\.[0-9]+/[0-9]+$"
)

_ISO_MILLIS = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$"

#: (service, shape name) -> the pattern checked instead of the model's (a known model bug).
MODEL_BUGS: dict[tuple[str, str], str] = {
    # The model says one character (^[a-zA-Z0-9]$); real values are 64 lower-case hex characters.
    ("connect", "ViewContentSha256"): r"^[0-9a-f]{64}$",
    # The model says .../x.x.x; real ListWorkflowBuildVersions items carry build version ARNs.
    ("imagebuilder", "WorkflowNameArn"): _BUILD_ARN,
    # A plain string in the model; real values are ISO-8601 UTC with milliseconds.
    ("imagebuilder", "DateTime"): _ISO_MILLIS,
}


def check_response(service: str, operation: str, response: Mapping[str, Any]) -> list[str]:
    """The problems of a successful response of ``operation``; an empty list when it is faithful.

    ``response`` is the output dict in client member names (``Call.response``), with datetimes for
    timestamps. Checks the installed botocore output shape (types, unknown members, required
    members, lengths, ranges, enums, patterns) and the members of ``CONTRACT``.
    """
    contract = CONTRACT.get((service, operation))
    if contract is None:
        return [f"{service} {operation}: no response contract (add it to {__name__}.CONTRACT)"]
    problems: list[str] = []
    shape = service_model(service).operation_model(operation).output_shape
    if shape is None:
        if response:
            problems.append(f"the operation has no output, got members {sorted(response)}")
    else:
        _Walker(service, operation, problems).check(shape, response, "")
    for member in contract:
        _present(response, member.path.split("."), member, problems, "")
    return [f"{service} {operation}: {p}" for p in problems]


def _present(
    obj: Any, segments: list[str], member: Member, problems: list[str], where: str
) -> None:
    if not isinstance(obj, Mapping):
        return  # the shape walk reports the type problem
    head, rest = segments[0], segments[1:]
    is_list = head.endswith("[]")
    name = head[:-2] if is_list else head
    here = f"{where}.{name}" if where else name
    if not rest and member.when is not None and not member.when(obj):
        return
    if name not in obj:
        reason = f" ({member.why})" if member.why else ""
        problems.append(f"{here}: missing, the real service returns it{reason}")
        return
    value = obj[name]
    if not rest:
        return
    if is_list:
        if isinstance(value, list):
            for index, item in enumerate(value):
                _present(item, rest, member, problems, f"{here}[{index}]")
        return
    _present(value, rest, member, problems, here)


class _Walker:
    """Walks a value against a botocore output shape, collecting every problem."""

    def __init__(self, service: str, operation: str, problems: list[str]) -> None:
        self.service = service
        self.operation = operation
        self.problems = problems

    def report(self, path: str, message: str) -> None:
        self.problems.append(f"{path or '<response>'}: {message}")

    def check(self, shape: Shape, value: Any, path: str) -> None:
        kind = shape.type_name
        if value is None:
            self.report(path, "is None (omit the member instead)")
            return
        checker = getattr(self, f"_{kind}", None)
        if checker is not None:
            checker(shape, value, path)

    def _structure(self, shape: Shape, value: Any, path: str) -> None:
        if not isinstance(value, Mapping):
            self.report(path, f"must be a structure ({shape.name}), got {type(value).__name__}")
            return
        members = shape.members
        for name in shape.required_members:
            if name not in value:
                self.report(_join(path, name), f"missing, required by {shape.name}")
        for name, item in value.items():
            member = members.get(name)
            if member is None:
                self.report(
                    _join(path, name),
                    f"not a member of {shape.name} in the installed botocore model "
                    f"(known: {', '.join(members)})",
                )
                continue
            self.check(member, item, _join(path, name))

    def _list(self, shape: Shape, value: Any, path: str) -> None:
        if not isinstance(value, list):
            self.report(path, f"must be a list ({shape.name}), got {type(value).__name__}")
            return
        self._size(shape, len(value), path)
        for index, item in enumerate(value):
            self.check(shape.member, item, f"{path}[{index}]")

    def _map(self, shape: Shape, value: Any, path: str) -> None:
        if not isinstance(value, Mapping):
            self.report(path, f"must be a map ({shape.name}), got {type(value).__name__}")
            return
        if not value and (self.service, self.operation, path) in EMPTY_TAGS_ALLOWED:
            return
        self._size(shape, len(value), path)
        for key, item in value.items():
            self.check(shape.key, key, f"{path}.key({key!r})")
            self.check(shape.value, item, f"{path}[{key!r}]")

    def _string(self, shape: Shape, value: Any, path: str) -> None:
        if not isinstance(value, str):
            self.report(path, f"must be a string ({shape.name}), got {type(value).__name__}")
            return
        self._size(shape, len(value), path)
        enum = shape.enum
        if enum and value not in enum:
            self.report(path, f"{value!r} is not one of {shape.name}'s values {list(enum)}")
        bug = MODEL_BUGS.get((self.service, shape.name))
        pattern = bug if bug is not None else shape.metadata.get("pattern")
        if pattern:
            compiled = _compiled(pattern)
            if compiled is not None and compiled.search(value) is None:
                shown = value if len(value) <= 120 else value[:120] + "..."
                self.report(path, f"{shown!r} does not match {shape.name}'s pattern {pattern}")

    def _integer(self, shape: Shape, value: Any, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(path, f"must be an integer ({shape.name}), got {type(value).__name__}")
            return
        meta = shape.metadata
        if "min" in meta and value < meta["min"]:
            self.report(path, f"{value} is below {shape.name}'s minimum {meta['min']}")
        if "max" in meta and value > meta["max"]:
            self.report(path, f"{value} is above {shape.name}'s maximum {meta['max']}")

    _long = _integer

    def _boolean(self, shape: Shape, value: Any, path: str) -> None:
        if not isinstance(value, bool):
            self.report(path, f"must be a boolean ({shape.name}), got {type(value).__name__}")

    def _float(self, shape: Shape, value: Any, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.report(path, f"must be a number ({shape.name}), got {type(value).__name__}")

    _double = _float

    def _timestamp(self, shape: Shape, value: Any, path: str) -> None:
        if not isinstance(value, dt.datetime):
            self.report(path, f"must be a datetime ({shape.name}), got {type(value).__name__}")
        elif value.tzinfo is None:
            self.report(path, "must be an aware datetime (UTC), got a naive one")

    def _blob(self, shape: Shape, value: Any, path: str) -> None:
        if not isinstance(value, (bytes, bytearray)):
            self.report(path, f"must be bytes ({shape.name}), got {type(value).__name__}")

    def _size(self, shape: Shape, size: int, path: str) -> None:
        meta = shape.metadata
        if "min" in meta and size < meta["min"]:
            self.report(path, f"size {size} is below {shape.name}'s minimum {meta['min']}")
        if "max" in meta and size > meta["max"]:
            self.report(path, f"size {size} is above {shape.name}'s maximum {meta['max']}")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
