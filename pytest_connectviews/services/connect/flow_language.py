"""The Amazon Connect Flow language: what publishing a flow or a flow module checks (SPEC §9).

``problems`` returns the service's problem messages (``<what is wrong>. Path: <where>``), one per
finding, in document order. Unknown action types are accepted: the fake cannot know them all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from ...errors import ServiceError

FLOW_VERSION = "2019-10-30"
MAX_ACTIONS = 250
MAX_PROBLEMS = 50
_MAX_MESSAGE = 256
#: actions that end a flow (or hand the contact on), so they need no NextAction
TERMINAL = frozenset(
    {
        "DisconnectParticipant",
        "EndFlowExecution",
        "EndFlowModuleExecution",
        "TransferContactToAgent",
        "TransferContactToQueue",
        "TransferToFlow",
        "MessageParticipantIteratively",
    }
)
_BAD_ID_CHARS = set("%:()\\/=$,;[]{}")
_RESERVED_IDS = frozenset(
    {
        "__proto__",
        "constructor",
        "__defineGetter__",
        "__defineSetter__",
        "toString",
        "hasOwnProperty",
        "isPrototypeOf",
        "propertyIsEnumerable",
        "toLocaleString",
        "valueOf",
    }
)

#: (view ARN, separate Version or None) -> why it names no view of the instance, None when it does
ViewCheck = Callable[[str, "str | None"], "str | None"]


def content_sha256(content: str) -> str:
    """FlowContentSha256: sha256 hex of the stored Content string."""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _problem(text: str, path: str) -> str:
    message = f"{text}. Path: {path}"
    if len(message) > _MAX_MESSAGE:
        keep = _MAX_MESSAGE - len(f"... Path: {path}")
        message = f"{text[: max(keep, 0)]}... Path: {path}"[:_MAX_MESSAGE]
    return message


def parse(content: str, error_code: str, field: str) -> dict[str, Any]:
    """The content as a JSON object (what even a SAVED flow must be); the problems error else."""
    try:
        parsed = json.loads(content)
    except ValueError:
        raise invalid(error_code, field, ["Content is not valid JSON. Path: $"]) from None
    if not isinstance(parsed, dict):
        raise invalid(error_code, field, ["Content must be a JSON object. Path: $"])
    return parsed


def invalid(error_code: str, field: str, found: list[str]) -> ServiceError:
    """The service's InvalidContactFlow(Module)Exception for these problems."""
    found = found[:MAX_PROBLEMS]
    return ServiceError(
        error_code,
        f"The flow content is not valid ({len(found)} problem(s)): {found[0]}",
        **{field: [{"message": m} for m in found]},
    )


def problems(flow: dict[str, Any], views: ViewCheck | None) -> list[str]:
    """What publishing ``flow`` (a parsed Flow language document) finds wrong, in order."""
    found: list[str] = []
    if flow.get("Version") != FLOW_VERSION:
        found.append(
            _problem(
                "Flow is missing required property"
                if "Version" not in flow
                else f"Invalid property value: only Version {FLOW_VERSION} is supported",
                "Version",
            )
        )
    actions = flow.get("Actions")
    if not isinstance(actions, list):
        actions = []
        found.append(_problem("Flow is missing required property Actions (a list)", "Actions"))
    ids: list[str] = [
        a["Identifier"]
        for a in actions
        if isinstance(a, dict) and isinstance(a.get("Identifier"), str)
    ]
    known = set(ids)
    start = flow.get("StartAction")
    if start is None:
        found.append(_problem("Flow is missing required property", "StartAction"))
    elif not isinstance(start, str) or start not in known:
        found.append(_problem("Invalid property value: StartAction names no action", "StartAction"))
    if len(actions) > MAX_ACTIONS:
        found.append(_problem(f"A flow can have at most {MAX_ACTIONS} actions", "Actions"))
    seen: set[str] = set()
    for index, action in enumerate(actions):
        where = f"Actions[{index}]"
        if not isinstance(action, dict):
            found.append(_problem("Invalid Action: an action is a JSON object", where))
            continue
        identifier = action.get("Identifier")
        if not isinstance(identifier, str) or not identifier:
            found.append(_problem("Action is missing required property", f"{where}.Identifier"))
        elif (
            len(identifier) > 50
            or identifier in _RESERVED_IDS
            or any(c in _BAD_ID_CHARS for c in identifier)
        ):
            found.append(
                _problem("Invalid Action property value: Identifier", f"{where}.Identifier")
            )
        elif identifier in seen:
            found.append(
                _problem(
                    "Invalid Action property value: duplicate Identifier", f"{where}.Identifier"
                )
            )
        else:
            seen.add(identifier)
        kind = action.get("Type")
        if not isinstance(kind, str) or not kind:
            found.append(_problem("Action is missing required property", f"{where}.Type"))
            kind = ""
        found.extend(_transitions(action.get("Transitions"), kind, known, where))
        parameters = action.get("Parameters")
        if parameters is not None and not isinstance(parameters, dict):
            found.append(_problem("Invalid Action property value", f"{where}.Parameters"))
        elif kind == "ShowView" and views is not None:
            found.extend(_show_view(parameters or {}, views, where))
    return found[:MAX_PROBLEMS]


def _transitions(transitions: Any, kind: str, known: set[str], where: str) -> list[str]:
    found: list[str] = []
    if transitions is None:
        transitions = {}
    if not isinstance(transitions, dict):
        return [_problem("Invalid Action property value", f"{where}.Transitions")]
    target = transitions.get("NextAction")
    if target is None:
        if kind not in TERMINAL:
            found.append(
                _problem("Action is missing required property", f"{where}.Transitions.NextAction")
            )
    elif not isinstance(target, str) or target not in known:
        found.append(
            _problem(
                "Invalid Action property value: NextAction names no action",
                f"{where}.Transitions.NextAction",
            )
        )
    for key in ("Errors", "Conditions"):
        branches = transitions.get(key)
        if branches is None:
            continue
        if not isinstance(branches, list):
            found.append(_problem("Invalid Action property value", f"{where}.Transitions.{key}"))
            continue
        for number, branch in enumerate(branches):
            path = f"{where}.Transitions.{key}[{number}]"
            branch_target = branch.get("NextAction") if isinstance(branch, dict) else None
            if not isinstance(branch_target, str) or branch_target not in known:
                found.append(
                    _problem(
                        "Invalid Action property value: NextAction names no action",
                        f"{path}.NextAction",
                    )
                )
    return found


def _show_view(parameters: dict[str, Any], views: ViewCheck, where: str) -> list[str]:
    resource = parameters.get("ViewResource")
    if not isinstance(resource, dict):
        return []
    view_id = resource.get("Id")
    if not isinstance(view_id, str) or not view_id.startswith("arn:"):
        return []  # JSONPath ($.…) and other dynamic values are resolved when the flow runs
    version = resource.get("Version")
    why = views(view_id, None if version is None else str(version))
    if why is None:
        return []
    return [
        _problem(f"Invalid Action property value: {why}", f"{where}.Parameters.ViewResource.Id")
    ]
