"""Threads hammering one fake: no lost writes, one winner per name, unique version numbers, and a
complete call log in which every thread's calls keep their order.

Each thread gets its own boto3 client (created up front in the main thread, since creating clients
from one session is not thread-safe). Retries are off so one request is exactly one recorded call.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from pytest_connectviews import FakeAWS
from pytest_connectviews.recorder import Call

INSTANCE = "7c0ffee0-0000-4000-8000-0000000000aa"
THREADS = 8
NO_RETRIES = Config(retries={"total_max_attempts": 1}, max_pool_connections=THREADS)
WORKFLOW_DOC = "schemaVersion: 1.0\nsteps:\n  - name: Wait\n    action: WaitForAction\n"


def clients(service: str, count: int = THREADS) -> list[Any]:
    return [boto3.client(service, region_name="us-east-1", config=NO_RETRIES) for _ in range(count)]


def run_threads(work: Callable[[int], Any], count: int = THREADS) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads released together; re-raise the first failure."""
    barrier = threading.Barrier(count)

    def start(i: int) -> Any:
        barrier.wait(timeout=10)
        return work(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(start, range(count), timeout=60))


def code_of(call: Callable[[], Any]) -> str | None:
    try:
        call()
    except ClientError as exc:
        return str(exc.response["Error"]["Code"])
    return None


def template(text: str) -> dict[str, Any]:
    return {"Template": json.dumps({"Head": {"Title": text}, "Body": []}), "Actions": []}


class ThreadTracker:
    """A call observer noting which thread made each call (observers run in the calling thread)."""

    def __init__(self, fake: FakeAWS) -> None:
        self.by_request: dict[str, int] = {}
        self._lock = threading.Lock()
        fake._observe(self)

    def __call__(self, call: Call) -> None:
        with self._lock:
            self.by_request[call.request_id] = threading.get_ident()


def test_same_name_race_has_exactly_one_winner() -> None:
    apis = clients("connect")
    with FakeAWS() as fake:
        for round_ in range(5):
            name = f"contested-{round_}"

            def create(i: int, name: str = name) -> str | None:
                return code_of(
                    lambda: apis[i].create_view(
                        InstanceId=INSTANCE, Name=name, Status="SAVED", Content=template(str(i))
                    )
                )

            codes = run_threads(create)
            assert codes.count(None) == 1, codes
            assert sorted(c for c in codes if c) == ["DuplicateResourceException"] * (THREADS - 1)
        names = [
            v["Name"]
            for v in apis[0].list_views(InstanceId=INSTANCE, Type="CUSTOMER_MANAGED")[
                "ViewsSummaryList"
            ]
        ]
        assert names == [f"contested-{r}" for r in range(5)]
        assert len(fake.calls) == 5 * THREADS + 1


def test_no_lost_writes_and_complete_ordered_call_log() -> None:
    apis = clients("connect")
    per_thread = 12
    with FakeAWS() as fake:
        tracker = ThreadTracker(fake)
        shared = apis[0].create_view(
            InstanceId=INSTANCE, Name="shared", Status="PUBLISHED", Content=template("s")
        )["View"]["Id"]

        def work(i: int) -> tuple[int, list[tuple[str, str]]]:
            api, made = apis[i], []
            for k in range(per_thread):
                name = f"t{i}-v{k:02d}"
                view = api.create_view(
                    InstanceId=INSTANCE, Name=name, Status="SAVED", Content=template(name)
                )["View"]
                made.append(("CreateView", name))
                api.update_view_content(
                    InstanceId=INSTANCE,
                    ViewId=view["Id"],
                    Status="PUBLISHED",
                    Content=template(name + "-published"),
                )
                made.append(("UpdateViewContent", view["Id"]))
                api.describe_view(InstanceId=INSTANCE, ViewId=shared)
                made.append(("DescribeView", shared))
                api.list_views(InstanceId=INSTANCE, MaxResults=5)
                made.append(("ListViews", INSTANCE))
            return threading.get_ident(), made

        results = run_threads(work)
        calls = list(fake.calls)[1:]
        # complete: every request is recorded once
        assert len(calls) == sum(len(made) for _, made in results) == THREADS * per_thread * 4
        assert len({c.request_id for c in calls}) == len(calls)
        # ordered: each thread's calls appear in the log in the order it made them
        for ident, made in results:
            mine = [c for c in calls if tracker.by_request[c.request_id] == ident]
            keys = [
                (c.operation, c.params.get("Name") or c.params.get("ViewId") or INSTANCE)
                for c in mine
            ]
            assert keys == made
        # no lost writes: every view exists, published with its last content
        listed = [
            v
            for page in apis[0]
            .get_paginator("list_views")
            .paginate(InstanceId=INSTANCE, Type="CUSTOMER_MANAGED")
            for v in page["ViewsSummaryList"]
        ]
        expected = sorted([f"t{i}-v{k:02d}" for i in range(THREADS) for k in range(per_thread)])
        assert [v["Name"] for v in listed] == sorted([*expected, "shared"])
        assert all(v["Status"] == "PUBLISHED" for v in listed)
        for item in listed:
            if item["Name"] != "shared":
                view = apis[0].describe_view(InstanceId=INSTANCE, ViewId=item["Id"])["View"]
                published = template(item["Name"] + "-published")
                assert view["Content"]["Template"] == published["Template"]


def test_concurrent_publish_and_version_never_duplicates_numbers() -> None:
    apis = clients("connect")
    rounds = 10
    with FakeAWS() as fake:
        view_id = apis[0].create_view(
            InstanceId=INSTANCE, Name="versioned", Status="PUBLISHED", Content=template("v0")
        )["View"]["Id"]

        def work(i: int) -> list[tuple[int, str]]:
            seen = []
            for k in range(rounds):
                apis[i].update_view_content(
                    InstanceId=INSTANCE,
                    ViewId=view_id,
                    Status="PUBLISHED",
                    Content=template(f"{i}-{k}"),
                )
                view = apis[i].create_view_version(InstanceId=INSTANCE, ViewId=view_id)["View"]
                seen.append((view["Version"], view["ViewContentSha256"]))
            return seen

        returned = [pair for seen in run_threads(work) for pair in seen]
        versions = [
            v
            for page in apis[0]
            .get_paginator("list_view_versions")
            .paginate(InstanceId=INSTANCE, ViewId=view_id)
            for v in page["ViewVersionSummaryList"]
        ]
        numbers = [v["Version"] for v in versions]
        assert numbers == sorted(set(numbers), reverse=True), "duplicate or unsorted versions"
        assert numbers == list(range(len(numbers), 0, -1)), "no deletes, so no gaps"
        assert {n for n, _ in returned} == set(numbers)
        # a number always stands for one content, whoever got it back
        sha_of: dict[int, str] = {}
        for number, sha in returned:
            assert sha_of.setdefault(number, sha) == sha, f"version {number} has two contents"
        for number, sha in sha_of.items():
            described = apis[0].describe_view(InstanceId=INSTANCE, ViewId=f"{view_id}:{number}")
            assert described["View"]["ViewContentSha256"] == sha
        assert len(fake.calls) == 1 + THREADS * rounds * 2 + len(sha_of) + 1


def test_concurrent_workflow_creates() -> None:
    pytest.importorskip("pytest_connectviews.services.imagebuilder.workflows")
    apis = clients("imagebuilder")
    with FakeAWS() as fake:

        def identical(i: int) -> str | None:
            return code_of(
                lambda: apis[i].create_workflow(
                    name="race", semanticVersion="1.0.0", type="BUILD", data=WORKFLOW_DOC
                )
            )

        codes = run_threads(identical)
        assert codes.count(None) == 1, codes
        assert sorted(c for c in codes if c) == ["ResourceAlreadyExistsException"] * (THREADS - 1)

        def changed(i: int) -> str:
            arn: str = apis[i].create_workflow(
                name="race",
                semanticVersion="1.0.0",
                type="BUILD",
                data=WORKFLOW_DOC,
                description=f"thread {i}",
            )["workflowBuildVersionArn"]
            apis[i].get_workflow(workflowBuildVersionArn=arn)
            return arn

        arns = run_threads(changed)
        builds = sorted(int(a.rsplit("/", 1)[1]) for a in arns)
        assert builds == list(range(2, THREADS + 2)), "each changed create is its own build"
        listed = apis[0].list_workflow_build_versions(workflowVersionArn=arns[0].rsplit("/", 1)[0])[
            "workflowSummaryList"
        ]
        assert [int(b["arn"].rsplit("/", 1)[1]) for b in listed] == list(range(THREADS + 1, 0, -1))
        assert len(fake.calls) == THREADS * 3 + 1
