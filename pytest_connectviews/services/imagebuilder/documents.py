"""Image Builder YAML documents: loading with ``schemaVersion: 1.0`` (workflows, components)."""

from __future__ import annotations

import functools
import json
from typing import Any


class DocumentError(ValueError):
    """A workflow document breaks a rule of the workflow document format."""


def load_document(text: str, what: str = "workflow") -> dict[str, Any]:
    """The YAML mapping of a ``what`` document with ``schemaVersion: 1.0`` (a fresh copy).

    Raises ``DocumentError`` naming the problem.
    """
    found: dict[str, Any] = json.loads(_load_cached(text, what))
    return found


@functools.lru_cache(maxsize=256)
def _load_cached(text: str, what: str) -> str:
    import yaml  # imported here so plugin start-up does not pay for it

    # libyaml's safe loader is ~10x faster than the pure-Python one, with the same constructors.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        doc = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        detail = str(exc).replace("\n", " ")
        raise DocumentError(f"The {what} document is not valid YAML: {detail}") from None
    if not isinstance(doc, dict):
        raise DocumentError(f"The {what} document must be a YAML mapping.")
    if "schemaVersion" not in doc:
        raise DocumentError(f"The {what} document must specify schemaVersion: 1.0.")
    schema = doc["schemaVersion"]
    # YAML reads ``schemaVersion: 1.0`` as the float 1.0; a quoted "1.0" is a string.
    if isinstance(schema, bool) or (schema != 1.0 and str(schema).strip() != "1.0"):
        raise DocumentError(f"Unsupported schemaVersion {schema!r}; the supported version is 1.0.")
    try:
        return json.dumps(doc, default=str)
    except (TypeError, ValueError):
        raise DocumentError(f"The {what} document has keys that are not strings.") from None
