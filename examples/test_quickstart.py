import boto3


def test_publish_a_view(connectviews):
    connect = boto3.client("connect", region_name="us-east-1")
    view = connect.create_view(
        InstanceId="my-instance",
        Name="Form",
        Status="PUBLISHED",
        Content={"Template": '{"Head": {}, "Body": []}', "Actions": []},
    )["View"]
    assert view["Arn"].endswith(":$LATEST")
    assert [c.operation for c in connectviews.calls] == ["CreateView"]
