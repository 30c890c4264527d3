"""Misuse of the public API fails at once, with a ``connectviews:`` message that says what to do.

Covers every argument check of ``FakeAWS`` and its helpers, and every operation of the two
services' models that the fake does not implement (``UnhandledOperationError``, never the network).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.config import Config

from pytest_connectviews import BlockedRequestError, FakeAWS, UnhandledOperationError, dispatch
from pytest_connectviews._models import service_model

BUILD_ARN = "arn:aws:imagebuilder:us-east-1:123456789012:workflow/build/my-wf/1.0.0/1"
OK_CODE = "InternalServiceException"

#: (id, misuse, words the message must contain: what was wrong and what to do)
MISUSES: list[tuple[str, Callable[[FakeAWS], Any], tuple[str, ...]]] = [
    ("account-short", lambda f: FakeAWS(account_id="123"), ("account_id", "12 digits")),
    ("account-int", lambda f: FakeAWS(account_id=123456789012), ("account_id", "string")),
    ("region", lambda f: FakeAWS(region="US-EAST-1"), ("region", "us-east-1")),
    (
        "inject-operation",
        lambda f: f.inject_error("DescribeViews", OK_CODE),
        ("'DescribeViews'", "Implemented:", "DescribeView"),
    ),
    ("inject-operation-type", lambda f: f.inject_error(None, OK_CODE), ("operation", "None")),
    (
        "inject-code",
        lambda f: f.inject_error("CreateView", "ThrottlingException2"),
        ("'ThrottlingException2'", "TooManyRequestsException"),
    ),
    (
        "inject-code-other-service",
        lambda f: f.inject_error("CreateWorkflow", "TooManyRequestsException2"),
        ("CallRateLimitExceededException",),
    ),
    ("inject-code-type", lambda f: f.inject_error("CreateView", 429), ("error_code", "string")),
    ("inject-times-0", lambda f: f.inject_error("CreateView", OK_CODE, times=0), ("times", ">= 1")),
    ("inject-times-bool", lambda f: f.inject_error("CreateView", OK_CODE, times=True), ("times",)),
    ("inject-times-float", lambda f: f.inject_error("CreateView", OK_CODE, times=1.5), ("times",)),
    (
        "inject-probability-high",
        lambda f: f.inject_error("CreateView", OK_CODE, probability=1.5),
        ("probability", "(0, 1]"),
    ),
    (
        "inject-probability-zero",
        lambda f: f.inject_error("CreateView", OK_CODE, probability=0),
        ("probability",),
    ),
    (
        "inject-probability-str",
        lambda f: f.inject_error("CreateView", OK_CODE, probability="0.5"),
        ("probability",),
    ),
    (
        "inject-fields",
        lambda f: f.inject_error("CreateView", "ResourceInUseException", fields={"Kind": "x"}),
        ("['Kind']", "ResourceType", "ResourceId"),
    ),
    (
        "inject-fields-union",
        lambda f: f.inject_error("CreateView", "InvalidRequestException", fields={"Reason": {}}),
        ("Reason", "union", "AttachedFileInvalidRequestExceptionReason"),
    ),
    (
        "inject-service",
        lambda f: f.inject_error("CreateView", OK_CODE, service="s3"),
        ("service", "connect, imagebuilder"),
    ),
    (
        "inject-wrong-service",
        lambda f: f.inject_error("CreateView", OK_CODE, service="imagebuilder"),
        ("'CreateView'", "imagebuilder", "CreateWorkflow"),
    ),
    (
        "inject-params",
        lambda f: f.inject_error("CreateView", OK_CODE, params=42),
        ("params", "dict", "predicate"),
    ),
    ("throttle-rate", lambda f: f.throttle(rate=-1, burst=1), ("rate", ">= 0")),
    ("throttle-rate-str", lambda f: f.throttle(rate="1", burst=1), ("rate",)),
    ("throttle-burst", lambda f: f.throttle(rate=1, burst=1.5), ("burst", "int")),
    ("throttle-burst-negative", lambda f: f.throttle(rate=1, burst=-1), ("burst",)),
    ("throttle-service", lambda f: f.throttle(rate=1, burst=1, service="sts"), ("service",)),
    (
        "throttle-operation",
        lambda f: f.throttle(rate=1, burst=1, operation="Nope"),
        ("'Nope'", "Implemented:"),
    ),
    (
        "quota-name",
        lambda f: f.set_quota("connect.views", 1),
        ("'connect.views'", "connect.views_per_instance"),
    ),
    (
        "quota-value",
        lambda f: f.set_quota("connect.views_per_instance", -1),
        ("connect.views_per_instance", ">= 0"),
    ),
    (
        "quota-value-float",
        lambda f: f.set_quota("imagebuilder.workflow_versions", 2.5),
        ("int",),
    ),
    ("quota-read", lambda f: f.quota("views"), ("'views'", "Valid quotas")),
    ("clock-advance-negative", lambda f: f.clock.advance(-1), ("advance", ">= 0")),
    ("clock-advance-str", lambda f: f.clock.advance("1"), ("advance",)),
    (
        "clock-freeze-naive",
        lambda f: f.clock.freeze(dt.datetime(2026, 1, 1)),
        ("aware", "tzinfo"),
    ),
    ("clock-freeze-str", lambda f: f.clock.freeze("yesterday"), ("datetime", "epoch")),
    ("add-instance-id", lambda f: f.add_instance("bad id!"), ("instance id", "'bad id!'")),
    ("add-instance-region", lambda f: f.add_instance(region="nowhere"), ("region", "us-east-1")),
    (
        "inject-message",
        lambda f: f.inject_error("CreateView", OK_CODE, message=5),
        ("message", "string"),
    ),
    ("add-instance-long", lambda f: f.add_instance("x" * 101), ("1-100",)),
    (
        "register-document-uri",
        lambda f: f.register_document("https://bucket/key.yaml", "schemaVersion: 1.0"),
        ("s3://",),
    ),
    (
        "register-document-bytes",
        lambda f: f.register_document("s3://bucket/key.yaml", b"schemaVersion: 1.0"),
        ("str", "read_text"),
    ),
    (
        "register-document-empty",
        lambda f: f.register_document("s3://bucket/key.yaml", ""),
        ("non-empty",),
    ),
    ("mark-in-use-arn", lambda f: f.mark_in_use("my-wf"), ("build version ARN", "'my-wf'")),
    (
        "mark-in-use-version-arn",
        lambda f: f.mark_in_use(BUILD_ARN.rsplit("/", 1)[0]),
        ("build version ARN", "workflowBuildVersionArn"),
    ),
]


@pytest.mark.parametrize(("misuse", "words"), [m[1:] for m in MISUSES], ids=[m[0] for m in MISUSES])
def test_bad_arguments_fail_with_a_message_that_says_what_to_do(
    misuse: Callable[[FakeAWS], Any], words: tuple[str, ...]
) -> None:
    fake = FakeAWS()
    with pytest.raises(ValueError, match=r"^connectviews: ") as info:
        misuse(fake)
    message = str(info.value)
    for word in words:
        assert word in message, message
    faults = fake._pipeline.gate.faults
    assert not faults.rules
    assert not faults.throttles
    assert not faults.quotas


def test_starting_an_active_fake_again_is_refused() -> None:
    fake = FakeAWS()
    with fake, pytest.raises(RuntimeError, match=r"^connectviews: .*already started.*stop\(\)"):
        fake.start()
    assert not fake.active


def test_a_blocked_request_says_how_to_allow_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    sts = boto3.client("sts", region_name="us-east-1")
    with FakeAWS(passthrough=False), pytest.raises(BlockedRequestError) as info:
        sts.get_caller_identity()
    message = str(info.value)
    assert message.startswith("connectviews: ")
    for word in ("'sts'", "passthrough=True", "moto"):
        assert word in message


# ------------------------------------------------------------------------------ unimplemented
def sample(shape: Any, depth: int = 0) -> Any:
    """A value of ``shape`` good enough to serialize (recursive shapes stop at depth 6)."""
    kind = shape.type_name
    if depth > 6:
        return {} if kind == "structure" else [] if kind == "list" else {"k": "v"}
    if kind == "structure":
        if getattr(shape, "is_tagged_union", False):  # one member; a scalar one avoids recursion
            members = shape.members.items()
            name, member = next(
                ((n, m) for n, m in members if m.type_name not in ("structure", "list", "map")),
                next(iter(members)),
            )
            return {name: sample(member, depth + 1)}
        return {n: sample(shape.members[n], depth + 1) for n in shape.required_members}
    if kind == "list":
        return [sample(shape.member, depth + 1)] * max(1, shape.metadata.get("min", 1))
    if kind == "map":
        return {"key1": sample(shape.value, depth + 1)}
    if kind in ("integer", "long"):
        return max(1, shape.metadata.get("min", 1))
    if kind in ("float", "double"):
        return 1.0
    if kind == "boolean":
        return False
    if kind == "timestamp":
        return dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    if kind == "blob":
        return b"blob"
    if shape.enum:
        return shape.enum[0]
    return "a" * max(6, shape.metadata.get("min", 6))


@pytest.mark.connectviews(assert_all_calls_handled=False)  # provoked on purpose
@pytest.mark.parametrize("service", ["connect", "imagebuilder"])
def test_every_unimplemented_operation_fails_with_a_helpful_error(
    connectviews: FakeAWS, service: str
) -> None:
    model = service_model(service)
    implemented = set(dispatch.operations(service))
    # no client-side validation: what matters is that the request reaches the fake
    client = boto3.client(
        service, region_name="us-east-1", config=Config(parameter_validation=False)
    )
    unimplemented = [op for op in model.operation_names if op not in implemented]
    assert len(unimplemented) > (250 if service == "connect" else 25)
    wrong = []
    for operation in unimplemented:
        input_shape = model.operation_model(operation).input_shape
        params = sample(input_shape) if input_shape is not None else {}
        try:
            getattr(client, xform_name(operation))(**params)
        except UnhandledOperationError as error:
            message = str(error)
            if not (
                message.startswith(f"connectviews: {service} {operation} is not implemented")
                and "Implemented" in message
                and f"add_response({xform_name(operation)!r}, " in message
                and "Stubber" not in message  # a Stubber on the client breaks the fake's calls
            ):
                wrong.append(f"{operation}: {message}")
        else:
            wrong.append(f"{operation}: answered")
    assert wrong == []
    assert connectviews.calls.operations == unimplemented
    assert {c.source for c in connectviews.calls} == {"unhandled"}


@pytest.mark.connectviews(assert_all_calls_handled=False)
def test_the_unhandled_error_names_the_implemented_operations(connectviews: FakeAWS) -> None:
    connect = boto3.client("connect", region_name="us-east-1")
    with pytest.raises(UnhandledOperationError) as info:
        connect.list_queues(InstanceId="11111111-2222-3333-4444-555555555555")
    assert isinstance(info.value, AssertionError)
    assert info.value.service == "connect"
    assert info.value.operation == "ListQueues"
    assert "CreateView" in info.value.implemented
    assert re.search(r"Implemented connect operations: .*SearchViews", str(info.value))
