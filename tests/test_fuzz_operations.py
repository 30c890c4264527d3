"""Property-based fuzzing of every implemented operation through real boto3 clients.

Inputs are generated from the botocore input shape of each operation: Unicode strings (astral,
combining, right-to-left, control characters), values at and just past modeled length and range
limits, empty and huge values, valid and invalid enums, lists and maps at their size limits, nested
structures with optional members present or absent. Placeholders like ``⟦PUB⟧`` are replaced at run
time by ids and ARNs of state seeded for each example, so the generated requests also hit existing
resources. Each request is sent by a validating client (botocore refuses what it checks itself) or
a client with ``parameter_validation=False`` (so the fake's own validation is exercised).

Allowed outcomes: success, or a ``ClientError`` whose code the service models, with the modeled
HTTP status, recorded as such in ``fake.calls``. A request that breaks a constraint of the botocore
model (a length, range, list or map size, enum or pattern; checked here independently of the
plugin's own validation) must not succeed: botocore refuses it before sending, or the service
answers its validation error (``InvalidParameterException`` for Connect,
``InvalidParameterValueException`` for Image Builder). Over-long lists and maps are drawn with
valid entries, so that their size is often the only constraint they break. After each example the
listing walk must succeed and agree with the creates and deletes that succeeded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest
import regex
from _refmodel import (
    MANAGED_VIEW_IDS,
    content_sha,
    small_contents,
    view_fixture_contents,
    workflow_documents,
)
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pytest_connectviews import FakeAWS, dispatch
from pytest_connectviews.errors import UnhandledOperationError

#: Every operation the fake serves with the installed botocore: each one is fuzzed, by construction.
CONNECT_OPERATIONS = sorted(dispatch.operations("connect"))
IMAGEBUILDER_OPERATIONS = sorted(dispatch.operations("imagebuilder"))

# Hypothesis imports libcst to suggest a patch when a test fails; libcst warns on import.
pytestmark = pytest.mark.filterwarnings(
    "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"
)

REGION = "us-east-1"
ACCOUNT = "123456789012"
INSTANCE = "a1b2c3d4-0000-4000-8000-00000000c0de"
INSTANCE_ARN = f"arn:aws:connect:{REGION}:{ACCOUNT}:instance/{INSTANCE}"
PACKAGE_DIR = str(Path(__file__).resolve().parent.parent / "pytest_connectviews")


#: Examples per operation; CONNECTVIEWS_FUZZ_EXAMPLES=1000 for a deeper local run.
MAX_EXAMPLES = int(os.environ.get("CONNECTVIEWS_FUZZ_EXAMPLES", "50"))
FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _has_imagebuilder() -> bool:
    try:
        import pytest_connectviews.services.imagebuilder.workflows  # noqa: F401
    except ImportError:
        return False
    return True


#: A small valid BUILD document (the real fixtures are in the hints; they cost more to parse).
SEED_DOCUMENT = "schemaVersion: 1.0\nsteps:\n  - name: Wait\n    action: WaitForAction\n"
#: A small valid component document with one parameter.
SEED_COMPONENT = (
    "schemaVersion: 1.0\nparameters:\n  - Greeting:\n      type: string\n"
    "phases:\n  - name: build\n    steps:\n      - name: Hello\n        action: ExecuteBash\n"
    "        inputs:\n          commands: [echo hi]\n"
)
IB = "arn:aws:imagebuilder:us-east-1:123456789012"

# ---------------------------------------------------------------------------- string material
#: Pieces strings are built from: astral, combining, RTL and bidi controls, NUL and other
#: controls, whitespace variants, URL/ARN/JSON metacharacters.
PIECES = [
    "a",
    "Z",
    "7",
    "-",
    "_",
    ".",
    ":",
    "/",
    "$",
    "@",
    "=",
    "+",
    "'",
    "(",
    ")",
    ",",
    " ",
    "é",
    "e\u0301",
    "\u0301",
    "\u05d0\u05d1\u05d2",
    "\u0627\u0644",
    "\u200f",
    "\u202e",
    "\u200b",
    "😀",
    "\U0001d518",  # MATHEMATICAL FRAKTUR CAPITAL U
    "👩\u200d👩\u200d👧",
    "\u3000",
    "\u00a0",
    "ß",
    "İ",
    "\ufeff",
    "\ufffd",
    "\x00",
    "\n",
    "\t",
    "\r\n",
    "%",
    "%2F",
    "?",
    "#",
    "&",
    "\\",
    '"',
    "{",
    "}",
    "[",
    "]",
    "..",
    "arn:aws:connect:",
    "$SAVED",
    "$LATEST",
    "x.x.x",
    "1.0.0",
]
BOUNDARY_CHARS = ["a", "é", "😀", "\u05d0", "-", " "]

_text = st.lists(
    st.one_of(st.sampled_from(PIECES), st.characters(exclude_categories=("Cs",))), max_size=24
).map("".join)


def _repeat(char: str, size: int) -> str:
    return char * size


def _sized_text(size: int) -> st.SearchStrategy[str]:
    return st.builds(_repeat, st.sampled_from(BOUNDARY_CHARS), st.just(size))


# ---------------------------------------------------------------------------- shape strategies
@dataclass(frozen=True)
class Hint:
    """Meaningful values for a member (by member or shape name): ``good`` ones and ``bad`` ones."""

    good: st.SearchStrategy[Any]
    bad: st.SearchStrategy[Any] | None = None


Hints = dict[str, Hint]
_NAME_CHARS = st.sampled_from(list("abcXYZ019-_.éßאΩ"))


def shape_strategy(shape: Any, hints: Hints, tame: bool, depth: int = 0) -> st.SearchStrategy[Any]:
    """Model-typed values for a botocore shape.

    ``tame``: values mostly inside the modeled constraints (so requests get past validation and
    reach the backend); otherwise constraints are deliberately broken at and beyond their edges.
    """
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        required: dict[str, st.SearchStrategy[Any]] = {}
        optional: dict[str, st.SearchStrategy[Any]] = {}
        for name, member in shape.members.items():
            if name in shape.required_members:
                required[name] = member_strategy(name, member, hints, tame, depth + 1)
            elif depth < 3:
                optional[name] = member_strategy(name, member, hints, tame, depth + 1)
        return st.fixed_dictionaries(required, optional=optional)
    if kind == "string":
        return _tame_string(shape) if tame else _wild_string(shape)
    if kind in ("integer", "long"):
        lo, hi = meta.get("min"), meta.get("max")
        inner = st.integers(lo if lo is not None else 0, hi if hi is not None else 50)
        if tame:
            return inner
        edges = {0, -1, 1, 2**31 - 1, 2**31, -(2**31)}
        beyond = set()
        if lo is not None:
            edges.add(lo)
            beyond.add(lo - 1)
        if hi is not None:
            edges.add(hi)
            beyond.add(hi + 1)
        options = [st.sampled_from(sorted(edges | beyond)), inner]
        if beyond:  # just out of range, often: botocore lets most of it through to the service
            options.insert(0, st.sampled_from(sorted(beyond)))
        return st.one_of(options)
    if kind == "boolean":
        return st.booleans()
    if kind in ("float", "double"):
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "timestamp":
        return st.datetimes(
            min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(2100, 1, 1)
        ).map(lambda d: d.replace(tzinfo=dt.timezone.utc))
    if kind == "blob":
        return st.binary(max_size=64)
    # Past a list's or map's maximum the entries are tame, so that the size is often the only
    # constraint a request breaks: a service that forgot to check sizes would then accept it.
    hi = meta.get("max")
    if kind == "list":
        item = member_strategy("[]", shape.member, hints, tame, depth + 1)
        tame_item = member_strategy("[]", shape.member, hints, True, depth + 1)

        def build_list(n: int) -> st.SearchStrategy[Any]:
            entries = tame_item if hi is not None and n > hi else item
            return st.lists(entries, min_size=n, max_size=n)

        return _sized(meta, build_list, tame, depth)
    if kind == "map":
        key = member_strategy("key", shape.key, hints, tame, depth + 1)
        value = member_strategy("value", shape.value, hints, tame, depth + 1)
        tame_value = member_strategy("value", shape.value, hints, True, depth + 1)

        def build(n: int) -> st.SearchStrategy[Any]:
            if n <= 3:
                return st.dictionaries(key, value, min_size=n, max_size=n)
            # many distinct keys: generate them rather than hoping a strategy yields n distinct
            values = tame_value if hi is not None and n > hi else value
            return st.builds(lambda v: {f"key-{i}": v for i in range(n)}, values)

        return _sized(meta, build, tame, depth)
    raise AssertionError(f"no strategy for shape type {kind}")


def _sized(
    meta: dict[str, Any],
    build: Callable[[int], st.SearchStrategy[Any]],
    tame: bool,
    depth: int,
) -> st.SearchStrategy[Any]:
    lo, hi = meta.get("min", 0), meta.get("max")
    if tame:
        sizes = {n for n in (lo, lo + 1, 2) if hi is None or n <= hi}
    else:
        sizes = {0, 1, 2, lo}
        if hi is not None and hi <= 60:
            sizes |= {hi, hi + 1}
    if depth > 2:  # recursive shapes (SearchViews criteria) stay small
        sizes = {s for s in sizes if s <= 2} or {lo}
    choices = sorted(sizes)
    if hi is not None and hi + 1 in sizes:
        choices.append(hi + 1)  # one past the maximum, often: botocore does not check it
    return st.sampled_from(choices).flatmap(build)


def _tame_string(shape: Any) -> st.SearchStrategy[str]:
    if shape.enum:
        return st.sampled_from(list(shape.enum))
    lo, hi = shape.metadata.get("min", 0), shape.metadata.get("max")
    size = min(hi if hi is not None else 12, 12)
    head = st.sampled_from(list("abcXYZ019é"))
    return st.builds(
        lambda first, rest: (first + rest)[: max(size, lo)],
        head,
        st.text(_NAME_CHARS, min_size=max(lo - 1, 0), max_size=max(size - 1, lo)),
    )


def _wild_string(shape: Any) -> st.SearchStrategy[str]:
    meta = shape.metadata
    lo, hi = meta.get("min", 0), meta.get("max")
    options: list[st.SearchStrategy[str]] = [_text, _text, st.just("")]
    for size in {lo, lo + 1} | ({hi, hi + 1} if hi is not None else {5000}):
        if size > 0:
            options.append(_sized_text(size))
    if shape.enum:
        enum = list(shape.enum)
        options += [st.sampled_from(enum)] * 3 + [
            st.sampled_from([e.lower() for e in enum] + [enum[0] + " ", ""])
        ]
    return st.one_of(options)


def member_strategy(
    name: str, shape: Any, hints: Hints, tame: bool, depth: int
) -> st.SearchStrategy[Any]:
    hint = hints.get(shape.name) or hints.get(name)
    if hint is None:
        return shape_strategy(shape, hints, tame, depth)
    if tame:
        return hint.good
    generic = shape_strategy(shape, hints, tame, depth)
    if hint.bad is None:
        return st.one_of(hint.good, generic)
    return st.one_of(hint.good, hint.bad, hint.bad, generic)


# ---------------------------------------------------------------------------- placeholders
def substitute(value: Any, mapping: dict[str, str]) -> Any:
    """Replace ``⟦NAME⟧`` placeholders in every string of a generated request."""
    if isinstance(value, str):
        if "⟦" in value:
            for key, real in mapping.items():
                value = value.replace(f"⟦{key}⟧", real)
        return value
    if isinstance(value, dict):
        return {substitute(k, mapping): substitute(v, mapping) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, mapping) for v in value]
    return value


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | _text,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["Head", "Body", "_id", "Type", "Props", "Content", "$.x"]) | _text,
            children,
            max_size=3,
        )
    ),
    max_leaves=12,
)


def _flow_content(*actions: dict[str, Any], start: str = "a") -> str:
    return json.dumps({"Version": "2019-10-30", "StartAction": start, "Actions": list(actions)})


_END = {"Identifier": "end", "Type": "DisconnectParticipant", "Transitions": {}}


def _show(view: str) -> dict[str, Any]:
    return {
        "Identifier": "a",
        "Type": "ShowView",
        "Parameters": {"ViewResource": {"Id": view}},
        "Transitions": {"NextAction": "end"},
    }


#: flow contents that publish (placeholders name the seeded views)
FLOW_CONTENTS = [
    _flow_content(_show("⟦PUBARN⟧:1"), _END),
    _flow_content(_show("⟦PUBARN⟧"), _END),
    _flow_content(_show("arn:aws:connect:us-east-1:aws:view/form"), _END),
    _flow_content(_show("$.Attributes.view"), _END),
    _flow_content(_END, start="end"),
]
#: contents that do not: not JSON, bad targets, missing views
BAD_FLOW_CONTENTS = [
    "not json",
    "[]",
    "{}",
    _flow_content(_show("⟦SAVEDARN⟧"), _END),
    _flow_content(_show("⟦PUBARN⟧:9"), _END),
    _flow_content(_show("arn:aws:connect:us-east-1:aws:view/nope"), _END),
    _flow_content({**_END, "Identifier": "x"}, start="end"),
    _flow_content({"Identifier": "a", "Type": "MessageParticipant"}),
]


def _one(*values: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from(list(values))


def connect_hints() -> Hints:
    fixtures = view_fixture_contents()
    smalls = small_contents()
    good_templates = [t for t, _, _ in smalls] + [t for t, _ in fixtures]
    instance_arn = f"arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE}"
    return {
        "InstanceId": Hint(
            _one("⟦INSTANCE⟧", "⟦INSTANCE⟧", instance_arn, "other-instance"),
            _one(
                "arn:aws:connect:us-east-1:123456789012:instance/",
                "arn:aws:connect:us-east-1:1:instance/⟦INSTANCE⟧",
                "⟦INSTANCE⟧/x",
            ),
        ),
        "ViewId": Hint(
            _one(
                "⟦PUB⟧",
                "⟦PUB⟧:$SAVED",
                "⟦PUB⟧:$LATEST",
                "⟦PUB⟧:1",
                "⟦PUB⟧:2",
                "⟦PUBARN⟧",
                "⟦PUBARN⟧:$LATEST",
                "⟦PUBARN⟧:$SAVED",
                "⟦PUBARN⟧:1",
                "⟦SAVED⟧",
                "⟦SAVED⟧:$SAVED",
                "⟦SAVED⟧:$LATEST",
                "⟦SAVEDARN⟧",
                "arn:aws:connect:us-east-1:aws:view/form",
                "arn:aws:connect:us-east-1:aws:view/form:1",
                "form",
                "00000000-0000-4000-8000-000000000000",
            ),
            _one(
                "⟦PUB⟧:0",
                "⟦PUB⟧:-1",
                "⟦PUB⟧:abc",
                "⟦PUB⟧:1:2",
                "⟦PUB⟧:",
                "cards:1",
                "arn:aws:connect:us-east-1:aws:view/nope",
                "arn:aws:connect:eu-west-1:aws:view/form",
                "arn:aws:connect:eu-west-1:123456789012:instance/⟦INSTANCE⟧/view/⟦PUB⟧",
                "arn:aws:connect:us-east-1:999999999999:instance/⟦INSTANCE⟧/view/⟦PUB⟧",
                "arn:aws:connect:us-east-1:123456789012:instance/other/view/⟦PUB⟧",
                "arn:aws:s3:::bucket",
                "arn:",
                "arn:aws:connect",
            ),
        ),
        "resourceArn": Hint(
            _one(
                "⟦PUBARN⟧",
                "⟦SAVEDARN⟧",
                "arn:aws:connect:us-east-1:aws:view/form",
                "⟦FLOWARN⟧",
                "⟦MODULEARN⟧",
                instance_arn,
            ),
            _one(
                "⟦PUBARN⟧:1",
                "⟦PUBARN⟧:$LATEST",
                "arn:aws:connect:us-east-1:aws:view/form:1",
                "arn:aws:connect:us-east-1:123456789012:instance/⟦INSTANCE⟧",
                "arn:aws:connect:eu-west-1:123456789012:instance/⟦INSTANCE⟧/view/⟦PUB⟧",
                "arn:aws:connect:us-east-1:123456789012:instance/⟦INSTANCE⟧/view/nope",
                "⟦PUB⟧",
            ),
        ),
        "Template": Hint(
            st.sampled_from(good_templates),
            st.one_of(
                _json_values.map(json.dumps),
                st.just("x" * 409_601),
                st.just(json.dumps({"Head": {}, "Body": [], "Pad": "é" * 204_800})),
            ),
        ),
        "Actions": Hint(_one([], ["Go"], ["CardSelected", "Skip"]), _one(["Go", "Go"], [""])),
        # template and actions drawn together, so that publishable content can be published
        "ViewInputContent": Hint(
            st.sampled_from(
                [{"Template": t, "Actions": a} for t, a, _ in smalls]
                + [{"Template": t, "Actions": a} for t, a in fixtures]
            )
        ),
        "ViewContentSha256": Hint(_one("⟦PUBSHA⟧"), _one("⟦PUBSHAUPPER⟧", "0" * 64, "g" * 64)),
        "ViewVersion": Hint(_one(1, 2, 3), _one(0, -1, 2**31)),
        "Name": Hint(_one("fresh", "Fresh view é", "x", "seed-published", "seed-saved")),
        "Description": Hint(_one("A description", "dé(s)c")),
        "VersionDescription": Hint(_one("v one")),
        "FieldName": Hint(
            _one("name", "description", "resourceId", "Name"), _one("status", "", "bogus")
        ),
        "Value": Hint(_one("seed", "SEED", "", "⟦PUB⟧", "Form", "-pub")),
        "TagKey": Hint(_one("team", "owner", "Team"), _one("aws:x", "AWS:x")),
        "TagValue": Hint(_one("a", "b", "")),
        "NextToken": Hint(_one("⟦TOKEN⟧"), _one("⟦TOKEN⟧x", "AAAA", "bm90LWEtdG9rZW4=")),
        "ClientToken": Hint(st.uuids().map(str), _one("token-1")),
        "ContactFlowId": Hint(
            _one(
                "⟦FLOW⟧",
                "⟦FLOW⟧:$SAVED",
                "⟦FLOW⟧:$LATEST",
                "⟦FLOW⟧:1",
                "⟦FLOWARN⟧",
                "⟦FLOWARN⟧:1",
                "⟦DRAFT⟧",
                "⟦DRAFT⟧:$SAVED",
            ),
            _one("⟦FLOW⟧:0", "⟦FLOW⟧:x", "nope", "⟦MODULEARN⟧", "arn:aws:connect:us-east-1:1:x"),
        ),
        "ContactFlowModuleId": Hint(
            _one("⟦MODULE⟧", "⟦MODULE⟧:$SAVED", "⟦MODULE⟧:1", "⟦MODULEARN⟧"),
            _one("⟦MODULE⟧:0", "nope", "⟦FLOWARN⟧"),
        ),
        "ContactFlowContent": Hint(_one(*FLOW_CONTENTS), _one(*BAD_FLOW_CONTENTS)),
        "ContactFlowModuleContent": Hint(_one(*FLOW_CONTENTS), _one(*BAD_FLOW_CONTENTS)),
        "FlowModuleSettings": Hint(_one("{}", '{"InputParameters":[]}'), _one("x", "[1")),
        "FlowContentSha256": Hint(_one("⟦FLOWSHA⟧"), _one("0" * 64)),
        "FlowModuleContentSha256": Hint(_one("⟦MODULESHA⟧"), _one("0" * 64)),
        "ContactFlowVersion": Hint(_one(1, 2)),
        "ContactFlowModuleVersion": Hint(_one(1, 2)),
        "InstanceAlias": Hint(_one("fresh-alias", "seed-alias", "SEED-ALIAS"), _one("d-abc", "-x")),
        "DirectoryId": Hint(_one("d-0123456789")),
    }


def imagebuilder_hints() -> Hints:
    docs = workflow_documents()
    build_doc = docs["build_workflow_example"]
    good_docs = [SEED_DOCUMENT, SEED_DOCUMENT + "description: changed\n", *docs.values()]
    bad_docs = [
        build_doc.replace("schemaVersion: 1.0", "schemaVersion: 2.0"),
        build_doc.replace("onFailure: Abort", "onFailure: Explode"),
        build_doc.replace("action: ", "action: NoSuchAction", 1),
        "schemaVersion: 1.0\nsteps: []\n",
        "schemaVersion: 1.0\n",
        "- just\n- a list\n",
        "key: [unclosed",
        "!!python/object/apply:os.system ['echo pwned']",
        "schemaVersion: 1.0\nsteps:\n"
        + "".join(f"  - name: S{i}\n    action: WaitForAction\n" for i in range(16)),
    ]
    base = "arn:aws:imagebuilder:us-east-1:123456789012:workflow"
    arn = Hint(
        _one(
            "⟦BUILDARN⟧",
            "⟦VERSIONARN⟧",
            "⟦WILDARN⟧",
            "⟦MAJORARN⟧",
            "⟦BUILDARN2⟧",
            f"{base}/build/nope/1.0.0/1",
            "arn:aws:imagebuilder:us-east-1:aws:workflow/build/build-image/x.x.x",
        ),
        _one(
            f"{base}/build/seed-workflow/1.x.0",
            f"{base}/build/seed-workflow/x.1.x",
            "arn:aws:imagebuilder:us-east-1:aws:workflow/build/build-image/1.0.0/1",
            "arn:aws:imagebuilder:eu-west-1:123456789012:workflow/build/seed-workflow/1.0.0/1",
            f"{base}/test/seed-workflow/1.0.0/1",
            f"{base}/build/seed-workflow/1.0.0/0",
            f"{base}/build/seed-workflow/99999999999.0.0",
            f"{base}/build/Seed/1.0.0/1",
        ),
    )
    component = Hint(
        _one("⟦COMPARN⟧", "⟦COMPVER⟧", "⟦COMPWILD⟧", f"{IB}:component/nope/1.0.0/1"),
        _one(
            f"{IB}:component/seed-component/1.x.0",
            "arn:aws:imagebuilder:us-east-1:aws:component/update-linux/1.0.2/1",
            f"{IB}:component/seed-component/1.0.0/0",
            f"{IB}:workflow/build/seed-workflow/1.0.0/1",
        ),
    )
    recipe = Hint(
        _one("⟦RECIPEARN⟧", f"{IB}:image-recipe/seed-recipe/x.x.x", f"{IB}:image-recipe/no/1.0.0"),
        _one(
            f"{IB}:image-recipe/seed-recipe/x.1.x",
            "arn:aws:imagebuilder:us-east-1:aws:image-recipe/a/1.0.0",
        ),
    )
    infra = Hint(
        _one("⟦INFRAARN⟧", f"{IB}:infrastructure-configuration/nope"),
        _one("arn:aws:imagebuilder:eu-west-1:123456789012:infrastructure-configuration/seed-infra"),
    )
    dist = Hint(
        _one("⟦DISTARN⟧", f"{IB}:distribution-configuration/nope"),
        _one(f"{IB}:infrastructure-configuration/seed-infra"),
    )
    image = Hint(
        _one("⟦IMAGEARN⟧", f"{IB}:image/seed-recipe/1.0.0/9", "⟦IMAGEVER⟧"),
        _one(
            "arn:aws:imagebuilder:us-east-1:aws:image/amazon-linux-2023-x86/x.x.x",
            f"{IB}:image/seed-recipe/1.x.0/1",
        ),
    )
    return {
        "imageBuildVersionArn": image,
        "imageVersionArn": Hint(_one("⟦IMAGEVER⟧", f"{IB}:image/nope/1.0.0"), image.bad),
        "imagePipelineArn": Hint(
            _one("⟦PIPEARN⟧", f"{IB}:image-pipeline/nope"), _one(f"{IB}:image-recipe/a/1.0.0")
        ),
        "workflowExecutionId": Hint(
            _one("⟦WFID⟧", "wf-00000000-0000-4000-8000-000000000000"), _one("wf-x", "step-1")
        ),
        "stepExecutionId": Hint(
            _one("⟦STEPID⟧", "step-00000000-0000-4000-8000-000000000000"), _one("step-x")
        ),
        "executionRole": Hint(_one("arn:aws:iam::123456789012:role/fuzz", "role-name")),
        "workflowArn": arn,
        "componentBuildVersionArn": component,
        "componentVersionArn": Hint(_one("⟦COMPVER⟧", f"{IB}:component/nope/1.0.0"), component.bad),
        "componentArn": component,
        "imageRecipeArn": recipe,
        "infrastructureConfigurationArn": infra,
        "distributionConfigurationArn": dist,
        "parentImage": Hint(
            _one("ami-0123456789abcdef0", "ssm:/aws/service/ami", "prod-abc123"),
            _one("ami-zz", "arn:aws:imagebuilder:us-east-1:aws:component/x/1.0.0/1"),
        ),
        "platform": Hint(_one("Linux", "Windows", "macOS")),
        "instanceProfileName": Hint(_one("EC2InstanceProfileForImageBuilder", "p")),
        "region": Hint(_one("us-east-1", "eu-west-1")),
        "data": Hint(
            st.sampled_from([*good_docs, SEED_COMPONENT]),
            st.sampled_from([*bad_docs, SEED_COMPONENT.replace("ExecuteBash", "Nope")]),
        ),
        "uri": Hint(_one("s3://bucket/doc.yaml"), _one("s3://bucket/missing.yaml", "s3://", "x")),
        "name": Hint(
            _one(
                "seed-workflow",
                "Seed Workflow",
                "seed_workflow",
                "new one",
                "seed-component",
                "seed-recipe",
                "seed-infra",
                "seed-dist",
            )
        ),
        "description": Hint(_one("second build", "another")),
        "changeDescription": Hint(_one("change")),
        "semanticVersion": Hint(
            _one("1.0.0", "1.0.1", "2.0.0", "1073741823.0.0"),
            _one("1073741824.0.0", "1.0", "1.0.x", "01.0.0"),
        ),
        "type": Hint(_one("BUILD", "BUILD", "TEST", "DISTRIBUTION")),
        "workflowBuildVersionArn": arn,
        "workflowVersionArn": arn,
        "workflowVersionArnOrBuildVersionArn": arn,
        "resourceArn": arn,
        "kmsKeyId": Hint(_one("arn:aws:kms:us-east-1:123456789012:key/abc", "alias/x")),
        "clientToken": Hint(st.uuids().map(str), _one("seed-token")),
        "nextToken": Hint(_one("⟦TOKEN⟧"), _one("AAAA", "⟦TOKEN⟧x")),
        "owner": Hint(_one("Self", "Amazon", "Shared")),
        "FilterName": Hint(
            _one("name", "type", "version", "platform", "parentImage"), _one("bogus", "Name")
        ),
        "FilterValues": Hint(
            _one(["BUILD"], ["seed-workflow"], ["1.0.0"]), _one(["x"] * 11, [], ["a", "b"])
        ),
        "TagKey": Hint(_one("team", "owner"), _one("aws:x")),
        "TagValue": Hint(_one("a", "")),
    }


# ---------------------------------------------------------------------------- clients
@functools.cache
def client(service: str, validate: bool) -> Any:
    config = Config(
        parameter_validation=validate,
        retries={"total_max_attempts": 1},
    )
    return boto3.client(
        service,
        region_name=REGION,
        aws_access_key_id="AKIAFUZZFUZZFUZZFUZZ",
        aws_secret_access_key="fuzz",
        config=config,
    )


@functools.cache
def operation_strategy(
    service: str, operation: str, tame: bool
) -> st.SearchStrategy[dict[str, Any]]:
    model = botocore.session.get_session().get_service_model(service)
    shape = model.operation_model(operation).input_shape
    hints = connect_hints() if service == "connect" else imagebuilder_hints()
    strategy: st.SearchStrategy[dict[str, Any]] = shape_strategy(shape, hints, tame)
    return strategy


@functools.cache
def uri_labels(service: str, operation: str) -> tuple[str, ...]:
    model = botocore.session.get_session().get_service_model(service)
    shape = model.operation_model(operation).input_shape
    return tuple(
        name
        for name, member in shape.members.items()
        if member.serialization.get("location") == "uri"
    )


@functools.cache
def modeled_status(service: str) -> dict[str, int]:
    model = botocore.session.get_session().get_service_model(service)
    return {
        shape.metadata.get("error", {}).get("code", shape.name): int(
            shape.metadata.get("error", {}).get("httpStatusCode", 400)
        )
        for shape in model.error_shapes
    }


def _from_plugin(exc: BaseException) -> bool:
    frames = traceback.extract_tb(exc.__traceback__)
    return any(frame.filename.startswith(PACKAGE_DIR) for frame in frames)


def call_and_classify(
    fake: FakeAWS, service: str, validate: bool, operation: str, params: dict[str, Any]
) -> tuple[str, Any]:
    """Send one request; ("ok", response) / ("error", code) / ("unsent", None)."""
    api = client(service, validate)
    method = getattr(api, botocore.xform_name(operation))
    before = len(fake.calls)
    try:
        response = method(**params)
    except ParamValidationError:
        assert validate, "a client without parameter validation raised ParamValidationError"
        assert len(fake.calls) == before
        return "unsent", None
    except ClientError as exc:  # classifying an outcome, not testing that a call raises
        code = exc.response["Error"]["Code"]
        status = exc.response["ResponseMetadata"]["HTTPStatusCode"]
        statuses = modeled_status(service)
        assert code in statuses, f"{operation}: {code} is not an error {service} models"
        assert hasattr(api.exceptions, code)
        assert isinstance(exc, getattr(api.exceptions, code)), type(exc)  # noqa: PT017
        assert status == statuses[code], f"{operation}: {code} came with HTTP {status}"
        assert len(fake.calls) == before + 1, "the failed request was not recorded exactly once"
        last = fake.calls[-1]
        assert (last.operation, last.error_code, last.status_code) == (operation, code, status)
        return "error", code
    except UnhandledOperationError as exc:
        pytest.fail(f"{operation} with {params!r} raised UnhandledOperationError: {exc}")
    except Exception as exc:
        if len(fake.calls) == before and not _from_plugin(exc):
            # botocore refused to serialize a request it was told not to validate
            assert not validate, f"{operation}: validating client raised {exc!r}"  # noqa: PT017
            return "unsent", None
        pytest.fail(
            f"{operation} with {params!r} raised {type(exc).__name__} from the plugin:\n"
            + "".join(traceback.format_exception(exc))
        )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert len(fake.calls) == before + 1
    last = fake.calls[-1]
    assert (last.operation, last.error_code, last.status_code) == (operation, None, 200)
    return "ok", response


def fill_token(service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """Replace ``⟦TOKEN⟧`` by a real token of the same listing (first page of one item)."""
    key, size = ("NextToken", "MaxResults") if service == "connect" else ("nextToken", "maxResults")
    value = params.get(key)
    if not isinstance(value, str) or "⟦TOKEN⟧" not in value:
        return params
    probe = {k: v for k, v in params.items() if k != key}
    probe[size] = 1
    token = "AAAA"
    with contextlib.suppress(ClientError):
        token = getattr(client(service, False), botocore.xform_name(operation))(**probe).get(key)
    return {**params, key: value.replace("⟦TOKEN⟧", token or "AAAA")}


# ---------------------------------------------------------------------------- constraint oracle
#: The error each service answers a request that breaks a constraint of its model with.
VALIDATION_ERROR = {
    "connect": "InvalidParameterException",
    "imagebuilder": "InvalidParameterValueException",
}
#: Shapes whose modeled pattern is a known model bug, not a constraint the service applies:
#: ViewContentSha256 is ``^[a-zA-Z0-9]$`` (one character) for a 64-character SHA-256 digest.
MODEL_BUG_PATTERNS = frozenset({"ViewContentSha256"})


@dataclass(frozen=True)
class Broken:
    """One modeled constraint a request breaks: where, which kind and what the model says."""

    path: str
    kind: str  # "length min/max", "size min/max" (lists, maps), "range min/max", "enum", "pattern"
    detail: str

    def __str__(self) -> str:
        return f"{self.path or '<input>'}: {self.kind} ({self.detail})"


def _ecma_pattern(pattern: str) -> str:
    """A model pattern for the ``regex`` module with Smithy's (ECMA 262) meaning of ``$``.

    Smithy patterns are not implicitly anchored (a search) and ``$`` outside a character class
    is the end of input; Python's ``$`` would also match before a final newline.
    """
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            out.append(r"\Z")
            continue
        out.append(char)
    return "".join(out)


@functools.cache
def _pattern(pattern: str) -> Any:
    return regex.compile(_ecma_pattern(pattern))


def _bounds(kind: str, meta: dict[str, Any], size: int, path: str) -> list[Broken]:
    found = []
    if "min" in meta and size < meta["min"]:
        found.append(Broken(path, f"{kind} min", f"{size} < {meta['min']}"))
    if "max" in meta and size > meta["max"]:
        found.append(Broken(path, f"{kind} max", f"{size} > {meta['max']}"))
    return found


def broken_constraints(shape: Any, value: Any, path: str = "") -> list[Broken]:
    """Every length, range, size, enum and pattern constraint of ``shape`` that ``value`` breaks.

    Written from the botocore model alone (not the plugin's ``validation`` module), so that the
    two cannot share a mistake. Lengths count code points (Smithy's string length). Values of the
    wrong type are left to botocore's serializer and are not judged here.
    """
    kind = shape.type_name
    meta = shape.metadata
    found: list[Broken] = []
    if kind == "structure" and isinstance(value, dict):
        for name, member in shape.members.items():
            if name in value:
                found += broken_constraints(member, value[name], f"{path}.{name}".lstrip("."))
    elif kind == "string" and isinstance(value, str):
        found += _bounds("length", meta, len(value), path)
        enum = getattr(shape, "enum", None)
        if enum and value not in enum:
            found.append(Broken(path, "enum", f"{value[:40]!r} not in {list(enum)}"))
        pattern = meta.get("pattern")
        if pattern and shape.name not in MODEL_BUG_PATTERNS and not _pattern(pattern).search(value):
            found.append(Broken(path, "pattern", f"{value[:40]!r} does not match {pattern}"))
    elif kind in ("integer", "long") and isinstance(value, int) and not isinstance(value, bool):
        found += _bounds("range", meta, value, path)
    elif kind == "list" and isinstance(value, list):
        found += _bounds("size", meta, len(value), path)
        for index, item in enumerate(value):
            found += broken_constraints(shape.member, item, f"{path}[{index}]")
    elif kind == "map" and isinstance(value, dict):
        found += _bounds("size", meta, len(value), path)
        for key, item in value.items():
            found += broken_constraints(shape.key, key, f"{path}.key({key!r:.40})")
            found += broken_constraints(shape.value, item, f"{path}[{key!r:.40}]")
    return found


@functools.cache
def input_shape(service: str, operation: str) -> Any:
    model = botocore.session.get_session().get_service_model(service)
    return model.operation_model(operation).input_shape


def check_constraint_oracle(
    service: str, operation: str, params: dict[str, Any], outcome: str, result: Any
) -> None:
    """A request that breaks a modeled constraint must not succeed: botocore refuses it before
    sending (``unsent``) or the service answers its validation error."""
    broken = broken_constraints(input_shape(service, operation), params)
    if not broken or outcome == "unsent":
        return
    for kind in sorted({b.kind for b in broken}):
        event(f"sent, breaks {kind}")
    expected = VALIDATION_ERROR[service]
    assert (outcome, result) == ("error", expected), (
        f"{operation} answered {'success' if outcome == 'ok' else result} instead of {expected} "
        f"for a request that breaks the model: {'; '.join(map(str, broken))}"
    )


def modeled_bounds(shape: Any, seen: frozenset[str] = frozenset(), depth: int = 0) -> set[str]:
    """The kinds of size and range bounds (``"size max"``, …) in an input shape, where the
    strategies generate values: ``shape_strategy`` leaves out optional members below depth 3
    and keeps lists and maps below depth 2 small."""
    if shape.name in seen:
        return set()
    seen = seen | {shape.name}
    kind = {"list": "size", "map": "size", "integer": "range", "long": "range"}.get(shape.type_name)
    found = {f"{kind} {bound}" for bound in ("min", "max") if kind and bound in shape.metadata}
    if kind == "size" and depth > 2:
        found.discard("size max")  # deep lists and maps stay small (``_sized``)
    children = {
        "structure": lambda: [
            m for n, m in shape.members.items() if n in shape.required_members or depth < 3
        ],
        "list": lambda: [shape.member],
        "map": lambda: [shape.key, shape.value],
    }.get(shape.type_name, list)()
    for child in children:
        found |= modeled_bounds(child, seen, depth + 1)
    return found


#: Bounds the strategies must break, so that the constraint oracle sees them server-side too.
EXERCISED = {"size max", "range min", "range max"}
PROBE_EXAMPLES = 20


def _bounded_operations() -> list[Any]:
    return [
        pytest.param(service, operation, id=f"{service}-{operation}")
        for service, operations in (
            ("connect", CONNECT_OPERATIONS),
            ("imagebuilder", IMAGEBUILDER_OPERATIONS),
        )
        for operation in operations
        if modeled_bounds(input_shape(service, operation)) & EXERCISED
    ]


@pytest.mark.parametrize(("service", "operation"), _bounded_operations())
def test_fuzz_requests_break_modeled_bounds(service: str, operation: str) -> None:
    """The wild strategy of each bounded member generates values past its list and map sizes and
    integer ranges (over-long lists, out-of-range numbers), not only inside them."""
    shape = input_shape(service, operation)
    hints = connect_hints() if service == "connect" else imagebuilder_hints()
    for name, member in shape.members.items():
        wanted = modeled_bounds(member, depth=1) & EXERCISED
        if wanted:
            # the member's strategy exactly as operation_strategy builds it (depth 1, not tame)
            broken = _probe(member, member_strategy(name, member, hints, False, 1))
            missing = wanted - broken
            assert not missing, f"{operation}.{name}: no value of {PROBE_EXAMPLES} breaks {missing}"


def _probe(shape: Any, strategy: st.SearchStrategy[Any]) -> set[str]:
    """The kinds of constraints the first PROBE_EXAMPLES values of a strategy break."""
    broken: set[str] = set()

    @settings(max_examples=PROBE_EXAMPLES, database=None, derandomize=True, deadline=None)
    @given(value=strategy)
    def generate(value: Any) -> None:
        broken.update(b.kind for b in broken_constraints(shape, value))

    generate()
    return broken


# ---------------------------------------------------------------------------- Connect views
def seed_connect(fake: FakeAWS) -> tuple[dict[str, str], dict[str, str]]:
    """Create a published view with a version and a saved view; returns (placeholders, names)."""
    api = client("connect", True)
    fake.add_instance(INSTANCE, region=REGION)  # CreateInstance below makes the region strict
    template, actions = view_fixture_contents()[0]
    pub = api.create_view(
        InstanceId=INSTANCE,
        Name="seed-published",
        Status="PUBLISHED",
        Content={"Template": template, "Actions": actions},
        Tags={"team": "a"},
    )["View"]
    api.create_view_version(InstanceId=INSTANCE, ViewId=pub["Id"])
    api.update_view_content(
        InstanceId=INSTANCE,
        ViewId=pub["Id"],
        Status="SAVED",
        Content={"Template": '{"Head":{},"Body":[]}', "Actions": []},
    )
    saved = api.create_view(
        InstanceId=INSTANCE,
        Name="seed-saved",
        Status="SAVED",
        Content={"Template": "{}", "Actions": []},
        ClientToken="token-1",
    )["View"]
    bare = pub["Arn"].rsplit(":", 1)[0]
    content = FLOW_CONTENTS[0].replace("⟦PUBARN⟧", bare)
    flow = api.create_contact_flow(
        InstanceId=INSTANCE, Name="seed-flow", Type="CONTACT_FLOW", Content=content
    )
    api.create_contact_flow_version(InstanceId=INSTANCE, ContactFlowId=flow["ContactFlowId"])
    draft = api.create_contact_flow(
        InstanceId=INSTANCE, Name="seed-draft", Type="CONTACT_FLOW", Content="{}", Status="SAVED"
    )
    module = api.create_contact_flow_module(
        InstanceId=INSTANCE, Name="seed-module", Content=content
    )
    api.create_contact_flow_module_version(InstanceId=INSTANCE, ContactFlowModuleId=module["Id"])
    api.create_instance(
        IdentityManagementType="SAML",
        InstanceAlias="seed-alias",
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )
    mapping = {
        "INSTANCE": INSTANCE,
        "PUB": pub["Id"],
        "PUBARN": bare,
        "SAVED": saved["Id"],
        "SAVEDARN": saved["Arn"].rsplit(":", 1)[0],
        "PUBSHA": pub["ViewContentSha256"],
        "PUBSHAUPPER": pub["ViewContentSha256"].upper(),
        "FLOW": flow["ContactFlowId"],
        "FLOWARN": flow["ContactFlowArn"],
        "FLOWSHA": flow["FlowContentSha256"],
        "DRAFT": draft["ContactFlowId"],
        "MODULE": module["Id"],
        "MODULEARN": module["Arn"],
        "MODULESHA": flow["FlowContentSha256"],  # the same content
    }
    assert pub["ViewContentSha256"] == content_sha(template, actions)
    return mapping, {pub["Id"]: "seed-published", saved["Id"]: "seed-saved"}


def walk_views(instance: str) -> list[dict[str, Any]]:
    paginator = client("connect", True).get_paginator("list_views")
    return [
        item
        for page in paginator.paginate(InstanceId=instance, PaginationConfig={"PageSize": 5})
        for item in page["ViewsSummaryList"]
    ]


def check_connect_state(expected: dict[str, str]) -> None:
    items = walk_views(INSTANCE)
    managed = [i for i in items if i["Type"] == "AWS_MANAGED"]
    custom = [i for i in items if i["Type"] == "CUSTOMER_MANAGED"]
    assert sorted(i["Id"] for i in managed) == sorted(MANAGED_VIEW_IDS)
    assert items == managed + custom, "AWS_MANAGED views must come first"
    assert {i["Id"]: i["Name"] for i in custom} == expected
    assert [i["Name"] for i in custom] == sorted(i["Name"] for i in custom)


def check_deleted_instance() -> None:
    api = client("connect", True)
    for call in (
        lambda: api.describe_instance(InstanceId=INSTANCE),
        lambda: api.list_views(InstanceId=INSTANCE),
        lambda: api.list_contact_flows(InstanceId=INSTANCE),
        lambda: api.list_contact_flow_modules(InstanceId=INSTANCE),
    ):
        with pytest.raises(api.exceptions.ResourceNotFoundException):
            call()


def check_flow_names(instance: str) -> None:
    """Each listing walks, names are unique in it, and the default flows are all there."""
    api = client("connect", True)
    for operation, key in (
        ("list_contact_flows", "ContactFlowSummaryList"),
        ("list_contact_flow_modules", "ContactFlowModulesSummaryList"),
    ):
        names = [
            item["Name"]
            for page in api.get_paginator(operation).paginate(
                InstanceId=instance, PaginationConfig={"PageSize": 3}
            )
            for item in page[key]
        ]
        assert len(names) == len(set(names)), names
        if key == "ContactFlowSummaryList":
            assert len([n for n in names if n.startswith("Default ")]) == 8


@pytest.mark.parametrize("operation", CONNECT_OPERATIONS)
@FUZZ
@given(data=st.data())
def test_connect_operation_fuzz(operation: str, data: st.DataObject) -> None:
    validate = data.draw(st.booleans(), label="validating client")
    tame = data.draw(st.booleans(), label="mostly valid")
    raw = data.draw(operation_strategy("connect", operation, tame), label="params")
    with FakeAWS() as fake:
        mapping, expected = seed_connect(fake)
        params = fill_token("connect", operation, substitute(raw, mapping))
        outcome, result = call_and_classify(fake, "connect", validate, operation, params)
        event(f"{outcome} {result if outcome == 'error' else ''}".strip())
        check_constraint_oracle("connect", operation, params, outcome, result)
        if outcome == "ok" and params.get("InstanceId") in (INSTANCE, INSTANCE_ARN):
            if operation == "DeleteInstance":
                check_deleted_instance()
                return
            if operation == "CreateView":
                view = result["View"]
                expected.setdefault(view["Id"], view["Name"])
            elif operation == "DeleteView":
                deleted = [k for k, v in mapping.items() if k in ("PUB", "SAVED")]
                view_id = params["ViewId"]
                gone = [mapping[k] for k in deleted if mapping[k] in view_id]
                assert len(gone) == 1, f"DeleteView succeeded for {view_id!r}"
                expected.pop(gone[0])
            elif operation == "UpdateViewMetadata" and "Name" in params:
                view_id = params["ViewId"]
                renamed = [i for i in expected if i in view_id]
                assert len(renamed) == 1
                expected[renamed[0]] = params["Name"]
        check_connect_state(expected)
        check_flow_names(INSTANCE)


# ---------------------------------------------------------------------------- Image Builder
def seed_imagebuilder(fake: FakeAWS) -> tuple[dict[str, str], set[str]]:
    """Create two builds of 1.0.0 and one of 1.1.0; returns placeholders and build ARNs."""
    api = client("imagebuilder", True)
    fake.register_document("s3://bucket/doc.yaml", SEED_DOCUMENT)
    first = api.create_workflow(
        name="seed-workflow",
        semanticVersion="1.0.0",
        type="BUILD",
        data=SEED_DOCUMENT,
        clientToken="seed-token",
    )["workflowBuildVersionArn"]
    second = api.create_workflow(
        name="seed-workflow",
        semanticVersion="1.0.0",
        type="BUILD",
        data=SEED_DOCUMENT,
        description="second build",
    )["workflowBuildVersionArn"]
    other = api.create_workflow(
        name="seed-workflow",
        semanticVersion="1.1.0",
        type="BUILD",
        data=SEED_DOCUMENT,
    )["workflowBuildVersionArn"]
    component = api.create_component(
        name="seed-component", semanticVersion="1.0.0", platform="Linux", data=SEED_COMPONENT
    )["componentBuildVersionArn"]
    recipe = api.create_image_recipe(
        name="seed-recipe",
        semanticVersion="1.0.0",
        parentImage="ami-0123456789abcdef0",
        components=[{"componentArn": component}],
    )["imageRecipeArn"]
    infra = api.create_infrastructure_configuration(
        name="seed-infra", instanceProfileName="EC2InstanceProfileForImageBuilder"
    )["infrastructureConfigurationArn"]
    dist = api.create_distribution_configuration(
        name="seed-dist",
        distributions=[{"region": "us-east-1", "amiDistributionConfiguration": {}}],
    )["distributionConfigurationArn"]
    image = api.create_image(
        imageRecipeArn=recipe,
        infrastructureConfigurationArn=infra,
        workflows=[{"workflowArn": first}],
        executionRole="arn:aws:iam::123456789012:role/fuzz",
    )["imageBuildVersionArn"]
    pipeline = api.create_image_pipeline(
        name="seed-pipeline", imageRecipeArn=recipe, infrastructureConfigurationArn=infra
    )["imagePipelineArn"]
    fake.settle()  # the image waits at its WaitForAction step
    [waiting] = api.list_waiting_workflow_steps()["steps"]
    version_arn = first.rsplit("/", 1)[0]
    mapping = {
        "IMAGEARN": image,
        "IMAGEVER": image.rsplit("/", 1)[0],
        "PIPEARN": pipeline,
        "WFID": waiting["workflowExecutionId"],
        "STEPID": waiting["stepExecutionId"],
        "COMPARN": component,
        "COMPVER": component.rsplit("/", 1)[0],
        "COMPWILD": component.rsplit("/", 2)[0] + "/1.x.x",
        "RECIPEARN": recipe,
        "INFRAARN": infra,
        "DISTARN": dist,
        "BUILDARN": first,
        "BUILDARN2": second,
        "VERSIONARN": version_arn,
        "WILDARN": version_arn.rsplit("/", 1)[0] + "/x.x.x",
        "MAJORARN": version_arn.rsplit("/", 1)[0] + "/1.x.x",
    }
    return mapping, {first, second, other}


def check_imagebuilder_state(builds: set[str]) -> None:
    api = client("imagebuilder", True)
    versions = [
        item
        for page in api.get_paginator("list_workflows").paginate(PaginationConfig={"PageSize": 3})
        for item in page["workflowVersionList"]
    ]
    expected_versions = {arn.rsplit("/", 1)[0] for arn in builds}
    assert {v["arn"] for v in versions} == expected_versions
    listed: set[str] = set()
    for version_arn in expected_versions:
        for page in api.get_paginator("list_workflow_build_versions").paginate(
            workflowVersionArn=version_arn, PaginationConfig={"PageSize": 1}
        ):
            listed |= {b["arn"] for b in page["workflowSummaryList"]}
    assert listed == builds


@pytest.mark.parametrize("operation", IMAGEBUILDER_OPERATIONS)
@FUZZ
@given(data=st.data())
def test_imagebuilder_operation_fuzz(operation: str, data: st.DataObject) -> None:
    if not _has_imagebuilder():
        pytest.skip("the Image Builder backend is not implemented yet")
    validate = data.draw(st.booleans(), label="validating client")
    tame = data.draw(st.booleans(), label="mostly valid")
    raw = data.draw(operation_strategy("imagebuilder", operation, tame), label="params")
    with FakeAWS() as fake:
        mapping, builds = seed_imagebuilder(fake)
        params = fill_token("imagebuilder", operation, substitute(raw, mapping))
        outcome, result = call_and_classify(fake, "imagebuilder", validate, operation, params)
        event(f"{outcome} {result if outcome == 'error' else ''}".strip())
        check_constraint_oracle("imagebuilder", operation, params, outcome, result)
        if outcome == "ok":
            if operation == "CreateWorkflow" and not params.get("dryRun"):
                builds.add(result["workflowBuildVersionArn"])
            elif operation == "DeleteWorkflow":
                assert result["workflowBuildVersionArn"] == params["workflowBuildVersionArn"]
                builds.discard(result["workflowBuildVersionArn"])
        check_imagebuilder_state(builds)


def test_empty_uri_label_is_a_validation_error() -> None:
    with FakeAWS():
        api = client("connect", False)
        with pytest.raises(api.exceptions.InvalidParameterException) as excinfo:
            api.describe_view(InstanceId="", ViewId="abc")
        assert "'InstanceId'" in excinfo.value.response["Error"]["Message"]


def test_lone_surrogate_in_template_is_a_modeled_error() -> None:
    with FakeAWS():
        api = client("connect", True)
        with pytest.raises(api.exceptions.InvalidParameterException):
            api.create_view(
                InstanceId=INSTANCE,
                Name="surrogate",
                Status="SAVED",
                Content={"Template": '{"a":"\ud800"}', "Actions": []},
            )


def test_lone_surrogate_in_workflow_data_is_a_modeled_error() -> None:
    with FakeAWS():
        api = client("imagebuilder", True)
        with pytest.raises(api.exceptions.InvalidParameterValueException):
            api.create_workflow(
                name="surrogate",
                semanticVersion="1.0.0",
                type="BUILD",
                data=SEED_DOCUMENT + "# \ud800\n",
            )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-p", "no:randomly", "-q"]))
