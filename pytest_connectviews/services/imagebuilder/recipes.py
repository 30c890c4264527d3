"""EC2 Image Builder image recipes (SPEC §10, reference §2-§3).

A recipe is keyed by (normalized name, ``M.m.p``) with no build node. A wildcard
``semanticVersion`` (``1.0.x``) takes the next free version: the highest existing match with its
rightmost wildcard node plus one (the first is the match with zeros). Components are referenced by
build, version or wildcard ARN and checked when the recipe is created: a missing component is
``ResourceNotFoundException``, an undefined component parameter
``InvalidParameterCombinationException``. The recipe references the builds its components resolve
to then, so those builds cannot be deleted while the recipe exists.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...errors import ServiceError
from .._kit.arns import partition_of
from .._kit.context import Family, Quota, RequestContext
from .._kit.pagination import paginate
from .versioning import (
    AMAZON_ACCOUNT,
    MAX_VERSION_NODE,
    VERSIONED_ARN,
    Scope,
    VersionEntry,
    account_scope,
    filter_values,
    invalid_token,
    invalid_value,
    is_wildcard,
    iso_millis,
    latest_refs,
    normalize_name,
    not_found,
    sort_key_token,
    version_text,
    wildcard_pattern,
)

if TYPE_CHECKING:
    from .components import Found
    from .shared import ImageBuilderShared

FILTER_NAMES = ("name", "parentImage", "platform")
IGNORED = ("clientToken", "dryRun")
IMAGE_RECIPES = Quota("imagebuilder.image_recipes", "image recipe versions per account and region")
_AMI_ID = re.compile(r"^ami-[0-9a-f]{8,17}\Z")
#: members of CreateImageRecipe stored and returned as given
_KEPT = (
    "blockDeviceMappings",
    "additionalInstanceConfiguration",
    "amiTags",
)


@dataclass
class Recipe:
    name: str
    params: dict[str, Any]
    platform: str
    created: str
    #: canonical component build ARNs it resolved to at creation
    component_builds: tuple[str, ...]


@dataclass(frozen=True)
class FoundRecipe:
    """A recipe an image or pipeline references: its ARN, platform and GetImageRecipe object."""

    arn: str
    name: str
    version: tuple[int, int, int]
    platform: str
    recipe: dict[str, Any]
    #: the component builds it referenced at creation, and their types (BUILD/TEST)
    component_types: tuple[str, ...]


class ImageRecipes(Family):
    """CreateImageRecipe, GetImageRecipe, ListImageRecipes, DeleteImageRecipe."""

    quotas = (IMAGE_RECIPES,)
    shared: ImageBuilderShared

    def __init__(self, shared: ImageBuilderShared) -> None:
        super().__init__(shared)
        self._scopes: dict[tuple[str, str], Scope] = {}
        shared.tags.register("image recipe", self._tag_target)
        shared.catalog.register("image-recipe", self.find)

    def _scope(self, ctx: RequestContext) -> Scope:
        return account_scope(self._scopes, ctx.account_id, ctx.region, "image-recipe")

    def _locate(
        self, ctx: RequestContext, arn: str, parameter: str
    ) -> tuple[Scope | None, str, tuple[int | None, ...]]:
        match = VERSIONED_ARN.match(arn)
        if match is None or match.group(4) != "image-recipe" or match.group(9) is not None:
            raise invalid_value(parameter, f"'{arn}' is not an image recipe ARN.")
        partition, region, account, _, norm = match.group(1, 2, 3, 4, 5)
        pattern = wildcard_pattern(match.group(6, 7, 8), parameter)
        scope = None
        if (
            region == ctx.region
            and partition == partition_of(ctx.region)
            and account == ctx.account_id
        ):
            scope = self._scope(ctx)
        return scope, norm, pattern

    def _resolve(self, ctx: RequestContext, arn: str, parameter: str) -> tuple[Scope, VersionEntry]:
        scope, norm, pattern = self._locate(ctx, arn, parameter)
        entry = None if scope is None else scope.newest_matching("", norm, pattern)
        if scope is None or entry is None:
            raise not_found(arn)
        return scope, entry

    def find(self, ctx: RequestContext, arn: str, parameter: str) -> FoundRecipe:
        """The recipe ``arn`` (exact or wildcard) stands for now."""
        scope, entry = self._resolve(ctx, arn, parameter)
        recipe: Recipe = entry.newest
        types = []
        for build_arn in (a for a in recipe.component_builds if ":component/" in a):
            try:
                found: Found = self.shared.catalog.find("component", ctx, build_arn, parameter)
            except ServiceError:
                continue
            types.append(found.build.type)
        return FoundRecipe(
            scope.version_arn(entry),
            recipe.name,
            entry.version,
            recipe.platform,
            self._object(scope, entry),
            tuple(types),
        )

    # ------------------------------------------------------------------ CreateImageRecipe
    def create_image_recipe(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        ignore = ("clientToken",) if p.get("dryRun") else IGNORED
        seen = self.shared.replay(ctx, p, ignore)
        if seen is not None:
            return seen
        scope = self._scope(ctx)
        norm = normalize_name(p["name"])
        nodes = tuple(p["semanticVersion"].split("."))
        pattern = wildcard_pattern(nodes, "semanticVersion")
        if any(n is not None and n > MAX_VERSION_NODE for n in pattern):
            raise ServiceError(
                "InvalidVersionNumberException",
                f"The semantic version '{p['semanticVersion']}' is not valid: each node must be "
                f"between 0 and {MAX_VERSION_NODE}.",
            )
        if is_wildcard(pattern):
            version = self._next_version(scope, norm, pattern)
        else:
            version = (pattern[0] or 0, pattern[1] or 0, pattern[2] or 0)
            existing = scope.versions.get(("", norm, version))
            if existing is not None:
                raise ServiceError(
                    "ResourceAlreadyExistsException",
                    "The following resource 'ImageRecipe' already exists: "
                    f"'{scope.version_arn(existing)}'.",
                )
        builds: list[str] = []
        platforms: list[str] = []
        for index, config in enumerate(p.get("components") or []):
            where = f"components[{index}]"
            found: Found = self.shared.catalog.find(
                "component", ctx, config["componentArn"], f"{where}.componentArn"
            )
            defined = {d["name"] for d in found.build.parameters}
            undefined = [
                q["name"] for q in config.get("parameters") or [] if q["name"] not in defined
            ]
            if undefined:
                raise ServiceError(
                    "InvalidParameterCombinationException",
                    f"The value supplied for parameter '{where}.parameters' is not valid. The "
                    "following parameters are not defined in the provided component: "
                    + ", ".join(undefined),
                )
            builds.append(found.arn)
            platforms.append(found.build.platform)
        parent = self._parent(ctx, p["parentImage"])
        if parent is not None and f":{ctx.account_id}:image/" in parent[1]:
            builds.append(parent[1])  # an image of the account used as parent cannot go
        platform = parent[0] if parent else (platforms[0] if platforms else "Linux")
        used = len(scope.versions)
        ctx.check_quota(IMAGE_RECIPES, used, f"account {ctx.account_id} in region {ctx.region}")
        if p.get("dryRun"):
            raise ServiceError(
                "DryRunOperationException", "Request would have succeeded, but DryRun flag is set."
            )
        entry = VersionEntry("", norm, version)
        kept = {
            k: copy.deepcopy(v)
            for k, v in p.items()
            if k in (*_KEPT, "description", "components", "parentImage", "workingDirectory")
        }
        kept.setdefault("workingDirectory", "/tmp")
        entry.add_build(
            Recipe(p["name"], kept, platform, iso_millis(ctx.clock.now()), tuple(builds))
        )
        scope.add(entry)
        arn = scope.version_arn(entry)
        self.shared.references.set(arn, set(builds))
        if p.get("tags"):
            self.shared.tags.set(arn, p["tags"])
        out = {
            "clientToken": p["clientToken"],
            "imageRecipeArn": arn,
            "latestVersionReferences": latest_refs(scope, entry),
        }
        return self.shared.remember(ctx, p, out, ignore)

    @staticmethod
    def _next_version(
        scope: Scope, norm: str, pattern: tuple[int | None, ...]
    ) -> tuple[int, int, int]:
        """``1.0.x`` -> 1.0.(highest patch + 1), or 1.0.0 when no 1.0 version exists."""
        first_x = next(i for i, n in enumerate(pattern) if n is None)
        matches = scope.matching_versions("", norm, pattern)
        if not matches:
            nodes = [n or 0 for n in pattern]
        else:
            nodes = list(matches[-1])
            nodes[2] += 1
            if first_x < 2 and nodes[2] > MAX_VERSION_NODE:  # pragma: no cover - 2^30 recipes
                nodes[2] = 0
                nodes[1] += 1
        return (nodes[0], nodes[1], nodes[2])

    def _parent(self, ctx: RequestContext, parent: str) -> tuple[str, str] | None:
        """(platform, canonical ARN) of an Image Builder parent image; None for others."""
        if parent.startswith("arn:"):
            match = VERSIONED_ARN.match(parent)
            if match is None or match.group(4) != "image":
                raise invalid_value(
                    "parentImage",
                    f"'{parent}' is not an image ARN (arn:aws:imagebuilder:<region>:<owner>:"
                    "image/<name>/<version>[/<build>]).",
                )
            if self.shared.catalog.has("image"):
                found = self.shared.catalog.find("image", ctx, parent, "parentImage")
                return str(found.platform), str(found.arn)
            return None
        if parent.startswith("ami-") and not _AMI_ID.match(parent):
            raise invalid_value("parentImage", f"'{parent}' is not an AMI id (ami-<hex>).")
        return None

    # ------------------------------------------------------------------ GetImageRecipe
    def get_image_recipe(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        scope, entry = self._resolve(ctx, p["imageRecipeArn"], "imageRecipeArn")
        recipe = self._object(scope, entry)
        recipe["tags"] = dict(self.shared.tags.of(recipe["arn"]))
        return {"imageRecipe": recipe, "latestVersionReferences": latest_refs(scope, entry)}

    def _object(self, scope: Scope, entry: VersionEntry) -> dict[str, Any]:
        recipe: Recipe = entry.newest
        params = recipe.params
        out: dict[str, Any] = {
            "arn": scope.version_arn(entry),
            "type": "AMI",
            "name": recipe.name,
        }
        if "description" in params:
            out["description"] = params["description"]
        out["platform"] = recipe.platform
        out["owner"] = scope.owner
        out["version"] = version_text(entry.version)
        if params.get("components"):
            out["components"] = copy.deepcopy(params["components"])
        out["parentImage"] = params["parentImage"]
        for key in ("blockDeviceMappings", "additionalInstanceConfiguration", "amiTags"):
            if key in params:
                out[key] = copy.deepcopy(params[key])
        out["dateCreated"] = recipe.created
        out["workingDirectory"] = params["workingDirectory"]
        return out

    # ------------------------------------------------------------------ ListImageRecipes
    def list_image_recipes(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        owner = p.get("owner", "Self")
        filters = filter_values(p.get("filters"), FILTER_NAMES)
        scope = self._scope(ctx) if owner == "Self" else None

        def keep(entry: VersionEntry) -> bool:
            recipe: Recipe = entry.newest
            if "platform" in filters and recipe.platform not in filters["platform"]:
                return False
            return (
                "parentImage" not in filters
                or recipe.params["parentImage"] in filters["parentImage"]
            )

        def seek(after: Any) -> Iterator[tuple[list[Any], dict[str, Any]]]:
            if scope is None:
                return
            resume = None if after is None else sort_key_token(after)
            for entry in scope.scan(resume, filters.get("name"), keep, False, _name):
                recipe: Recipe = entry.newest
                arn = scope.version_arn(entry)
                item: dict[str, Any] = {
                    "arn": arn,
                    "name": recipe.name,
                    "platform": recipe.platform,
                    "owner": scope.owner,
                    "parentImage": recipe.params["parentImage"],
                    "dateCreated": recipe.created,
                }
                tags = self.shared.tags.of(arn)
                if tags:
                    item["tags"] = dict(tags)
                yield list(entry.sort_key), item

        listing = f"ListImageRecipes:{ctx.account_id}:{ctx.region}:{owner}:" + repr(
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

    # ------------------------------------------------------------------ DeleteImageRecipe
    def delete_image_recipe(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        arn = p["imageRecipeArn"]
        scope, entry = self._exact(ctx, arn, "imageRecipeArn")
        canonical = scope.version_arn(entry)
        self.shared.references.check_delete(canonical)
        scope.remove(entry)
        self.shared.references.drop(canonical)
        self.shared.tags.drop(canonical)
        return {"imageRecipeArn": canonical}

    def _exact(self, ctx: RequestContext, arn: str, parameter: str) -> tuple[Scope, VersionEntry]:
        scope, norm, pattern = self._locate(ctx, arn, parameter)
        if scope is None or is_wildcard(pattern):
            raise not_found(arn)
        entry = scope.versions.get(("", norm, (pattern[0] or 0, pattern[1] or 0, pattern[2] or 0)))
        if entry is None:
            raise not_found(arn)
        return scope, entry

    def _tag_target(self, ctx: RequestContext, arn: str, write: bool) -> str | None:
        match = VERSIONED_ARN.match(arn)
        if match is None or match.group(4) != "image-recipe" or match.group(9) is not None:
            return None
        if match.group(3) == AMAZON_ACCOUNT:
            raise not_found(arn)
        scope, entry = self._exact(ctx, arn, "resourceArn")
        return scope.version_arn(entry)


def _name(entry: VersionEntry) -> str:
    recipe: Recipe = entry.newest
    return recipe.name
