"""The per-call shortcuts change nothing: what the fake receives and returns is byte-identical.

Each scenario runs twice in the same process, with ``shortcuts.ENABLED`` and without, on a clock
and invocation ids frozen alike; every request that reaches the fake (method, URL, body and every
header in order: ``User-Agent``, ``Authorization``, ``X-Amz-Date``, ``amz-sdk-*``, ...) and every
response botocore receives (status, body, headers in order) must be the same bytes. The inputs
vary everything the User-Agent and the signature are built from: feature ids (paginator, endpoint
override, a feature registered between the two User-Agent builds, retry modes), app id, user
agent extra and override, the session's name/version/extra, a config changed in place between
calls, session tokens, regions, services, secrets and the signing date. The suite's
``tox -e oldest`` run repeats this on the oldest supported botocore.
"""

from __future__ import annotations

import datetime as dt
import itertools
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import botocore.auth
import botocore.endpoint
import botocore.session
import botocore.useragent
import pytest
from botocore.config import Config

from pytest_connectviews import FakeAWS
from pytest_connectviews._transport import shortcuts

INSTANCE = "11111111-2222-3333-4444-555555555555"
KEYS = {"aws_access_key_id": "AKIAEXAMPLEKEY", "aws_secret_access_key": "secret-one"}
Request = tuple[str, str, bytes, tuple[tuple[str, Any], ...]]


def header(request: Request, name: str) -> str:
    value = dict(request[3])[name]
    return value.decode() if isinstance(value, bytes) else str(value)


class Frozen:
    """botocore's signing clock and invocation ids, the same in both runs."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = dt.datetime(2026, 3, 4, 5, 6, 7)
        self._ids: Iterator[int] = itertools.count(1)
        monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: self.now)
        monkeypatch.setattr(botocore.endpoint.uuid, "uuid4", lambda: uuid.UUID(int=next(self._ids)))

    def restart(self) -> None:
        self.now = dt.datetime(2026, 3, 4, 5, 6, 7)
        self._ids = itertools.count(1)


def record(client: Any, seen: list[Request]) -> Any:
    """Record every request of ``client`` as it is sent (after signing), and its response."""

    def before_send(request: Any, **_: Any) -> None:
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        seen.append((request.method, request.url, bytes(body), tuple(request.headers.items())))

    def after_call(http_response: Any, **_: Any) -> None:
        seen.append(
            (
                "response",
                str(http_response.status_code),
                http_response.content,
                tuple(http_response.headers.items()),
            )
        )

    client.meta.events.register_last("before-send", before_send)
    client.meta.events.register_last("after-call", after_call)
    return client


def scenario(frozen: Frozen) -> list[Request]:
    """Calls whose requests vary every input of the User-Agent and of the signature."""
    seen: list[Request] = []
    session = boto3.Session(region_name="us-east-1", **KEYS)

    def client(service: str = "connect", s: Any = session, **kwargs: Any) -> Any:
        return record(s.client(service, **kwargs), seen)

    plain = client()
    plain.list_views(InstanceId=INSTANCE)
    plain.list_views(InstanceId=INSTANCE)  # a memo hit
    with pytest.raises(plain.exceptions.ResourceNotFoundException):
        plain.describe_view(InstanceId=INSTANCE, ViewId="missing")
    for page in plain.get_paginator("list_views").paginate(InstanceId=INSTANCE):  # feature C
        assert page["ViewsSummaryList"]  # the AWS-managed views
    plain.list_views(InstanceId=INSTANCE)  # without the paginator's feature again
    for mode in ("legacy", "standard", "adaptive"):
        client(config=Config(retries={"mode": mode})).list_views(InstanceId=INSTANCE)
    client(config=Config(user_agent_appid="my-app")).list_views(InstanceId=INSTANCE)
    client(config=Config(user_agent_extra="extra/1.0")).list_views(InstanceId=INSTANCE)
    client(config=Config(user_agent="Custom/2.0")).list_views(InstanceId=INSTANCE)
    client(config=Config(user_agent="Custom/2.0", user_agent_extra="x/1")).list_views(
        InstanceId=INSTANCE
    )
    client(config=Config(signature_version="v4")).list_views(InstanceId=INSTANCE)
    client(endpoint_url="http://localhost:4566").list_views(InstanceId=INSTANCE)  # feature N

    # A config changed in place after the client was made (the memo must see it).
    changing = client(config=Config(retries={"mode": "standard"}))
    changing.list_views(InstanceId=INSTANCE)
    changing.meta.config.user_agent_extra = "changed/1"
    changing.list_views(InstanceId=INSTANCE)
    changing.meta.config.user_agent_appid = "later-app"
    changing.list_views(InstanceId=INSTANCE)
    changing.meta.config.retries["mode"] = "legacy"
    changing.list_views(InstanceId=INSTANCE)

    changing.meta.config.retries["mode"] = "adaptive"
    changing.list_views(InstanceId=INSTANCE)
    creator = changing._user_agent_creator
    name, version = creator._session_user_agent_name, creator._session_user_agent_version
    creator.set_session_config(name, version, "later/x")
    changing.list_views(InstanceId=INSTANCE)
    creator.set_session_config("Later", version, "later/x")
    changing.list_views(InstanceId=INSTANCE)

    # A feature registered between the two builds of one call (during signing), on a client that
    # also sends a single different feature (the paginator's): the same count, other ids.
    featured = client()
    waiter = {"on": False}

    def before_sign(**_: Any) -> None:
        if waiter["on"]:
            botocore.useragent.register_feature_id("WAITER")

    featured.meta.events.register("before-sign.connect.ListViews", before_sign)
    list(featured.get_paginator("list_views").paginate(InstanceId=INSTANCE))
    waiter["on"] = True
    featured.list_views(InstanceId=INSTANCE)
    featured.list_views(InstanceId=INSTANCE)

    # The session's own user agent parts.
    core = botocore.session.Session()
    core.user_agent_name, core.user_agent_version, core.user_agent_extra = "MyApp", "3.1", "os/x"
    named = boto3.Session(botocore_session=core, region_name="eu-west-1", **KEYS)
    client(s=named).list_views(InstanceId=INSTANCE)

    # Signing inputs: session tokens, another region, service, secret and date.
    tokens = boto3.Session(
        region_name="eu-west-2",
        aws_access_key_id="ASIATEMPORARY",
        aws_secret_access_key="secret-two",
        aws_session_token="token-two",
    )
    client(s=tokens).list_views(InstanceId=INSTANCE)
    builder = client("imagebuilder", s=tokens)
    builder.list_workflows()
    client(region_name="ap-southeast-2").list_views(InstanceId=INSTANCE)
    frozen.now += dt.timedelta(days=1)
    plain.list_views(InstanceId=INSTANCE)
    builder.list_workflows()
    plain.create_view(
        InstanceId=INSTANCE,
        Name="Shortcut",
        Status="SAVED",
        Content={"Template": '{"Head": {}, "Body": []}', "Actions": []},
    )
    return seen


def run_both(
    monkeypatch: pytest.MonkeyPatch, calls: Callable[[Frozen], list[Request]]
) -> tuple[list[Request], list[Request]]:
    frozen = Frozen(monkeypatch)
    runs = []
    for enabled in (True, False):
        monkeypatch.setattr(shortcuts, "ENABLED", enabled)
        frozen.restart()
        with FakeAWS() as fake:
            fake.clock.freeze(1_770_000_000.0)  # the timestamps of the responses
            runs.append(calls(frozen))
    return runs[0], runs[1]


def test_shortcuts_are_active_on_the_supported_botocore() -> None:
    with FakeAWS():
        assert shortcuts.active == {"user_agent": True, "sigv4": True, "response_headers": True}


def test_requests_are_byte_identical_with_and_without_shortcuts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shortcuts._signing_keys.clear()
    fast, slow = run_both(monkeypatch, scenario)
    assert len(fast) == len(slow) > 40
    assert sum(r[0] == "response" for r in fast) > 20
    for number, (a, b) in enumerate(zip(fast, slow, strict=True)):
        assert a == b, f"request {number} differs"
    # the inputs did vary what they should vary
    fast = [r for r in fast if r[0] != "response"]
    agents = {header(r, "User-Agent") for r in fast}
    assert len(agents) >= 12
    assert any("app/my-app" in a for a in agents)
    assert any(a.startswith("Custom/2.0 ") and a.endswith(" x/1") for a in agents)
    assert any("MyApp/3.1" in a and "os/x" in a for a in agents)
    assert any("cfg/retry-mode#adaptive" in a for a in agents)
    authorizations = [header(r, "Authorization") for r in fast]
    assert len({a.split("Credential=")[1].split(",")[0] for a in authorizations}) >= 5
    assert any("x-amz-security-token" in a for a in authorizations)
    # and the shortcuts ran (derived keys were kept), so the comparison compared something
    assert len(shortcuts._signing_keys) >= 5


def test_the_memo_serves_repeated_calls_from_one_entry(connectviews: FakeAWS) -> None:
    client = boto3.client("connect", region_name="us-east-1", **KEYS)
    for _ in range(5):
        client.list_views(InstanceId=INSTANCE)
    memo = client._user_agent_creator.__dict__[shortcuts._MEMO_ATTR]
    assert len(memo) == 1
    client.meta.config.user_agent_extra = "changed/1"
    client.list_views(InstanceId=INSTANCE)
    assert len(memo) == 2


def test_a_customised_modify_components_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    def modify(components: list[Any]) -> list[Any]:
        return [*components, botocore.useragent.RawStringUserAgentComponent("custom/part")]

    monkeypatch.setattr(botocore.useragent, "modify_components", modify)

    def calls(frozen: Frozen) -> list[Request]:
        seen: list[Request] = []
        client = record(boto3.client("connect", region_name="us-east-1", **KEYS), seen)
        client.list_views(InstanceId=INSTANCE)
        client.list_views(InstanceId=INSTANCE)
        return seen

    fast, slow = run_both(monkeypatch, calls)
    assert fast == slow
    requests = [r for r in fast if r[0] != "response"]
    assert all(header(r, "User-Agent").endswith("custom/part") for r in requests)


def test_other_services_and_inactive_fakes_use_botocore_as_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with FakeAWS():
        pass  # installs the shortcuts
    s3 = boto3.client("s3", region_name="us-east-1", **KEYS)
    assert shortcuts._MEMO_ATTR not in s3._user_agent_creator.__dict__
    connect = boto3.client("connect", region_name="us-east-1", **KEYS)
    signer = connect._request_signer
    auth = signer.get_auth_instance("connect", "us-east-1", "v4")
    assert type(auth) is botocore.auth.SigV4Auth  # no fake active
    with FakeAWS():
        assert type(signer.get_auth_instance("connect", "us-east-1", "v4")) is not (
            botocore.auth.SigV4Auth
        )
        other = s3._request_signer.get_auth_instance("s3", "us-east-1", "s3v4")
        assert type(other) is botocore.auth.S3SigV4Auth


SELF_CHECK = """
import boto3, botocore.auth, botocore.useragent
from pytest_connectviews import FakeAWS
from pytest_connectviews._transport import shortcuts

def _build_app_id(self):  # a botocore whose User-Agent code differs from the known ones
    return []

def signature(self, string_to_sign, request):  # and whose SigV4 differs
    return "0" * 64

botocore.useragent.UserAgentString._build_app_id = _build_app_id
botocore.auth.SigV4Auth.signature = signature
with FakeAWS():
    client = boto3.client("connect", region_name="us-east-1", aws_access_key_id="AKIAX",
                          aws_secret_access_key="s")
    client.list_views(InstanceId="11111111-2222-3333-4444-555555555555")
    print(sorted(shortcuts.active.items()))
"""


def test_changed_botocore_internals_switch_the_shortcuts_off() -> None:
    out = subprocess.run(
        [sys.executable, "-c", SELF_CHECK], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[('response_headers', True), ('sigv4', False), ('user_agent', False)]"
