"""Performance properties that do not depend on the machine's speed (benchmarks/run.py times them).

Models and codecs are built once per process, activation never resets boto3's default session,
views share one immutable content across aliases and versions, and loading the plugin stays cheap.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator, Mapping
from typing import Any

import boto3
import botocore.exceptions
import botocore.session
import pytest
from _contract import service_model as _contract_model

from pytest_connectviews import FakeAWS, _models, validation, wire
from pytest_connectviews.services.connect.views import View, Views

REGION = "us-east-1"
INSTANCE = "11111111-2222-3333-4444-555555555555"


def _content(title: str = "T", size: int = 0) -> dict[str, Any]:
    """A publishable view; ``size`` pads the template with that many characters."""
    template = {
        "Head": {"Title": title, "Description": "x" * size},
        "Body": [{"_id": "b", "Type": "Button", "Props": {"Action": "Go"}, "Content": ["Go"]}],
    }
    return {"Template": json.dumps(template), "Actions": ["Go"]}


def _view(fake: FakeAWS, view_id: str) -> View:
    families = fake._pipeline.dispatcher.state("connect").families
    views = next(family for family in families if isinstance(family, Views))
    for instance in views._instances.values():
        if view_id in instance.views:
            return instance.views[view_id]
    raise AssertionError(f"view {view_id} is not in the fake's state")


def test_models_and_codecs_are_loaded_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    # Start from a process that has loaded nothing yet, then count every model load.
    monkeypatch.setattr(_models, "_models", {})
    monkeypatch.setattr(_models, "_facts", {})
    monkeypatch.setattr(wire, "_codecs", {})
    loads: list[str] = []
    original = botocore.session.Session.get_service_model

    def counting(self: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
        loads.append(service_name)
        return original(self, service_name, *args, **kwargs)

    # The suite's own contract check (tests/conftest.py) keeps its own copy of the models: load
    # it first, so that what is counted is the plugin's loads (else this test fails when run
    # before any other).
    _contract_model("connect")
    _contract_model("imagebuilder")
    monkeypatch.setattr(botocore.session.Session, "get_service_model", counting)
    connect = boto3.client("connect", region_name=REGION)
    imagebuilder = boto3.client("imagebuilder", region_name=REGION)
    codecs = []
    for _ in range(3):  # three tests' worth of fakes
        with FakeAWS():
            view = connect.create_view(
                InstanceId=INSTANCE, Name="Form", Status="PUBLISHED", Content=_content()
            )["View"]
            connect.describe_view(InstanceId=INSTANCE, ViewId=view["Id"])
            imagebuilder.list_workflows()
            codecs.append((wire.codec_for("connect"), wire.codec_for("imagebuilder")))
    assert sorted(loads) == ["connect", "imagebuilder"]
    assert all(pair[0] is codecs[0][0] and pair[1] is codecs[0][1] for pair in codecs)


def test_activation_never_resets_boto3_default_session() -> None:
    boto3.client("connect", region_name=REGION)
    session = boto3.DEFAULT_SESSION
    assert session is not None
    for _ in range(2):
        with FakeAWS():
            boto3.client("connect", region_name=REGION).list_views(InstanceId=INSTANCE)
    assert boto3.DEFAULT_SESSION is session


def test_aliases_versions_and_equal_views_share_one_content(connectviews: FakeAWS) -> None:
    client = boto3.client("connect", region_name=REGION)
    first = client.create_view(
        InstanceId=INSTANCE, Name="First", Status="PUBLISHED", Content=_content()
    )["View"]
    client.create_view_version(InstanceId=INSTANCE, ViewId=first["Id"])
    client.update_view_content(
        InstanceId=INSTANCE, ViewId=first["Id"], Status="SAVED", Content=_content()
    )
    second = client.create_view(
        InstanceId=INSTANCE, Name="Second", Status="PUBLISHED", Content=_content()
    )["View"]
    one, two = _view(connectviews, first["Id"]), _view(connectviews, second["Id"])
    shared = one.saved
    assert one.latest is shared
    assert one.versions[1].content is shared
    assert two.saved is shared
    assert two.latest is shared


def test_many_views_with_one_content_do_not_store_it_per_view(connectviews: FakeAWS) -> None:
    client = boto3.client("connect", region_name=REGION)
    content = _content(size=50_000)
    # Warm everything paid once per process or per content (models, writers, the interned
    # content and its escaped JSON) with a first view, so the measure is what each view keeps.
    warm = client.create_view(
        InstanceId=INSTANCE, Name="warm", Status="PUBLISHED", Content=content
    )["View"]["Id"]
    client.create_view_version(InstanceId=INSTANCE, ViewId=warm)
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        for i in range(20):
            view_id = client.create_view(
                InstanceId=INSTANCE, Name=f"view-{i}", Status="PUBLISHED", Content=content
            )["View"]["Id"]
            client.create_view_version(InstanceId=INSTANCE, ViewId=view_id)
        connectviews.calls._clear()  # recorded calls keep their parameters by design
        grown = tracemalloc.get_traced_memory()[0] - start
    finally:
        tracemalloc.stop()
    # One copy of the content is 50 kB; a copy per view (or per alias/version) would be >= 1 MB.
    assert grown < 400_000, f"20 views with one shared content kept {grown} bytes"


def test_importing_the_plugin_loads_no_aws_or_parsing_library() -> None:
    code = (
        "import json, sys\n"
        "import pytest_connectviews.plugin\n"
        "heavy = {'botocore', 'boto3', 'regex', 'yaml', 'urllib3', 'moto'}\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & heavy)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []


def test_repeated_values_are_validated_the_same_every_time(connectviews: FakeAWS) -> None:
    client = boto3.client("connect", region_name=REGION)
    for _ in range(3):  # the second and third answers come from the pattern memo
        with pytest.raises(botocore.exceptions.ClientError) as raised:
            client.list_views(InstanceId="not a valid id!")
        assert raised.value.response["Error"]["Code"] == "InvalidParameterException"
    assert client.list_views(InstanceId=INSTANCE)["ViewsSummaryList"]


def test_the_pattern_memo_stays_bounded() -> None:
    shape = botocore.session.get_session().get_service_model("connect")
    instance_id = shape.operation_model("ListViews").input_shape.members["InstanceId"]
    for i in range(validation._MATCHED_MAX + 500):
        assert validation.check(instance_id, f"instance-{i}") is None
    assert validation.check(instance_id, "bad id!") is not None
    assert len(validation._matched) <= validation._MATCHED_MAX


def _strings(value: Any) -> Iterator[str]:
    """Every string inside a parameter or response value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _the_large(value: Any, size: int) -> list[str]:
    return [s for s in _strings(value) if len(s) >= size]


def test_a_recorded_view_call_shares_its_large_content_with_the_state(
    connectviews: FakeAWS,
) -> None:
    client = boto3.client("connect", region_name=REGION)
    content = _content(size=20_000)
    view_id = client.create_view(
        InstanceId=INSTANCE, Name="Large", Status="PUBLISHED", Content=content
    )["View"]["Id"]
    client.describe_view(InstanceId=INSTANCE, ViewId=view_id)
    client.describe_view(InstanceId=INSTANCE, ViewId=f"{view_id}:$SAVED")
    stored = _view(connectviews, view_id).saved.template
    assert len(stored) > 20_000
    create, *describes = connectviews.calls
    assert len(describes) == 2
    # the template the request carried is the one object the state keeps ...
    assert [s is stored for s in _the_large(create.params, 20_000)] == [True]
    # ... and every recorded response holds that object too, not a copy per call
    for call in (create, *describes):
        assert call.response is not None
        assert [s is stored for s in _the_large(call.response, 20_000)] == [True]


def test_a_recorded_workflow_call_shares_its_large_document_with_the_state(
    connectviews: FakeAWS,
) -> None:
    client = boto3.client("imagebuilder", region_name=REGION)
    notes = "".join(f"# note {i}: {'x' * 90}\n" for i in range(140))  # stored byte for byte
    document = notes + "schemaVersion: 1.0\nsteps:\n  - name: Wait\n    action: WaitForAction\n"
    assert 12_000 < len(document) <= 16_000  # the model's limit for data
    arn = client.create_workflow(
        name="large", semanticVersion="1.0.0", type="BUILD", data=document
    )["workflowBuildVersionArn"]
    client.get_workflow(workflowBuildVersionArn=arn)
    families = connectviews._pipeline.dispatcher.state("imagebuilder").families
    builds = [
        build
        for family in families
        for scope in getattr(family, "_scopes", {}).values()
        for entry in scope.versions.values()
        for build in entry.builds.values()
    ]
    (build,) = builds
    create, get = connectviews.calls
    assert [s is build.data for s in _the_large(create.params, 12_000)] == [True]
    assert get.response is not None
    assert [s is build.data for s in _the_large(get.response, 12_000)] == [True]
