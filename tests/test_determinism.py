"""Deterministic by default: retry jitter and probabilistic faults come from the fake's seed.

Each scenario is run in fresh fakes with the process-wide ``random`` reseeded differently every
time (as pytest-randomly does per test): the outcome must still be one and the same, so a jitter
drawn from the global generator (the planted bug) fails these tests.
"""

from __future__ import annotations

import random
from typing import Any

import boto3
import pytest
from botocore.config import Config

from pytest_connectviews import FakeAWS

MODES = ["legacy", "standard", "adaptive"]
CONTENT = {"Template": "{}", "Actions": []}


def throttled_scenario(mode: str | None, *, seed: int = 0, global_seed: int = 0) -> Any:
    """The README's example: ``throttle(rate=1, burst=5)``, ten CreateView calls, frozen clock."""
    random.seed(global_seed)  # what other code does to the global generator must not matter
    config = Config(retries={"mode": mode}) if mode else None
    with FakeAWS(seed=seed) as fake:
        # a fixed instant: adaptive mode's rate limiter measures in half-second buckets of it
        fake.clock.freeze(1_800_000_000.0)
        instance = fake.add_instance()
        fake.throttle(rate=1, burst=5, service="connect")
        connect = boto3.client("connect", region_name="us-east-1", config=config)
        outcome = []
        for i in range(10):
            try:
                connect.create_view(
                    InstanceId=instance, Name=f"v{i}", Status="SAVED", Content=CONTENT
                )
                outcome.append("ok")
            except connect.exceptions.TooManyRequestsException:
                outcome.append("throttled")
        calls = [(c.operation, c.status_code, c.error_code, c.attempt) for c in fake.calls]
        return outcome, round(fake.clock.slept, 9), calls


@pytest.mark.parametrize("mode", [None, *MODES])
def test_a_throttled_scenario_has_one_outcome_in_twelve_fresh_fakes(mode: str | None) -> None:
    results = {repr(throttled_scenario(mode, global_seed=run)) for run in range(12)}
    assert len(results) == 1, results
    _, slept, calls = throttled_scenario(mode)
    assert slept > 0  # the scenario does back off, so the jitter is exercised
    assert len(calls) > 10


@pytest.mark.parametrize("mode", MODES)
def test_the_seed_chooses_the_jitter(mode: str) -> None:
    sleeps = {throttled_scenario(mode, seed=seed)[1] for seed in range(4)}
    assert len(sleeps) > 1  # different seeds, different (virtual) backoff


@pytest.mark.parametrize("mode", ["legacy", "standard"])
def test_the_readme_throttle_example_outcome(mode: str) -> None:
    """The exact outcome the README's Throttle section prints, for the default seed."""
    outcome, slept, calls = throttled_scenario(mode)
    assert outcome == ["ok"] * 10
    assert len(calls) == 17
    assert [c[2] for c in calls].count("TooManyRequestsException") == 7
    assert slept == pytest.approx(5.404, abs=0.0005)


def test_reset_restarts_the_generator() -> None:
    config = Config(retries={"mode": "standard", "total_max_attempts": 4})
    fake = FakeAWS(seed=3)
    slept = []
    for _ in range(2):
        with fake:
            connect = boto3.client("connect", region_name="us-east-1", config=config)
            fake.inject_error("ListViews", "TooManyRequestsException", times=3)
            connect.list_views(InstanceId=fake.add_instance())
            slept.append(fake.clock.slept)
        fake.reset()
    assert slept[0] == slept[1] > 0


def test_jitter_of_other_services_is_left_alone() -> None:
    """Only our requests draw from the fake's generator: a retry delay of S3 uses ``random``."""
    import botocore.retries.standard

    backoff = botocore.retries.standard.ExponentialBackoff()
    with FakeAWS(seed=0):
        random.seed(11)
        first = backoff.delay_amount(_Context())
        random.seed(11)
        assert backoff.delay_amount(_Context()) == first
        random.seed(12)
        assert backoff.delay_amount(_Context()) != first


class _Context:
    attempt_number = 2
    http_response = None
    parsed_response = None
    caught_exception = None
    operation_model = None

    def get_retry_after(self) -> None:  # pragma: no cover - read by some botocore versions
        return None


def outcomes(fake: FakeAWS, **kwargs: Any) -> list[bool]:
    connect = boto3.client(
        "connect", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1})
    )
    instance = fake.add_instance()
    rule = fake.inject_error(
        "ListViews", "InternalServiceException", times=None, probability=0.5, **kwargs
    )
    found = []
    for _ in range(24):
        try:
            connect.list_views(InstanceId=instance)
            found.append(True)
        except connect.exceptions.InternalServiceException:
            found.append(False)
    rule.remove()
    return found


def test_probability_draws_from_the_fakes_seed_by_default() -> None:
    runs = []
    for seed in (5, 5, 6):
        random.seed(len(runs))
        with FakeAWS(seed=seed) as fake:
            runs.append(outcomes(fake))
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]
    assert 0 < runs[0].count(False) < 24


def test_an_explicit_rule_seed_is_its_own_source() -> None:
    with FakeAWS(seed=1) as one:
        first = outcomes(one, seed=9)
    with FakeAWS(seed=2) as two:
        assert outcomes(two, seed=9) == first
    with FakeAWS(seed=1) as three:
        assert outcomes(three) != first  # the fake's own generator gives another sequence


def test_bad_seeds_are_value_errors() -> None:
    with pytest.raises(ValueError, match="connectviews: seed must be an int"):
        FakeAWS(seed="1")  # type: ignore[arg-type]
    with FakeAWS() as fake, pytest.raises(ValueError, match="connectviews: inject_error seed"):
        fake.inject_error("ListViews", "InternalServiceException", probability=0.5, seed=1.5)  # type: ignore[arg-type]


QUIET = ("-p", "no:randomly", "-p", "no:hypothesispytest", "-p", "no:benchmark")


def test_seed_option_from_marker_ini_and_cli(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nconnectviews_seed = 5\n")
    pytester.makepyfile(
        """
        import pytest

        def test_ini(connectviews):
            assert connectviews.seed == 7  # the CLI wins over ini

        @pytest.mark.connectviews(seed=11)
        def test_marker(connectviews):
            assert connectviews.seed == 11
        """
    )
    pytester.runpytest(*QUIET, "--connectviews-seed=7").assert_outcomes(passed=2)


def test_a_bad_seed_option_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing(): pass")
    result = pytester.runpytest(*QUIET, "--connectviews-seed=abc")
    result.stderr.fnmatch_lines(
        [
            "*connectviews: command line option --connectviews-seed must be an integer seed, "
            "got 'abc'*"
        ]
    )
