"""The Connect instance registry: which instances exist, per account and region.

Instances are declared (``add_instance``) or implicit: where none is declared and the fake is not
strict, any well-formed InstanceId is an instance, created on first use. Every Connect family
resolves its ``InstanceId`` parameter here.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from ...errors import ServiceError
from .arns import parse_arn
from .context import RequestContext

_INSTANCE_ID = re.compile(r"^[a-zA-Z0-9_-]{1,100}$")
_INSTANCE_RESOURCE = re.compile(r"^instance/([A-Za-z0-9_-]+)$")


@dataclass
class _Region:
    declared: set[str] = field(default_factory=set)
    implicit: set[str] = field(default_factory=set)


class InstanceRegistry:
    """Declared and implicit Connect instances of one fake."""

    def __init__(self) -> None:
        self._regions: dict[tuple[str, str], _Region] = {}

    def _region(self, account_id: str, region: str) -> _Region:
        key = (account_id, region)
        found = self._regions.get(key)
        if found is None:
            found = self._regions[key] = _Region()
        return found

    def declare(self, instance_id: str | None, account_id: str, region: str) -> str:
        """Declare an instance (a new uuid when None); that region is strict from then on."""
        if instance_id is None:
            instance_id = str(uuid.uuid4())
        if not isinstance(instance_id, str) or not _INSTANCE_ID.match(instance_id):
            raise ValueError(
                f"connectviews: add_instance needs an instance id of letters, digits, '-' or '_' "
                f"(1-100 characters), got {instance_id!r}"
            )
        self._region(account_id, region).declared.add(instance_id)
        return instance_id

    def resolve(self, ctx: RequestContext, raw_id: str) -> str:
        """The id of the instance ``raw_id`` (an id or an instance ARN) names in this request's
        account and region; ``ResourceNotFoundException`` when there is none."""
        instance_id = raw_id
        arn = parse_arn(raw_id)
        if arn is not None and arn.service == "connect":
            match = _INSTANCE_RESOURCE.match(arn.resource)
            if match is not None:
                if (arn.region, arn.account) != (ctx.region, ctx.account_id):
                    # An instance lives in one account and region: another's ARN is not found here.
                    raise _not_found(raw_id)
                instance_id = match.group(1)
        state = self._region(ctx.account_id, ctx.region)
        if instance_id in state.declared:
            return instance_id
        strict = ctx.options.strict_instances or bool(state.declared)
        if strict or ":" in instance_id or "/" in instance_id:
            raise _not_found(raw_id)
        state.implicit.add(instance_id)
        return instance_id


def _not_found(raw_id: str) -> ServiceError:
    return ServiceError("ResourceNotFoundException", f"Instance not found: {raw_id}")
