"""Server-side checks of request parameters against the botocore model.

botocore checks types and required members client-side; the real services also check lengths,
patterns (with Unicode classes such as ``\\p{L}``, hence the ``regex`` module), enums, ranges and
collection sizes. ``check`` returns the first violation; each service words it in its own
vocabulary. With ``output=True`` the same walk checks a response a test supplies
(``add_response``): members the shape does not know and the types botocore's parser needs are
checked too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import regex

if TYPE_CHECKING:
    from botocore.model import Shape

#: Shapes whose modeled pattern is a known model bug (ViewContentSha256 is ``^[a-zA-Z0-9]$``).
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


@cache
def _compiled(pattern: str) -> regex.Pattern[str] | None:
    # Java/Smithy "$" means end of input; Python's also matches before a final newline.
    anchored = regex.sub(r"(?<!\\)\$(?=\)|\||$)", r"\\Z", pattern)
    try:
        return regex.compile(anchored)
    except regex.error:
        return None


# (pattern, value) -> whether the value matches: ids and names repeat across calls, and a search
# with the Unicode-aware engine costs about a microsecond. Bounded; only short values are kept.
_matched: dict[tuple[str, str], bool] = {}
_MATCHED_MAX = 4096
_MATCHED_VALUE_MAX = 256


def _matches(pattern: str, value: str) -> bool:
    key = (pattern, value)
    found = _matched.get(key)
    if found is None:
        compiled = _compiled(pattern)
        found = compiled is None or compiled.search(value) is not None
        if len(value) <= _MATCHED_VALUE_MAX:
            if len(_matched) >= _MATCHED_MAX:
                _matched.clear()
            _matched[key] = found
    return found


def _has_lone_surrogate(value: str) -> bool:
    # JSON's \ud800 escapes decode to code points no UTF-8 text can hold; the service refuses them.
    return not value.isascii() and _SURROGATE.search(value) is not None


_SURROGATE = regex.compile("[\ud800-\udfff]")
_NOT_UNICODE = "Member must be valid Unicode text (it holds a lone surrogate code point)"


def _string_ok(shape: Shape, value: str) -> bool:
    """True when ``value`` meets every constraint of the string ``shape``."""
    if _has_lone_surrogate(value):
        return False
    meta = shape.metadata
    size = len(value)
    if ("min" in meta and size < meta["min"]) or ("max" in meta and size > meta["max"]):
        return False
    enum = shape.enum
    if enum and value not in enum:
        return False
    pattern = meta.get("pattern")
    return not (pattern and shape.name not in IGNORED_PATTERNS and not _matches(pattern, value))


def check(shape: Shape, params: Any, path: str = "", *, output: bool = False) -> Violation | None:
    """Return the first constraint ``params`` breaks in ``shape``, or None.

    :param output: check an output (a canned response) rather than request parameters: unknown
        members are violations, ``None`` values are left out, and floats, timestamps and blobs
        must have the types botocore returns for them.
    """
    kind = shape.type_name
    meta = shape.metadata
    if output and getattr(shape, "is_document_type", False):
        return None
    if kind == "structure":
        if not isinstance(params, dict):
            return Violation(path, params, "Member must be a structure")
        if output:
            unknown = [name for name in params if name not in shape.members]
            if unknown:
                return Violation(
                    _join(path, unknown[0]),
                    params[unknown[0]],
                    f"Member is not in the model's {shape.name}; its members are "
                    f"{', '.join(shape.members) or 'none'}",
                )
        for name in shape.required_members:
            if name not in params:
                return Violation(_join(path, name), None, "Member must not be null")
        if meta.get("union") and sum(1 for v in params.values() if v is not None) != 1:
            return Violation(
                path,
                params,
                f"Member is a union: set exactly one of {', '.join(shape.members)}",
            )
        members = shape.members
        for name, value in params.items():
            member = members.get(name)
            if member is None or (output and value is None):
                continue
            if member.type_name == "string" and type(value) is str and _string_ok(member, value):
                continue  # the common case, without building the member's path
            found = check(member, value, _join(path, name), output=output)
            if found is not None:
                return found
        return None
    if kind == "string":
        if not isinstance(params, str):
            return Violation(path, params, "Member must be a string")
        if _has_lone_surrogate(params):
            return Violation(
                path, params.encode("utf-8", "backslashreplace").decode(), _NOT_UNICODE
            )
        found = _length(meta, len(params), params, path)
        if found is not None:
            return found
        enum = shape.enum
        if enum and params not in enum:
            return Violation(
                path, params, f"Member must satisfy enum value set: [{', '.join(enum)}]"
            )
        pattern = meta.get("pattern")
        if pattern and shape.name not in IGNORED_PATTERNS and not _matches(pattern, params):
            return Violation(
                path, params, f"Member must satisfy regular expression pattern: {pattern}"
            )
        return None
    if kind in ("integer", "long"):
        if isinstance(params, bool) or not isinstance(params, int):
            return Violation(path, params, "Member must be a number")
        if "min" in meta and params < meta["min"]:
            return Violation(
                path, params, f"Member must have value greater than or equal to {meta['min']}"
            )
        if "max" in meta and params > meta["max"]:
            return Violation(
                path, params, f"Member must have value less than or equal to {meta['max']}"
            )
        return None
    if kind == "list":
        if not isinstance(params, list):
            return Violation(path, params, "Member must be a list")
        found = _length(meta, len(params), params, path)
        if found is not None:
            return found
        for i, item in enumerate(params):
            found = check(shape.member, item, f"{path}[{i}]", output=output)
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
            found = check(shape.key, key, f"{path}.key", output=output) or check(
                shape.value, item, f"{path}[{key!r}]", output=output
            )
            if found is not None:
                return found
        return None
    if kind == "blob" and isinstance(params, (bytes, bytearray)):
        return _length(meta, len(params), params, path)
    if kind == "boolean" and not isinstance(params, bool):
        return Violation(path, params, "Member must be a boolean")
    if output:
        return _output_type(kind, params, path)
    return None


def _output_type(kind: str, value: Any, path: str) -> Violation | None:
    """The types botocore needs in a response that request validation leaves to botocore."""
    if kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return Violation(path, value, "Member must be a number")
    elif kind == "blob":
        return Violation(path, value, "Member must be bytes")
    elif kind == "timestamp":
        if isinstance(value, dt.datetime):
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return None
        if isinstance(value, str):
            from botocore.utils import parse_timestamp

            try:
                parse_timestamp(value)
            except (ValueError, TypeError):
                pass
            else:
                return None
        return Violation(path, value, "Member must be a timestamp (a datetime)")
    return None


def _length(meta: dict[str, Any], size: int, value: Any, path: str) -> Violation | None:
    if "min" in meta and size < meta["min"]:
        return Violation(
            path, value, f"Member must have length greater than or equal to {meta['min']}"
        )
    if "max" in meta and size > meta["max"]:
        return Violation(
            path, value, f"Member must have length less than or equal to {meta['max']}"
        )
    return None


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
