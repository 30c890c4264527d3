"""What the installed botocore models say about the services the fake serves, read once per process.

Every table that the model already holds is read from it here, not written by hand: endpoint
prefixes and host names, signing names, service ids and their ``AWS_ENDPOINT_URL_<ID>`` variables,
the operations the installed botocore has, each operation's throttling error (its modeled 429) and
paginator configuration. A service whose endpoint prefix differs from its name works unchanged.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .services import SERVICE_NAMES

if TYPE_CHECKING:
    from botocore.model import ServiceModel

#: botocore service names the fake answers for (the services registry's keys).
SERVICES: tuple[str, ...] = SERVICE_NAMES

_lock = threading.Lock()
_models: dict[str, ServiceModel] = {}
_facts: dict[str, ServiceFacts] = {}


def service_model(name: str) -> ServiceModel:
    """Return the installed botocore model of ``name``; loaded at most once per process."""
    model = _models.get(name)
    if model is None:
        with _lock:
            model = _models.get(name)
            if model is None:
                import botocore.session

                model = botocore.session.get_session().get_service_model(name)
                _models[name] = model
    return model


@dataclass(frozen=True)
class Paginator:
    """One operation's botocore paginator configuration (the names its pages use)."""

    input_token: str
    output_token: str
    limit_key: str
    result_key: str


@dataclass(frozen=True)
class ServiceFacts:
    """The model's facts about one service that the seam, the router and the gate use."""

    name: str
    endpoint_prefix: str
    signing_name: str
    #: the service id as botocore's event names spell it (``before-send.<id>.<Operation>``).
    event_id: str
    #: the environment variable botocore reads for this service's endpoint URL.
    endpoint_env_var: str
    operations: frozenset[str]
    throttling: dict[str, str] = field(repr=False)
    default_throttling: str = ""
    paginators: dict[str, Paginator] = field(default_factory=dict, repr=False)

    def throttling_code(self, operation: str) -> str:
        """The error this operation answers when throttled: its modeled 429 error.

        An operation that models none answers the 429 error most of the service's operations
        model (Image Builder's tagging operations, for example).
        """
        return self.throttling.get(operation, self.default_throttling)


def facts(name: str) -> ServiceFacts:
    """The ``ServiceFacts`` of one of ``SERVICES`` (computed once per process)."""
    found = _facts.get(name)
    if found is None:
        with _lock:
            found = _facts.get(name)
        if found is None:
            found = _read_facts(name)
            with _lock:
                _facts.setdefault(name, found)
    return found


def all_facts() -> list[ServiceFacts]:
    """The facts of every service the fake serves."""
    return [facts(name) for name in SERVICES]


_RATE_ERROR = re.compile(r"Throttl|TooManyRequests|RateLimit")


def _read_facts(name: str) -> ServiceFacts:
    import botocore.session

    model = service_model(name)
    throttling: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for operation in model.operation_names:
        for shape in model.operation_model(operation).error_shapes:
            error = shape.metadata.get("error", {})
            if int(error.get("httpStatusCode", 400)) == 429:
                code = str(error.get("code", shape.name))
                # a quota error can share the status (CreateContactFlow: LimitExceededException
                # before ThrottlingException): a rate error's name wins
                if operation not in throttling or (
                    _RATE_ERROR.search(code) and not _RATE_ERROR.search(throttling[operation])
                ):
                    throttling[operation] = code
        if operation in throttling:
            counts[throttling[operation]] += 1
    paginators: dict[str, Paginator] = {}
    try:
        config: dict[str, Any] = botocore.session.get_session().get_paginator_model(name)
        raw = config._paginator_config  # type: ignore[attr-defined]
    except Exception:  # a model without paginators
        raw = {}
    for operation, entry in raw.items():
        keys = (entry.get(k) for k in ("input_token", "output_token", "limit_key", "result_key"))
        values = [v for v in keys if isinstance(v, str)]
        if len(values) == 4:
            paginators[operation] = Paginator(*values)
    service_id = str(model.service_id)
    return ServiceFacts(
        name=name,
        endpoint_prefix=str(model.endpoint_prefix),
        signing_name=str(model.signing_name or model.endpoint_prefix),
        event_id=str(model.service_id.hyphenize()),
        endpoint_env_var="AWS_ENDPOINT_URL_" + service_id.replace(" ", "_").upper(),
        operations=frozenset(model.operation_names),
        throttling=throttling,
        default_throttling=counts.most_common(1)[0][0] if counts else "ThrottlingException",
        paginators=paginators,
    )


_host_re: re.Pattern[str] | None = None


def host_pattern() -> re.Pattern[str]:
    """``<endpoint prefix>.<region>.amazonaws.com`` of the served services (prefix, region)."""
    global _host_re
    if _host_re is None:
        prefixes = "|".join(re.escape(f.endpoint_prefix) for f in all_facts())
        _host_re = re.compile(rf"^({prefixes})\.([a-z0-9-]+)\.amazonaws\.com")
    return _host_re


def service_for_endpoint_prefix(prefix: str) -> str | None:
    """The served service whose endpoint prefix is ``prefix``; None for any other service."""
    for found in all_facts():
        if found.endpoint_prefix == prefix:
            return found.name
    return None


def service_for_signing_name(signing_name: str) -> str | None:
    """The served service that signs with ``signing_name`` (a SigV4 credential scope's service)."""
    for found in all_facts():
        if found.signing_name == signing_name:
            return found.name
    return None
