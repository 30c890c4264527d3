"""What the fake reads from the installed botocore model instead of tables of its own."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import textwrap

import boto3
import pytest

from pytest_connectviews import FakeAWS, UnhandledOperationError, _models, dispatch

INSTANCE = "11111111-2222-3333-4444-555555555555"


def test_throttling_codes_are_the_modeled_429_errors() -> None:
    connect = _models.facts("connect")
    assert connect.throttling_code("CreateView") == "TooManyRequestsException"
    assert connect.throttling_code("SearchViews") == "ThrottlingException"
    assert connect.throttling_code("TagResource") == "ThrottlingException"
    imagebuilder = _models.facts("imagebuilder")
    assert imagebuilder.throttling_code("CreateWorkflow") == "CallRateLimitExceededException"
    # Image Builder's tagging operations model no 429: the service's usual one answers
    assert imagebuilder.throttling_code("TagResource") == "CallRateLimitExceededException"


def test_endpoint_variables_are_named_after_the_service_ids() -> None:
    names = sorted(f.endpoint_env_var for f in _models.all_facts())
    assert names == ["AWS_ENDPOINT_URL_CONNECT", "AWS_ENDPOINT_URL_IMAGEBUILDER"]


def test_an_operation_the_installed_model_lacks_is_not_offered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = _models.facts("connect")
    older = dataclasses.replace(real, operations=real.operations - {"SearchViews"})
    monkeypatch.setitem(_models._facts, "connect", older)
    monkeypatch.setattr(dispatch, "_tables", {})
    assert "SearchViews" not in dispatch.operations("connect")
    assert "ListViews" in dispatch.operations("connect")
    with FakeAWS():
        client = boto3.client("connect", region_name="us-east-1")
        client.list_views(InstanceId=INSTANCE)
        with pytest.raises(UnhandledOperationError, match="SearchViews"):
            client.search_views(InstanceId=INSTANCE)


def test_a_service_whose_endpoint_prefix_is_not_its_name_is_still_answered() -> None:
    # A fresh process whose botocore model gives connect another endpoint prefix: the seam
    # must map it from the model, not assume prefix == service name (that would pass the
    # request through to the network).
    script = textwrap.dedent(
        """
        import json, botocore.loaders
        original = botocore.loaders.Loader.load_service_model

        def load(self, service_name, type_name, api_version=None):
            model = original(self, service_name, type_name, api_version)
            if service_name == "connect" and type_name == "service-2":
                model = dict(model, metadata=dict(model["metadata"], endpointPrefix="contact"))
            return model

        botocore.loaders.Loader.load_service_model = load
        import boto3
        from pytest_connectviews import FakeAWS

        with FakeAWS(passthrough=False) as fake:
            client = boto3.client("connect", region_name="us-east-1")
            assert client.meta.service_model.endpoint_prefix == "contact"
            client.list_views(InstanceId="11111111-2222-3333-4444-555555555555")
            print(json.dumps([c.operation for c in fake.calls]))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == ["ListViews"]
