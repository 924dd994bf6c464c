"""Deadlines: user-given timeouts in seconds, and waiting on a worker's condition until one
(optionally stopping early)."""

from __future__ import annotations

import math
import numbers
import threading
import time
from collections.abc import Callable
from typing import Final

# How often a wait with ``give_up`` checks it: health flags change without notifying the waiter.
GIVE_UP_CHECK_S: Final = 0.05

GiveUp = Callable[[], bool]


def wait_until(
    cond: threading.Condition,
    done: Callable[[], bool],
    timeout_s: float,
    give_up: GiveUp | None = None,
) -> bool:
    """``cond.wait_for(done, timeout_s)``, also returning False once ``give_up()`` holds.

    Call with ``cond`` held, like ``wait_for``.
    """
    if give_up is None:
        return cond.wait_for(done, max(0.0, timeout_s))
    deadline = time.monotonic() + max(0.0, timeout_s)
    while not done():
        remaining = deadline - time.monotonic()
        if remaining <= 0 or give_up():
            return False
        cond.wait(min(remaining, GIVE_UP_CHECK_S))
    return True


def timeout_seconds(timeout_millis: object) -> float:
    """A ``timeout_millis`` argument in seconds; a ``TypeError`` naming it if it is not a number.

    Capped at what ``threading`` can wait (``inf`` would overflow inside ``Condition.wait``).
    """
    if isinstance(timeout_millis, bool) or not isinstance(timeout_millis, numbers.Real):
        raise TypeError(f"timeout_millis must be a number, not {type(timeout_millis).__name__}")
    try:
        seconds = float(timeout_millis) / 1000
    except OverflowError:  # an int beyond a float's range: as good as unbounded
        seconds = -math.inf if timeout_millis < 0 else math.inf
    if math.isnan(seconds):
        raise ValueError("timeout_millis must be a number, not NaN")
    return min(seconds, threading.TIMEOUT_MAX)
