"""Pagination property: every paginated operation, every page size, through real boto3 clients.

The paginated operations are those botocore's paginator model names for a service, intersected
with the operations the fake serves (the dispatcher's); a test fails when one of them has no
listing below, so a new paginated operation cannot be forgotten. Tokens, limit key and result key
come from the paginator model, not from this file.

For n items (n = 0…7 and one larger n) each listing is walked at every page size 1…N+1 (N the
number of items the listing returns, AWS-managed ones included), with the limit key set explicitly
and with botocore's own paginator, and once without a limit. Every walk must return every expected
item exactly once, in the documented order; every page but the last carries a token, the last
none (so no empty trailing page when the page size divides N, and a token when exactly one item
remains); with a page size k every page but the last holds exactly k items. Expected orders are
computed here from what was created (README "Behaviour"), not read from the fake.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest
from _refmodel import MANAGED_VIEW_IDS, normalize_workflow_name, version_key, wildcard_matches
from botocore.config import Config
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_connectviews import FakeAWS, dispatch

# Hypothesis imports libcst to suggest a patch when a test fails; libcst warns on import.
pytestmark = pytest.mark.filterwarnings(
    "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"
)

REGION = "us-east-1"
INSTANCE = "b2c3d4e5-0000-4000-8000-00000000beef"  # SearchViews needs a UUID instance id
SMALL = (0, 1, 2, 3, 4, 5, 6, 7)
#: The larger case: Image Builder's default page (25) leaves exactly one item for a second page.
LARGER = (*SMALL, 26)
WORKFLOWS = Path(__file__).parent / "data" / "workflows"
CUSTOMER, AWS_MANAGED = "CUSTOMER_MANAGED", "AWS_MANAGED"
MANAGED_WORKFLOWS = [
    "build-container",
    "build-image",
    "distribute-container",
    "distribute-image",
    "test-container",
    "test-image",
]


# ---------------------------------------------------------------------------- paginator model
@functools.cache
def paginator_model(service: str) -> Any:
    return botocore.session.get_session().get_paginator_model(service)


def paginated_operations() -> set[tuple[str, str]]:
    """(service, operation) of every operation the fake serves that botocore paginates."""
    return {
        (service, operation)
        for service in ("connect", "imagebuilder")
        for operation in dispatch.operations(service)
        if operation in paginator_model(service)._paginator_config
    }


@dataclass(frozen=True)
class Paging:
    input_token: str
    output_token: str
    limit_key: str
    result_key: str
    non_aggregate_keys: tuple[str, ...]


@functools.cache
def paging(service: str, operation: str) -> Paging:
    config = paginator_model(service).get_paginator(operation)
    for name in ("input_token", "output_token", "limit_key", "result_key"):
        # a list (several tokens or result keys) would need a walker that handles it
        assert isinstance(config.get(name), str), f"{service} {operation}: {name}={config!r}"
    return Paging(
        config["input_token"],
        config["output_token"],
        config["limit_key"],
        config["result_key"],
        tuple(config.get("non_aggregate_keys", ())),
    )


#: How each non-aggregate member of a page must relate to the full expected listing.
NON_AGGREGATE_CHECKS: dict[str, Callable[[Any, list[Any]], bool]] = {
    "ApproximateTotalCount": lambda value, expected: value == len(expected),
    # Image Builder: every page carries its own request id, and the execution it lists
    "requestId": lambda value, expected: isinstance(value, str) and len(value) == 36,
    "imageBuildVersionArn": lambda value, expected: ":image/" in str(value),
    "workflowBuildVersionArn": lambda value, expected: ":workflow/" in str(value),
    "workflowExecutionId": lambda value, expected: str(value).startswith("wf-"),
    "message": lambda value, expected: value is None,  # only when something went wrong
}


# ---------------------------------------------------------------------------- clients
@functools.cache
def client(service: str) -> Any:
    """A client without retries: one page is one request, and an error shows at once."""
    return boto3.client(
        service,
        region_name=REGION,
        aws_access_key_id="AKIAPAGEPAGEPAGEPAGE",
        aws_secret_access_key="page",
        config=Config(retries={"total_max_attempts": 1}),
    )


# ---------------------------------------------------------------------------- walks
def check_pages(
    paging: Paging,
    pages: list[dict[str, Any]],
    expected: list[Any],
    key: Callable[[dict[str, Any]], Any],
    size: int | None,
    label: str,
) -> None:
    counts = [len(page[paging.result_key]) for page in pages]
    seen = [key(item) for page in pages for item in page[paging.result_key]]
    repeated = [item for index, item in enumerate(seen) if item in seen[:index]]
    assert not repeated, f"{label}: pages of {counts} items; listed more than once: {repeated}"
    missing = [item for item in expected if item not in seen]
    unexpected = [item for item in seen if item not in expected]
    assert not missing, (
        f"{label}: pages of {counts} items; {len(expected)} expected, missing {missing}"
    )
    assert not unexpected, f"{label}: pages of {counts} items; not expected: {unexpected}"
    assert seen == expected, f"{label}: the right items in the wrong order"
    for index, page in enumerate(pages):
        last = index == len(pages) - 1
        if last:
            assert paging.output_token not in page, (
                f"{label}: the last page (sizes {counts}) has a {paging.output_token}"
            )
        else:
            assert page.get(paging.output_token), (
                f"{label}: page {index + 1} of sizes {counts} has no {paging.output_token}"
            )
        if len(pages) > 1:
            assert counts[index], f"{label}: page {index + 1} of sizes {counts} is empty"
        if size is not None:
            assert counts[index] <= size, f"{label}: page of {counts[index]} items"
            if not last:
                assert counts[index] == size, f"{label}: a short page before the end: {counts}"
        for member in paging.non_aggregate_keys:
            assert NON_AGGREGATE_CHECKS[member](page.get(member), expected), (
                f"{label}: page {index + 1} has {member}={page.get(member)!r} for "
                f"{len(expected)} items"
            )
    if size is not None:
        assert len(pages) == max(1, math.ceil(len(expected) / size)), f"{label}: pages {counts}"


def walk_explicit(
    fake: FakeAWS,
    service: str,
    operation: str,
    params: dict[str, Any],
    size: int | None,
    max_pages: int,
) -> list[dict[str, Any]]:
    """Pages requested one by one with the limit key set (or left out) explicitly."""
    p = paging(service, operation)
    method = getattr(client(service), botocore.xform_name(operation))
    pages: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        request = dict(params)
        if size is not None:
            request[p.limit_key] = size
        if token is not None:
            request[p.input_token] = token
        before = len(fake.calls)
        pages.append(method(**request))
        assert len(fake.calls) == before + 1, "one request per page"
        sent = fake.calls[-1].params
        assert (sent.get(p.limit_key), sent.get(p.input_token)) == (size, token), sent
        token = pages[-1].get(p.output_token)
        if not token:
            return pages
        assert len(pages) < max_pages, f"{operation}: no end after {max_pages} pages"


def walk_paginator(
    fake: FakeAWS, service: str, operation: str, params: dict[str, Any], size: int
) -> list[dict[str, Any]]:
    """Pages from botocore's paginator with PageSize; checks what it actually sent."""
    p = paging(service, operation)
    paginator = client(service).get_paginator(botocore.xform_name(operation))
    before = len(fake.calls)
    pages = list(paginator.paginate(**params, PaginationConfig={"PageSize": size}))
    sent = fake.calls[before:]
    assert len(sent) == len(pages), "one request per page"
    for index, call in enumerate(sent):
        assert call.operation == operation
        assert call.params.get(p.limit_key) == size
        previous = pages[index - 1].get(p.output_token) if index else None
        assert call.params.get(p.input_token) == previous
    return pages


@functools.cache
def limit_max(service: str, operation: str) -> int | None:
    """The model's maximum for the operation's limit key (ListInstanceAttributes: 7)."""
    shape = botocore.session.get_session().get_service_model(service).operation_model(operation)
    member = shape.input_shape.members[paging(service, operation).limit_key]
    found = member.metadata.get("max")
    return int(found) if found is not None else None


def page_sizes(service: str, operation: str, count: int) -> range:
    """Every page size 1…count+1, up to what the model allows."""
    cap = limit_max(service, operation)
    return range(1, min(count + 1, cap if cap is not None else count + 1) + 1)


def check_listing(
    fake: FakeAWS,
    service: str,
    operation: str,
    params: dict[str, Any],
    expected: list[Any],
    key: Callable[[dict[str, Any]], Any],
    paginator: bool = True,
) -> int:
    """Every walk of one listing at every page size 1…len(expected)+1; returns the walks made."""
    p = paging(service, operation)
    walks = 0
    max_pages = len(expected) + 2  # a walk that goes on longer repeats pages
    pages = walk_explicit(fake, service, operation, params, None, max_pages)
    check_pages(p, pages, expected, key, None, f"{operation} without {p.limit_key}")
    for size in page_sizes(service, operation, len(expected)):
        pages = walk_explicit(fake, service, operation, params, size, max_pages)
        check_pages(p, pages, expected, key, size, f"{operation} {p.limit_key}={size}")
        walks += 1
        if paginator:
            pages = walk_paginator(fake, service, operation, params, size)
            check_pages(p, pages, expected, key, size, f"{operation} paginator PageSize={size}")
            walks += 1
    return walks + 1


# ---------------------------------------------------------------------------- Connect views
TEMPLATE = json.dumps(
    {"Head": {"Title": "T"}, "Body": [{"_id": "b", "Type": "Button", "Props": {"Action": "Go"}}]}
)
#: Names whose code-point order differs from creation order, case-insensitive and locale orders;
#: "Form" is also an AWS-managed view's name.
VIEW_NAMES = [
    "Zeta",
    "alpha",
    "Alpha",
    "Form",
    "éclair",
    "Ωmega",
    "_under",
    "0zero",
    "b-2",
    "b.1",
    "(paren)",
    "Żółw",
    "a b",
    "a",
    "A'",
    "@home",
]


def view_names(n: int) -> list[str]:
    names = VIEW_NAMES[:n] + [f"v{i:02d}" for i in range(n - len(VIEW_NAMES))]
    random.Random(n).shuffle(names)  # created in an order that is not the listing order
    return names


def create_view(name: str, status: str = "SAVED", **kwargs: Any) -> str:
    view_id: str = client("connect").create_view(
        InstanceId=INSTANCE,
        Name=name,
        Status=status,
        Content={"Template": TEMPLATE, "Actions": ["Go"]},
        **kwargs,
    )["View"]["Id"]
    return view_id


def managed_keys() -> list[tuple[str, str]]:
    return [(AWS_MANAGED, view_id) for view_id in MANAGED_VIEW_IDS]


def customer_views(names: list[str], **kwargs: Any) -> list[tuple[str, str]]:
    """Create views (alternately PUBLISHED and SAVED); their keys in name order."""
    ids = {
        name: create_view(name, "PUBLISHED" if i % 2 else "SAVED", **kwargs)
        for i, name in enumerate(names)
    }
    return [(CUSTOMER, ids[name]) for name in sorted(ids)]


def view_key(item: dict[str, Any]) -> tuple[str, str]:
    return item["Type"], item["Id"]


Seeded = tuple[dict[str, Any], list[Any]]


def seed_list_views(view_type: str | None) -> Callable[[FakeAWS, int], Seeded]:
    def seed(fake: FakeAWS, n: int) -> Seeded:
        customer = customer_views(view_names(n))
        params: dict[str, Any] = {"InstanceId": INSTANCE}
        if view_type is not None:
            params["Type"] = view_type
        expected = {
            None: managed_keys() + customer,
            CUSTOMER: customer,
            AWS_MANAGED: managed_keys(),
        }
        return params, expected[view_type]

    return seed


def seed_view_versions(fake: FakeAWS, n: int) -> Seeded:
    """n versions of one view, highest first, with gaps where versions were deleted."""
    api = client("connect")
    view_id = create_view("versioned", "PUBLISHED")
    decoy = create_view("decoy", "PUBLISHED")
    api.create_view_version(InstanceId=INSTANCE, ViewId=decoy)
    total = n + n // 3
    for number in range(1, total + 1):
        api.update_view_content(
            InstanceId=INSTANCE,
            ViewId=view_id,
            Status="PUBLISHED",
            Content={"Template": json.dumps({"Head": {"n": number}, "Body": []}), "Actions": []},
        )
        made = api.create_view_version(InstanceId=INSTANCE, ViewId=view_id)["View"]
        assert made["Version"] == number
    deleted = list(range(3, total + 1, 3))[: total - n]
    for number in deleted:
        api.delete_view_version(InstanceId=INSTANCE, ViewId=view_id, ViewVersion=number)
    remaining = sorted(set(range(1, total + 1)) - set(deleted), reverse=True)
    assert len(remaining) == n
    return {"InstanceId": INSTANCE, "ViewId": view_id}, remaining


def seed_managed_view_versions(fake: FakeAWS, n: int) -> Seeded:
    customer_views(view_names(n))
    return {"InstanceId": INSTANCE, "ViewId": f"arn:aws:connect:{REGION}:aws:view/cards"}, [1]


def version_number(item: dict[str, Any]) -> int:
    number: int = item["Version"]
    return number


def seed_search_all(fake: FakeAWS, n: int) -> Seeded:
    return {"InstanceId": INSTANCE}, managed_keys() + customer_views(view_names(n))


def seed_search_published(fake: FakeAWS, n: int) -> Seeded:
    """Managed views are PUBLISHED too; SAVED customer views are decoys."""
    names = view_names(n)
    published = {name: create_view(name, "PUBLISHED") for name in names}
    for i in range(n // 2 + 1):
        create_view(f"saved decoy {i}", "SAVED")
    expected = managed_keys() + [(CUSTOMER, published[name]) for name in sorted(published)]
    return {
        "InstanceId": INSTANCE,
        "SearchCriteria": {"ViewStatusCondition": "PUBLISHED"},
    }, expected


def seed_search_name_prefix(fake: FakeAWS, n: int) -> Seeded:
    """STARTS_WITH ignores case; the decoys do not start with the prefix."""
    names = [("Pick-" if i % 2 else "pick ") + name for i, name in enumerate(view_names(n))]
    expected = customer_views(names)
    for decoy in ("xpick", "pic", "Other pick"):
        create_view(decoy)
    criteria = {
        "AndConditions": [
            {"ViewTypeCondition": CUSTOMER},
            {
                "StringCondition": {
                    "FieldName": "name",
                    "Value": "pick",
                    "ComparisonType": "STARTS_WITH",
                }
            },
        ]
    }
    return {"InstanceId": INSTANCE, "SearchCriteria": criteria}, expected


def seed_search_tags(fake: FakeAWS, n: int) -> Seeded:
    expected = customer_views(view_names(n), Tags={"team": "a"})
    create_view("other team", Tags={"team": "b"})
    create_view("untagged")
    tag_filter = {"AttributeFilter": {"TagCondition": {"TagKey": "team", "TagValue": "a"}}}
    return {"InstanceId": INSTANCE, "SearchFilter": tag_filter}, expected


# ---------------------------------------------------------------------------- Connect instances
def seed_list_instances(fake: FakeAWS, n: int) -> Seeded:
    """n instances (CreateInstance makes the region strict: the implicit one is not listed)."""
    api = client("connect")
    api.list_views(InstanceId=INSTANCE)  # an implicit instance, listed only while not strict
    made = [
        api.create_instance(
            IdentityManagementType="CONNECT_MANAGED",
            InstanceAlias=f"shop-{i}",
            InboundCallsEnabled=True,
            OutboundCallsEnabled=True,
        )["Id"]
        for i in range(n)
    ]
    return {}, made if n else [INSTANCE]


def seed_instance_attributes(fake: FakeAWS, n: int) -> Seeded:
    model = botocore.session.get_session().get_service_model("connect")
    kinds = list(model.shape_for("InstanceAttributeType").enum)  # listed in the model's order
    return {"InstanceId": INSTANCE}, kinds


def attribute_key(item: dict[str, Any]) -> str:
    kind: str = item["AttributeType"]
    return kind


# ---------------------------------------------------------------------------- Connect flows
#: The default flows of every instance, in the order they are listed (README).
DEFAULT_FLOWS = [
    "Default agent hold",
    "Default agent transfer",
    "Default agent whisper",
    "Default customer hold",
    "Default customer queue",
    "Default customer whisper",
    "Default outbound",
    "Default queue transfer",
]
FLOW_CONTENT = json.dumps(
    {
        "Version": "2019-10-30",
        "StartAction": "end",
        "Actions": [{"Identifier": "end", "Type": "DisconnectParticipant", "Transitions": {}}],
    }
)


def name_key(item: dict[str, Any]) -> str:
    name: str = item["Name"]
    return name


def create_flows(names: list[str]) -> None:
    for i, name in enumerate(names):
        client("connect").create_contact_flow(
            InstanceId=INSTANCE,
            Name=name,
            Type="CONTACT_FLOW" if i % 2 else "CUSTOMER_QUEUE",
            Content=FLOW_CONTENT,
            Status="PUBLISHED" if i % 3 else "SAVED",
        )


def create_modules(names: list[str]) -> list[str]:
    return [
        client("connect").create_contact_flow_module(
            InstanceId=INSTANCE, Name=name, Content=FLOW_CONTENT
        )["Id"]
        for name in names
    ]


def seed_list_flows(fake: FakeAWS, n: int) -> Seeded:
    names = view_names(n)
    create_flows(names)
    return {"InstanceId": INSTANCE}, DEFAULT_FLOWS + names  # creation order


def seed_list_flows_typed(fake: FakeAWS, n: int) -> Seeded:
    names = view_names(n)
    create_flows(names)
    inbound = [name for i, name in enumerate(names) if i % 2]
    return {"InstanceId": INSTANCE, "ContactFlowTypes": ["CONTACT_FLOW"]}, inbound


def seed_search_flows(fake: FakeAWS, n: int) -> Seeded:
    names = view_names(n)
    create_flows(names)
    return {"InstanceId": INSTANCE}, sorted(DEFAULT_FLOWS + names)  # by name


def versions(create: Callable[[], int], delete: Callable[[int], None], n: int) -> list[int]:
    """n versions (highest first) with gaps where versions were deleted."""
    total = n + n // 3
    for number in range(1, total + 1):
        assert create() == number
    deleted = list(range(3, total + 1, 3))[: total - n]
    for number in deleted:
        delete(number)
    return sorted(set(range(1, total + 1)) - set(deleted), reverse=True)


def seed_flow_versions(fake: FakeAWS, n: int) -> Seeded:
    api = client("connect")
    flow_id = api.create_contact_flow(
        InstanceId=INSTANCE, Name="versioned", Type="CAMPAIGN", Content=FLOW_CONTENT
    )["ContactFlowId"]
    expected = versions(
        lambda: int(
            api.create_contact_flow_version(InstanceId=INSTANCE, ContactFlowId=flow_id)["Version"]
        ),
        lambda v: api.delete_contact_flow_version(
            InstanceId=INSTANCE, ContactFlowId=flow_id, ContactFlowVersion=v
        ),
        n,
    )
    return {"InstanceId": INSTANCE, "ContactFlowId": flow_id}, expected


def seed_list_modules(fake: FakeAWS, n: int) -> Seeded:
    names = view_names(n)
    create_modules(names)
    return {"InstanceId": INSTANCE}, names


def seed_search_modules(fake: FakeAWS, n: int) -> Seeded:
    names = view_names(n)
    create_modules(names)
    return {"InstanceId": INSTANCE}, sorted(names)


def seed_module_versions(fake: FakeAWS, n: int) -> Seeded:
    api = client("connect")
    [module] = create_modules(["versioned"])
    expected = versions(
        lambda: int(
            api.create_contact_flow_module_version(InstanceId=INSTANCE, ContactFlowModuleId=module)[
                "Version"
            ]
        ),
        lambda v: api.delete_contact_flow_module_version(
            InstanceId=INSTANCE, ContactFlowModuleId=module, ContactFlowModuleVersion=v
        ),
        n,
    )
    return {"InstanceId": INSTANCE, "ContactFlowModuleId": module}, expected


def instance_key(item: dict[str, Any]) -> str:
    instance_id: str = item["Id"]
    return instance_id


# ---------------------------------------------------------------------------- Image Builder
DOCUMENTS = {
    "BUILD": (WORKFLOWS / "build_workflow_example.yaml").read_text("utf-8"),
    "TEST": (WORKFLOWS / "test_workflow_example.yaml").read_text("utf-8"),
}
#: Normalized names ("alpha-flow", "alpha-b", "-lead", …) order differently from the raw ones.
WORKFLOW_NAMES = [
    "alpha",
    "Alpha Flow",
    "alpha_b",
    "alpha-a",
    "Beta",
    "zz top",
    "m-9",
    "007",
    "_lead",
    "Q_q",
]
VERSIONS = ["1.0.0", "1.2.0", "1.10.0", "10.0.0", "2.0.0", "0.0.1"]


@dataclass
class Workflows:
    """What was created, by (type, normalized name, version): the build numbers alive."""

    account: str
    builds: dict[tuple[str, str, str], list[int]] = field(default_factory=dict)
    count: int = 0

    def create(self, name: str, wtype: str, version: str) -> str:
        self.count += 1  # a new description each time: a new build, never a duplicate
        arn: str = client("imagebuilder").create_workflow(
            name=name,
            semanticVersion=version,
            type=wtype,
            data=DOCUMENTS[wtype],
            description=f"build {self.count}",
        )["workflowBuildVersionArn"]
        key = (wtype, normalize_workflow_name(name), version)
        self.builds.setdefault(key, []).append(int(arn.rsplit("/", 1)[1]))
        assert arn == f"{self.version_arn(*key)}/{self.builds[key][-1]}"
        return arn

    def delete(self, arn: str) -> None:
        client("imagebuilder").delete_workflow(workflowBuildVersionArn=arn)
        wtype, norm, version, number = arn.split(":workflow/")[1].split("/")
        self.builds[(wtype.upper(), norm, version)].remove(int(number))

    def version_arn(self, wtype: str, norm: str, version: str) -> str:
        return (
            f"arn:aws:imagebuilder:{REGION}:{self.account}:workflow/{wtype.lower()}/{norm}/"
            f"{version}"
        )

    def _live(self, wtype: str | None = None) -> list[tuple[str, str, str]]:
        """Versions with builds, in ListWorkflows order: normalized name, type, newest first."""
        keys = [k for k, numbers in self.builds.items() if numbers and wtype in (None, k[0])]
        keys.sort(key=lambda k: (k[1], k[0], [-node for node in version_key(k[2])]))
        return keys

    def listed_versions(self, wtype: str | None = None) -> list[str]:
        return [self.version_arn(*k) for k in self._live(wtype)]

    def listed_every_build(self) -> list[str]:
        """ListWorkflowBuildVersions without a version ARN: versions in ListWorkflows order,
        newest build first."""
        return [
            f"{self.version_arn(*k)}/{number}"
            for k in self._live()
            for number in sorted(self.builds[k], reverse=True)
        ]

    def listed_builds(self, wtype: str, norm: str, matches: Callable[[str], bool]) -> list[str]:
        """ListWorkflowBuildVersions order: newest version, then newest build first."""
        keys = [
            k
            for k, numbers in self.builds.items()
            if k[0] == wtype and k[1] == norm and numbers and matches(k[2])
        ]
        keys.sort(key=lambda k: version_key(k[2]), reverse=True)
        return [
            f"{self.version_arn(*k)}/{number}"
            for k in keys
            for number in sorted(self.builds[k], reverse=True)
        ]


def workflow_entries(n: int, types: tuple[str, ...] = ("BUILD", "TEST")) -> list[tuple[str, ...]]:
    """n distinct (name, type, version), in a shuffled creation order."""
    entries = list(itertools.product(WORKFLOW_NAMES, types, VERSIONS))
    random.Random(n).shuffle(entries)
    return entries[:n]


def arn_key(item: dict[str, Any]) -> str:
    arn: str = item["arn"]
    return arn


def seed_list_workflows(fake: FakeAWS, n: int) -> Seeded:
    """One item per version, even for versions with several builds."""
    flows = Workflows(fake.account_id)
    for index, (name, wtype, version) in enumerate(workflow_entries(n)):
        flows.create(name, wtype, version)
        if index % 3 == 0:
            flows.create(name, wtype, version)
    return {}, flows.listed_versions()


def seed_list_workflows_type_filter(fake: FakeAWS, n: int) -> Seeded:
    flows = Workflows(fake.account_id)
    for name, _, version in workflow_entries(n, ("TEST",)):
        flows.create(name, "TEST", version)
    for name, _, version in workflow_entries(n // 2 + 1, ("BUILD",)):
        flows.create(name, "BUILD", version)
    return {"filters": [{"name": "type", "values": ["TEST"]}]}, flows.listed_versions("TEST")


def seed_list_workflows_by_name(fake: FakeAWS, n: int) -> Seeded:
    """n (name, type) groups of 1 to 3 versions; byName lists the newest version of each."""
    flows = Workflows(fake.account_id)
    groups = list(itertools.product(WORKFLOW_NAMES, ("BUILD", "TEST")))
    random.Random(n).shuffle(groups)
    newest: list[tuple[str, str, str]] = []
    for index, (name, wtype) in enumerate(groups[:n]):
        versions = random.Random(index).sample(VERSIONS, 1 + index % 3)
        for version in versions:
            flows.create(name, wtype, version)
        newest.append((wtype, normalize_workflow_name(name), max(versions, key=version_key)))
    newest.sort(key=lambda k: (k[1], k[0]))
    return {"byName": True}, [flows.version_arn(*k) for k in newest]


def seed_list_workflows_amazon(fake: FakeAWS, n: int) -> Seeded:
    flows = Workflows(fake.account_id)
    for name, wtype, version in workflow_entries(n):
        flows.create(name, wtype, version)
    return {"owner": "Amazon"}, [(name, "Amazon") for name in MANAGED_WORKFLOWS]


def workflow_owner_key(item: dict[str, Any]) -> tuple[str, str]:
    return item["name"], item["owner"]


def seed_build_versions(fake: FakeAWS, n: int) -> Seeded:
    """n builds of one version, newest first, with gaps where builds were deleted."""
    flows = Workflows(fake.account_id)
    total = n + n // 3
    arns = [flows.create("Many Builds", "BUILD", "1.0.0") for _ in range(total)]
    for arn in arns[2::3][: total - n]:
        flows.delete(arn)
    flows.create("Many Builds", "BUILD", "1.1.0")  # decoys: another version, type, name
    flows.create("Many Builds", "TEST", "1.0.0")
    flows.create("many builds 2", "BUILD", "1.0.0")
    params = {"workflowVersionArn": flows.version_arn("BUILD", "many-builds", "1.0.0")}
    expected = flows.listed_builds("BUILD", "many-builds", lambda v: v == "1.0.0")
    assert len(expected) == n
    return params, expected


def seed_every_build(fake: FakeAWS, n: int) -> Seeded:
    """No workflowVersionArn: every build of the account (not the AWS-managed ones)."""
    shape = (
        client("imagebuilder")
        .meta.service_model.operation_model("ListWorkflowBuildVersions")
        .input_shape
    )
    if "workflowVersionArn" in shape.required_members:
        pytest.skip("the installed model requires workflowVersionArn")
    flows = Workflows(fake.account_id)
    versions = workflow_entries(4)
    total = n + n // 3
    arns = [flows.create(*versions[(index * 3) % 4]) for index in range(total)]
    for arn in arns[2::3][: total - n]:
        flows.delete(arn)
    expected = flows.listed_every_build()
    assert len(expected) == n
    return {}, expected


def seed_build_versions_wildcard(pattern: str) -> Callable[[FakeAWS, int], Seeded]:
    """n builds spread over the versions a wildcard matches; decoys it does not match."""

    def matches(version: str) -> bool:
        return wildcard_matches(pattern, version)

    def seed(fake: FakeAWS, n: int) -> Seeded:
        flows = Workflows(fake.account_id)
        spread = [v for v in VERSIONS if matches(v)]
        for index in range(n):
            flows.create("wild_card", "BUILD", spread[(index * 2) % len(spread)])
        for version in VERSIONS:
            if not matches(version):
                flows.create("wild_card", "BUILD", version)
        flows.create("wild_card", "TEST", "1.0.0")
        flows.create("wild-card-other", "BUILD", "1.0.0")
        params = {"workflowVersionArn": flows.version_arn("BUILD", "wild-card", pattern)}
        expected = flows.listed_builds("BUILD", "wild-card", matches)
        assert len(expected) == n
        return params, expected

    return seed


# ---------------------------------------------------------------------------- Image Builder builds
IB = "arn:aws:imagebuilder:us-east-1:123456789012"
COMPONENT_DOC = (
    "schemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: Hello\n"
    "        action: ExecuteBash\n        inputs:\n          commands: [echo hi]\n"
)
ROLE = "arn:aws:iam::123456789012:role/page"
#: Names whose normalized order differs from creation order (and from their verbatim order).
IB_NAMES = ["Zeta One", "alpha", "Beta_two", "0zero", "b-2", "mid dle", "Alpha Two", "zz_top"]


def ib_names(n: int) -> list[str]:
    names = IB_NAMES[:n] + [f"n{i:02d}" for i in range(n - len(IB_NAMES))]
    random.Random(n).shuffle(names)
    return names


def by_norm(names: list[str], arn: Callable[[str], str]) -> list[str]:
    return [
        arn(normalize_workflow_name(name)) for name in sorted(names, key=normalize_workflow_name)
    ]


def _basics() -> tuple[str, str]:
    ib = client("imagebuilder")
    recipe = ib.create_image_recipe(
        name="page-recipe", semanticVersion="1.0.0", parentImage="ami-0123456789abcdef0"
    )["imageRecipeArn"]
    infra = ib.create_infrastructure_configuration(name="page-infra", instanceProfileName="p")[
        "infrastructureConfigurationArn"
    ]
    return recipe, infra


def seed_components(fake: FakeAWS, n: int) -> Seeded:
    ib = client("imagebuilder")
    names = ib_names(n)
    for name in names:
        ib.create_component(
            name=name, semanticVersion="1.0.0", platform="Linux", data=COMPONENT_DOC
        )
    return {}, by_norm(names, lambda norm: f"{IB}:component/{norm}/1.0.0")


def seed_component_builds(fake: FakeAWS, n: int) -> Seeded:
    ib = client("imagebuilder")
    arns = [
        ib.create_component(
            name="many",
            semanticVersion="1.0.0",
            platform="Linux",
            data=COMPONENT_DOC,
            description=f"build {i}",
        )["componentBuildVersionArn"]
        for i in range(n)
    ]
    ib.create_component(name="many", semanticVersion="1.1.0", platform="Linux", data=COMPONENT_DOC)
    return {"componentVersionArn": f"{IB}:component/many/1.0.0"}, arns[::-1]


def seed_recipes(fake: FakeAWS, n: int) -> Seeded:
    ib = client("imagebuilder")
    names = ib_names(n)
    for name in names:
        ib.create_image_recipe(
            name=name, semanticVersion="1.0.0", parentImage="ami-0123456789abcdef0"
        )
    return {}, by_norm(names, lambda norm: f"{IB}:image-recipe/{norm}/1.0.0")


def seed_infrastructure(fake: FakeAWS, n: int) -> Seeded:
    ib = client("imagebuilder")
    names = ib_names(n)
    for name in names:
        ib.create_infrastructure_configuration(name=name, instanceProfileName="p")
    return {}, by_norm(names, lambda norm: f"{IB}:infrastructure-configuration/{norm}")


def seed_distribution(fake: FakeAWS, n: int) -> Seeded:
    ib = client("imagebuilder")
    names = ib_names(n)
    for name in names:
        ib.create_distribution_configuration(
            name=name, distributions=[{"region": REGION, "amiDistributionConfiguration": {}}]
        )
    return {}, by_norm(names, lambda norm: f"{IB}:distribution-configuration/{norm}")


def seed_pipelines(fake: FakeAWS, n: int) -> Seeded:
    ib = client("imagebuilder")
    recipe, infra = _basics()
    names = ib_names(n)
    for name in names:
        ib.create_image_pipeline(
            name=name, imageRecipeArn=recipe, infrastructureConfigurationArn=infra
        )
    return {}, by_norm(names, lambda norm: f"{IB}:image-pipeline/{norm}")


def seed_images(fake: FakeAWS, n: int) -> Seeded:
    ib = client("imagebuilder")
    _, infra = _basics()
    names = ib_names(n)
    for name in names:
        recipe = ib.create_image_recipe(
            name=name, semanticVersion="1.0.0", parentImage="ami-0123456789abcdef0"
        )["imageRecipeArn"]
        ib.create_image(imageRecipeArn=recipe, infrastructureConfigurationArn=infra)
    return {}, by_norm(names, lambda norm: f"{IB}:image/{norm}/1.0.0")


def seed_image_builds(fake: FakeAWS, n: int) -> Seeded:
    ib = client("imagebuilder")
    recipe, infra = _basics()
    arns = [
        ib.create_image(imageRecipeArn=recipe, infrastructureConfigurationArn=infra)[
            "imageBuildVersionArn"
        ]
        for _ in range(n)
    ]
    return {"imageVersionArn": f"{IB}:image/page-recipe/1.0.0"}, arns[::-1]


def seed_pipeline_images(fake: FakeAWS, n: int) -> Seeded:
    ib = client("imagebuilder")
    recipe, infra = _basics()
    pipeline = ib.create_image_pipeline(
        name="page-pipeline", imageRecipeArn=recipe, infrastructureConfigurationArn=infra
    )["imagePipelineArn"]
    ib.create_image(
        imageRecipeArn=recipe, infrastructureConfigurationArn=infra
    )  # not the pipeline's
    arns = [
        ib.start_image_pipeline_execution(imagePipelineArn=pipeline)["imageBuildVersionArn"]
        for _ in range(n)
    ]
    return {"imagePipelineArn": pipeline}, arns[::-1]


def _test_workflow(index: int) -> str:
    arn: str = client("imagebuilder").create_workflow(
        name=f"page-test-{index}",
        semanticVersion="1.0.0",
        type="TEST",
        data="schemaVersion: 1.0\nsteps:\n  - name: Probe\n    action: RunCommand\n",
    )["workflowBuildVersionArn"]
    return arn


def seed_workflow_executions(fake: FakeAWS, n: int) -> Seeded:
    """n workflow executions of one image: a build workflow, then n - 1 test workflows."""
    ib = client("imagebuilder")
    recipe, infra = _basics()
    build = "arn:aws:imagebuilder:us-east-1:aws:workflow/build/build-image/x.x.x"
    tests = [_test_workflow(i) for i in range(max(0, n - 1))]
    image = ib.create_image(
        imageRecipeArn=recipe,
        infrastructureConfigurationArn=infra,
        workflows=[{"workflowArn": build}, *({"workflowArn": t} for t in tests)],
        executionRole=ROLE,
    )["imageBuildVersionArn"]
    if n:
        fake.settle()
    expected = ["arn:aws:imagebuilder:us-east-1:aws:workflow/build/build-image/1.0.3/1", *tests]
    return {"imageBuildVersionArn": image}, expected[:n]


def execution_key(item: dict[str, Any]) -> str:
    arn: str = item["workflowBuildVersionArn"]
    return arn


def seed_step_executions(fake: FakeAWS, n: int) -> Seeded:
    """One workflow execution with n steps, listed in document order."""
    ib = client("imagebuilder")
    recipe, infra = _basics()
    names = [f"Step{i}" for i in range(n)]
    random.Random(n).shuffle(names)
    document = "schemaVersion: 1.0\nsteps:\n" + "".join(
        f"  - name: {name}\n    action: RunCommand\n" for name in names
    )
    workflow = ib.create_workflow(
        name="page-steps", semanticVersion="1.0.0", type="BUILD", data=document
    )["workflowBuildVersionArn"]
    image = ib.create_image(
        imageRecipeArn=recipe,
        infrastructureConfigurationArn=infra,
        workflows=[{"workflowArn": workflow}],
        executionRole=ROLE,
    )["imageBuildVersionArn"]
    fake.settle()
    [execution] = ib.list_workflow_executions(imageBuildVersionArn=image)["workflowExecutions"]
    return {"workflowExecutionId": execution["workflowExecutionId"]}, names


def step_name(item: dict[str, Any]) -> str:
    name: str = item["name"]
    return name


def seed_waiting_steps(fake: FakeAWS, n: int) -> Seeded:
    """n images waiting at an approval step, listed oldest first."""
    ib = client("imagebuilder")
    recipe, infra = _basics()
    workflow = ib.create_workflow(
        name="page-approval",
        semanticVersion="1.0.0",
        type="BUILD",
        data="schemaVersion: 1.0\nsteps:\n  - name: Approve\n    action: WaitForAction\n",
    )["workflowBuildVersionArn"]
    images = []
    for _ in range(n):
        images.append(
            ib.create_image(
                imageRecipeArn=recipe,
                infrastructureConfigurationArn=infra,
                workflows=[{"workflowArn": workflow}],
                executionRole=ROLE,
            )["imageBuildVersionArn"]
        )
        fake.clock.advance(1)
    fake.settle()
    return {}, images


def waiting_image(item: dict[str, Any]) -> str:
    arn: str = item["imageBuildVersionArn"]
    return arn


# ---------------------------------------------------------------------------- listings
@dataclass(frozen=True)
class Listing:
    id: str
    service: str
    operation: str
    seed: Callable[[FakeAWS, int], Seeded]
    key: Callable[[dict[str, Any]], Any]
    sizes: tuple[int, ...] = SMALL


LISTINGS = [
    Listing("all", "connect", "ListViews", seed_list_views(None), view_key, LARGER),
    Listing("customer", "connect", "ListViews", seed_list_views(CUSTOMER), view_key),
    Listing("managed", "connect", "ListViews", seed_list_views(AWS_MANAGED), view_key, (0, 7)),
    Listing("customer", "connect", "ListViewVersions", seed_view_versions, version_number, LARGER),
    Listing(
        "managed", "connect", "ListViewVersions", seed_managed_view_versions, version_number, (0,)
    ),
    Listing("all", "connect", "SearchViews", seed_search_all, view_key, LARGER),
    Listing("published", "connect", "SearchViews", seed_search_published, view_key),
    Listing("name-prefix", "connect", "SearchViews", seed_search_name_prefix, view_key),
    Listing("tag-filter", "connect", "SearchViews", seed_search_tags, view_key),
    Listing("created", "connect", "ListInstances", seed_list_instances, instance_key),
    Listing(
        "all", "connect", "ListInstanceAttributes", seed_instance_attributes, attribute_key, (0,)
    ),
    Listing("all", "connect", "ListContactFlows", seed_list_flows, name_key, (0, 3, 7)),
    Listing("typed", "connect", "ListContactFlows", seed_list_flows_typed, name_key, (0, 7)),
    Listing("all", "connect", "SearchContactFlows", seed_search_flows, name_key, (0, 7)),
    Listing(
        "gaps", "connect", "ListContactFlowVersions", seed_flow_versions, version_number, (0, 4, 7)
    ),
    Listing("all", "connect", "ListContactFlowModules", seed_list_modules, name_key, (0, 3, 7)),
    Listing("all", "connect", "SearchContactFlowModules", seed_search_modules, name_key, (0, 7)),
    Listing(
        "gaps",
        "connect",
        "ListContactFlowModuleVersions",
        seed_module_versions,
        version_number,
        (0, 4, 7),
    ),
    Listing("self", "imagebuilder", "ListWorkflows", seed_list_workflows, arn_key, LARGER),
    Listing(
        "type-filter", "imagebuilder", "ListWorkflows", seed_list_workflows_type_filter, arn_key
    ),
    Listing("by-name", "imagebuilder", "ListWorkflows", seed_list_workflows_by_name, arn_key),
    Listing(
        "amazon", "imagebuilder", "ListWorkflows", seed_list_workflows_amazon, workflow_owner_key
    ),
    Listing("version", "imagebuilder", "ListWorkflowBuildVersions", seed_build_versions, arn_key),
    Listing(
        "account", "imagebuilder", "ListWorkflowBuildVersions", seed_every_build, arn_key, LARGER
    ),
    Listing(
        "wildcard-x.x.x",
        "imagebuilder",
        "ListWorkflowBuildVersions",
        seed_build_versions_wildcard("x.x.x"),
        arn_key,
        LARGER,
    ),
    Listing(
        "wildcard-1.x.x",
        "imagebuilder",
        "ListWorkflowBuildVersions",
        seed_build_versions_wildcard("1.x.x"),
        arn_key,
    ),
]
LISTINGS += [
    Listing("self", "imagebuilder", "ListComponents", seed_components, arn_key),
    Listing(
        "version", "imagebuilder", "ListComponentBuildVersions", seed_component_builds, arn_key
    ),
    Listing("self", "imagebuilder", "ListImageRecipes", seed_recipes, arn_key),
    Listing(
        "self", "imagebuilder", "ListInfrastructureConfigurations", seed_infrastructure, arn_key
    ),
    Listing("self", "imagebuilder", "ListDistributionConfigurations", seed_distribution, arn_key),
    Listing("self", "imagebuilder", "ListImagePipelines", seed_pipelines, arn_key),
    Listing("self", "imagebuilder", "ListImages", seed_images, arn_key),
    Listing("version", "imagebuilder", "ListImageBuildVersions", seed_image_builds, arn_key),
    Listing("pipeline", "imagebuilder", "ListImagePipelineImages", seed_pipeline_images, arn_key),
    Listing(
        "image", "imagebuilder", "ListWorkflowExecutions", seed_workflow_executions, execution_key
    ),
    Listing(
        "execution",
        "imagebuilder",
        "ListWorkflowStepExecutions",
        seed_step_executions,
        step_name,
        SMALL[1:],
    ),
    Listing(
        "account", "imagebuilder", "ListWaitingWorkflowSteps", seed_waiting_steps, waiting_image
    ),
]
CASES = [
    pytest.param(listing, n, id=f"{listing.operation}-{listing.id}-n{n}")
    for listing in LISTINGS
    for n in listing.sizes
]


def test_every_paginated_operation_is_covered() -> None:
    derived = paginated_operations()
    covered = {(listing.service, listing.operation) for listing in LISTINGS}
    assert derived, "botocore's paginator model names none of the operations the fake serves"
    assert covered == derived, (
        f"paginated but not walked here: {sorted(derived - covered)}; "
        f"walked here but not paginated by the fake: {sorted(covered - derived)}"
    )
    for service, operation in derived:
        for member in paging(service, operation).non_aggregate_keys:
            assert member in NON_AGGREGATE_CHECKS, f"{operation}: nothing checks {member}"


@pytest.mark.parametrize(("listing", "n"), CASES)
def test_every_page_size_lists_every_item_once_in_order(
    connectviews: FakeAWS, listing: Listing, n: int
) -> None:
    assert connectviews.region == REGION
    params, expected = listing.seed(connectviews, n)
    walks = check_listing(
        connectviews, listing.service, listing.operation, params, expected, listing.key
    )
    sizes = page_sizes(listing.service, listing.operation, len(expected))
    assert walks == 2 * len(sizes) + 1


# ---------------------------------------------------------------------------- drawn names
PROPERTY = settings(max_examples=6, deadline=None, derandomize=True, database=None)
_VIEW_FIRST = list("aAzZ09_.:/=+-@()'éÉßΩжא中")
_view_names = st.lists(
    st.builds(
        str.__add__,
        st.sampled_from(_VIEW_FIRST),
        st.text(st.sampled_from([*_VIEW_FIRST, " ", "\u3000"]), max_size=5),
    ),
    max_size=7,
    unique=True,
)


@PROPERTY
@given(names=_view_names, statuses=st.lists(st.booleans(), min_size=7, max_size=7))
def test_drawn_view_names_list_in_code_point_order(names: list[str], statuses: list[bool]) -> None:
    with FakeAWS(region=REGION) as fake:
        ids = {
            name: create_view(name, "PUBLISHED" if published else "SAVED")
            for name, published in zip(names, statuses, strict=False)
        }
        customer = [(CUSTOMER, ids[name]) for name in sorted(names)]
        everything = managed_keys() + customer
        for operation in ("ListViews", "SearchViews"):
            params = {"InstanceId": INSTANCE}
            check_listing(fake, "connect", operation, params, everything, view_key, paginator=False)


_workflow_names = st.lists(
    st.builds(
        lambda first, middle, last: first + middle + last,
        st.sampled_from(list("aAzZ09_-")),
        st.text(st.sampled_from(list("aAzZ09_- ")), min_size=1, max_size=4),
        st.sampled_from(list("aAzZ09_-")),
    ),
    max_size=6,
    unique_by=normalize_workflow_name,
)


@PROPERTY
@given(names=_workflow_names, versions=st.lists(st.sampled_from(VERSIONS), min_size=6, max_size=6))
def test_drawn_workflow_names_list_in_normalized_order(
    names: list[str], versions: list[str]
) -> None:
    with FakeAWS(region=REGION) as fake:
        flows = Workflows(fake.account_id)
        for name, version in zip(names, versions, strict=False):
            flows.create(name, "BUILD", version)
            flows.create(name, "BUILD", "0.0.1" if version != "0.0.1" else "1.0.0")
        expected = flows.listed_versions()
        check_listing(fake, "imagebuilder", "ListWorkflows", {}, expected, arn_key, paginator=False)
