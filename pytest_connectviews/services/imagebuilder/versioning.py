"""Semantic versions, build versions and wildcard ARNs: what workflows, components, recipes and
images share (SPEC §5, §10; reference §2).

A *scope* holds the versioned resources of one owner (an account, or Amazon) in one region, for
one resource kind (``workflow``, ``component``, ``image-recipe``, ``image``). An entry is keyed by
(group, normalized name, semantic version) — the group is the workflow type, or ``""`` for kinds
without one — and holds build versions 1, 2, ... (a recipe holds its one "build" 1 and has no
build node in its ARN). Lists are served from sorted keys with ``bisect``: a page costs O(page).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ...errors import ServiceError
from .._kit.arns import partition_of

MAX_VERSION_NODE = 1_073_741_823
AMAZON_ACCOUNT = "aws"
AMAZON_OWNER = "Amazon"
_INF = 1 << 62

Version = tuple[int, int, int]
#: (group, normalized name, version) — identifies a resource version.
Key = tuple[str, str, Version]
#: List order: normalized name, group, newest version first.
SortKey = tuple[str, str, int, int, int]
#: A version pattern: a node, or None for ``x``.
Pattern = tuple[int | None, ...]


def normalize_name(name: str) -> str:
    """The ARN segment of a name: lower-case, spaces and ``_`` turned into ``-``."""
    return name.lower().replace(" ", "-").replace("_", "-")


def iso_millis(when: dt.datetime) -> str:
    """ISO-8601 UTC with milliseconds and ``Z``, as Image Builder writes ``dateCreated``."""
    when = when.astimezone(dt.timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def iso_at(seconds: float) -> str:
    """``iso_millis`` of a fake-clock time (epoch seconds)."""
    return iso_millis(dt.datetime.fromtimestamp(seconds, dt.timezone.utc))


def version_text(version: Version) -> str:
    return f"{version[0]}.{version[1]}.{version[2]}"


def invalid_value(parameter: str, detail: str) -> ServiceError:
    """Image Builder's InvalidParameterValueException for ``parameter``."""
    return ServiceError(
        "InvalidParameterValueException",
        f"The value supplied for parameter '{parameter}' is not valid. {detail}",
    )


def invalid_token() -> ServiceError:
    return ServiceError(
        "InvalidPaginationTokenException",
        "The nextToken is not valid for this request; start again without nextToken.",
    )


def not_found(arn: str) -> ServiceError:
    return ServiceError("ResourceNotFoundException", f"The resource ARN '{arn}' does not exist.")


def exact_version(text: str) -> Version:
    """An exact ``M.m.p`` (the model checked the form); InvalidVersionNumber above the limit."""
    nodes = tuple(int(n) for n in text.split("."))
    if any(n > MAX_VERSION_NODE for n in nodes):
        raise ServiceError(
            "InvalidVersionNumberException",
            f"The semantic version '{text}' is not valid: each node must be "
            f"between 0 and {MAX_VERSION_NODE}.",
        )
    return (nodes[0], nodes[1], nodes[2])


def wildcard_pattern(nodes: tuple[str, ...], parameter: str) -> Pattern:
    """The pattern of version nodes that may end in ``x`` (only rightmost nodes may be ``x``)."""
    pattern: Pattern = tuple(None if n == "x" else int(n) for n in nodes)
    first_x = next((i for i, n in enumerate(pattern) if n is None), 3)
    if any(n is not None for n in pattern[first_x:]):
        raise invalid_value(
            parameter,
            f"Wildcard version '{'.'.join(nodes)}' is not valid: once a version node is 'x', "
            "every node to its right must be 'x' too (for example 1.x.x or 1.2.x).",
        )
    return pattern


def is_wildcard(pattern: Pattern) -> bool:
    return any(n is None for n in pattern)


def filter_values(raw: list[dict[str, Any]] | None, names: tuple[str, ...]) -> dict[str, set[str]]:
    """The ``filters`` of a listing as name -> allowed values (a name given twice: both apply)."""
    filters: dict[str, set[str]] = {}
    for index, item in enumerate(raw or []):
        name = item.get("name")
        if name not in names:
            raise invalid_value(
                f"filters[{index}].name",
                f"Unsupported filter name {name!r}. Valid filter names: {', '.join(names)}.",
            )
        values = item.get("values")
        if not values:
            raise invalid_value(f"filters[{index}].values", "A filter needs at least one value.")
        filters.setdefault(name, set(values)).intersection_update(values)
    return filters


@dataclass
class VersionEntry:
    """One resource version: its builds (``Any``: each kind keeps its own build record)."""

    type: str  # the group: a workflow type, or "" for kinds without one
    norm: str
    version: Version
    builds: dict[int, Any] = field(default_factory=dict)
    numbers: list[int] = field(default_factory=list)  # ascending
    next_build: int = 1

    @property
    def newest(self) -> Any:
        return self.builds[self.numbers[-1]]

    @property
    def sort_key(self) -> SortKey:
        return (self.norm, self.type, -self.version[0], -self.version[1], -self.version[2])

    def add_build(self, build: Any) -> int:
        """Store ``build`` as the next build number (never reused) and return the number."""
        number = self.next_build
        self.builds[number] = build
        self.numbers.append(number)
        self.next_build = number + 1
        return number


@dataclass
class Scope:
    """The versioned resources of one kind of one owner (an account, or Amazon) in one region."""

    account: str
    owner: str
    region: str
    partition: str
    resource: str = "workflow"
    versions: dict[Key, VersionEntry] = field(default_factory=dict)
    order: list[SortKey] = field(default_factory=list)
    by_name: dict[tuple[str, str], list[Version]] = field(default_factory=dict)

    def base_arn(self, group: str, norm: str) -> str:
        kind = f"{self.resource}/{group.lower()}" if group else self.resource
        return f"arn:{self.partition}:imagebuilder:{self.region}:{self.account}:{kind}/{norm}"

    def version_arn(self, entry: VersionEntry) -> str:
        return f"{self.base_arn(entry.type, entry.norm)}/{version_text(entry.version)}"

    def build_arn(self, entry: VersionEntry, number: int) -> str:
        return f"{self.version_arn(entry)}/{number}"

    def add(self, entry: VersionEntry) -> None:
        self.versions[(entry.type, entry.norm, entry.version)] = entry
        bisect.insort(self.order, entry.sort_key)
        bisect.insort(self.by_name.setdefault((entry.type, entry.norm), []), entry.version)

    def remove(self, entry: VersionEntry) -> None:
        del self.versions[(entry.type, entry.norm, entry.version)]
        self.order.pop(bisect.bisect_left(self.order, entry.sort_key))
        versions = self.by_name[(entry.type, entry.norm)]
        versions.pop(bisect.bisect_left(versions, entry.version))
        if not versions:
            del self.by_name[(entry.type, entry.norm)]

    def drop_build(self, entry: VersionEntry, number: int) -> None:
        """Forget one build; the version goes with its last build."""
        del entry.builds[number]
        entry.numbers.remove(number)
        if not entry.numbers:
            self.remove(entry)

    def entry_at(self, key: SortKey) -> VersionEntry:
        return self.versions[(key[1], key[0], (-key[2], -key[3], -key[4]))]

    def matching_versions(self, group: str, norm: str, pattern: Pattern) -> list[Version]:
        """Versions of one resource matching ``pattern`` (None = ``x``), ascending."""
        versions = self.by_name.get((group, norm), [])
        fixed = tuple(v for v in pattern if v is not None)
        low = bisect.bisect_left(versions, fixed)
        high = bisect.bisect_right(versions, (*fixed, *([_INF] * (3 - len(fixed)))))
        return versions[low:high]

    def newest_matching(self, group: str, norm: str, pattern: Pattern) -> VersionEntry | None:
        versions = self.matching_versions(group, norm, pattern)
        return self.versions[(group, norm, versions[-1])] if versions else None

    def scan(
        self,
        after: SortKey | None,
        names: set[str] | None,
        keep: Callable[[VersionEntry], bool],
        by_name: bool,
        name_of: Callable[[VersionEntry], str],
    ) -> Iterator[VersionEntry]:
        """Entries in list order after ``after``: only names in ``names`` (verbatim, if given)
        and entries ``keep`` accepts; ``by_name``: the newest version of each name only."""
        order = self.order
        if names is not None:
            norms = sorted({normalize_name(v) for v in names})
            ranges = [
                (bisect.bisect_left(order, (n,)), bisect.bisect_left(order, (n + "\x00",)))
                for n in norms
            ]
        else:
            ranges = [(0, len(order))]
        if after is not None:
            # byName resumes after the whole (name, group) of the last item.
            resume = (after[0], after[1], 1) if by_name else after
            floor = bisect.bisect_right(order, resume)
            ranges = [(max(lo, floor), hi) for lo, hi in ranges]
        for lo, hi in ranges:
            index = lo
            while index < hi:
                entry = self.entry_at(order[index])
                index += 1
                if names is not None and name_of(entry) not in names:
                    continue
                if not keep(entry):
                    continue
                yield entry
                if by_name:
                    index = max(index, bisect.bisect_left(order, (entry.norm, entry.type, 1)))


def account_scope(
    scopes: dict[tuple[str, str], Scope], account: str, region: str, resource: str
) -> Scope:
    """The ``resource`` scope of ``account`` in ``region`` from ``scopes``, made on first use."""
    key = (account, region)
    found = scopes.get(key)
    if found is None:
        found = scopes[key] = Scope(account, account, region, partition_of(region), resource)
    return found


def latest_refs(scope: Scope, entry: VersionEntry) -> dict[str, str]:
    """``latestVersionReferences`` of a version: x.x.x, M.x.x, M.m.x, M.m.p (managed: x.x.x)."""
    base = scope.base_arn(entry.type, entry.norm)
    refs = {"latestVersionArn": f"{base}/x.x.x"}
    if scope.account != AMAZON_ACCOUNT:
        major, minor, patch = entry.version
        refs["latestMajorVersionArn"] = f"{base}/{major}.x.x"
        refs["latestMinorVersionArn"] = f"{base}/{major}.{minor}.x"
        refs["latestPatchVersionArn"] = f"{base}/{major}.{minor}.{patch}"
    return refs


def sort_key_token(raw: Any) -> SortKey:
    """The list position a page token holds."""
    if (
        isinstance(raw, list)
        and len(raw) == 5
        and all(isinstance(v, str) for v in raw[:2])
        and all(isinstance(v, int) and not isinstance(v, bool) for v in raw[2:])
    ):
        return (raw[0], raw[1], raw[2], raw[3], raw[4])
    raise invalid_token()


def build_position_token(raw: Any) -> tuple[int, int, int, int]:
    """The (version, build) position a build-listing page token holds."""
    if (
        isinstance(raw, list)
        and len(raw) == 4
        and all(isinstance(v, int) and not isinstance(v, bool) for v in raw)
    ):
        return (raw[0], raw[1], raw[2], raw[3])
    raise invalid_token()


def builds_newest_first(
    scope: Scope, group: str, norm: str, pattern: Pattern, after: Any
) -> Iterator[tuple[list[int], VersionEntry, int]]:
    """(position, entry, build number) of the builds of matching versions, newest first."""
    below = None if after is None else build_position_token(after)
    versions = scope.matching_versions(group, norm, pattern)
    end = len(versions) if below is None else bisect.bisect_right(versions, below[:3])
    for position in range(end - 1, -1, -1):
        entry = scope.versions[(group, norm, versions[position])]
        numbers = entry.numbers
        stop = len(numbers)
        if below is not None and entry.version == below[:3]:
            stop = bisect.bisect_left(numbers, below[3])
        for index in range(stop - 1, -1, -1):
            yield [*entry.version, numbers[index]], entry, numbers[index]


def all_builds_newest_first(
    scope: Scope, after: Any
) -> Iterator[tuple[list[Any], VersionEntry, int]]:
    """(position, entry, build number) of every build of ``scope``: by name (then type), newest
    version and build first (the build listings called without a version ARN)."""
    order = scope.order
    index, below = 0, None
    if after is not None:
        if not isinstance(after, list) or len(after) != 6:
            raise invalid_token()
        key, number = sort_key_token(after[:5]), after[5]
        if type(number) is not int or number < 1:
            raise invalid_token()
        index, below = bisect.bisect_left(order, key), number
        if index == len(order) or order[index] != key:
            below = None  # that version is gone: go on with the next one
    while index < len(order):
        entry = scope.entry_at(order[index])
        index += 1
        numbers = entry.numbers
        stop = len(numbers) if below is None else bisect.bisect_left(numbers, below)
        below = None
        for position in range(stop - 1, -1, -1):
            yield [*entry.sort_key, numbers[position]], entry, numbers[position]


#: Parts of an Image Builder ARN of a versioned kind: partition, region, account, kind path,
#: name, three version nodes, build.
VERSIONED_ARN = re.compile(
    r"^arn:(aws[^:]*):imagebuilder:([^:]+):([0-9]{12}|aws(?:-[a-z-]+)?|third-party):"
    r"(component|image-recipe|image)/([a-z0-9\-_]+)/"
    r"([0-9]+|x)\.([0-9]+|x)\.([0-9]+|x)(?:/([0-9]+))?\Z"
)
