"""What every seam shares: the check of the internals it patches, and the guard's report."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Sequence
from typing import Any

from ..errors import SeamError, UnfakedRequestError, UnfakedRequestWarning
from . import state


def require(where: str, owner: Any, name: str, params: Sequence[str]) -> None:
    """Raise ``SeamError`` unless ``owner.name`` exists and takes the parameters ``params``."""
    attr = name.split(" ", 1)[0]
    target = getattr(owner, attr, None)
    owner_name = getattr(owner, "__qualname__", getattr(owner, "__name__", repr(owner)))
    if target is None or (params and not callable(target)):
        raise SeamError(where, f"{owner_name}.{name}", "is missing")
    if not params:
        return
    try:
        found = inspect.signature(target).parameters
    except (TypeError, ValueError):  # pragma: no cover - a C function; nothing to compare
        return
    missing = [p for p in params if p not in found]
    if missing:
        raise SeamError(
            where,
            f"{owner_name}.{name}",
            f"no longer takes {', '.join(missing)} (its signature is {inspect.signature(target)})",
        )


def unfaked(service: str, what: str) -> None:
    """The guard saw a request for ``service`` while no fake is active: warn or refuse it."""
    guard = state.guard
    if guard is None:
        return
    mode, test = guard
    if mode == "error":
        raise UnfakedRequestError(service, what, test)
    warnings.warn(
        UnfakedRequestWarning(UnfakedRequestError.describe(service, what, test)), stacklevel=3
    )
