"""Amazon Connect views: state per account, region and instance, one method per operation.

The decisions are SPEC §4; where the real service is unknown the SPEC chose, see the README.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from ...errors import ServiceError
from .._kit.arns import make_arn, parse_arn, partition_of
from .._kit.context import Family, Quota, RequestContext
from .._kit.idempotency import fingerprint
from .._kit.pagination import paginate

if TYPE_CHECKING:
    from .shared import ConnectShared

MAX_CONTENT_BYTES = 409_600
CUSTOMER = "CUSTOMER_MANAGED"
AWS_MANAGED = "AWS_MANAGED"
#: the account segment of AWS-managed view ARNs
AWS_ACCOUNT = "aws"
_TYPE_RANK = {AWS_MANAGED: 0, CUSTOMER: 1}
_INPUT_REF = re.compile(r"^\$\.([A-Za-z0-9_]+)")
#: SearchViews StringCondition FieldName (case-insensitive) -> View member.
_SEARCH_FIELDS = {"name": "Name", "description": "Description", "resourceid": "Id"}

_PROPERTY_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "pattern": "^$|^(?!\\$\\.).+"},
        {"type": "number"},
        {
            "anyOf": [
                {
                    "type": "string",
                    "pattern": "^\\$\\.{1}#[a-zA-Z0-9_]+(\\[[0-9]*\\])*"
                    "(\\.[a-zA-Z0-9_]+(\\[[0-9]*\\])*)*$",
                }
            ]
        },
    ]
}
_VIEW_CONDITION: dict[str, Any] = {
    "ViewCondition": {
        "$id": "/view/condition",
        "type": "object",
        "patternProperties": {
            "^(MoreThan|LessThan|NotEquals|Equals|Includes)$": {
                "type": "object",
                "properties": {
                    "ElementByKey": {"type": "string"},
                    "ElementByValue": {
                        "anyOf": [
                            {"type": "number"},
                            {"type": "string"},
                            {"type": "boolean"},
                            {"type": "array"},
                            {"type": "object"},
                        ]
                    },
                },
                "additionalProperties": False,
            },
            "^(AndConditions|OrConditions)$": {
                "type": "array",
                "items": {"$ref": "/view/condition"},
            },
        },
        "additionalProperties": False,
    }
}


def input_refs(template: Any) -> list[str]:
    """The ``$.Name`` input names of a parsed template, depth-first, each once (values only)."""
    found: dict[str, None] = {}
    stack = [template]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            match = _INPUT_REF.match(node)
            if match:
                found.setdefault(match.group(1))
        elif isinstance(node, dict):
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return list(found)


def input_schema(template: Any) -> str:
    """The InputSchema the service generates for a parsed template (SPEC §4 / reference A.2)."""
    schema = {
        "type": "object",
        "properties": {name: _PROPERTY_SCHEMA for name in input_refs(template)},
        "required": [],
        "$defs": _VIEW_CONDITION,
    }
    return json.dumps(schema, separators=(",", ":"))


def content_sha256(template: str, actions: list[str]) -> str:
    """ViewContentSha256: sha256 of the canonical JSON of ``{"Actions", "Template"}``."""
    canonical = json.dumps(
        {"Actions": actions, "Template": template},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Content:
    """View content; immutable and interned by its sha, so aliases and versions share it."""

    template: str
    actions: tuple[str, ...]
    sha: str
    input_schema: str

    def wire(self) -> dict[str, Any]:
        return {
            "InputSchema": self.input_schema,
            "Template": self.template,
            "Actions": list(self.actions),
        }


@dataclass
class Version:
    number: int
    content: Content
    description: str | None
    created: dt.datetime


@dataclass
class View:
    id: str
    arn: str
    instance_id: str
    name: str
    description: str | None
    created: dt.datetime
    modified: dt.datetime
    saved: Content
    latest: Content | None
    versions: dict[int, Version] = field(default_factory=dict)
    numbers: list[int] = field(default_factory=list)  # ascending
    next_version: int = 1

    @property
    def highest(self) -> Version | None:
        return self.versions[self.numbers[-1]] if self.numbers else None


@dataclass
class InstanceViews:
    """The customer-managed views of one instance."""

    id: str
    views: dict[str, View] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)  # sorted customer view names
    by_name: dict[str, str] = field(default_factory=dict)
    #: moves on every change of a view of the instance (SearchViews caches its matches by it).
    generation: int = 0


@dataclass(frozen=True)
class ManagedView:
    id: str
    name: str
    content: Content


_MANAGED_NAMES = {
    "after-contact-work": "After Contact Work",
    "cards": "Cards",
    "confirmation": "Confirmation",
    "detail": "Detail",
    "form": "Form",
    "list": "List",
}
_MANAGED_CREATED = dt.datetime(2023, 9, 1, tzinfo=dt.timezone.utc)
_managed_cache: list[ManagedView] | None = None


def managed_views() -> list[ManagedView]:
    """The AWS-managed views, sorted by name (loaded once per process from package data)."""
    global _managed_cache
    if _managed_cache is None:
        raw = json.loads(
            resources.files("pytest_connectviews.services.connect")
            .joinpath("managed_views.json")
            .read_text("utf-8")
        )
        views = []
        for view_id, name in _MANAGED_NAMES.items():
            spec = raw[view_id]
            template = json.dumps(spec["Template"], separators=(",", ":"))
            actions = list(spec["Actions"])
            views.append(
                ManagedView(
                    view_id,
                    name,
                    Content(
                        template,
                        tuple(actions),
                        content_sha256(template, actions),
                        input_schema(spec["Template"]),
                    ),
                )
            )
        _managed_cache = sorted(views, key=lambda v: v.name)
    return _managed_cache


_VIEW_RESOURCE = re.compile(r"^instance/([A-Za-z0-9_-]+)/view/([A-Za-z0-9_-]+)$")
_VIEW_REFERENCE = re.compile(r"^instance/([A-Za-z0-9_-]+)/view/([A-Za-z0-9_-]+)(?::(.+))?$")
_SEARCHES_KEPT = 8
VIEWS_PER_INSTANCE = Quota(
    "connect.views_per_instance", "customer-managed views per Connect instance"
)
VERSIONS_PER_VIEW = Quota("connect.versions_per_view", "numbered versions per view")


def _not_found(message: str) -> ServiceError:
    return ServiceError("ResourceNotFoundException", message)


def _invalid(message: str) -> ServiceError:
    return ServiceError("InvalidParameterException", message)


def _invalid_token() -> ServiceError:
    return _invalid("Invalid NextToken")


class Views(Family):
    """The Connect views API: CreateView ... SearchViews (tags are the service's tag store)."""

    quotas = (VIEWS_PER_INSTANCE, VERSIONS_PER_VIEW)
    shared: ConnectShared

    def __init__(self, shared: ConnectShared) -> None:
        super().__init__(shared)
        self._instances: dict[tuple[str, str, str], InstanceViews] = {}
        self._contents: dict[str, Content] = {}
        # (instance key, query) -> (instance and tag generations, matches), a few recent searches
        self._searches: dict[tuple[Any, ...], tuple[tuple[int, int], list[Any]]] = {}
        shared.tags.register("view", self._tag_target)
        shared.instances.on_delete(self._instance_deleted)
        shared.view_references = self.reference_problem

    def _instance_deleted(self, account_id: str, region: str, instance_id: str) -> None:
        """DeleteInstance: its views, their versions and tags go with it."""
        gone = self._instances.pop((account_id, region, instance_id), None)
        if gone is not None:
            for view in gone.views.values():
                self.shared.tags.drop(view.arn)
            self._searches.clear()

    # ------------------------------------------------------------------ state helpers
    def _instance(self, ctx: RequestContext, raw_id: str) -> InstanceViews:
        instance_id = self.shared.instances.resolve(ctx, raw_id)
        key = (ctx.account_id, ctx.region, instance_id)
        found = self._instances.get(key)
        if found is None:
            found = self._instances[key] = InstanceViews(instance_id)
        return found

    def _content(self, raw: dict[str, Any], status: str) -> Content:
        template = raw.get("Template")
        actions = list(raw.get("Actions") or [])
        if template is None:
            raise _invalid("Content.Template is required: a JSON object serialized as a string")
        size = len(template.encode("utf-8")) + sum(len(a.encode("utf-8")) for a in actions)
        if size > MAX_CONTENT_BYTES:
            raise _invalid(
                f"The view content is {size} bytes; the total uncompressed content has a maximum "
                f"size of 400kB ({MAX_CONTENT_BYTES} bytes)"
            )
        try:
            parsed = json.loads(template)
        except ValueError as exc:
            raise _invalid(f"Content.Template is not valid JSON: {exc}") from None
        if not isinstance(parsed, dict):
            raise _invalid("Content.Template must be a JSON object")
        if status == "PUBLISHED":
            self._full_validation(parsed, actions)
        sha = content_sha256(template, actions)
        found = self._contents.get(sha)
        if found is None or found.template != template or list(found.actions) != actions:
            found = Content(template, tuple(actions), sha, input_schema(parsed))
            self._contents[sha] = found
        return found

    @staticmethod
    def _full_validation(template: dict[str, Any], actions: list[str]) -> None:
        for key in ("Head", "Body"):
            if key not in template:
                raise _invalid(f"Content.Template is missing '{key}', required to publish a view")
        body = template["Body"]
        if not isinstance(body, list):
            raise _invalid("Content.Template 'Body' must be a list of components")
        seen: set[str] = set()
        allowed = set(actions)
        stack: list[tuple[Any, str]] = [(c, f"Body[{i}]") for i, c in enumerate(body)]
        while stack:
            component, where = stack.pop()
            if isinstance(component, str):
                continue
            if not isinstance(component, dict):
                raise _invalid(
                    f"Content.Template component at {where} must be an object or a string"
                )
            for key in ("_id", "Type", "Props"):
                if key not in component:
                    raise _invalid(f"Content.Template component at {where} is missing '{key}'")
            component_id = component["_id"]
            if not isinstance(component_id, str) or not component_id:
                raise _invalid(
                    f"Content.Template component at {where} needs a non-empty string '_id'"
                )
            if component_id in seen:
                raise _invalid(f"Content.Template component _id '{component_id}' is not unique")
            seen.add(component_id)
            props = component["Props"]
            if isinstance(props, dict) and "Action" in props:
                action = props["Action"]
                if isinstance(action, str) and action not in allowed:
                    raise _invalid(
                        f"Action '{action}' of component '{component_id}' is not listed in "
                        "Content.Actions"
                    )
            children = component.get("Content")
            if isinstance(children, list):
                stack.extend((c, f"{where}.Content[{i}]") for i, c in enumerate(children))

    def _parse_view_id(
        self, ctx: RequestContext, instance: InstanceViews, raw: str
    ) -> tuple[str, bool, str | None]:
        """(view id, is AWS-managed, qualifier) from an id, an ARN, either with a qualifier."""
        managed = False
        rest = raw
        if raw.startswith("arn:"):
            arn = parse_arn(raw)
            if arn is None or arn.service != "connect" or arn.region != ctx.region:
                raise _not_found(f"View not found: {raw}")
            if arn.account == AWS_ACCOUNT and arn.resource.startswith("view/"):
                managed = True
                rest = arn.resource[len("view/") :]
            else:
                prefix = f"instance/{instance.id}/view/"
                if arn.account != ctx.account_id or not arn.resource.startswith(prefix):
                    raise _not_found(f"View not found: {raw}")
                rest = arn.resource[len(prefix) :]
        view_id, sep, qualifier = rest.partition(":")
        if not view_id:
            raise _not_found(f"View not found: {raw}")
        if sep:
            if qualifier not in ("$SAVED", "$LATEST") and not (
                qualifier.isdigit() and int(qualifier) > 0
            ):
                raise _invalid(
                    f"Invalid view qualifier '{qualifier}': use $SAVED, $LATEST or a version number"
                )
            return view_id, managed, qualifier
        return view_id, managed, None

    def _view(self, ctx: RequestContext, instance: InstanceViews, raw: str, *, write: bool) -> View:
        view_id, managed, _ = self._parse_view_id(ctx, instance, raw)
        if managed:
            if write and any(m.id == view_id for m in managed_views()):
                raise ServiceError(
                    "AccessDeniedException",
                    f"AWS managed views cannot be modified or deleted: {raw}",
                )
            raise _not_found(f"View not found: {raw}")
        view = instance.views.get(view_id)
        if view is None:
            raise _not_found(f"View not found: {raw}")
        return view

    @staticmethod
    def _managed_arn(ctx: RequestContext, managed: ManagedView) -> str:
        return make_arn("connect", ctx.region, AWS_ACCOUNT, f"view/{managed.id}")

    # ------------------------------------------------------------------ wire shapes
    @staticmethod
    def _saved_status(view: View) -> str:
        return (
            "PUBLISHED"
            if view.latest is not None and view.latest.sha == view.saved.sha
            else "SAVED"
        )

    def _wire_view(self, view: View, qualifier: str) -> dict[str, Any]:
        out: dict[str, Any] = {"Id": view.id, "Arn": f"{view.arn}:{qualifier}", "Name": view.name}
        modified = view.modified
        if qualifier == "$SAVED":
            content, status = view.saved, self._saved_status(view)
            version = view.highest
            number = version.number if version else None
            version_description = None
        elif qualifier == "$LATEST":
            assert view.latest is not None
            content, status = view.latest, "PUBLISHED"
            version = view.highest
            number = version.number if version else None
            version_description = None
        else:
            found = view.versions[int(qualifier)]
            content, status, number = found.content, "PUBLISHED", found.number
            version_description = found.description
            modified = found.created
        out["Status"] = status
        out["Type"] = CUSTOMER
        if view.description is not None:
            out["Description"] = view.description
        if number is not None:
            out["Version"] = number
        if version_description is not None:
            out["VersionDescription"] = version_description
        out["Content"] = content.wire()
        tags = self.shared.tags.of(view.arn)
        if tags:
            out["Tags"] = dict(tags)
        out["CreatedTime"] = view.created
        out["LastModifiedTime"] = modified
        out["ViewContentSha256"] = content.sha
        return out

    def _wire_managed(self, ctx: RequestContext, managed: ManagedView) -> dict[str, Any]:
        return {
            "Id": managed.id,
            "Arn": f"{self._managed_arn(ctx, managed)}:1",
            "Name": managed.name,
            "Status": "PUBLISHED",
            "Type": AWS_MANAGED,
            "Version": 1,
            "Content": managed.content.wire(),
            "CreatedTime": _MANAGED_CREATED,
            "LastModifiedTime": _MANAGED_CREATED,
            "ViewContentSha256": managed.content.sha,
        }

    # ------------------------------------------------------------------ operations
    def create_view(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        token = p.get("ClientToken")
        status = p["Status"]
        qualifier = "$LATEST" if status == "PUBLISHED" else "$SAVED"
        scope = (ctx.account_id, ctx.region, instance.id)
        request = fingerprint(p, ignore=("ClientToken", "InstanceId"))
        if token is not None:
            view_id = self.shared.idempotency.replay(
                scope,
                token,
                request,
                _invalid(f"ClientToken '{token}' was already used with different parameters"),
            )
            if view_id is not None:
                replayed = instance.views.get(view_id)
                if replayed is None:
                    raise _not_found(f"View created with ClientToken '{token}' was deleted")
                return {"View": self._wire_view(replayed, qualifier)}
        name = p["Name"]
        if name in instance.by_name:
            raise ServiceError(
                "DuplicateResourceException",
                f"A view with the name '{name}' already exists in instance {instance.id}",
            )
        ctx.check_quota(VIEWS_PER_INSTANCE, len(instance.views), f"instance {instance.id}")
        content = self._content(p["Content"], status)
        now = ctx.clock.now()
        view_id = str(uuid.uuid4())
        view = View(
            id=view_id,
            arn=make_arn(
                "connect", ctx.region, ctx.account_id, f"instance/{instance.id}/view/{view_id}"
            ),
            instance_id=instance.id,
            name=name,
            description=p.get("Description"),
            created=now,
            modified=now,
            saved=content,
            latest=content if status == "PUBLISHED" else None,
        )
        instance.views[view_id] = view
        instance.by_name[name] = view_id
        bisect.insort(instance.names, name)
        instance.generation += 1
        if p.get("Tags"):
            self.shared.tags.set(view.arn, p["Tags"])
        if token is not None:
            self.shared.idempotency.remember(scope, token, request, view_id)
        return {"View": self._wire_view(view, qualifier)}

    def create_view_version(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        view = self._view(ctx, instance, p["ViewId"], write=True)
        latest = view.latest
        if latest is None:
            raise _not_found(f"View {view.id} has no published ($LATEST) content to version")
        given = p.get("ViewContentSha256")
        if given is not None and given.lower() != latest.sha:
            raise _invalid(
                f"ViewContentSha256 '{given}' does not match the $LATEST content of view {view.id} "
                f"({latest.sha})"
            )
        highest = view.highest
        if highest is not None and highest.content.sha == latest.sha:
            return {"View": self._wire_view(view, str(highest.number))}
        ctx.check_quota(VERSIONS_PER_VIEW, len(view.numbers), f"view {view.id}")
        number = view.next_version
        now = ctx.clock.now()
        view.versions[number] = Version(number, latest, p.get("VersionDescription"), now)
        view.numbers.append(number)
        view.next_version = number + 1
        view.modified = now
        instance.generation += 1
        return {"View": self._wire_view(view, str(number))}

    def describe_view(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        raw = p["ViewId"]
        view_id, managed, qualifier = self._parse_view_id(ctx, instance, raw)
        if managed:
            for candidate in managed_views():
                if candidate.id == view_id and qualifier in (None, "1", "$LATEST", "$SAVED"):
                    return {"View": self._wire_managed(ctx, candidate)}
            raise _not_found(f"View not found: {raw}")
        view = instance.views.get(view_id)
        if view is None:
            raise _not_found(f"View not found: {raw}")
        if qualifier is None or qualifier == "$LATEST":
            if view.latest is None:
                raise _not_found(
                    f"View {view.id} has no published content; "
                    "describe it with the $SAVED qualifier"
                )
            return {"View": self._wire_view(view, "$LATEST")}
        if qualifier == "$SAVED":
            return {"View": self._wire_view(view, "$SAVED")}
        if int(qualifier) not in view.versions:
            raise _not_found(f"Version {qualifier} of view {view.id} not found")
        return {"View": self._wire_view(view, str(int(qualifier)))}

    def list_views(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        view_type = p.get("Type")

        def seek(after: Any) -> Iterator[tuple[list[Any], dict[str, Any]]]:
            rank, name = (-1, "") if after is None else _rank_name(after)
            if view_type in (None, AWS_MANAGED) and rank <= 0:
                for managed in managed_views():
                    if rank == 0 and managed.name <= name:
                        continue
                    yield (
                        [0, managed.name],
                        {
                            "Id": managed.id,
                            "Arn": self._managed_arn(ctx, managed),
                            "Name": managed.name,
                            "Type": AWS_MANAGED,
                            "Status": "PUBLISHED",
                        },
                    )
            if view_type in (None, CUSTOMER):
                names = instance.names
                start = bisect.bisect_right(names, name) if rank == 1 else 0
                for index in range(start, len(names)):
                    view = instance.views[instance.by_name[names[index]]]
                    item = {
                        "Id": view.id,
                        "Arn": view.arn,
                        "Name": view.name,
                        "Type": CUSTOMER,
                        "Status": "PUBLISHED" if view.latest is not None else "SAVED",
                    }
                    if view.description is not None:
                        item["Description"] = view.description
                    yield [1, view.name], item

        return paginate(
            ctx,
            p,
            self.shared.pages,
            listing=f"ListViews:{ctx.account_id}:{ctx.region}:{instance.id}:{view_type}",
            seek=seek,
            invalid_token=_invalid_token(),
            default_limit=100,
        )

    def list_view_versions(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        raw = p["ViewId"]
        view_id, managed, _ = self._parse_view_id(ctx, instance, raw)
        if managed:
            for candidate in managed_views():
                if candidate.id == view_id:
                    return {
                        "ViewVersionSummaryList": [
                            {
                                "Id": candidate.id,
                                "Arn": f"{self._managed_arn(ctx, candidate)}:1",
                                "Name": candidate.name,
                                "Type": AWS_MANAGED,
                                "Version": 1,
                            }
                        ]
                    }
            raise _not_found(f"View not found: {raw}")
        view = instance.views.get(view_id)
        if view is None:
            raise _not_found(f"View not found: {raw}")

        def seek(below: Any) -> Iterator[tuple[int, dict[str, Any]]]:
            numbers = view.numbers
            if below is not None and (isinstance(below, bool) or not isinstance(below, int)):
                raise _invalid_token()
            end = len(numbers) if below is None else bisect.bisect_left(numbers, below)
            for index in range(end - 1, -1, -1):
                number = numbers[index]
                version = view.versions[number]
                item: dict[str, Any] = {
                    "Id": view.id,
                    "Arn": f"{view.arn}:{number}",
                    "Name": view.name,
                    "Type": CUSTOMER,
                    "Version": number,
                }
                if view.description is not None:
                    item["Description"] = view.description
                if version.description is not None:
                    item["VersionDescription"] = version.description
                yield number, item

        return paginate(
            ctx,
            p,
            self.shared.pages,
            listing=f"ListViewVersions:{view.arn}",
            seek=seek,
            invalid_token=_invalid_token(),
            default_limit=100,
        )

    def update_view_content(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        view = self._view(ctx, instance, p["ViewId"], write=True)
        status = p["Status"]
        content = self._content(p["Content"], status)
        view.saved = content
        if status == "PUBLISHED":
            view.latest = content
        view.modified = ctx.clock.now()
        instance.generation += 1
        return {"View": self._wire_view(view, "$LATEST" if status == "PUBLISHED" else "$SAVED")}

    def update_view_metadata(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        view = self._view(ctx, instance, p["ViewId"], write=True)
        name, description = p.get("Name"), p.get("Description")
        if name is None and description is None:
            raise ServiceError(
                "InvalidRequestException", "Either Name or Description must be provided"
            )
        if name is not None and name != view.name:
            if name in instance.by_name:
                raise ServiceError(
                    "DuplicateResourceException",
                    f"A view with the name '{name}' already exists in instance {instance.id}",
                )
            del instance.by_name[view.name]
            instance.names.pop(bisect.bisect_left(instance.names, view.name))
            view.name = name
            instance.by_name[name] = view.id
            bisect.insort(instance.names, name)
        if description is not None:
            view.description = description
        instance.generation += 1
        return {}

    def delete_view(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        view = self._view(ctx, instance, p["ViewId"], write=True)
        del instance.views[view.id]
        del instance.by_name[view.name]
        instance.names.pop(bisect.bisect_left(instance.names, view.name))
        instance.generation += 1
        self.shared.tags.drop(view.arn)
        return {}

    def delete_view_version(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        view = self._view(ctx, instance, p["ViewId"], write=True)
        number = p["ViewVersion"]
        if number not in view.versions:
            raise _not_found(f"Version {number} of view {view.id} not found")
        del view.versions[number]
        view.numbers.remove(number)
        instance.generation += 1
        return {}

    # ------------------------------------------------------------------ search
    def search_views(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        criteria = p.get("SearchCriteria")
        tag_filter = (p.get("SearchFilter") or {}).get("AttributeFilter")
        if criteria is not None:
            self._check_criteria(criteria)
        query = json.dumps([criteria, tag_filter], sort_keys=True, default=str)
        matches = self._matches(ctx, instance, criteria, tag_filter, query)
        listing = hashlib.sha256(
            f"SearchViews:{ctx.account_id}:{ctx.region}:{instance.id}:{query}".encode()
        ).hexdigest()

        def seek(after: Any) -> Iterator[tuple[int, dict[str, Any]]]:
            if after is not None and (isinstance(after, bool) or not isinstance(after, int)):
                raise _invalid_token()
            for index in range(0 if after is None else after + 1, len(matches)):
                item = matches[index]
                yield (
                    index,
                    (
                        self._wire_managed(ctx, item)
                        if isinstance(item, ManagedView)
                        else self._wire_view(
                            item, "$LATEST" if item.latest is not None else "$SAVED"
                        )
                    ),
                )

        out = paginate(
            ctx,
            p,
            self.shared.pages,
            listing=listing,
            seek=seek,
            invalid_token=_invalid_token(),
            default_limit=100,
        )
        out["ApproximateTotalCount"] = len(matches)
        return out

    def _matches(
        self,
        ctx: RequestContext,
        instance: InstanceViews,
        criteria: dict[str, Any] | None,
        tag_filter: dict[str, Any] | None,
        query: str,
    ) -> list[ManagedView | View]:
        """The views a search matches, in order; kept while neither the views nor tags change,
        so paging through N results costs O(N) in all, not O(views) per page."""
        key = (ctx.account_id, ctx.region, instance.id, query)
        generations = (instance.generation, self.shared.tags.generation)
        cached = self._searches.get(key)
        if cached is not None and cached[0] == generations:
            return cached[1]
        tags = self.shared.tags
        matches: list[ManagedView | View] = []
        for managed in managed_views():
            facts: dict[str, Any] = {
                "Name": managed.name,
                "Id": managed.id,
                "Type": AWS_MANAGED,
                "Status": "PUBLISHED",
            }
            if (criteria is None or self._criteria(criteria, facts)) and (
                tag_filter is None or self._tags_match(tag_filter, {})
            ):
                matches.append(managed)
        for name in instance.names:
            view = instance.views[instance.by_name[name]]
            facts = {
                "Name": view.name,
                "Id": view.id,
                "Type": CUSTOMER,
                "Description": view.description,
                "Status": "PUBLISHED" if view.latest is not None else "SAVED",
            }
            if (criteria is None or self._criteria(criteria, facts)) and (
                tag_filter is None or self._tags_match(tag_filter, tags.of(view.arn))
            ):
                matches.append(view)
        if len(self._searches) >= _SEARCHES_KEPT:
            self._searches.pop(next(iter(self._searches)))
        self._searches[key] = (generations, matches)
        return matches

    def _check_criteria(self, criteria: dict[str, Any]) -> None:
        """Refuse an unsupported StringCondition field anywhere in the criteria tree."""
        for key in ("OrConditions", "AndConditions"):
            for nested in criteria.get(key) or []:
                self._check_criteria(nested)
        condition = criteria.get("StringCondition")
        if (
            condition is not None
            and _SEARCH_FIELDS.get(str(condition.get("FieldName")).lower()) is None
        ):
            raise _invalid(
                f"StringCondition FieldName '{condition.get('FieldName')}' is not supported; "
                "use name, description or resourceId"
            )

    def _criteria(self, criteria: dict[str, Any], view: dict[str, Any]) -> bool:
        if "OrConditions" in criteria and not any(
            self._criteria(c, view) for c in criteria["OrConditions"]
        ):
            return False
        if "AndConditions" in criteria and not all(
            self._criteria(c, view) for c in criteria["AndConditions"]
        ):
            return False
        condition = criteria.get("StringCondition")
        if condition is not None:
            key = _SEARCH_FIELDS[str(condition.get("FieldName")).lower()]
            value = condition.get("Value", "")
            comparison = condition.get("ComparisonType", "EXACT")
            actual = str(view.get(key) or "")
            if comparison == "EXACT":
                ok = actual == value
            elif comparison == "STARTS_WITH":
                ok = actual.lower().startswith(value.lower())
            else:
                ok = value.lower() in actual.lower()
            if not ok:
                return False
        if "ViewTypeCondition" in criteria and view["Type"] != criteria["ViewTypeCondition"]:
            return False
        return not (
            "ViewStatusCondition" in criteria and view["Status"] != criteria["ViewStatusCondition"]
        )

    @staticmethod
    def _tags_match(tag_filter: dict[str, Any], tags: Mapping[str, str]) -> bool:
        def one(condition: dict[str, Any]) -> bool:
            key = condition.get("TagKey")
            if not isinstance(key, str) or key not in tags:
                return False
            value = condition.get("TagValue")
            return value is None or tags[key] == value

        def all_of(group: dict[str, Any]) -> bool:
            return all(one(c) for c in group.get("TagConditions", []))

        if "OrConditions" in tag_filter and not any(all_of(g) for g in tag_filter["OrConditions"]):
            return False
        if "AndCondition" in tag_filter and not all_of(tag_filter["AndCondition"]):
            return False
        return not ("TagCondition" in tag_filter and not one(tag_filter["TagCondition"]))

    # ------------------------------------------------------------------ flow references
    def reference_problem(
        self, ctx: RequestContext, instance_id: str, raw: str, version: str | None
    ) -> str | None:
        """Why the view ARN ``raw`` (a ShowView ViewResource.Id, with an optional separate
        Version) names no published view a flow of ``instance_id`` can show; None when it does."""
        arn = parse_arn(raw)
        if arn is None or arn.service != "connect":
            return f"'{raw}' is not a view ARN"
        if arn.region != ctx.region or arn.partition != partition_of(ctx.region):
            return f"the view '{raw}' is not in {ctx.region}"
        if arn.account == AWS_ACCOUNT and arn.resource.startswith("view/"):
            name, _, qualifier = arn.resource[len("view/") :].partition(":")
            if not any(m.id == name for m in managed_views()):
                return f"there is no AWS managed view '{name}'"
            if (qualifier or version) not in (None, "1", "$LATEST"):
                return f"AWS managed view '{name}' has only version 1"
            return None
        match = _VIEW_REFERENCE.match(arn.resource)
        if match is None or arn.account != ctx.account_id:
            return f"'{raw}' names no view of this instance"
        owner, view_id, qualifier = match.groups()
        if owner != instance_id:
            return f"the view '{view_id}' belongs to another instance ({owner})"
        instance = self._instances.get((ctx.account_id, ctx.region, instance_id))
        view = instance.views.get(view_id) if instance is not None else None
        if view is None:
            return f"the view '{view_id}' does not exist"
        wanted = qualifier or version
        if wanted in (None, "$LATEST"):
            return None if view.latest is not None else f"the view '{view_id}' is not published"
        if wanted.isdigit() and int(wanted) in view.versions:
            return None
        if wanted.isdigit():
            return f"version {wanted} of the view '{view_id}' does not exist"
        return f"a flow shows a published view: '{wanted}' is not $LATEST or a version number"

    # ------------------------------------------------------------------ tags
    def _tag_target(self, ctx: RequestContext, raw: str, write: bool) -> str | None:
        arn = parse_arn(raw)
        if arn is None or arn.service != "connect":
            return None
        if arn.account == AWS_ACCOUNT and arn.resource.startswith("view/"):
            if write:
                raise ServiceError(
                    "AccessDeniedException", f"AWS managed views cannot be tagged: {raw}"
                )
            raise _not_found(f"Resource not found: {raw}")
        match = _VIEW_RESOURCE.match(arn.resource)
        if match is None:
            return None
        instance_id, view_id = match.groups()
        instance = self._instances.get((arn.account, arn.region, instance_id))
        view = instance.views.get(view_id) if instance is not None else None
        if (
            view is None
            or (arn.region, arn.account) != (ctx.region, ctx.account_id)
            or arn.partition != partition_of(ctx.region)
        ):
            raise _not_found(f"Resource not found: {raw}")
        return view.arn


def _rank_name(raw: Any) -> tuple[int, str]:
    if (
        isinstance(raw, list)
        and len(raw) == 2
        and raw[0] in (0, 1)
        and not isinstance(raw[0], bool)
        and isinstance(raw[1], str)
    ):
        return raw[0], raw[1]
    raise _invalid_token()
