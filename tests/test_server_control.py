"""Server mode's control API: seed, faults, quotas, clock and calls as JSON under /_connectviews/.

Each test drives the API over real HTTP and checks the effect through a boto3 client of the same
server, the way a test in another language would.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.client
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from pytest_connectviews import Call, FakeAWS, _transport
from pytest_connectviews.server import FakeServer

INSTANCE = "11111111-2222-3333-4444-555555555555"
CONTENT = {"Template": json.dumps({"Head": {}, "Body": []}), "Actions": []}
NO_RETRIES = Config(retries={"total_max_attempts": 1, "mode": "standard"})
DOC_URI = "s3://my-bucket/workflows/build.yaml"
DOC = "schemaVersion: 1.0\nsteps:\n  - name: Launch\n    action: LaunchInstance\n"


def client(url: str, service: str = "connect", **kwargs: Any) -> Any:
    return boto3.client(
        service,  # type: ignore[call-overload]
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=NO_RETRIES,
        **kwargs,
    )


def control(
    server: FakeServer,
    method: str,
    path: str,
    body: Any = None,
    *,
    token: str | None = None,
    raw: bytes | None = None,
) -> tuple[int, Any]:
    """One control request; returns the status and the decoded JSON answer."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["X-Connectviews-Token"] = token
    payload = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    try:
        conn.request(method, f"/_connectviews/{path}", body=payload, headers=headers)
        response = conn.getresponse()
        data = response.read()
        assert response.getheader("Content-Type") == "application/json"
        return response.status, json.loads(data)
    finally:
        conn.close()


def ok(server: FakeServer, method: str, path: str, body: Any = None, **kw: Any) -> Any:
    status, answer = control(server, method, path, body, **kw)
    assert status == 200, answer
    return answer


def bad(server: FakeServer, method: str, path: str, body: Any = None, **kw: Any) -> str:
    status, answer = control(server, method, path, body, **kw)
    assert status == 400, answer
    assert answer["__type"] == "BadRequest"
    message: str = answer["message"]
    assert message.startswith("connectviews: ")
    return message


@pytest.fixture
def served() -> Iterator[FakeServer]:
    assert _transport.current is None  # an active in-process fake would answer boto3 itself
    with FakeServer(FakeAWS()) as server:
        yield server
    assert server.errors == []


# ---------------------------------------------------------------------------- seeding
def test_health(served: FakeServer) -> None:
    assert ok(served, "GET", "health") == {"status": "ok"}


def test_declared_instances_make_unknown_ones_not_found(served: FakeServer) -> None:
    connect = client(served.url)
    made = ok(served, "POST", "instances", {})["instance_id"]
    given = ok(served, "POST", "instances", {"instance_id": INSTANCE, "region": "us-east-1"})

    assert given == {"instance_id": INSTANCE}
    connect.list_views(InstanceId=made)
    connect.list_views(InstanceId=INSTANCE)
    with pytest.raises(connect.exceptions.ResourceNotFoundException):
        connect.list_views(InstanceId="99999999-2222-3333-4444-555555555555")


def test_an_instance_seeded_with_an_alias_is_listed_under_it(served: FakeServer) -> None:
    connect = client(served.url)
    made = ok(served, "POST", "instances", {"alias": "support-desk"})["instance_id"]

    [summary] = connect.list_instances()["InstanceSummaryList"]
    assert (summary["Id"], summary["InstanceAlias"]) == (made, "support-desk")
    assert "is taken" in bad(served, "POST", "instances", {"alias": "Support-Desk"})
    assert "alias must be" in bad(served, "POST", "instances", {"alias": "d-starts-like-a-dir"})
    assert "'alias'" in bad(served, "POST", "instances", {"alias": 7})


def test_a_scripted_instance_failure_ends_creation_in_creation_failed(
    served: FakeServer,
) -> None:
    connect = client(served.url)
    answer = ok(
        served, "POST", "instance-failures", {"instance": "Broken", "reason": "directory issue"}
    )
    assert answer == {"instance": "Broken", "reason": "directory issue"}
    made = connect.create_instance(
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias="broken",
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )
    ok(served, "POST", "settle")

    instance = connect.describe_instance(InstanceId=made["Id"])["Instance"]
    assert instance["InstanceStatus"] == "CREATION_FAILED"
    assert instance["StatusReason"] == {"Message": "directory issue"}
    assert "'reason'" in bad(served, "POST", "instance-failures", {"instance": "x"})
    assert "needs an instance" in bad(
        served, "POST", "instance-failures", {"instance": "", "reason": "r"}
    )
    # an instance already ACTIVE cannot fail any more: the facade's own message, as a 400
    ok(served, "POST", "instances", {"instance_id": INSTANCE})
    assert "ACTIVE" in bad(
        served, "POST", "instance-failures", {"instance": INSTANCE, "reason": "late"}
    )


def test_registered_document_backs_create_workflow(served: FakeServer) -> None:
    imagebuilder = client(served.url, "imagebuilder")
    with pytest.raises(ClientError):
        imagebuilder.create_workflow(
            name="build", semanticVersion="1.0.0", type="BUILD", uri=DOC_URI, clientToken="t1"
        )

    assert ok(served, "POST", "documents", {"uri": DOC_URI, "text": DOC}) == {"uri": DOC_URI}
    arn = imagebuilder.create_workflow(
        name="build", semanticVersion="1.0.0", type="BUILD", uri=DOC_URI, clientToken="t2"
    )["workflowBuildVersionArn"]

    ok(served, "POST", "in-use", {"build_arn": arn})
    with pytest.raises(imagebuilder.exceptions.ResourceDependencyException):
        imagebuilder.delete_workflow(workflowBuildVersionArn=arn)
    ok(served, "POST", "in-use", {"build_arn": arn, "in_use": False})
    imagebuilder.delete_workflow(workflowBuildVersionArn=arn)


# ---------------------------------------------------------------------------- faults
def test_injected_error_answers_its_count_then_stops(served: FakeServer) -> None:
    connect = client(served.url)
    rule = ok(
        served,
        "POST",
        "errors",
        {
            "operation": "CreateView",
            "code": "TooManyRequestsException",
            "times": 2,
            "message": "slow down",
            "params": {"Name": "Hot"},
        },
    )

    for _ in range(2):
        with pytest.raises(connect.exceptions.TooManyRequestsException) as info:
            connect.create_view(InstanceId=INSTANCE, Name="Hot", Status="SAVED", Content=CONTENT)
        assert info.value.response["Error"]["Message"] == "slow down"
    connect.create_view(InstanceId=INSTANCE, Name="Cold", Status="SAVED", Content=CONTENT)
    connect.create_view(InstanceId=INSTANCE, Name="Hot", Status="SAVED", Content=CONTENT)

    listed = ok(served, "GET", "errors")["errors"]
    assert listed == [
        {
            "id": rule["id"],
            "operation": "CreateView",
            "code": "TooManyRequestsException",
            "services": ["connect"],
            "times": 2,
            "consumed": 2,
            "remaining": 0,
            "active": True,
        }
    ]


def test_times_null_answers_until_the_rule_is_deleted(served: FakeServer) -> None:
    connect = client(served.url)
    rule_id = ok(
        served,
        "POST",
        "errors",
        {"operation": "list_views", "code": "AccessDeniedException", "times": None},
    )["id"]
    for _ in range(3):
        with pytest.raises(connect.exceptions.AccessDeniedException):
            connect.list_views(InstanceId=INSTANCE)

    removed = ok(served, "DELETE", f"errors/{rule_id}")
    assert (removed["consumed"], removed["active"], removed["remaining"]) == (3, False, None)
    connect.list_views(InstanceId=INSTANCE)
    status, answer = control(served, "DELETE", f"errors/{rule_id}")
    assert (status, answer["__type"]) == (404, "NotFound")


def test_an_error_without_times_answers_once(served: FakeServer) -> None:
    imagebuilder = client(served.url, "imagebuilder")
    ok(
        served,
        "POST",
        "errors",
        {"operation": "ListWorkflows", "code": "ServiceException", "service": "imagebuilder"},
    )
    with pytest.raises(imagebuilder.exceptions.ServiceException):
        imagebuilder.list_workflows()
    imagebuilder.list_workflows()  # without "times", one attempt


def test_throttle_answers_429_until_the_clock_refills_it(served: FakeServer) -> None:
    connect = client(served.url)
    ok(served, "POST", "clock", {"freeze": True})
    bucket = {"rate": 1, "burst": 1, "operation": "ListViews"}
    throttle = ok(served, "POST", "throttles", bucket)["id"]

    connect.list_views(InstanceId=INSTANCE)
    with pytest.raises(connect.exceptions.TooManyRequestsException) as info:
        connect.list_views(InstanceId=INSTANCE)
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    connect.create_view(InstanceId=INSTANCE, Name="Other", Status="SAVED", Content=CONTENT)

    ok(served, "POST", "clock", {"advance": 1})
    connect.list_views(InstanceId=INSTANCE)
    assert ok(served, "GET", "throttles")["throttles"][0]["throttled"] == 1
    ok(served, "DELETE", f"throttles/{throttle}")
    for _ in range(3):
        connect.list_views(InstanceId=INSTANCE)


def test_quota_refuses_the_view_over_it_and_null_clears_it(served: FakeServer) -> None:
    connect = client(served.url)
    assert ok(served, "PUT", "quotas/connect.views_per_instance", {"value": 1}) == {
        "name": "connect.views_per_instance",
        "value": 1,
    }
    connect.create_view(InstanceId=INSTANCE, Name="One", Status="SAVED", Content=CONTENT)
    with pytest.raises(connect.exceptions.ServiceQuotaExceededException):
        connect.create_view(InstanceId=INSTANCE, Name="Two", Status="SAVED", Content=CONTENT)
    quotas = ok(served, "GET", "quotas")["quotas"]
    assert quotas["connect.views_per_instance"]["value"] == 1
    assert quotas["connect.versions_per_view"]["value"] is None

    ok(served, "PUT", "quotas/connect.views_per_instance", {"value": None})
    connect.create_view(InstanceId=INSTANCE, Name="Two", Status="SAVED", Content=CONTENT)


def test_canned_response_answers_an_operation_the_fake_lacks(served: FakeServer) -> None:
    connect = client(served.url)
    queues = {"QueueSummaryList": [{"Id": "q1", "Name": "Support", "QueueType": "STANDARD"}]}
    rule_id = ok(
        served,
        "POST",
        "responses",
        {"operation": "list_queues", "response": queues, "params": {"InstanceId": INSTANCE}},
    )["id"]

    listed = connect.list_queues(InstanceId=INSTANCE)
    assert listed["QueueSummaryList"] == queues["QueueSummaryList"]
    connect.list_queues(InstanceId=INSTANCE)
    assert [c["source"] for c in ok(served, "GET", "calls?operation=ListQueues")["calls"]] == [
        "canned",
        "canned",
    ]
    assert ok(served, "GET", "responses")["responses"] == [
        {
            "id": rule_id,
            "operation": "ListQueues",
            "services": ["connect"],
            "times": None,
            "consumed": 2,
            "remaining": None,
            "active": True,
        }
    ]

    assert ok(served, "DELETE", f"responses/{rule_id}")["active"] is False
    with pytest.raises(ClientError) as info:
        connect.list_queues(InstanceId=INSTANCE)
    assert info.value.response["Error"]["Code"] == "NotImplemented"
    served.errors.clear()


def test_canned_response_with_times_then_the_fakes_own_answer(served: FakeServer) -> None:
    connect = client(served.url)
    view = {
        "Id": "v1",
        "Arn": f"arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE}/view/v1",
        "Name": "Canned",
        "Type": "CUSTOMER_MANAGED",
        "Status": "PUBLISHED",
    }
    canned = {"ViewsSummaryList": [view]}
    ok(served, "POST", "responses", {"operation": "ListViews", "response": canned, "times": 1})

    assert connect.list_views(InstanceId=INSTANCE)["ViewsSummaryList"][0]["Name"] == "Canned"
    assert (
        connect.list_views(InstanceId=INSTANCE, Type="CUSTOMER_MANAGED")["ViewsSummaryList"] == []
    )


# ---------------------------------------------------------------------------- clock
def test_clock_freeze_advance_unfreeze(served: FakeServer) -> None:
    connect = client(served.url)
    frozen = ok(served, "POST", "clock", {"freeze": True, "at": "2030-01-02T03:04:05Z"})
    assert frozen == {
        "now": "2030-01-02T03:04:05+00:00",
        "time": dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc).timestamp(),
        "slept": 0.0,
        "frozen": True,
    }
    created = connect.create_view(
        InstanceId=INSTANCE, Name="T", Status="PUBLISHED", Content=CONTENT
    )["View"]
    assert created["LastModifiedTime"] == dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)

    moved = ok(served, "POST", "clock", {"advance": 3600})
    assert moved["now"] == "2030-01-02T04:04:05+00:00"
    assert ok(served, "GET", "clock") == moved
    view = connect.update_view_content(
        InstanceId=INSTANCE, ViewId=created["Id"], Status="PUBLISHED", Content=CONTENT
    )["View"]
    assert view["LastModifiedTime"] == dt.datetime(2030, 1, 2, 4, 4, 5, tzinfo=dt.timezone.utc)

    running = ok(served, "POST", "clock", {"unfreeze": True})
    assert running["frozen"] is False
    assert running["time"] >= moved["time"]
    assert ok(served, "POST", "clock", {"freeze": True, "at": 1_900_000_000})["time"] == 1.9e9


def test_settle_and_durations_answer_through_the_facade(served: FakeServer) -> None:
    assert ok(served, "POST", "settle")["advanced"] == 0.0
    message = bad(served, "PUT", "durations/no.such", {"seconds": 1})
    assert "unknown duration 'no.such'" in message


def test_step_failures_durations_and_settle_drive_an_image_build(served: FakeServer) -> None:
    ib = client(served.url, "imagebuilder")
    recipe = ib.create_image_recipe(
        name="web", semanticVersion="1.0.0", parentImage="ami-0123456789abcdef0"
    )["imageRecipeArn"]
    infra = ib.create_infrastructure_configuration(name="infra", instanceProfileName="p")[
        "infrastructureConfigurationArn"
    ]
    ok(served, "POST", "clock", {"freeze": True})
    ok(served, "PUT", "durations/imagebuilder.pending", {"seconds": 0})
    unused = ok(served, "POST", "step-failures", {"step_name": "TerminateBuildInstance"})["id"]
    assert ok(served, "DELETE", f"step-failures/{unused}")["used"] is False
    status, answer = control(served, "DELETE", f"step-failures/{unused}")
    assert (status, answer["__type"]) == (404, "NotFound")
    assert "no step failure" in answer["message"]
    ok(served, "POST", "step-failures", {"step_name": "CreateOutputAMI", "message": "no disk"})
    image = ib.create_image(imageRecipeArn=recipe, infrastructureConfigurationArn=infra)[
        "imageBuildVersionArn"
    ]
    assert ok(served, "POST", "settle")["advanced"] == 147 + 94 + 10 + 145
    state = ib.get_image(imageBuildVersionArn=image)["image"]["state"]
    assert state == {"status": "FAILED", "reason": "no disk"}


# ---------------------------------------------------------------------------- calls
def test_calls_filter_and_page_with_since(served: FakeServer) -> None:
    connect = client(served.url)
    imagebuilder = client(served.url, "imagebuilder")
    ok(served, "POST", "errors", {"operation": "ListViews", "code": "AccessDeniedException"})
    with pytest.raises(connect.exceptions.AccessDeniedException):
        connect.list_views(InstanceId=INSTANCE)
    connect.create_view(InstanceId=INSTANCE, Name="C", Status="SAVED", Content=CONTENT)
    imagebuilder.list_workflows()

    everything = ok(served, "GET", "calls")
    assert everything["next"] == 3
    first, second, third = everything["calls"]
    assert (first["operation"], first["status_code"], first["error_code"]) == (
        "ListViews",
        403,
        "AccessDeniedException",
    )
    assert (first["source"], first["ok"], first["attempt"]) == ("injected", False, 1)
    assert second["params"]["Name"] == "C"
    assert second["response"]["View"]["Name"] == "C"
    assert (second["service"], second["region"], second["account_id"]) == (
        "connect",
        "us-east-1",
        "123456789012",
    )
    assert dt.datetime.fromisoformat(second["time"]).tzinfo is not None
    assert second["request_id"] == served.fake.calls[1].request_id
    assert third["service"] == "imagebuilder"
    assert set(second) == {f.name for f in dataclasses.fields(Call)} | {"ok"}

    assert [c["operation"] for c in ok(served, "GET", "calls?service=connect")["calls"]] == [
        "ListViews",
        "CreateView",
    ]
    assert [c["operation"] for c in ok(served, "GET", "calls?operation=create_view")["calls"]] == [
        "CreateView"
    ]
    assert len(ok(served, "GET", "calls?source=injected")["calls"]) == 1
    later = ok(served, "GET", "calls?since=2")
    assert ([c["operation"] for c in later["calls"]], later["next"]) == (["ListWorkflows"], 3)
    assert ok(served, "GET", "calls?since=3") == {"calls": [], "next": 3}
    assert ok(served, "GET", "calls?since=50") == {"calls": [], "next": 3}


def test_reset_empties_state_calls_faults_quotas_and_clock(served: FakeServer) -> None:
    connect = client(served.url)
    ok(served, "POST", "instances", {"instance_id": INSTANCE})
    connect.create_view(InstanceId=INSTANCE, Name="Gone", Status="SAVED", Content=CONTENT)
    ok(served, "POST", "errors", {"operation": "ListViews", "code": "AccessDeniedException"})
    ok(served, "POST", "throttles", {"rate": 0, "burst": 0, "operation": "DescribeView"})
    ok(served, "PUT", "quotas/connect.views_per_instance", {"value": 0})
    ok(served, "POST", "clock", {"freeze": True, "at": "2030-01-01T00:00:00Z"})
    canned = {"QueueSummaryList": []}
    ok(served, "POST", "responses", {"operation": "ListQueues", "response": canned})

    assert ok(served, "POST", "reset") == {"status": "ok"}

    assert ok(served, "GET", "calls") == {"calls": [], "next": 0}
    assert ok(served, "GET", "errors") == {"errors": []}
    assert ok(served, "GET", "throttles") == {"throttles": []}
    assert ok(served, "GET", "responses") == {"responses": []}
    assert ok(served, "GET", "clock")["frozen"] is False
    other = "99999999-2222-3333-4444-555555555555"  # not strict any more
    for instance in (other, INSTANCE):
        listed = connect.list_views(InstanceId=instance, Type="CUSTOMER_MANAGED")
        assert listed["ViewsSummaryList"] == []
    connect.create_view(InstanceId=INSTANCE, Name="New", Status="SAVED", Content=CONTENT)


# ---------------------------------------------------------------------------- bad requests
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    [
        ("POST", "errors", {"code": "AccessDeniedException"}, "'operation' is required"),
        ("POST", "errors", {"operation": "ListViews", "code": "Nope"}, "'Nope' is not an error"),
        ("POST", "errors", {"operation": "NoSuchOp", "code": "X"}, "not an operation connect or"),
        ("POST", "errors", {"operation": "ListViews", "code": "X", "tiems": 1}, "'tiems'"),
        (
            "POST",
            "errors",
            {"operation": "ListViews", "code": "AccessDeniedException", "times": 0},
            "times must be an int >= 1",
        ),
        (
            "POST",
            "errors",
            {"operation": "ListViews", "code": "AccessDeniedException", "probability": 2},
            "probability must be in (0, 1]",
        ),
        (
            "POST",
            "errors",
            {"operation": "ListViews", "code": "AccessDeniedException", "params": [1]},
            "'params' must be a JSON object",
        ),
        ("POST", "responses", {"operation": "ListViews"}, "'response' is required"),
        ("POST", "responses", {"operation": "ListViews", "response": [1]}, "a JSON object"),
        (
            "POST",
            "responses",
            {"operation": "ListViews", "response": {"ViewsSummaryList": "no"}},
            "the response is not one connect ListViews can return",
        ),
        ("POST", "responses", {"operation": "Nope", "response": {}}, "Nope"),
        ("POST", "throttles", {"rate": -1, "burst": 1}, "rate must be a number >= 0"),
        ("POST", "throttles", {"rate": 1, "burst": True}, "'burst' must be an integer"),
        ("POST", "throttles", {"rate": 1}, "'burst' is required"),
        ("PUT", "quotas/no.such", {"value": 1}, "unknown quota 'no.such'"),
        ("PUT", "quotas/connect.views_per_instance", {"value": -1}, "must be an int >= 0"),
        ("PUT", "quotas/connect.views_per_instance", {}, "'value' is required"),
        ("POST", "instances", {"instance_id": "bad id!"}, "add_instance needs an instance id"),
        ("POST", "instances", {"region": "moon"}, "region must look like"),
        ("POST", "documents", {"uri": "http://x", "text": "t"}, "needs an S3 uri"),
        ("POST", "clock", {"advance": -5}, "needs a number >= 0"),
        ("POST", "clock", {}, "exactly one of"),
        ("POST", "clock", {"freeze": True, "at": "yesterday"}, "ISO-8601"),
        ("POST", "clock", {"freeze": True, "at": "2030-01-01T00:00:00"}, "needs a time zone"),
        ("POST", "clock", {"advance": 1, "at": 5}, "'at' goes with 'freeze'"),
        ("POST", "reset", [1], "must be a JSON object"),
        ("GET", "calls?since=-1", None, "since must be an integer >= 0"),
        ("GET", "calls?source=moto", None, "source must be one of"),
        ("GET", "calls?colour=red", None, "unknown query parameter(s) 'colour'"),
    ],
)
def test_bad_control_requests_answer_400_and_aws_keeps_working(
    served: FakeServer, method: str, path: str, body: Any, expected: str
) -> None:
    message = bad(served, method, path, body)

    assert expected in message
    connect = client(served.url)
    connect.create_view(InstanceId=INSTANCE, Name="Still", Status="SAVED", Content=CONTENT)
    assert ok(served, "GET", "errors") == {"errors": []}  # nothing half-made
    assert ok(served, "GET", "responses") == {"responses": []}


def test_body_that_is_not_json_is_400(served: FakeServer) -> None:
    message = bad(served, "POST", "errors", raw=b"{not json")
    assert "the body is not JSON" in message


def test_unknown_endpoint_is_404_and_wrong_method_405(served: FakeServer) -> None:
    status, answer = control(served, "GET", "nothing")
    assert (status, answer["__type"]) == (404, "NotFound")
    assert "POST /_connectviews/errors" in answer["message"]

    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    try:
        conn.request("DELETE", "/_connectviews/calls")
        response = conn.getresponse()
        answer = json.loads(response.read())
        assert (response.status, response.getheader("Allow")) == (405, "GET")
        assert answer["__type"] == "MethodNotAllowed"
    finally:
        conn.close()


# ---------------------------------------------------------------------------- the token
def test_control_token_is_required_when_set() -> None:
    assert _transport.current is None
    with FakeServer(FakeAWS(), control_token="s3cret") as server:
        status, answer = control(server, "POST", "instances", {})
        assert (status, answer["__type"]) == (401, "Unauthorized")
        assert "no X-Connectviews-Token header" in answer["message"]
        status, answer = control(server, "POST", "instances", {}, token="guess")
        assert (status, answer["__type"]) == (401, "Unauthorized")
        assert "a wrong X-Connectviews-Token" in answer["message"]
        assert server.fake.calls[:] == []

        assert ok(server, "GET", "health") == {"status": "ok"}  # probes need no token
        made = ok(server, "POST", "instances", {}, token="s3cret")["instance_id"]
        client(server.url).list_views(InstanceId=made)  # AWS requests never need it


def test_empty_control_token_is_refused() -> None:
    with pytest.raises(ValueError, match="connectviews: control_token"):
        FakeServer(FakeAWS(), control_token="")
