"""The model-driven wire codec: routing every operation, decoding by location, encoding errors."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from botocore.awsrequest import HeadersDict
from botocore.parsers import create_parser
from botocore.serialize import create_serializer

from pytest_connectviews import dispatch
from pytest_connectviews._models import service_model
from pytest_connectviews.errors import ServiceError
from pytest_connectviews.wire import ServiceCodec, WireRequest

SERIALIZER = create_serializer("rest-json", include_validation=False)
VIEW_OPERATIONS = sorted(dispatch.operations("connect"))


@pytest.fixture(scope="module")
def connect() -> ServiceCodec:
    return ServiceCodec(service_model("connect"))


def _dummy(shape: Any) -> Any:
    kind = shape.type_name
    if kind == "structure":
        return {name: _dummy(shape.members[name]) for name in shape.required_members}
    if kind == "string":
        return shape.enum[0] if shape.enum else "v1"
    return {"integer": 1, "long": 1, "boolean": True, "list": [], "map": {}, "timestamp": 0}.get(
        kind, "v1"
    )


def _wire(op: Any, params: dict[str, Any]) -> WireRequest:
    """What botocore puts on the wire for ``params`` (its real serializer)."""
    request = SERIALIZER.serialize_to_request(params, op)
    path, _, literal_query = request["url_path"].partition("?")
    query = urlencode(request["query_string"], doseq=True)
    if literal_query:
        query = literal_query + ("&" + query if query else "")
    body = request["body"]
    return WireRequest(
        request["method"],
        path,
        query,
        dict(request["headers"]),
        body if isinstance(body, bytes) else body.encode(),
    )


@pytest.mark.parametrize("service", ["connect", "imagebuilder"])
def test_every_operation_routes_to_itself(service: str) -> None:
    model = service_model(service)
    codec = ServiceCodec(model)
    wrong = []
    for name in model.operation_names:
        op = model.operation_model(name)
        request = _wire(op, _dummy(op.input_shape) if op.input_shape else {})
        routed = codec.route(request.method, request.path, request.query)
        if routed is None or routed[0].name != name:
            wrong.append((name, request.method, request.path, routed and routed[0].name))
    assert wrong == []


@pytest.mark.parametrize(
    ("method", "path", "operation", "captured"),
    [
        ("PUT", "/views/i-1", "CreateView", {"InstanceId": "i-1"}),
        ("GET", "/views/i-1", "ListViews", {"InstanceId": "i-1"}),
        (
            "GET",
            "/views/i-1/v%3A%24SAVED",
            "DescribeView",
            {"InstanceId": "i-1", "ViewId": "v:$SAVED"},
        ),
        ("POST", "/views/i-1/v", "UpdateViewContent", {"InstanceId": "i-1", "ViewId": "v"}),
        (
            "POST",
            "/views/i-1/v/metadata",
            "UpdateViewMetadata",
            {"InstanceId": "i-1", "ViewId": "v"},
        ),
        ("DELETE", "/views/i-1/v", "DeleteView", {"InstanceId": "i-1", "ViewId": "v"}),
        ("PUT", "/views/i-1/v/versions", "CreateViewVersion", {"InstanceId": "i-1", "ViewId": "v"}),
        ("GET", "/views/i-1/v/versions", "ListViewVersions", {"InstanceId": "i-1", "ViewId": "v"}),
        (
            "DELETE",
            "/views/i-1/v/versions/3",
            "DeleteViewVersion",
            {"InstanceId": "i-1", "ViewId": "v", "ViewVersion": "3"},
        ),
        ("POST", "/search-views", "SearchViews", {}),
        (
            "GET",
            "/tags/arn%3Aaws%3Aconnect%3Aus-east-1%3A1%3Ainstance%2Fi%2Fview%2Fv",
            "ListTagsForResource",
            {"resourceArn": "arn:aws:connect:us-east-1:1:instance/i/view/v"},
        ),
    ],
)
def test_view_routes(
    connect: ServiceCodec, method: str, path: str, operation: str, captured: dict[str, str]
) -> None:
    routed = connect.route(method, path, "")
    assert routed is not None
    assert (routed[0].name, routed[1]) == (operation, captured)


def test_unknown_paths_do_not_route(connect: ServiceCodec) -> None:
    assert connect.route("GET", "/no-such-thing/x", "") is None
    assert connect.route("PATCH", "/views/i-1", "") is None
    assert connect.route("GET", "/views/i-1/v/versions/3/extra", "") is None


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        (
            "CreateView",
            {
                "InstanceId": "i-1",
                "ClientToken": "tok",
                "Status": "PUBLISHED",
                "Content": {"Template": '{"Head":{}}', "Actions": ["A", "B"]},
                "Description": "d",
                "Name": "Überprüfung",
                "Tags": {"k": "v"},
            },
        ),
        (
            "DescribeView",
            {"InstanceId": "i-1", "ViewId": "arn:aws:connect:us-east-1:aws:view/form:1"},
        ),
        (
            "ListViews",
            {"InstanceId": "i-1", "Type": "AWS_MANAGED", "NextToken": "t/+=", "MaxResults": 7},
        ),
        ("DeleteViewVersion", {"InstanceId": "i-1", "ViewId": "v", "ViewVersion": 12}),
        (
            "SearchViews",
            {
                "InstanceId": "i-1",
                "MaxResults": 5,
                "SearchCriteria": {
                    "OrConditions": [
                        {
                            "StringCondition": {
                                "FieldName": "name",
                                "Value": "a",
                                "ComparisonType": "EXACT",
                            }
                        },
                        {"ViewStatusCondition": "SAVED"},
                    ]
                },
                "SearchFilter": {
                    "AttributeFilter": {"TagCondition": {"TagKey": "k", "TagValue": "v"}}
                },
            },
        ),
        (
            "UntagResource",
            {"resourceArn": "arn:aws:connect:us-east-1:1:instance/i/view/v", "tagKeys": ["a", "b"]},
        ),
    ],
)
def test_decode_returns_what_the_client_sent(
    connect: ServiceCodec, operation: str, params: dict[str, Any]
) -> None:
    op = service_model("connect").operation_model(operation)
    request = _wire(op, params)
    routed = connect.route(request.method, request.path, request.query)
    assert routed is not None
    assert connect.decode(op, routed[1], request) == params


def test_bad_json_body_is_an_invalid_request(connect: ServiceCodec) -> None:
    op = service_model("connect").operation_model("SearchViews")
    request = WireRequest("POST", "/search-views", "", {}, b"{not json")
    with pytest.raises(ServiceError) as excinfo:
        connect.decode(op, {}, request)
    assert excinfo.value.code == "InvalidRequestException"


def _parse(op_name: str, status: int, headers: dict[str, str], body: bytes) -> Any:
    op = service_model("connect").operation_model(op_name)
    parser = create_parser("rest-json")
    # botocore hands its parser case-insensitive headers, as here.
    wire_headers = HeadersDict(headers)
    return parser.parse(
        {"status_code": status, "headers": wire_headers, "body": body}, op.output_shape
    )


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("DuplicateResourceException", 409),
        ("ResourceNotFoundException", 404),
        ("ServiceQuotaExceededException", 402),
        ("AccessDeniedException", 403),
        ("TooManyRequestsException", 429),
        ("ThrottlingException", 429),
        ("InvalidParameterException", 400),
        ("InternalServiceException", 500),
    ],
)
def test_errors_have_the_modeled_status_and_parse_back(
    connect: ServiceCodec, code: str, status: int
) -> None:
    response = connect.encode_error(ServiceError(code, "what went wrong"), "req-1")
    assert response.status == status
    parsed = _parse("CreateView", response.status, response.headers, response.body)
    assert parsed["Error"] == {"Code": code, "Message": "what went wrong"}
    assert parsed["ResponseMetadata"]["RequestId"] == "req-1"


def test_error_fields_use_the_modeled_member_names(connect: ServiceCodec) -> None:
    error = ServiceError(
        "InvalidRequestException", "bad", Reason={"AttachedFileInvalidRequestExceptionReason": "X"}
    )
    body = json.loads(connect.encode_error(error, "r").body)
    assert body["Reason"] == {"AttachedFileInvalidRequestExceptionReason": "X"}
    assert body["Message"] == "bad"


def test_output_round_trips_through_botocore_parser(connect: ServiceCodec) -> None:
    op = service_model("connect").operation_model("DescribeView")
    when = dt.datetime(2024, 1, 2, 3, 4, 5, 250000, tzinfo=dt.timezone.utc)
    view = {
        "Id": "v",
        "Arn": "arn:aws:connect:us-east-1:1:instance/i/view/v:$LATEST",
        "Name": "Форма",
        "Version": 3,
        "Content": {"Template": "{}", "Actions": ["A"], "InputSchema": "{}"},
        "Tags": {"k": "v"},
        "CreatedTime": when,
        "LastModifiedTime": when,
        "Unmodeled": "dropped",
    }
    response = connect.encode_output(op, {"View": view}, "req-2")
    parsed = _parse("DescribeView", response.status, response.headers, response.body)
    expected = {k: v for k, v in view.items() if k != "Unmodeled"}
    assert parsed["View"] == expected


def test_map_writer_follows_json_dumps_for_any_key(connect: ServiceCodec) -> None:
    tags = service_model("connect").shape_for("TagMap")
    write = connect._writer(tags)
    for value in ({"k": "v", "é": "\u2603"}, {1: "v", 2.5: "w", False: "x", None: "y"}, {}):
        assert write(value) == json.dumps(value, separators=(",", ":"))


def test_conform_drops_what_the_model_lacks_at_any_depth_and_keeps_the_rest() -> None:
    # What a family emits for a newer model than the installed one is neither sent nor recorded:
    # unknown members in the output, in structures inside lists, and inside maps of structures.
    model = service_model("connect")
    codec = ServiceCodec(model)
    op = model.operation_model("ListViews")
    item = {"Id": "v1", "Name": "n", "FutureMember": 1}
    output = {"ViewsSummaryList": [item, {"Id": "v2"}], "NextToken": "t", "FutureTop": {"a": 1}}

    conformed = codec.conform(op, output)

    assert conformed == {
        "ViewsSummaryList": [{"Id": "v1", "Name": "n"}, {"Id": "v2"}],
        "NextToken": "t",
    }
    assert item == {"Id": "v1", "Name": "n", "FutureMember": 1}  # the state is not changed
    assert conformed["ViewsSummaryList"][1] is output["ViewsSummaryList"][1]
    clean = {"ViewsSummaryList": [{"Id": "v2"}], "NextToken": "t"}
    assert codec.conform(op, clean) is clean  # nothing to drop: no copy

    describe = model.operation_model("DescribeView")
    view = {"View": {"Id": "v", "Tags": {"k": "v"}, "Content": {"Actions": ["a"], "Extra": 1}}}
    assert codec.conform(describe, view) == {
        "View": {"Id": "v", "Tags": {"k": "v"}, "Content": {"Actions": ["a"]}}
    }

    imagebuilder = service_model("imagebuilder")
    ib = ServiceCodec(imagebuilder)
    get = imagebuilder.operation_model("GetDistributionConfiguration")
    answer = {
        "distributionConfiguration": {
            "arn": "a",
            "distributions": [
                {"region": "us-east-1", "amiDistributionConfiguration": {"name": "x", "New": 1}}
            ],
        }
    }
    assert ib.conform(get, answer) == {
        "distributionConfiguration": {
            "arn": "a",
            "distributions": [
                {"region": "us-east-1", "amiDistributionConfiguration": {"name": "x"}}
            ],
        }
    }
