"""Span processors of a shared pipeline: session stamping plus synchronous or batched export.

OpenTelemetry's ``BatchSpanProcessor.force_flush`` ignores its timeout and blocks its caller on the
exporter's retries, and its drops are only logged. The batch processor here exports on its own
daemon thread, so ``flush(timeout)`` always returns by its deadline and every span that will not
arrive is counted.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Final

from opentelemetry.context import (
    _SUPPRESS_INSTRUMENTATION_KEY,
    Context,
    attach,
    detach,
    set_value,
)
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult

from honeyhive.tracer import attribution
from honeyhive.tracer.attributes import SESSION_ID
from honeyhive.tracer.stats import Counters, RateLimitedLog
from honeyhive.tracer.waiting import (
    FlushCallback,
    GiveUp,
    Watchers,
    call_settled,
    timeout_seconds,
    wait_until,
)

logger: Final = logging.getLogger("honeyhive")

MAX_QUEUE: Final = 8192
BATCH_SIZE: Final = 512
SCHEDULE_DELAY_S: Final = 1.0
UNHEALTHY_GRACE_S: Final = 1.0
STOP_GRACE_S: Final = 0.5


def _shutdown(exporter: SpanExporter) -> None:
    try:
        exporter.shutdown()
    except Exception:
        logger.debug("HoneyHive: exporter shutdown raised", exc_info=True)


class StampingProcessor(SpanProcessor):
    """Gives spans started without a session (other instrumentations using this provider) the
    session their context links them to (:mod:`.attribution`), then exports them.

    Spans from HoneyHive's own decorators carry their session from the start: for those,
    ``on_start`` is one lookup and ``on_end`` one more.
    """

    def reinit_after_fork(self, counters: Counters) -> None:
        """In a forked child: count into the child's own counters (nothing else to reset)."""

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        # `_attributes`, not `attributes`: no read-only proxy built for every span.
        attributes = getattr(span, "_attributes", None) or span.attributes
        if attributes is not None and SESSION_ID in attributes:
            return
        tracer = attribution.span_started(span, self)
        if tracer is not None:
            span.set_attributes(tracer._session_attrs)

    def on_end(self, span: ReadableSpan) -> None:
        if not attribution.span_ended(span):
            self.accept(span)

    def accept(self, span: ReadableSpan) -> None:
        """Export an ended span whose session is settled."""


class SyncExportProcessor(StampingProcessor):
    """Exports each span as it ends, in the ending thread: the ``disable_batch=True`` mode for a
    user ``exporter`` (tests read an in-memory exporter right after the span ends)."""

    def __init__(self, exporter: SpanExporter, counters: Counters) -> None:
        self._exporter = exporter
        self._counters = counters
        self._exported = counters.ticker("spans_exported")
        self._closed = False
        self._fail_log = RateLimitedLog()

    def reinit_after_fork(self, counters: Counters) -> None:
        self._counters = counters
        self._exported = counters.ticker("spans_exported")

    def accept(self, span: ReadableSpan) -> None:
        if self._closed or not span.context.trace_flags.sampled:
            return
        token = attach(set_value(_SUPPRESS_INSTRUMENTATION_KEY, True))
        try:
            result = self._exporter.export((span,))
        except Exception:
            result = SpanExportResult.FAILURE
            logger.debug("HoneyHive: span exporter raised", exc_info=True)
        finally:
            detach(token)
        if result is SpanExportResult.SUCCESS:
            next(self._exported)
        else:
            self._counters.add("spans_dropped")
            self._fail_log.warning("HoneyHive: the span exporter failed; span dropped")

    def flush(self, timeout_s: float, give_up: GiveUp | None = None) -> bool:
        try:
            return self._exporter.force_flush(int(max(0.0, timeout_s) * 1000))
        except Exception:
            logger.debug("HoneyHive: exporter force_flush raised", exc_info=True)
            return False

    def shutdown(self) -> None:
        self.close(0.0)

    def watch(self, callback: FlushCallback, while_healthy: bool) -> Callable[[], None]:
        """Spans were exported as they ended: nothing to wait for."""
        callback(True)
        return _nothing

    def begin_close(self) -> None:
        """Nothing is queued: spans were exported as they ended."""

    def close(
        self, timeout_s: float, *, failing: bool = False, shutdown_exporter: bool = True
    ) -> bool:
        if self._closed:
            return True
        self._closed = True
        if shutdown_exporter:
            _shutdown(self._exporter)
        return True

    @property
    def healthy(self) -> bool:
        return True

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.flush(timeout_seconds(timeout_millis))


class BatchExportProcessor(StampingProcessor):
    """Queues ended spans (bounded) and exports them in batches on one daemon thread.

    ``immediate=True`` (``disable_batch`` with the network exporter) wakes the thread for every
    span instead of waiting for a full batch or the schedule delay: no batching delay, and still no
    network wait in user code.
    """

    def __init__(
        self,
        exporter: SpanExporter,
        counters: Counters,
        *,
        immediate: bool = False,
        max_queue: int = MAX_QUEUE,
        batch_size: int = BATCH_SIZE,
        schedule_delay_s: float = SCHEDULE_DELAY_S,
    ) -> None:
        self._exporter = exporter
        self._counters = counters
        self._immediate = immediate
        self._max_queue = max_queue
        self._batch_size = batch_size
        self._delay = schedule_delay_s
        self._queue: collections.deque[ReadableSpan] = collections.deque()
        self._cond = threading.Condition(threading.Lock())
        self._wake = False
        self._queued = 0
        self._done = 0
        self._closed = False
        self._finished = False
        self._healthy = True
        self._thread: threading.Thread | None = None
        self._drop_log = RateLimitedLog()
        self._watchers = Watchers()

    @property
    def healthy(self) -> bool:
        return self._healthy

    def reinit_after_fork(self, counters: Counters) -> None:
        """In a forked child: the parent's queue and worker are not ours; start empty."""
        self._counters = counters
        self._queue = collections.deque()
        self._cond = threading.Condition(threading.Lock())
        self._queued = self._done = 0
        self._thread = None
        self._watchers = Watchers()

    def accept(self, span: ReadableSpan) -> None:
        if not span.context.trace_flags.sampled:
            return
        with self._cond:
            if self._closed or len(self._queue) >= self._max_queue:
                accepted = False
            else:
                accepted = True
                self._queue.append(span)
                self._queued += 1
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name="honeyhive-spans", daemon=True
                    )
                    self._thread.start()
                if self._immediate or len(self._queue) >= self._batch_size:
                    self._wake = True
                    self._cond.notify_all()
        if not accepted:
            self._counters.add("spans_dropped")
            self._drop_log.warning("HoneyHive: span queue full or closed; span dropped")

    def flush(self, timeout_s: float, give_up: GiveUp | None = None) -> bool:
        """Export everything queued before now; False if the deadline (or ``give_up``) came
        first."""
        with self._cond:
            target = self._queued
            if self._done >= target:
                return True
            self._wake = True
            self._cond.notify_all()
            return wait_until(self._cond, lambda: self._done >= target, timeout_s, give_up)

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.flush(timeout_seconds(timeout_millis))

    def watch(self, callback: FlushCallback, while_healthy: bool) -> Callable[[], None]:
        """Call ``callback(True)`` once everything queued before now is handled, or
        ``callback(False)`` when ``while_healthy`` and an export fails first. Returns a cancel."""
        with self._cond:
            target = self._queued
            if self._done >= target:
                settled = [(callback, True)]
            elif while_healthy and not self._healthy:
                settled = [(callback, False)]
            else:
                watch = self._watchers.add(target, callback, while_healthy)
                self._wake = True
                self._cond.notify_all()
                settled = []
        call_settled(settled)
        if settled:
            return _nothing

        def cancel() -> None:
            with self._cond:
                self._watchers.discard(watch)

        return cancel

    def shutdown(self) -> None:
        self.close(5.0)

    def begin_close(self) -> None:
        """Accept no more spans and export what is queued now, without waiting for it."""
        with self._cond:
            self._closed = True
            self._wake = True
            self._cond.notify_all()

    def close(
        self, timeout_s: float, *, failing: bool = False, shutdown_exporter: bool = True
    ) -> bool:
        """Export what is queued until the deadline, then stop; what is left counts as dropped.

        ``failing`` (the destination is known to fail): wait only a short grace period, since
        the exporter's own retries would only use up the deadline. ``shutdown_exporter=False``
        for a user exporter that another destination still uses.
        """
        deadline = time.monotonic() + max(0.0, timeout_s)
        with self._cond:
            if self._finished:
                return True
            self._finished = True
            thread = self._thread
        self.begin_close()
        if thread is not None:
            # The deadline's tail (a tenth of it, at most STOP_GRACE_S) is for an interrupted
            # export to end and count its batch: closing never outlasts the deadline (at exit,
            # every pipeline shares one), and a short deadline still goes mostly to delivering.
            grace = min(STOP_GRACE_S, 0.1 * max(0.0, timeout_s))
            remaining = max(0.0, deadline - grace - time.monotonic())
            healthy = self._healthy and not failing
            thread.join(remaining if healthy else min(remaining, UNHEALTHY_GRACE_S))
        if shutdown_exporter:
            # Also interrupts an exporter stuck in its retry loop (the OTLP exporter honours it).
            _shutdown(self._exporter)
        if thread is not None:
            thread.join(max(0.0, deadline - time.monotonic()))
        with self._cond:
            left = len(self._queue)
            self._queue.clear()
            self._done += left
            self._cond.notify_all()
            settled = self._watchers.due(self._done, failing=left > 0)
        call_settled(settled)
        if left:
            self._counters.add("spans_dropped", left)
            logger.warning("HoneyHive: %d queued span(s) dropped at shutdown", left)
        return left == 0

    def _run(self) -> None:
        while True:
            with self._cond:
                if not self._wake and not self._closed:
                    self._cond.wait(self._delay)
                self._wake = False
                if not self._queue:
                    if self._closed:
                        return
                    continue
                count = min(self._batch_size, len(self._queue))
                batch = [self._queue.popleft() for _ in range(count)]
            self._export(batch)
            with self._cond:
                self._done += len(batch)
                if self._queue:
                    # More than a batch was waiting, or a flush is pending: keep going.
                    self._wake = True
                self._cond.notify_all()
                settled = self._watchers.due(self._done, failing=not self._healthy)
            call_settled(settled)

    def _export(self, batch: Sequence[ReadableSpan]) -> None:
        token = attach(set_value(_SUPPRESS_INSTRUMENTATION_KEY, True))
        try:
            result = self._exporter.export(batch)
        except Exception:
            result = SpanExportResult.FAILURE
            logger.debug("HoneyHive: span exporter raised", exc_info=True)
        finally:
            detach(token)
        if result is SpanExportResult.SUCCESS:
            self._healthy = True
            self._counters.add("spans_exported", len(batch))
        else:
            self._healthy = False
            self._counters.add("spans_dropped", len(batch))
            self._drop_log.warning(
                "HoneyHive: exporting %d span(s) failed; dropped (see the exporter's log)",
                len(batch),
            )


class NoExportProcessor(StampingProcessor):
    """Offline and test mode without an exporter: spans are recorded in memory, never sent."""

    healthy = True

    def flush(self, timeout_s: float, give_up: GiveUp | None = None) -> bool:
        return True

    def watch(self, callback: FlushCallback, while_healthy: bool) -> Callable[[], None]:
        callback(True)
        return _nothing

    def begin_close(self) -> None:
        """Nothing to send."""

    def close(
        self, timeout_s: float, *, failing: bool = False, shutdown_exporter: bool = True
    ) -> bool:
        return True


def _nothing() -> None:
    """Cancelling a watch that is already settled."""


ExportProcessor = SyncExportProcessor | BatchExportProcessor | NoExportProcessor
