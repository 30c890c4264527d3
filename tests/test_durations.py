"""``set_duration`` and ``settle``: one API for how long things take on the fake clock."""

from __future__ import annotations

import pytest

from pytest_connectviews import FakeAWS, dispatch


def test_an_unknown_duration_is_refused_naming_the_known_ones() -> None:
    fake = FakeAWS()
    with pytest.raises(ValueError, match=r"^connectviews: unknown duration 'no\.such'") as info:
        fake.set_duration("no.such", 1)
    for name in dispatch.durations():
        assert name in str(info.value)


@pytest.mark.parametrize("seconds", [-1, "5", True, None])
def test_a_duration_must_be_seconds(seconds: object) -> None:
    known = sorted(dispatch.durations())
    if not known:
        pytest.skip("no family declares a duration yet")
    with pytest.raises(ValueError, match="must be a number of seconds"):
        FakeAWS().set_duration(known[0], seconds)  # type: ignore[arg-type]


def test_settle_with_nothing_in_progress_does_not_move_the_clock() -> None:
    with FakeAWS() as fake:
        fake.clock.freeze()
        before = fake.clock.time()
        assert fake.settle() == 0.0
        assert fake.clock.time() == before
