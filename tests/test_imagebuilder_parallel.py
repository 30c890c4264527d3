"""Parallel test groups in an image build (reference §5.1 "Test ordering", SPEC §10).

Groups run one at a time, in the order each group first appears in ``workflows``; a workflow
without ``parallelGroup`` runs alone at its listed position; the members of a group run together
on the fake clock, at most 5 at once, the next starting as soon as a slot frees.

Every test freezes the clock and gives each step action an exact duration, so the start and end
times of the executions say what ran together. Times are seconds after ``create_image``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pytest_connectviews import FakeAWS

ROLE = "arn:aws:iam::123456789012:role/ImageBuilderExecution"
PENDING = 5
DISTRIBUTION = 60


@pytest.fixture
def fake(connectviews: FakeAWS) -> FakeAWS:
    connectviews.clock.freeze(1_700_000_000.0)  # whole seconds: exact millisecond times
    connectviews.set_duration("imagebuilder.step.RunCommand", 30)
    connectviews.set_duration("imagebuilder.step.SanitizeInstance", 10)
    connectviews.set_duration("imagebuilder.step.LaunchInstance", 100)
    return connectviews


@pytest.fixture
def deps(imagebuilder_client: Any) -> dict[str, str]:
    ib = imagebuilder_client
    recipe = ib.create_image_recipe(
        name="web-server",
        semanticVersion="1.0.0",
        parentImage="arn:aws:imagebuilder:us-east-1:aws:image/amazon-linux-2023-x86/x.x.x",
    )["imageRecipeArn"]
    infra = ib.create_infrastructure_configuration(
        name="builders", instanceProfileName="EC2InstanceProfileForImageBuilder"
    )["infrastructureConfigurationArn"]
    return {"recipe": recipe, "infra": infra}


def workflow(ib: Any, name: str, *actions: str, on_failure: str = "Abort") -> str:
    """A TEST workflow ``<name>-wf`` whose steps run ``actions`` (RunCommand by default)."""
    lines = ["schemaVersion: 1.0", "steps:"]
    for index, action in enumerate(actions or ("RunCommand",)):
        lines += [
            f"  - name: {'Probe' if index == 0 else f'Step{index}'}",
            f"    action: {action}",
            f"    onFailure: {on_failure}",
        ]
    arn: str = ib.create_workflow(
        name=f"{name}-wf", semanticVersion="1.0.0", type="TEST", data="\n".join(lines) + "\n"
    )["workflowBuildVersionArn"]
    return arn


def short(arn: str) -> str:
    """The ``name`` a workflow of ``workflow()`` was made with, from its build ARN."""
    return arn.split("/")[-3].removesuffix("-wf")


class Build:
    """An image build started with the given test workflows, and what its executions show."""

    def __init__(self, fake: FakeAWS, ib: Any, deps: dict[str, str], workflows: list[Any]):
        self.ib = ib
        self.t0 = fake.clock.time()
        self.arn: str = ib.create_image(
            imageRecipeArn=deps["recipe"],
            infrastructureConfigurationArn=deps["infra"],
            workflows=workflows,
            executionRole=ROLE,
        )["imageBuildVersionArn"]

    def status(self) -> str:
        state: str = self.ib.get_image(imageBuildVersionArn=self.arn)["image"]["state"]["status"]
        return state

    def image(self) -> dict[str, Any]:
        found: dict[str, Any] = self.ib.get_image(imageBuildVersionArn=self.arn)["image"]
        return found

    def executions(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.ib.list_workflow_executions(
            imageBuildVersionArn=self.arn
        )["workflowExecutions"]
        return found

    def by_name(self) -> dict[str, dict[str, Any]]:
        """The executions by workflow name (the name part of the build ARN)."""
        return {short(e["workflowBuildVersionArn"]): e for e in self.executions()}

    def at(self, stamp: str) -> float:
        return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() - self.t0

    def timeline(self) -> list[tuple[str, float, float | None]]:
        """(name, start, end) of each execution, in the order listed."""
        return [
            (
                short(e["workflowBuildVersionArn"]),
                self.at(e["startTime"]),
                self.at(e["endTime"]) if "endTime" in e else None,
            )
            for e in self.executions()
        ]

    def steps(self, name: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.ib.list_workflow_step_executions(
            workflowExecutionId=self.by_name()[name]["workflowExecutionId"]
        )["steps"]
        return found


def waiting(ib: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = ib.list_waiting_workflow_steps()["steps"]
    return found


# ------------------------------------------------------------------------------ ordering
def test_the_worked_example_runs_a_then_b_and_d_together_then_c_then_e(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    a, c = workflow(ib, "a"), workflow(ib, "c")
    b = workflow(ib, "b", "RunCommand", "RunCommand")  # 60 s: the group waits for its slowest
    d, e = workflow(ib, "d"), workflow(ib, "e")
    build = Build(
        fake,
        ib,
        deps,
        [
            {"workflowArn": a},
            {"workflowArn": b, "parallelGroup": "g1"},
            {"workflowArn": c},
            {"workflowArn": d, "parallelGroup": "g1"},
            {"workflowArn": e, "parallelGroup": "g2"},
        ],
    )
    assert fake.settle() == PENDING + 30 + 60 + 30 + 30 + DISTRIBUTION
    assert build.status() == "AVAILABLE"
    s = PENDING
    # listed in start order: B before D (listed first), both before C
    assert build.timeline() == [
        ("a", s, s + 30),
        ("b", s + 30, s + 90),
        ("d", s + 30, s + 60),
        ("c", s + 90, s + 120),
        ("e", s + 120, s + 150),
    ]
    groups = {name: x.get("parallelGroup") for name, x in build.by_name().items()}
    assert groups == {"a": None, "b": "g1", "c": None, "d": "g1", "e": "g2"}
    assert {x["status"] for x in build.executions()} == {"COMPLETED"}


def test_a_request_mid_group_sees_both_members_running(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    a, b, c = workflow(ib, "a"), workflow(ib, "b", "RunCommand", "RunCommand"), workflow(ib, "c")
    build = Build(
        fake,
        ib,
        deps,
        [
            {"workflowArn": a},
            {"workflowArn": b, "parallelGroup": "g1"},
            {"workflowArn": c, "parallelGroup": "g1"},
        ],
    )
    fake.clock.advance(PENDING + 30 + 15)
    assert build.status() == "TESTING"
    found = build.by_name()
    assert [found[n]["status"] for n in "abc"] == ["COMPLETED", "RUNNING", "RUNNING"]
    fake.clock.advance(30)  # c ended at 60, b's second step runs until 90
    found = build.by_name()
    assert [found[n]["status"] for n in "bc"] == ["RUNNING", "COMPLETED"]
    assert build.status() == "TESTING"
    fake.clock.advance(15)
    assert build.by_name()["b"]["status"] == "COMPLETED"
    assert build.status() == "DISTRIBUTING"


def test_one_big_clock_jump_still_times_every_event_at_its_own_time(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    names = ["a", "b", "c", "d", "e"]
    arns = {n: workflow(ib, n, *(["RunCommand"] * (i + 1))) for i, n in enumerate(names)}
    build = Build(
        fake,
        ib,
        deps,
        [
            {"workflowArn": arns["a"], "parallelGroup": "g1"},
            {"workflowArn": arns["b"], "parallelGroup": "g2"},
            {"workflowArn": arns["c"], "parallelGroup": "g1"},
            {"workflowArn": arns["d"]},
            {"workflowArn": arns["e"], "parallelGroup": "g2"},
        ],
    )
    fake.clock.advance(100_000)
    s = PENDING
    # g1 = a (30) + c (90); g2 = b (60) + e (150), first appearing before d; then d (120)
    assert build.timeline() == [
        ("a", s, s + 30),
        ("c", s, s + 90),
        ("b", s + 90, s + 150),
        ("e", s + 90, s + 240),
        ("d", s + 240, s + 360),
    ]
    assert build.status() == "AVAILABLE"


def test_groups_run_in_order_of_first_appearance_with_ungrouped_ones_between(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    x1, x2 = workflow(ib, "x1"), workflow(ib, "x2")
    y1, y2 = workflow(ib, "y1"), workflow(ib, "y2")
    u = workflow(ib, "u")
    build = Build(
        fake,
        ib,
        deps,
        [
            {"workflowArn": y1, "parallelGroup": "late"},  # "late" first appears first
            {"workflowArn": u},
            {"workflowArn": x1, "parallelGroup": "early"},
            {"workflowArn": y2, "parallelGroup": "late"},
            {"workflowArn": x2, "parallelGroup": "early"},
        ],
    )
    fake.settle()
    s = PENDING
    assert build.timeline() == [
        ("y1", s, s + 30),
        ("y2", s, s + 30),
        ("u", s + 30, s + 60),  # alone: nothing else starts or runs with it
        ("x1", s + 60, s + 90),
        ("x2", s + 60, s + 90),
    ]


# ------------------------------------------------------------------------------ at most 5 at once
def test_at_most_five_members_run_at_once_the_next_takes_the_first_free_slot(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    quick = workflow(ib, "m1", "SanitizeInstance")  # 10 s
    rest = [workflow(ib, f"m{i}") for i in range(2, 8)]  # 30 s each
    after = workflow(ib, "after")
    build = Build(
        fake,
        ib,
        deps,
        [
            *({"workflowArn": arn, "parallelGroup": "many"} for arn in [quick, *rest]),
            {"workflowArn": after},
        ],
    )
    fake.clock.advance(PENDING + 5)
    assert [x["status"] for x in build.executions()] == ["RUNNING"] * 5
    assert fake.settle() == PENDING + 60 + 30 + DISTRIBUTION - (PENDING + 5)
    s = PENDING
    assert build.timeline() == [
        ("m1", s, s + 10),
        ("m2", s, s + 30),
        ("m3", s, s + 30),
        ("m4", s, s + 30),
        ("m5", s, s + 30),
        ("m6", s + 10, s + 40),  # m1's slot, not after the first five all end
        ("m7", s + 30, s + 60),  # the next free slot
        ("after", s + 60, s + 90),  # once the whole group is done
    ]

    def concurrent(t: float) -> int:
        return sum(1 for _, start, end in build.timeline() if start <= t < (end or 0))

    assert max(concurrent(s + t) for t in range(0, 100)) == 5


# ------------------------------------------------------------------------------ failures
def test_a_member_failing_with_abort_cancels_the_running_ones_and_fails_the_image(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    failing = workflow(ib, "failing")  # Probe fails after its 30 s
    slow = [workflow(ib, f"slow{i}", "LaunchInstance", "RunCommand") for i in range(1, 6)]
    later = workflow(ib, "later")
    fake.fail_step("Probe", workflow="failing-wf", message="smoke test failed")
    build = Build(
        fake,
        ib,
        deps,
        [
            {"workflowArn": slow[0], "parallelGroup": "g"},
            {"workflowArn": failing, "parallelGroup": "g"},
            *({"workflowArn": arn, "parallelGroup": "g"} for arn in slow[1:]),
            {"workflowArn": later},
        ],
    )
    assert fake.settle() == PENDING + 30  # nothing goes on after the abort
    assert build.image()["state"] == {"status": "FAILED", "reason": "smoke test failed"}
    found = build.by_name()
    # slow5 never started (the group was full) and neither did later: no executions
    assert set(found) == {"slow1", "failing", "slow2", "slow3", "slow4"}
    assert (found["failing"]["status"], found["failing"]["message"]) == (
        "ROLLBACK_COMPLETED",
        "smoke test failed",
    )
    s = PENDING
    for name in ("slow1", "slow2", "slow3", "slow4"):
        execution = found[name]
        assert execution["status"] == "CANCELLED"
        assert build.at(execution["endTime"]) == s + 30
        launch, run = build.steps(name)
        assert (launch["status"], build.at(launch["endTime"])) == ("CANCELLED", s + 30)
        assert run["status"] == "CANCELLED"
        assert "endTime" not in run
    assert ib.list_waiting_workflow_steps()["steps"] == []


def test_a_member_failing_with_continue_frees_its_slot_and_the_image_goes_on(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    flaky = workflow(ib, "flaky", "SanitizeInstance")  # fails after 10 s
    others = [workflow(ib, f"w{i}") for i in range(2, 7)]
    after = workflow(ib, "after")
    fake.fail_step("Probe", workflow="flaky-wf", message="flaky test")
    build = Build(
        fake,
        ib,
        deps,
        [
            {"workflowArn": flaky, "parallelGroup": "g", "onFailure": "CONTINUE"},
            *({"workflowArn": arn, "parallelGroup": "g"} for arn in others),
            {"workflowArn": after},
        ],
    )
    fake.settle()
    assert build.status() == "AVAILABLE"
    found = build.by_name()
    assert found["flaky"]["status"] == "ROLLBACK_COMPLETED"
    assert {found[f"w{i}"]["status"] for i in range(2, 7)} == {"COMPLETED"}
    s = PENDING
    assert build.timeline() == [
        ("flaky", s, s + 10),
        ("w2", s, s + 30),
        ("w3", s, s + 30),
        ("w4", s, s + 30),
        ("w5", s, s + 30),
        ("w6", s + 10, s + 40),  # the failed member's slot
        ("after", s + 40, s + 70),
    ]


def test_two_members_failing_at_once_the_first_listed_is_the_reason(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    one, two = workflow(ib, "one"), workflow(ib, "two")
    fake.fail_step("Probe", workflow="one-wf", message="one failed")
    fake.fail_step("Probe", workflow="two-wf", message="two failed")
    build = Build(
        fake,
        ib,
        deps,
        [
            {"workflowArn": two, "parallelGroup": "g"},
            {"workflowArn": one, "parallelGroup": "g"},
        ],
    )
    fake.settle()
    assert build.image()["state"] == {"status": "FAILED", "reason": "two failed"}
    found = build.by_name()
    assert (found["two"]["status"], found["one"]["status"]) == ("ROLLBACK_COMPLETED", "CANCELLED")


# ------------------------------------------------------------------------------ WaitForAction
def test_wait_for_action_in_two_members_each_resumed_on_its_own(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    first = workflow(ib, "first", "RunCommand", "WaitForAction", "RunCommand")
    second = workflow(ib, "second", "RunCommand", "WaitForAction", "RunCommand")
    after = workflow(ib, "after")
    build = Build(
        fake,
        ib,
        deps,
        [
            {"workflowArn": first, "parallelGroup": "approvals"},
            {"workflowArn": second, "parallelGroup": "approvals"},
            {"workflowArn": after},
        ],
    )
    assert fake.settle() == PENDING + 30  # both wait: nothing in progress
    found = waiting(ib)
    assert len(found) == 2
    by_workflow = {w["workflowBuildVersionArn"]: w for w in found}
    assert set(by_workflow) == {first, second}
    assert {w["startTime"] for w in found} == {found[0]["startTime"]}  # waiting since the same t
    fake.clock.advance(100)
    ib.send_workflow_step_action(
        stepExecutionId=by_workflow[second]["stepExecutionId"],
        imageBuildVersionArn=build.arn,
        action="RESUME",
        reason="second ok",
    )
    assert [w["workflowBuildVersionArn"] for w in waiting(ib)] == [first]
    assert fake.settle() == 30  # second's last step; first still waits
    assert build.by_name()["second"]["status"] == "COMPLETED"
    assert build.by_name()["first"]["status"] == "RUNNING"
    assert build.status() == "TESTING"
    assert "after" not in build.by_name()  # the group is not done
    ib.send_workflow_step_action(
        stepExecutionId=by_workflow[first]["stepExecutionId"],
        imageBuildVersionArn=build.arn,
        action="RESUME",
        reason="first ok",
    )
    assert waiting(ib) == []
    assert fake.settle() == 30 + 30 + DISTRIBUTION
    assert build.status() == "AVAILABLE"
    s = PENDING
    assert build.timeline() == [
        ("first", s, s + 30 + 130 + 30),
        ("second", s, s + 30 + 100 + 30),
        ("after", s + 190, s + 220),
    ]
    resumed = build.steps("first")[1]
    assert resumed["outputs"] == '{"action": "RESUME", "reason": "first ok"}'


def test_stop_on_one_waiting_member_cancels_the_other_waiting_one(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    first = workflow(ib, "first", "WaitForAction", "RunCommand")
    second = workflow(ib, "second", "WaitForAction", "RunCommand")
    build = Build(
        fake,
        ib,
        deps,
        [
            {"workflowArn": first, "parallelGroup": "g"},
            {"workflowArn": second, "parallelGroup": "g"},
        ],
    )
    fake.settle()
    by_workflow = {w["workflowBuildVersionArn"]: w for w in waiting(ib)}
    ib.send_workflow_step_action(
        stepExecutionId=by_workflow[first]["stepExecutionId"],
        imageBuildVersionArn=build.arn,
        action="STOP",
        reason="rejected",
    )
    assert build.image()["state"] == {"status": "FAILED", "reason": "rejected"}
    assert waiting(ib) == []
    found = build.by_name()
    assert (found["first"]["status"], found["second"]["status"]) == (
        "ROLLBACK_COMPLETED",
        "CANCELLED",
    )
    with pytest.raises(ib.exceptions.ResourceInUseException):
        ib.send_workflow_step_action(
            stepExecutionId=by_workflow[second]["stepExecutionId"],
            imageBuildVersionArn=build.arn,
            action="RESUME",
        )
    assert fake.settle() == 0


def test_a_waiting_member_does_not_hold_up_settle_for_a_running_one(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    gate = workflow(ib, "gate", "WaitForAction")
    busy = workflow(ib, "busy", "LaunchInstance")  # 100 s
    build = Build(
        fake,
        ib,
        deps,
        [
            {"workflowArn": gate, "parallelGroup": "g"},
            {"workflowArn": busy, "parallelGroup": "g"},
        ],
    )
    assert fake.settle() == PENDING + 100  # the running member counts, the waiting one not
    assert build.by_name()["busy"]["status"] == "COMPLETED"
    assert build.status() == "TESTING"
    [gate_step] = waiting(ib)
    ib.send_workflow_step_action(
        stepExecutionId=gate_step["stepExecutionId"],
        imageBuildVersionArn=build.arn,
        action="RESUME",
    )
    assert fake.settle() == DISTRIBUTION
    assert build.status() == "AVAILABLE"


def test_cancel_during_a_group_cancels_every_running_member(
    fake: FakeAWS, imagebuilder_client: Any, deps: dict[str, str]
) -> None:
    ib = imagebuilder_client
    one, two = workflow(ib, "one", "LaunchInstance"), workflow(ib, "two", "WaitForAction")
    build = Build(
        fake,
        ib,
        deps,
        [
            {"workflowArn": one, "parallelGroup": "g"},
            {"workflowArn": two, "parallelGroup": "g"},
        ],
    )
    fake.clock.advance(PENDING + 20)
    ib.cancel_image_creation(imageBuildVersionArn=build.arn)
    assert fake.settle() == 10
    assert build.status() == "CANCELLED"
    assert {x["status"] for x in build.executions()} == {"CANCELLED"}
    assert waiting(ib) == []
