"""EC2 Image Builder workflow and step executions of image builds (SPEC §10, reference §5).

GetWorkflowExecution, ListWorkflowExecutions, GetWorkflowStepExecution,
ListWorkflowStepExecutions, ListWaitingWorkflowSteps and SendWorkflowStepAction read and act on
the shared build state machine (``builds.Builds``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ...errors import ServiceError
from .._kit.context import Family, RequestContext
from .._kit.pagination import paginate
from .builds import STEP_DURATIONS, StepRun, WorkflowRun, step_inputs_text
from .versioning import invalid_token, invalid_value, iso_at, not_found

if TYPE_CHECKING:
    from .shared import ImageBuilderShared


def _position(raw: Any) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        return raw
    raise invalid_token()


class WorkflowExecutions(Family):
    """The workflow executions and step executions of image builds."""

    durations = STEP_DURATIONS
    shared: ImageBuilderShared

    def catch_up(self, now: float) -> None:
        self.shared.builds.advance(now)

    # ------------------------------------------------------------------ shapes
    @staticmethod
    def _execution(wf: WorkflowRun) -> dict[str, Any]:
        out: dict[str, Any] = {
            "workflowBuildVersionArn": wf.plan.build_arn,
            "workflowExecutionId": wf.id,
            "type": wf.plan.type,
            "status": wf.status,
        }
        if wf.message is not None:
            out["message"] = wf.message
        out["totalStepCount"] = len(wf.steps)
        out["totalStepsSucceeded"] = wf.count("COMPLETED")
        out["totalStepsFailed"] = wf.count("FAILED")
        out["totalStepsSkipped"] = wf.count("SKIPPED")
        if wf.start is not None:
            out["startTime"] = iso_at(wf.start)
        if wf.end is not None:
            out["endTime"] = iso_at(wf.end)
        if wf.plan.parallel_group is not None:
            out["parallelGroup"] = wf.plan.parallel_group
        return out

    @staticmethod
    def _step(step: StepRun) -> dict[str, Any]:
        out: dict[str, Any] = {
            "stepExecutionId": step.id,
            "name": step.name,
        }
        if step.description is not None:
            out["description"] = step.description[:500]
        out["action"] = step.action
        out["status"] = step.status
        if step.rollback_status is not None:
            out["rollbackStatus"] = step.rollback_status
        if step.message is not None:
            out["message"] = step.message
        if step.inputs is not None:
            out["inputs"] = step.inputs
        if step.outputs is not None:
            out["outputs"] = step_inputs_text(step.outputs)
        if step.start is not None:
            out["startTime"] = iso_at(step.start)
        if step.end is not None:
            out["endTime"] = iso_at(step.end)
        return out

    def _image(self, ctx: RequestContext, arn: str, parameter: str) -> Any:
        run = self.shared.builds.runs.get(arn)
        if run is None or run.account != ctx.account_id or run.region != ctx.region:
            raise not_found(arn)
        return run

    def _workflow(self, ctx: RequestContext, workflow_id: str) -> WorkflowRun:
        wf = self.shared.builds.workflow(workflow_id)
        if wf.image.account != ctx.account_id or wf.image.region != ctx.region:
            raise ServiceError(
                "ResourceNotFoundException",
                f"The workflow execution '{workflow_id}' does not exist.",
            )
        return wf

    def _step_of(self, ctx: RequestContext, step_id: str) -> StepRun:
        step = self.shared.builds.step(step_id)
        image = step.workflow.image
        if image.account != ctx.account_id or image.region != ctx.region:
            raise ServiceError(
                "ResourceNotFoundException", f"The step execution '{step_id}' does not exist."
            )
        return step

    # ------------------------------------------------------------------ executions
    def get_workflow_execution(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        wf = self._workflow(ctx, p["workflowExecutionId"])
        out = self._execution(wf)
        out["imageBuildVersionArn"] = wf.image.arn
        return out

    def list_workflow_executions(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        arn = p["imageBuildVersionArn"]
        run = self._image(ctx, arn, "imageBuildVersionArn")

        def seek(after: Any) -> Iterator[tuple[int, dict[str, Any]]]:
            start = 0 if after is None else _position(after) + 1
            for index in range(start, len(run.workflows)):
                item = self._execution(run.workflows[index])
                item["retried"] = False
                yield index, item

        out = paginate(
            ctx,
            p,
            self.shared.pages,
            listing=f"ListWorkflowExecutions:{ctx.account_id}:{ctx.region}:{arn}",
            seek=seek,
            invalid_token=invalid_token(),
            default_limit=25,
        )
        out["imageBuildVersionArn"] = run.arn
        return out

    # ------------------------------------------------------------------ steps
    def get_workflow_step_execution(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        step = self._step_of(ctx, p["stepExecutionId"])
        wf = step.workflow
        out = self._step(step)
        out["workflowBuildVersionArn"] = wf.plan.build_arn
        out["workflowExecutionId"] = wf.id
        out["imageBuildVersionArn"] = wf.image.arn
        out["onFailure"] = step.on_failure
        out["timeoutSeconds"] = step.timeout
        return out

    def list_workflow_step_executions(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        wf = self._workflow(ctx, p["workflowExecutionId"])

        def seek(after: Any) -> Iterator[tuple[int, dict[str, Any]]]:
            start = 0 if after is None else _position(after) + 1
            for index in range(start, len(wf.steps)):
                yield index, self._step(wf.steps[index])

        out = paginate(
            ctx,
            p,
            self.shared.pages,
            listing=f"ListWorkflowStepExecutions:{ctx.account_id}:{ctx.region}:{wf.id}",
            seek=seek,
            invalid_token=invalid_token(),
            default_limit=25,
        )
        out["workflowBuildVersionArn"] = wf.plan.build_arn
        out["workflowExecutionId"] = wf.id
        out["imageBuildVersionArn"] = wf.image.arn
        return out

    def list_waiting_workflow_steps(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        waiting = list(self.shared.builds.waiting_steps(ctx.account_id, ctx.region))

        def seek(after: Any) -> Iterator[tuple[list[Any], dict[str, Any]]]:
            resume = None
            if after is not None:
                if not (
                    isinstance(after, list)
                    and len(after) == 2
                    and isinstance(after[0], (int, float))
                    and isinstance(after[1], str)
                ):
                    raise invalid_token()
                resume = (float(after[0]), after[1])
            for step in waiting:
                key = (step.start or 0.0, step.id)
                if resume is not None and key <= resume:
                    continue
                wf = step.workflow
                yield (
                    [key[0], key[1]],
                    {
                        "stepExecutionId": step.id,
                        "imageBuildVersionArn": wf.image.arn,
                        "workflowExecutionId": wf.id,
                        "workflowBuildVersionArn": wf.plan.build_arn,
                        "name": step.name,
                        "action": step.action,
                        "startTime": iso_at(step.start or 0.0),
                    },
                )

        return paginate(
            ctx,
            p,
            self.shared.pages,
            listing=f"ListWaitingWorkflowSteps:{ctx.account_id}:{ctx.region}",
            seek=seek,
            invalid_token=invalid_token(),
            default_limit=25,
        )

    def send_workflow_step_action(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        seen = self.shared.replay(ctx, p)
        if seen is not None:
            return seen
        step = self._step_of(ctx, p["stepExecutionId"])
        image = step.workflow.image
        if p["imageBuildVersionArn"] != image.arn:
            raise invalid_value(
                "imageBuildVersionArn",
                f"The step execution '{step.id}' does not belong to the image "
                f"'{p['imageBuildVersionArn']}'.",
            )
        if not step.waiting or image.cancel_at is not None:
            raise ServiceError(
                "ResourceInUseException",
                f"The step execution '{step.id}' is not waiting for an action (status "
                f"{step.status}); it may have been actioned, timed out or cancelled already.",
            )
        self.shared.builds.resume_or_stop(step, p["action"], p.get("reason"), ctx.clock.time())
        out = {
            "stepExecutionId": step.id,
            "imageBuildVersionArn": image.arn,
            "clientToken": p["clientToken"],
        }
        return self.shared.remember(ctx, p, out)
