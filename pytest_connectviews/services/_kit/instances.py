"""The Connect instance registry: which instances exist, per account and region (SPEC §9).

Instances are explicit (``add_instance`` or CreateInstance) or implicit: where none is declared
and the fake is not strict, any well-formed InstanceId is an ACTIVE instance, made on first use.
Every Connect family resolves its ``InstanceId`` parameter here, and learns here that an instance
was deleted (``on_delete``), so that everything in it goes with it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ...errors import ServiceError
from .arns import make_arn, parse_arn, partition_of
from .context import RequestContext

_INSTANCE_ID = re.compile(r"^[a-zA-Z0-9_-]{1,100}$")
_INSTANCE_RESOURCE = re.compile(r"^instance/([A-Za-z0-9_-]+)$")
ALIAS = re.compile(r"^(?!d-)([\da-zA-Z]+)([-]*[\da-zA-Z])*$")
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

#: the ``ready_at`` of an instance that was never in progress (a frozen clock set back in time
#: must not make it CREATION_IN_PROGRESS again)
ALWAYS = float("-inf")
IN_PROGRESS = "CREATION_IN_PROGRESS"
ACTIVE = "ACTIVE"
FAILED = "CREATION_FAILED"

#: Instance attributes right after creation (reference §1.10); the call flags set the first two.
DEFAULT_ATTRIBUTES = {
    "INBOUND_CALLS": "true",
    "OUTBOUND_CALLS": "true",
    "CONTACTFLOW_LOGS": "false",
    "CONTACT_LENS": "true",
    "AUTO_RESOLVE_BEST_VOICES": "true",
    "USE_CUSTOM_TTS_VOICES": "false",
    "EARLY_MEDIA": "true",
    "MULTI_PARTY_CONFERENCE": "false",
    "AUTO_MUTE_AGENT_ON_HOLD": "false",
    "HIGH_VOLUME_OUTBOUND": "false",
    "ENHANCED_CONTACT_MONITORING": "false",
    "ENHANCED_CHAT_MONITORING": "false",
    "MULTI_PARTY_CHAT_CONFERENCE": "false",
    "MESSAGE_STREAMING": "false",
}

#: (account, region, instance id) of a deleted instance.
DeleteListener = Callable[[str, str, str], None]


@dataclass
class Instance:
    """One Connect instance."""

    id: str
    arn: str
    alias: str
    identity: str
    created: dt.datetime
    #: fake-clock time at which creation ends (ACTIVE, or CREATION_FAILED with ``failure``)
    ready_at: float
    seq: int
    explicit: bool
    service_role: str
    attributes: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_ATTRIBUTES))
    failure: str | None = None
    #: set by DeleteInstance: visible (ACTIVE) to Describe/List until then, gone for the rest
    deleted_until: float | None = None

    def status(self, now: float) -> str:
        if now < self.ready_at:
            return IN_PROGRESS
        return FAILED if self.failure is not None else ACTIVE

    @property
    def inbound(self) -> bool:
        return self.attributes["INBOUND_CALLS"] == "true"

    @property
    def outbound(self) -> bool:
        return self.attributes["OUTBOUND_CALLS"] == "true"


@dataclass
class _Region:
    instances: dict[str, Instance] = field(default_factory=dict)
    #: sequence numbers of ``instances`` (creation order), ascending, and their ids
    order: list[int] = field(default_factory=list)
    by_seq: dict[int, str] = field(default_factory=dict)
    #: an instance was declared here once: unknown instances are not found from then on
    strict: bool = False
    deleted: set[str] = field(default_factory=set)


class InstanceRegistry:
    """Explicit and implicit Connect instances of one fake."""

    def __init__(self) -> None:
        self._regions: dict[tuple[str, str], _Region] = {}
        #: (account, lower-case alias) -> instance id: aliases are unique across regions
        self._aliases: dict[tuple[str, str], str] = {}
        #: scripted creation failures: (account, alias lower-case or id) -> reason
        self._failures: dict[tuple[str, str], str] = {}
        self._listeners: list[DeleteListener] = []
        self._seq = 0

    # ------------------------------------------------------------------ bookkeeping
    def _region(self, account_id: str, region: str) -> _Region:
        key = (account_id, region)
        found = self._regions.get(key)
        if found is None:
            found = self._regions[key] = _Region()
        return found

    def on_delete(self, listener: DeleteListener) -> None:
        """Call ``listener(account, region, instance_id)`` when an instance is deleted."""
        self._listeners.append(listener)

    def strict(self, ctx: RequestContext) -> bool:
        """Whether unknown instances of this request's account and region are not found."""
        return ctx.options.strict_instances or self._region(ctx.account_id, ctx.region).strict

    def alias_taken(self, account_id: str, alias: str) -> bool:
        return (account_id, alias.lower()) in self._aliases

    def create(
        self,
        account_id: str,
        region: str,
        *,
        instance_id: str | None,
        alias: str | None,
        identity: str,
        created: dt.datetime,
        ready_at: float,
        explicit: bool,
        inbound: bool = True,
        outbound: bool = True,
    ) -> Instance:
        """Make an instance (no checks but the alias being free when given)."""
        if instance_id is None:
            instance_id = str(uuid.uuid4())
        state = self._region(account_id, region)
        reserved = alias is not None
        if alias is None:
            alias = _derived_alias(instance_id, "implicit" if not explicit else "instance")
        self._seq += 1
        digest = hashlib.sha256(f"{account_id}:{region}:{instance_id}".encode()).digest()
        suffix = "".join(_ALNUM[b % len(_ALNUM)] for b in digest[:20])
        instance = Instance(
            id=instance_id,
            arn=make_arn("connect", region, account_id, f"instance/{instance_id}"),
            alias=alias,
            identity=identity,
            created=created,
            ready_at=ready_at,
            seq=self._seq,
            explicit=explicit,
            service_role=(
                f"arn:{partition_of(region)}:iam::{account_id}:role/aws-service-role/"
                f"connect.amazonaws.com/AWSServiceRoleForAmazonConnect_{suffix}"
            ),
        )
        instance.attributes["INBOUND_CALLS"] = "true" if inbound else "false"
        instance.attributes["OUTBOUND_CALLS"] = "true" if outbound else "false"
        for key in (alias.lower(), instance_id.lower()):
            reason = self._failures.pop((account_id, key), None)
            if reason is not None:
                instance.failure = reason
        state.instances[instance_id] = instance
        state.order.append(instance.seq)
        state.by_seq[instance.seq] = instance_id
        if explicit:
            state.strict = True
        if reserved:
            self._aliases[(account_id, alias.lower())] = instance_id
        return instance

    def declare(
        self,
        instance_id: str | None,
        account_id: str,
        region: str,
        *,
        alias: str | None = None,
        created: dt.datetime | None = None,
    ) -> str:
        """Declare an ACTIVE instance (``add_instance``); that region is strict from then on."""
        if instance_id is not None and (
            not isinstance(instance_id, str) or not _INSTANCE_ID.match(instance_id)
        ):
            raise ValueError(
                f"connectviews: add_instance needs an instance id of letters, digits, '-' or '_' "
                f"(1-100 characters), got {instance_id!r}"
            )
        if alias is not None:
            if not isinstance(alias, str) or not 1 <= len(alias) <= 45 or not ALIAS.match(alias):
                raise ValueError(
                    "connectviews: add_instance alias must be 1-45 letters, digits and inner "
                    f"hyphens, not starting with 'd-', got {alias!r}"
                )
            if self.alias_taken(account_id, alias):
                raise ValueError(f"connectviews: add_instance: the alias {alias!r} is taken")
        state = self._region(account_id, region)
        existing = state.instances.get(instance_id or "")
        if existing is not None and existing.deleted_until is not None:
            self._forget(state, existing)
        elif existing is not None:
            existing.explicit = True  # an implicit instance becomes a declared one
            state.strict = True
            return existing.id
        state.deleted.discard(instance_id or "")
        instance = self.create(
            account_id,
            region,
            instance_id=instance_id,
            alias=alias,
            identity="CONNECT_MANAGED",
            created=created or dt.datetime.now(dt.timezone.utc),
            ready_at=ALWAYS,
            explicit=True,
        )
        return instance.id

    def script_failure(self, account_id: str, key: str, reason: str, now: float) -> None:
        """Make the creation of the instance with this alias or id fail with ``reason``."""
        for (account, region), state in self._regions.items():
            if account != account_id:
                continue
            for instance in state.instances.values():
                if instance.id == key or instance.alias.lower() == key.lower():
                    if instance.status(now) != IN_PROGRESS:
                        raise ValueError(
                            f"connectviews: fail_instance_creation: instance {key!r} in {region} "
                            f"is already {instance.status(now)}; script the failure before "
                            "CreateInstance or while it is CREATION_IN_PROGRESS"
                        )
                    instance.failure = reason
                    return
        self._failures[(account_id, key.lower())] = reason

    # ------------------------------------------------------------------ lookups
    def _id_of(self, ctx: RequestContext, raw_id: str) -> str:
        arn = parse_arn(raw_id)
        if arn is not None and arn.service == "connect":
            match = _INSTANCE_RESOURCE.match(arn.resource)
            if match is not None:
                if (arn.region, arn.account) != (ctx.region, ctx.account_id) or (
                    arn.partition != partition_of(ctx.region)
                ):
                    # An instance lives in one account and region: another's ARN is not found here.
                    raise _not_found(raw_id)
                return match.group(1)
        return raw_id

    def find(self, ctx: RequestContext, raw_id: str) -> Instance:
        """The instance ``raw_id`` (an id or an instance ARN) names, whatever its status, made
        when it is implicit; ``ResourceNotFoundException`` when there is none."""
        instance_id = self._id_of(ctx, raw_id)
        state = self._region(ctx.account_id, ctx.region)
        found = state.instances.get(instance_id)
        strict = self.strict(ctx)
        if found is not None and found.deleted_until is None and (found.explicit or not strict):
            return found
        if (
            found is not None
            or strict
            or instance_id in state.deleted
            or not _INSTANCE_ID.match(instance_id)
        ):
            raise _not_found(raw_id)
        return self.create(
            ctx.account_id,
            ctx.region,
            instance_id=instance_id,
            alias=None,
            identity="CONNECT_MANAGED",
            created=ctx.clock.now(),
            ready_at=ALWAYS,
            explicit=False,
        )

    def resolve(self, ctx: RequestContext, raw_id: str) -> str:
        """The id of the ACTIVE instance ``raw_id`` names in this request's account and region;
        ``ResourceNotFoundException`` when there is none (or it is not ACTIVE)."""
        instance = self.find(ctx, raw_id)
        if instance.status(ctx.clock.time()) != ACTIVE:
            raise _not_found(raw_id)
        return instance.id

    def visible(self, ctx: RequestContext, raw_id: str) -> Instance:
        """What DescribeInstance sees: ``find``, and deleted instances while their deletion
        takes (``connect.instance_deletion``)."""
        instance_id = self._id_of(ctx, raw_id)
        state = self._region(ctx.account_id, ctx.region)
        found = state.instances.get(instance_id)
        if found is not None and found.deleted_until is not None:
            if ctx.clock.time() < found.deleted_until:
                return found
            raise _not_found(raw_id)
        return self.find(ctx, raw_id)

    def listed(self, ctx: RequestContext, after: int | None) -> Iterator[Instance]:
        """The instances ListInstances shows, in creation order, after sequence ``after``."""
        state = self._region(ctx.account_id, ctx.region)
        strict = self.strict(ctx)
        now = ctx.clock.time()
        start = 0 if after is None else bisect.bisect_right(state.order, after)
        for seq in state.order[start:]:
            instance = state.instances[state.by_seq[seq]]
            if strict and not instance.explicit:
                continue
            if instance.deleted_until is not None and now >= instance.deleted_until:
                continue
            yield instance

    def counted(self, ctx: RequestContext) -> int:
        """How many instances count against ``connect.instances_per_account`` here."""
        return sum(1 for _ in self.listed(ctx, None))

    def next_change(self, now: float) -> float | None:
        """When the next instance finishes creation or deletion, if any is under way."""
        times = [
            t
            for state in self._regions.values()
            for instance in state.instances.values()
            for t in (instance.ready_at, instance.deleted_until)
            if t is not None and t > now
        ]
        return min(times) if times else None

    # ------------------------------------------------------------------ deletion
    def delete(self, ctx: RequestContext, instance: Instance, visible_for: float) -> None:
        """Delete ``instance`` and, through the listeners, everything in it."""
        state = self._region(ctx.account_id, ctx.region)
        now = ctx.clock.time()
        self._aliases.pop((ctx.account_id, instance.alias.lower()), None)
        state.deleted.add(instance.id)
        if visible_for > 0:
            instance.deleted_until = now + visible_for
        else:
            self._forget(state, instance)
        for listener in self._listeners:
            listener(ctx.account_id, ctx.region, instance.id)

    def _forget(self, state: _Region, instance: Instance) -> None:
        del state.instances[instance.id]
        state.order.pop(bisect.bisect_left(state.order, instance.seq))
        del state.by_seq[instance.seq]


def _derived_alias(instance_id: str, prefix: str) -> str:
    chars = "".join(c for c in instance_id if c.isascii() and c.isalnum())[:8]
    return f"{prefix}-{chars}" if chars else prefix


def _not_found(raw_id: str) -> ServiceError:
    return ServiceError("ResourceNotFoundException", f"Instance not found: {raw_id}")
