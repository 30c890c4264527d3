"""Amazon Connect instances: CreateInstance ... ListInstanceAttributes, tags on instance ARNs.

The state is the shared ``InstanceRegistry`` (every Connect family resolves instances there);
this family answers the instance operations. Decisions: SPEC §9.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..._models import service_model
from ...errors import ServiceError
from .._kit.arns import parse_arn
from .._kit.context import Duration, Family, Quota, RequestContext
from .._kit.idempotency import fingerprint
from .._kit.instances import ALIAS, ALWAYS, DEFAULT_ATTRIBUTES, FAILED, Instance
from .._kit.pagination import paginate

if TYPE_CHECKING:
    from .shared import ConnectShared

INSTANCES_PER_ACCOUNT = Quota(
    "connect.instances_per_account", "Connect instances per account and region"
)
CREATION = Duration(
    "connect.instance_creation", "an instance is CREATION_IN_PROGRESS before ACTIVE", 0.0
)
DELETION = Duration(
    "connect.instance_deletion", "a deleted instance still answers DescribeInstance (ACTIVE)", 0.0
)
_BOOLEAN = {"true": "true", "false": "false"}


def _invalid_request(message: str) -> ServiceError:
    return ServiceError("InvalidRequestException", message)


class Instances(Family):
    """The Connect instance API (the registry holds the instances)."""

    quotas = (INSTANCES_PER_ACCOUNT,)
    durations = (CREATION, DELETION)
    shared: ConnectShared

    def __init__(self, shared: ConnectShared) -> None:
        super().__init__(shared)
        shared.tags.register("instance", self._tag_target)

    def next_change(self, now: float) -> float | None:
        return self.shared.instances.next_change(now)

    # ------------------------------------------------------------------ wire shapes
    def _wire(self, ctx: RequestContext, instance: Instance, *, summary: bool) -> dict[str, Any]:
        now = ctx.clock.time()
        status = "ACTIVE" if instance.deleted_until is not None else instance.status(now)
        out: dict[str, Any] = {"Id": instance.id, "Arn": instance.arn}
        if status == FAILED:
            # the real payload of a failed instance: every other member is null (reference §1.5)
            out["InstanceStatus"] = status
            if not summary:
                out["StatusReason"] = {"Message": instance.failure}
            return out
        out.update(
            {
                "IdentityManagementType": instance.identity,
                "InstanceAlias": instance.alias,
                "CreatedTime": instance.created,
                "ServiceRole": instance.service_role,
                "InstanceStatus": status,
                "InboundCallsEnabled": instance.inbound,
                "OutboundCallsEnabled": instance.outbound,
                "InstanceAccessUrl": f"https://{instance.alias}.my.connect.aws",
            }
        )
        if not summary:
            tags = self.shared.tags.of(instance.arn)
            if tags:
                out["Tags"] = dict(tags)
        return out

    # ------------------------------------------------------------------ operations
    def create_instance(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        registry = self.shared.instances
        identity = p["IdentityManagementType"]
        alias = p.get("InstanceAlias")
        directory = p.get("DirectoryId")
        token = p.get("ClientToken")
        scope = ("CreateInstance", ctx.account_id, ctx.region)
        request = fingerprint(p, ignore=("ClientToken",))
        if token is not None:
            replayed = self.shared.idempotency.replay(
                scope,
                token,
                request,
                _invalid_request(
                    f"Invalid Input. ClientToken '{token}' was already used with different "
                    "parameters."
                ),
            )
            if replayed is not None:
                return dict(replayed)
        if identity in ("CONNECT_MANAGED", "SAML") and alias is None:
            raise _invalid_request(
                f"Invalid Input. InstanceAlias is required for IdentityManagementType {identity}."
            )
        if identity == "EXISTING_DIRECTORY" and directory is None:
            raise _invalid_request(
                "Invalid Input. DirectoryId is required for IdentityManagementType "
                "EXISTING_DIRECTORY."
            )
        if alias is None:
            # the directory's name is the access URL's label (reference §1.4)
            alias = f"dir-{directory[2:]}" if directory else None
        elif not ALIAS.match(alias):
            raise _invalid_request(
                "Invalid Input. InstanceAlias must be letters, digits and inner hyphens and must "
                "not start with 'd-'."
            )
        if alias is not None and registry.alias_taken(ctx.account_id, alias):
            raise _invalid_request("Invalid Input. Instance alias is already used.")
        ctx.check_quota(
            INSTANCES_PER_ACCOUNT,
            registry.counted(ctx),
            f"account {ctx.account_id} in {ctx.region}",
        )
        creation = ctx.duration(CREATION)
        instance = registry.create(
            ctx.account_id,
            ctx.region,
            instance_id=None,
            alias=alias,
            identity=identity,
            created=ctx.clock.now(),
            ready_at=ctx.clock.time() + creation if creation > 0 else ALWAYS,
            explicit=True,
            inbound=p["InboundCallsEnabled"],
            outbound=p["OutboundCallsEnabled"],
        )
        if p.get("Tags"):
            self.shared.tags.set(instance.arn, p["Tags"])
        out = {"Id": instance.id, "Arn": instance.arn}
        if token is not None:
            self.shared.idempotency.remember(scope, token, request, out)
        return dict(out)

    def describe_instance(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self.shared.instances.visible(ctx, p["InstanceId"])
        return {"Instance": self._wire(ctx, instance, summary=False)}

    def list_instances(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        registry = self.shared.instances

        def seek(after: Any) -> Iterator[tuple[int, dict[str, Any]]]:
            if after is not None and (isinstance(after, bool) or not isinstance(after, int)):
                raise _invalid_token()
            for instance in registry.listed(ctx, after):
                yield instance.seq, self._wire(ctx, instance, summary=True)

        return paginate(
            ctx,
            p,
            self.shared.pages,
            listing=f"ListInstances:{ctx.account_id}:{ctx.region}",
            seek=seek,
            invalid_token=_invalid_token(),
            default_limit=10,
        )

    def delete_instance(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        registry = self.shared.instances
        instance = registry.find(ctx, p["InstanceId"])
        registry.delete(ctx, instance, ctx.duration(DELETION))
        self.shared.tags.drop(instance.arn)
        return {}

    # ------------------------------------------------------------------ attributes
    def _active(self, ctx: RequestContext, raw: str) -> Instance:
        registry = self.shared.instances
        instance = registry.find(ctx, raw)
        registry.resolve(ctx, raw)  # not ACTIVE yet (or failed): not found, like child resources
        return instance

    def describe_instance_attribute(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._active(ctx, p["InstanceId"])
        kind = p["AttributeType"]
        return {"Attribute": {"AttributeType": kind, "Value": instance.attributes[kind]}}

    def update_instance_attribute(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._active(ctx, p["InstanceId"])
        kind = p["AttributeType"]
        value = _BOOLEAN.get(p["Value"].lower())
        if value is None:
            raise ServiceError(
                "InvalidParameterException",
                f"Invalid value '{p['Value']}' for attribute {kind}: use 'true' or 'false'.",
            )
        instance.attributes[kind] = value
        return {}

    def list_instance_attributes(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._active(ctx, p["InstanceId"])
        kinds = _attribute_types()

        def seek(after: Any) -> Iterator[tuple[int, dict[str, Any]]]:
            if after is not None and (isinstance(after, bool) or not isinstance(after, int)):
                raise _invalid_token()
            for index in range(0 if after is None else after + 1, len(kinds)):
                kind = kinds[index]
                value = instance.attributes.get(kind, DEFAULT_ATTRIBUTES.get(kind, "false"))
                yield index, {"AttributeType": kind, "Value": value}

        return paginate(
            ctx,
            p,
            self.shared.pages,
            listing=f"ListInstanceAttributes:{instance.arn}",
            seek=seek,
            invalid_token=_invalid_token(),
            default_limit=7,
        )

    # ------------------------------------------------------------------ tags
    def _tag_target(self, ctx: RequestContext, raw: str, write: bool) -> str | None:
        arn = parse_arn(raw)
        if arn is None or arn.service != "connect" or arn.resource.count("/") != 1:
            return None
        if not arn.resource.startswith("instance/"):
            return None
        try:
            instance_id = self.shared.instances.resolve(ctx, raw)
        except ServiceError:
            raise ServiceError("ResourceNotFoundException", f"Resource not found: {raw}") from None
        return str(self.shared.instances.find(ctx, instance_id).arn)


def _invalid_token() -> ServiceError:
    return ServiceError("InvalidRequestException", "Invalid NextToken")


@functools.cache
def _attribute_types() -> list[str]:
    """The attribute types the installed model knows, in its order (older models know fewer)."""
    enum = service_model("connect").shape_for("InstanceAttributeType").enum
    return [str(kind) for kind in enum]
