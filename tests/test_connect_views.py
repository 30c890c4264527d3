"""Connect views through real boto3 clients: create, qualifiers, versions, content (SPEC §4)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from pytest_connectviews import FakeAWS

DATA = Path(__file__).parent / "data" / "views"
INSTANCE = "11111111-2222-3333-4444-555555555555"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def template(title: str = "T", action: str = "Go") -> dict[str, Any]:
    return {
        "Head": {"Title": title},
        "Body": [{"_id": "b", "Type": "Button", "Props": {"Action": action}, "Content": [action]}],
    }


def content(title: str = "T", action: str = "Go") -> dict[str, Any]:
    return {"Template": json.dumps(template(title, action)), "Actions": [action]}


def spec_sha(template_text: str, actions: list[str]) -> str:
    """SPEC §4 formula, written out independently of the backend."""
    canonical = json.dumps(
        {"Actions": actions, "Template": template_text},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def base_arn(view_id: str, region: str = "us-east-1", account: str = "123456789012") -> str:
    return f"arn:aws:connect:{region}:{account}:instance/{INSTANCE}/view/{view_id}"


def create(client: Any, **kwargs: Any) -> dict[str, Any]:
    """CreateView in INSTANCE; defaults: Name "Form", Status PUBLISHED, a valid one-button view."""
    params = {"InstanceId": INSTANCE, "Name": "Form", "Status": "PUBLISHED", "Content": content()}
    view: dict[str, Any] = client.create_view(**{**params, **kwargs})["View"]
    return view


def describe(client: Any, view_id: str) -> dict[str, Any]:
    view: dict[str, Any] = client.describe_view(InstanceId=INSTANCE, ViewId=view_id)["View"]
    return view


def error_of(excinfo: pytest.ExceptionInfo[Any]) -> tuple[str, int]:
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


# ---------------------------------------------------------------------------- CreateView
def test_create_published_sets_saved_and_latest(connect_client: Any) -> None:
    view = create(connect_client, Status="PUBLISHED", Description="A form")

    assert UUID_RE.match(view["Id"])
    assert view["Arn"] == base_arn(view["Id"]) + ":$LATEST"
    assert view["Name"] == "Form"
    assert view["Status"] == "PUBLISHED"
    assert view["Type"] == "CUSTOMER_MANAGED"
    assert view["Description"] == "A form"
    assert "Version" not in view  # CreateView makes no numbered version
    latest = describe(connect_client, view["Id"] + ":$LATEST")
    saved = describe(connect_client, view["Id"] + ":$SAVED")
    assert latest["Content"]["Template"] == saved["Content"]["Template"] == content()["Template"]
    assert saved["Status"] == "PUBLISHED"  # saved equals latest


def test_create_saved_sets_only_saved(connect_client: Any) -> None:
    view = create(connect_client, Status="SAVED")

    assert view["Arn"] == base_arn(view["Id"]) + ":$SAVED"
    assert view["Status"] == "SAVED"
    assert describe(connect_client, view["Id"] + ":$SAVED")["Status"] == "SAVED"
    for qualifier in ("", ":$LATEST"):
        with pytest.raises(connect_client.exceptions.ResourceNotFoundException) as excinfo:
            describe(connect_client, view["Id"] + qualifier)
        assert error_of(excinfo) == ("ResourceNotFoundException", 404)


def test_sha256_is_the_spec_formula_over_non_ascii_content(connect_client: Any) -> None:
    tpl = json.dumps({"Head": {"Title": "Café ☕"}, "Body": []}, ensure_ascii=False)
    view = create(connect_client, Status="SAVED", Content={"Template": tpl, "Actions": ["Añadir"]})

    expected = spec_sha(tpl, ["Añadir"])
    assert view["ViewContentSha256"] == expected
    assert re.fullmatch(r"[0-9a-f]{64}", expected)
    assert view["Content"]["Template"] == tpl  # stored byte for byte


def test_input_schema_for_the_aws_doc_cards_fixture(connect_client: Any) -> None:
    doc = json.loads((DATA / "customer_managed_cards_awsdoc.json").read_text("utf-8"))
    view = create(
        connect_client,
        Name="CustomerManagedCards",
        Content={"Template": json.dumps(doc["Template"]), "Actions": doc["Actions"]},
    )

    prop = (
        r'{"anyOf":[{"type":"string","pattern":"^$|^(?!\\$\\.).+"},{"type":"number"},'
        r'{"anyOf":[{"type":"string","pattern":"^\\$\\.{1}#[a-zA-Z0-9_]+(\\[[0-9]*\\])*'
        r'(\\.[a-zA-Z0-9_]+(\\[[0-9]*\\])*)*$"}]}]}'
    )
    expected = (
        '{"type":"object","properties":{"NoIconCardHeading":'
        + prop
        + '},"required":[],'
        + NEWER_DEFS
        + "}"
    )
    assert view["Content"]["InputSchema"] == expected


# The reference A.2 ViewCondition block, newer (Equals|NotEquals|Includes) variant, verbatim.
NEWER_DEFS = (
    '"$defs":{"ViewCondition":{"$id":"/view/condition","type":"object","patternProperties":'
    '{"^(MoreThan|LessThan|NotEquals|Equals|Includes)$":{"type":"object","properties":'
    '{"ElementByKey":{"type":"string"},"ElementByValue":{"anyOf":[{"type":"number"},'
    '{"type":"string"},{"type":"boolean"},{"type":"array"},{"type":"object"}]}},'
    '"additionalProperties":false},"^(AndConditions|OrConditions)$":{"type":"array",'
    '"items":{"$ref":"/view/condition"}}},"additionalProperties":false}}'
)


def test_input_schema_of_the_captured_task_demo_widget(connect_client: Any) -> None:
    captured = json.loads((DATA / "task_demo_widget_captured.json").read_text("utf-8"))
    body = captured["content"]
    view = create(
        connect_client,
        Name=captured["name"],
        Content={"Template": json.dumps(body["template"]), "Actions": body["actions"]},
    )

    schema = view["Content"]["InputSchema"]
    assert schema == '{"type":"object","properties":{},"required":[],' + NEWER_DEFS + "}"
    # Same shape as the captured one; only the ViewCondition variant is newer.
    older = json.loads(schema)
    older["$defs"] = body["inputSchema"]["$defs"]
    assert older == body["inputSchema"]


def test_input_refs_are_values_only_depth_first_each_once(connect_client: Any) -> None:
    tpl = {
        "Head": {"Title": "$.Title", "$.NotAKey": "x"},
        "Body": [
            {
                "_id": "a",
                "Type": "T",
                "Props": {"Z": "$.Zeta.Inner", "A": "$.Alpha"},
                "Content": [],
            },
            {"_id": "b", "Type": "T", "Props": {"Again": "$.Zeta", "L": ["$.Listed", "$.#hash"]}},
        ],
    }
    view = create(connect_client, Status="SAVED", Content={"Template": json.dumps(tpl)})

    assert list(json.loads(view["Content"]["InputSchema"])["properties"]) == [
        "Title",
        "Zeta",
        "Alpha",
        "Listed",
    ]


def test_captured_after_contact_work_template_publishes(connect_client: Any) -> None:
    tpl = json.loads((DATA / "aws_managed_after_contact_work.json").read_text("utf-8"))
    view = create(
        connect_client,
        Name="ACW copy",
        Content={"Template": json.dumps(tpl), "Actions": ["Cancel", "Submit"]},
    )
    props = json.loads(view["Content"]["InputSchema"])["properties"]
    assert list(props)[:3] == ["CustomerName", "PhoneNumber", "Example_Label"]


# ---------------------------------------------------------------------------- content validation
@pytest.mark.parametrize(
    ("template_text", "fragment"),
    [
        ("not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ('"text"', "JSON object"),
    ],
)
def test_saved_content_must_be_a_json_object(
    connect_client: Any, template_text: str, fragment: str
) -> None:
    with pytest.raises(connect_client.exceptions.InvalidParameterException) as excinfo:
        create(connect_client, Status="SAVED", Content={"Template": template_text})
    assert error_of(excinfo) == ("InvalidParameterException", 400)
    assert fragment in excinfo.value.response["Error"]["Message"]


def test_saved_content_skips_full_validation(connect_client: Any) -> None:
    view = create(connect_client, Status="SAVED", Content={"Template": '{"Body": "draft"}'})
    assert view["Status"] == "SAVED"


def _component(_id: str = "c", **props: Any) -> dict[str, Any]:
    return {"_id": _id, "Type": "Button", "Props": props}


@pytest.mark.parametrize(
    ("tpl", "actions", "fragment"),
    [
        ({"Body": []}, [], "'Head'"),
        ({"Head": {}}, [], "'Body'"),
        ({"Head": {}, "Body": [{"Type": "Button", "Props": {}}]}, [], "'_id'"),
        ({"Head": {}, "Body": [{"_id": "x", "Props": {}}]}, [], "'Type'"),
        ({"Head": {}, "Body": [{"_id": "x", "Type": "Button"}]}, [], "'Props'"),
        (
            {
                "Head": {},
                "Body": [_component("x"), {**_component("y"), "Content": [_component("x")]}],
            },
            [],
            "'x' is not unique",
        ),
        ({"Head": {}, "Body": [_component("x", Action="Submit")]}, ["Cancel"], "'Submit'"),
        (
            {
                "Head": {},
                "Body": [{**_component("p"), "Content": [_component("k", Action="Deep")]}],
            },
            ["Other"],
            "'Deep'",
        ),
    ],
)
def test_published_content_gets_full_validation(
    connect_client: Any, tpl: dict[str, Any], actions: list[str], fragment: str
) -> None:
    body = {"Template": json.dumps(tpl), "Actions": actions}
    with pytest.raises(connect_client.exceptions.InvalidParameterException) as excinfo:
        create(connect_client, Content=body)
    assert fragment in excinfo.value.response["Error"]["Message"]
    # The same content is fine as a draft.
    assert create(connect_client, Status="SAVED", Content=body)["Status"] == "SAVED"


def test_update_to_published_validates_fully(connect_client: Any) -> None:
    view = create(connect_client, Status="SAVED", Content={"Template": "{}"})
    with pytest.raises(connect_client.exceptions.InvalidParameterException):
        connect_client.update_view_content(
            InstanceId=INSTANCE, ViewId=view["Id"], Status="PUBLISHED", Content={"Template": "{}"}
        )


def test_content_limit_is_409600_bytes_of_template_plus_actions(connect_client: Any) -> None:
    actions = ["Go", "é" * 100]  # 2 + 200 UTF-8 bytes
    shell = '{"Head":{},"Body":[],"Pad":""}'
    pad = 409_600 - len(shell) - 202
    at_limit = shell.replace('""', '"' + "x" * pad + '"')
    assert len(at_limit.encode()) + 202 == 409_600

    ok = create(connect_client, Name="AtLimit", Content={"Template": at_limit, "Actions": actions})
    assert ok["Status"] == "PUBLISHED"
    over = {"Template": at_limit, "Actions": [*actions, "X"]}
    with pytest.raises(connect_client.exceptions.InvalidParameterException) as excinfo:
        create(connect_client, Name="Over", Status="SAVED", Content=over)
    assert "409601" in excinfo.value.response["Error"]["Message"]


# ---------------------------------------------------------------------------- DescribeView
def test_describe_by_id_arn_and_qualifiers(connect_client: Any) -> None:
    view = create(connect_client)
    view_id = view["Id"]
    arn = base_arn(view_id)
    connect_client.create_view_version(InstanceId=INSTANCE, ViewId=view_id)

    for ref, arn_suffix in [
        (view_id, ":$LATEST"),
        (arn, ":$LATEST"),
        (f"{view_id}:$LATEST", ":$LATEST"),
        (f"{arn}:$LATEST", ":$LATEST"),
        (f"{view_id}:$SAVED", ":$SAVED"),
        (f"{arn}:$SAVED", ":$SAVED"),
        (f"{view_id}:1", ":1"),
        (f"{arn}:1", ":1"),
    ]:
        got = describe(connect_client, ref)
        assert got["Id"] == view_id, ref
        assert got["Arn"] == arn + arn_suffix, ref
        assert got["Version"] == 1, ref
        assert got["Status"] == "PUBLISHED", ref


def test_describe_instance_arn_as_instance_id(connect_client: Any) -> None:
    view = create(connect_client)
    instance_arn = f"arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE}"
    got = connect_client.describe_view(InstanceId=instance_arn, ViewId=view["Id"])["View"]
    assert got["Id"] == view["Id"]
    listed = connect_client.list_views(InstanceId=instance_arn, Type="CUSTOMER_MANAGED")
    assert [v["Id"] for v in listed["ViewsSummaryList"]] == [view["Id"]]


def test_saved_status_tracks_difference_from_latest(connect_client: Any) -> None:
    view = create(connect_client)
    vid = view["Id"]
    connect_client.update_view_content(
        InstanceId=INSTANCE, ViewId=vid, Status="SAVED", Content=content("Draft")
    )
    saved = describe(connect_client, vid + ":$SAVED")
    latest = describe(connect_client, vid)
    assert saved["Status"] == "SAVED"
    assert json.loads(saved["Content"]["Template"])["Head"]["Title"] == "Draft"
    assert latest["Status"] == "PUBLISHED"
    assert json.loads(latest["Content"]["Template"])["Head"]["Title"] == "T"

    # Saving the published content again makes $SAVED report PUBLISHED.
    connect_client.update_view_content(
        InstanceId=INSTANCE, ViewId=vid, Status="SAVED", Content=content()
    )
    assert describe(connect_client, vid + ":$SAVED")["Status"] == "PUBLISHED"


def test_version_field_for_aliases_and_numbers(connect_client: Any) -> None:
    vid = create(connect_client)["Id"]
    assert "Version" not in describe(connect_client, vid)
    connect_client.create_view_version(InstanceId=INSTANCE, ViewId=vid, VersionDescription="one")
    connect_client.update_view_content(
        InstanceId=INSTANCE, ViewId=vid, Status="PUBLISHED", Content=content("v2")
    )
    connect_client.create_view_version(InstanceId=INSTANCE, ViewId=vid, VersionDescription="two")

    assert describe(connect_client, vid)["Version"] == 2
    assert describe(connect_client, vid + ":$SAVED")["Version"] == 2
    first = describe(connect_client, vid + ":1")
    assert first["Version"] == 1
    assert first["VersionDescription"] == "one"
    assert json.loads(first["Content"]["Template"])["Head"]["Title"] == "T"
    assert "VersionDescription" not in describe(connect_client, vid)


@pytest.mark.parametrize("suffix", [":7", ":$NEWEST", ":0", ":-1"])
def test_describe_unknown_or_bad_qualifier(connect_client: Any, suffix: str) -> None:
    vid = create(connect_client)["Id"]
    with pytest.raises(connect_client.exceptions.ClientError) as excinfo:
        describe(connect_client, vid + suffix)
    code, status = error_of(excinfo)
    expected = "ResourceNotFoundException" if suffix == ":7" else "InvalidParameterException"
    assert (code, status) == (expected, 404 if suffix == ":7" else 400)


def test_describe_unknown_view(connect_client: Any) -> None:
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
        describe(connect_client, "00000000-0000-4000-8000-000000000000")


# ---------------------------------------------------------------------------- UpdateViewContent
def test_update_content_saved_leaves_latest_and_published_moves_both(connect_client: Any) -> None:
    vid = create(connect_client)["Id"]
    answer = connect_client.update_view_content(
        InstanceId=INSTANCE, ViewId=vid, Status="SAVED", Content=content("S")
    )["View"]
    assert answer["Arn"].endswith(":$SAVED")
    assert answer["Status"] == "SAVED"
    assert answer["ViewContentSha256"] == spec_sha(content("S")["Template"], ["Go"])
    assert json.loads(describe(connect_client, vid)["Content"]["Template"])["Head"]["Title"] == "T"

    answer = connect_client.update_view_content(
        InstanceId=INSTANCE, ViewId=vid, Status="PUBLISHED", Content=content("P")
    )["View"]
    assert answer["Arn"].endswith(":$LATEST")
    for ref in (vid, vid + ":$SAVED"):
        assert (
            json.loads(describe(connect_client, ref)["Content"]["Template"])["Head"]["Title"] == "P"
        )


def test_update_content_publishes_a_saved_only_view(connect_client: Any) -> None:
    vid = create(connect_client, Status="SAVED")["Id"]
    connect_client.update_view_content(
        InstanceId=INSTANCE, ViewId=vid, Status="PUBLISHED", Content=content()
    )
    assert describe(connect_client, vid)["Status"] == "PUBLISHED"


# ---------------------------------------------------------------------------- versions
def test_create_view_version_snapshots_latest_not_saved(connect_client: Any) -> None:
    vid = create(connect_client)["Id"]
    connect_client.update_view_content(
        InstanceId=INSTANCE, ViewId=vid, Status="SAVED", Content=content("draft")
    )
    version = connect_client.create_view_version(
        InstanceId=INSTANCE, ViewId=vid, VersionDescription="first cut"
    )["View"]

    assert version["Arn"] == base_arn(vid) + ":1"
    assert version["Id"] == vid
    assert version["Version"] == 1
    assert version["VersionDescription"] == "first cut"
    assert version["Status"] == "PUBLISHED"
    assert json.loads(version["Content"]["Template"])["Head"]["Title"] == "T"


def test_same_content_returns_the_same_version(connect_client: Any, connectviews: FakeAWS) -> None:
    vid = create(connect_client)["Id"]
    first = connect_client.create_view_version(InstanceId=INSTANCE, ViewId=vid)["View"]
    again = connect_client.create_view_version(InstanceId=INSTANCE, ViewId=vid)["View"]

    assert again["Version"] == first["Version"] == 1
    assert again["Arn"] == first["Arn"]
    listed = connect_client.list_view_versions(InstanceId=INSTANCE, ViewId=vid)
    assert [v["Version"] for v in listed["ViewVersionSummaryList"]] == [1]
    assert connectviews.calls.count("CreateViewVersion", ok=True) == 2


def test_version_numbers_never_repeat_after_delete(connect_client: Any) -> None:
    vid = create(connect_client)["Id"]
    for title in ("a", "b"):
        connect_client.update_view_content(
            InstanceId=INSTANCE, ViewId=vid, Status="PUBLISHED", Content=content(title)
        )
        connect_client.create_view_version(InstanceId=INSTANCE, ViewId=vid)
    connect_client.delete_view_version(InstanceId=INSTANCE, ViewId=vid, ViewVersion=2)
    connect_client.update_view_content(
        InstanceId=INSTANCE, ViewId=vid, Status="PUBLISHED", Content=content("c")
    )
    third = connect_client.create_view_version(InstanceId=INSTANCE, ViewId=vid)["View"]

    assert third["Version"] == 3
    listed = connect_client.list_view_versions(InstanceId=INSTANCE, ViewId=vid)
    assert [v["Version"] for v in listed["ViewVersionSummaryList"]] == [3, 1]
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
        describe(connect_client, vid + ":2")


def test_version_after_deleting_the_highest_is_new_even_for_same_content(
    connect_client: Any,
) -> None:
    vid = create(connect_client)["Id"]
    connect_client.create_view_version(InstanceId=INSTANCE, ViewId=vid)
    connect_client.delete_view_version(InstanceId=INSTANCE, ViewId=vid, ViewVersion=1)
    again = connect_client.create_view_version(InstanceId=INSTANCE, ViewId=vid)["View"]
    assert again["Version"] == 2


def test_create_view_version_checks_the_sha(connect_client: Any) -> None:
    view = create(connect_client)
    vid = view["Id"]
    with pytest.raises(connect_client.exceptions.InvalidParameterException) as excinfo:
        connect_client.create_view_version(
            InstanceId=INSTANCE, ViewId=vid, ViewContentSha256="0" * 64
        )
    assert error_of(excinfo) == ("InvalidParameterException", 400)
    assert (
        connect_client.list_view_versions(InstanceId=INSTANCE, ViewId=vid)["ViewVersionSummaryList"]
        == []
    )

    # The sha DescribeView returns is accepted (the model's one-character pattern is not enforced).
    ok = connect_client.create_view_version(
        InstanceId=INSTANCE, ViewId=vid, ViewContentSha256=view["ViewContentSha256"]
    )["View"]
    assert ok["Version"] == 1


def test_create_view_version_needs_published_content(connect_client: Any) -> None:
    vid = create(connect_client, Status="SAVED")["Id"]
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException) as excinfo:
        connect_client.create_view_version(InstanceId=INSTANCE, ViewId=vid)
    assert error_of(excinfo) == ("ResourceNotFoundException", 404)


def test_delete_missing_version(connect_client: Any) -> None:
    vid = create(connect_client)["Id"]
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException) as excinfo:
        connect_client.delete_view_version(InstanceId=INSTANCE, ViewId=vid, ViewVersion=4)
    assert error_of(excinfo) == ("ResourceNotFoundException", 404)


# ---------------------------------------------------------------------------- metadata, delete
def test_update_metadata_renames_and_describes(connect_client: Any) -> None:
    vid = create(connect_client, Name="Old")["Id"]
    out = connect_client.update_view_metadata(
        InstanceId=INSTANCE, ViewId=vid, Name="New", Description="Now described"
    )
    assert set(out) == {"ResponseMetadata"}  # empty output
    got = describe(connect_client, vid)
    assert (got["Name"], got["Description"]) == ("New", "Now described")
    # The old name is free again; the new one is taken.
    assert create(connect_client, Name="Old")["Name"] == "Old"
    with pytest.raises(connect_client.exceptions.DuplicateResourceException):
        create(connect_client, Name="New")


def test_update_metadata_duplicate_name(connect_client: Any) -> None:
    create(connect_client, Name="A")
    vid = create(connect_client, Name="B")["Id"]
    with pytest.raises(connect_client.exceptions.DuplicateResourceException) as excinfo:
        connect_client.update_view_metadata(InstanceId=INSTANCE, ViewId=vid, Name="A")
    assert error_of(excinfo) == ("DuplicateResourceException", 409)
    assert describe(connect_client, vid)["Name"] == "B"


def test_update_metadata_needs_a_field(connect_client: Any) -> None:
    vid = create(connect_client)["Id"]
    with pytest.raises(connect_client.exceptions.InvalidRequestException) as excinfo:
        connect_client.update_view_metadata(InstanceId=INSTANCE, ViewId=vid)
    assert error_of(excinfo) == ("InvalidRequestException", 400)


def test_update_metadata_description_only_keeps_name(connect_client: Any) -> None:
    vid = create(connect_client, Name="Keep")["Id"]
    connect_client.update_view_metadata(InstanceId=INSTANCE, ViewId=vid, Description="d")
    assert describe(connect_client, vid)["Name"] == "Keep"


def test_delete_view_removes_everything(connect_client: Any) -> None:
    view = create(connect_client, Tags={"team": "cx"})
    vid = view["Id"]
    connect_client.create_view_version(InstanceId=INSTANCE, ViewId=vid)
    connect_client.delete_view(InstanceId=INSTANCE, ViewId=base_arn(vid))

    for ref in (vid, vid + ":$SAVED", vid + ":1"):
        with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
            describe(connect_client, ref)
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
        connect_client.list_view_versions(InstanceId=INSTANCE, ViewId=vid)
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
        connect_client.list_tags_for_resource(resourceArn=base_arn(vid))
    listed = connect_client.list_views(InstanceId=INSTANCE, Type="CUSTOMER_MANAGED")
    assert listed["ViewsSummaryList"] == []
    assert create(connect_client)["Name"] == "Form"  # the name is free again


# ---------------------------------------------------------------------------- names, tokens
def test_names_are_unique_per_instance(connect_client: Any) -> None:
    create(connect_client, Name="Same")
    with pytest.raises(connect_client.exceptions.DuplicateResourceException) as excinfo:
        create(connect_client, Name="Same", Status="SAVED")
    assert error_of(excinfo) == ("DuplicateResourceException", 409)
    other = connect_client.create_view(
        InstanceId="other-instance", Name="Same", Status="SAVED", Content=content()
    )["View"]
    assert other["Name"] == "Same"


def test_customer_view_may_share_a_managed_view_name(connect_client: Any) -> None:
    assert create(connect_client, Name="Form")["Type"] == "CUSTOMER_MANAGED"


def test_client_token_replays_the_same_view(connect_client: Any, connectviews: FakeAWS) -> None:
    first = create(connect_client, ClientToken="tok-1")
    again = create(connect_client, ClientToken="tok-1")
    assert again["Id"] == first["Id"]
    assert again["Arn"] == first["Arn"]
    listed = connect_client.list_views(InstanceId=INSTANCE, Type="CUSTOMER_MANAGED")
    assert len(listed["ViewsSummaryList"]) == 1

    with pytest.raises(connect_client.exceptions.InvalidParameterException) as excinfo:
        create(connect_client, Name="Different", ClientToken="tok-1")
    assert "tok-1" in excinfo.value.response["Error"]["Message"]
    assert connectviews.calls.count("CreateView", ok=True) == 2


# ---------------------------------------------------------------------------- time
def test_timestamps_come_from_the_fake_clock(connect_client: Any, connectviews: FakeAWS) -> None:
    start = dt.datetime(2024, 5, 1, 12, 0, 0, tzinfo=dt.timezone.utc)
    connectviews.clock.freeze(start)
    vid = create(connect_client)["Id"]
    connectviews.clock.advance(3600)
    connect_client.update_view_content(
        InstanceId=INSTANCE, ViewId=vid, Status="PUBLISHED", Content=content("later")
    )
    connectviews.clock.advance(60)
    connect_client.update_view_metadata(InstanceId=INSTANCE, ViewId=vid, Description="meta")

    got = describe(connect_client, vid)
    assert got["CreatedTime"] == start
    # Metadata changes do not move LastModifiedTime (model: UpdateViewContent/CreateViewVersion).
    assert got["LastModifiedTime"] == start + dt.timedelta(hours=1)

    connectviews.clock.advance(60)
    version = connect_client.create_view_version(InstanceId=INSTANCE, ViewId=vid)["View"]
    assert version["LastModifiedTime"] == start + dt.timedelta(hours=1, minutes=2)
