"""EC2 Image Builder components: build versions like workflows (SPEC §10, reference §2-§3).

A component version (normalized name, ``M.m.p``) holds builds 1, 2, ...: the same name and version
with other content is the next build, identical content ``ResourceAlreadyExistsException``. The
YAML document is validated (``schemaVersion`` 1.0; phases ``build``/``validate``/``test`` with
unique step names and known actions); its ``type`` is TEST when its only phase is ``test``.
Image recipes reference component builds (``shared.references``), which blocks their delete.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...errors import ServiceError
from .._kit.arns import partition_of
from .._kit.context import Family, Quota, RequestContext
from .._kit.pagination import paginate
from .documents import DocumentError, load_document
from .shared import S3_URI
from .versioning import (
    AMAZON_ACCOUNT,
    AMAZON_OWNER,
    VERSIONED_ARN,
    Pattern,
    Scope,
    VersionEntry,
    account_scope,
    all_builds_newest_first,
    builds_newest_first,
    exact_version,
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
from .workflows import default_value

if TYPE_CHECKING:
    from .shared import ImageBuilderShared

PHASES = ("build", "validate", "test")
#: AWSTOE action modules a component step may use.
ACTIONS = frozenset(
    {
        "AppendFile",
        "Assert",
        "CopyFile",
        "CopyFolder",
        "CreateFile",
        "CreateFolder",
        "CreateSymlink",
        "DeleteFile",
        "DeleteFolder",
        "ExecuteBash",
        "ExecuteBinary",
        "ExecuteDocument",
        "ExecutePowerShell",
        "InstallMSI",
        "ListFiles",
        "MoveFile",
        "MoveFolder",
        "ReadFile",
        "Reboot",
        "S3Download",
        "S3Upload",
        "SetFileEncoding",
        "SetFileOwner",
        "SetFilePermissions",
        "SetFolderOwner",
        "SetFolderPermissions",
        "SetRegistry",
        "UninstallMSI",
        "UpdateOS",
        "WebDownload",
    }
)
PARAMETER_TYPES = {"string": "String", "integer": "Integer", "boolean": "Boolean"}
FILTER_NAMES = ("description", "name", "platform", "supportedOsVersion", "type", "version")
_STEP_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_]{0,127}\Z")
#: parameters that do not make a CreateComponent request different
IGNORED = ("clientToken", "dryRun")
COMPONENT_BUILDS = Quota(
    "imagebuilder.component_build_versions", "component build versions per account and region"
)


@dataclass
class ComponentBuild:
    name: str
    description: str | None
    change_description: str | None
    platform: str
    supported_os: list[str] | None
    kms_key_id: str | None
    document: str
    uri: str | None
    type: str
    parameters: list[dict[str, Any]]
    created: str

    def config(self) -> tuple[Any, ...]:
        """What makes two builds the same content."""
        return (
            self.document,
            self.uri,
            self.description,
            self.change_description,
            self.platform,
            self.supported_os,
            self.kms_key_id,
        )


@dataclass(frozen=True)
class Found:
    """A component build a recipe references: its canonical build ARN and record."""

    arn: str
    build: ComponentBuild


def parse_component(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Validate a component document; returns its type (BUILD/TEST) and parameter details."""
    doc = load_document(text, "component")
    phases = doc.get("phases")
    if not isinstance(phases, list) or not phases:
        raise DocumentError("The component document must have at least one phase.")
    names: list[str] = []
    for index, phase in enumerate(phases):
        if not isinstance(phase, dict) or phase.get("name") not in PHASES:
            raise DocumentError(
                f"phases[{index}] must be a mapping named one of {', '.join(PHASES)}."
            )
        if phase["name"] in names:
            raise DocumentError(f"Phase '{phase['name']}' is defined more than once.")
        names.append(phase["name"])
        steps = phase.get("steps")
        if not isinstance(steps, list) or not steps:
            raise DocumentError(f"Phase '{phase['name']}' must have at least one step.")
        seen: set[str] = set()
        for position, step in enumerate(steps):
            where = f"phases[{index}].steps[{position}]"
            if not isinstance(step, dict):
                raise DocumentError(f"{where} must be a mapping.")
            name = step.get("name")
            if not isinstance(name, str) or not _STEP_NAME.match(name):
                raise DocumentError(f"{where} needs a name of letters, digits, '-' and '_'.")
            if name in seen:
                raise DocumentError(
                    f"Step name '{name}' is used more than once in phase '{phase['name']}'."
                )
            seen.add(name)
            action = step.get("action")
            if action not in ACTIONS:
                raise DocumentError(
                    f"Step '{name}' has unsupported action {action!r}. Supported actions: "
                    f"{', '.join(sorted(ACTIONS))}."
                )
            on_failure = step.get("onFailure", "Abort")
            if on_failure not in ("Abort", "Continue", "Ignore"):
                raise DocumentError(
                    f"Step '{name}' has onFailure {on_failure!r}; use Abort, Continue or Ignore."
                )
    kind = "TEST" if names == ["test"] else "BUILD"
    return kind, _parameters(doc.get("parameters"))


def _parameters(raw: Any) -> list[dict[str, Any]]:
    """Component parameters: a list of one-key mappings ``- Name: {type, default, description}``."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise DocumentError("parameters must be a list.")
    details: list[dict[str, Any]] = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict) or len(item) != 1:
            raise DocumentError(
                f"parameters[{index}] must be a mapping of one parameter name to its details."
            )
        name, spec = next(iter(item.items()))
        if not isinstance(spec, dict):
            raise DocumentError(f"Parameter '{name}' needs a type.")
        kind = spec.get("type")
        if kind not in PARAMETER_TYPES:
            raise DocumentError(
                f"Parameter '{name}' has type {kind!r}; use one of {', '.join(PARAMETER_TYPES)}."
            )
        detail: dict[str, Any] = {"name": str(name), "type": PARAMETER_TYPES[kind]}
        if spec.get("default") is not None:
            detail["defaultValue"] = default_value(str(name), kind, spec["default"])
        if spec.get("description") is not None:
            detail["description"] = str(spec["description"])
        details.append(detail)
    return details


_MANAGED_CREATED = "2023-11-28T00:00:00.000Z"


def _managed_document(phase: str, command: str) -> str:
    return (
        "schemaVersion: 1.0\nphases:\n"
        f"  - name: {phase}\n    steps:\n      - name: Run\n"
        f"        action: {'ExecuteBash' if 'linux' in command else 'ExecutePowerShell'}\n"
        f"        inputs:\n          commands:\n            - {command}\n"
    )


#: AWS-managed components (names as AWS's; versions and documents are plausible stand-ins).
MANAGED_COMPONENTS: tuple[tuple[str, tuple[int, int, int], str, str, str], ...] = (
    ("update-linux", (1, 0, 2), "Linux", "Updates Linux with the latest patches.", "build"),
    ("aws-cli-version-2-linux", (1, 0, 4), "Linux", "Installs the AWS CLI v2.", "build"),
    ("simple-boot-test-linux", (1, 0, 0), "Linux", "Reboots the instance.", "test"),
    ("update-windows", (1, 0, 1), "Windows", "Updates Windows.", "build"),
)


class Components(Family):
    """CreateComponent, GetComponent, ListComponents, ListComponentBuildVersions,
    DeleteComponent."""

    quotas = (COMPONENT_BUILDS,)
    shared: ImageBuilderShared

    def __init__(self, shared: ImageBuilderShared) -> None:
        super().__init__(shared)
        self._scopes: dict[tuple[str, str], Scope] = {}
        self._managed: dict[str, Scope] = {}
        shared.tags.register("component build version", self._tag_target)
        shared.catalog.register("component", self.find)

    # ------------------------------------------------------------------ state helpers
    def _scope(self, ctx: RequestContext) -> Scope:
        return account_scope(self._scopes, ctx.account_id, ctx.region, "component")

    def _managed_scope(self, region: str) -> Scope:
        found = self._managed.get(region)
        if found is None:
            found = Scope(AMAZON_ACCOUNT, AMAZON_OWNER, region, partition_of(region), "component")
            for name, version, platform, description, phase in MANAGED_COMPONENTS:
                document = _managed_document(
                    phase, "echo linux" if platform == "Linux" else "Write-Host windows"
                )
                kind, parameters = parse_component(document)
                entry = VersionEntry("", name, version)
                entry.add_build(
                    ComponentBuild(
                        name,
                        description,
                        None,
                        platform,
                        None,
                        None,
                        document,
                        None,
                        kind,
                        parameters,
                        _MANAGED_CREATED,
                    )
                )
                found.add(entry)
            self._managed[region] = found
        return found

    def _locate(
        self, ctx: RequestContext, arn: str, parameter: str
    ) -> tuple[Scope | None, str, Pattern, int | None]:
        """(scope, norm, version pattern, build) of a component ARN; no scope if foreign."""
        match = VERSIONED_ARN.match(arn)
        if match is None or match.group(4) != "component":
            raise invalid_value(parameter, f"'{arn}' is not a component ARN.")
        partition, region, account, _, norm = match.group(1, 2, 3, 4, 5)
        pattern = wildcard_pattern(match.group(6, 7, 8), parameter)
        build = int(match.group(9)) if match.group(9) is not None else None
        if build is not None and is_wildcard(pattern):
            raise invalid_value(parameter, "A build version ARN cannot contain a wildcard version.")
        scope: Scope | None = None
        if region == ctx.region and partition == partition_of(ctx.region):
            if account == AMAZON_ACCOUNT:
                scope = self._managed_scope(ctx.region)
            elif account == ctx.account_id:
                scope = self._scope(ctx)
        return scope, norm, pattern, build

    def _resolve(
        self, ctx: RequestContext, arn: str, parameter: str
    ) -> tuple[Scope, VersionEntry, int]:
        """The newest build a build, version or wildcard ARN stands for."""
        scope, norm, pattern, build = self._locate(ctx, arn, parameter)
        if scope is None:
            raise not_found(arn)
        entry = scope.newest_matching("", norm, pattern)
        if entry is None:
            raise not_found(arn)
        number = entry.numbers[-1] if build is None else build
        if number not in entry.builds:
            raise not_found(arn)
        return scope, entry, number

    def find(self, ctx: RequestContext, arn: str, parameter: str) -> Found:
        """The component build ``arn`` stands for now (recipes and images use it)."""
        scope, entry, number = self._resolve(ctx, arn, parameter)
        return Found(scope.build_arn(entry, number), entry.builds[number])

    # ------------------------------------------------------------------ CreateComponent
    def create_component(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        ignore = ("clientToken",) if p.get("dryRun") else IGNORED
        seen = self.shared.replay(ctx, p, ignore)
        if seen is not None:
            return seen
        scope = self._scope(ctx)
        data, uri = p.get("data"), p.get("uri")
        if data is not None and uri is not None:
            raise ServiceError(
                "InvalidParameterCombinationException",
                "You can specify either 'data' or 'uri', but not both.",
            )
        if data is None and uri is None:
            raise ServiceError(
                "InvalidRequestException",
                "You must specify either 'data' (the component document) or 'uri' (its location).",
            )
        version = exact_version(p["semanticVersion"])
        if uri is not None:
            if not S3_URI.match(uri):
                raise invalid_value("uri", f"'{uri}' must be an S3 uri such as s3://bucket/key.")
            document = self.shared.documents.get(uri)
            if document is None:
                raise invalid_value("uri", f"No component document was found at '{uri}'.")
            source = "uri"
        else:
            document = data
            source = "data"
        assert document is not None
        try:
            kind, parameters = parse_component(document)
        except DocumentError as exc:
            raise invalid_value(source, str(exc)) from None
        norm = normalize_name(p["name"])
        build = ComponentBuild(
            p["name"],
            p.get("description"),
            p.get("changeDescription"),
            p["platform"],
            list(p["supportedOsVersions"]) if p.get("supportedOsVersions") else None,
            p.get("kmsKeyId"),
            document,
            uri,
            kind,
            parameters,
            "",
        )
        entry = scope.versions.get(("", norm, version))
        if entry is not None and entry.newest.config() == build.config():
            raise ServiceError(
                "ResourceAlreadyExistsException",
                "The following resource 'Component' already exists: "
                f"'{scope.build_arn(entry, entry.numbers[-1])}'.",
            )
        used = sum(len(e.numbers) for e in scope.versions.values())
        ctx.check_quota(COMPONENT_BUILDS, used, f"account {ctx.account_id} in region {ctx.region}")
        if p.get("dryRun"):
            raise ServiceError(
                "DryRunOperationException", "Request would have succeeded, but DryRun flag is set."
            )
        if entry is None:
            entry = VersionEntry("", norm, version)
            scope.add(entry)
        build.created = iso_millis(ctx.clock.now())
        number = entry.add_build(build)
        arn = scope.build_arn(entry, number)
        if p.get("tags"):
            self.shared.tags.set(arn, p["tags"])
        out = {
            "clientToken": p["clientToken"],
            "componentBuildVersionArn": arn,
            "latestVersionReferences": latest_refs(scope, entry),
        }
        return self.shared.remember(ctx, p, out, ignore)

    # ------------------------------------------------------------------ GetComponent
    def get_component(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        scope, entry, number = self._resolve(
            ctx, p["componentBuildVersionArn"], "componentBuildVersionArn"
        )
        build: ComponentBuild = entry.builds[number]
        arn = scope.build_arn(entry, number)
        component: dict[str, Any] = {
            "arn": arn,
            "name": build.name,
            "version": version_text(entry.version),
        }
        if build.description is not None:
            component["description"] = build.description
        if build.change_description is not None:
            component["changeDescription"] = build.change_description
        component["type"] = build.type
        component["platform"] = build.platform
        if build.supported_os:
            component["supportedOsVersions"] = list(build.supported_os)
        component["state"] = {"status": "ACTIVE"}
        if build.parameters:
            component["parameters"] = [dict(d) for d in build.parameters]
        component["owner"] = scope.owner
        component["data"] = build.document
        if build.kms_key_id is not None:
            component["kmsKeyId"] = build.kms_key_id
        component["encrypted"] = True
        component["dateCreated"] = build.created
        component["tags"] = dict(self.shared.tags.of(arn))
        return {"component": component, "latestVersionReferences": latest_refs(scope, entry)}

    # ------------------------------------------------------------------ ListComponents
    def list_components(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        owner = p.get("owner", "Self")
        filters = filter_values(p.get("filters"), FILTER_NAMES)
        by_name = bool(p.get("byName"))
        scope: Scope | None = None
        if owner == "Self":
            scope = self._scope(ctx)
        elif owner == AMAZON_OWNER:
            scope = self._managed_scope(ctx.region)

        def keep(entry: VersionEntry) -> bool:
            build: ComponentBuild = entry.newest
            checks = (
                ("description", build.description),
                ("platform", build.platform),
                ("type", build.type),
                ("version", version_text(entry.version)),
            )
            if any(name in filters and value not in filters[name] for name, value in checks):
                return False
            wanted = filters.get("supportedOsVersion")
            return wanted is None or bool(wanted & set(build.supported_os or ()))

        def seek(after: Any) -> Iterator[tuple[list[Any], dict[str, Any]]]:
            if scope is None:
                return
            resume = None if after is None else sort_key_token(after)
            for entry in scope.scan(
                resume, filters.get("name"), keep, by_name, lambda e: e.newest.name
            ):
                yield list(entry.sort_key), self._version_item(scope, entry)

        listing = f"ListComponents:{ctx.account_id}:{ctx.region}:{owner}:{by_name}:" + repr(
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

    def _version_item(self, scope: Scope, entry: VersionEntry) -> dict[str, Any]:
        build: ComponentBuild = entry.newest
        item: dict[str, Any] = {
            "arn": scope.version_arn(entry),
            "name": build.name,
            "version": version_text(entry.version),
        }
        if build.description is not None:
            item["description"] = build.description
        item["platform"] = build.platform
        if build.supported_os:
            item["supportedOsVersions"] = list(build.supported_os)
        item["type"] = build.type
        item["owner"] = scope.owner
        item["dateCreated"] = build.created
        item["status"] = "ACTIVE"
        return item

    # ------------------------------------------------------------------ ListComponentBuildVersions
    def list_component_build_versions(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        arn = p.get("componentVersionArn")
        if arn is None:  # optional in the model: every build of the account's components
            every = self._scope(ctx)

            def seek(after: Any) -> Iterator[tuple[list[Any], dict[str, Any]]]:
                for position, entry, number in all_builds_newest_first(every, after):
                    yield position, self._summary(every, entry, number)

        else:
            scope, norm, pattern, build = self._locate(ctx, arn, "componentVersionArn")
            if build is not None or is_wildcard(pattern):
                raise invalid_value(
                    "componentVersionArn", f"'{arn}' must be a component version ARN (M.m.p)."
                )

            def seek(after: Any) -> Iterator[tuple[list[Any], dict[str, Any]]]:
                if scope is None:
                    return
                for position, entry, number in builds_newest_first(scope, "", norm, pattern, after):
                    yield position, self._summary(scope, entry, number)

        return paginate(
            ctx,
            p,
            self.shared.pages,
            listing=f"ListComponentBuildVersions:{ctx.account_id}:{ctx.region}:{arn}",
            seek=seek,
            invalid_token=invalid_token(),
            default_limit=25,
        )

    def _summary(self, scope: Scope, entry: VersionEntry, number: int) -> dict[str, Any]:
        build: ComponentBuild = entry.builds[number]
        arn = scope.build_arn(entry, number)
        item: dict[str, Any] = {
            "arn": arn,
            "name": build.name,
            "version": version_text(entry.version),
            "platform": build.platform,
        }
        if build.supported_os:
            item["supportedOsVersions"] = list(build.supported_os)
        item["state"] = {"status": "ACTIVE"}
        item["type"] = build.type
        item["owner"] = scope.owner
        if build.description is not None:
            item["description"] = build.description
        if build.change_description is not None:
            item["changeDescription"] = build.change_description
        item["dateCreated"] = build.created
        tags = self.shared.tags.of(arn)
        if tags:
            item["tags"] = dict(tags)
        return item

    # ------------------------------------------------------------------ DeleteComponent
    def delete_component(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        arn = p["componentBuildVersionArn"]
        scope, entry, number = self._build(ctx, arn, "componentBuildVersionArn")
        if scope.account == AMAZON_ACCOUNT:
            raise ServiceError(
                "ForbiddenException", f"AWS managed components cannot be deleted: '{arn}'."
            )
        canonical = scope.build_arn(entry, number)
        self.shared.references.check_delete(canonical)
        scope.drop_build(entry, number)
        self.shared.tags.drop(canonical)
        return {"componentBuildVersionArn": canonical}

    def _build(
        self, ctx: RequestContext, arn: str, parameter: str
    ) -> tuple[Scope, VersionEntry, int]:
        scope, norm, pattern, number = self._locate(ctx, arn, parameter)
        if scope is None or number is None:
            raise not_found(arn)
        version = (pattern[0] or 0, pattern[1] or 0, pattern[2] or 0)
        entry = scope.versions.get(("", norm, version))
        if entry is None or number not in entry.builds:
            raise not_found(arn)
        return scope, entry, number

    # ------------------------------------------------------------------ tags
    def _tag_target(self, ctx: RequestContext, arn: str, write: bool) -> str | None:
        match = VERSIONED_ARN.match(arn)
        if match is None or match.group(4) != "component" or match.group(9) is None:
            return None
        scope, entry, number = self._build(ctx, arn, "resourceArn")
        if write and scope.account == AMAZON_ACCOUNT:
            raise ServiceError(
                "ForbiddenException", f"AWS managed components cannot be tagged: '{arn}'."
            )
        return scope.build_arn(entry, number)
