"""One partition-aware ARN helper for every family."""

from __future__ import annotations

from typing import NamedTuple


def partition_of(region: str) -> str:
    """The ARN partition of a region."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if region.startswith("us-isob-"):
        return "aws-iso-b"
    if region.startswith("us-iso-"):
        return "aws-iso"
    return "aws"


class Arn(NamedTuple):
    """The six parts of an ARN (``resource`` keeps its own ``/`` and ``:`` separators)."""

    partition: str
    service: str
    region: str
    account: str
    resource: str

    def __str__(self) -> str:
        return f"arn:{self.partition}:{self.service}:{self.region}:{self.account}:{self.resource}"


def make_arn(service: str, region: str, account: str, resource: str) -> str:
    """The ARN of ``resource`` in ``service``, in the partition of ``region``."""
    return str(Arn(partition_of(region), service, region, account, resource))


def parse_arn(text: str) -> Arn | None:
    """The parts of ``text`` if it is an ARN (``arn:<partition>:<service>:...``), else None."""
    if not text.startswith("arn:"):
        return None
    parts = text.split(":", 5)
    if len(parts) != 6 or not parts[1] or not parts[2]:
        return None
    return Arn(parts[1], parts[2], parts[3], parts[4], parts[5])


def in_scope(arn: Arn, service: str, region: str, account: str) -> bool:
    """Whether ``arn`` names a resource of ``service`` in this account, region and its partition."""
    return (
        arn.service == service
        and arn.region == region
        and arn.account == account
        and arn.partition == partition_of(region)
    )
