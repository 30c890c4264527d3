"""Threads sharing one fake lose nothing: every backend operation is atomic (SPEC §2)."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from pytest_connectviews import FakeAWS
from pytest_connectviews.services.connect import views as connect_views

INSTANCE = "threads-instance"
CONTENT = {"Template": json.dumps({"Head": {}, "Body": []}), "Actions": []}
THREADS = 8
PER_THREAD = 40
NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})


@pytest.fixture(scope="module")
def clients() -> list[Any]:
    """One client per thread, created up front (creating clients is not thread-safe; using them is).

    Clients outlive fakes: the seam routes each request to whichever fake is active.
    """
    session = boto3.session.Session()
    return [
        session.client("connect", region_name="us-east-1", config=NO_RETRY) for _ in range(THREADS)
    ]


def test_threads_creating_hundreds_of_views_lose_none(
    connectviews: FakeAWS, clients: list[Any]
) -> None:
    barrier = threading.Barrier(THREADS)

    def work(index: int) -> list[str]:
        client = clients[index]
        barrier.wait()
        return [
            client.create_view(
                InstanceId=INSTANCE,
                Name=f"t{index}-v{n:03d}",
                Status="PUBLISHED" if n % 2 else "SAVED",
                Content=CONTENT,
            )["View"]["Id"]
            for n in range(PER_THREAD)
        ]

    with ThreadPoolExecutor(THREADS) as pool:
        created = [view_id for ids in pool.map(work, range(THREADS)) for view_id in ids]

    total = THREADS * PER_THREAD
    assert len(set(created)) == total
    listed = (
        clients[0]
        .get_paginator("list_views")
        .paginate(InstanceId=INSTANCE, Type="CUSTOMER_MANAGED")
        .build_full_result()["ViewsSummaryList"]
    )
    assert sorted(v["Id"] for v in listed) == sorted(created)
    assert [v["Name"] for v in listed] == sorted(
        f"t{i}-v{n:03d}" for i in range(THREADS) for n in range(PER_THREAD)
    )
    assert len(connectviews.calls) == total + len(connectviews.calls.filter("ListViews"))
    assert connectviews.calls.count("CreateView", ok=True) == total


@pytest.mark.parametrize("round_", range(2))
def test_threads_racing_for_one_name_exactly_one_wins(
    connectviews: FakeAWS, clients: list[Any], monkeypatch: pytest.MonkeyPatch, round_: int
) -> None:
    barrier = threading.Barrier(THREADS)

    def work(index: int) -> str:
        barrier.wait()
        try:
            clients[index].create_view(
                InstanceId=INSTANCE, Name="contested", Status="SAVED", Content=CONTENT
            )
        except ClientError as exc:
            return str(exc.response["Error"]["Code"])
        return "created"

    clients[0].list_views(InstanceId=INSTANCE)  # the instance exists: only the name is contested
    # Widen the window between the name check and the insert (content is hashed in between),
    # so an operation that was not atomic would let several threads create the name.
    real_sha = connect_views.content_sha256

    def slow_sha(template: str, actions: list[str]) -> str:
        time.sleep(0.005)
        return real_sha(template, actions)

    monkeypatch.setattr(connect_views, "content_sha256", slow_sha)
    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(work, range(THREADS)))

    assert outcomes.count("created") == 1
    assert sorted(outcomes)[:-1] == ["DuplicateResourceException"] * (THREADS - 1)
    listed = clients[0].list_views(InstanceId=INSTANCE, Type="CUSTOMER_MANAGED")
    assert [v["Name"] for v in listed["ViewsSummaryList"]] == ["contested"]
    assert connectviews.calls.count("CreateView", error_code="DuplicateResourceException") == 7
    assert len(connectviews.calls) == THREADS + 2
