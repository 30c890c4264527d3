"""Option ``virtual_sleep``: the test thread's ``time.sleep`` and ``asyncio.sleep`` move the clock.

While the active fake has ``virtual_sleep`` on, ``time.sleep(s)`` and ``await asyncio.sleep(s)``
called in the thread that started the fake (the test's thread, and event loops running in it)
advance the fake clock by ``s`` (counted in ``clock.slept``) instead of waiting, so a polling loop
that sleeps 30 s between calls finishes at once, and what waits on the fake clock (an image build,
an instance being created, a throttle's bucket) has moved on by the next call. Sleeps in other
threads, and values ``time.sleep`` refuses (negative, NaN, not a number), take the real path.

``time.sleep`` yields the GIL (``sleep(0)``) and ``asyncio.sleep`` yields to the event loop
(``sleep(0)``) even when virtual, so other threads and tasks still run. Only the module attributes
are replaced: code that bound the function before (``from time import sleep``) sleeps for real.
The wrappers are installed while a fake with the option is active and removed when none is (left
in place, inert, if something else replaced ``time.sleep`` after them, so that replacement stays).
"""

from __future__ import annotations

import math
import numbers
import threading
import time
from typing import Any

from . import state

#: what ``time.sleep`` and ``asyncio.sleep`` were before the wrappers replaced them
_real_sleep: Any = time.sleep
_real_async_sleep: Any = None


def _virtual(seconds: object) -> float | None:
    """The seconds added to the fake clock for a sleep in this thread, or None: sleep for real."""
    fake = state.current
    if (
        fake is None
        or not fake.settings.virtual_sleep
        or fake.sleep_thread != threading.get_ident()
        or isinstance(seconds, bool)
        or not isinstance(seconds, numbers.Real)
    ):
        return None
    value = float(seconds)
    if not math.isfinite(value) or value < 0:
        return None  # the real function raises, or (asyncio) treats it as 0
    fake.clock.sleep(value)
    return value


def _sleep(seconds: Any) -> None:
    if _virtual(seconds) is None:
        _real_sleep(seconds)
    else:
        _real_sleep(0)  # yield the GIL, as a real sleep would


async def _async_sleep(delay: Any, result: Any = None) -> Any:
    if _virtual(delay) is None:
        return await _real_async_sleep(delay, result)
    return await _real_async_sleep(0, result)  # yield to the event loop


def install() -> None:
    """Replace ``time.sleep`` and ``asyncio.sleep`` (call with ``state.lock`` held; idempotent)."""
    global _real_sleep, _real_async_sleep
    import asyncio
    import asyncio.tasks

    if time.sleep is not _sleep:
        _real_sleep, time.sleep = time.sleep, _sleep
    if asyncio.sleep is not _async_sleep:
        _real_async_sleep = asyncio.sleep
        asyncio.sleep = asyncio.tasks.sleep = _async_sleep


def uninstall_unless_used() -> None:
    """Put the real functions back once no active fake has ``virtual_sleep`` on (``state.lock``
    held). A function something else put in place after ours is left alone."""
    if any(fake.settings.virtual_sleep for fake in state.stack):
        return
    import asyncio
    import asyncio.tasks

    if time.sleep is _sleep:
        time.sleep = _real_sleep
    if asyncio.sleep is _async_sleep:
        asyncio.sleep = _real_async_sleep
    if asyncio.tasks.sleep is _async_sleep:
        asyncio.tasks.sleep = _real_async_sleep
