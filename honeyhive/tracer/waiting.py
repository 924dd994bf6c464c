"""Waiting on a worker's condition with a deadline, and optionally a reason to stop early."""

from __future__ import annotations

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
