"""The fake's time source: real time plus an offset, or frozen.

Timestamps, token buckets and virtual retry backoff all read this clock, so a test can move time
without patching ``time`` globally (botocore itself calls ``time.sleep``).
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time as _time

#: The latest time the clock can show (the end of year 9999, the last a datetime holds).
MAX_TIME = dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.timezone.utc).timestamp()


class Clock:
    """Real UTC time plus an offset; ``advance`` and virtual sleeps add to the offset."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = 0.0
        self._frozen_at: float | None = None
        self.slept = 0.0

    def time(self) -> float:
        """Seconds since the epoch, as the fake sees them."""
        with self._lock:
            frozen, offset = self._frozen_at, self._offset
        return (_time.time() if frozen is None else frozen) + offset

    def now(self) -> dt.datetime:
        """The fake's current time as an aware UTC datetime."""
        return dt.datetime.fromtimestamp(self.time(), dt.timezone.utc)

    def advance(self, seconds: float) -> None:
        """Move the fake's time forward by ``seconds`` (>= 0)."""
        if (
            not isinstance(seconds, (int, float))
            or isinstance(seconds, bool)
            or not math.isfinite(seconds)
            or seconds < 0
        ):
            raise ValueError(
                f"connectviews: clock.advance(seconds) needs a number >= 0, got {seconds!r}"
            )
        with self._lock:
            base = _time.time() if self._frozen_at is None else self._frozen_at
            if base + self._offset + float(seconds) > MAX_TIME:
                raise ValueError(
                    f"connectviews: clock.advance({seconds!r}) would move the clock past the "
                    "year 9999, the last a timestamp can show"
                )
            self._offset += float(seconds)

    def sleep(self, seconds: float) -> None:
        """A virtual sleep: time moves forward at once, nothing waits."""
        if seconds > 0:
            with self._lock:
                self._offset += float(seconds)
                self.slept += float(seconds)

    def freeze(self, at: dt.datetime | float | None = None) -> None:
        """Stop real time from moving the clock; optionally jump to ``at``.

        :param at: an aware datetime or epoch seconds; by default the clock stops where it is.
        """
        if at is None:
            target = self.time()
        elif isinstance(at, dt.datetime):
            if at.tzinfo is None:
                raise ValueError(
                    "connectviews: clock.freeze(at) needs an aware datetime (tzinfo set)"
                )
            target = at.timestamp()
        elif (
            isinstance(at, (int, float))
            and not isinstance(at, bool)
            and math.isfinite(at)
            and 0 <= at <= MAX_TIME
        ):
            target = float(at)
        else:
            raise ValueError(
                "connectviews: clock.freeze(at) takes a datetime or epoch seconds (0 up to the "
                f"end of year 9999), got {at!r}"
            )
        with self._lock:
            self._frozen_at = target
            self._offset = 0.0

    def unfreeze(self) -> None:
        """Let real time move the clock again, from where it stands now."""
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at + self._offset - _time.time()
                self._frozen_at = None

    @property
    def frozen(self) -> bool:
        """Whether real time is stopped."""
        return self._frozen_at is not None

    def __repr__(self) -> str:
        state = "frozen" if self.frozen else "running"
        return f"<Clock {self.now().isoformat()} {state}>"
