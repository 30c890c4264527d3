"""EC2 Image Builder infrastructure and distribution configurations (SPEC §10, reference §3).

Both are unversioned and named: the ARN ends in the normalized name, which is unique per account
and region (``ResourceAlreadyExistsException``). Update replaces every field (what is not sent is
cleared). Pipelines reference them (``shared.references``), which blocks their delete. Lists are
served from the sorted names with ``bisect``: a page costs O(page).
"""

from __future__ import annotations

import bisect
import copy
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from ...errors import ServiceError
from .._kit.arns import make_arn, parse_arn, partition_of
from .._kit.context import Family, Quota, RequestContext
from .._kit.pagination import paginate
from .versioning import filter_values, invalid_token, invalid_value, iso_millis, normalize_name

if TYPE_CHECKING:
    from .shared import ImageBuilderShared

INFRASTRUCTURE_CONFIGURATIONS = Quota(
    "imagebuilder.infrastructure_configurations",
    "infrastructure configurations per account and region",
)
DISTRIBUTION_CONFIGURATIONS = Quota(
    "imagebuilder.distribution_configurations",
    "distribution configurations per account and region",
)
#: what a distribution may output (one at least per region)
_OUTPUTS = (
    "amiDistributionConfiguration",
    "containerDistributionConfiguration",
    "launchTemplateConfigurations",
    "s3ExportConfiguration",
    "fastLaunchConfigurations",
    "ssmParameterConfigurations",
)


@dataclass
class Configuration:
    name: str
    params: dict[str, Any]
    created: str
    updated: str | None = None


@dataclass
class Store:
    """The configurations of one kind in one account and region, by normalized name."""

    items: dict[str, Configuration] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)  # sorted normalized names


class _Configurations(Family, ABC):
    """What both configuration families share: naming, storage, get, list, delete, tags."""

    kind: ClassVar[str]  # the ARN resource type: infrastructure-configuration, ...
    label: ClassVar[str]  # the resource name in messages
    arn_member: ClassVar[str]
    quota: ClassVar[Quota]
    #: Create/Update parameters that are not the configuration itself
    not_stored: ClassVar[tuple[str, ...]] = ("clientToken", "dryRun", "name", "tags")
    shared: ImageBuilderShared

    def __init__(self, shared: ImageBuilderShared) -> None:
        super().__init__(shared)
        self._stores: dict[tuple[str, str], Store] = {}
        shared.tags.register(self.label, self._tag_target)
        shared.catalog.register(self.kind, self.find)

    def _store(self, ctx: RequestContext) -> Store:
        return self._stores.setdefault((ctx.account_id, ctx.region), Store())

    def _arn(self, ctx: RequestContext, norm: str) -> str:
        return make_arn("imagebuilder", ctx.region, ctx.account_id, f"{self.kind}/{norm}")

    def _norm_of(self, ctx: RequestContext, arn: str, parameter: str) -> str | None:
        """The normalized name an ARN of this kind names here; None for another account/region."""
        parsed = parse_arn(arn)
        prefix = f"{self.kind}/"
        if (
            parsed is None
            or parsed.service != "imagebuilder"
            or not parsed.resource.startswith(prefix)
        ):
            raise invalid_value(parameter, f"'{arn}' is not an {self.label} ARN.")
        if (
            parsed.account != ctx.account_id
            or parsed.region != ctx.region
            or parsed.partition != partition_of(ctx.region)
        ):
            return None
        return parsed.resource[len(prefix) :]

    def _get(self, ctx: RequestContext, arn: str, parameter: str) -> tuple[str, Configuration]:
        norm = self._norm_of(ctx, arn, parameter)
        found = None if norm is None else self._store(ctx).items.get(norm)
        if norm is None or found is None:
            raise ServiceError(
                "ResourceNotFoundException", f"The resource ARN '{arn}' does not exist."
            )
        return norm, found

    def find(self, ctx: RequestContext, arn: str, parameter: str) -> dict[str, Any]:
        """The Get object of the configuration ``arn`` names (images embed it)."""
        norm, config = self._get(ctx, arn, parameter)
        return self._object(ctx, norm, config)

    def _check(self, p: dict[str, Any]) -> None:
        """Server-side checks of a Create/Update request beyond the model's."""

    def _stored(self, p: dict[str, Any]) -> dict[str, Any]:
        return {k: copy.deepcopy(v) for k, v in p.items() if k not in self.not_stored}

    @abstractmethod
    def _object(self, ctx: RequestContext, norm: str, config: Configuration) -> dict[str, Any]:
        """The Get object of one configuration, as its kind's model shapes it."""

    # ------------------------------------------------------------------ the operations
    def _create(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        ignore = ("clientToken",) if p.get("dryRun") else ("clientToken", "dryRun")
        seen = self.shared.replay(ctx, p, ignore)
        if seen is not None:
            return seen
        self._check(p)
        store = self._store(ctx)
        norm = normalize_name(p["name"])
        arn = self._arn(ctx, norm)
        if norm in store.items:
            raise ServiceError(
                "ResourceAlreadyExistsException",
                f"The following resource '{self.label_title()}' already exists: '{arn}'.",
            )
        ctx.check_quota(
            self.quota, len(store.items), f"account {ctx.account_id} in region {ctx.region}"
        )
        if p.get("dryRun"):
            raise ServiceError(
                "DryRunOperationException", "Request would have succeeded, but DryRun flag is set."
            )
        store.items[norm] = Configuration(p["name"], self._stored(p), iso_millis(ctx.clock.now()))
        bisect.insort(store.names, norm)
        if p.get("tags"):
            self.shared.tags.set(arn, p["tags"])
        out = {"clientToken": p["clientToken"], self.arn_member: arn}
        return self.shared.remember(ctx, p, out, ignore)

    def _update(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        seen = self.shared.replay(ctx, p)
        if seen is not None:
            return seen
        norm, config = self._get(ctx, p[self.arn_member], self.arn_member)
        self._check(p)
        config.params = self._stored({k: v for k, v in p.items() if k != self.arn_member})
        config.updated = iso_millis(ctx.clock.now())
        out = {"clientToken": p["clientToken"], self.arn_member: self._arn(ctx, norm)}
        return self.shared.remember(ctx, p, out)

    def _delete(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        norm, _ = self._get(ctx, p[self.arn_member], self.arn_member)
        arn = self._arn(ctx, norm)
        self.shared.references.check_delete(arn)
        store = self._store(ctx)
        del store.items[norm]
        store.names.pop(bisect.bisect_left(store.names, norm))
        self.shared.tags.drop(arn)
        return {self.arn_member: arn}

    def _list(
        self, ctx: RequestContext, p: dict[str, Any], result: str, summary: Any
    ) -> dict[str, Any]:
        filters = filter_values(p.get("filters"), ("name",))
        store = self._store(ctx)
        names = filters.get("name")

        def seek(after: Any) -> Iterator[tuple[str, dict[str, Any]]]:
            if after is not None and not isinstance(after, str):
                raise invalid_token()
            start = 0 if after is None else bisect.bisect_right(store.names, after)
            for norm in store.names[start:]:
                config = store.items[norm]
                if names is not None and config.name not in names:
                    continue
                yield norm, summary(ctx, norm, config)

        return paginate(
            ctx,
            p,
            self.shared.pages,
            listing=f"{ctx.operation}:{ctx.account_id}:{ctx.region}:{sorted(names or ())}",
            seek=seek,
            invalid_token=invalid_token(),
            default_limit=25,
        )

    @classmethod
    def label_title(cls) -> str:
        return "".join(word.title() for word in cls.label.split())

    def _tags(self, arn: str) -> dict[str, str]:
        return dict(self.shared.tags.of(arn))

    def _tag_target(self, ctx: RequestContext, arn: str, write: bool) -> str | None:
        parsed = parse_arn(arn)
        if parsed is None or not parsed.resource.startswith(f"{self.kind}/"):
            return None
        norm, _ = self._get(ctx, arn, "resourceArn")
        return self._arn(ctx, norm)


class InfrastructureConfigurations(_Configurations):
    """Create/Get/List/Update/DeleteInfrastructureConfiguration."""

    kind = "infrastructure-configuration"
    label = "infrastructure configuration"
    arn_member = "infrastructureConfigurationArn"
    quota = INFRASTRUCTURE_CONFIGURATIONS
    quotas = (INFRASTRUCTURE_CONFIGURATIONS,)

    def _object(self, ctx: RequestContext, norm: str, config: Configuration) -> dict[str, Any]:
        arn = self._arn(ctx, norm)
        params = config.params
        out: dict[str, Any] = {"arn": arn, "name": config.name}
        for key in (
            "description",
            "instanceTypes",
            "instanceProfileName",
            "securityGroupIds",
            "subnetId",
            "logging",
            "keyPair",
        ):
            if key in params:
                out[key] = copy.deepcopy(params[key])
        out["terminateInstanceOnFailure"] = params.get("terminateInstanceOnFailure", True)
        if "snsTopicArn" in params:
            out["snsTopicArn"] = params["snsTopicArn"]
        out["dateCreated"] = config.created
        if config.updated is not None:
            out["dateUpdated"] = config.updated
        for key in ("resourceTags", "instanceMetadataOptions"):
            if key in params:
                out[key] = copy.deepcopy(params[key])
        out["tags"] = self._tags(arn)
        for key in ("placement", "terminateInstanceOnCompletion", "parentInstance"):
            if key in params:
                out[key] = copy.deepcopy(params[key])
        return out

    def _summary(self, ctx: RequestContext, norm: str, config: Configuration) -> dict[str, Any]:
        arn = self._arn(ctx, norm)
        params = config.params
        item: dict[str, Any] = {"arn": arn, "name": config.name}
        if "description" in params:
            item["description"] = params["description"]
        item["dateCreated"] = config.created
        if config.updated is not None:
            item["dateUpdated"] = config.updated
        if "resourceTags" in params:
            item["resourceTags"] = dict(params["resourceTags"])
        tags = self._tags(arn)
        if tags:
            item["tags"] = tags
        if "instanceTypes" in params:
            item["instanceTypes"] = list(params["instanceTypes"])
        item["instanceProfileName"] = params["instanceProfileName"]
        if "placement" in params:
            item["placement"] = dict(params["placement"])
        return item

    def create_infrastructure_configuration(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        return self._create(ctx, p)

    def get_infrastructure_configuration(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        return {"infrastructureConfiguration": self.find(ctx, p[self.arn_member], self.arn_member)}

    def list_infrastructure_configurations(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        return self._list(ctx, p, "infrastructureConfigurationSummaryList", self._summary)

    def update_infrastructure_configuration(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        return self._update(ctx, p)

    def delete_infrastructure_configuration(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        return self._delete(ctx, p)


class DistributionConfigurations(_Configurations):
    """Create/Get/List/Update/DeleteDistributionConfiguration."""

    kind = "distribution-configuration"
    label = "distribution configuration"
    arn_member = "distributionConfigurationArn"
    quota = DISTRIBUTION_CONFIGURATIONS
    quotas = (DISTRIBUTION_CONFIGURATIONS,)
    #: DistributionConfiguration.timeoutMinutes is in every answer but cannot be set (SPEC §10)
    TIMEOUT_MINUTES = 720

    def _check(self, p: dict[str, Any]) -> None:
        distributions = p["distributions"]
        if not distributions:
            raise invalid_value("distributions", "At least one distribution must be provided.")
        regions: set[str] = set()
        for index, distribution in enumerate(distributions):
            if all(distribution.get(key) is None for key in _OUTPUTS):
                raise invalid_value(
                    f"distributions[{index}]",
                    "One or more outputs should be provided for each region in a distribution "
                    "configuration.",
                )
            region = distribution["region"]
            if region in regions:
                raise invalid_value(
                    f"distributions[{index}].region",
                    f"The region '{region}' is given more than once; each region can appear in "
                    "one distribution only.",
                )
            regions.add(region)

    def _object(self, ctx: RequestContext, norm: str, config: Configuration) -> dict[str, Any]:
        arn = self._arn(ctx, norm)
        out: dict[str, Any] = {"arn": arn, "name": config.name}
        if "description" in config.params:
            out["description"] = config.params["description"]
        out["distributions"] = copy.deepcopy(config.params["distributions"])
        out["timeoutMinutes"] = self.TIMEOUT_MINUTES
        out["dateCreated"] = config.created
        if config.updated is not None:
            out["dateUpdated"] = config.updated
        out["tags"] = self._tags(arn)
        return out

    def _summary(self, ctx: RequestContext, norm: str, config: Configuration) -> dict[str, Any]:
        arn = self._arn(ctx, norm)
        item: dict[str, Any] = {"arn": arn, "name": config.name}
        if "description" in config.params:
            item["description"] = config.params["description"]
        item["dateCreated"] = config.created
        if config.updated is not None:
            item["dateUpdated"] = config.updated
        tags = self._tags(arn)
        if tags:
            item["tags"] = tags
        item["regions"] = [d["region"] for d in config.params["distributions"]]
        return item

    def create_distribution_configuration(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        return self._create(ctx, p)

    def get_distribution_configuration(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        return {"distributionConfiguration": self.find(ctx, p[self.arn_member], self.arn_member)}

    def list_distribution_configurations(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        return self._list(ctx, p, "distributionConfigurationSummaryList", self._summary)

    def update_distribution_configuration(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        return self._update(ctx, p)

    def delete_distribution_configuration(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        return self._delete(ctx, p)
