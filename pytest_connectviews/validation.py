"""Server-side checks of request parameters against the botocore model.

botocore checks types and required members client-side; the real services also check lengths,
patterns (with Unicode classes such as ``\\p{L}``, hence the ``regex`` module), enums, ranges and
collection sizes. ``check`` returns the first violation; each service words it in its own vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import regex

if TYPE_CHECKING:
    from botocore.model import Shape

#: Shapes whose modeled pattern is a known model bug (SPEC §4: ViewContentSha256 is ``^[a-zA-Z0-9]$``).
IGNORED_PATTERNS = frozenset({"ViewContentSha256"})


@dataclass(frozen=True)
class Violation:
    """One failed constraint: where (a dotted member path), the value and what was expected."""

    path: str
    value: Any
    constraint: str

    @property
    def top(self) -> str:
        """The top-level parameter name the violation is under."""
        return self.path.split(".", 1)[0].split("[", 1)[0]


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> regex.Pattern[str] | None:
    # Java/Smithy "$" means end of input; Python's also matches before a final newline.
    anchored = regex.sub(r"(?<!\\)\$(?=\)|\||$)", r"\\Z", pattern)
    try:
        return regex.compile(anchored)
    except regex.error:
        return None


def check(shape: Shape, params: Any, path: str = "") -> Violation | None:
    """Return the first constraint ``params`` breaks in ``shape``, or None."""
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        if not isinstance(params, dict):
            return Violation(path, params, "Member must be a structure")
        for name in shape.required_members:
            if name not in params:
                return Violation(_join(path, name), None, "Member must not be null")
        members = shape.members
        for name, value in params.items():
            member = members.get(name)
            if member is None:
                continue
            found = check(member, value, _join(path, name))
            if found is not None:
                return found
        return None
    if kind == "string":
        if not isinstance(params, str):
            return Violation(path, params, "Member must be a string")
        found = _length(meta, len(params), params, path)
        if found is not None:
            return found
        enum = shape.enum
        if enum and params not in enum:
            return Violation(
                path, params, f"Member must satisfy enum value set: [{', '.join(enum)}]"
            )
        pattern = meta.get("pattern")
        if pattern and shape.name not in IGNORED_PATTERNS:
            compiled = _compiled(pattern)
            if compiled is not None and compiled.search(params) is None:
                return Violation(
                    path, params, f"Member must satisfy regular expression pattern: {pattern}"
                )
        return None
    if kind in ("integer", "long"):
        if isinstance(params, bool) or not isinstance(params, int):
            return Violation(path, params, "Member must be a number")
        if "min" in meta and params < meta["min"]:
            return Violation(path, params, f"Member must have value greater than or equal to {meta['min']}")
        if "max" in meta and params > meta["max"]:
            return Violation(path, params, f"Member must have value less than or equal to {meta['max']}")
        return None
    if kind == "list":
        if not isinstance(params, list):
            return Violation(path, params, "Member must be a list")
        found = _length(meta, len(params), params, path)
        if found is not None:
            return found
        for i, item in enumerate(params):
            found = check(shape.member, item, f"{path}[{i}]")
            if found is not None:
                return found
        return None
    if kind == "map":
        if not isinstance(params, dict):
            return Violation(path, params, "Member must be a map")
        found = _length(meta, len(params), params, path)
        if found is not None:
            return found
        for key, item in params.items():
            found = check(shape.key, key, f"{path}.key") or check(shape.value, item, f"{path}[{key!r}]")
            if found is not None:
                return found
        return None
    if kind == "blob" and isinstance(params, (bytes, bytearray)):
        return _length(meta, len(params), params, path)
    if kind == "boolean" and not isinstance(params, bool):
        return Violation(path, params, "Member must be a boolean")
    return None


def _length(meta: dict[str, Any], size: int, value: Any, path: str) -> Violation | None:
    if "min" in meta and size < meta["min"]:
        return Violation(path, value, f"Member must have length greater than or equal to {meta['min']}")
    if "max" in meta and size > meta["max"]:
        return Violation(path, value, f"Member must have length less than or equal to {meta['max']}")
    return None


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
