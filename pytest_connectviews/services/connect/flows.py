"""Amazon Connect contact flows: CreateContactFlow ... SearchContactFlows, versions, tags.

``FlowStore`` is what flows and flow modules (``flow_modules.py``) share: per-instance state,
saved and published copies, qualifiers, names, versions, listings and search. Decisions: SPEC §9.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from ...errors import ServiceError
from .._kit.arns import make_arn, parse_arn, partition_of
from .._kit.context import Family, Quota, RequestContext
from .._kit.pagination import paginate
from . import flow_language

if TYPE_CHECKING:
    from .shared import ConnectShared

FLOWS_PER_INSTANCE = Quota(
    "connect.contact_flows_per_instance",
    "contact flows per Connect instance (the default flows count)",
    "LimitExceededException",
)
_SEARCH_FIELDS = {"name": "name", "description": "description"}


@dataclass
class FlowVersion:
    number: int
    content: str
    sha: str
    description: str | None
    created: dt.datetime


@dataclass
class Flow:
    """A contact flow or a flow module."""

    id: str
    arn: str
    name: str
    description: str | None
    kind: str | None  # a flow's Type; None for a module
    state: str
    saved: str
    published: str | None
    modified: dt.datetime
    seq: int
    settings: str | None = None
    external: dict[str, Any] | None = None
    versions: dict[int, FlowVersion] = field(default_factory=dict)
    next_version: int = 1

    @property
    def highest(self) -> int | None:
        return max(self.versions) if self.versions else None


@dataclass
class InstanceFlows:
    """The flows (or modules) of one instance."""

    id: str
    flows: dict[str, Flow] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)
    order: list[int] = field(default_factory=list)  # ascending seq of ``flows``
    by_seq: dict[int, str] = field(default_factory=dict)


def _not_found(message: str) -> ServiceError:
    return ServiceError("ResourceNotFoundException", message)


def _invalid_request(message: str) -> ServiceError:
    return ServiceError("InvalidRequestException", message)


def _invalid_token() -> ServiceError:
    return ServiceError("InvalidParameterException", "Invalid NextToken")


class FlowStore(Family):
    """What the flow and flow-module families share (no operation methods of its own)."""

    #: the ARN segment of the resource kind (``contact-flow``, ``flow-module``)
    segment: ClassVar[str]
    noun: ClassVar[str]
    problems_code: ClassVar[str]
    problems_field: ClassVar[str]
    shared: ConnectShared

    def __init__(self, shared: ConnectShared) -> None:
        super().__init__(shared)
        self._instances: dict[tuple[str, str, str], InstanceFlows] = {}
        self._seq = 0
        shared.tags.register(self.segment, self._tag_target)
        shared.instances.on_delete(self._instance_deleted)
        self._resource = re.compile(rf"^instance/([A-Za-z0-9_-]+)/{self.segment}/([A-Za-z0-9_-]+)$")

    # ------------------------------------------------------------------ state
    def _seed(self, ctx: RequestContext, flows: InstanceFlows) -> None:
        """Fill a new instance with what it holds from the start."""

    def _instance(self, ctx: RequestContext, raw_id: str) -> InstanceFlows:
        instance_id = self.shared.instances.resolve(ctx, raw_id)
        key = (ctx.account_id, ctx.region, instance_id)
        found = self._instances.get(key)
        if found is None:
            found = self._instances[key] = InstanceFlows(instance_id)
            self._seed(ctx, found)
        return found

    def _instance_deleted(self, account_id: str, region: str, instance_id: str) -> None:
        gone = self._instances.pop((account_id, region, instance_id), None)
        if gone is not None:
            for flow in gone.flows.values():
                self.shared.tags.drop(flow.arn)

    def _parse_id(
        self, ctx: RequestContext, instance: InstanceFlows, raw: str
    ) -> tuple[str, str | None]:
        """(id, qualifier) from an id or an ARN, either with ``:$SAVED``, ``:$LATEST``, ``:n``."""
        rest = raw
        if raw.startswith("arn:"):
            arn = parse_arn(raw)
            prefix = f"instance/{instance.id}/{self.segment}/"
            if (
                arn is None
                or arn.service != "connect"
                or (arn.region, arn.account) != (ctx.region, ctx.account_id)
                or arn.partition != partition_of(ctx.region)
                or not arn.resource.startswith(prefix)
            ):
                raise _not_found(f"{self.noun} not found: {raw}")
            rest = arn.resource[len(prefix) :]
        flow_id, sep, qualifier = rest.partition(":")
        if not flow_id:
            raise _not_found(f"{self.noun} not found: {raw}")
        if not sep:
            return flow_id, None
        if qualifier not in ("$SAVED", "$LATEST") and not (
            qualifier.isdigit() and int(qualifier) > 0
        ):
            raise ServiceError(
                "InvalidParameterException",
                f"Invalid qualifier '{qualifier}': use $SAVED, $LATEST or a version number",
            )
        return flow_id, qualifier

    def _flow(
        self, ctx: RequestContext, instance: InstanceFlows, raw: str
    ) -> tuple[Flow, str | None]:
        flow_id, qualifier = self._parse_id(ctx, instance, raw)
        flow = instance.flows.get(flow_id)
        if flow is None:
            raise _not_found(f"{self.noun} not found: {raw}")
        return flow, qualifier

    def _plain(self, ctx: RequestContext, instance: InstanceFlows, raw: str) -> Flow:
        """The flow ``raw`` names, for operations on the whole flow (no version qualifier)."""
        flow, qualifier = self._flow(ctx, instance, raw)
        if qualifier is not None and qualifier.isdigit():
            raise _invalid_request(f"{self.noun} versions are immutable: {raw}")
        return flow

    # ------------------------------------------------------------------ content
    def _checked(
        self, ctx: RequestContext, instance: InstanceFlows, content: str, *, publish: bool
    ) -> str:
        """``content`` once it passes what saving (JSON) or publishing (the flow language and its
        view references) checks; the service's problems error otherwise."""
        parsed = flow_language.parse(content, self.problems_code, self.problems_field)
        if publish:
            check = self.shared.view_references
            views: flow_language.ViewCheck | None = None
            if check is not None and ctx.options.check_flow_references:

                def views(arn: str, version: str | None) -> str | None:
                    assert check is not None
                    return check(ctx, instance.id, arn, version)

            found = flow_language.problems(parsed, views)
            if found:
                raise flow_language.invalid(self.problems_code, self.problems_field, found)
        return content

    # ------------------------------------------------------------------ names
    def _check_name(self, instance: InstanceFlows, name: str, flow: Flow | None = None) -> None:
        owner = instance.by_name.get(name)
        if owner is not None and (flow is None or owner != flow.id):
            raise ServiceError(
                "DuplicateResourceException",
                f"A resource with the specified name already exists: '{name}' in instance "
                f"{instance.id}.",
            )

    def _rename(self, instance: InstanceFlows, flow: Flow, name: str) -> None:
        self._check_name(instance, name, flow)
        del instance.by_name[flow.name]
        flow.name = name
        instance.by_name[name] = flow.id

    def _add(
        self,
        ctx: RequestContext,
        instance: InstanceFlows,
        *,
        name: str,
        description: str | None,
        kind: str | None,
        saved: str,
        published: str | None,
        tags: Mapping[str, str] | None,
        flow_id: str | None = None,
        modified: dt.datetime | None = None,
    ) -> Flow:
        self._check_name(instance, name)
        flow_id = flow_id or str(uuid.uuid4())
        self._seq += 1
        flow = Flow(
            id=flow_id,
            arn=make_arn(
                "connect",
                ctx.region,
                ctx.account_id,
                f"instance/{instance.id}/{self.segment}/{flow_id}",
            ),
            name=name,
            description=description or None,
            kind=kind,
            state="ACTIVE",
            saved=saved,
            published=published,
            modified=modified or ctx.clock.now(),
            seq=self._seq,
        )
        instance.flows[flow_id] = flow
        instance.by_name[name] = flow_id
        instance.order.append(flow.seq)
        instance.by_seq[flow.seq] = flow_id
        if tags:
            self.shared.tags.set(flow.arn, tags)
        return flow

    def _delete(self, instance: InstanceFlows, flow: Flow) -> None:
        del instance.flows[flow.id]
        del instance.by_name[flow.name]
        instance.order.pop(bisect.bisect_left(instance.order, flow.seq))
        del instance.by_seq[flow.seq]
        self.shared.tags.drop(flow.arn)

    def _set_metadata(
        self,
        instance: InstanceFlows,
        flow: Flow,
        name: str | None,
        description: str | None,
        state: str | None,
    ) -> None:
        if name is None and description is None and state is None:
            raise _invalid_request("Either Name, Description or the state must be provided.")
        if name is not None:
            self._rename(instance, flow, name)
        if description is not None:
            flow.description = description or None
        if state is not None:
            flow.state = state

    # ------------------------------------------------------------------ copies and versions
    def _copy(self, flow: Flow, qualifier: str | None) -> tuple[str, str, FlowVersion | None]:
        """(content, Status, version) of the copy a qualifier names."""
        if qualifier == "$SAVED":
            status = "PUBLISHED" if flow.published == flow.saved else "SAVED"
            return flow.saved, status, None
        if qualifier is None or qualifier == "$LATEST":
            if flow.published is None:
                raise ServiceError(
                    "ContactFlowNotPublishedException",
                    f"{self.noun} {flow.id} is not published; describe it with the $SAVED "
                    "qualifier.",
                )
            return flow.published, "PUBLISHED", None
        version = flow.versions.get(int(qualifier))
        if version is None:
            raise _not_found(f"Version {qualifier} of {self.noun.lower()} {flow.id} not found")
        return version.content, "PUBLISHED", version

    def _new_version(
        self, ctx: RequestContext, flow: Flow, sha: str | None, description: str | None
    ) -> FlowVersion:
        if flow.published is None:
            raise _not_found(f"{self.noun} {flow.id} has no published content to version")
        current = flow_language.content_sha256(flow.published)
        if sha is not None and sha.lower() != current:
            raise _invalid_request(
                f"The content sha256 '{sha}' does not match the published content of "
                f"{self.noun.lower()} {flow.id} ({current})."
            )
        number = flow.next_version
        version = FlowVersion(number, flow.published, current, description, ctx.clock.now())
        flow.versions[number] = version
        flow.next_version = number + 1
        return version

    def _delete_version(self, flow: Flow, number: int) -> None:
        if number not in flow.versions:
            raise _not_found(f"Version {number} of {self.noun.lower()} {flow.id} not found")
        del flow.versions[number]

    def _versions_page(
        self,
        ctx: RequestContext,
        p: dict[str, Any],
        flow: Flow,
        item: Callable[[Flow, FlowVersion], dict[str, Any]],
    ) -> dict[str, Any]:
        def seek(below: Any) -> Iterator[tuple[int, dict[str, Any]]]:
            if below is not None and (isinstance(below, bool) or not isinstance(below, int)):
                raise _invalid_token()
            for number in sorted(flow.versions, reverse=True):
                if below is None or number < below:
                    yield number, item(flow, flow.versions[number])

        return paginate(
            ctx,
            p,
            self.shared.pages,
            listing=f"{ctx.operation}:{flow.arn}",
            seek=seek,
            invalid_token=_invalid_token(),
            default_limit=100,
        )

    # ------------------------------------------------------------------ listings and search
    def _list_page(
        self,
        ctx: RequestContext,
        p: dict[str, Any],
        instance: InstanceFlows,
        keep: Callable[[Flow], bool],
        item: Callable[[Flow], dict[str, Any]],
        listing: str,
    ) -> dict[str, Any]:
        def seek(after: Any) -> Iterator[tuple[int, dict[str, Any]]]:
            if after is not None and (isinstance(after, bool) or not isinstance(after, int)):
                raise _invalid_token()
            start = 0 if after is None else bisect.bisect_right(instance.order, after)
            for seq in instance.order[start:]:
                flow = instance.flows[instance.by_seq[seq]]
                if keep(flow):
                    yield seq, item(flow)

        return paginate(
            ctx,
            p,
            self.shared.pages,
            listing=f"{listing}:{ctx.account_id}:{ctx.region}:{instance.id}",
            seek=seek,
            invalid_token=_invalid_token(),
            default_limit=100,
        )

    def _search_page(
        self,
        ctx: RequestContext,
        p: dict[str, Any],
        instance: InstanceFlows,
        matches: Callable[[Flow], bool],
        item: Callable[[Flow], dict[str, Any]],
    ) -> dict[str, Any]:
        found = sorted(
            (f for f in instance.flows.values() if matches(f)), key=lambda f: (f.name, f.id)
        )
        query = json.dumps([p.get("SearchCriteria"), p.get("SearchFilter")], sort_keys=True)
        listing = hashlib.sha256(
            f"{ctx.operation}:{ctx.account_id}:{ctx.region}:{instance.id}:{query}".encode()
        ).hexdigest()

        def seek(after: Any) -> Iterator[tuple[list[str], dict[str, Any]]]:
            if after is not None and not (
                isinstance(after, list)
                and len(after) == 2
                and all(isinstance(a, str) for a in after)
            ):
                raise _invalid_token()
            for flow in found:
                if after is None or [flow.name, flow.id] > after:
                    yield [flow.name, flow.id], item(flow)

        out = paginate(
            ctx,
            p,
            self.shared.pages,
            listing=listing,
            seek=seek,
            invalid_token=_invalid_token(),
            default_limit=100,
        )
        out["ApproximateTotalCount"] = len(found)
        return out

    def _criteria(
        self, criteria: dict[str, Any], flow: Flow, extra: Callable[[dict[str, Any], Flow], bool]
    ) -> bool:
        if "OrConditions" in criteria and not any(
            self._criteria(c, flow, extra) for c in criteria["OrConditions"]
        ):
            return False
        if "AndConditions" in criteria and not all(
            self._criteria(c, flow, extra) for c in criteria["AndConditions"]
        ):
            return False
        condition = criteria.get("StringCondition")
        if condition is not None:
            field_name = _SEARCH_FIELDS.get(str(condition.get("FieldName")).lower())
            if field_name is None:
                raise ServiceError(
                    "InvalidParameterException",
                    f"StringCondition FieldName '{condition.get('FieldName')}' is not supported; "
                    "use name or description",
                )
            actual = (flow.name if field_name == "name" else flow.description) or ""
            value = str(condition.get("Value", ""))
            comparison = condition.get("ComparisonType", "EXACT")
            if comparison == "EXACT":
                ok = actual == value
            elif comparison == "STARTS_WITH":
                ok = actual.lower().startswith(value.lower())
            else:
                ok = value.lower() in actual.lower()
            if not ok:
                return False
        if "StateCondition" in criteria and flow.state != criteria["StateCondition"]:
            return False
        status = "PUBLISHED" if flow.published is not None else "SAVED"
        if "StatusCondition" in criteria and status != criteria["StatusCondition"]:
            return False
        return extra(criteria, flow)

    def _tag_filter(self, tag_filter: dict[str, Any], flow: Flow) -> bool:
        tags = self.shared.tags.of(flow.arn)

        def one(condition: dict[str, Any]) -> bool:
            key = condition.get("TagKey")
            if not isinstance(key, str) or key not in tags:
                return False
            value = condition.get("TagValue")
            return value is None or tags[key] == value

        if "OrConditions" in tag_filter and not any(
            all(one(c) for c in group) for group in tag_filter["OrConditions"]
        ):
            return False
        if "AndConditions" in tag_filter and not all(one(c) for c in tag_filter["AndConditions"]):
            return False
        return not ("TagCondition" in tag_filter and not one(tag_filter["TagCondition"]))

    # ------------------------------------------------------------------ tags
    def _tag_target(self, ctx: RequestContext, raw: str, write: bool) -> str | None:
        arn = parse_arn(raw)
        if arn is None or arn.service != "connect":
            return None
        match = self._resource.match(arn.resource)
        if match is None:
            return None
        instance_id, flow_id = match.groups()
        flows = self._instances.get((arn.account, arn.region, instance_id))
        flow = flows.flows.get(flow_id) if flows is not None else None
        if (
            flow is None
            or (arn.region, arn.account) != (ctx.region, ctx.account_id)
            or arn.partition != partition_of(ctx.region)
        ):
            raise _not_found(f"Resource not found: {raw}")
        return flow.arn


# ---------------------------------------------------------------------------- default flows
#: The default flows of a new instance (reference §2.8): name -> type.
DEFAULT_FLOWS = {
    "Default agent hold": "AGENT_HOLD",
    "Default agent transfer": "AGENT_TRANSFER",
    "Default agent whisper": "AGENT_WHISPER",
    "Default customer hold": "CUSTOMER_HOLD",
    "Default customer queue": "CUSTOMER_QUEUE",
    "Default customer whisper": "CUSTOMER_WHISPER",
    "Default outbound": "OUTBOUND_WHISPER",
    "Default queue transfer": "QUEUE_TRANSFER",
}


def _default_content(name: str) -> str:
    return json.dumps(
        {
            "Version": flow_language.FLOW_VERSION,
            "StartAction": "message",
            "Metadata": {"description": name},
            "Actions": [
                {
                    "Identifier": "message",
                    "Type": "MessageParticipant",
                    "Parameters": {"Text": name},
                    "Transitions": {"NextAction": "end", "Errors": [], "Conditions": []},
                },
                {
                    "Identifier": "end",
                    "Type": "EndFlowExecution",
                    "Parameters": {},
                    "Transitions": {},
                },
            ],
        },
        separators=(",", ":"),
    )


class Flows(FlowStore):
    """The Connect contact flow API."""

    segment = "contact-flow"
    noun = "Contact flow"
    problems_code = "InvalidContactFlowException"
    problems_field = "problems"
    quotas = (FLOWS_PER_INSTANCE,)

    def _seed(self, ctx: RequestContext, flows: InstanceFlows) -> None:
        created = self.shared.instances.find(ctx, flows.id).created
        for name, kind in DEFAULT_FLOWS.items():
            content = _default_content(name)
            flow_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{ctx.region}/{flows.id}/{name}"))
            self._add(
                ctx,
                flows,
                name=name,
                description=f"{name} flow, created with the instance",
                kind=kind,
                saved=content,
                published=content,
                tags=None,
                flow_id=flow_id,
                modified=created,
            )

    # ------------------------------------------------------------------ wire shapes
    def _wire(self, ctx: RequestContext, flow: Flow, qualifier: str | None) -> dict[str, Any]:
        content, status, version = self._copy(flow, qualifier)
        assert flow.kind is not None
        out: dict[str, Any] = {
            "Arn": flow.arn,
            "Id": flow.id,
            "Name": flow.name,
            "Type": flow.kind,
            "State": flow.state,
            "Status": status,
            "Content": content,
            "FlowContentSha256": flow_language.content_sha256(content),
            "LastModifiedTime": version.created if version else flow.modified,
            "LastModifiedRegion": ctx.region,
        }
        if flow.description is not None:
            out["Description"] = flow.description
        number = version.number if version else flow.highest
        if number is not None:
            out["Version"] = number
        if version is not None and version.description:
            out["VersionDescription"] = version.description
        tags = self.shared.tags.of(flow.arn)
        if tags:
            out["Tags"] = dict(tags)
        return out

    def _latest_wire(self, ctx: RequestContext, flow: Flow) -> dict[str, Any]:
        return self._wire(ctx, flow, None if flow.published is not None else "$SAVED")

    # ------------------------------------------------------------------ operations
    def create_contact_flow(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        publish = p.get("Status", "PUBLISHED") == "PUBLISHED"
        self._check_name(instance, p["Name"])
        ctx.check_quota(FLOWS_PER_INSTANCE, len(instance.flows), f"instance {instance.id}")
        content = self._checked(ctx, instance, p["Content"], publish=publish)
        flow = self._add(
            ctx,
            instance,
            name=p["Name"],
            description=p.get("Description"),
            kind=p["Type"],
            saved=content,
            published=content if publish else None,
            tags=p.get("Tags"),
        )
        return {
            "ContactFlowId": flow.id,
            "ContactFlowArn": flow.arn,
            "FlowContentSha256": flow_language.content_sha256(content),
        }

    def describe_contact_flow(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        flow, qualifier = self._flow(ctx, instance, p["ContactFlowId"])
        return {"ContactFlow": self._wire(ctx, flow, qualifier)}

    def list_contact_flows(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        types = set(p.get("ContactFlowTypes") or ())

        def item(flow: Flow) -> dict[str, Any]:
            return {
                "Id": flow.id,
                "Arn": flow.arn,
                "Name": flow.name,
                "ContactFlowType": flow.kind,
                "ContactFlowState": flow.state,
                "ContactFlowStatus": "PUBLISHED" if flow.published is not None else "SAVED",
            }

        return self._list_page(
            ctx,
            p,
            instance,
            lambda f: not types or f.kind in types,
            item,
            f"ListContactFlows:{','.join(sorted(types))}",
        )

    def update_contact_flow_content(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        flow, qualifier = self._flow(ctx, instance, p["ContactFlowId"])
        if qualifier is not None and qualifier.isdigit():
            raise _invalid_request(f"Contact flow versions are immutable: {p['ContactFlowId']}")
        publish = qualifier != "$SAVED"
        content = self._checked(ctx, instance, p["Content"], publish=publish)
        flow.saved = content
        if publish:
            flow.published = content
        flow.modified = ctx.clock.now()
        return {}

    def update_contact_flow_metadata(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        flow = self._plain(ctx, instance, p["ContactFlowId"])
        self._set_metadata(
            instance, flow, p.get("Name"), p.get("Description"), p.get("ContactFlowState")
        )
        flow.modified = ctx.clock.now()
        return {}

    def update_contact_flow_name(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        flow = self._plain(ctx, instance, p["ContactFlowId"])
        self._set_metadata(instance, flow, p.get("Name"), p.get("Description"), None)
        flow.modified = ctx.clock.now()
        return {}

    def delete_contact_flow(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        self._delete(instance, self._plain(ctx, instance, p["ContactFlowId"]))
        return {}

    def create_contact_flow_version(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        flow = self._plain(ctx, instance, p["ContactFlowId"])
        version = self._new_version(ctx, flow, p.get("FlowContentSha256"), p.get("Description"))
        return {"ContactFlowArn": f"{flow.arn}:{version.number}", "Version": version.number}

    def list_contact_flow_versions(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        flow = self._plain(ctx, instance, p["ContactFlowId"])

        def item(flow: Flow, version: FlowVersion) -> dict[str, Any]:
            out: dict[str, Any] = {
                "Arn": f"{flow.arn}:{version.number}",
                "Version": version.number,
                "LastModifiedTime": version.created,
                "LastModifiedRegion": ctx.region,
            }
            if version.description:
                out["VersionDescription"] = version.description
            return out

        return self._versions_page(ctx, p, flow, item)

    def delete_contact_flow_version(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        flow = self._plain(ctx, instance, p["ContactFlowId"])
        self._delete_version(flow, p["ContactFlowVersion"])
        return {}

    def search_contact_flows(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        criteria = p.get("SearchCriteria")
        search_filter = p.get("SearchFilter") or {}
        tag_filter = search_filter.get("TagFilter")
        attributes = search_filter.get("FlowAttributeFilter")

        def by_type(c: dict[str, Any], flow: Flow) -> bool:
            return "TypeCondition" not in c or flow.kind == c["TypeCondition"]

        def matches(flow: Flow) -> bool:
            if criteria is not None and not self._criteria(criteria, flow, by_type):
                return False
            if tag_filter is not None and not self._tag_filter(tag_filter, flow):
                return False
            return attributes is None or self._attributes(attributes, flow)

        return self._search_page(ctx, p, instance, matches, lambda f: self._latest_wire(ctx, f))

    def _attributes(self, attributes: dict[str, Any], flow: Flow) -> bool:
        def flow_type(condition: dict[str, Any] | None) -> bool:
            return condition is None or condition.get("ContactFlowType") in (None, flow.kind)

        def group(g: dict[str, Any]) -> bool:
            return self._tag_filter(
                {"AndConditions": g.get("TagConditions") or []}, flow
            ) and flow_type(g.get("ContactFlowTypeCondition"))

        if "OrConditions" in attributes and not any(group(g) for g in attributes["OrConditions"]):
            return False
        if "AndCondition" in attributes and not group(attributes["AndCondition"]):
            return False
        if "TagCondition" in attributes and not self._tag_filter(
            {"TagCondition": attributes["TagCondition"]}, flow
        ):
            return False
        return flow_type(attributes.get("ContactFlowTypeCondition"))
