"""What Image Builder's families share within one fake, and the ARN and uri forms they read."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ...errors import ServiceError
from .._kit.idempotency import Idempotency, fingerprint
from .._kit.pagination import PageTokens
from .._kit.tags import TagStore
from .builds import Builds, StepFailure

if TYPE_CHECKING:
    from .._kit.context import RequestContext

#: (ctx, ARN, parameter name) -> what the ARN names (the family's own record); raises the
#: service's error when it names nothing.
Lookup = Callable[["RequestContext", str, str], Any]

S3_URI = re.compile(r"^s3://([a-z0-9][a-z0-9.\-]{1,61}[a-z0-9])/(.+)\Z", re.DOTALL)
WORKFLOW_ARN = re.compile(
    r"^arn:(aws(?:-[a-z]+)*):imagebuilder:([a-z0-9-]+):([0-9]{12}|aws(?:-[a-z-]+)?):"
    r"workflow/(build|test|distribution)/([a-z0-9\-_]+)/"
    r"([0-9]+|x)\.([0-9]+|x)\.([0-9]+|x)(?:/([0-9]+))?\Z"
)


def canonical_build_arn(match: re.Match[str]) -> str:
    """The build version ARN a ``WORKFLOW_ARN`` match of one stands for (version nodes as ints)."""
    partition, region, account, kind, norm = match.group(1, 2, 3, 4, 5)
    version = ".".join(str(int(n)) for n in match.group(6, 7, 8))
    return (
        f"arn:{partition}:imagebuilder:{region}:{account}:workflow/{kind}/{norm}/"
        f"{version}/{int(match.group(9))}"
    )


class References:
    """Which resources reference which: a referenced resource cannot be deleted (SPEC §10).

    A referrer (a recipe, a pipeline) states its targets (canonical ARNs) when it is created or
    updated and is forgotten when it is deleted; ``mark_in_use`` adds targets of no referrer.
    """

    def __init__(self) -> None:
        self._targets: dict[str, frozenset[str]] = {}
        self._referrers: dict[str, set[str]] = {}
        #: ARNs a test marked as used (``FakeAWS.mark_in_use``).
        self.marked: set[str] = set()

    def set(self, referrer: str, targets: Iterable[str]) -> None:
        """``referrer`` now references exactly ``targets``."""
        self.drop(referrer)
        self._targets[referrer] = frozenset(targets)
        for target in targets:
            self._referrers.setdefault(target, set()).add(referrer)

    def drop(self, referrer: str) -> None:
        """``referrer`` is gone: it references nothing any more."""
        for target in self._targets.pop(referrer, frozenset()):
            found = self._referrers.get(target)
            if found is not None:
                found.discard(referrer)
                if not found:
                    del self._referrers[target]

    def referrers(self, target: str) -> frozenset[str]:
        """The resources that reference ``target``."""
        return frozenset(self._referrers.get(target, ()))

    def check_delete(self, target: str) -> None:
        """ResourceDependencyException (the real message) while anything references ``target``."""
        if target in self.marked or self._referrers.get(target):
            raise ServiceError(
                "ResourceDependencyException",
                f"Resource dependency error: The resource ARN '{target}' has other resources "
                "depended on it.",
            )


class Catalog:
    """How one family finds another's resources: each family registers a lookup per kind."""

    def __init__(self) -> None:
        self._lookups: dict[str, Lookup] = {}

    def register(self, kind: str, lookup: Lookup) -> None:
        self._lookups[kind] = lookup

    def has(self, kind: str) -> bool:
        return kind in self._lookups

    def find(self, kind: str, ctx: RequestContext, arn: str, parameter: str) -> Any:
        """What ``arn`` names, looked up by the family of ``kind``."""
        return self._lookups[kind](ctx, arn, parameter)


class ImageBuilderShared:
    """What Image Builder's families share within one fake: tags, documents, references."""

    def __init__(self, key: bytes) -> None:
        self.tags = TagStore()
        self.pages = PageTokens(key)
        self.idempotency = Idempotency()
        #: ``s3://bucket/key`` -> the document a test registered there.
        self.documents: dict[str, str] = {}
        #: who references whom (deletes of referenced resources are blocked).
        self.references = References()
        #: each family's lookup of its resources by ARN (recipes find components, ...).
        self.catalog = Catalog()
        #: every image build: the state machine on the fake clock (images, executions).
        self.builds = Builds()
        #: the family that starts builds (``Images``; pipelines start theirs through it).
        self.builder: Any = None

    def register_document(self, uri: str, text: str) -> None:
        """Provide the document at ``s3://bucket/key`` for a ``uri`` parameter."""
        if not isinstance(uri, str) or not S3_URI.match(uri):
            raise ValueError(
                "connectviews: register_document needs an S3 uri like 's3://my-bucket/workflows/"
                f"build.yaml' (bucket 3-63 lower-case characters, then a key), got {uri!r}"
            )
        if not isinstance(text, str) or not text:
            raise ValueError(
                "connectviews: register_document needs the document as a non-empty str "
                f"(read the file with .read_text()), got {type(text).__name__}"
            )
        self.documents[uri] = text

    def mark_in_use(self, build_arn: str, in_use: bool = True) -> None:
        """Mark a workflow build version as used by an image pipeline (or clear the mark)."""
        match = WORKFLOW_ARN.match(build_arn) if isinstance(build_arn, str) else None
        if match is None or match.group(9) is None or "x" in match.group(6, 7, 8):
            raise ValueError(
                "connectviews: mark_in_use needs a workflow build version ARN such as "
                "'arn:aws:imagebuilder:us-east-1:123456789012:workflow/build/my-workflow/1.0.0/1' "
                f"(the workflowBuildVersionArn CreateWorkflow returned), got {build_arn!r}"
            )
        canonical = canonical_build_arn(match)
        if in_use:
            self.references.marked.add(canonical)
        else:
            self.references.marked.discard(canonical)

    def fail_step(
        self,
        step_name: str,
        *,
        workflow: str | None = None,
        image: str | None = None,
        message: str = "The step failed (connectviews fail_step).",
    ) -> StepFailure:
        """Make the next run of a step named ``step_name`` fail with ``message``."""
        if not isinstance(step_name, str) or not step_name:
            raise ValueError(
                f"connectviews: fail_step needs a step name such as 'CreateOutputAMI', got "
                f"{step_name!r}"
            )
        for label, value in (("workflow", workflow), ("image", image)):
            if value is not None and (not isinstance(value, str) or not value):
                raise ValueError(
                    f"connectviews: fail_step {label} must be a non-empty str or None, got "
                    f"{value!r}"
                )
        if image is not None and ":image/" not in image:
            raise ValueError(
                "connectviews: fail_step image must be an image build version ARN "
                f"(…:image/<recipe>/<M.m.p>/<n>), got {image!r}"
            )
        if not isinstance(message, str) or not message:
            raise ValueError(
                f"connectviews: fail_step message must be a non-empty str, got {message!r}"
            )
        rules = self.builds.rules
        rule = StepFailure(step_name, workflow, image, message, rules)
        rules.append(rule)
        return rule

    # ------------------------------------------------------------------ client tokens
    def replay(
        self, ctx: RequestContext, p: dict[str, Any], ignore: tuple[str, ...] = ("clientToken",)
    ) -> dict[str, Any] | None:
        """The first answer to this request's ``clientToken`` (per operation), if any.

        Raises IdempotentParameterMismatchException for the token with other parameters.
        """
        token = p["clientToken"]
        seen = self.idempotency.replay(
            (ctx.account_id, ctx.region, ctx.operation),
            token,
            fingerprint(p, ignore=ignore),
            ServiceError(
                "IdempotentParameterMismatchException",
                f"The client token '{token}' was already used with different parameters.",
            ),
        )
        return None if seen is None else dict(copy.deepcopy(seen))

    def remember(
        self,
        ctx: RequestContext,
        p: dict[str, Any],
        out: dict[str, Any],
        ignore: tuple[str, ...] = ("clientToken",),
    ) -> dict[str, Any]:
        """Remember ``out`` as the answer to this request's ``clientToken``; returns ``out``."""
        self.idempotency.remember(
            (ctx.account_id, ctx.region, ctx.operation),
            p["clientToken"],
            fingerprint(p, ignore=ignore),
            copy.deepcopy(out),
        )
        return out
