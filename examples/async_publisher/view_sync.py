"""An async service that keeps a set of Connect views published: aiobotocore, with retries."""

from __future__ import annotations

import json
from typing import Any

from aiobotocore.session import get_session
from botocore.config import Config

RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 6})


async def publish_all(instance_id: str, views: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Create (or update) each view by name and publish it; returns name -> view ARN."""
    session = get_session()
    async with session.create_client("connect", region_name="us-east-1", config=RETRIES) as c:
        existing: dict[str, str] = {}
        paginator = c.get_paginator("list_views")
        async for page in paginator.paginate(InstanceId=instance_id, Type="CUSTOMER_MANAGED"):
            existing.update({v["Name"]: v["Id"] for v in page["ViewsSummaryList"]})
        published = {}
        for name, template in views.items():
            content = {"Template": json.dumps(template), "Actions": []}
            if name in existing:
                view = await c.update_view_content(
                    InstanceId=instance_id,
                    ViewId=existing[name],
                    Status="PUBLISHED",
                    Content=content,
                )
            else:
                view = await c.create_view(
                    InstanceId=instance_id, Name=name, Status="PUBLISHED", Content=content
                )
            published[name] = view["View"]["Arn"]
        return published
