"""What Connect's families share within one fake."""

from __future__ import annotations

from collections.abc import Callable

from .._kit.context import RequestContext
from .._kit.idempotency import Idempotency
from .._kit.instances import InstanceRegistry
from .._kit.pagination import PageTokens
from .._kit.tags import TagStore


class ConnectShared:
    """What Connect's families share within one fake: tags, instances, tokens."""

    def __init__(self, key: bytes) -> None:
        self.tags = TagStore()
        self.instances = InstanceRegistry()
        self.pages = PageTokens(key)
        self.idempotency = Idempotency()
        #: (ctx, instance id, view ARN, separate version) -> why a flow cannot show that view,
        #: None when it can; set by the views family (the flow families check ShowView with it)
        self.view_references: (
            Callable[[RequestContext, str, str, str | None], str | None] | None
        ) = None
