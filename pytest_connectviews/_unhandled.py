"""What to tell a user whose call nothing answered: the ``add_response`` line that would answer it.

Built from the installed model (the operation's real output member names), and, when moto is
installed and has the operation, a pointer to composing with moto's ``mock_aws``. moto is never
imported for this (importing it registers handlers in botocore): its source is read.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
from typing import TYPE_CHECKING

from ._models import service_model

if TYPE_CHECKING:
    from botocore.model import Shape

_DEPTH = 2
_MEMBERS = 6


def _placeholder(shape: Shape, depth: int) -> str:
    kind = shape.type_name
    if kind == "structure":
        if depth >= _DEPTH or not shape.members:
            return "{...}"
        names = list(shape.members)
        items = [f"{n!r}: {_placeholder(shape.members[n], depth + 1)}" for n in names[:_MEMBERS]]
        if len(names) > _MEMBERS:
            items.append("...")
        return "{" + ", ".join(items) + "}"
    if kind == "list":
        return "[" + _placeholder(shape.member, depth) + "]"
    if kind == "map":
        return "{...}"
    if kind == "string":
        return f"{shape.enum[0]!r}" if shape.enum else "'...'"
    if kind in ("integer", "long"):
        return "0"
    if kind in ("float", "double"):
        return "0.0"
    if kind == "boolean":
        return "False"
    if kind == "timestamp":
        return "datetime(...)"
    if kind == "blob":
        return "b'...'"
    return "..."


@functools.cache
def add_response_line(service: str, operation: str) -> str:
    """``connectviews.add_response("list_queues", {...})`` with the real output member names."""
    from botocore import xform_name

    shape = service_model(service).operation_model(operation).output_shape
    body = "{}" if shape is None else _placeholder(shape, 0)
    return f"connectviews.add_response({xform_name(operation)!r}, {body})"


@functools.cache
def moto_has(service: str, operation: str) -> bool:
    """Whether an installed moto answers ``operation`` (read from its source, not imported)."""
    from botocore import xform_name

    try:
        spec = importlib.util.find_spec("moto")
    except (ImportError, ValueError):
        return False
    if spec is None or not spec.submodule_search_locations:
        return False
    for folder in spec.submodule_search_locations:
        path = os.path.join(folder, service, "responses.py")
        try:
            with open(path, encoding="utf-8") as file:
                text = file.read()
        except OSError:
            continue
        if re.search(rf"^\s+def {xform_name(operation)}\(self", text, re.MULTILINE):
            return True
    return False


def advice(service: str, operation: str) -> str:
    """How to answer an unhandled ``operation``: a canned response, or moto where it has it."""
    text = f"Answer it with a canned response: {add_response_line(service, operation)}"
    if moto_has(service, operation):
        text += (
            f". moto also implements {operation}: inside moto's mock_aws() the fake lets moto "
            "answer it (pytest-connectviews keeps the operations it implements)"
        )
    return text + "."
