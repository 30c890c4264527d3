"""What Connect's families share within one fake."""

from __future__ import annotations

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
