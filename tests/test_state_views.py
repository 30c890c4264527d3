"""Stateful test of the Connect views API against an independent reference model (SPEC §4).

Hypothesis drives random sequences of CreateView, UpdateViewContent, CreateViewVersion,
DeleteViewVersion, DeleteView, UpdateViewMetadata and DescribeView (every qualifier, id and ARN
forms) through a real boto3 client, and after every step compares ListViews with the model in
``_refmodel.RefViews``. Deleted views stay in the bundle, so later steps also check the errors for
missing views.
"""

from __future__ import annotations

import functools
from typing import Any

import boto3
import pytest
from _refmodel import RefContent, RefView, RefViews, content_sha, small_contents
from botocore.config import Config
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
)

from pytest_connectviews import FakeAWS

pytestmark = pytest.mark.filterwarnings(
    "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"
)

REGION = "us-east-1"
ACCOUNT = "123456789012"
INSTANCE = "5f1e0c9a-0000-4000-8000-000000000001"
NAMES = ["alpha", "beta", "gamma", "delta é", "z"]
CONTENTS = small_contents()


@functools.cache
def connect() -> Any:
    return boto3.client(
        "connect",
        region_name=REGION,
        config=Config(retries={"total_max_attempts": 1}),
    )


def bare_arn(view_id: str) -> str:
    return f"arn:aws:connect:{REGION}:{ACCOUNT}:instance/{INSTANCE}/view/{view_id}"


def error_code(exc: ClientError) -> str:
    return str(exc.response["Error"]["Code"])


class ViewsMachine(RuleBasedStateMachine):
    """One Connect instance, driven by random operations, mirrored by ``RefViews``."""

    views = Bundle("views")

    def __init__(self) -> None:
        super().__init__()
        self.fake = FakeAWS(region=REGION, account_id=ACCOUNT).start()
        self.model = RefViews()
        self.deleted: set[str] = set()

    def teardown(self) -> None:
        self.fake.stop()

    # ------------------------------------------------------------------ helpers
    def call(self, method: str, **params: Any) -> tuple[dict[str, Any] | None, str | None]:
        try:
            return getattr(connect(), method)(InstanceId=INSTANCE, **params), None
        except ClientError as exc:
            return None, error_code(exc)

    def check_view(
        self, view: dict[str, Any], ref: RefView, qualifier: str, content: RefContent, status: str
    ) -> None:
        assert view["Id"] == ref.id
        assert view["Arn"] == f"{bare_arn(ref.id)}:{qualifier}"
        assert view["Name"] == ref.name
        assert view.get("Description") == ref.description
        assert view["Type"] == "CUSTOMER_MANAGED"
        assert view["Status"] == status
        assert view["Content"]["Template"] == content.template
        assert view["Content"]["Actions"] == list(content.actions)
        assert (
            view["ViewContentSha256"]
            == content.sha
            == content_sha(content.template, content.actions)
        )
        if qualifier.isdigit():
            assert view["Version"] == int(qualifier)
        elif ref.highest() is None:
            assert "Version" not in view, view.get("Version")
        else:
            assert view["Version"] == ref.highest()

    # ------------------------------------------------------------------ rules
    @initialize(target=views)
    def seed(self) -> Any:
        return multiple()

    @rule(
        target=views,
        name=st.sampled_from(NAMES),
        content=st.sampled_from(CONTENTS),
        status=st.sampled_from(["SAVED", "PUBLISHED"]),
        description=st.none() | st.just("about it"),
    )
    def create_view(
        self, name: str, content: tuple[str, list[str], bool], status: str, description: str | None
    ) -> Any:
        template, actions, publishable = content
        extra = {"Description": description} if description else {}
        response, code = self.call(
            "create_view",
            Name=name,
            Status=status,
            Content={"Template": template, "Actions": actions},
            **extra,
        )
        duplicate = self.model.by_name(name) is not None
        invalid = status == "PUBLISHED" and not publishable
        if duplicate or invalid:
            allowed = {"DuplicateResourceException"} if duplicate else set()
            allowed |= {"InvalidParameterException"} if invalid else set()
            assert code in allowed, (code, allowed)
            return multiple()
        assert code is None, code
        assert response is not None
        view = response["View"]
        stored = RefContent(template, tuple(actions))
        ref = RefView(
            view["Id"],
            name,
            description,
            saved=stored,
            latest=stored if status == "PUBLISHED" else None,
        )
        assert ref.id not in self.model.views
        self.model.views[ref.id] = ref
        qualifier = "$LATEST" if status == "PUBLISHED" else "$SAVED"
        self.check_view(view, ref, qualifier, stored, status)
        return ref.id

    @rule(
        view_id=views,
        content=st.sampled_from(CONTENTS),
        status=st.sampled_from(["SAVED", "PUBLISHED"]),
    )
    def update_content(
        self, view_id: str, content: tuple[str, list[str], bool], status: str
    ) -> None:
        template, actions, publishable = content
        response, code = self.call(
            "update_view_content",
            ViewId=view_id,
            Status=status,
            Content={"Template": template, "Actions": actions},
        )
        ref = self.model.views.get(view_id)
        if ref is None:
            assert code == "ResourceNotFoundException", code
            return
        if status == "PUBLISHED" and not publishable:
            assert code == "InvalidParameterException", code
            return
        assert code is None, code
        assert response is not None
        stored = RefContent(template, tuple(actions))
        ref.saved = stored
        if status == "PUBLISHED":
            ref.latest = stored
            self.check_view(response["View"], ref, "$LATEST", stored, "PUBLISHED")
        else:
            self.check_view(response["View"], ref, "$SAVED", stored, ref.saved_status())

    @rule(view_id=views, sha_mode=st.sampled_from(["none", "match", "wrong", "upper"]))
    def create_version(self, view_id: str, sha_mode: str) -> None:
        ref = self.model.views.get(view_id)
        params: dict[str, Any] = {"ViewId": view_id}
        latest_sha = ref.latest.sha if ref is not None and ref.latest is not None else "0" * 64
        if sha_mode == "match":
            params["ViewContentSha256"] = latest_sha
        elif sha_mode == "upper":
            params["ViewContentSha256"] = latest_sha.upper()
        elif sha_mode == "wrong":
            params["ViewContentSha256"] = "f" * 64
        response, code = self.call("create_view_version", **params)
        if ref is None:
            assert code == "ResourceNotFoundException", code
            return
        if ref.latest is None:
            allowed = {"ResourceNotFoundException"}
            if sha_mode == "wrong":  # SPEC does not order these two checks
                allowed.add("InvalidParameterException")
            assert code in allowed, code
            return
        if sha_mode == "wrong":
            assert code == "InvalidParameterException", code
            return
        assert code is None, code
        assert response is not None
        view = response["View"]
        highest = ref.highest()
        if highest is not None and ref.versions[highest].sha == ref.latest.sha:
            number = highest  # unchanged content: the highest version, nothing created
        else:
            number = ref.next_number()
            assert number not in ref.issued
            ref.versions[number] = ref.latest
            ref.issued.append(number)
        assert view["Version"] == number
        self.check_view(view, ref, str(number), ref.latest, "PUBLISHED")

    @rule(view_id=views, number=st.integers(1, 6))
    def delete_version(self, view_id: str, number: int) -> None:
        _, code = self.call("delete_view_version", ViewId=view_id, ViewVersion=number)
        ref = self.model.views.get(view_id)
        if ref is None or number not in ref.versions:
            assert code == "ResourceNotFoundException", code
            return
        assert code is None, code
        del ref.versions[number]

    @rule(view_id=views, arn=st.booleans())
    def delete_view(self, view_id: str, arn: bool) -> None:
        _, code = self.call("delete_view", ViewId=bare_arn(view_id) if arn else view_id)
        if view_id not in self.model.views:
            assert code == "ResourceNotFoundException", code
            return
        assert code is None, code
        del self.model.views[view_id]
        self.deleted.add(view_id)

    @rule(
        view_id=views,
        name=st.none() | st.sampled_from(NAMES),
        description=st.none() | st.sampled_from(["first", "second"]),
    )
    def update_metadata(self, view_id: str, name: str | None, description: str | None) -> None:
        params: dict[str, Any] = {"ViewId": view_id}
        if name is not None:
            params["Name"] = name
        if description is not None:
            params["Description"] = description
        _, code = self.call("update_view_metadata", **params)
        ref = self.model.views.get(view_id)
        if ref is None:
            assert code == "ResourceNotFoundException", code
            return
        if name is None and description is None:
            assert code == "InvalidRequestException", code
            return
        holder = self.model.by_name(name) if name is not None else None
        if holder is not None and holder.id != view_id:
            assert code == "DuplicateResourceException", code
            return
        assert code is None, code
        if name is not None:
            ref.name = name
        if description is not None:
            ref.description = description

    @rule(
        view_id=views,
        form=st.sampled_from(["id", "arn"]),
        qualifier=st.sampled_from([None, "$SAVED", "$LATEST", "1", "2", "3", "4"]),
    )
    def describe(self, view_id: str, form: str, qualifier: str | None) -> None:
        raw = bare_arn(view_id) if form == "arn" else view_id
        if qualifier is not None:
            raw = f"{raw}:{qualifier}"
        response, code = self.call("describe_view", ViewId=raw)
        ref = self.model.views.get(view_id)
        if ref is None:
            assert code == "ResourceNotFoundException", code
            return
        if qualifier in (None, "$LATEST"):
            if ref.latest is None:
                assert code == "ResourceNotFoundException", code
                return
            assert code is None, code
            assert response is not None
            self.check_view(response["View"], ref, "$LATEST", ref.latest, "PUBLISHED")
        elif qualifier == "$SAVED":
            assert code is None, code
            assert response is not None
            self.check_view(response["View"], ref, "$SAVED", ref.saved, ref.saved_status())
        else:
            number = int(qualifier)
            if number not in ref.versions:
                assert code == "ResourceNotFoundException", code
                return
            assert code is None, code
            assert response is not None
            self.check_view(response["View"], ref, qualifier, ref.versions[number], "PUBLISHED")

    @rule(view_id=views, page=st.integers(1, 3))
    def list_versions(self, view_id: str, page: int) -> None:
        ref = self.model.views.get(view_id)
        try:
            pages = (
                connect()
                .get_paginator("list_view_versions")
                .paginate(InstanceId=INSTANCE, ViewId=view_id, PaginationConfig={"PageSize": page})
            )
            items = [item for p in pages for item in p["ViewVersionSummaryList"]]
        except ClientError as exc:
            code = error_code(exc)
            assert ref is not None or code == "ResourceNotFoundException", code
            assert ref is None, code
            return
        assert ref is not None, "a deleted view still lists versions"
        numbers = sorted(ref.versions, reverse=True)
        assert [i["Version"] for i in items] == numbers
        assert [i["Arn"] for i in items] == [f"{bare_arn(view_id)}:{n}" for n in numbers]
        assert all(i["Id"] == view_id and i["Name"] == ref.name for i in items)

    # ------------------------------------------------------------------ invariants
    @invariant()
    def list_views_matches_model(self) -> None:
        pages = (
            connect()
            .get_paginator("list_views")
            .paginate(
                InstanceId=INSTANCE, Type="CUSTOMER_MANAGED", PaginationConfig={"PageSize": 2}
            )
        )
        items = [item for p in pages for item in p["ViewsSummaryList"]]
        got = [(i["Name"], i["Id"], i["Status"], i.get("Description")) for i in items]
        assert got == self.model.summaries()
        assert all(i["Arn"] == bare_arn(i["Id"]) for i in items)
        assert all(i["Type"] == "CUSTOMER_MANAGED" for i in items)

    @invariant()
    def version_numbers_never_repeat(self) -> None:
        for ref in self.model.views.values():
            assert len(ref.issued) == len(set(ref.issued))
            assert ref.issued == sorted(ref.issued)


ViewsMachine.TestCase.settings = settings(
    max_examples=int(__import__("os").environ.get("CONNECTVIEWS_STATE_EXAMPLES", "30")),
    stateful_step_count=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestViewsStateMachine = ViewsMachine.TestCase
