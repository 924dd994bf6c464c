"""Which tracer is active here, and which is the default: the resolution order every API shares.

1. an explicit tracer (``tracer=``, or the bound ``tracer.trace``);
2. the active tracer: the one whose traced function or ``with`` block we are inside (a
   ``ContextVar``, so threads and asyncio tasks stay isolated);
3. the default tracer: the oldest live tracer.
"""

from __future__ import annotations

import itertools
import logging
import threading
import weakref
from contextvars import ContextVar
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from honeyhive.tracer.core import HoneyHiveTracer

logger: Final = logging.getLogger("honeyhive")

ACTIVE: Final[ContextVar[HoneyHiveTracer | None]] = ContextVar(
    "honeyhive_active_tracer", default=None
)


class _LiveTracers:
    """Live tracers by creation order; a tracer leaves when its session ends."""

    def __init__(self) -> None:
        self.serials = itertools.count(1)
        self.lock = threading.Lock()
        self.by_serial: dict[int, weakref.ref[HoneyHiveTracer]] = {}
        # The oldest live tracer, kept ready so that resolving it needs no lock.
        self.default: weakref.ref[HoneyHiveTracer] | None = None
        self.no_tracer_logged = False


_live: Final = _LiveTracers()


def next_serial() -> int:
    return next(_live.serials)


def add_live(serial: int, tracer: HoneyHiveTracer) -> None:
    ref = weakref.ref(tracer)
    with _live.lock:
        _live.by_serial[serial] = ref
        if _live.default is None:
            _live.default = ref


def remove_live(serial: int) -> None:
    """Forget a tracer whose session ended; the next oldest live tracer becomes the default."""
    with _live.lock:
        ref = _live.by_serial.pop(serial, None)
        if ref is None or ref is not _live.default:
            return
        _live.default = next((c for c in _live.by_serial.values() if c() is not None), None)


def default_tracer() -> HoneyHiveTracer | None:
    ref = _live.default
    if ref is None:
        return None
    tracer = ref()
    if tracer is not None:
        return tracer
    # Collected, but its finalizer has not run yet: the next oldest one.
    with _live.lock:
        for candidate in _live.by_serial.values():
            tracer = candidate()
            if tracer is not None:
                return tracer
    return None


def live_count() -> int:
    return len(_live.by_serial)


def current_tracer() -> HoneyHiveTracer | None:
    """The active tracer, else the default tracer (steps 2 and 3)."""
    tracer = ACTIVE.get()
    if tracer is not None:
        return tracer
    return default_tracer()


def resolve(explicit: HoneyHiveTracer | None) -> HoneyHiveTracer | None:
    """The tracer an API call uses (steps 1 to 3).

    An explicit tracer whose legacy ``create_session()``/``with_session()`` started a tracer that is
    active here stands for that tracer: 1.7 moved such calls to the new session too.
    """
    active = ACTIVE.get()
    if explicit is None:
        return active if active is not None else default_tracer()
    if active is not None and active is not explicit and active._origin is explicit:
        return active
    return explicit


def log_no_tracer(what: str) -> None:
    """One log line, once per process, when an API is used before any tracer exists."""
    if _live.no_tracer_logged:
        logger.debug("%s: no HoneyHive tracer; nothing recorded", what)
        return
    _live.no_tracer_logged = True
    logger.warning(
        "%s was called but no HoneyHiveTracer exists: nothing is recorded. "
        "Create one with HoneyHiveTracer.init(...) or pass tracer=.",
        what,
    )
