"""Amazon Connect: the families the fake serves and what they share (SPEC §4, §9).

To add a family: write its module (a ``Family`` subclass with one method per operation) and add
the class to ``SERVICE.families``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ...errors import ServiceError
from .._kit.context import ServiceSpec
from .._kit.tags import Tagging
from .flow_modules import FlowModules
from .flows import Flows
from .instances import Instances
from .shared import ConnectShared
from .views import Views

if TYPE_CHECKING:
    from ...validation import Violation


class ConnectTagging(Tagging):
    """TagResource, UntagResource and ListTagsForResource on Connect ARNs."""

    shared: ConnectShared


def validation_error(violation: Violation) -> ServiceError:
    """Connect's wording for a parameter that breaks a modeled constraint."""
    value = violation.value
    shown = (
        "null"
        if value is None
        else (value if isinstance(value, str) else json.dumps(value, default=str))
    )
    if isinstance(shown, str) and len(shown) > 200:
        shown = shown[:200] + "..."
    return ServiceError(
        "InvalidParameterException",
        f"1 validation error detected: Value '{shown}' at '{violation.path}' failed to satisfy "
        f"constraint: {violation.constraint}",
    )


SERVICE = ServiceSpec(
    name="connect",
    families=(Instances, Views, Flows, FlowModules, ConnectTagging),
    shared=ConnectShared,
    validation_error=validation_error,
)
