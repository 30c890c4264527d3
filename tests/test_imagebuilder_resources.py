"""Image Builder components, image recipes and configurations via real boto3 clients.

Versions and builds, documents, references checked on create, deletes blocked by the resources
that reference them (SPEC §10), tags, client tokens, dry runs and quotas.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from pytest_connectviews import FakeAWS
from tests._installed import optional_input

COMPONENT = """schemaVersion: 1.0
parameters:
  - Greeting:
      type: string
      default: hello
      description: What to say
  - Count:
      type: integer
      default: 3
phases:
  - name: build
    steps:
      - name: Hello
        action: ExecuteBash
        inputs:
          commands: ["echo {{ Greeting }}"]
  - name: validate
    steps:
      - name: Check
        action: ExecuteBash
        inputs:
          commands: ["true"]
"""
TEST_ONLY = """schemaVersion: 1.0
phases:
  - name: test
    steps:
      - name: Probe
        action: ExecuteBash
        inputs:
          commands: ["true"]
"""
AMI = "ami-0123456789abcdef0"


def error_of(info: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    err = info.value.response
    return err["Error"]["Code"], err["ResponseMetadata"]["HTTPStatusCode"], err["Error"]["Message"]


def base(fake: FakeAWS) -> str:
    return f"arn:aws:imagebuilder:{fake.region}:{fake.account_id}"


def component(ib: Any, name: str = "hello", version: str = "1.0.0", **kwargs: Any) -> str:
    kwargs.setdefault("platform", "Linux")
    if "uri" not in kwargs:
        kwargs.setdefault("data", COMPONENT)
    arn: str = ib.create_component(name=name, semanticVersion=version, **kwargs)[
        "componentBuildVersionArn"
    ]
    return arn


def recipe(ib: Any, name: str = "my-recipe", version: str = "1.0.0", **kwargs: Any) -> str:
    kwargs.setdefault("parentImage", AMI)
    arn: str = ib.create_image_recipe(name=name, semanticVersion=version, **kwargs)[
        "imageRecipeArn"
    ]
    return arn


def infra(ib: Any, name: str = "my-infra", **kwargs: Any) -> str:
    kwargs.setdefault("instanceProfileName", "EC2InstanceProfileForImageBuilder")
    arn: str = ib.create_infrastructure_configuration(name=name, **kwargs)[
        "infrastructureConfigurationArn"
    ]
    return arn


def dist(ib: Any, name: str = "my-dist", regions: tuple[str, ...] = ("us-east-1",)) -> str:
    arn: str = ib.create_distribution_configuration(
        name=name,
        distributions=[
            {
                "region": r,
                "amiDistributionConfiguration": {"name": "out {{imagebuilder:buildDate}}"},
            }
            for r in regions
        ],
    )["distributionConfigurationArn"]
    return arn


# ------------------------------------------------------------------------------ components
def test_component_builds_increment_and_identical_content_is_refused(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    ib = imagebuilder_client
    out = ib.create_component(
        name="Hello World", semanticVersion="1.2.3", platform="Linux", data=COMPONENT
    )
    prefix = f"{base(connectviews)}:component/hello-world"
    assert out["componentBuildVersionArn"] == f"{prefix}/1.2.3/1"
    assert out["latestVersionReferences"] == {
        "latestVersionArn": f"{prefix}/x.x.x",
        "latestMajorVersionArn": f"{prefix}/1.x.x",
        "latestMinorVersionArn": f"{prefix}/1.2.x",
        "latestPatchVersionArn": f"{prefix}/1.2.3",
    }
    assert out["requestId"] == out["ResponseMetadata"]["RequestId"]
    with pytest.raises(ib.exceptions.ResourceAlreadyExistsException) as info:
        component(ib, "Hello World", "1.2.3")
    assert error_of(info) == (
        "ResourceAlreadyExistsException",
        400,
        f"The following resource 'Component' already exists: '{prefix}/1.2.3/1'.",
    )
    second = component(ib, "Hello World", "1.2.3", description="other content")
    assert second == f"{prefix}/1.2.3/2"


def test_get_component_derives_type_and_parameters_and_resolves_wildcards(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    ib = imagebuilder_client
    component(ib, "hello", "1.0.0")
    newest = component(ib, "hello", "1.1.0", description="newer")
    got = ib.get_component(componentBuildVersionArn=f"{base(connectviews)}:component/hello/x.x.x")
    item = got["component"]
    assert item["arn"] == newest
    assert item["type"] == "BUILD"
    assert item["parameters"] == [
        {
            "name": "Greeting",
            "type": "String",
            "defaultValue": ["hello"],
            "description": "What to say",
        },
        {"name": "Count", "type": "Integer", "defaultValue": ["3"]},
    ]
    assert item["data"] == COMPONENT
    assert item["state"] == {"status": "ACTIVE"}
    assert item["tags"] == {}
    assert item["owner"] == connectviews.account_id
    tested = component(ib, "probe", data=TEST_ONLY)
    assert ib.get_component(componentBuildVersionArn=tested)["component"]["type"] == "TEST"


@pytest.mark.parametrize(
    ("document", "needle"),
    [
        ("schemaVersion: 1.0\n", "at least one phase"),
        ("schemaVersion: 2.0\nphases: []\n", "schemaVersion"),
        (COMPONENT.replace("ExecuteBash", "RunAnything", 1), "unsupported action 'RunAnything'"),
        (COMPONENT.replace("name: validate", "name: deploy"), "phases[1]"),
        (COMPONENT.replace("name: Check", "name: Hello"), None),  # names are per phase
        (COMPONENT.replace("type: integer", "type: float"), "type 'float'"),
        ("key: [unclosed", "not valid YAML"),
    ],
)
def test_component_documents_are_validated(
    imagebuilder_client: Any, document: str, needle: str | None
) -> None:
    if needle is None:
        assert component(imagebuilder_client, data=document).endswith("/1.0.0/1")
        return
    with pytest.raises(imagebuilder_client.exceptions.InvalidParameterValueException) as info:
        component(imagebuilder_client, data=document)
    code, status, message = error_of(info)
    assert (code, status) == ("InvalidParameterValueException", 400)
    assert message.startswith("The value supplied for parameter 'data' is not valid.")
    assert needle in message


def test_component_from_a_registered_uri_and_the_data_uri_rules(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    ib = imagebuilder_client
    connectviews.register_document("s3://my-bucket/hello.yaml", COMPONENT)
    arn = component(ib, uri="s3://my-bucket/hello.yaml")
    assert ib.get_component(componentBuildVersionArn=arn)["component"]["data"] == COMPONENT
    with pytest.raises(ib.exceptions.InvalidParameterCombinationException):
        ib.create_component(
            name="both", semanticVersion="1.0.0", platform="Linux", data=COMPONENT, uri="s3://a/b"
        )
    with pytest.raises(ib.exceptions.InvalidRequestException):
        ib.create_component(name="neither", semanticVersion="1.0.0", platform="Linux")
    with pytest.raises(ib.exceptions.InvalidParameterValueException):
        component(ib, "missing", uri="s3://my-bucket/missing.yaml")
    with pytest.raises(ib.exceptions.InvalidVersionNumberException):
        component(ib, "huge", "1073741824.0.0")


def test_component_client_token_replays_and_dry_run_creates_nothing(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    ib = imagebuilder_client
    first = ib.create_component(
        name="tok", semanticVersion="1.0.0", platform="Linux", data=COMPONENT, clientToken="t-1"
    )
    again = ib.create_component(
        name="tok", semanticVersion="1.0.0", platform="Linux", data=COMPONENT, clientToken="t-1"
    )
    assert again["componentBuildVersionArn"] == first["componentBuildVersionArn"]
    with pytest.raises(ib.exceptions.IdempotentParameterMismatchException):
        ib.create_component(
            name="tok", semanticVersion="2.0.0", platform="Linux", data=COMPONENT, clientToken="t-1"
        )
    with pytest.raises(ib.exceptions.DryRunOperationException) as info:
        component(ib, "dry", dryRun=True)
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    assert [c["name"] for c in ib.list_components()["componentVersionList"]] == ["tok"]


def test_list_components_filters_by_name_and_lists_amazon_components(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    ib = imagebuilder_client
    component(ib, "alpha", "1.0.0")
    component(ib, "alpha", "2.0.0")
    component(ib, "beta", "1.0.0", platform="Windows")
    versions = ib.list_components()["componentVersionList"]
    assert [(v["name"], v["version"]) for v in versions] == [
        ("alpha", "2.0.0"),
        ("alpha", "1.0.0"),
        ("beta", "1.0.0"),
    ]
    assert versions[0]["arn"] == f"{base(connectviews)}:component/alpha/2.0.0"
    newest = ib.list_components(byName=True)["componentVersionList"]
    assert [(v["name"], v["version"]) for v in newest] == [("alpha", "2.0.0"), ("beta", "1.0.0")]
    windows = ib.list_components(filters=[{"name": "platform", "values": ["Windows"]}])
    assert [v["name"] for v in windows["componentVersionList"]] == ["beta"]
    amazon = ib.list_components(owner="Amazon")["componentVersionList"]
    assert {v["owner"] for v in amazon} == {"Amazon"}
    assert any(v["name"] == "update-linux" for v in amazon)
    assert ":aws:component/" in amazon[0]["arn"]
    with pytest.raises(ib.exceptions.InvalidParameterValueException):
        ib.list_components(filters=[{"name": "colour", "values": ["red"]}])


def test_list_component_build_versions_newest_first(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    ib = imagebuilder_client
    component(ib, "hello")
    component(ib, "hello", description="two")
    component(ib, "hello", description="three", tags={"team": "a"})
    out = ib.list_component_build_versions(
        componentVersionArn=f"{base(connectviews)}:component/hello/1.0.0", maxResults=2
    )
    assert [s["arn"].rsplit("/", 1)[1] for s in out["componentSummaryList"]] == ["3", "2"]
    assert out["componentSummaryList"][0]["tags"] == {"team": "a"}
    rest = ib.list_component_build_versions(
        componentVersionArn=f"{base(connectviews)}:component/hello/1.0.0",
        nextToken=out["nextToken"],
    )
    assert [s["arn"].rsplit("/", 1)[1] for s in rest["componentSummaryList"]] == ["1"]
    assert "nextToken" not in rest


@pytest.mark.skipif(
    not optional_input("imagebuilder", "ListComponentBuildVersions", "componentVersionArn"),
    reason="this botocore's ListComponentBuildVersions requires componentVersionArn",
)
def test_list_component_build_versions_without_an_arn_lists_every_build(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    # Like ListWorkflowBuildVersions: by name, then newest version and build first, paged.
    ib = imagebuilder_client
    component(ib, "zeta")
    component(ib, "alpha", "1.0.0")
    component(ib, "alpha", "1.0.0", description="second build")
    component(ib, "alpha", "2.0.0")
    other = "eu-west-1" if connectviews.region != "eu-west-1" else "eu-west-2"
    component(boto3.client("imagebuilder", region_name=other), "elsewhere")  # not listed
    pages = ib.get_paginator("list_component_build_versions").paginate(
        PaginationConfig={"PageSize": 2}
    )
    listed = [s["arn"].split(":component/")[1] for p in pages for s in p["componentSummaryList"]]
    assert listed == ["alpha/2.0.0/1", "alpha/1.0.0/2", "alpha/1.0.0/1", "zeta/1.0.0/1"]
    with pytest.raises(ib.exceptions.InvalidPaginationTokenException):
        ib.list_component_build_versions(nextToken="not-a-token")


def test_delete_component_blocked_by_a_recipe_then_allowed(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    ib = imagebuilder_client
    arn = component(ib)
    made = recipe(ib, components=[{"componentArn": arn}])
    with pytest.raises(ib.exceptions.ResourceDependencyException) as info:
        ib.delete_component(componentBuildVersionArn=arn)
    assert error_of(info) == (
        "ResourceDependencyException",
        400,
        f"Resource dependency error: The resource ARN '{arn}' has other resources depended on it.",
    )
    ib.delete_image_recipe(imageRecipeArn=made)
    assert ib.delete_component(componentBuildVersionArn=arn)["componentBuildVersionArn"] == arn
    with pytest.raises(ib.exceptions.ResourceNotFoundException):
        ib.get_component(componentBuildVersionArn=arn)
    with pytest.raises(ib.exceptions.ResourceNotFoundException):
        ib.delete_component(componentBuildVersionArn=arn)


def test_a_recipe_referencing_a_wildcard_blocks_the_build_it_resolved_to(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    ib = imagebuilder_client
    old = component(ib, "hello", "1.0.0")
    new = component(ib, "hello", "1.1.0")
    recipe(ib, components=[{"componentArn": f"{base(connectviews)}:component/hello/1.x.x"}])
    with pytest.raises(ib.exceptions.ResourceDependencyException):
        ib.delete_component(componentBuildVersionArn=new)
    ib.delete_component(componentBuildVersionArn=old)


def test_managed_components_cannot_be_deleted(imagebuilder_client: Any) -> None:
    arn = "arn:aws:imagebuilder:us-east-1:aws:component/update-linux/1.0.2/1"
    got = imagebuilder_client.get_component(componentBuildVersionArn=arn)["component"]
    assert got["owner"] == "Amazon"
    with pytest.raises(imagebuilder_client.exceptions.ForbiddenException):
        imagebuilder_client.delete_component(componentBuildVersionArn=arn)


# ------------------------------------------------------------------------------ recipes
def test_recipe_wildcard_versions_increment_the_patch(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    ib = imagebuilder_client
    prefix = f"{base(connectviews)}:image-recipe/my-recipe"
    assert recipe(ib, version="1.0.x") == f"{prefix}/1.0.0"
    assert recipe(ib, version="1.0.x") == f"{prefix}/1.0.1"
    assert recipe(ib, version="1.0.x") == f"{prefix}/1.0.2"
    assert recipe(ib, version="2.x.x") == f"{prefix}/2.0.0"
    with pytest.raises(ib.exceptions.ResourceAlreadyExistsException) as info:
        recipe(ib, version="1.0.1")
    assert error_of(info)[2] == (
        f"The following resource 'ImageRecipe' already exists: '{prefix}/1.0.1'."
    )
    with pytest.raises(ib.exceptions.InvalidParameterValueException):
        recipe(ib, version="x.1.x")


def test_recipe_checks_its_components(connectviews: FakeAWS, imagebuilder_client: Any) -> None:
    ib = imagebuilder_client
    missing = f"{base(connectviews)}:component/nope/1.0.0/1"
    with pytest.raises(ib.exceptions.ResourceNotFoundException) as info:
        recipe(ib, components=[{"componentArn": missing}])
    assert missing in error_of(info)[2]
    arn = component(ib)
    with pytest.raises(ib.exceptions.InvalidParameterCombinationException) as info:
        recipe(
            ib,
            components=[
                {"componentArn": arn, "parameters": [{"name": "S3BucketName", "value": ["b"]}]}
            ],
        )
    assert error_of(info)[2] == (
        "The value supplied for parameter 'components[0].parameters' is not valid. The following "
        "parameters are not defined in the provided component: S3BucketName"
    )
    made = recipe(
        ib,
        components=[
            {"componentArn": arn, "parameters": [{"name": "Greeting", "value": ["hi"]}]},
            {"componentArn": "arn:aws:imagebuilder:us-east-1:aws:component/update-linux/x.x.x"},
        ],
    )
    got = ib.get_image_recipe(imageRecipeArn=made)["imageRecipe"]
    # references come back as given, not resolved
    assert got["components"][1]["componentArn"].endswith("/update-linux/x.x.x")
    assert got["workingDirectory"] == "/tmp"
    assert got["platform"] == "Linux"
    assert got["parentImage"] == AMI


def test_get_image_recipe_by_wildcard_and_list_with_filters(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    ib = imagebuilder_client
    recipe(ib, "web", "1.0.0")
    newest = recipe(ib, "web", "1.2.0", tags={"env": "prod"})
    recipe(ib, "data-base", "1.0.0", parentImage="ami-00000000000000001")
    got = ib.get_image_recipe(imageRecipeArn=f"{base(connectviews)}:image-recipe/web/1.x.x")
    assert got["imageRecipe"]["arn"] == newest
    assert got["imageRecipe"]["tags"] == {"env": "prod"}
    items = ib.list_image_recipes()["imageRecipeSummaryList"]
    assert [i["arn"].split("image-recipe/")[1] for i in items] == [
        "data-base/1.0.0",
        "web/1.2.0",
        "web/1.0.0",
    ]
    by_parent = ib.list_image_recipes(
        filters=[{"name": "parentImage", "values": ["ami-00000000000000001"]}]
    )["imageRecipeSummaryList"]
    assert [i["name"] for i in by_parent] == ["data-base"]
    assert ib.list_image_recipes(owner="Amazon")["imageRecipeSummaryList"] == []


# ------------------------------------------------------------------------------ configurations
def test_infrastructure_configuration_lifecycle(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    ib = imagebuilder_client
    arn = infra(ib, "My Infra", instanceTypes=["t3.micro"], subnetId="subnet-1", tags={"a": "b"})
    assert arn == f"{base(connectviews)}:infrastructure-configuration/my-infra"
    got = ib.get_infrastructure_configuration(infrastructureConfigurationArn=arn)
    config = got["infrastructureConfiguration"]
    assert config["name"] == "My Infra"
    assert config["instanceTypes"] == ["t3.micro"]
    assert config["terminateInstanceOnFailure"] is True
    assert config["tags"] == {"a": "b"}
    assert "dateUpdated" not in config
    with pytest.raises(ib.exceptions.ResourceAlreadyExistsException):
        infra(ib, "my_infra")
    connectviews.clock.advance(5)
    ib.update_infrastructure_configuration(
        infrastructureConfigurationArn=arn, instanceProfileName="other"
    )
    updated = ib.get_infrastructure_configuration(infrastructureConfigurationArn=arn)[
        "infrastructureConfiguration"
    ]
    assert updated["instanceProfileName"] == "other"
    assert "instanceTypes" not in updated  # Update replaces everything
    assert "subnetId" not in updated
    assert updated["dateUpdated"] > updated["dateCreated"]
    summary = ib.list_infrastructure_configurations()["infrastructureConfigurationSummaryList"]
    assert [(s["arn"], s["instanceProfileName"]) for s in summary] == [(arn, "other")]
    ib.delete_infrastructure_configuration(infrastructureConfigurationArn=arn)
    with pytest.raises(ib.exceptions.ResourceNotFoundException):
        ib.get_infrastructure_configuration(infrastructureConfigurationArn=arn)
    with pytest.raises(ib.exceptions.ResourceNotFoundException):
        ib.update_infrastructure_configuration(
            infrastructureConfigurationArn=arn, instanceProfileName="p"
        )


def test_distribution_configuration_needs_an_output_per_region(imagebuilder_client: Any) -> None:
    ib = imagebuilder_client
    with pytest.raises(ib.exceptions.InvalidParameterValueException) as info:
        ib.create_distribution_configuration(
            name="no-output", distributions=[{"region": "us-east-1"}]
        )
    assert error_of(info)[2] == (
        "The value supplied for parameter 'distributions[0]' is not valid. One or more outputs "
        "should be provided for each region in a distribution configuration."
    )
    with pytest.raises(ib.exceptions.InvalidParameterValueException):
        dist(ib, regions=("us-east-1", "us-east-1"))
    arn = dist(ib, regions=("us-east-1", "eu-west-1"))
    got = ib.get_distribution_configuration(distributionConfigurationArn=arn)
    assert got["distributionConfiguration"]["timeoutMinutes"] == 720
    listed = ib.list_distribution_configurations()["distributionConfigurationSummaryList"]
    assert listed[0]["regions"] == ["us-east-1", "eu-west-1"]
    ib.update_distribution_configuration(
        distributionConfigurationArn=arn,
        distributions=[{"region": "us-west-2", "amiDistributionConfiguration": {}}],
    )
    listed = ib.list_distribution_configurations()["distributionConfigurationSummaryList"]
    assert listed[0]["regions"] == ["us-west-2"]


def test_configurations_list_pages_and_filters_by_name(imagebuilder_client: Any) -> None:
    ib = imagebuilder_client
    for name in ("c-one", "a-one", "b-one"):
        infra(ib, name)
    first = ib.list_infrastructure_configurations(maxResults=2)
    assert [s["name"] for s in first["infrastructureConfigurationSummaryList"]] == [
        "a-one",
        "b-one",
    ]
    rest = ib.list_infrastructure_configurations(maxResults=2, nextToken=first["nextToken"])
    assert [s["name"] for s in rest["infrastructureConfigurationSummaryList"]] == ["c-one"]
    assert "nextToken" not in rest
    named = ib.list_infrastructure_configurations(filters=[{"name": "name", "values": ["b-one"]}])
    assert [s["name"] for s in named["infrastructureConfigurationSummaryList"]] == ["b-one"]
    with pytest.raises(ib.exceptions.InvalidPaginationTokenException):
        ib.list_distribution_configurations(nextToken=first["nextToken"])


def test_tags_on_components_recipes_and_configurations(
    connectviews: FakeAWS, imagebuilder_client: Any
) -> None:
    ib = imagebuilder_client
    arns = [component(ib), recipe(ib), infra(ib), dist(ib)]
    for arn in arns:
        ib.tag_resource(resourceArn=arn, tags={"k": "v"})
        assert ib.list_tags_for_resource(resourceArn=arn)["tags"] == {"k": "v"}
        ib.untag_resource(resourceArn=arn, tagKeys=["k"])
        assert ib.list_tags_for_resource(resourceArn=arn)["tags"] == {}
    with pytest.raises(ib.exceptions.ResourceNotFoundException):
        ib.tag_resource(resourceArn=f"{base(connectviews)}:component/nope/1.0.0/1", tags={"a": "b"})
    with pytest.raises(ib.exceptions.ForbiddenException):
        ib.tag_resource(
            resourceArn="arn:aws:imagebuilder:us-east-1:aws:component/update-linux/1.0.2/1",
            tags={"a": "b"},
        )


@pytest.mark.parametrize(
    ("quota", "make"),
    [
        ("imagebuilder.component_build_versions", lambda ib, i: component(ib, f"c-{i}")),
        ("imagebuilder.image_recipes", lambda ib, i: recipe(ib, f"r-{i}")),
        ("imagebuilder.infrastructure_configurations", lambda ib, i: infra(ib, f"i-{i}")),
        ("imagebuilder.distribution_configurations", lambda ib, i: dist(ib, f"d-{i}")),
    ],
)
def test_quotas_of_the_counted_resources(
    connectviews: FakeAWS, imagebuilder_client: Any, quota: str, make: Any
) -> None:
    connectviews.set_quota(quota, 2)
    make(imagebuilder_client, 1)
    make(imagebuilder_client, 2)
    with pytest.raises(imagebuilder_client.exceptions.ServiceQuotaExceededException) as info:
        make(imagebuilder_client, 3)
    code, status, message = error_of(info)
    assert (code, status) == ("ServiceQuotaExceededException", 402)
    assert quota in message


def test_faults_reach_the_new_operations(connectviews: FakeAWS, imagebuilder_client: Any) -> None:
    connectviews.inject_error("GetComponent", "InvalidRequestException", times=1)
    arn = component(imagebuilder_client)
    with pytest.raises(imagebuilder_client.exceptions.InvalidRequestException):
        imagebuilder_client.get_component(componentBuildVersionArn=arn)
    connectviews.throttle(rate=0, burst=0, operation="ListImageRecipes")
    with pytest.raises(imagebuilder_client.exceptions.CallRateLimitExceededException) as info:
        imagebuilder_client.list_image_recipes()
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
