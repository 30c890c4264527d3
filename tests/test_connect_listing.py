"""ListViews, ListViewVersions, SearchViews, tags and the AWS-managed views (SPEC §4)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_connectviews import FakeAWS

INSTANCE = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
MANAGED = ["after-contact-work", "cards", "confirmation", "detail", "form", "list"]
MANAGED_NAMES = ["After Contact Work", "Cards", "Confirmation", "Detail", "Form", "List"]
TEMPLATE = json.dumps(
    {"Head": {"Title": "T"}, "Body": [{"_id": "b", "Type": "Button", "Props": {"Action": "Go"}}]}
)


def create(client: Any, name: str, status: str = "PUBLISHED", **kwargs: Any) -> dict[str, Any]:
    view: dict[str, Any] = client.create_view(
        InstanceId=INSTANCE,
        Name=name,
        Status=status,
        Content={"Template": TEMPLATE, "Actions": ["Go"]},
        **kwargs,
    )["View"]
    return view


def managed_arn(view_id: str, region: str = "us-east-1") -> str:
    return f"arn:aws:connect:{region}:aws:view/{view_id}"


def view_arn(view_id: str) -> str:
    return f"arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE}/view/{view_id}"


# ---------------------------------------------------------------------------- ListViews
def test_list_views_managed_first_then_by_name(connect_client: Any) -> None:
    ids = {
        name: create(connect_client, name, status)["Id"]
        for name, status in [("zeta", "SAVED"), ("Alpha", "PUBLISHED"), ("beta", "SAVED")]
    }
    connect_client.update_view_metadata(InstanceId=INSTANCE, ViewId=ids["beta"], Description="B")

    items = connect_client.list_views(InstanceId=INSTANCE)["ViewsSummaryList"]

    assert [i["Name"] for i in items] == [*MANAGED_NAMES, "Alpha", "beta", "zeta"]
    assert [i["Type"] for i in items] == ["AWS_MANAGED"] * 6 + ["CUSTOMER_MANAGED"] * 3
    customer = {i["Name"]: i for i in items[6:]}
    assert customer["Alpha"]["Status"] == "PUBLISHED"
    assert customer["zeta"]["Status"] == "SAVED"
    assert customer["beta"]["Description"] == "B"
    assert "Description" not in customer["zeta"]
    for name, item in customer.items():
        assert item["Id"] == ids[name]
        assert item["Arn"] == view_arn(ids[name])  # bare ARN, no qualifier
    assert [i["Arn"] for i in items[:6]] == [managed_arn(m) for m in MANAGED]
    assert {i["Status"] for i in items[:6]} == {"PUBLISHED"}


def test_list_views_type_filter(connect_client: Any) -> None:
    create(connect_client, "Mine")
    managed = connect_client.list_views(InstanceId=INSTANCE, Type="AWS_MANAGED")
    customer = connect_client.list_views(InstanceId=INSTANCE, Type="CUSTOMER_MANAGED")
    assert [i["Id"] for i in managed["ViewsSummaryList"]] == MANAGED
    assert [i["Name"] for i in customer["ViewsSummaryList"]] == ["Mine"]


def test_managed_views_listed_for_every_instance(connect_client: Any) -> None:
    for instance in ("one", "two"):
        items = connect_client.list_views(InstanceId=instance)["ViewsSummaryList"]
        assert [i["Id"] for i in items] == MANAGED


@pytest.mark.parametrize("bad", [0, 101])
def test_list_views_max_results_bounds(connectviews: FakeAWS, bad: int) -> None:
    import boto3
    from botocore.config import Config

    # botocore checks the minimum client-side; the fake checks both bounds server-side.
    client = boto3.client(
        "connect", region_name="us-east-1", config=Config(parameter_validation=False)
    )
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.list_views(InstanceId=INSTANCE, MaxResults=bad)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert (
        "maxResults" in excinfo.value.response["Error"]["Message"]
        or "MaxResults" in (excinfo.value.response["Error"]["Message"])
    )


def test_list_views_default_page_is_100_and_max_results_limits(connect_client: Any) -> None:
    for i in range(110):
        create(connect_client, f"v{i:03d}", "SAVED")
    first = connect_client.list_views(InstanceId=INSTANCE)
    assert len(first["ViewsSummaryList"]) == 100
    assert "NextToken" in first
    one = connect_client.list_views(InstanceId=INSTANCE, MaxResults=1)
    assert len(one["ViewsSummaryList"]) == 1
    exact = connect_client.list_views(InstanceId=INSTANCE, MaxResults=6, Type="AWS_MANAGED")
    assert len(exact["ViewsSummaryList"]) == 6
    assert "NextToken" not in exact  # no empty trailing page


def test_list_views_paginator_over_hundreds(connect_client: Any) -> None:
    names = [f"view-{i:04d}" for i in range(350)]
    for name in reversed(names):
        create(connect_client, name, "SAVED")
    pages = list(
        connect_client.get_paginator("list_views").paginate(
            InstanceId=INSTANCE, PaginationConfig={"PageSize": 37}
        )
    )
    seen = [i["Name"] for page in pages for i in page["ViewsSummaryList"]]
    assert seen == MANAGED_NAMES + names
    assert len(pages) == -(-356 // 37)

    customer = (
        connect_client.get_paginator("list_views")
        .paginate(InstanceId=INSTANCE, Type="CUSTOMER_MANAGED", PaginationConfig={"PageSize": 100})
        .build_full_result()
    )
    assert [i["Name"] for i in customer["ViewsSummaryList"]] == names


def test_list_views_pages_survive_a_rename_between_pages(connect_client: Any) -> None:
    ids = [create(connect_client, f"n{i}", "SAVED")["Id"] for i in range(4)]
    page = connect_client.list_views(InstanceId=INSTANCE, Type="CUSTOMER_MANAGED", MaxResults=2)
    connect_client.update_view_metadata(InstanceId=INSTANCE, ViewId=ids[0], Name="n9")
    rest = connect_client.list_views(
        InstanceId=INSTANCE, Type="CUSTOMER_MANAGED", MaxResults=2, NextToken=page["NextToken"]
    )
    assert [i["Name"] for i in page["ViewsSummaryList"]] == ["n0", "n1"]
    assert [i["Name"] for i in rest["ViewsSummaryList"]] == ["n2", "n3"]


def test_list_views_refuses_foreign_and_garbage_tokens(connect_client: Any) -> None:
    for i in range(3):
        create(connect_client, f"x{i}", "SAVED")
    token = connect_client.list_views(InstanceId=INSTANCE, MaxResults=2)["NextToken"]
    vid = create(connect_client, "versions")["Id"]
    for n in range(3):
        connect_client.update_view_content(
            InstanceId=INSTANCE,
            ViewId=vid,
            Status="PUBLISHED",
            Content={"Template": json.dumps({"Head": {"n": n}, "Body": []}), "Actions": []},
        )
        connect_client.create_view_version(InstanceId=INSTANCE, ViewId=vid)
    versions_token = connect_client.list_view_versions(
        InstanceId=INSTANCE, ViewId=vid, MaxResults=1
    )["NextToken"]

    attempts = [
        {"NextToken": token, "Type": "AWS_MANAGED"},  # same instance, other listing
        {"NextToken": versions_token},
        {"NextToken": "garbage"},
        {"NextToken": token[:-2] + ("AA" if not token.endswith("AA") else "BB")},
    ]
    for extra in attempts:
        with pytest.raises(connect_client.exceptions.InvalidParameterException):
            connect_client.list_views(InstanceId=INSTANCE, MaxResults=2, **extra)
    with pytest.raises(connect_client.exceptions.InvalidParameterException):
        connect_client.list_views(InstanceId="another-instance", NextToken=token)
    # The genuine token still works.
    ok = connect_client.list_views(InstanceId=INSTANCE, MaxResults=2, NextToken=token)
    assert len(ok["ViewsSummaryList"]) == 2


# ---------------------------------------------------------------------------- ListViewVersions
def test_list_view_versions_highest_first_with_paginator(connect_client: Any) -> None:
    vid = create(connect_client, "versioned")["Id"]
    for n in range(1, 13):
        connect_client.update_view_content(
            InstanceId=INSTANCE,
            ViewId=vid,
            Status="PUBLISHED",
            Content={"Template": json.dumps({"Head": {"n": n}, "Body": []}), "Actions": []},
        )
        connect_client.create_view_version(
            InstanceId=INSTANCE, ViewId=vid, VersionDescription=f"release {n}"
        )
    connect_client.delete_view_version(InstanceId=INSTANCE, ViewId=vid, ViewVersion=5)

    pages = list(
        connect_client.get_paginator("list_view_versions").paginate(
            InstanceId=INSTANCE, ViewId=view_arn(vid), PaginationConfig={"PageSize": 4}
        )
    )
    items = [i for page in pages for i in page["ViewVersionSummaryList"]]
    expected = [n for n in range(12, 0, -1) if n != 5]
    assert [i["Version"] for i in items] == expected
    assert len(pages) == 3
    assert [i["Arn"] for i in items] == [f"{view_arn(vid)}:{n}" for n in expected]
    assert {i["Id"] for i in items} == {vid}
    assert items[0]["VersionDescription"] == "release 12"
    assert {(i["Name"], i["Type"]) for i in items} == {("versioned", "CUSTOMER_MANAGED")}


def test_list_view_versions_of_unknown_view(connect_client: Any) -> None:
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
        connect_client.list_view_versions(InstanceId=INSTANCE, ViewId="nope")


# ---------------------------------------------------------------------------- AWS-managed views
@pytest.mark.parametrize("view_id", MANAGED)
def test_describe_managed_view_by_arn(connect_client: Any, view_id: str) -> None:
    for ref in (managed_arn(view_id), managed_arn(view_id) + ":1"):
        view = connect_client.describe_view(InstanceId=INSTANCE, ViewId=ref)["View"]
        assert view["Arn"] == managed_arn(view_id) + ":1"
        assert view["Id"] == view_id
        assert view["Type"] == "AWS_MANAGED"
        assert view["Status"] == "PUBLISHED"
        assert view["Version"] == 1
        assert json.loads(view["Content"]["Template"])["Body"]


def test_managed_view_content_matches_the_capture(connect_client: Any) -> None:
    from pathlib import Path

    captured = json.loads(
        (
            Path(__file__).parent / "data" / "views" / "aws_managed_after_contact_work.json"
        ).read_text()
    )
    view = connect_client.describe_view(
        InstanceId=INSTANCE, ViewId=managed_arn("after-contact-work")
    )["View"]
    assert json.loads(view["Content"]["Template"]) == captured
    assert view["Content"]["Actions"] == ["Cancel", "Submit"]


def test_managed_views_are_per_region(connectviews: FakeAWS) -> None:
    import boto3

    west = boto3.client("connect", region_name="us-west-2")
    view = west.describe_view(InstanceId=INSTANCE, ViewId=managed_arn("form", "us-west-2"))["View"]
    assert view["Arn"] == managed_arn("form", "us-west-2") + ":1"
    with pytest.raises(west.exceptions.ResourceNotFoundException):
        west.describe_view(InstanceId=INSTANCE, ViewId=managed_arn("form", "us-east-1"))


def test_managed_view_needs_its_arn(connect_client: Any) -> None:
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
        connect_client.describe_view(InstanceId=INSTANCE, ViewId="form")
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
        connect_client.describe_view(InstanceId=INSTANCE, ViewId=managed_arn("form") + ":2")


def test_managed_views_cannot_be_changed(connect_client: Any, connectviews: FakeAWS) -> None:
    arn = managed_arn("detail")
    body = {"Template": TEMPLATE, "Actions": ["Go"]}
    attempts = [
        lambda: connect_client.update_view_content(
            InstanceId=INSTANCE, ViewId=arn, Status="SAVED", Content=body
        ),
        lambda: connect_client.update_view_metadata(InstanceId=INSTANCE, ViewId=arn, Name="Mine"),
        lambda: connect_client.create_view_version(InstanceId=INSTANCE, ViewId=arn),
        lambda: connect_client.delete_view(InstanceId=INSTANCE, ViewId=arn),
        lambda: connect_client.delete_view_version(InstanceId=INSTANCE, ViewId=arn, ViewVersion=1),
        lambda: connect_client.tag_resource(resourceArn=arn, tags={"k": "v"}),
    ]
    for attempt in attempts:
        with pytest.raises(connect_client.exceptions.AccessDeniedException) as excinfo:
            attempt()
        assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert connectviews.calls.count(error_code="AccessDeniedException") == len(attempts)
    assert connect_client.describe_view(InstanceId=INSTANCE, ViewId=arn)["View"]["Name"] == "Detail"


def test_managed_view_versions(connect_client: Any) -> None:
    items = connect_client.list_view_versions(InstanceId=INSTANCE, ViewId=managed_arn("cards"))[
        "ViewVersionSummaryList"
    ]
    assert [(i["Version"], i["Arn"]) for i in items] == [(1, managed_arn("cards") + ":1")]


# ---------------------------------------------------------------------------- SearchViews
@pytest.fixture
def catalog(connect_client: Any) -> dict[str, str]:
    views = [
        ("Refund form", "Collects refund details", "PUBLISHED", {"team": "billing"}),
        ("Refund confirmation", None, "SAVED", {"team": "billing", "tier": "gold"}),
        ("Address change", "Updates the customer address", "PUBLISHED", {"team": "care"}),
        ("Survey", "Post-contact refund survey", "SAVED", {}),
    ]
    ids = {}
    for name, description, status, tags in views:
        extra: dict[str, Any] = {}
        if description:
            extra["Description"] = description
        if tags:
            extra["Tags"] = tags
        ids[name] = create(connect_client, name, status, **extra)["Id"]
    return ids


def search(client: Any, criteria: dict[str, Any] | None = None, **kwargs: Any) -> list[str]:
    if criteria is not None:
        kwargs["SearchCriteria"] = criteria
    result = client.search_views(InstanceId=INSTANCE, **kwargs)
    names = [v["Name"] for v in result["Views"]]
    assert result["ApproximateTotalCount"] == len(names)
    return names


def string(field: str, value: str, comparison: str) -> dict[str, Any]:
    return {"StringCondition": {"FieldName": field, "Value": value, "ComparisonType": comparison}}


CUSTOMER = {"ViewTypeCondition": "CUSTOMER_MANAGED"}


def test_search_string_conditions(connect_client: Any, catalog: dict[str, str]) -> None:
    def customer(condition: dict[str, Any]) -> list[str]:
        return search(connect_client, {"AndConditions": [CUSTOMER, condition]})

    assert customer(string("name", "Refund", "STARTS_WITH")) == [
        "Refund confirmation",
        "Refund form",
    ]
    assert customer(string("name", "form", "CONTAINS")) == ["Refund form"]
    assert customer(string("name", "Survey", "EXACT")) == ["Survey"]
    assert customer(string("name", "Surv", "EXACT")) == []
    assert customer(string("description", "refund", "CONTAINS")) == ["Refund form", "Survey"]
    assert customer(string("resourceId", catalog["Survey"], "EXACT")) == ["Survey"]


def test_search_type_status_and_nesting(connect_client: Any, catalog: dict[str, str]) -> None:
    assert search(connect_client, {"ViewTypeCondition": "AWS_MANAGED"}) == MANAGED_NAMES
    assert search(
        connect_client, {"AndConditions": [CUSTOMER, {"ViewStatusCondition": "SAVED"}]}
    ) == ["Refund confirmation", "Survey"]
    either = {
        "AndConditions": [
            CUSTOMER,
            {
                "OrConditions": [
                    string("name", "Address", "STARTS_WITH"),
                    {
                        "AndConditions": [
                            string("name", "Refund", "STARTS_WITH"),
                            {"ViewStatusCondition": "PUBLISHED"},
                        ]
                    },
                ]
            },
        ]
    }
    assert search(connect_client, either) == ["Address change", "Refund form"]


def test_search_without_criteria_lists_everything(
    connect_client: Any, catalog: dict[str, str]
) -> None:
    assert search(connect_client) == MANAGED_NAMES + sorted(catalog)


def test_search_results_are_full_views(connect_client: Any, catalog: dict[str, str]) -> None:
    result = connect_client.search_views(
        InstanceId=INSTANCE, SearchCriteria=string("name", "Survey", "EXACT")
    )
    (view,) = result["Views"]
    assert view["Id"] == catalog["Survey"]
    assert view["Content"]["Template"] == TEMPLATE
    assert view["Status"] == "SAVED"


def test_search_tag_filters(connect_client: Any, catalog: dict[str, str]) -> None:
    def tagged(attribute_filter: dict[str, Any]) -> list[str]:
        return search(connect_client, SearchFilter={"AttributeFilter": attribute_filter})

    assert tagged({"TagCondition": {"TagKey": "team", "TagValue": "billing"}}) == [
        "Refund confirmation",
        "Refund form",
    ]
    assert tagged(
        {
            "AndCondition": {
                "TagConditions": [
                    {"TagKey": "team", "TagValue": "billing"},
                    {"TagKey": "tier", "TagValue": "gold"},
                ]
            }
        }
    ) == ["Refund confirmation"]
    assert tagged(
        {
            "OrConditions": [
                {"TagConditions": [{"TagKey": "team", "TagValue": "care"}]},
                {"TagConditions": [{"TagKey": "tier", "TagValue": "gold"}]},
            ]
        }
    ) == ["Address change", "Refund confirmation"]


def test_search_paginator(connect_client: Any) -> None:
    for i in range(130):
        create(connect_client, f"bulk-{i:03d}", "SAVED")
    pages = list(
        connect_client.get_paginator("search_views").paginate(
            InstanceId=INSTANCE,
            SearchCriteria=string("name", "bulk-", "STARTS_WITH"),
            PaginationConfig={"PageSize": 50},
        )
    )
    assert [len(p["Views"]) for p in pages] == [50, 50, 30]
    assert {p["ApproximateTotalCount"] for p in pages} == {130}
    names = [v["Name"] for p in pages for v in p["Views"]]
    assert names == [f"bulk-{i:03d}" for i in range(130)]


def test_search_token_is_bound_to_its_query(connect_client: Any) -> None:
    for i in range(3):
        create(connect_client, f"s{i}", "SAVED")
    token = connect_client.search_views(InstanceId=INSTANCE, MaxResults=2)["NextToken"]
    with pytest.raises(connect_client.exceptions.InvalidParameterException):
        connect_client.search_views(
            InstanceId=INSTANCE, NextToken=token, SearchCriteria={"ViewStatusCondition": "SAVED"}
        )


def test_search_needs_a_uuid_instance(connect_client: Any) -> None:
    with pytest.raises(connect_client.exceptions.InvalidParameterException):
        connect_client.search_views(InstanceId="not-a-uuid")
    arn = f"arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE}"
    create(connect_client, "by-arn", "SAVED")
    assert "by-arn" in search_names(connect_client, arn)


def search_names(client: Any, instance: str) -> list[str]:
    return [v["Name"] for v in client.search_views(InstanceId=instance)["Views"]]


def test_search_unknown_field(connect_client: Any) -> None:
    with pytest.raises(connect_client.exceptions.InvalidParameterException) as excinfo:
        search(connect_client, string("colour", "x", "EXACT"))
    assert "colour" in excinfo.value.response["Error"]["Message"]


# ---------------------------------------------------------------------------- tags
def test_tag_untag_list(connect_client: Any) -> None:
    vid = create(connect_client, "tagged", Tags={"a": "1"})["Id"]
    arn = view_arn(vid)
    connect_client.tag_resource(resourceArn=arn, tags={"b": "2", "a": "one"})
    assert connect_client.list_tags_for_resource(resourceArn=arn)["tags"] == {"a": "one", "b": "2"}
    connect_client.untag_resource(resourceArn=arn, tagKeys=["a", "missing"])
    assert connect_client.list_tags_for_resource(resourceArn=arn)["tags"] == {"b": "2"}
    # Tags belong to the view, not a qualifier: DescribeView shows them on every alias.
    described = connect_client.describe_view(InstanceId=INSTANCE, ViewId=vid + ":$SAVED")["View"]
    assert described["Tags"] == {"b": "2"}


def test_tags_refuse_aws_prefix(connect_client: Any) -> None:
    vid = create(connect_client, "tagged")["Id"]
    with pytest.raises(connect_client.exceptions.InvalidParameterException):
        connect_client.tag_resource(resourceArn=view_arn(vid), tags={"aws:owner": "me"})
    with pytest.raises(connect_client.exceptions.InvalidParameterException):
        create(connect_client, "other", Tags={"aws:owner": "me"})
    assert connect_client.list_tags_for_resource(resourceArn=view_arn(vid))["tags"] == {}


def test_tags_need_the_bare_view_arn(connect_client: Any) -> None:
    vid = create(connect_client, "tagged")["Id"]
    for arn in (view_arn(vid) + ":$LATEST", vid, view_arn("00000000-0000-4000-8000-000000000000")):
        with pytest.raises(connect_client.exceptions.ResourceNotFoundException) as excinfo:
            connect_client.tag_resource(resourceArn=arn, tags={"k": "v"})
        assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_at_most_50_tags(connect_client: Any) -> None:
    vid = create(connect_client, "tagged", Tags={f"k{i}": "v" for i in range(40)})["Id"]
    with pytest.raises(connect_client.exceptions.InvalidParameterException):
        connect_client.tag_resource(
            resourceArn=view_arn(vid), tags={f"n{i}": "v" for i in range(11)}
        )
    assert len(connect_client.list_tags_for_resource(resourceArn=view_arn(vid))["tags"]) == 40


def test_search_unknown_field_is_refused_even_when_nested(connect_client: Any) -> None:
    nested = {"AndConditions": [{"ViewTypeCondition": "AWS_MANAGED"}, string("size", "1", "EXACT")]}
    with pytest.raises(connect_client.exceptions.InvalidParameterException):
        search(connect_client, {"AndConditions": [{"ViewStatusCondition": "SAVED"}, nested]})
