"""Server-side model checks: Unicode pattern classes, ``$`` anchoring, lengths, enums, ranges."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_connectviews._models import service_model
from pytest_connectviews.validation import Violation, check

MODEL = service_model("connect")


def shape(name: str) -> Any:
    return MODEL.shape_for(name)


def create_view(**overrides: Any) -> Violation | None:
    params = {
        "InstanceId": "i-1",
        "Status": "SAVED",
        "Content": {"Template": "{}", "Actions": []},
        "Name": "Form",
        **overrides,
    }
    return check(MODEL.operation_model("CreateView").input_shape, params)


@pytest.mark.parametrize(
    "name",
    [
        "Überprüfung",
        "Заявка",
        "表单",
        "نموذج",
        "café au lait",
        "a\u00a0b",
        "v1.2_(beta)+@x",
        "x" * 255,
    ],
)
def test_view_names_with_unicode_letters_pass(name: str) -> None:
    assert check(shape("ViewName"), name) is None


@pytest.mark.parametrize(
    "name",
    [" leading-space", "\u00a0nbsp-first", "tab\tinside", "semi;colon", "emoji😀", "x" * 256, ""],
)
def test_view_names_breaking_the_pattern_or_length_fail(name: str) -> None:
    violation = check(shape("ViewName"), name)
    assert violation is not None
    assert violation.value == name


@pytest.mark.parametrize(
    ("shape_name", "value"),
    [
        ("ViewName", "Form\n"),
        ("ViewsInstanceId", "abc\n"),
        ("ViewId", "abc\n"),
        ("ViewDescription", "text\n"),
    ],
)
def test_dollar_anchors_the_end_of_input_not_a_final_newline(shape_name: str, value: str) -> None:
    violation = check(shape(shape_name), value)
    assert violation is not None
    assert "pattern" in violation.constraint


def test_dollar_inside_a_character_class_stays_literal() -> None:
    # ViewId is ^[a-zA-Z0-9\_\-:\/$]+$ : the $ in the class is a character, the last one an anchor.
    assert check(shape("ViewId"), "abc:$SAVED") is None
    assert check(shape("ViewId"), "arn:aws:connect:us-east-1:aws:view/form:$LATEST") is None
    assert check(shape("ViewId"), "abc:$SAVED!") is not None


def test_negative_lookahead_refuses_aws_tag_keys() -> None:
    tag_keys = MODEL.operation_model("TagResource").input_shape.members["tags"]
    assert check(tag_keys, {"team": "cx", "Kostenstelle": "Ä1"}) is None
    violation = check(tag_keys, {"aws:createdBy": "x"})
    assert violation is not None
    assert violation.path == ".key"
    assert check(tag_keys, {"notaws:x": "y"}) is None


def test_view_content_sha_pattern_is_not_enforced() -> None:
    sha = "bff263c0ab706750a2bd96a364019fcbb5a5bbbc1ac3639e9d5d88942a99684c"
    assert check(shape("ViewContentSha256"), sha) is None
    assert check(shape("ViewContentSha256"), "a" * 65) is not None  # the length still is


def test_required_enum_and_nested_paths() -> None:
    assert create_view() is None
    missing = check(MODEL.operation_model("CreateView").input_shape, {"InstanceId": "i"})
    assert missing is not None
    assert missing.constraint == "Member must not be null"

    bad_status = create_view(Status="DRAFT")
    assert bad_status is not None
    assert bad_status.path == "Status"
    assert "PUBLISHED" in bad_status.constraint

    long_action = create_view(Content={"Template": "{}", "Actions": ["ok", "x" * 256]})
    assert long_action is not None
    assert long_action.path == "Content.Actions[1]"
    assert long_action.top == "Content"


def test_integer_ranges_and_collection_sizes() -> None:
    list_views = MODEL.operation_model("ListViews").input_shape
    assert check(list_views, {"InstanceId": "i", "MaxResults": 100}) is None
    for bad in (0, 101):
        violation = check(list_views, {"InstanceId": "i", "MaxResults": bad})
        assert violation is not None
        assert violation.path == "MaxResults"
    too_many_tags = create_view(Tags={f"k{i}": "v" for i in range(51)})
    assert too_many_tags is not None
    assert too_many_tags.path == "Tags"


def test_search_instance_must_be_a_uuid_or_instance_arn() -> None:
    search = MODEL.operation_model("SearchViews").input_shape
    uuid = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
    assert check(search, {"InstanceId": uuid}) is None
    assert (
        check(search, {"InstanceId": f"arn:aws:connect:us-east-1:123456789012:instance/{uuid}"})
        is None
    )
    assert check(search, {"InstanceId": "my-instance"}) is not None
