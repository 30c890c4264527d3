"""The image build: a state machine on the fake clock (SPEC §10, reference §4-§5).

An image goes PENDING → BUILDING (the build workflow) → TESTING (the test workflows) →
DISTRIBUTING (the distribution workflow, or ``imagebuilder.distribution`` seconds) → AVAILABLE;
FAILED and CANCELLED are terminal. Each workflow that starts is a workflow execution
(``wf-<uuid4>``) with one step execution per document step (``step-<uuid4>``); the steps of a
workflow run one after another, each for its action's duration (``imagebuilder.step.<Action>``).
A ``WaitForAction`` step waits until SendWorkflowStepAction (or its timeout); a step fails when a
``fail_step`` rule says so or it runs past its timeout, and then its ``onFailure`` applies.

The workflows run in *batches* (``batches``, reference §5.1 "Test ordering"): the build workflow,
then the test workflows (a ``parallelGroup`` is one batch at the place where the group first
appears in the list; an ungrouped workflow is a batch of its own), then the distribution
workflow. The members of a batch run together, at most ``MAX_PARALLEL`` at once; the next member
starts when one ends. When a member fails with workflow-level ``onFailure`` ABORT, the image
fails at that moment: the members still running are cancelled and the ones not started yet, like
the later batches, never start (no execution).

Nothing runs in the background. ``Builds.advance(now)`` brings every build up to date, event by
event in time order, each at its own time; the families call it (through ``Family.catch_up``)
before answering a request, so a request at fake time T sees the state as of T, and
``next_change`` tells ``FakeAWS.settle`` when the next event is due.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import json
import re
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ...errors import ServiceError
from .._kit.context import Duration
from .documents import load_document
from .versioning import iso_at

TERMINAL = frozenset({"AVAILABLE", "FAILED", "CANCELLED"})
STAGE_STATUS = {"BUILD": "BUILDING", "TEST": "TESTING", "DISTRIBUTION": "DISTRIBUTING"}

#: Step durations by action, fake-clock seconds (reference §4.3's real orders of magnitude).
STEP_SECONDS: dict[str, float] = {
    "ApplyImageConfigurations": 30,
    "BootstrapInstanceForContainer": 60,
    "CollectImageMetadata": 94,
    "CollectImageScanFindings": 60,
    "CreateImage": 145,
    "CreateImageFromIso": 300,
    "DistributeContainerImage": 60,
    "DistributeImage": 180,
    "ExecuteComponents": 60,
    "ExecuteStateMachine": 60,
    "LaunchInstance": 147,
    "ModifyImageAttributes": 10,
    "RegisterImage": 60,
    "RunCommand": 30,
    "RunSysPrep": 120,
    "SanitizeInstance": 10,
    "TerminateInstance": 4,
    "WaitForSSMAgent": 30,
}
#: Default step timeouts by action, seconds (reference §5.3).
STEP_TIMEOUTS: dict[str, int] = {
    "LaunchInstance": 4500,
    "CreateImage": 43200,
    "CollectImageMetadata": 1800,
    "TerminateInstance": 1800,
    "DistributeImage": 21600,
    "ApplyImageConfigurations": 21600,
    "CollectImageScanFindings": 7200,
    "DistributeContainerImage": 7200,
    "RegisterImage": 32400,
    "CreateImageFromIso": 43200,
    "ExecuteComponents": 43200,
    "RunCommand": 43200,
    "SanitizeInstance": 3600,
    "RunSysPrep": 3600,
    "WaitForSSMAgent": 3600,
    "ModifyImageAttributes": 7200,
    "ExecuteStateMachine": 21600,
    "BootstrapInstanceForContainer": 3600,
    "WaitForAction": 259200,
}
#: Actions whose rollback does something (the others have no rollback: SKIPPED).
ROLLBACK_ACTIONS = frozenset({"LaunchInstance", "CollectImageMetadata"})
#: The members of a parallel group that run at once (reference §5.1).
MAX_PARALLEL = 5

STEP_DURATIONS = tuple(
    Duration(f"imagebuilder.step.{action}", f"a {action} workflow step", seconds)
    for action, seconds in sorted(STEP_SECONDS.items())
)
PENDING = Duration("imagebuilder.pending", "an image from PENDING to its first workflow", 5)
DISTRIBUTION = Duration(
    "imagebuilder.distribution", "distributing an image without a distribution workflow", 60
)
CANCEL = Duration("imagebuilder.cancel", "an image from CancelImageCreation to CANCELLED", 10)
_DURATIONS = {d.name: d for d in (*STEP_DURATIONS, PENDING, DISTRIBUTION, CANCEL)}


def step_inputs_text(value: Any) -> str:
    """``inputs``/``outputs`` as Image Builder writes them (JSON, ``", "`` and ``": "``)."""
    return json.dumps(value, separators=(", ", ": "))


# ---------------------------------------------------------------------------------- plans
@dataclass(frozen=True)
class Plan:
    """One workflow an image runs: its build ARN, type, document and parameters."""

    build_arn: str
    type: str
    name: str  # the workflow's normalized name (what fail_step's ``workflow`` may name)
    document: str
    parameters: Mapping[str, Any]
    parallel_group: str | None = None
    on_failure: str = "ABORT"


def batches(plans: list[Plan]) -> list[list[Plan]]:
    """The workflows as batches that run one after another, the members of a batch together.

    Plans without a ``parallel_group`` are batches of their own, at their place; the plans of a
    group form one batch, placed where the group first appears, its members in listed order.
    """
    out: list[list[Plan]] = []
    groups: dict[str, list[Plan]] = {}
    for plan in plans:
        group = plan.parallel_group
        if group is None:
            out.append([plan])
        elif group in groups:
            groups[group].append(plan)
        else:
            groups[group] = [plan]
            out.append(groups[group])
    return out


@dataclass
class StepFailure:
    """A ``fail_step`` rule: the next run of a step of that name fails with ``message``."""

    step_name: str
    workflow: str | None
    image: str | None
    message: str
    _rules: list[StepFailure] = field(repr=False, default_factory=list)
    used: bool = False

    def matches(self, step: StepRun) -> bool:
        if self.used or step.name != self.step_name:
            return False
        wf = step.workflow
        if (
            self.workflow is not None
            and self.workflow not in (wf.plan.name, wf.plan.build_arn)
            and not wf.plan.build_arn.startswith(self.workflow.rstrip("/") + "/")
        ):
            return False
        return self.image is None or self.image == wf.image.arn

    def remove(self) -> None:
        """Stop the rule (a no-op once it made a step fail)."""
        if self in self._rules:
            self._rules.remove(self)


# ---------------------------------------------------------------------------------- runs
@dataclass(eq=False)
class StepRun:
    id: str
    workflow: WorkflowRun
    index: int
    name: str
    action: str
    description: str | None
    on_failure: str
    timeout: int
    condition: Any
    raw_inputs: dict[str, Any] | None
    status: str = "PENDING"
    rollback_status: str | None = None
    message: str | None = None
    inputs: str | None = None
    outputs: dict[str, Any] | None = None
    start: float | None = None
    end: float | None = None
    due: float | None = None
    fails_with: str | None = None
    waiting: bool = False


@dataclass(eq=False)
class WorkflowRun:
    id: str
    image: ImageRun
    plan: Plan
    steps: list[StepRun] = field(default_factory=list)
    status: str = "PENDING"
    message: str | None = None
    start: float | None = None
    end: float | None = None
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    current: StepRun | None = None  # the step running now (None once the workflow ended)

    def count(self, status: str) -> int:
        return sum(1 for s in self.steps if s.status == status)


@dataclass(eq=False)
class ImageRun:
    """The build of one image build version."""

    arn: str
    account: str
    region: str
    platform: str
    plans: list[Plan]
    context: dict[str, Any]  # $.imagebuilder.* values for conditions and inputs
    regions: list[str]  # distribution regions, the build region first
    ami_name: str
    status: str = "PENDING"
    reason: str | None = None
    phase: str = "pending"  # pending | step | distributing | done
    batches: list[list[Plan]] = field(init=False)
    next_batch: int = 0
    queue: list[Plan] = field(default_factory=list)  # members of this batch not started yet
    running: list[WorkflowRun] = field(default_factory=list)  # started, not ended: start order
    workflows: list[WorkflowRun] = field(default_factory=list)  # every execution: start order
    due: float | None = None  # the next event of any kind
    cancel_at: float | None = None
    os_version: str | None = None
    amis: list[dict[str, Any]] = field(default_factory=list)
    has_build_components: bool = False
    has_test_components: bool = False
    scanning: bool = False

    def __post_init__(self) -> None:
        self.batches = batches(self.plans)

    @property
    def active(self) -> list[StepRun]:
        """The steps running now, one per running workflow, in the workflows' start order."""
        return [wf.current for wf in self.running if wf.current is not None]

    @property
    def busy_due(self) -> float | None:
        """The next event that is not only a wait for SendWorkflowStepAction (for ``settle``)."""
        if self.due is None or self.cancel_at is not None or self.phase != "step":
            return self.due
        dues = [s.due for s in self.active if s.due is not None and not s.waiting]
        return min(dues) if dues else None

    @property
    def waiting(self) -> bool:
        """Only waiting for SendWorkflowStepAction (not in progress for ``settle``)."""
        return self.due is not None and self.busy_due is None


class Builds:
    """Every image build of one fake: runs, executions, steps, ``fail_step`` rules."""

    def __init__(self) -> None:
        self.runs: dict[str, ImageRun] = {}
        self.workflows: dict[str, WorkflowRun] = {}
        self.steps: dict[str, StepRun] = {}
        self.rules: list[StepFailure] = []
        self.durations: Mapping[str, float] = {}
        self._clock_seen = 0.0

    # ------------------------------------------------------------------ time
    def seconds(self, name: str) -> float:
        return self.durations.get(name, _DURATIONS[name].default)

    def advance(self, now: float) -> None:
        """Bring every build up to ``now``: each due event fires at its own time, in order."""
        self._clock_seen = max(self._clock_seen, now)
        counter = itertools.count()
        heap = [(r.due, next(counter), r) for r in self.runs.values() if r.due is not None]
        heapq.heapify(heap)
        while heap:
            due, _, run = heapq.heappop(heap)
            if due is None or due > now:
                break
            if run.due != due:  # stale entry: the run moved on
                if run.due is not None:
                    heapq.heappush(heap, (run.due, next(counter), run))
                continue
            self._fire(run, due)
            if run.due is not None:
                heapq.heappush(heap, (run.due, next(counter), run))

    def next_change(self, now: float) -> float | None:
        """When the next build event is due, after bringing builds up to ``now``; steps that
        only wait for an action do not count."""
        self.advance(now)
        dues = [d for d in (r.busy_due for r in self.runs.values()) if d is not None]
        return min(dues) if dues else None

    # ------------------------------------------------------------------ starting
    def start(self, run: ImageRun, now: float, durations: Mapping[str, float]) -> None:
        self.durations = durations
        run.due = now + self.seconds(PENDING.name)
        self.runs[run.arn] = run

    def forget(self, arn: str) -> None:
        """A deleted image: its executions go with it."""
        run = self.runs.pop(arn, None)
        if run is None:
            return
        for wf in run.workflows:
            self.workflows.pop(wf.id, None)
            for step in wf.steps:
                self.steps.pop(step.id, None)

    def cancel(self, run: ImageRun, now: float) -> None:
        run.cancel_at = now + self.seconds(CANCEL.name)
        run.due = run.cancel_at

    # ------------------------------------------------------------------ the machine
    def _fire(self, run: ImageRun, t: float) -> None:
        """The run's event due at ``t`` (its earliest; a tie goes to the earlier started)."""
        if run.cancel_at is not None and t >= run.cancel_at:
            self._cancelled(run, t)
            return
        if run.phase == "pending":
            run.phase = "step"
        elif run.phase == "step":
            due = [s for s in run.active if s.due is not None and s.due <= t]
            if due:  # min keeps the first of equals: the workflow that started first
                self._finish_step(min(due, key=_due_time), t)
        elif run.phase == "distributing":
            self._available(run, t)
            return
        self._proceed(run, t)

    def _proceed(self, run: ImageRun, t: float) -> None:
        """Start what may start at ``t``: members of this batch while a slot is free, else (the
        batch done) the next batch, else distribution; then schedule the run's next event."""
        while run.phase == "step":
            if run.queue and len(run.running) < MAX_PARALLEL:
                self._start_workflow(run, run.queue.pop(0), t)
            elif run.running:
                break
            elif run.next_batch < len(run.batches):
                run.queue = list(run.batches[run.next_batch])
                run.next_batch += 1
            else:
                self._distribute(run, t)
        self._schedule(run)

    def _schedule(self, run: ImageRun) -> None:
        if run.phase == "done":
            run.due = None
        elif run.cancel_at is not None:
            run.due = run.cancel_at
        elif run.phase == "step":
            dues = [s.due for s in run.active if s.due is not None]
            run.due = min(dues) if dues else None

    def _distribute(self, run: ImageRun, t: float) -> None:
        if any(wf.plan.type == "DISTRIBUTION" for wf in run.workflows):
            self._available(run, t)
        else:
            run.status = "DISTRIBUTING"
            run.phase = "distributing"
            run.due = t + self.seconds(DISTRIBUTION.name)

    def _start_workflow(self, run: ImageRun, plan: Plan, t: float) -> None:
        wf = WorkflowRun(f"wf-{uuid.uuid4()}", run, plan, start=t, status="RUNNING")
        doc = _document_steps(plan.document)
        for index, spec in enumerate(doc):
            action = str(spec.get("action"))
            timeout = spec.get("timeoutSeconds")
            step = StepRun(
                f"step-{uuid.uuid4()}",
                wf,
                index,
                str(spec.get("name")),
                action,
                None if spec.get("description") is None else str(spec["description"]),
                str(spec.get("onFailure", "Abort")),
                int(timeout) if isinstance(timeout, int) else STEP_TIMEOUTS.get(action, 43200),
                spec.get("if"),
                spec.get("inputs") if isinstance(spec.get("inputs"), dict) else None,
            )
            wf.steps.append(step)
            self.steps[step.id] = step
        run.workflows.append(wf)
        run.running.append(wf)
        self.workflows[wf.id] = wf
        run.status = STAGE_STATUS[plan.type]
        self._start_step(wf, 0, t)

    def _start_step(self, wf: WorkflowRun, index: int, t: float) -> None:
        """Run the workflow's first runnable step from ``index`` (or end the workflow); the
        caller then calls ``_proceed``."""
        while index < len(wf.steps):
            step = wf.steps[index]
            if self._runs(step):
                break
            step.status, step.start, step.end = "SKIPPED", t, t
            if step.raw_inputs:
                step.inputs = step_inputs_text(step.raw_inputs)
            index += 1
        else:
            self._finish_workflow(wf, t)
            return
        wf.current = step
        step.status, step.start = "RUNNING", t
        resolved = self._resolve_inputs(step)
        if resolved is not None:
            step.inputs = step_inputs_text(resolved)
        rule = next((r for r in self.rules if r.matches(step)), None)
        if rule is not None:
            rule.used = True
            self.rules.remove(rule)
        if step.action == "WaitForAction" and rule is None:
            step.waiting = True
            step.due = t + step.timeout
            step.fails_with = (
                f"Step '{step.name}' timed out after {step.timeout} seconds waiting for an action."
            )
        else:
            seconds = self.seconds(f"imagebuilder.step.{step.action}")
            if rule is not None:
                step.due = t + min(seconds, step.timeout)
                step.fails_with = rule.message
            elif seconds > step.timeout:
                step.due = t + step.timeout
                step.fails_with = f"Step '{step.name}' timed out after {step.timeout} seconds."
            else:
                step.due = t + seconds

    def _runs(self, step: StepRun) -> bool:
        """Whether a step runs: its ``if`` holds, and it has something to do."""
        run = step.workflow.image
        if step.action == "ExecuteComponents":
            wanted = (
                run.has_test_components
                if step.workflow.plan.type == "TEST"
                else run.has_build_components
            )
            if not wanted:
                return False
        if step.action == "CollectImageScanFindings" and not run.scanning:
            return False
        if step.condition is None:
            return True
        return bool(_condition(step.condition, self._values(step)))

    def _values(self, step: StepRun) -> dict[str, Any]:
        wf = step.workflow
        return {
            "stepOutputs": wf.outputs,
            "parameters": dict(wf.plan.parameters),
            "imagebuilder": wf.image.context,
        }

    def _resolve_inputs(self, step: StepRun) -> dict[str, Any] | None:
        if step.raw_inputs is None:
            return None
        values = self._values(step)
        out: dict[str, Any] = {}
        for key, value in step.raw_inputs.items():
            if isinstance(key, str) and key.endswith(".$") and isinstance(value, str):
                out[key[:-2]] = _path(value, values)
            else:
                out[key] = value
        return out

    def _finish_step(self, step: StepRun, t: float) -> None:
        if step.fails_with is not None:
            self._fail(step, t, step.fails_with)
            return
        step.status, step.end, step.due = "COMPLETED", t, None
        step.outputs = self._outputs(step, t)
        self._next_step(step, t)

    def _next_step(self, step: StepRun, t: float) -> None:
        wf = step.workflow
        if step.outputs is not None:
            wf.outputs[step.name] = step.outputs
        self._start_step(wf, step.index + 1, t)

    def _fail(self, step: StepRun, t: float, message: str) -> None:
        step.status, step.end, step.due, step.waiting = "FAILED", t, None, False
        step.message = message[:500]
        step.fails_with = None
        wf = step.workflow
        if step.on_failure == "Continue":
            self._start_step(wf, step.index + 1, t)
            return
        # Abort: roll back in reverse from the failed step over the steps already done.
        for done in reversed(wf.steps[: step.index + 1]):
            if done.status in ("COMPLETED", "FAILED"):
                done.rollback_status = "COMPLETED" if done.action in ROLLBACK_ACTIONS else "SKIPPED"
        wf.status, wf.end, wf.message = "ROLLBACK_COMPLETED", t, message[:500]
        self._ended(wf)
        run = wf.image
        if wf.plan.type == "TEST" and wf.plan.on_failure == "CONTINUE":
            return
        # The image fails now: the other members of the batch still running are cancelled; the
        # ones not started and the later batches never start (no executions).
        for other in run.running:
            self._cancel_workflow(other, t)
        run.running, run.queue = [], []
        run.status, run.reason = "FAILED", message[:1024]
        self._done(run)

    def _finish_workflow(self, wf: WorkflowRun, t: float) -> None:
        wf.status, wf.end = "COMPLETED", t
        self._ended(wf)

    @staticmethod
    def _ended(wf: WorkflowRun) -> None:
        wf.current = None
        if wf in wf.image.running:
            wf.image.running.remove(wf)

    def _available(self, run: ImageRun, t: float) -> None:
        run.status = "AVAILABLE"
        run.amis = self._amis(run, t)
        self._done(run)

    def _cancelled(self, run: ImageRun, t: float) -> None:
        run.status, run.reason = "CANCELLED", "The image creation was cancelled."
        for wf in run.workflows:
            self._cancel_workflow(wf, t)
        run.running, run.queue = [], []
        self._done(run)

    @staticmethod
    def _cancel_workflow(wf: WorkflowRun, t: float) -> None:
        """A running workflow and its running and pending steps become CANCELLED at ``t``."""
        if wf.status in ("RUNNING", "PENDING"):
            wf.status, wf.end = "CANCELLED", t
        wf.current = None
        for step in wf.steps:
            if step.status in ("RUNNING", "PENDING"):
                step.status, step.due, step.waiting = "CANCELLED", None, False
                if step.start is not None:
                    step.end = t

    def _done(self, run: ImageRun) -> None:
        run.phase, run.due = "done", None

    # ------------------------------------------------------------------ actions
    def resume_or_stop(self, step: StepRun, action: str, reason: str | None, now: float) -> None:
        """SendWorkflowStepAction on a waiting step (the caller checked it waits)."""
        step.waiting = False
        if action == "RESUME":
            step.status, step.end, step.due, step.fails_with = "COMPLETED", now, None, None
            step.outputs = {"action": "RESUME", "reason": reason or ""}
            self._next_step(step, now)
        else:
            step.outputs = {"action": "STOP", "reason": reason or ""}
            self._fail(step, now, reason or "The step was stopped by SendWorkflowStepAction.")
        self._proceed(step.workflow.image, now)

    # ------------------------------------------------------------------ outputs
    def _outputs(self, step: StepRun, t: float) -> dict[str, Any] | None:
        run = step.workflow.image
        seed = hashlib.sha256(step.id.encode()).hexdigest()
        action = step.action
        if action == "LaunchInstance":
            return {"instanceId": f"i-{seed[:17]}"}
        if action in ("CreateImage", "RegisterImage", "CreateImageFromIso"):
            ami = f"ami-{seed[:17]}"
            run.context["amiId"] = ami
            return {"imageId": ami}
        if action == "CollectImageMetadata":
            run.os_version = (
                "Microsoft Windows Server 2022"
                if run.platform == "Windows"
                else "Amazon Linux 2023"
            )
            return {"osVersion": run.os_version, "associationId": str(uuid.UUID(seed[:32]))}
        if action in ("ExecuteComponents", "RunCommand", "SanitizeInstance", "RunSysPrep"):
            return {"runCommandId": str(uuid.UUID(seed[:32])), "status": "Success", "output": ""}
        if action == "DistributeImage":
            run.amis = self._amis(run, t)
            return {
                "distributedImages": [
                    {
                        "region": ami["region"],
                        "name": ami["name"],
                        "amiId": ami["image"],
                        "accountId": ami["accountId"],
                        "dateStarted": iso_at(step.start or t),
                        "dateStopped": iso_at(t),
                        "status": "available",
                    }
                    for ami in run.amis
                ]
            }
        return None

    def _amis(self, run: ImageRun, t: float) -> list[dict[str, Any]]:
        if run.amis:
            return run.amis
        build_ami = run.context.get("amiId") or (
            "ami-" + hashlib.sha256(run.arn.encode()).hexdigest()[:17]
        )
        name = run.ami_name.replace("{{imagebuilder:buildDate}}", iso_at(t).replace(":", "-"))
        name = name.replace("{{imagebuilder:buildVersion}}", run.arn.rsplit("/", 1)[1])
        amis = []
        for index, region in enumerate(run.regions):
            image = (
                build_ami
                if index == 0
                else "ami-" + hashlib.sha256((run.arn + region).encode()).hexdigest()[:17]
            )
            amis.append(
                {
                    "region": region,
                    "image": image,
                    "name": name,
                    "state": {"status": "AVAILABLE"},
                    "accountId": run.account,
                }
            )
        return amis

    # ------------------------------------------------------------------ queries
    def waiting_steps(self, account: str, region: str) -> Iterator[StepRun]:
        """Steps waiting for an action in one account and region, oldest first."""
        found = [
            step
            for run in self.runs.values()
            if run.account == account and run.region == region
            for step in run.active
            if step.waiting
        ]
        found.sort(key=lambda s: (s.start or 0.0, s.id))
        yield from found

    def step(self, step_id: str) -> StepRun:
        found = self.steps.get(step_id)
        if found is None:
            raise ServiceError(
                "ResourceNotFoundException", f"The step execution '{step_id}' does not exist."
            )
        return found

    def workflow(self, workflow_id: str) -> WorkflowRun:
        found = self.workflows.get(workflow_id)
        if found is None:
            raise ServiceError(
                "ResourceNotFoundException",
                f"The workflow execution '{workflow_id}' does not exist.",
            )
        return found


def _due_time(step: StepRun) -> float:
    return step.due if step.due is not None else float("inf")


# ---------------------------------------------------------------------------------- documents
def _document_steps(document: str) -> list[dict[str, Any]]:
    steps = load_document(document, "workflow").get("steps")
    return [s for s in steps if isinstance(s, dict)] if isinstance(steps, list) else []


_PATH_PART = re.compile(r"\.([A-Za-z0-9_\-]+)|\[([0-9]+)\]")


def _path(expression: str, values: Mapping[str, Any]) -> Any:
    """A ``$.a.b[0]`` JSONPath into ``values``; None when it names nothing."""
    if not expression.startswith("$"):
        return expression
    current: Any = values
    for match in _PATH_PART.finditer(expression, 1):
        key, index = match.group(1), match.group(2)
        if key is not None:
            current = current.get(key) if isinstance(current, Mapping) else None
        else:
            position = int(index)
            current = (
                current[position] if isinstance(current, list) and position < len(current) else None
            )
        if current is None:
            return None
    if isinstance(current, list) and len(current) == 1 and expression.startswith("$.parameters"):
        return current[0]  # a string parameter is held as a one-item list
    return current


def _condition(cond: Any, values: Mapping[str, Any]) -> bool:
    """An ``if`` condition of a workflow step (and/or/not and the comparison operators)."""
    if isinstance(cond, bool):
        return cond
    if not isinstance(cond, dict):
        return True
    if "and" in cond:
        return all(_condition(c, values) for c in cond["and"] or [])
    if "or" in cond:
        return any(_condition(c, values) for c in cond["or"] or [])
    if "not" in cond:
        return not _condition(cond["not"], values)
    raw = cond.get("value")
    value = _path(raw, values) if isinstance(raw, str) else raw
    for op, expected in cond.items():
        if op == "value":
            continue
        if op == "stringEquals":
            return str(value) == str(expected)
        if op == "booleanEquals":
            actual = value if isinstance(value, bool) else str(value).lower() == "true"
            return actual == bool(expected)
        if op.startswith("number"):
            try:
                left, right = float(str(value)), float(str(expected))
            except (TypeError, ValueError):
                return False
            return {
                "numberEquals": left == right,
                "numberGreaterThan": left > right,
                "numberGreaterThanEquals": left >= right,
                "numberLessThan": left < right,
                "numberLessThanEquals": left <= right,
            }.get(op, True)
    return True
