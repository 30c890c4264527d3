"""Canned answers (``add_response``) for any operation of both clients, through the whole pipeline.

Each one is encoded on the wire and parsed by botocore, recorded with ``source="canned"``, and
subject to injected errors, throttles, hooks and validation like the fake's own answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import boto3
import pytest
from botocore.config import Config

from pytest_connectviews import (
    CannedResponseError,
    FakeAWS,
    ResponseRule,
    ServiceError,
    UnhandledOperationError,
)
from pytest_connectviews.server import FakeServer

INSTANCE = "11111111-2222-3333-4444-555555555555"
QUEUES = {
    "QueueSummaryList": [
        {
            "Id": "q-1",
            "Arn": f"arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE}/queue/q-1",
            "Name": "Sales",
            "QueueType": "STANDARD",
            "LastModifiedTime": dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc),
        }
    ]
}
CONTENT = {"Template": '{"Head":{"Title":"t"},"Body":[]}', "Actions": []}


def test_list_queues_answered_from_a_canned_dict(
    connectviews: FakeAWS, connect_client: Any
) -> None:
    rule = connectviews.add_response("list_queues", QUEUES)
    out = connect_client.list_queues(InstanceId=INSTANCE)
    summary = out["QueueSummaryList"][0]
    assert (summary["Id"], summary["Name"], summary["QueueType"]) == ("q-1", "Sales", "STANDARD")
    # encoded on the wire and parsed back by botocore: a real datetime, response metadata
    assert summary["LastModifiedTime"] == QUEUES["QueueSummaryList"][0]["LastModifiedTime"]
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    call = connectviews.calls.one("ListQueues")
    assert (call.source, call.canned, call.ok, call.params) == (
        "canned",
        True,
        True,
        {"InstanceId": INSTANCE},
    )
    assert out["ResponseMetadata"]["RequestId"] == call.request_id
    # without times it answers until removed
    connect_client.list_queues(InstanceId=INSTANCE)
    assert (rule.consumed, rule.remaining) == (2, None)
    assert isinstance(rule, ResponseRule)


def test_a_callable_gets_the_decoded_params_and_its_answer_is_checked_when_it_answers(
    connectviews: FakeAWS, connect_client: Any
) -> None:
    seen: list[Mapping[str, Any]] = []

    def describe(params: Mapping[str, Any]) -> dict[str, Any]:
        seen.append(params)
        return {"Instance": {"Id": params["InstanceId"], "InstanceStatus": "ACTIVE"}}

    connectviews.add_response("DescribeInstance", describe)
    out = connect_client.describe_instance(InstanceId="abc")
    assert out["Instance"] == {"Id": "abc", "InstanceStatus": "ACTIVE"}
    assert seen == [{"InstanceId": "abc"}]

    connectviews.add_response("list_instances", lambda p: {"InstanceSummaryList": "nope"})
    with pytest.raises(CannedResponseError, match=r"^connectviews: .*InstanceSummaryList"):
        connect_client.list_instances()


def test_a_callable_raises_a_modeled_error(connectviews: FakeAWS, connect_client: Any) -> None:
    def missing(params: Mapping[str, Any]) -> dict[str, Any]:
        raise ServiceError("ResourceNotFoundException", f"no queue {params['QueueId']}")

    connectviews.add_response("describe_queue", missing)
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException, match="no queue q"):
        connect_client.describe_queue(InstanceId=INSTANCE, QueueId="q")
    call = connectviews.calls.last
    assert (call.source, call.error_code, call.status_code) == (
        "canned",
        "ResourceNotFoundException",
        404,
    )

    def unmodeled(params: Mapping[str, Any]) -> dict[str, Any]:
        raise ServiceError("NoSuchThing", "x")

    connectviews.add_response("list_prompts", unmodeled)
    with pytest.raises(CannedResponseError, match="NoSuchThing"):
        connect_client.list_prompts(InstanceId=INSTANCE)


@pytest.mark.parametrize(
    ("args", "kwargs", "words"),
    [
        (("ListQueues", {"QueueSummaryList": [{"Idd": "x"}]}), {}, ("QueueSummaryList[0].Idd",)),
        (("ListQueues", {"QueueSummaryList": [{"Id": 5}]}), {}, ("QueueSummaryList[0].Id",)),
        (("ListQueues", {"NextToken": "t", "Bogus": 1}), {}, ("Bogus", "QueueSummaryList")),
        (
            ("ListQueues", {"QueueSummaryList": [{"QueueType": "BIG"}]}),
            {},
            ("QueueType", "STANDARD"),
        ),
        (
            ("describe_instance", {"Instance": {"CreatedTime": "yesterday"}}),
            {},
            ("Instance.CreatedTime", "timestamp"),
        ),
        (("TagResource", {"tags": {}}), {}, ("TagResource", "no output members")),
        (("ListQueue", {}), {}, ("'ListQueue'", "ListQueues")),
        (("list_queue", {}), {}, ("list_queues",)),
        (("ListQueues", {}), {"service": "imagebuilder"}, ("imagebuilder", "connect operation")),
        (("ListQueues", {}), {"times": 0}, ("times",)),
        (("ListQueues", {}), {"params": 3}, ("params",)),
        (("ListQueues", 42), {}, ("response", "callable")),
    ],
)
def test_bad_canned_responses_are_refused_at_once(
    connectviews: FakeAWS, args: tuple[Any, ...], kwargs: dict[str, Any], words: tuple[str, ...]
) -> None:
    with pytest.raises(ValueError, match=r"^connectviews: ") as info:
        connectviews.add_response(*args, **kwargs)
    for word in words:
        assert word in str(info.value)


def test_response_metadata_is_left_out_and_service_narrows_a_shared_name(
    connectviews: FakeAWS, imagebuilder_client: Any, connect_client: Any
) -> None:
    arn = "arn:aws:imagebuilder:us-east-1:123456789012:image/x/1.0.0/1"
    connectviews.add_response(
        "ListTagsForResource",
        {"tags": {"team": "a"}, "ResponseMetadata": {"HTTPStatusCode": 200}},
        service="imagebuilder",
    )
    assert imagebuilder_client.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "a"}
    # connect's ListTagsForResource is still the fake's own
    view = connect_client.create_view(
        InstanceId=INSTANCE, Name="V", Status="SAVED", Content=CONTENT
    )["View"]
    bare = view["Arn"].rsplit(":", 1)[0]
    assert connect_client.list_tags_for_resource(resourceArn=bare)["tags"] == {}
    assert [c.source for c in connectviews.calls.filter("ListTagsForResource")] == [
        "canned",
        "backend",
    ]


@pytest.mark.connectviews(assert_all_calls_handled=False)  # the last call is unhandled
def test_times_params_order_and_remove(connectviews: FakeAWS, connect_client: Any) -> None:
    first = connectviews.add_response("ListQueues", {"NextToken": "page-2"}, times=1)
    connectviews.add_response(
        "ListQueues", {"QueueSummaryList": []}, params={"NextToken": "page-2"}
    )
    sales = connectviews.add_response(
        "ListQueues", QUEUES, params=lambda p: p.get("QueueTypes") == ["STANDARD"]
    )
    assert connect_client.list_queues(InstanceId=INSTANCE)["NextToken"] == "page-2"
    assert first.remaining == 0
    assert (
        connect_client.list_queues(InstanceId=INSTANCE, NextToken="page-2")["QueueSummaryList"]
        == []
    )
    out = connect_client.list_queues(InstanceId=INSTANCE, QueueTypes=["STANDARD"])
    assert out["QueueSummaryList"][0]["Name"] == "Sales"
    sales.remove()
    with pytest.raises(UnhandledOperationError):
        connect_client.list_queues(InstanceId=INSTANCE, QueueTypes=["STANDARD"])
    assert "removed" in repr(sales)


def test_a_canned_response_takes_precedence_and_changes_no_state(
    connectviews: FakeAWS, connect_client: Any
) -> None:
    view = connect_client.create_view(
        InstanceId=INSTANCE, Name="Real", Status="SAVED", Content=CONTENT
    )["View"]
    forced = connectviews.add_response("DeleteView", {}, params={"ViewId": view["Id"]}, times=1)
    connect_client.delete_view(InstanceId=INSTANCE, ViewId=view["Id"])
    assert forced.consumed == 1
    # the backend never saw the delete: the view is still there
    assert connect_client.describe_view(InstanceId=INSTANCE, ViewId=view["Id"] + ":$SAVED")["View"][
        "Name"
    ] == ("Real")
    connectviews.add_response(
        "ListViews",
        {"ViewsSummaryList": [], "NextToken": "edge"},
        params={"Type": "CUSTOMER_MANAGED"},
    )
    assert connect_client.list_views(InstanceId=INSTANCE, Type="CUSTOMER_MANAGED")["NextToken"] == (
        "edge"
    )
    names = [v["Name"] for v in connect_client.list_views(InstanceId=INSTANCE)["ViewsSummaryList"]]
    assert "Real" in names  # params did not match: the fake's own answer


def test_injected_errors_and_validation_come_before_the_canned_answer(
    connectviews: FakeAWS, connect_client: Any
) -> None:
    rule = connectviews.add_response("ListQueues", QUEUES, times=1)
    connectviews.inject_error("list_queues", "InternalServiceException", times=1)
    client = boto3.client(
        "connect", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1})
    )
    with pytest.raises(client.exceptions.InternalServiceException):
        client.list_queues(InstanceId=INSTANCE)
    assert rule.consumed == 0
    # server-side validation of the request, from the model (MaxResults is 1..1000)
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.list_queues(InstanceId=INSTANCE, MaxResults=5000)
    assert rule.consumed == 0
    assert client.list_queues(InstanceId=INSTANCE)["QueueSummaryList"][0]["Id"] == "q-1"
    assert [c.source for c in connectviews.calls] == ["injected", "backend", "canned"]


@pytest.mark.parametrize("mode", ["standard", "legacy"])
def test_a_canned_operation_is_throttled_and_retried(connectviews: FakeAWS, mode: str) -> None:
    connectviews.add_response("ListQueues", QUEUES)
    connectviews.clock.freeze()  # only botocore's (virtual) backoff refills the bucket
    connectviews.throttle(rate=1000, burst=1, operation="list_queues")
    retries = Config(retries={"mode": mode, "total_max_attempts": 10})
    client = boto3.client("connect", region_name="us-east-1", config=retries)
    client.list_queues(InstanceId=INSTANCE)  # takes the bucket's one token
    connectviews.calls._clear()
    out = client.list_queues(InstanceId=INSTANCE)  # the bucket refills while botocore backs off
    assert out["QueueSummaryList"][0]["Id"] == "q-1"
    calls = connectviews.calls
    assert calls[0].source == "throttled"
    assert calls[0].error_code == "ThrottlingException"  # ListQueues' modeled 429
    assert calls.last.source == "canned"
    assert calls.last.attempt == len(calls) > 1


def test_unused_finite_responses_and_swallowed_unhandled_calls_fail_at_teardown(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import boto3, pytest
        from pytest_connectviews import UnhandledOperationError

        def test_unused(connectviews):
            connectviews.add_response("ListQueues", {}, times=2)
            connectviews.add_response("ListPrompts", {})  # unlimited: optional

        def test_swallowed(connectviews):
            client = boto3.client("connect", region_name="us-east-1")
            try:
                client.list_queues(InstanceId="i")
            except Exception:
                pass  # the code under test hides the failure

        @pytest.mark.connectviews(assert_all_calls_handled=False)
        def test_provoked(connectviews):
            client = boto3.client("connect", region_name="us-east-1")
            with pytest.raises(UnhandledOperationError):
                client.list_queues(InstanceId="i")

        def test_failed_already(connectviews):
            client = boto3.client("connect", region_name="us-east-1")
            try:
                client.list_queues(InstanceId="i")
            except Exception:
                pass
            assert False, "its own failure"

        @pytest.mark.connectviews(assert_all_errors_used=False)
        def test_unused_allowed(connectviews):
            connectviews.add_response("ListQueues", {}, times=2)
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=4, failed=1, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_unused*",
            "connectviews: these injected errors or canned responses were never used by a request:",
            "  - add_response('ListQueues', {}, times=2, service='connect')",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_swallowed*",
            "connectviews: these calls were answered by nothing *",
            "  - connect ListQueues (1 attempt). Answer it with a canned response: "
            "connectviews.add_response('list_queues', {'QueueSummaryList': [{'Id': '...', *",
        ]
    )
    out = result.stdout.str()
    assert "ListPrompts" not in out
    assert "teardown of test_provoked" not in out
    assert "teardown of test_failed_already" not in out


def test_the_unhandled_traceback_shows_no_plugin_frames(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3

        def test_it(connectviews):
            boto3.client("connect", region_name="us-east-1").list_queues(InstanceId="i")
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=1)  # the test failed already: no teardown error on top
    out = result.stdout.str()
    assert "UnhandledOperationError: connectviews: connect ListQueues is not implemented" in out
    for frame in ("pipeline.py", "botocore_seam.py", "def handle(", "plugin.py"):
        assert frame not in out, frame


def test_add_response_through_the_real_http_server() -> None:
    fake = FakeAWS()
    fake.add_response("list_queues", QUEUES, times=1)
    with FakeServer(fake) as server:  # the fake is not started: clients go over HTTP
        client = boto3.client(
            "connect",
            region_name="us-east-1",
            endpoint_url=server.url,
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="x",
            config=Config(retries={"total_max_attempts": 1}),
        )
        out = client.list_queues(InstanceId=INSTANCE)
        assert out["QueueSummaryList"][0]["Arn"] == QUEUES["QueueSummaryList"][0]["Arn"]
        assert fake.calls.one("ListQueues").source == "canned"
        with pytest.raises(client.exceptions.ClientError) as info:
            client.list_queues(InstanceId=INSTANCE)  # used up: unhandled, a 501
        assert info.value.response["Error"]["Code"] == "NotImplemented"
        assert [c.source for c in fake.calls] == ["canned", "unhandled"]
        assert server.errors[0].request_id == fake.calls.last.request_id


def test_the_error_hook_decides_before_a_canned_answer(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        def pytest_connectviews_error(operation, attempt):
            if operation == "ListQueues" and attempt == 1:
                return "ThrottlingException"
        """
    )
    pytester.makepyfile(
        """
        import boto3

        def test_it(connectviews):
            connectviews.add_response("ListQueues", {"QueueSummaryList": []})
            client = boto3.client("connect", region_name="us-east-1")
            assert client.list_queues(InstanceId="i")["QueueSummaryList"] == []
            assert [c.source for c in connectviews.calls] == ["injected", "canned"]
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=1)
