"""Amazon Connect flow modules: CreateContactFlowModule ... SearchContactFlowModules, versions.

The state and rules they share with contact flows are ``flows.FlowStore``; modules are created
published (there is no Status), answer ``InvalidContactFlowModuleException`` with ``Problems`` and
take a ClientToken. Decisions: SPEC §9.
"""

from __future__ import annotations

from typing import Any

from ...errors import ServiceError
from .._kit.context import RequestContext
from .._kit.idempotency import fingerprint
from . import flow_language
from .flows import Flow, FlowStore, FlowVersion


class FlowModules(FlowStore):
    """The Connect flow module API."""

    segment = "flow-module"
    noun = "Flow module"
    problems_code = "InvalidContactFlowModuleException"
    problems_field = "Problems"

    def _wire(self, flow: Flow, qualifier: str | None) -> dict[str, Any]:
        content, status, version = self._copy(flow, qualifier)
        out: dict[str, Any] = {
            "Arn": flow.arn,
            "Id": flow.id,
            "Name": flow.name,
            "Content": content,
            "State": flow.state,
            "Status": status,
            "FlowModuleContentSha256": flow_language.content_sha256(content),
        }
        if flow.description is not None:
            out["Description"] = flow.description
        number = version.number if version else flow.highest
        if number is not None:
            out["Version"] = number
        if version is not None and version.description:
            out["VersionDescription"] = version.description
        if flow.settings is not None:
            out["Settings"] = flow.settings
        if flow.external is not None:
            out["ExternalInvocationConfiguration"] = dict(flow.external)
        tags = self.shared.tags.of(flow.arn)
        if tags:
            out["Tags"] = dict(tags)
        return out

    def _settings(self, raw: str | None) -> str | None:
        if raw is not None:
            flow_language.parse(raw, self.problems_code, self.problems_field)
        return raw

    # ------------------------------------------------------------------ operations
    def create_contact_flow_module(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        token = p.get("ClientToken")
        scope = ("CreateContactFlowModule", ctx.account_id, ctx.region, instance.id)
        request = fingerprint(p, ignore=("ClientToken", "InstanceId"))
        if token is not None:
            replayed = self.shared.idempotency.replay(
                scope,
                token,
                request,
                ServiceError(
                    "IdempotencyException",
                    f"ClientToken '{token}' was already used with different parameters.",
                ),
            )
            if replayed is not None:
                if replayed not in instance.flows:
                    raise ServiceError(
                        "ResourceNotFoundException",
                        f"The flow module created with ClientToken '{token}' was deleted.",
                    )
                module = instance.flows[replayed]
                return {"Id": module.id, "Arn": module.arn}
        self._check_name(instance, p["Name"])
        content = self._checked(ctx, instance, p["Content"], publish=True)
        settings = self._settings(p.get("Settings"))
        module = self._add(
            ctx,
            instance,
            name=p["Name"],
            description=p.get("Description"),
            kind=None,
            saved=content,
            published=content,
            tags=p.get("Tags"),
        )
        module.settings = settings
        if p.get("ExternalInvocationConfiguration") is not None:
            module.external = dict(p["ExternalInvocationConfiguration"])
        if token is not None:
            self.shared.idempotency.remember(scope, token, request, module.id)
        return {"Id": module.id, "Arn": module.arn}

    def describe_contact_flow_module(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        module, qualifier = self._flow(ctx, instance, p["ContactFlowModuleId"])
        return {"ContactFlowModule": self._wire(module, qualifier)}

    def list_contact_flow_modules(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        state = p.get("ContactFlowModuleState")

        def item(module: Flow) -> dict[str, Any]:
            return {"Id": module.id, "Arn": module.arn, "Name": module.name, "State": module.state}

        return self._list_page(
            ctx,
            p,
            instance,
            lambda m: state is None or m.state == state,
            item,
            f"ListContactFlowModules:{state}",
        )

    def update_contact_flow_module_content(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        module, qualifier = self._flow(ctx, instance, p["ContactFlowModuleId"])
        if qualifier is not None and qualifier.isdigit():
            raise ServiceError(
                "InvalidRequestException",
                f"Flow module versions are immutable: {p['ContactFlowModuleId']}",
            )
        publish = qualifier != "$SAVED"
        if "Content" in p:
            content = self._checked(ctx, instance, p["Content"], publish=publish)
            module.saved = content
            if publish:
                module.published = content
        if "Settings" in p:
            module.settings = self._settings(p["Settings"])
        module.modified = ctx.clock.now()
        return {}

    def update_contact_flow_module_metadata(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        module = self._plain(ctx, instance, p["ContactFlowModuleId"])
        self._set_metadata(instance, module, p.get("Name"), p.get("Description"), p.get("State"))
        module.modified = ctx.clock.now()
        return {}

    def delete_contact_flow_module(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        self._delete(instance, self._plain(ctx, instance, p["ContactFlowModuleId"]))
        return {}

    def create_contact_flow_module_version(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        module = self._plain(ctx, instance, p["ContactFlowModuleId"])
        version = self._new_version(
            ctx, module, p.get("FlowModuleContentSha256"), p.get("Description")
        )
        return {
            "ContactFlowModuleArn": f"{module.arn}:{version.number}",
            "Version": version.number,
        }

    def list_contact_flow_module_versions(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        module = self._plain(ctx, instance, p["ContactFlowModuleId"])

        def item(module: Flow, version: FlowVersion) -> dict[str, Any]:
            out: dict[str, Any] = {
                "Arn": f"{module.arn}:{version.number}",
                "Version": version.number,
            }
            if version.description:
                out["VersionDescription"] = version.description
            return out

        return self._versions_page(ctx, p, module, item)

    def delete_contact_flow_module_version(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        module = self._plain(ctx, instance, p["ContactFlowModuleId"])
        self._delete_version(module, p["ContactFlowModuleVersion"])
        return {}

    def search_contact_flow_modules(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        instance = self._instance(ctx, p["InstanceId"])
        criteria = p.get("SearchCriteria")
        tag_filter = (p.get("SearchFilter") or {}).get("TagFilter")

        def matches(module: Flow) -> bool:
            if criteria is not None and not self._criteria(criteria, module, lambda c, m: True):
                return False
            return tag_filter is None or self._tag_filter(tag_filter, module)

        return self._search_page(ctx, p, instance, matches, lambda m: self._wire(m, None))
