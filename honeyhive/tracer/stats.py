"""Delivery counters of a shared pipeline, and rate-limited logging of what it drops."""

from __future__ import annotations

import itertools
import logging
import threading
import time
from dataclasses import dataclass, fields
from typing import Final

logger: Final = logging.getLogger("honeyhive")


@dataclass(frozen=True, slots=True)
class DeliveryStats:
    """A snapshot of what a destination's pipeline has delivered and dropped so far.

    Every tracer of one destination (same server, key, source, exporter...) shares these figures.
    ``*_dropped`` counts everything that will never arrive: queue full, retries exhausted,
    rejected by the server (4xx), or still queued when the pipeline closed.

    ``*_unrouted`` are process-wide (the same in every tracer's figures): spans that belonged to no
    session and were not sent, and by-id enrichments that found no destination to go to.
    """

    spans_exported: int = 0
    spans_dropped: int = 0
    events_sent: int = 0
    events_dropped: int = 0
    events_retried: int = 0
    spans_unrouted: int = 0
    events_unrouted: int = 0


# Figures of one destination's pipeline, and the process-wide ones every snapshot adds.
PROCESS_FIGURES: Final = ("spans_unrouted", "events_unrouted")
DESTINATION_FIGURES: Final = tuple(
    f.name for f in fields(DeliveryStats) if f.name not in PROCESS_FIGURES
)


class Counters:
    """Thread-safe counters behind :class:`DeliveryStats`.

    Per-span increments use ``ticker()``: an ``itertools.count`` advances in one atomic C call,
    with no lock on the hot path. Bulk amounts go through ``add()`` under a lock.
    """

    __slots__ = ("_lock", "_ticks", "_values")

    def __init__(self, names: tuple[str, ...] = DESTINATION_FIGURES) -> None:
        self._lock = threading.Lock()
        self._values = dict.fromkeys(names, 0)
        self._ticks = {name: itertools.count() for name in self._values}

    def add(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self._values[name] += amount

    def ticker(self, name: str) -> itertools.count[int]:
        """The counter to advance with ``next()`` for one more ``name``."""
        return self._ticks[name]

    def copy(self) -> Counters:
        """Fresh counters with the same values (a forked child must not share a held lock)."""
        new = Counters(tuple(self._values))
        new._values = self.totals()
        return new

    def after_fork(self) -> None:
        """In a forked child: the parent's lock may have been held at the fork."""
        self._lock = threading.Lock()

    def totals(self) -> dict[str, int]:
        with self._lock:
            # repr(count(7)) == "count(7)": the only way to read a count without advancing it.
            return {
                name: value + int(repr(self._ticks[name])[6:-1])
                for name, value in self._values.items()
            }

    def snapshot(self) -> DeliveryStats:
        return DeliveryStats(**self.totals(), **PROCESS_COUNTERS.totals())


PROCESS_COUNTERS: Final = Counters(PROCESS_FIGURES)


def process_stats(destinations: list[Counters]) -> DeliveryStats:
    """Every destination's figures summed, with the process-wide ones."""
    summed = dict.fromkeys(DESTINATION_FIGURES, 0)
    for counters in destinations:
        for name, value in counters.totals().items():
            summed[name] += value
    return DeliveryStats(**summed, **PROCESS_COUNTERS.totals())


class RateLimitedLog:
    """Logs a warning at most once per ``interval`` seconds; the lines in between are counted."""

    __slots__ = ("_interval", "_last", "_lock", "_suppressed")

    def __init__(self, interval: float = 10.0) -> None:
        self._interval = interval
        self._last = -interval
        self._suppressed = 0
        self._lock = threading.Lock()

    def warning(self, message: str, *args: object) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._last < self._interval:
                self._suppressed += 1
                return
            suppressed, self._suppressed = self._suppressed, 0
            self._last = now
        if suppressed:
            logger.warning(message + " (%d similar messages suppressed)", *args, suppressed)
        else:
            logger.warning(message, *args)
