"""Stateful test of the Image Builder workflows API against an independent model (SPEC §5).

Hypothesis drives random sequences of CreateWorkflow (new keys, changed and identical
configurations, names that normalize to the same ARN segment), GetWorkflow by build, version and
wildcard ARN, DeleteWorkflow and ListWorkflowBuildVersions through a real boto3 client; after every
step ListWorkflows must list exactly the versions the model holds, in SPEC order.
"""

from __future__ import annotations

import functools
import itertools
import os
from typing import Any

import boto3
import pytest
from _refmodel import (
    RefBuild,
    RefWorkflows,
    RefWorkflowVersion,
    normalize_workflow_name,
    parse_workflow_arn,
    version_key,
)
from botocore.config import Config
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, multiple, rule

from pytest_connectviews import FakeAWS

pytestmark = pytest.mark.filterwarnings(
    "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"
)

REGION = "us-east-1"
ACCOUNT = "123456789012"
#: "Wf One" and "wf_one" normalize to the same ARN segment as "wf-one".
NAMES = ["wf-one", "Wf One", "wf_one", "other"]
VERSIONS = ["1.0.0", "1.0.1", "1.2.0", "2.0.0"]
DOCUMENTS = [
    "schemaVersion: 1.0\nsteps:\n  - name: Wait\n    action: WaitForAction\n",
    "schemaVersion: 1.0\nsteps:\n  - name: Wait\n    action: WaitForAction\n"
    "    timeoutSeconds: 60\n",
]


@functools.cache
def imagebuilder() -> Any:
    return boto3.client(
        "imagebuilder",
        region_name=REGION,
        config=Config(retries={"total_max_attempts": 1}),
    )


def error_code(exc: ClientError) -> str:
    return str(exc.response["Error"]["Code"])


class WorkflowsMachine(RuleBasedStateMachine):
    """One account and region, driven by random operations, mirrored by ``RefWorkflows``."""

    builds = Bundle("builds")

    def __init__(self) -> None:
        super().__init__()
        self.fake = FakeAWS(region=REGION, account_id=ACCOUNT).start()
        self.model = RefWorkflows(REGION, ACCOUNT)
        #: normalized name -> the verbatim names created under it
        self.aliases: dict[str, set[str]] = {}

    def teardown(self) -> None:
        self.fake.stop()

    def call(self, method: str, **params: Any) -> tuple[dict[str, Any] | None, str | None]:
        try:
            return getattr(imagebuilder(), method)(**params), None
        except ClientError as exc:
            return None, error_code(exc)

    # ------------------------------------------------------------------ rules
    @rule(
        target=builds,
        name=st.sampled_from(NAMES),
        version=st.sampled_from(VERSIONS),
        wtype=st.sampled_from(["BUILD", "TEST"]),
        document=st.sampled_from(DOCUMENTS),
        description=st.sampled_from([None, "first", "second"]),
    )
    def create(
        self, name: str, version: str, wtype: str, document: str, description: str | None
    ) -> Any:
        params: dict[str, Any] = {
            "name": name,
            "semanticVersion": version,
            "type": wtype,
            "data": document,
        }
        if description is not None:
            params["description"] = description
        response, code = self.call("create_workflow", **params)
        key = self.model.key(wtype, name, version)
        entry = self.model.versions.get(key)
        config = (document, description)
        if entry is not None and entry.builds:
            newest = entry.builds[max(entry.builds)]
            if newest.config == config:
                assert code == "ResourceAlreadyExistsException", code
                return multiple()
        assert code is None, code
        assert response is not None
        arn = response["workflowBuildVersionArn"]
        parts = parse_workflow_arn(arn)
        assert parts is not None, arn
        assert (parts["region"], parts["account"], parts["type"]) == (
            REGION,
            ACCOUNT,
            wtype.lower(),
        )
        assert parts["name"] == normalize_workflow_name(name)
        assert parts["version"] == version
        number = int(parts["build"])
        if entry is None:
            entry = self.model.versions[key] = RefWorkflowVersion(wtype, name, version)
        if not entry.issued:
            assert number == 1, "a new workflow version starts at build 1"
        elif entry.builds:
            # SPEC: the next build; numbers already issued for this version are not reused
            assert number == max(entry.issued) + 1, (number, entry.issued)
        else:
            # every build of this version was deleted: SPEC does not say whether numbering restarts
            assert number == 1 or number == max(entry.issued) + 1, (number, entry.issued)
            if number == 1:
                entry.issued = []  # a fresh version: later builds count from here
        assert number not in entry.builds
        entry.builds[number] = RefBuild(number, config, description)
        entry.issued.append(number)
        self.aliases.setdefault(normalize_workflow_name(name), set()).add(name)
        refs = response["latestVersionReferences"]
        base = arn.rsplit("/", 2)[0]
        major, minor, _ = version.split(".")
        assert refs == {
            "latestVersionArn": f"{base}/x.x.x",
            "latestMajorVersionArn": f"{base}/{major}.x.x",
            "latestMinorVersionArn": f"{base}/{major}.{minor}.x",
            "latestPatchVersionArn": f"{base}/{version}",
        }
        return arn

    @rule(arn=builds, form=st.sampled_from(["build", "version", "x.x.x", "M.x.x", "M.m.x"]))
    def get(self, arn: str, form: str) -> None:
        parts = parse_workflow_arn(arn)
        assert parts is not None
        major, minor, _ = parts["version"].split(".")
        pattern = {
            "build": parts["version"],
            "version": parts["version"],
            "x.x.x": "x.x.x",
            "M.x.x": f"{major}.x.x",
            "M.m.x": f"{major}.{minor}.x",
        }[form]
        base = arn.rsplit("/", 2)[0]
        target = arn if form == "build" else f"{base}/{pattern}"
        response, code = self.call("get_workflow", workflowBuildVersionArn=target)
        wtype = parts["type"].upper()
        if form == "build":
            entry = self.model.versions.get((wtype, parts["name"], parts["version"]))
            number = int(parts["build"])
            if entry is None or number not in entry.builds:
                assert code == "ResourceNotFoundException", code
                return
            expected = (entry, number)
        else:
            resolved = self.model.resolve(wtype, parts["name"], pattern)
            if resolved is None:
                assert code == "ResourceNotFoundException", code
                return
            expected = resolved
        entry, number = expected
        assert code is None, code
        assert response is not None
        workflow = response["workflow"]
        build = entry.builds[number]
        assert workflow["arn"] == self.model.build_arn(wtype, parts["name"], entry.version, number)
        assert workflow["version"] == entry.version
        assert workflow["type"] == wtype
        assert workflow["data"] == build.config[0], "data must come back byte for byte"
        assert workflow.get("description") == build.description
        assert workflow["owner"] == ACCOUNT
        assert workflow["name"] in self.aliases[parts["name"]]
        assert workflow["tags"] == {}

    @rule(arn=builds)
    def delete(self, arn: str) -> None:
        response, code = self.call("delete_workflow", workflowBuildVersionArn=arn)
        parts = parse_workflow_arn(arn)
        assert parts is not None
        entry = self.model.versions.get((parts["type"].upper(), parts["name"], parts["version"]))
        number = int(parts["build"])
        if entry is None or number not in entry.builds:
            assert code == "ResourceNotFoundException", code
            return
        assert code is None, code
        assert response is not None
        assert response["workflowBuildVersionArn"] == arn
        del entry.builds[number]

    @rule(arn=builds, page=st.integers(1, 3), wildcard=st.booleans())
    def list_builds(self, arn: str, page: int, wildcard: bool) -> None:
        parts = parse_workflow_arn(arn)
        assert parts is not None
        major = parts["version"].split(".")[0]
        base = arn.rsplit("/", 2)[0]
        pattern = f"{major}.x.x" if wildcard else parts["version"]
        pages = (
            imagebuilder()
            .get_paginator("list_workflow_build_versions")
            .paginate(workflowVersionArn=f"{base}/{pattern}", PaginationConfig={"PageSize": page})
        )
        got = [item["arn"] for p in pages for item in p["workflowSummaryList"]]
        wtype = parts["type"].upper()
        matching = [
            v
            for (t, n, ver), v in self.model.versions.items()
            if t == wtype
            and n == parts["name"]
            and all(p in ("x", q) for p, q in zip(pattern.split("."), ver.split("."), strict=True))
        ]
        expected = {
            self.model.build_arn(wtype, parts["name"], v.version, b)
            for v in matching
            for b in v.builds
        }
        assert set(got) == expected
        assert len(got) == len(expected), "a build was listed twice"
        for v in matching:  # newest build first within a version
            mine = [a for a in got if a.rsplit("/", 1)[0].endswith("/" + v.version)]
            numbers = [int(a.rsplit("/", 1)[1]) for a in mine]
            assert numbers == sorted(numbers, reverse=True)

    # ------------------------------------------------------------------ invariants
    @invariant()
    def list_workflows_matches_model(self) -> None:
        pages = (
            imagebuilder()
            .get_paginator("list_workflows")
            .paginate(PaginationConfig={"PageSize": 2})
        )
        items = [item for p in pages for item in p["workflowVersionList"]]
        expected = {self.model.version_arn(v.type, v.name, v.version) for v in self.model.live()}
        got = [i["arn"] for i in items]
        assert set(got) == expected
        assert len(got) == len(expected), "a version was listed twice"
        for item in items:
            assert item["owner"] == ACCOUNT
            assert item["arn"].endswith("/" + item["version"])
        # sorted by name, then newest version first (for one name and type)
        norms = [i["arn"].split("/")[2] for i in items]
        assert norms == sorted(norms)
        for a, b in itertools.pairwise(items):
            same = a["arn"].rsplit("/", 1)[0] == b["arn"].rsplit("/", 1)[0]
            if same:
                assert version_key(a["version"]) > version_key(b["version"])


WorkflowsMachine.TestCase.settings = settings(
    max_examples=int(os.environ.get("CONNECTVIEWS_STATE_EXAMPLES", "30")),
    stateful_step_count=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestWorkflowsStateMachine = WorkflowsMachine.TestCase
