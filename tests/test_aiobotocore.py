"""aiobotocore clients, in-process like botocore's: same fake, same calls, faults, virtual backoff.

Skipped when aiobotocore is not installed (the default ``test`` extra has no aiobotocore, whose
pins on botocore would hold the newest-everything environment back); the ``aio`` and ``aioboto3``
tox environments set ``CONNECTVIEWS_REQUIRE_AIO=1``, which turns that skip into a failure.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

if os.environ.get("CONNECTVIEWS_REQUIRE_AIO") != "1":  # the aio tox envs require it
    pytest.importorskip(
        "aiobotocore", reason="aiobotocore is not installed (pip install -e '.[aio]')"
    )
import aiobotocore.httpsession
import aiobotocore.session

from pytest_connectviews import BlockedRequestError, FakeAWS, SeamError

pytestmark = pytest.mark.anyio

CONTENT = {"Template": '{"Head":{},"Body":[]}', "Actions": []}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Leak(AssertionError):
    """A request tried to leave the process."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[list[str]]:
    """No credentials configured, and every way out of the process refused and recorded."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED", raising=False)  # the probe would run
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    seen: list[str] = []

    def refuse(what: str) -> Any:
        def blocked(*args: Any, **kwargs: Any) -> Any:
            seen.append(what)
            raise Leak(f"{what} called")

        return blocked

    monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(
        aiobotocore.httpsession.AIOHTTPSession, "send", refuse("AIOHTTPSession.send")
    )
    yield seen
    assert seen == [], "a request tried to leave the process"


def client(service: str, mode: str | None = None, attempts: int | None = None) -> Any:
    retries: dict[str, Any] = {}
    if mode:
        retries["mode"] = mode
    if attempts:
        retries["total_max_attempts"] = attempts
    config = Config(retries=retries) if retries else None
    return aiobotocore.session.get_session().create_client(
        service, region_name="us-east-1", config=config
    )


async def test_create_describe_list_and_paginate(connectviews: FakeAWS) -> None:
    instance = connectviews.add_instance()
    async with client("connect") as connect:
        view = (
            await connect.create_view(
                InstanceId=instance, Name="Form", Status="PUBLISHED", Content=CONTENT
            )
        )["View"]
        assert view["Arn"].endswith(":$LATEST")
        described = await connect.describe_view(InstanceId=instance, ViewId=view["Id"])
        assert described["View"]["Name"] == "Form"
        listed = await connect.list_views(InstanceId=instance, Type="CUSTOMER_MANAGED")
        assert [v["Name"] for v in listed["ViewsSummaryList"]] == ["Form"]
        pages = [
            page
            async for page in connect.get_paginator("list_views").paginate(
                InstanceId=instance, PaginationConfig={"PageSize": 2}
            )
        ]
    names = [v["Name"] for page in pages for v in page["ViewsSummaryList"]]
    assert len(names) == 7  # six AWS-managed views and ours
    assert "Form" in names
    assert all(len(page["ViewsSummaryList"]) <= 2 for page in pages)
    assert connectviews.calls.operations[:3] == ["CreateView", "DescribeView", "ListViews"]


async def test_imagebuilder_is_answered_too(connectviews: FakeAWS) -> None:
    async with client("imagebuilder") as imagebuilder:
        listed = await imagebuilder.list_workflows(owner="Amazon")
    assert listed["workflowVersionList"]
    assert connectviews.calls.one("ListWorkflows").service == "imagebuilder"


async def test_modeled_errors_are_raised_as_their_classes(connectviews: FakeAWS) -> None:
    instance = connectviews.add_instance()
    async with client("connect") as connect:
        await connect.create_view(InstanceId=instance, Name="a", Status="SAVED", Content=CONTENT)
        with pytest.raises(connect.exceptions.DuplicateResourceException) as exc:
            await connect.create_view(
                InstanceId=instance, Name="a", Status="SAVED", Content=CONTENT
            )
        assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
        with pytest.raises(connect.exceptions.ResourceNotFoundException):
            await connect.describe_view(InstanceId=instance, ViewId="0" * 36)


@pytest.mark.parametrize("mode", ["legacy", "standard", "adaptive"])
async def test_retries_back_off_on_the_fake_clock(
    connectviews: FakeAWS, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance = connectviews.add_instance()
    connectviews.throttle(rate=0, burst=0, service="connect")
    real_sleep = asyncio.sleep
    slept: list[float] = []

    async def recording_sleep(delay: float, *args: Any) -> Any:
        slept.append(delay)
        return await real_sleep(0, *args)

    monkeypatch.setattr(asyncio, "sleep", recording_sleep)
    async with client("connect", mode, 4) as connect:
        with pytest.raises(connect.exceptions.TooManyRequestsException):
            await connect.list_views(InstanceId=instance)
    assert [c.attempt for c in connectviews.calls] == [1, 2, 3, 4]
    assert connectviews.clock.slept > 0.5
    assert [d for d in slept if d > 0] == []  # three backoffs, none awaited in real time


@pytest.mark.parametrize("mode", ["legacy", "standard"])
async def test_async_and_sync_clients_draw_the_same_seeded_jitter(mode: str) -> None:
    """The same scenario, one fake per client kind: the same virtual backoff to the digit."""

    def scenario(fake: FakeAWS) -> str:
        fake.clock.freeze()
        fake.inject_error("ListViews", "TooManyRequestsException", times=3)
        return fake.add_instance()

    with FakeAWS(seed=4) as fake:
        instance = scenario(fake)
        sync = boto3.client(
            "connect",
            region_name="us-east-1",
            config=Config(retries={"mode": mode, "total_max_attempts": 4}),
        )
        sync.list_views(InstanceId=instance)
        expected = fake.clock.slept
    with FakeAWS(seed=4) as fake:
        instance = scenario(fake)
        async with client("connect", mode, 4) as connect:
            await connect.list_views(InstanceId=instance)
        assert fake.clock.slept == expected > 0


async def test_passthrough_off_blocks_other_services(connectviews: FakeAWS) -> None:
    connectviews.passthrough = False
    session = aiobotocore.session.get_session()
    # explicit keys: for other services the credential chain runs as usual (metadata probe too)
    async with session.create_client(
        "s3", region_name="us-east-1", aws_access_key_id="AKID", aws_secret_access_key="secret"
    ) as s3:
        with pytest.raises(BlockedRequestError, match="connectviews: a request to AWS service"):
            await s3.list_buckets()


async def test_sync_and_async_clients_share_one_fake(connectviews: FakeAWS) -> None:
    instance = connectviews.add_instance()
    sync = boto3.client("connect", region_name="us-east-1")
    created = sync.create_view(InstanceId=instance, Name="Both", Status="SAVED", Content=CONTENT)
    async with client("connect") as connect:
        described = await connect.describe_view(
            InstanceId=instance, ViewId=created["View"]["Id"] + ":$SAVED"
        )
        await connect.delete_view(InstanceId=instance, ViewId=created["View"]["Id"])
    assert described["View"]["Name"] == "Both"
    with pytest.raises(sync.exceptions.ResourceNotFoundException):
        sync.describe_view(InstanceId=instance, ViewId=created["View"]["Id"] + ":$SAVED")
    assert connectviews.calls.operations == [
        "CreateView",
        "DescribeView",
        "DeleteView",
        "DescribeView",
    ]


async def test_injected_errors_and_quotas_apply_to_async_clients(connectviews: FakeAWS) -> None:
    instance = connectviews.add_instance()
    connectviews.set_quota("connect.views_per_instance", 1)
    connectviews.inject_error("CreateView", "InternalServiceException", times=1)
    async with client("connect", "standard", 1) as connect:
        with pytest.raises(connect.exceptions.InternalServiceException):
            await connect.create_view(
                InstanceId=instance, Name="a", Status="SAVED", Content=CONTENT
            )
        await connect.create_view(InstanceId=instance, Name="a", Status="SAVED", Content=CONTENT)
        with pytest.raises(connect.exceptions.ServiceQuotaExceededException):
            await connect.create_view(
                InstanceId=instance, Name="b", Status="SAVED", Content=CONTENT
            )
    assert [c.source for c in connectviews.calls] == ["injected", "backend", "backend"]


def run(script: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AWS_EC2_METADATA_DISABLED": "true"}
    env.pop("AWS_ACCESS_KEY_ID", None)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


def test_aiobotocore_imported_after_the_fake_started_is_answered() -> None:
    done = run(
        """
        import asyncio, sys
        from pytest_connectviews import FakeAWS

        fake = FakeAWS().start()
        assert "aiobotocore" not in sys.modules  # nothing imported from aiobotocore by us
        from aiobotocore.session import get_session

        async def main():
            async with get_session().create_client("connect", region_name="us-east-1") as c:
                out = await c.list_views(InstanceId=fake.add_instance())
            print(len(out["ViewsSummaryList"]), fake.calls.operations)

        asyncio.run(main())
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "6 ['ListViews']"


def test_a_changed_aiobotocore_internal_fails_loudly_at_activation() -> None:
    done = run(
        """
        import aiobotocore.endpoint
        from botocore.endpoint import Endpoint
        from pytest_connectviews import FakeAWS, SeamError

        # planted: the async retry check replaced by botocore's synchronous one
        aiobotocore.endpoint.AioEndpoint._needs_retry = Endpoint._needs_retry
        send = aiobotocore.endpoint.AioEndpoint._send
        try:
            FakeAWS().start()
        except SeamError as exc:
            assert aiobotocore.endpoint.AioEndpoint._send is send, "patched anyway"
            print(exc)
        """
    )
    assert done.returncode == 0, done.stderr
    assert "connectviews: cannot fake requests with the installed aiobotocore" in done.stdout
    assert "AioEndpoint._needs_retry is not a coroutine function" in done.stdout
    assert SeamError.__module__ == "pytest_connectviews.errors"


async def test_shortcuts_change_no_byte_of_an_async_clients_requests(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The User-Agent memo, the SigV4 shortcuts and the response headers serve aiobotocore's
    # clients too; with and without them, every request and response is the same bytes.
    import datetime as dt

    import botocore.auth

    from pytest_connectviews._transport import shortcuts
    from tests.test_shortcuts import INSTANCE, Frozen, Request

    def record(client: Any, seen: list[Request]) -> None:
        def before_send(request: Any, **_: Any) -> None:
            body = request.body or b""
            body = body.encode() if isinstance(body, str) else bytes(body)
            seen.append((request.method, request.url, body, tuple(request.headers.items())))

        async def after_call(http_response: Any, **_: Any) -> None:
            content = await http_response.content
            headers = tuple(http_response.headers.items())
            seen.append(("response", str(http_response.status_code), content, headers))

        client.meta.events.register_last("before-send", before_send)
        client.meta.events.register_last("after-call", after_call)

    frozen = Frozen(monkeypatch)
    keys = {"aws_access_key_id": "AKIAEXAMPLEKEY", "aws_secret_access_key": "secret-one"}

    async def calls() -> list[Request]:
        seen: list[Request] = []
        session = aiobotocore.session.get_session()
        configs = [
            None,
            Config(retries={"mode": "standard"}),
            Config(retries={"mode": "adaptive"}),
            Config(user_agent_appid="my-app", user_agent_extra="extra/1.0"),
        ]
        for config in configs:
            async with session.create_client(
                "connect", region_name="us-east-1", config=config, **keys
            ) as connect:
                record(connect, seen)
                await connect.list_views(InstanceId=INSTANCE)
                await connect.list_views(InstanceId=INSTANCE)  # a memo hit
                async for _ in connect.get_paginator("list_views").paginate(InstanceId=INSTANCE):
                    pass
                memo = vars(connect._user_agent_creator)[shortcuts._MEMO_ATTR]
                assert bool(memo) is shortcuts.ENABLED  # the memo served this client (AioConfig)
        async with session.create_client("imagebuilder", region_name="eu-west-2") as builder:
            record(builder, seen)  # the fake's dummy credentials (none are configured)
            await builder.list_workflows()
            frozen.now += dt.timedelta(days=1)
            await builder.list_workflows()
        return seen

    runs = []
    for enabled in (True, False):
        monkeypatch.setattr(shortcuts, "ENABLED", enabled)
        frozen.restart()
        shortcuts._signing_keys.clear()
        with FakeAWS() as fake:
            fake.clock.freeze(1_770_000_000.0)
            runs.append(await calls())
            kept = len(shortcuts._signing_keys)
        assert kept >= (2 if enabled else 0)  # the fast signer ran only with the shortcuts on
    fast, slow = runs
    assert len(fast) == len(slow) > 20
    for number, (a, b) in enumerate(zip(fast, slow, strict=True)):
        assert a == b, f"request {number} differs"
    agents = {dict(r[3])["User-Agent"] for r in fast if r[0] != "response"}
    assert len(agents) >= 4
    assert botocore.auth.get_current_datetime() == frozen.now
