"""What the installed botocore model has, for tests that need something newer than the oldest one.

Tests skip by introspecting the model, never by comparing version numbers; the reason names the
missing model element, so a skipped test says exactly what this botocore lacks.
"""

from __future__ import annotations

import botocore
import pytest

from pytest_connectviews._models import service_model

VERSION = botocore.__version__


def has_operation(service: str, operation: str) -> bool:
    return operation in service_model(service).operation_names


def _shape_members(service: str, operation: str, which: str) -> set[str]:
    if not has_operation(service, operation):
        return set()
    op = service_model(service).operation_model(operation)
    shape = op.output_shape if which == "output" else op.input_shape
    return set(shape.members) if shape is not None else set()


def has_member(service: str, operation: str, member: str, which: str = "output") -> bool:
    """Whether ``operation``'s ``which`` ("input"/"output") shape has ``member`` (a.b: nested)."""
    head, _, rest = member.partition(".")
    if not has_operation(service, operation):
        return False
    op = service_model(service).operation_model(operation)
    shape = op.output_shape if which == "output" else op.input_shape
    for name in member.split("."):
        if shape is None or name not in getattr(shape, "members", {}):
            return False
        shape = shape.members[name]
        while shape.type_name == "list":
            shape = shape.member
    del head, rest
    return True


def requires_operation(service: str, operation: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not has_operation(service, operation),
        reason=f"the installed botocore {VERSION} {service} model has no {operation} operation",
    )


def requires_member(
    service: str, operation: str, member: str, which: str = "output"
) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not has_member(service, operation, member, which),
        reason=(
            f"the installed botocore {VERSION} {service} model has no {which} member "
            f"{operation}.{member}"
        ),
    )


def skip_unless_operation(service: str, operation: str) -> None:
    if not has_operation(service, operation):
        pytest.skip(
            f"the installed botocore {VERSION} {service} model has no {operation} operation"
        )


def skip_unless_member(service: str, operation: str, member: str, which: str = "output") -> None:
    if not has_member(service, operation, member, which):
        pytest.skip(
            f"the installed botocore {VERSION} {service} model has no {which} member "
            f"{operation}.{member}"
        )


#: The elements that arrived after botocore 1.31.40 which the suite uses (checked at import).
SEARCH_VIEWS = has_operation("connect", "SearchViews")
WORKFLOWS = has_operation("imagebuilder", "CreateWorkflow")
LATEST_REFS = has_member("imagebuilder", "CreateWorkflow", "latestVersionReferences")
DRY_RUN = has_member("imagebuilder", "CreateWorkflow", "dryRun", "input")


def optional_input(service: str, operation: str, member: str) -> bool:
    """Whether ``operation``'s input has ``member`` and does not require it."""
    if not has_operation(service, operation):
        return False
    shape = service_model(service).operation_model(operation).input_shape
    return shape is not None and member in shape.members and member not in shape.required_members
