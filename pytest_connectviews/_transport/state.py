"""The seam's state: which fake answers, and which services are ours (read from the models).

Every patch reads ``current`` once per request: while it is None, the patches are inert.
"""

from __future__ import annotations

import contextvars
import random
import threading
from typing import TYPE_CHECKING

from .._models import all_facts

if TYPE_CHECKING:
    from ..pipeline import Pipeline

lock = threading.Lock()
stack: list[Pipeline] = []
#: The pipeline of the fake answering requests now (the innermost active one), read per request.
current: Pipeline | None = None
#: From the installed models, on first activation: endpoint prefix / signing name / event service
#: id / botocore service name -> our service name. Nothing assumes they are all the same.
by_prefix: dict[str, str] = {}
by_signing_name: dict[str, str] = {}
by_event_id: dict[str, str] = {}
names: frozenset[str] = frozenset()
#: Set while a client of our services is being created (the EC2 metadata probe is skipped then).
creating = threading.local()
#: The same for aiobotocore, whose clients are created by tasks that share one thread.
creating_async: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "connectviews_creating_async", default=False
)
#: The active fake's generator while botocore computes a retry delay for one of our requests
#: (set around the ``needs-retry`` event): the patched jitter sources draw from it then.
jitter: contextvars.ContextVar[random.Random | None] = contextvars.ContextVar(
    "connectviews_jitter", default=None
)
#: While no fake is active: (mode, test id) when the guard is on ("warn" or "error"), else None.
#: The patches read it only when ``current`` is None, so with the guard off it costs nothing.
guard: tuple[str, str] | None = None


def read_models() -> None:
    """Fill the service maps from the installed models (once)."""
    global names
    if names:
        return
    for facts in all_facts():
        by_prefix[facts.endpoint_prefix] = facts.name
        by_signing_name[facts.signing_name] = facts.name
        by_event_id[facts.event_id] = facts.name
    names = frozenset(f.name for f in all_facts())
