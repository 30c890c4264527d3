"""One tag store per service, and the tagging operations every service has.

Tags live here keyed by the resource's canonical ARN, not on the resource, so every family's
resources are taggable the same way. A family registers a resolver saying which ARNs are its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from ...errors import ServiceError
from .context import Family, RequestContext

#: (ctx, ARN, write) -> the canonical ARN when it names an existing resource of the family; None
#: when the ARN is not of the family's kind. Raises the service's error for a resource of that
#: kind that does not exist or cannot be tagged.
Resolver = Callable[[RequestContext, str, bool], "str | None"]

_NO_TAGS: Mapping[str, str] = {}


class TagStore:
    """Tags by ARN; ``generation`` moves on every change (for caches of tag-filtered searches)."""

    def __init__(self) -> None:
        self._tags: dict[str, dict[str, str]] = {}
        self._resolvers: list[tuple[str, Resolver]] = []
        self.generation = 0

    def register(self, kind: str, resolver: Resolver) -> None:
        """Make ``kind`` ARNs (named in messages, e.g. "view") taggable through ``resolver``."""
        self._resolvers.append((kind, resolver))

    @property
    def kinds(self) -> list[str]:
        """The kinds of resource that can be tagged."""
        return [kind for kind, _ in self._resolvers]

    def resolve(self, ctx: RequestContext, arn: str, *, write: bool) -> str | None:
        """The canonical ARN of the resource ``arn`` names; None when no family owns the kind."""
        for _, resolver in self._resolvers:
            found = resolver(ctx, arn, write)
            if found is not None:
                return found
        return None

    def of(self, arn: str) -> Mapping[str, str]:
        """The tags of ``arn`` (read only; empty when none)."""
        return self._tags.get(arn, _NO_TAGS)

    def set(self, arn: str, tags: Mapping[str, str]) -> None:
        """Replace the tags of ``arn``."""
        if tags:
            self._tags[arn] = dict(tags)
        else:
            self._tags.pop(arn, None)
        self.generation += 1

    def drop(self, arn: str) -> None:
        """Forget the tags of a deleted resource."""
        if self._tags.pop(arn, None) is not None:
            self.generation += 1


class Tagging(Family):
    """TagResource, UntagResource and ListTagsForResource over the service's ``TagStore``.

    ``shared.tags`` is the store. Subclasses set the service's limit and words.
    """

    max_tags: ClassVar[int] = 50
    too_many_tags_code: ClassVar[str] = "InvalidParameterException"

    def _too_many(self, count: int) -> ServiceError:
        """The error for a request that would leave ``count`` (> ``max_tags``) tags."""
        return ServiceError(
            self.too_many_tags_code,
            f"A resource can have at most {self.max_tags} tags; this request would leave {count}.",
        )

    def _not_taggable(self, arn: str) -> ServiceError:
        kinds = " or ".join(self.shared.tags.kinds)
        return ServiceError(
            "ResourceNotFoundException",
            f"The resource ARN '{arn}' does not exist (taggable here: {kinds} ARNs).",
        )

    def _target(self, ctx: RequestContext, arn: str, *, write: bool) -> str:
        found: str | None = self.shared.tags.resolve(ctx, arn, write=write)
        if found is None:
            raise self._not_taggable(arn)
        return found

    def tag_resource(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        arn = self._target(ctx, p["resourceArn"], write=True)
        store: TagStore = self.shared.tags
        merged = {**store.of(arn), **p["tags"]}
        if len(merged) > self.max_tags:
            raise self._too_many(len(merged))
        store.set(arn, merged)
        return {}

    def untag_resource(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        arn = self._target(ctx, p["resourceArn"], write=True)
        store: TagStore = self.shared.tags
        remaining = dict(store.of(arn))
        for key in p["tagKeys"]:
            remaining.pop(key, None)
        store.set(arn, remaining)
        return {}

    def list_tags_for_resource(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        arn = self._target(ctx, p["resourceArn"], write=False)
        return {"tags": dict(self.shared.tags.of(arn))}
