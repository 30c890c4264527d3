"""EC2 Image Builder images: CreateImage, GetImage, ListImages, ListImageBuildVersions,
DeleteImage, CancelImageCreation (SPEC §10, reference §4).

An image build version is ``image/<recipe>/<M.m.p>/<n>``: the recipe's name and version, build
numbers per recipe version that are never reused. GetImage embeds snapshots of the recipe and
the configurations taken when the build starts. The build itself runs in ``builds.Builds`` (the
shared state machine); pipelines start builds through ``Images.start_build`` too.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...errors import ServiceError
from .._kit.arns import partition_of
from .._kit.context import Family, Quota, RequestContext
from .._kit.pagination import paginate
from .builds import CANCEL, DISTRIBUTION, PENDING, TERMINAL, ImageRun, Plan
from .versioning import (
    AMAZON_ACCOUNT,
    AMAZON_OWNER,
    VERSIONED_ARN,
    Scope,
    VersionEntry,
    account_scope,
    all_builds_newest_first,
    builds_newest_first,
    filter_values,
    invalid_token,
    invalid_value,
    is_wildcard,
    iso_millis,
    latest_refs,
    not_found,
    sort_key_token,
    version_text,
    wildcard_pattern,
)

if TYPE_CHECKING:
    from .recipes import FoundRecipe
    from .shared import ImageBuilderShared
    from .workflows import FoundWorkflow

FILTER_NAMES = ("name", "osVersion", "platform", "type", "version")
CONCURRENT_BUILDS = Quota(
    "imagebuilder.concurrent_builds", "images in progress per account and region"
)
MAX_WORKFLOWS = 10
_DEFAULT_TESTS = {"imageTestsEnabled": True, "timeoutMinutes": 720}
_LOG_GROUP = re.compile(r"[^a-zA-Z0-9\-_/.]")


@dataclass
class ImageRecord:
    """One image build version: its snapshots and request, and its build (None: managed)."""

    name: str
    platform: str
    created: str
    run: ImageRun | None
    recipe: dict[str, Any] | None = None
    infrastructure: dict[str, Any] | None = None
    distribution: dict[str, Any] | None = None
    tests: dict[str, Any] = field(default_factory=lambda: dict(_DEFAULT_TESTS))
    enhanced: bool = True
    workflows: list[dict[str, Any]] | None = None
    execution_role: str | None = None
    scanning: dict[str, Any] | None = None
    pipeline: tuple[str, str] | None = None  # (arn, name)
    build_type: str = "USER_INITIATED"
    source: str = "CUSTOM"
    log_group: str | None = None
    os_version: str | None = None  # managed images

    @property
    def status(self) -> str:
        return "AVAILABLE" if self.run is None else self.run.status


@dataclass(frozen=True)
class FoundImage:
    arn: str
    platform: str


#: AWS-managed parent images (names as AWS's; versions are plausible stand-ins).
MANAGED_IMAGES: tuple[tuple[str, tuple[int, int, int], str, str], ...] = (
    ("amazon-linux-2023-x86", (2024, 11, 5), "Linux", "Amazon Linux 2023"),
    ("amazon-linux-2-x86", (2024, 11, 4), "Linux", "Amazon Linux 2"),
    ("ubuntu-server-22-lts-x86", (2024, 11, 1), "Linux", "Ubuntu 22"),
    (
        "windows-server-2022-english-full-base-x86",
        (2024, 11, 13),
        "Windows",
        "Microsoft Windows Server 2022",
    ),
)
_MANAGED_CREATED = "2024-11-15T00:00:00.000Z"


def _without_empty_tags(obj: dict[str, Any] | None) -> dict[str, Any] | None:
    if obj is not None and not obj.get("tags"):
        obj.pop("tags", None)
    return obj


class Images(Family):
    """The image API and the one place builds are started (CreateImage and pipelines)."""

    quotas = (CONCURRENT_BUILDS,)
    durations = (PENDING, DISTRIBUTION, CANCEL)
    shared: ImageBuilderShared

    def __init__(self, shared: ImageBuilderShared) -> None:
        super().__init__(shared)
        self._scopes: dict[tuple[str, str], Scope] = {}
        self._managed: dict[str, Scope] = {}
        #: (account, region, recipe norm, version) -> the next build number (never reused)
        self._numbers: dict[tuple[str, str, str, tuple[int, int, int]], int] = {}
        #: pipeline ARN -> the image build ARNs it started, oldest first
        self.by_pipeline: dict[str, list[str]] = {}
        shared.tags.register("image build version", self._tag_target)
        shared.catalog.register("image", self.find)
        shared.builder = self

    def catch_up(self, now: float) -> None:
        self.shared.builds.advance(now)

    def next_change(self, now: float) -> float | None:
        return self.shared.builds.next_change(now)

    # ------------------------------------------------------------------ state helpers
    def _scope(self, ctx: RequestContext) -> Scope:
        return account_scope(self._scopes, ctx.account_id, ctx.region, "image")

    def _managed_scope(self, region: str) -> Scope:
        found = self._managed.get(region)
        if found is None:
            found = Scope(AMAZON_ACCOUNT, AMAZON_OWNER, region, partition_of(region), "image")
            for name, version, platform, os_version in MANAGED_IMAGES:
                entry = VersionEntry("", name, version)
                entry.add_build(
                    ImageRecord(
                        name,
                        platform,
                        _MANAGED_CREATED,
                        None,
                        source="AMAZON_MANAGED",
                        os_version=os_version,
                    )
                )
                found.add(entry)
            self._managed[region] = found
        return found

    def _locate(
        self, ctx: RequestContext, arn: str, parameter: str
    ) -> tuple[Scope | None, str, tuple[int | None, ...], int | None]:
        match = VERSIONED_ARN.match(arn)
        if match is None or match.group(4) != "image":
            raise invalid_value(parameter, f"'{arn}' is not an image ARN.")
        partition, region, account, _, norm = match.group(1, 2, 3, 4, 5)
        pattern = wildcard_pattern(match.group(6, 7, 8), parameter)
        build = int(match.group(9)) if match.group(9) is not None else None
        if build is not None and is_wildcard(pattern):
            raise invalid_value(parameter, "A build version ARN cannot contain a wildcard version.")
        scope = None
        if region == ctx.region and partition == partition_of(ctx.region):
            if account == AMAZON_ACCOUNT:
                scope = self._managed_scope(ctx.region)
            elif account == ctx.account_id:
                scope = self._scope(ctx)
        return scope, norm, pattern, build

    def _resolve(
        self, ctx: RequestContext, arn: str, parameter: str
    ) -> tuple[Scope, VersionEntry, int]:
        scope, norm, pattern, build = self._locate(ctx, arn, parameter)
        entry = None if scope is None else scope.newest_matching("", norm, pattern)
        if scope is None or entry is None:
            raise not_found(arn)
        number = entry.numbers[-1] if build is None else build
        if number not in entry.builds:
            raise not_found(arn)
        return scope, entry, number

    def _exact(
        self, ctx: RequestContext, arn: str, parameter: str
    ) -> tuple[Scope, VersionEntry, int]:
        scope, norm, pattern, build = self._locate(ctx, arn, parameter)
        if scope is None or build is None:
            raise not_found(arn)
        entry = scope.versions.get(("", norm, (pattern[0] or 0, pattern[1] or 0, pattern[2] or 0)))
        if entry is None or build not in entry.builds:
            raise not_found(arn)
        return scope, entry, build

    def find(self, ctx: RequestContext, arn: str, parameter: str) -> FoundImage:
        """The image ``arn`` stands for (a parent image of a recipe)."""
        scope, entry, number = self._resolve(ctx, arn, parameter)
        record: ImageRecord = entry.builds[number]
        return FoundImage(scope.build_arn(entry, number), record.platform)

    # ------------------------------------------------------------------ workflows of a build
    def plans(
        self,
        ctx: RequestContext,
        workflows: list[dict[str, Any]] | None,
        role: str | None,
        tests_enabled: bool,
    ) -> tuple[list[Plan], set[str]]:
        """The workflows a build runs, in stage order, and the workflow builds they name."""
        catalog = self.shared.catalog
        if not workflows:
            managed = f"arn:{partition_of(ctx.region)}:imagebuilder:{ctx.region}:aws:workflow"
            chosen = [f"{managed}/build/build-image/x.x.x"]
            if tests_enabled:
                chosen.append(f"{managed}/test/test-image/x.x.x")
            plans = []
            for arn in chosen:
                found: FoundWorkflow = catalog.find("workflow", ctx, arn, "workflows")
                plans.append(Plan(found.arn, found.type, found.norm, found.document, {}))
            return plans, set()
        if role is None:
            raise ServiceError(
                "InvalidRequestException", "An execution role is required to provide workflows"
            )
        if len(workflows) > MAX_WORKFLOWS:
            raise invalid_value("workflows", f"At most {MAX_WORKFLOWS} workflows can be given.")
        by_type: dict[str, list[Plan]] = {"BUILD": [], "TEST": [], "DISTRIBUTION": []}
        targets: set[str] = set()
        for index, config in enumerate(workflows):
            where = f"workflows[{index}]"
            arn = config["workflowArn"]
            found = catalog.find("workflow", ctx, arn, f"{where}.workflowArn")
            if found.managed and not arn.endswith("/x.x.x"):
                raise invalid_value(
                    "workflows",
                    "AWS managed workflows must have latest version 'x.x.x' for "
                    "'{workflow_arn_str}'",
                )
            if found.type != "TEST" and (
                config.get("parallelGroup") is not None or config.get("onFailure") is not None
            ):
                raise ServiceError(
                    "InvalidParameterCombinationException",
                    f"The value supplied for parameter '{where}' is not valid. parallelGroup and "
                    "onFailure can be given for test workflows only.",
                )
            values: dict[str, Any] = {
                d["name"]: list(d.get("defaultValue", [])) for d in found.parameters
            }
            for given in config.get("parameters") or []:
                if given["name"] not in values:
                    raise ServiceError(
                        "InvalidParameterCombinationException",
                        f"The value supplied for parameter '{where}.parameters' is not valid. "
                        "The following parameters are not defined in the provided workflow: "
                        f"{given['name']}",
                    )
                values[given["name"]] = list(given["value"])
            by_type[found.type].append(
                Plan(
                    found.arn,
                    found.type,
                    found.norm,
                    found.document,
                    values,
                    config.get("parallelGroup"),
                    config.get("onFailure", "ABORT"),
                )
            )
            if not found.managed:
                targets.add(found.arn)
        for kind in ("BUILD", "DISTRIBUTION"):
            if len(by_type[kind]) > 1:
                raise invalid_value(
                    "workflows", f"At most one {kind.lower()} workflow can be given."
                )
        tests = by_type["TEST"] if tests_enabled else []
        return [*by_type["BUILD"], *tests, *by_type["DISTRIBUTION"]], targets

    # ------------------------------------------------------------------ starting a build
    def start_build(
        self,
        ctx: RequestContext,
        p: dict[str, Any],
        pipeline: tuple[str, str] | None = None,
        tags: dict[str, str] | None = None,
    ) -> tuple[Scope, VersionEntry, int]:
        """Start a build from CreateImage-shaped parameters (a pipeline's, for a pipeline run)."""
        catalog = self.shared.catalog
        recipe_arn, container = p.get("imageRecipeArn"), p.get("containerRecipeArn")
        if recipe_arn is not None and container is not None:
            raise ServiceError(
                "InvalidParameterCombinationException",
                "You can specify either 'imageRecipeArn' or 'containerRecipeArn', but not both.",
            )
        if recipe_arn is None and container is None:
            raise ServiceError(
                "InvalidRequestException", "You must specify imageRecipeArn or containerRecipeArn."
            )
        if recipe_arn is None:
            raise ServiceError(
                "ResourceNotFoundException",
                f"The resource ARN '{container}' does not exist (container recipes are not faked).",
            )
        recipe: FoundRecipe = catalog.find("image-recipe", ctx, recipe_arn, "imageRecipeArn")
        infra = catalog.find(
            "infrastructure-configuration",
            ctx,
            p["infrastructureConfigurationArn"],
            "infrastructureConfigurationArn",
        )
        dist = None
        if p.get("distributionConfigurationArn") is not None:
            dist = catalog.find(
                "distribution-configuration",
                ctx,
                p["distributionConfigurationArn"],
                "distributionConfigurationArn",
            )
        tests = {**_DEFAULT_TESTS, **(p.get("imageTestsConfiguration") or {})}
        plans, _ = self.plans(
            ctx, p.get("workflows"), p.get("executionRole"), bool(tests["imageTestsEnabled"])
        )
        scope = self._scope(ctx)
        running = sum(
            1
            for run in self.shared.builds.runs.values()
            if run.account == ctx.account_id
            and run.region == ctx.region
            and run.status not in TERMINAL
        )
        ctx.check_quota(
            CONCURRENT_BUILDS, running, f"account {ctx.account_id} in region {ctx.region}"
        )
        norm = recipe.arn.split("image-recipe/", 1)[1].split("/", 1)[0]
        key = (ctx.account_id, ctx.region, norm, recipe.version)
        number = self._numbers.get(key, 1)
        self._numbers[key] = number + 1
        entry = scope.versions.get(("", norm, recipe.version))
        if entry is None:
            entry = VersionEntry("", norm, recipe.version)
            scope.add(entry)
        entry.next_build = number
        arn = scope.build_arn(entry, number)
        regions = [ctx.region]
        ami_name = f"{recipe.name} {{{{imagebuilder:buildDate}}}}"
        if dist is not None:
            for distribution in dist["distributions"]:
                if distribution["region"] not in regions:
                    regions.append(distribution["region"])
                if distribution["region"] == ctx.region:
                    ami = distribution.get("amiDistributionConfiguration") or {}
                    ami_name = ami.get("name", ami_name)
        scanning = p.get("imageScanningConfiguration")
        run = ImageRun(
            arn,
            ctx.account_id,
            ctx.region,
            recipe.platform,
            plans,
            {"platform": recipe.platform, "imageType": "AMI", "imageBuildVersionArn": arn},
            regions,
            ami_name,
            has_build_components="BUILD" in recipe.component_types,
            has_test_components="TEST" in recipe.component_types,
            scanning=bool(scanning and scanning.get("imageScanningEnabled")),
        )
        record = ImageRecord(
            recipe.name,
            recipe.platform,
            iso_millis(ctx.clock.now()),
            run,
            recipe=_without_empty_tags(copy.deepcopy(recipe.recipe)),
            infrastructure=_without_empty_tags(infra),
            distribution=_without_empty_tags(dist),
            tests=tests,
            enhanced=bool(p.get("enhancedImageMetadataEnabled", True)),
            workflows=copy.deepcopy(p["workflows"]) if p.get("workflows") else None,
            execution_role=p.get("executionRole"),
            scanning=copy.deepcopy(scanning),
            pipeline=pipeline,
            build_type="USER_INITIATED",
            log_group=(p.get("loggingConfiguration") or {}).get("logGroupName")
            or "/aws/imagebuilder/" + _LOG_GROUP.sub("-", recipe.name),
        )
        entry.add_build(record)
        self.shared.builds.start(run, ctx.clock.time(), ctx.durations)
        if tags:
            self.shared.tags.set(arn, tags)
        if pipeline is not None:
            self.by_pipeline.setdefault(pipeline[0], []).append(arn)
        return scope, entry, number

    # ------------------------------------------------------------------ CreateImage
    def create_image(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        seen = self.shared.replay(ctx, p)
        if seen is not None:
            return seen
        scope, entry, number = self.start_build(ctx, p, tags=p.get("tags"))
        out = {
            "clientToken": p["clientToken"],
            "imageBuildVersionArn": scope.build_arn(entry, number),
            "latestVersionReferences": latest_refs(scope, entry),
        }
        return self.shared.remember(ctx, p, out)

    # ------------------------------------------------------------------ GetImage
    def get_image(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        scope, entry, number = self._resolve(ctx, p["imageBuildVersionArn"], "imageBuildVersionArn")
        return {
            "image": self.image_object(scope, entry, number),
            "latestVersionReferences": latest_refs(scope, entry),
        }

    def image_object(self, scope: Scope, entry: VersionEntry, number: int) -> dict[str, Any]:
        record: ImageRecord = entry.builds[number]
        arn = scope.build_arn(entry, number)
        out: dict[str, Any] = {
            "arn": arn,
            "type": "AMI",
            "name": record.name,
            "version": f"{version_text(entry.version)}/{number}",
            "platform": record.platform,
            "enhancedImageMetadataEnabled": record.enhanced,
        }
        os_version = self._os_version(record)
        if os_version is not None:
            out["osVersion"] = os_version
        out["state"] = self._state(record)
        if record.recipe is not None:
            out["imageRecipe"] = copy.deepcopy(record.recipe)
        if record.pipeline is not None:
            out["sourcePipelineName"] = record.pipeline[1]
            out["sourcePipelineArn"] = record.pipeline[0]
        if record.infrastructure is not None:
            out["infrastructureConfiguration"] = copy.deepcopy(record.infrastructure)
        if record.distribution is not None:
            out["distributionConfiguration"] = copy.deepcopy(record.distribution)
        if record.run is not None:
            out["imageTestsConfiguration"] = dict(record.tests)
        out["dateCreated"] = record.created
        out["outputResources"] = {"amis": self._amis(scope, record)}
        out["tags"] = dict(self.shared.tags.of(arn))
        out["buildType"] = record.build_type
        out["imageSource"] = record.source
        if record.scanning is not None:
            out["imageScanningConfiguration"] = copy.deepcopy(record.scanning)
        if record.execution_role is not None:
            out["executionRole"] = record.execution_role
        if record.workflows is not None:
            out["workflows"] = copy.deepcopy(record.workflows)
        if record.log_group is not None:
            out["loggingConfiguration"] = {"logGroupName": record.log_group}
        return out

    @staticmethod
    def _os_version(record: ImageRecord) -> str | None:
        if record.run is None:
            return record.os_version
        return record.run.os_version

    @staticmethod
    def _state(record: ImageRecord) -> dict[str, Any]:
        state: dict[str, Any] = {"status": record.status}
        if record.run is not None and record.run.reason is not None:
            state["reason"] = record.run.reason
        return state

    @staticmethod
    def _amis(scope: Scope, record: ImageRecord) -> list[dict[str, Any]]:
        if record.run is None:
            return []
        return copy.deepcopy(record.run.amis)

    def summary(self, scope: Scope, entry: VersionEntry, number: int) -> dict[str, Any]:
        """The ImageSummary of one build (ListImageBuildVersions, ListImagePipelineImages)."""
        record: ImageRecord = entry.builds[number]
        arn = scope.build_arn(entry, number)
        item: dict[str, Any] = {
            "arn": arn,
            "name": record.name,
            "type": "AMI",
            "version": f"{version_text(entry.version)}/{number}",
            "platform": record.platform,
        }
        os_version = self._os_version(record)
        if os_version is not None:
            item["osVersion"] = os_version
        item["state"] = self._state(record)
        item["owner"] = scope.owner
        item["dateCreated"] = record.created
        item["outputResources"] = {"amis": self._amis(scope, record)}
        tags = self.shared.tags.of(arn)
        if tags:
            item["tags"] = dict(tags)
        item["buildType"] = record.build_type
        item["imageSource"] = record.source
        return item

    def summary_of(self, ctx: RequestContext, arn: str) -> dict[str, Any] | None:
        """The summary of the image build ``arn`` if it still exists."""
        try:
            scope, entry, number = self._exact(ctx, arn, "imageBuildVersionArn")
        except ServiceError:
            return None
        return self.summary(scope, entry, number)

    def record_of(self, ctx: RequestContext, arn: str) -> ImageRecord | None:
        try:
            _, entry, number = self._exact(ctx, arn, "imageBuildVersionArn")
        except ServiceError:
            return None
        found: ImageRecord = entry.builds[number]
        return found

    @staticmethod
    def keep(filters: dict[str, set[str]]) -> Any:
        """A predicate on (version text, record) for the image filters."""

        def keep(version: str, record: ImageRecord) -> bool:
            checks = (
                ("platform", record.platform),
                ("type", "AMI"),
                ("version", version),
                ("osVersion", Images._os_version(record)),
                ("name", record.name),
            )
            return all(name not in filters or value in filters[name] for name, value in checks)

        return keep

    # ------------------------------------------------------------------ ListImages
    def list_images(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        owner = p.get("owner", "Self")
        filters = filter_values(p.get("filters"), FILTER_NAMES)
        by_name = bool(p.get("byName"))
        scope: Scope | None = None
        if owner == "Self":
            scope = self._scope(ctx)
        elif owner == AMAZON_OWNER:
            scope = self._managed_scope(ctx.region)
        wanted = self.keep(filters)

        def keep(entry: VersionEntry) -> bool:
            return bool(wanted(version_text(entry.version), entry.newest))

        def seek(after: Any) -> Iterator[tuple[list[Any], dict[str, Any]]]:
            if scope is None:
                return
            resume = None if after is None else sort_key_token(after)
            for entry in scope.scan(resume, None, keep, by_name, lambda e: e.newest.name):
                record: ImageRecord = entry.newest
                item: dict[str, Any] = {
                    "arn": scope.version_arn(entry),
                    "name": record.name,
                    "type": "AMI",
                    "version": version_text(entry.version),
                    "platform": record.platform,
                }
                os_version = self._os_version(record)
                if os_version is not None:
                    item["osVersion"] = os_version
                item["owner"] = scope.owner
                item["dateCreated"] = record.created
                item["buildType"] = record.build_type
                item["imageSource"] = record.source
                yield list(entry.sort_key), item

        listing = f"ListImages:{ctx.account_id}:{ctx.region}:{owner}:{by_name}:" + repr(
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

    # ------------------------------------------------------------------ ListImageBuildVersions
    def list_image_build_versions(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        arn = p.get("imageVersionArn")
        filters = filter_values(p.get("filters"), FILTER_NAMES)
        wanted = self.keep(filters)
        if arn is None:  # optional in the model: every image build of the account
            every = self._scope(ctx)

            def seek(after: Any) -> Iterator[tuple[list[Any], dict[str, Any]]]:
                for position, entry, number in all_builds_newest_first(every, after):
                    if wanted(version_text(entry.version), entry.builds[number]):
                        yield position, self.summary(every, entry, number)

        else:
            scope, norm, pattern, build = self._locate(ctx, arn, "imageVersionArn")
            if build is not None or is_wildcard(pattern):
                raise invalid_value("imageVersionArn", f"'{arn}' must be an image version ARN.")

            def seek(after: Any) -> Iterator[tuple[list[Any], dict[str, Any]]]:
                if scope is None:
                    return
                for position, entry, number in builds_newest_first(scope, "", norm, pattern, after):
                    if wanted(version_text(entry.version), entry.builds[number]):
                        yield position, self.summary(scope, entry, number)

        listing = f"ListImageBuildVersions:{ctx.account_id}:{ctx.region}:{arn}:" + repr(
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

    # ------------------------------------------------------------------ DeleteImage
    def delete_image(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        arn = p["imageBuildVersionArn"]
        scope, entry, number = self._exact(ctx, arn, "imageBuildVersionArn")
        if scope.account == AMAZON_ACCOUNT:
            raise ServiceError(
                "ForbiddenException", f"AWS managed images cannot be deleted: '{arn}'."
            )
        canonical = scope.build_arn(entry, number)
        record: ImageRecord = entry.builds[number]
        if record.status not in TERMINAL:
            raise ServiceError(
                "ResourceDependencyException",
                f"Resource dependency error: The image '{canonical}' is still being built "
                f"({record.status}); cancel it with CancelImageCreation before deleting it.",
            )
        self.shared.references.check_delete(canonical)
        scope.drop_build(entry, number)
        self.shared.builds.forget(canonical)
        self.shared.tags.drop(canonical)
        if record.pipeline is not None:
            started = self.by_pipeline.get(record.pipeline[0], [])
            if canonical in started:
                started.remove(canonical)
        return {"imageBuildVersionArn": canonical}

    # ------------------------------------------------------------------ CancelImageCreation
    def cancel_image_creation(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        seen = self.shared.replay(ctx, p)
        if seen is not None:
            return seen
        arn = p["imageBuildVersionArn"]
        scope, entry, number = self._exact(ctx, arn, "imageBuildVersionArn")
        record: ImageRecord = entry.builds[number]
        run = record.run
        if run is None or run.status in TERMINAL:
            raise invalid_value(
                "imageBuildVersionArn",
                f"The image '{arn}' is in a terminal state ({record.status}) and cannot be "
                "cancelled.",
            )
        if run.cancel_at is not None:
            raise ServiceError(
                "ResourceInUseException", f"The image '{arn}' is already being cancelled."
            )
        self.shared.builds.cancel(run, ctx.clock.time())
        out = {
            "clientToken": p["clientToken"],
            "imageBuildVersionArn": scope.build_arn(entry, number),
        }
        return self.shared.remember(ctx, p, out)

    # ------------------------------------------------------------------ tags
    def _tag_target(self, ctx: RequestContext, arn: str, write: bool) -> str | None:
        match = VERSIONED_ARN.match(arn)
        if match is None or match.group(4) != "image" or match.group(9) is None:
            return None
        scope, entry, number = self._exact(ctx, arn, "resourceArn")
        if write and scope.account == AMAZON_ACCOUNT:
            raise ServiceError(
                "ForbiddenException", f"AWS managed images cannot be tagged: '{arn}'."
            )
        return scope.build_arn(entry, number)
