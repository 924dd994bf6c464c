"""Deadlines: user-given timeouts in seconds, and waiting on a worker's condition until one
(optionally stopping early)."""

from __future__ import annotations

import contextlib
import math
import numbers
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from asyncio import Future

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


FlushCallback = Callable[[bool], None]


class _Watch:
    __slots__ = ("callback", "target", "while_healthy")

    def __init__(self, target: int, callback: FlushCallback, while_healthy: bool) -> None:
        self.target = target
        self.callback = callback
        self.while_healthy = while_healthy


class Watchers:
    """Callbacks waiting for a worker's handled count to reach a mark.

    How an event loop waits for delivery without blocking a thread or polling: the worker calls
    them as it makes progress. Used under the worker's own lock; callbacks are called after it is
    released (they only schedule work on a loop).
    """

    __slots__ = ("_items",)

    def __init__(self) -> None:
        self._items: list[_Watch] = []

    def add(self, target: int, callback: FlushCallback, while_healthy: bool) -> _Watch:
        watch = _Watch(target, callback, while_healthy)
        self._items.append(watch)
        return watch

    def discard(self, watch: _Watch) -> None:
        if watch in self._items:
            self._items.remove(watch)

    def due(self, done: int, *, failing: bool) -> list[tuple[FlushCallback, bool]]:
        """Take the watches that are settled: reached (True), or given up on failure (False)."""
        if not self._items:
            return []
        settled: list[tuple[FlushCallback, bool]] = []
        kept: list[_Watch] = []
        for watch in self._items:
            if done >= watch.target:
                settled.append((watch.callback, True))
            elif failing and watch.while_healthy:
                settled.append((watch.callback, False))
            else:
                kept.append(watch)
        self._items = kept
        return settled

    def clear(self) -> None:
        self._items = []


def call_settled(settled: list[tuple[FlushCallback, bool]]) -> None:
    for callback, result in settled:
        callback(result)


class AllSettled:
    """Joins several watches into one callback: True once all of them reached their mark."""

    __slots__ = ("_callback", "_lock", "_remaining", "_result")

    def __init__(self, parts: int, callback: FlushCallback) -> None:
        self._lock = threading.Lock()
        self._remaining = parts
        self._result = True
        self._callback = callback
        if parts == 0:
            callback(True)

    def part(self, result: bool) -> None:
        with self._lock:
            if self._remaining <= 0:
                return
            self._result = self._result and result
            self._remaining = 0 if not result else self._remaining - 1
            finished = self._remaining == 0
            result = self._result
        if finished:
            self._callback(result)


async def settled_within(
    register: Callable[[FlushCallback], Callable[[], None]], timeout_s: float
) -> bool:
    """Await a callback-style wait: ``register(callback)`` returns a function that cancels it."""
    import asyncio  # noqa: PLC0415  (only async callers pay for it)

    loop = asyncio.get_running_loop()
    future: Future[bool] = loop.create_future()

    def settle(result: bool) -> None:
        # A closed loop raises RuntimeError: nobody is waiting any more.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(_set_once, future, result)

    cancel = register(settle)
    try:
        return await asyncio.wait_for(future, max(0.0, timeout_s))
    except TimeoutError:
        return False
    finally:
        cancel()


def _set_once(future: Future[bool], result: bool) -> None:
    if not future.done():
        future.set_result(result)
