"""No byte leaves the process: not to AWS, not to STS/SSO, not to the EC2 metadata service.

Every way out of the process (DNS, socket connect, urllib3 send) is replaced by a recorder that
raises; the tests then drive both services the way real code would, with real-looking credentials,
with none, and with credentials that would refresh over the network.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.httpsession
import botocore.session
import pytest
from botocore.config import Config
from botocore.credentials import DeferredRefreshableCredentials

from pytest_connectviews import FakeAWS, UnhandledOperationError

INSTANCE = "11111111-2222-3333-4444-555555555555"
TEMPLATE = '{"Head":{"Title":"t"},"Body":[]}'
DOC = "schemaVersion: 1.0\nsteps:\n  - name: Launch\n    action: LaunchInstance\n"


class Leak(AssertionError):
    """A request tried to leave the process."""


@pytest.fixture
def leaks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every attempt to reach the network, recorded (and refused)."""
    seen: list[str] = []

    def refuse(what: str) -> Any:
        def blocked(*args: Any, **kwargs: Any) -> Any:
            seen.append(f"{what}{args[1:] if what.startswith('socket.socket') else args}")
            raise Leak(f"{what} called: {args!r}")

        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.socket.connect_ex"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
    monkeypatch.setattr(botocore.httpsession.URLLib3Session, "send", refuse("URLLib3Session.send"))
    yield seen
    assert seen == [], "a request tried to leave the process"


@pytest.fixture
def real_looking_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "IQoJb3JpZ2luX2VjEXAMPLETOKEN")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))


@pytest.fixture
def empty_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_EC2_METADATA_DISABLED",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))


def exercise_connect(connect: Any) -> None:
    view = connect.create_view(
        InstanceId=INSTANCE,
        Name="Form",
        Status="PUBLISHED",
        Content={"Template": TEMPLATE, "Actions": []},
    )["View"]
    connect.create_view_version(InstanceId=INSTANCE, ViewId=view["Id"])
    connect.describe_view(InstanceId=INSTANCE, ViewId=view["Id"])
    assert connect.get_paginator("list_views").paginate(InstanceId=INSTANCE).build_full_result()
    connect.search_views(InstanceId=INSTANCE)
    with pytest.raises(connect.exceptions.ResourceNotFoundException):
        connect.describe_view(InstanceId=INSTANCE, ViewId="00000000-0000-4000-8000-000000000000")
    connect.delete_view(InstanceId=INSTANCE, ViewId=view["Id"])


def exercise_imagebuilder(ib: Any) -> None:
    arn = ib.create_workflow(name="wf-one", semanticVersion="1.0.0", type="BUILD", data=DOC)[
        "workflowBuildVersionArn"
    ]
    ib.get_workflow(workflowBuildVersionArn=arn)
    ib.list_workflows()
    ib.tag_resource(resourceArn=arn, tags={"team": "a"})
    ib.delete_workflow(workflowBuildVersionArn=arn)


@pytest.mark.parametrize("service", ["connect", "imagebuilder"])
def test_real_looking_credentials_and_the_real_endpoint_send_nothing(
    leaks: list[str], real_looking_env: None, service: str
) -> None:
    with FakeAWS() as fake:
        client = boto3.client(service, region_name="eu-west-2")
        assert client.meta.endpoint_url == f"https://{service}.eu-west-2.amazonaws.com"
        (exercise_connect if service == "connect" else exercise_imagebuilder)(client)
    assert len(fake.calls) >= 5
    assert {c.region for c in fake.calls} == {"eu-west-2"}


@pytest.mark.parametrize(
    ("service", "endpoint"),
    [
        ("connect", "https://vpce-0123456789abcdef-abcdefgh.connect.us-east-1.vpce.amazonaws.com"),
        ("imagebuilder", "https://imagebuilder-fips.us-east-1.amazonaws.com"),
    ],
)
def test_a_custom_endpoint_url_sends_nothing(
    leaks: list[str], real_looking_env: None, service: str, endpoint: str
) -> None:
    with FakeAWS() as fake:
        client = boto3.client(service, region_name="us-east-1", endpoint_url=endpoint)
        (exercise_connect if service == "connect" else exercise_imagebuilder)(client)
    assert fake.calls
    assert all(c.service == service for c in fake.calls)


def test_retries_and_injected_errors_send_nothing(leaks: list[str], real_looking_env: None) -> None:
    with FakeAWS() as fake:
        connect = boto3.client(
            "connect", region_name="us-east-1", config=Config(retries={"mode": "adaptive"})
        )
        fake.inject_error("ListViews", "TooManyRequestsException", times=2)
        fake.inject_error("DescribeView", "InternalServiceException", times=None)
        assert connect.list_views(InstanceId=INSTANCE)["ViewsSummaryList"]
        with pytest.raises(connect.exceptions.InternalServiceException):
            connect.describe_view(InstanceId=INSTANCE, ViewId="v")
    assert [c.attempt for c in fake.calls.filter("ListViews")] == [1, 2, 3]


@pytest.mark.parametrize("service", ["connect", "imagebuilder"])
def test_no_credentials_at_all_probes_no_metadata_service(
    leaks: list[str], empty_env: None, service: str
) -> None:
    # A fresh botocore session resolves its credential chain, which ends at the EC2 metadata
    # service; a client of our services must not probe it while a fake is active.
    with FakeAWS() as fake:
        session = boto3.Session(
            botocore_session=botocore.session.Session(), region_name="us-east-1"
        )
        client = session.client(service)
        (exercise_connect if service == "connect" else exercise_imagebuilder)(client)
    assert fake.calls


def test_refreshable_credentials_are_never_refreshed(leaks: list[str], empty_env: None) -> None:
    refreshed: list[int] = []

    def refresh() -> Any:  # what SSO or assume-role would do over the network
        refreshed.append(1)
        raise Leak("credentials were refreshed (an STS/SSO request)")

    core = botocore.session.Session()
    core._credentials = DeferredRefreshableCredentials(refresh_using=refresh, method="sso")
    session = boto3.Session(botocore_session=core, region_name="us-east-1")
    with FakeAWS() as fake:
        exercise_connect(session.client("connect"))
        exercise_imagebuilder(session.client("imagebuilder"))
    assert refreshed == []
    assert {c.account_id for c in fake.calls} == {fake.account_id}


@pytest.mark.parametrize(
    ("service", "call"),
    [
        ("connect", lambda c: c.list_queues(InstanceId=INSTANCE)),
        ("imagebuilder", lambda c: c.list_lifecycle_policies()),
    ],
)
def test_an_unimplemented_operation_fails_instead_of_going_out(
    leaks: list[str], real_looking_env: None, service: str, call: Any
) -> None:
    with FakeAWS():
        client = boto3.client(service, region_name="us-east-1")
        with pytest.raises(UnhandledOperationError, match=r"^connectviews: "):
            call(client)


def test_the_recorder_itself_catches_a_request_that_goes_out(
    monkeypatch: pytest.MonkeyPatch, real_looking_env: None
) -> None:
    seen: list[str] = []
    monkeypatch.setattr(
        botocore.httpsession.URLLib3Session,
        "send",
        lambda self, request: seen.append(request.url) or (_ for _ in ()).throw(Leak(request.url)),
    )
    sts = boto3.client("sts", region_name="us-east-1")  # not faked: passthrough would send it
    with FakeAWS(), pytest.raises(Leak):
        sts.get_caller_identity()
    assert seen == ["https://sts.us-east-1.amazonaws.com/"]
