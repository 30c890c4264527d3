"""EC2 Image Builder workflows: state per account and region, one method per operation (SPEC §5).

A workflow *version* is keyed by (type, normalized name, semantic version) and holds build versions
1, 2, ... Lists are served from sorted keys with ``bisect`` so a page costs O(page), not O(all).
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...errors import ServiceError
from .._kit.arns import partition_of
from .._kit.context import Family, Quota, RequestContext
from .._kit.idempotency import fingerprint
from .._kit.pagination import paginate
from .documents import DocumentError, load_document
from .shared import S3_URI, WORKFLOW_ARN
from .versioning import (
    AMAZON_ACCOUNT,
    AMAZON_OWNER,
    MAX_VERSION_NODE,
    Key,
    Scope,
    SortKey,
    Version,
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
    normalize_name,
    not_found,
    sort_key_token,
    version_text,
    wildcard_pattern,
)

if TYPE_CHECKING:
    from .shared import ImageBuilderShared

MAX_STEPS = 15
MAX_PARAMETERS = 25
MAX_OUTPUTS = 25
TYPES = ("BUILD", "TEST", "DISTRIBUTION")
FILTER_NAMES = ("name", "version", "type")
PARAMETER_TYPES = ("string", "integer", "boolean", "stringList")


_ALL_TYPES = frozenset(TYPES)
_BUILD_TEST = frozenset({"BUILD", "TEST"})
_DISTRIBUTION = frozenset({"DISTRIBUTION"})
#: Step actions (reference B.2) and the workflow types that may use them.
ACTIONS: dict[str, frozenset[str]] = {
    "ApplyImageConfigurations": _DISTRIBUTION,
    "BootstrapInstanceForContainer": _ALL_TYPES,
    "CollectImageMetadata": _ALL_TYPES,
    "CollectImageScanFindings": frozenset({"TEST"}),
    "CreateImage": _ALL_TYPES,
    "CreateImageFromIso": _ALL_TYPES,
    "DistributeContainerImage": _DISTRIBUTION,
    "DistributeImage": _DISTRIBUTION,
    "ExecuteComponents": _BUILD_TEST,
    "ExecuteStateMachine": _ALL_TYPES,
    "LaunchInstance": _ALL_TYPES,
    "ModifyImageAttributes": _DISTRIBUTION,
    "RegisterImage": _ALL_TYPES,
    "RunCommand": _ALL_TYPES,
    "RunSysPrep": _ALL_TYPES,
    "SanitizeInstance": _ALL_TYPES,
    "TerminateInstance": _ALL_TYPES,
    "WaitForAction": _ALL_TYPES,
    "WaitForSSMAgent": _ALL_TYPES,
}
_AMI_DISTRIBUTION = ("DistributeImage", "ModifyImageAttributes", "ApplyImageConfigurations")

_STEP_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9\-_]{1,99}\Z")


#: CreateWorkflow parameters that do not make a request different (a false dryRun is no dry run)
IGNORED = ("clientToken", "dryRun")
WORKFLOW_VERSIONS = Quota(
    "imagebuilder.workflow_versions",
    "workflow (type, name, version) keys per account and region",
)
BUILD_VERSIONS_PER_VERSION = Quota(
    "imagebuilder.build_versions_per_version", "build versions per workflow version"
)


# ---------------------------------------------------------------------------------- documents
def parse_document(text: str, workflow_type: str) -> list[dict[str, Any]]:
    """Validate a YAML workflow document for ``workflow_type``; return its ``parameters`` details.

    Raises ``DocumentError`` naming the first problem found.
    """
    parameters: list[dict[str, Any]] = json.loads(_parse_cached(text, workflow_type))
    return parameters


@functools.lru_cache(maxsize=256)
def _parse_cached(text: str, workflow_type: str) -> str:
    # Tests publish the same few documents over and over; JSON gives every caller a fresh copy.
    return json.dumps(_parse(text, workflow_type))


def _parse(text: str, workflow_type: str) -> list[dict[str, Any]]:
    doc = load_document(text, "workflow")
    _check_steps(doc.get("steps"), workflow_type)
    parameters = _parameters(doc.get("parameters"))
    outputs = doc.get("outputs")
    if outputs is not None:
        if not isinstance(outputs, list):
            raise DocumentError("outputs must be a list.")
        if len(outputs) > MAX_OUTPUTS:
            raise DocumentError(
                f"The workflow document has {len(outputs)} outputs; "
                f"at most {MAX_OUTPUTS} are allowed."
            )
        for index, output in enumerate(outputs):
            if not isinstance(output, dict) or not isinstance(output.get("name"), str):
                raise DocumentError(f"outputs[{index}] must be a mapping with a name and a value.")
            if "value" not in output:
                raise DocumentError(f"Output '{output['name']}' has no value.")
    return parameters


def _check_steps(steps: Any, workflow_type: str) -> None:
    if not isinstance(steps, list) or not steps:
        raise DocumentError("The workflow document must have between 1 and 15 steps.")
    if len(steps) > MAX_STEPS:
        raise DocumentError(
            f"The workflow document has {len(steps)} steps; at most {MAX_STEPS} are allowed."
        )
    seen: set[str] = set()
    actions: set[str] = set()
    for index, step in enumerate(steps):
        if not isinstance(step, dict):
            raise DocumentError(f"steps[{index}] must be a mapping.")
        name = step.get("name")
        if not isinstance(name, str) or not _STEP_NAME.match(name):
            raise DocumentError(
                f"Step name {name!r} at steps[{index}] must match ^[A-Za-z][A-Za-z0-9-_]{{1,99}}$."
            )
        if name in seen:
            raise DocumentError(
                f"Step name '{name}' is used more than once; step names must be unique."
            )
        seen.add(name)
        action = step.get("action")
        if not isinstance(action, str) or action not in ACTIONS:
            raise DocumentError(
                f"Step '{name}' has unsupported action {action!r}. Supported actions: "
                f"{', '.join(ACTIONS)}."
            )
        if workflow_type not in ACTIONS[action]:
            raise DocumentError(
                f"Step '{name}': action {action} is not supported in a {workflow_type} workflow."
            )
        actions.add(action)
        on_failure = step.get("onFailure", "Abort")
        if on_failure not in ("Abort", "Continue"):
            raise DocumentError(
                f"Step '{name}' has onFailure {on_failure!r}; use Abort or Continue."
            )
        if "timeoutSeconds" in step:
            timeout = step["timeoutSeconds"]
            if (
                isinstance(timeout, bool)
                or not isinstance(timeout, int)
                or not 1 <= timeout <= 86400
            ):
                raise DocumentError(
                    f"Step '{name}' has timeoutSeconds {timeout!r}; "
                    "it must be an integer from 1 to 86400."
                )
        if "inputs" in step and step["inputs"] is not None and not isinstance(step["inputs"], dict):
            raise DocumentError(f"Step '{name}': inputs must be a mapping.")
    if "DistributeContainerImage" in actions:
        clash = [a for a in _AMI_DISTRIBUTION if a in actions]
        if clash:
            raise DocumentError(
                "A workflow distributes either container images or AMIs: DistributeContainerImage "
                f"cannot be combined with {', '.join(clash)}."
            )


def _parameters(raw: Any) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise DocumentError("parameters must be a list.")
    if len(raw) > MAX_PARAMETERS:
        raise DocumentError(
            f"The workflow document has {len(raw)} parameters; "
            f"at most {MAX_PARAMETERS} are allowed."
        )
    details: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            raise DocumentError(f"parameters[{index}] must be a mapping.")
        name = item.get("name")
        if not isinstance(name, str) or not name or len(name) > 128:
            raise DocumentError(f"parameters[{index}] needs a name of 1 to 128 characters.")
        if name in seen:
            raise DocumentError(f"Parameter name '{name}' is used more than once.")
        seen.add(name)
        kind = item.get("type", "string")
        if kind not in PARAMETER_TYPES:
            raise DocumentError(
                f"Parameter '{name}' has type {kind!r}; use one of {', '.join(PARAMETER_TYPES)}."
            )
        detail: dict[str, Any] = {"name": name, "type": kind}
        default = item.get("default")
        if default is not None:
            detail["defaultValue"] = default_value(name, kind, default)
        description = item.get("description")
        if description is not None:
            detail["description"] = str(description)
        details.append(detail)
    return details


def scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def default_value(name: str, kind: str, default: Any) -> list[str]:
    if kind == "boolean":
        if isinstance(default, bool):
            values = [scalar_text(default)]
        elif isinstance(default, str) and default.lower() in ("true", "false"):
            values = [default.lower()]
        else:
            raise DocumentError(f"The default of boolean parameter '{name}' must be true or false.")
    elif kind == "integer":
        if isinstance(default, bool) or not isinstance(default, int):
            raise DocumentError(f"The default of integer parameter '{name}' must be an integer.")
        values = [str(default)]
    elif kind == "stringList":
        if not isinstance(default, list) or any(isinstance(v, (dict, list)) for v in default):
            raise DocumentError(
                f"The default of stringList parameter '{name}' must be a list of strings."
            )
        values = [scalar_text(v) for v in default]
    else:
        if isinstance(default, (dict, list)):
            raise DocumentError(f"The default of string parameter '{name}' must be a string.")
        values = [scalar_text(default)]
    if any(len(v) > 1024 for v in values):
        raise DocumentError(f"The default of parameter '{name}' is longer than 1024 characters.")
    return values


# ---------------------------------------------------------------------------------- state
@dataclass
class Build:
    number: int
    name: str
    description: str | None
    change_description: str | None
    kms_key_id: str | None
    data: str | None
    uri: str | None
    document: str
    parameters: list[dict[str, Any]]
    created: str

    def config(self) -> tuple[Any, ...]:
        """What makes two builds the same configuration (SPEC §5)."""
        return (
            self.data,
            self.uri,
            self.document,
            self.description,
            self.change_description,
            self.kms_key_id,
        )


@dataclass(frozen=True)
class ManagedWorkflow:
    type: str
    norm: str
    version: Version
    description: str
    document: str


def _managed_document(name: str, summary: str, steps: tuple[tuple[str, ...], ...]) -> str:
    """A small document in the style of AWS's own: launch, act on the instance, terminate.

    A step is (name, action) or (name, action, platform): a platform makes it run only on it.
    """
    lines = [f"name: {name}", f"description: {summary}", "schemaVersion: 1.0", "", "steps:"]
    for step, action, *platform in steps:
        lines += [f"  - name: {step}", f"    action: {action}"]
        lines.append(
            "    onFailure: Continue" if action == "TerminateInstance" else "    onFailure: Abort"
        )
        if platform:
            lines += [
                "    if:",
                f'      stringEquals: "{platform[0]}"',
                '      value: "$.imagebuilder.platform"',
            ]
        if action == "LaunchInstance":
            lines += ["    inputs:", '      waitFor: "ssmAgent"']
        elif action in ("DistributeContainerImage", "DistributeImage"):
            lines.append("    timeoutSeconds: 3600")
        elif action in _AMI_DISTRIBUTION:
            pass
        else:
            instance = steps[0][0]
            lines += ["    inputs:", f'      instanceId.$: "$.stepOutputs.{instance}.instanceId"']
        lines.append("")
    return "\n".join(lines[:-1]) + "\n"


_BUILD_STEPS = (("LaunchBuildInstance", "LaunchInstance"),)
_TEST_STEPS = (("LaunchTestInstance", "LaunchInstance"),)
_MANAGED_CREATED = "2023-11-28T00:00:00.000Z"
#: AWS-managed workflows (versions and texts are plausible stand-ins, not copies of AWS's).
MANAGED_WORKFLOWS: tuple[ManagedWorkflow, ...] = (
    ManagedWorkflow(
        "BUILD",
        "build-image",
        (1, 0, 3),
        "Builds an AMI from the image recipe's components.",
        _managed_document(
            "build-image",
            "Workflow to build an AMI",
            (
                *_BUILD_STEPS,
                ("ApplyBuildComponents", "ExecuteComponents"),
                ("InventoryCollection", "CollectImageMetadata"),
                ("RunSanitizeScript", "SanitizeInstance", "Linux"),
                ("RunSysPrepScript", "RunSysPrep", "Windows"),
                ("CreateOutputAMI", "CreateImage"),
                ("TerminateBuildInstance", "TerminateInstance"),
            ),
        ),
    ),
    ManagedWorkflow(
        "TEST",
        "test-image",
        (1, 0, 2),
        "Tests an AMI with the image recipe's test components.",
        _managed_document(
            "test-image",
            "Workflow to test an AMI",
            (
                *_TEST_STEPS,
                ("ApplyTestComponents", "ExecuteComponents"),
                ("CollectImageScanFindings", "CollectImageScanFindings"),
                ("TerminateTestInstance", "TerminateInstance"),
            ),
        ),
    ),
    ManagedWorkflow(
        "DISTRIBUTION",
        "distribute-image",
        (1, 0, 0),
        "Distributes an AMI to the regions and accounts of the distribution configuration.",
        _managed_document(
            "distribute-image",
            "Workflow to distribute an AMI",
            (
                ("DistributeImage", "DistributeImage"),
                ("ModifyImageAttributes", "ModifyImageAttributes"),
                ("ApplyImageConfigurations", "ApplyImageConfigurations"),
            ),
        ),
    ),
    ManagedWorkflow(
        "BUILD",
        "build-container",
        (1, 0, 1),
        "Builds a container image.",
        _managed_document(
            "build-container",
            "Workflow to build a container image",
            (
                *_BUILD_STEPS,
                ("BootstrapBuildInstance", "BootstrapInstanceForContainer"),
                ("ApplyBuildComponents", "ExecuteComponents"),
                ("TerminateBuildInstance", "TerminateInstance"),
            ),
        ),
    ),
    ManagedWorkflow(
        "TEST",
        "test-container",
        (1, 0, 1),
        "Tests a container image.",
        _managed_document(
            "test-container",
            "Workflow to test a container image",
            (
                *_TEST_STEPS,
                ("BootstrapTestInstance", "BootstrapInstanceForContainer"),
                ("RunTestComponents", "ExecuteComponents"),
                ("TerminateTestInstance", "TerminateInstance"),
            ),
        ),
    ),
    ManagedWorkflow(
        "DISTRIBUTION",
        "distribute-container",
        (1, 0, 1),
        "Distributes a container image to its target repositories.",
        _managed_document(
            "distribute-container",
            "Workflow to distribute a container image",
            (("DistributeImage", "DistributeContainerImage"),),
        ),
    ),
)


@dataclass(frozen=True)
class FoundWorkflow:
    """A workflow build an image or pipeline runs: its canonical build ARN and document."""

    arn: str
    type: str
    norm: str
    document: str
    parameters: list[dict[str, Any]]
    managed: bool


# ---------------------------------------------------------------------------------- backend
class Workflows(Family):
    """The Image Builder workflow API: CreateWorkflow ... DeleteWorkflow (tags: the tag store)."""

    quotas = (WORKFLOW_VERSIONS, BUILD_VERSIONS_PER_VERSION)
    shared: ImageBuilderShared

    def __init__(self, shared: ImageBuilderShared) -> None:
        super().__init__(shared)
        self._scopes: dict[tuple[str, str], Scope] = {}
        self._managed: dict[str, Scope] = {}
        shared.tags.register("workflow build version", self._tag_target)
        shared.catalog.register("workflow", self.find)

    # ------------------------------------------------------------------ state helpers
    def _scope(self, ctx: RequestContext) -> Scope:
        return account_scope(self._scopes, ctx.account_id, ctx.region, "workflow")

    def _managed_scope(self, region: str) -> Scope:
        found = self._managed.get(region)
        if found is None:
            found = Scope(AMAZON_ACCOUNT, AMAZON_OWNER, region, partition_of(region))
            for spec in MANAGED_WORKFLOWS:
                entry = VersionEntry(spec.type, spec.norm, spec.version)
                entry.builds[1] = Build(
                    1,
                    spec.norm,
                    spec.description,
                    None,
                    None,
                    None,
                    None,
                    spec.document,
                    parse_document(spec.document, spec.type),
                    _MANAGED_CREATED,
                )
                entry.numbers.append(1)
                entry.next_build = 2
                found.add(entry)
            self._managed[region] = found
        return found

    def _locate(
        self, ctx: RequestContext, arn: str, parameter: str
    ) -> tuple[Scope | None, str, str, tuple[int | None, ...], int | None]:
        """(scope, type, norm, version pattern, build) of a workflow ARN; no scope if foreign."""
        match = WORKFLOW_ARN.match(arn)
        if match is None:
            raise invalid_value(parameter, f"'{arn}' is not a workflow ARN.")
        partition, region, account, kind, norm = match.group(1, 2, 3, 4, 5)
        nodes = match.group(6, 7, 8)
        pattern = wildcard_pattern(nodes, parameter)
        build = int(match.group(9)) if match.group(9) is not None else None
        if build is not None and is_wildcard(pattern):
            raise invalid_value(parameter, "A build version ARN cannot contain a wildcard version.")
        scope: Scope | None = None
        if region == ctx.region and partition == partition_of(ctx.region):
            if account == AMAZON_ACCOUNT:
                scope = self._managed_scope(ctx.region)
            elif account == ctx.account_id:
                scope = self._scope(ctx)
        return scope, kind.upper(), norm, pattern, build

    def _resolve(
        self, ctx: RequestContext, arn: str, parameter: str
    ) -> tuple[Scope, VersionEntry, Build]:
        """The newest build a build, version or wildcard ARN stands for."""
        scope, kind, norm, pattern, build = self._locate(ctx, arn, parameter)
        if scope is None:
            raise not_found(arn)
        versions = scope.matching_versions(kind, norm, pattern)
        if not versions:
            raise not_found(arn)
        entry = scope.versions[(kind, norm, versions[-1])]
        number = entry.numbers[-1] if build is None else build
        found = entry.builds.get(number)
        if found is None:
            raise not_found(arn)
        return scope, entry, found

    def find(self, ctx: RequestContext, arn: str, parameter: str) -> FoundWorkflow:
        """The workflow build ``arn`` (build, version or wildcard) stands for now."""
        scope, entry, build = self._resolve(ctx, arn, parameter)
        return FoundWorkflow(
            scope.build_arn(entry, build.number),
            entry.type,
            entry.norm,
            build.document,
            copy.deepcopy(build.parameters),
            scope.account == AMAZON_ACCOUNT,
        )

    # ------------------------------------------------------------------ CreateWorkflow
    def create_workflow(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        scope = self._scope(ctx)
        token = p["clientToken"]
        request = fingerprint(p, ignore=("clientToken",) if p.get("dryRun") else IGNORED)
        seen = self.shared.idempotency.replay(
            (ctx.account_id, ctx.region),
            token,
            request,
            ServiceError(
                "IdempotentParameterMismatchException",
                f"The client token '{token}' was already used with different parameters.",
            ),
        )
        if seen is not None:
            return copy.deepcopy(seen)
        data, uri = p.get("data"), p.get("uri")
        if data is not None and uri is not None:
            raise ServiceError(
                "InvalidParameterCombinationException",
                "You can specify either 'data' or 'uri', but not both.",
            )
        if data is None and uri is None:
            raise ServiceError(
                "InvalidRequestException",
                "You must specify either 'data' (the workflow document) or 'uri' (its location).",
            )
        version = tuple(int(n) for n in p["semanticVersion"].split("."))
        if any(n > MAX_VERSION_NODE for n in version):
            raise ServiceError(
                "InvalidVersionNumberException",
                f"The semantic version '{p['semanticVersion']}' is not valid: each node must be "
                f"between 0 and {MAX_VERSION_NODE}.",
            )
        kind = p["type"]
        if kind == "DISTRIBUTION" and not ctx.options.allow_distribution_workflows:
            raise invalid_value("type", "Custom distribution workflows are not supported.")
        if uri is not None:
            if not S3_URI.match(uri):
                raise invalid_value("uri", f"'{uri}' must be an S3 uri such as s3://bucket/key.")
            document = self.shared.documents.get(uri)
            if document is None:
                raise invalid_value("uri", f"No workflow document was found at '{uri}'.")
            source = "uri"
        else:
            document = data
            source = "data"
        assert document is not None
        try:
            parameters = parse_document(document, kind)
        except DocumentError as exc:
            raise invalid_value(source, str(exc)) from None
        norm = normalize_name(p["name"])
        key: Key = (kind, norm, (version[0], version[1], version[2]))
        entry = scope.versions.get(key)
        build = Build(
            0,
            p["name"],
            p.get("description"),
            p.get("changeDescription"),
            p.get("kmsKeyId"),
            data,
            uri,
            document,
            parameters,
            "",
        )
        if entry is not None:
            newest = entry.newest
            if newest.config() == build.config():
                raise ServiceError(
                    "ResourceAlreadyExistsException",
                    f"The following resource 'Workflow' already exists: "
                    f"'{scope.build_arn(entry, newest.number)}'.",
                )
            ctx.check_quota(
                BUILD_VERSIONS_PER_VERSION,
                len(entry.numbers),
                f"workflow version '{scope.version_arn(entry)}'",
            )
        else:
            ctx.check_quota(
                WORKFLOW_VERSIONS,
                len(scope.versions),
                f"account {ctx.account_id} in region {ctx.region}",
            )
        if p.get("dryRun"):
            raise ServiceError(
                "DryRunOperationException", "Request would have succeeded, but DryRun flag is set."
            )
        if entry is None:
            entry = VersionEntry(kind, norm, key[2])
            scope.add(entry)
        build.number = entry.next_build
        build.created = iso_millis(ctx.clock.now())
        entry.builds[build.number] = build
        entry.numbers.append(build.number)
        entry.next_build = build.number + 1
        arn = scope.build_arn(entry, build.number)
        if p.get("tags"):
            self.shared.tags.set(arn, p["tags"])
        out = {
            "clientToken": token,
            "workflowBuildVersionArn": arn,
            "latestVersionReferences": latest_refs(scope, entry),
        }
        self.shared.idempotency.remember(
            (ctx.account_id, ctx.region), token, request, copy.deepcopy(out)
        )
        return out

    # ------------------------------------------------------------------ GetWorkflow
    def get_workflow(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        scope, entry, build = self._resolve(
            ctx, p["workflowBuildVersionArn"], "workflowBuildVersionArn"
        )
        workflow = self._summary(scope, entry, build)
        workflow["data"] = build.document
        if build.kms_key_id is not None:
            workflow["kmsKeyId"] = build.kms_key_id
        # always present on GetWorkflow, {} when none
        workflow["tags"] = dict(self.shared.tags.of(scope.build_arn(entry, build.number)))
        workflow["parameters"] = copy.deepcopy(build.parameters)
        return {"workflow": workflow, "latestVersionReferences": latest_refs(scope, entry)}

    # ------------------------------------------------------------------ ListWorkflows
    def list_workflows(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        owner = p.get("owner", "Self")
        filters = filter_values(p.get("filters"), FILTER_NAMES)
        by_name = bool(p.get("byName"))
        if owner == "Self":
            scope: Scope | None = self._scope(ctx)
        elif owner == AMAZON_OWNER:
            scope = self._managed_scope(ctx.region)
        else:
            scope = None  # nothing is shared with the fake's accounts
        listing = "ListWorkflows:" + json.dumps(
            [
                ctx.account_id,
                ctx.region,
                owner,
                by_name,
                sorted((k, sorted(v)) for k, v in filters.items()),
            ]
        )

        def seek(after: Any) -> Iterator[tuple[list[Any], dict[str, Any]]]:
            if scope is None:
                return
            resume = None if after is None else sort_key_token(after)
            for entry in self._scan(scope, resume, filters, by_name):
                yield list(entry.sort_key), self._version_item(scope, entry)

        return paginate(
            ctx,
            p,
            self.shared.pages,
            listing=listing,
            seek=seek,
            invalid_token=invalid_token(),
            default_limit=25,
        )

    def _scan(
        self, scope: Scope, after: SortKey | None, filters: dict[str, set[str]], by_name: bool
    ) -> Iterator[VersionEntry]:
        def keep(entry: VersionEntry) -> bool:
            if "type" in filters and entry.type not in filters["type"]:
                return False
            return "version" not in filters or version_text(entry.version) in filters["version"]

        return scope.scan(
            after, filters.get("name"), keep, by_name, lambda entry: entry.newest.name
        )

    def _version_item(self, scope: Scope, entry: VersionEntry) -> dict[str, Any]:
        newest = entry.newest
        item: dict[str, Any] = {
            "arn": scope.version_arn(entry),
            "name": newest.name,
            "version": version_text(entry.version),
        }
        if newest.description is not None:
            item["description"] = newest.description
        item["type"] = entry.type
        item["owner"] = scope.owner
        item["dateCreated"] = newest.created
        return item

    # ------------------------------------------------------------------ ListWorkflowBuildVersions
    def list_workflow_build_versions(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        arn = p.get("workflowVersionArn")
        if arn is None:  # optional in newer models: every build of the account (SPEC §5)
            return self._all_build_versions(ctx, p)
        scope, kind, norm, pattern, _ = self._locate(ctx, arn, "workflowVersionArn")

        def seek(after: Any) -> Iterator[tuple[list[int], dict[str, Any]]]:
            if scope is None:
                return
            for position, entry, number in builds_newest_first(scope, kind, norm, pattern, after):
                yield position, self._summary(scope, entry, entry.builds[number])

        return paginate(
            ctx,
            p,
            self.shared.pages,
            listing=f"ListWorkflowBuildVersions:{ctx.account_id}:{ctx.region}:{arn}",
            seek=seek,
            invalid_token=invalid_token(),
            default_limit=25,
        )

    def _all_build_versions(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        """The builds of every workflow of the account: by name (then type), newest version and
        build first."""
        scope = self._scope(ctx)

        def seek(after: Any) -> Iterator[tuple[list[Any], dict[str, Any]]]:
            for position, entry, number in all_builds_newest_first(scope, after):
                yield position, self._summary(scope, entry, entry.builds[number])

        return paginate(
            ctx,
            p,
            self.shared.pages,
            listing=f"ListWorkflowBuildVersions:{ctx.account_id}:{ctx.region}:*",
            seek=seek,
            invalid_token=invalid_token(),
            default_limit=25,
        )

    def _summary(self, scope: Scope, entry: VersionEntry, build: Build) -> dict[str, Any]:
        item: dict[str, Any] = {
            "arn": scope.build_arn(entry, build.number),
            "name": build.name,
            "version": version_text(entry.version),
        }
        if build.description is not None:
            item["description"] = build.description
        if build.change_description is not None:
            item["changeDescription"] = build.change_description
        item["type"] = entry.type
        item["owner"] = scope.owner
        item["dateCreated"] = build.created
        tags = self.shared.tags.of(item["arn"])
        if tags:
            item["tags"] = dict(tags)
        return item

    # ------------------------------------------------------------------ DeleteWorkflow
    def delete_workflow(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        arn = p["workflowBuildVersionArn"]
        scope, entry, build = self._build(ctx, arn, "workflowBuildVersionArn")
        if scope.account == AMAZON_ACCOUNT:
            raise ServiceError(
                "ForbiddenException", f"AWS managed workflows cannot be deleted: '{arn}'."
            )
        canonical = scope.build_arn(entry, build.number)
        self.shared.references.check_delete(canonical)
        scope.drop_build(entry, build.number)
        self.shared.tags.drop(canonical)
        return {"workflowBuildVersionArn": canonical}

    def _build(
        self, ctx: RequestContext, arn: str, parameter: str
    ) -> tuple[Scope, VersionEntry, Build]:
        scope, kind, norm, pattern, number = self._locate(ctx, arn, parameter)
        if scope is None or number is None:
            raise not_found(arn)
        version = tuple(n or 0 for n in pattern)
        entry = scope.versions.get((kind, norm, (version[0], version[1], version[2])))
        build = entry.builds.get(number) if entry is not None else None
        if entry is None or build is None:
            raise not_found(arn)
        return scope, entry, build

    # ------------------------------------------------------------------ tags
    def _tag_target(self, ctx: RequestContext, arn: str, write: bool) -> str | None:
        match = WORKFLOW_ARN.match(arn)
        if match is None or match.group(9) is None:
            return None  # not a build version ARN: the tagging family says where tags are kept
        scope, entry, build = self._build(ctx, arn, "resourceArn")
        if write and scope.account == AMAZON_ACCOUNT:
            raise ServiceError(
                "ForbiddenException", f"AWS managed workflows cannot be tagged: '{arn}'."
            )
        return scope.build_arn(entry, build.number)
