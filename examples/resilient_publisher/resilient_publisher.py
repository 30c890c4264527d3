"""Publish Connect views and Image Builder workflows from a deployment job, surviving throttling.

botocore retries throttling errors on its own, but only a few times, and not all of them in every
retry mode: in ``standard`` mode it does not retry Image Builder's
``CallRateLimitExceededException``. A deployment job that publishes dozens of views and workflows
in a burst therefore adds its own bounded retry on top, and reports an exhausted quota as a clear
error instead of retrying it.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

#: Error codes that mean "slow down" for the two services.
THROTTLING = {"TooManyRequestsException", "ThrottlingException", "CallRateLimitExceededException"}


class QuotaExhausted(Exception):
    """A service quota is used up: retrying will not help, someone has to clean up or ask AWS."""


class GaveUp(Exception):
    """The service kept throttling after every retry."""


class Publisher:
    """Publishes views (with a numbered version) and workflow versions, idempotently.

    :param connect: a boto3 ``connect`` client.
    :param imagebuilder: a boto3 ``imagebuilder`` client.
    :param attempts: how many times to try one operation, on top of botocore's own retries.
    :param base_delay: the first backoff in seconds; doubled after each throttled try.
    :param sleep: how to wait (``time.sleep``; tests pass the fake's virtual clock).
    """

    def __init__(
        self,
        connect: Any,
        imagebuilder: Any,
        *,
        attempts: int = 4,
        base_delay: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.connect = connect
        self.imagebuilder = imagebuilder
        self.attempts = attempts
        self.base_delay = base_delay
        self.sleep = sleep
        self.throttled = 0

    def _call(self, method: Callable[..., dict[str, Any]], **kwargs: Any) -> dict[str, Any]:
        for attempt in range(1, self.attempts + 1):
            try:
                return method(**kwargs)
            except ClientError as exc:
                code = exc.response["Error"]["Code"]
                if code == "ServiceQuotaExceededException":
                    raise QuotaExhausted(exc.response["Error"]["Message"]) from exc
                if code not in THROTTLING:
                    raise
                self.throttled += 1
                if attempt == self.attempts:
                    raise GaveUp(
                        f"{method.__name__} was throttled {self.attempts} times in a row"
                    ) from exc
                self.sleep(self.base_delay * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    # ------------------------------------------------------------------------ Connect views
    def publish_view(
        self, instance_id: str, name: str, template: dict[str, Any], actions: list[str]
    ) -> str:
        """Create or update the view ``name``, publish it, and return its numbered version ARN."""
        content = {"Template": json.dumps(template), "Actions": actions}
        view_id = self._find_view(instance_id, name)
        if view_id is None:
            created = self._call(
                self.connect.create_view,
                InstanceId=instance_id,
                Name=name,
                Status="PUBLISHED",
                Content=content,
                ClientToken=_token(instance_id, name, content),
            )
            view_id = created["View"]["Id"]
        else:
            self._call(
                self.connect.update_view_content,
                InstanceId=instance_id,
                ViewId=view_id,
                Status="PUBLISHED",
                Content=content,
            )
        version = self._call(
            self.connect.create_view_version, InstanceId=instance_id, ViewId=view_id
        )
        return str(version["View"]["Arn"])

    def _find_view(self, instance_id: str, name: str) -> str | None:
        token: str | None = None
        while True:
            kwargs: dict[str, Any] = {"InstanceId": instance_id, "Type": "CUSTOMER_MANAGED"}
            if token:
                kwargs["NextToken"] = token
            page = self._call(self.connect.list_views, **kwargs)
            for summary in page["ViewsSummaryList"]:
                if summary["Name"] == name:
                    return str(summary["Id"])
            token = page.get("NextToken")
            if not token:
                return None

    # ------------------------------------------------------------------------ Image Builder
    def publish_workflow(self, name: str, version: str, document: str) -> str:
        """Create the BUILD workflow ``name`` ``version``; return its build version ARN.

        The client token is derived from the request, so publishing the same document again
        (a re-run deployment, or a retry after a lost response) returns the same build.
        """
        created = self._call(
            self.imagebuilder.create_workflow,
            name=name,
            semanticVersion=version,
            type="BUILD",
            data=document,
            clientToken=_token(name, version, document),
        )
        return str(created["workflowBuildVersionArn"])


def _token(*parts: Any) -> str:
    """A client token that is the same for the same request, so a retried create is a no-op."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:36]
