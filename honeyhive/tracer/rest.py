"""The background REST sender of one destination: session starts and enrichments, in order.

User code only appends to a bounded queue. One daemon thread sends the requests in the order they
were queued (so a session's start always precedes its enrichments), retrying connection errors,
5xx and 429 with exponential backoff and jitter, never 4xx. Whatever cannot be delivered is counted
and logged, never silently lost.
"""

from __future__ import annotations

import collections
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from opentelemetry.context import _SUPPRESS_INSTRUMENTATION_KEY, attach, set_value

from honeyhive.tracer import jsonsafe
from honeyhive.tracer.http import TRANSPORT_ERRORS, Reply, Transport
from honeyhive.tracer.stats import Counters, RateLimitedLog
from honeyhive.tracer.waiting import FlushCallback, GiveUp, Watchers, call_settled, wait_until

logger: Final = logging.getLogger("honeyhive")

MAX_QUEUE: Final = 10_000
MAX_ATTEMPTS: Final = 6
HURRIED_ATTEMPTS: Final = 2
BACKOFF_BASE_S: Final = 0.25
BACKOFF_MAX_S: Final = 8.0


@dataclass(frozen=True, slots=True)
class RestCall:
    """One request of the REST API; ``data`` is its JSON body, encoded when the call was made."""

    method: str
    path: str
    data: bytes

    @classmethod
    def of(cls, method: str, path: str, body: Mapping[str, Any]) -> RestCall:
        """A call whose body is snapshotted now, as standard JSON (see :mod:`.jsonsafe`)."""
        return cls(method, path, jsonsafe.encode(body))


def _backoff(attempt: int) -> float:
    """Exponential backoff with +-50 % jitter, so that many clients do not retry in step."""
    return min(BACKOFF_MAX_S, BACKOFF_BASE_S * 2.0**attempt) * random.uniform(0.5, 1.5)


def _retry_after(reply: Reply) -> float | None:
    value = reply.retry_after
    if value is None:
        return None
    try:
        return min(BACKOFF_MAX_S, max(0.0, float(value)))
    except ValueError:
        return None


class RestSender:
    """A bounded FIFO of REST calls and the one worker thread that sends them."""

    def __init__(
        self,
        server_url: str,
        api_key: str,
        transport: Transport,
        counters: Counters,
        *,
        max_queue: int = MAX_QUEUE,
        user_agent: str = "honeyhive-python",
    ) -> None:
        self._server_url = server_url
        self._headers = {
            "Authorization": f"Bearer {api_key}",
            "Content-Type": "application/json",
            "User-Agent": user_agent,
        }
        self._transport = transport
        self._counters = counters
        self._max_queue = max_queue
        self._queue: collections.deque[RestCall] = collections.deque()
        self._cond = threading.Condition(threading.Lock())
        self._submitted = 0
        self._done = 0
        self._stopping = False
        # Set when closing begins: no more backoff waits, at most HURRIED_ATTEMPTS per call.
        self._hurry = threading.Event()
        # Set when closing ran out of time: no more attempts, drop what is left.
        self._abort = threading.Event()
        self._thread: threading.Thread | None = None
        self._healthy = True
        self._drop_log = RateLimitedLog()
        self._watchers = Watchers()

    def __repr__(self) -> str:
        return f"RestSender(server_url={self._server_url!r}, queued={len(self._queue)})"

    @property
    def healthy(self) -> bool:
        """False while the last attempt failed (server down, 5xx): flushes then skip waiting."""
        return self._healthy

    @property
    def pending(self) -> int:
        return self._submitted - self._done

    def submit(self, call: RestCall) -> bool:
        """Queue a call without blocking; False (counted, logged) when the queue is full."""
        with self._cond:
            if self._stopping or len(self._queue) >= self._max_queue:
                accepted = False
            else:
                self._queue.append(call)
                self._submitted += 1
                accepted = True
                if self._thread is None:
                    self._start()
                self._cond.notify_all()
        if not accepted:
            self._counters.add("events_dropped")
            self._drop_log.warning(
                "HoneyHive: dropped %s %s: the send queue is full or closed", call.method, call.path
            )
        return accepted

    def reinit_after_fork(self, counters: Counters) -> None:
        """In a forked child: the parent's queue, worker and connections are not ours; start
        empty."""
        self._transport.reset()
        self._counters = counters
        self._hurry = threading.Event()
        self._abort = threading.Event()
        self._queue = collections.deque()
        self._cond = threading.Condition(threading.Lock())
        self._submitted = self._done = 0
        self._thread = None
        self._watchers = Watchers()

    def _start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="honeyhive-rest", daemon=True)
        self._thread.start()

    def flush(self, timeout_s: float, give_up: GiveUp | None = None) -> bool:
        """Wait until every call queued before now was handled, or until the deadline (or
        ``give_up``)."""
        with self._cond:
            target = self._submitted
            return wait_until(self._cond, lambda: self._done >= target, timeout_s, give_up)

    def watch(self, callback: FlushCallback, while_healthy: bool) -> Callable[[], None]:
        """Call ``callback(True)`` once every call queued before now was handled, or
        ``callback(False)`` when ``while_healthy`` and a delivery attempt fails first."""
        with self._cond:
            target = self._submitted
            if self._done >= target:
                result: bool | None = True
            elif while_healthy and not self._healthy:
                result = False
            else:
                watch = self._watchers.add(target, callback, while_healthy)
                result = None
        if result is not None:
            callback(result)
            return lambda: None

        def cancel() -> None:
            with self._cond:
                self._watchers.discard(watch)

        return cancel

    def _settle_watchers(self) -> None:
        """After progress or a failed attempt: call the watches that are settled now."""
        with self._cond:
            settled = self._watchers.due(self._done, failing=not self._healthy)
        call_settled(settled)

    def begin_close(self) -> None:
        """Accept no more calls; send what is queued without backoff waits, at most
        ``HURRIED_ATTEMPTS`` tries each, so that a dead server cannot hold up shutdown."""
        self._hurry.set()
        with self._cond:
            self._stopping = True
            self._cond.notify_all()

    def close(self, timeout_s: float) -> bool:
        """Send what is queued until the deadline, then drop the rest (counted) and stop."""
        deadline = time.monotonic() + max(0.0, timeout_s)
        self.begin_close()
        with self._cond:
            thread = self._thread
        if thread is not None:
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                # No grace beyond the deadline: at exit, every pipeline shares one deadline. The
                # worker stops before its next attempt; a request in flight ends by its own
                # timeout, on a daemon thread.
                self._abort.set()
                with self._cond:
                    self._cond.notify_all()
        with self._cond:
            left = len(self._queue)
            self._queue.clear()
            self._done += left
            self._cond.notify_all()
        self._settle_watchers()
        self._transport.reset()
        if left:
            self._counters.add("events_dropped", left)
            logger.warning("HoneyHive: %d queued REST call(s) dropped at shutdown", left)
        return left == 0

    def _run(self) -> None:
        # Instrumented HTTP clients must not trace the SDK's own requests.
        attach(set_value(_SUPPRESS_INSTRUMENTATION_KEY, True))
        while True:
            with self._cond:
                while not self._queue and not self._stopping:
                    self._cond.wait()
                if not self._queue or self._abort.is_set():
                    return
                call = self._queue.popleft()
            try:
                self._deliver(call)
            except Exception:  # never let one bad call kill the worker
                self._counters.add("events_dropped")
                logger.exception("HoneyHive: error sending %s %s", call.method, call.path)
            with self._cond:
                self._done += 1
                self._cond.notify_all()
            self._settle_watchers()

    def _deliver(self, call: RestCall) -> None:
        url = self._server_url + call.path
        data = call.data
        reason = ""
        for attempt in range(MAX_ATTEMPTS):
            if self._abort.is_set():
                reason = "shutdown"
                break
            if self._hurry.is_set() and attempt >= HURRIED_ATTEMPTS:
                break  # closing: the last failure's reason stands
            delay: float | None = None
            try:
                reply = self._transport.send(call.method, url, data, self._headers)
            except TRANSPORT_ERRORS as exc:
                reason = type(exc).__name__
            else:
                status = reply.status
                if status < 400:
                    self._healthy = True
                    self._counters.add("events_sent")
                    return
                reason = f"HTTP {status}"
                if status != 429 and status < 500:
                    # The server understood and refused: retrying cannot help.
                    self._counters.add("events_dropped")
                    self._drop_log.warning(
                        "HoneyHive: %s %s rejected with %s; dropped", call.method, call.path, reason
                    )
                    return
                delay = _retry_after(reply)
            self._healthy = False
            self._settle_watchers()  # waits that give up on failure stop here, not after retries
            hurried = self._hurry.is_set()
            if attempt + 1 >= (HURRIED_ATTEMPTS if hurried else MAX_ATTEMPTS):
                break
            self._counters.add("events_retried")
            if not hurried:
                # Returns early when closing begins: then retry at once.
                self._hurry.wait(delay if delay is not None else _backoff(attempt))
        self._counters.add("events_dropped")
        self._drop_log.warning(
            "HoneyHive: %s %s failed (%s); dropped after retries", call.method, call.path, reason
        )
