import json

import boto3

TEMPLATE = {
    "Head": {"Title": "Refund request"},
    "Body": [
        {"_id": "amount", "Type": "TextInput", "Props": {"Label": "Amount"}},
        {"_id": "send", "Type": "Button", "Props": {"Action": "Submit"}, "Content": ["Send"]},
    ],
}


def test_publish_a_view(connectviews):
    connect = boto3.client("connect", region_name="us-east-1")
    view = connect.create_view(
        InstanceId="my-instance",
        Name="Refund",
        Status="PUBLISHED",
        Content={"Template": json.dumps(TEMPLATE), "Actions": ["Submit"]},
    )["View"]
    assert view["Arn"].endswith(":$LATEST")
    assert [c.operation for c in connectviews.calls] == ["CreateView"]
