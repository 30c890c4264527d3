"""EC2 Image Builder image pipelines (SPEC §10, reference §3).

A pipeline is named and unversioned (``image-pipeline/<name>``). It references a recipe, an
infrastructure configuration, optionally a distribution configuration and workflows; they are
checked when it is created or updated, and it blocks their delete while it exists. Schedules are
stored, never fired. StartImagePipelineExecution starts a build through ``Images.start_build``.
"""

from __future__ import annotations

import bisect
import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...errors import ServiceError
from .._kit.arns import make_arn, parse_arn, partition_of
from .._kit.context import Family, Quota, RequestContext
from .._kit.pagination import paginate
from .builds import TERMINAL
from .versioning import filter_values, invalid_token, invalid_value, iso_millis, normalize_name

if TYPE_CHECKING:
    from .images import Images
    from .recipes import FoundRecipe
    from .shared import ImageBuilderShared

IMAGE_PIPELINES = Quota("imagebuilder.image_pipelines", "image pipelines per account and region")
FILTER_NAMES = (
    "description",
    "distributionConfigurationArn",
    "imageRecipeArn",
    "infrastructureConfigurationArn",
    "name",
    "status",
)
IMAGE_FILTERS = ("name", "version")
#: Create/Update members that are the pipeline's configuration
_CONFIG = (
    "description",
    "imageRecipeArn",
    "infrastructureConfigurationArn",
    "distributionConfigurationArn",
    "imageTestsConfiguration",
    "enhancedImageMetadataEnabled",
    "schedule",
    "status",
    "imageTags",
    "imageScanningConfiguration",
    "workflows",
    "executionRole",
    "loggingConfiguration",
)


@dataclass
class Pipeline:
    name: str
    config: dict[str, Any]
    platform: str
    created: str
    updated: str | None = None


@dataclass
class Store:
    items: dict[str, Pipeline] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)


class ImagePipelines(Family):
    """Create/Get/List/Update/DeleteImagePipeline, StartImagePipelineExecution,
    ListImagePipelineImages."""

    quotas = (IMAGE_PIPELINES,)
    shared: ImageBuilderShared

    def __init__(self, shared: ImageBuilderShared) -> None:
        super().__init__(shared)
        self._stores: dict[tuple[str, str], Store] = {}
        shared.tags.register("image pipeline", self._tag_target)

    def catch_up(self, now: float) -> None:
        self.shared.builds.advance(now)

    @property
    def _images(self) -> Images:
        builder: Images = self.shared.builder
        return builder

    def _store(self, ctx: RequestContext) -> Store:
        return self._stores.setdefault((ctx.account_id, ctx.region), Store())

    def _arn(self, ctx: RequestContext, norm: str) -> str:
        return make_arn("imagebuilder", ctx.region, ctx.account_id, f"image-pipeline/{norm}")

    def _get(self, ctx: RequestContext, arn: str, parameter: str) -> tuple[str, Pipeline]:
        parsed = parse_arn(arn)
        if parsed is None or not parsed.resource.startswith("image-pipeline/"):
            raise invalid_value(parameter, f"'{arn}' is not an image pipeline ARN.")
        norm = parsed.resource.split("/", 1)[1]
        found = None
        if (
            parsed.account == ctx.account_id
            and parsed.region == ctx.region
            and parsed.partition == partition_of(ctx.region)
        ):
            found = self._store(ctx).items.get(norm)
        if found is None:
            raise ServiceError(
                "ResourceNotFoundException", f"The resource ARN '{arn}' does not exist."
            )
        return norm, found

    # ------------------------------------------------------------------ references
    def _check(self, ctx: RequestContext, p: dict[str, Any]) -> tuple[str, set[str]]:
        """Check what the pipeline references; returns its platform and their canonical ARNs."""
        catalog = self.shared.catalog
        recipe_arn, container = p.get("imageRecipeArn"), p.get("containerRecipeArn")
        if recipe_arn is not None and container is not None:
            raise ServiceError(
                "InvalidParameterCombinationException",
                "You can specify either 'imageRecipeArn' or 'containerRecipeArn', but not both.",
            )
        if recipe_arn is None:
            if container is not None:
                raise ServiceError(
                    "ResourceNotFoundException",
                    f"The resource ARN '{container}' does not exist (container recipes are not "
                    "faked).",
                )
            raise ServiceError(
                "InvalidRequestException", "You must specify imageRecipeArn or containerRecipeArn."
            )
        recipe: FoundRecipe = catalog.find("image-recipe", ctx, recipe_arn, "imageRecipeArn")
        targets = {recipe.arn}
        infra_arn = p["infrastructureConfigurationArn"]
        infra = catalog.find(
            "infrastructure-configuration", ctx, infra_arn, "infrastructureConfigurationArn"
        )
        targets.add(infra["arn"])
        dist_arn = p.get("distributionConfigurationArn")
        if dist_arn is not None:
            dist = catalog.find(
                "distribution-configuration", ctx, dist_arn, "distributionConfigurationArn"
            )
            targets.add(dist["arn"])
        tests = (p.get("imageTestsConfiguration") or {}).get("imageTestsEnabled", True)
        _, workflows = self._images.plans(
            ctx, p.get("workflows"), p.get("executionRole"), bool(tests)
        )
        return recipe.platform, targets | workflows

    def _config(self, p: dict[str, Any]) -> dict[str, Any]:
        config = {k: copy.deepcopy(p[k]) for k in _CONFIG if k in p}
        config.setdefault("status", "ENABLED")
        config.setdefault("enhancedImageMetadataEnabled", True)
        config["imageTestsConfiguration"] = {
            "imageTestsEnabled": True,
            "timeoutMinutes": 720,
            **(config.get("imageTestsConfiguration") or {}),
        }
        if "schedule" in config:
            config["schedule"] = {
                "pipelineExecutionStartCondition": (
                    "EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE"
                ),
                "timezone": "UTC",
                **config["schedule"],
            }
        return config

    # ------------------------------------------------------------------ Create
    def create_image_pipeline(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        ignore = ("clientToken",) if p.get("dryRun") else ("clientToken", "dryRun")
        seen = self.shared.replay(ctx, p, ignore)
        if seen is not None:
            return seen
        store = self._store(ctx)
        norm = normalize_name(p["name"])
        arn = self._arn(ctx, norm)
        if norm in store.items:
            raise ServiceError(
                "ResourceAlreadyExistsException",
                f"The following resource 'ImagePipeline' already exists: '{arn}'.",
            )
        platform, targets = self._check(ctx, p)
        ctx.check_quota(
            IMAGE_PIPELINES, len(store.items), f"account {ctx.account_id} in region {ctx.region}"
        )
        if p.get("dryRun"):
            raise ServiceError(
                "DryRunOperationException", "Request would have succeeded, but DryRun flag is set."
            )
        store.items[norm] = Pipeline(
            p["name"], self._config(p), platform, iso_millis(ctx.clock.now())
        )
        bisect.insort(store.names, norm)
        self.shared.references.set(arn, targets)
        if p.get("tags"):
            self.shared.tags.set(arn, p["tags"])
        out = {"clientToken": p["clientToken"], "imagePipelineArn": arn}
        return self.shared.remember(ctx, p, out, ignore)

    # ------------------------------------------------------------------ Update
    def update_image_pipeline(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        seen = self.shared.replay(ctx, p)
        if seen is not None:
            return seen
        norm, pipeline = self._get(ctx, p["imagePipelineArn"], "imagePipelineArn")
        platform, targets = self._check(ctx, p)
        pipeline.config = self._config(p)
        pipeline.platform = platform
        pipeline.updated = iso_millis(ctx.clock.now())
        arn = self._arn(ctx, norm)
        self.shared.references.set(arn, targets)
        out = {"clientToken": p["clientToken"], "imagePipelineArn": arn}
        return self.shared.remember(ctx, p, out)

    # ------------------------------------------------------------------ Get / List
    def _object(self, ctx: RequestContext, norm: str, pipeline: Pipeline) -> dict[str, Any]:
        arn = self._arn(ctx, norm)
        config = pipeline.config
        out: dict[str, Any] = {"arn": arn, "name": pipeline.name}
        if "description" in config:
            out["description"] = config["description"]
        out["platform"] = pipeline.platform
        out["enhancedImageMetadataEnabled"] = config["enhancedImageMetadataEnabled"]
        for key in (
            "imageRecipeArn",
            "infrastructureConfigurationArn",
            "distributionConfigurationArn",
            "imageTestsConfiguration",
            "schedule",
            "status",
        ):
            if key in config:
                out[key] = copy.deepcopy(config[key])
        out["dateCreated"] = pipeline.created
        if pipeline.updated is not None:
            out["dateUpdated"] = pipeline.updated
        last = self._last_status(ctx, arn)
        if last is not None:
            out["lastRunStatus"] = last
        out["tags"] = dict(self.shared.tags.of(arn))
        for key in (
            "imageScanningConfiguration",
            "imageTags",
            "executionRole",
            "workflows",
            "loggingConfiguration",
        ):
            if key in config:
                out[key] = copy.deepcopy(config[key])
        out["consecutiveFailures"] = 0
        return out

    def _last_status(self, ctx: RequestContext, arn: str) -> str | None:
        for image_arn in reversed(self._images.by_pipeline.get(arn, [])):
            record = self._images.record_of(ctx, image_arn)
            if record is not None:
                return record.status
        return None

    def get_image_pipeline(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        norm, pipeline = self._get(ctx, p["imagePipelineArn"], "imagePipelineArn")
        return {"imagePipeline": self._object(ctx, norm, pipeline)}

    def list_image_pipelines(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        filters = filter_values(p.get("filters"), FILTER_NAMES)
        store = self._store(ctx)

        def keep(pipeline: Pipeline) -> bool:
            values = {**pipeline.config, "name": pipeline.name}
            return all(values.get(name) in allowed for name, allowed in filters.items())

        def seek(after: Any) -> Iterator[tuple[str, dict[str, Any]]]:
            if after is not None and not isinstance(after, str):
                raise invalid_token()
            start = 0 if after is None else bisect.bisect_right(store.names, after)
            for norm in store.names[start:]:
                pipeline = store.items[norm]
                if keep(pipeline):
                    item = self._object(ctx, norm, pipeline)
                    if not item["tags"]:
                        del item["tags"]
                    yield norm, item

        listing = f"ListImagePipelines:{ctx.account_id}:{ctx.region}:" + repr(
            sorted((k, sorted(v)) for k, v in filters.items())
        )
        return paginate(
            ctx,
            p,
            self.shared.pages,
            listing=listing,
            seek=seek,
            invalid_token=invalid_token(),
            default_limit=25,
        )

    # ------------------------------------------------------------------ Delete
    def delete_image_pipeline(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        norm, _ = self._get(ctx, p["imagePipelineArn"], "imagePipelineArn")
        arn = self._arn(ctx, norm)
        for image_arn in self._images.by_pipeline.get(arn, []):
            record = self._images.record_of(ctx, image_arn)
            if record is not None and record.status not in TERMINAL:
                raise ServiceError(
                    "ResourceDependencyException",
                    f"Resource dependency error: The resource ARN '{arn}' has other resources "
                    f"depended on it: the image '{image_arn}' is still being built.",
                )
        self.shared.references.check_delete(arn)
        store = self._store(ctx)
        del store.items[norm]
        store.names.pop(bisect.bisect_left(store.names, norm))
        self.shared.references.drop(arn)
        self.shared.tags.drop(arn)
        return {"imagePipelineArn": arn}

    # ------------------------------------------------------------------ runs
    def start_image_pipeline_execution(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        seen = self.shared.replay(ctx, p)
        if seen is not None:
            return seen
        norm, pipeline = self._get(ctx, p["imagePipelineArn"], "imagePipelineArn")
        arn = self._arn(ctx, norm)
        config = pipeline.config
        tags = {**(config.get("imageTags") or {}), **(p.get("tags") or {})}
        scope, entry, number = self._images.start_build(
            ctx, config, pipeline=(arn, pipeline.name), tags=tags or None
        )
        out = {
            "clientToken": p["clientToken"],
            "imageBuildVersionArn": scope.build_arn(entry, number),
        }
        return self.shared.remember(ctx, p, out)

    def list_image_pipeline_images(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        norm, _ = self._get(ctx, p["imagePipelineArn"], "imagePipelineArn")
        arn = self._arn(ctx, norm)
        filters = filter_values(p.get("filters"), IMAGE_FILTERS)
        started = list(self._images.by_pipeline.get(arn, []))

        def seek(after: Any) -> Iterator[tuple[int, dict[str, Any]]]:
            if after is not None and (
                not isinstance(after, int) or isinstance(after, bool) or after < 0
            ):
                raise invalid_token()
            # newest first: positions count from the oldest, so a token survives new runs
            top = len(started) - 1 if after is None else min(after - 1, len(started) - 1)
            for index in range(top, -1, -1):
                item = self._images.summary_of(ctx, started[index])
                if item is None:
                    continue
                if "name" in filters and item["name"] not in filters["name"]:
                    continue
                if "version" in filters and item["version"].split("/")[0] not in filters["version"]:
                    continue
                yield index, item

        return paginate(
            ctx,
            p,
            self.shared.pages,
            listing=f"ListImagePipelineImages:{ctx.account_id}:{ctx.region}:{arn}:"
            + repr(sorted((k, sorted(v)) for k, v in filters.items())),
            seek=seek,
            invalid_token=invalid_token(),
            default_limit=25,
        )

    def _tag_target(self, ctx: RequestContext, arn: str, write: bool) -> str | None:
        parsed = parse_arn(arn)
        if parsed is None or not parsed.resource.startswith("image-pipeline/"):
            return None
        norm, _ = self._get(ctx, arn, "resourceArn")
        return self._arn(ctx, norm)
