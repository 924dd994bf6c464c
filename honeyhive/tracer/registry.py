"""Live tracers, the active one, and the only one a span without context may fall back to.

The tracer an API call uses, in order (it never guesses between tracers):

1. an explicit tracer (``tracer=``, or the bound ``tracer.trace``);
2. the active tracer: the one whose traced function or ``with`` block we are inside (a
   ``ContextVar``, so threads and asyncio tasks stay isolated);
3. the tracer that claimed the trace we are in (see :mod:`.attribution`);
4. the fallback tracer: the only live tracer, provided it is not *scoped*. A tracer is scoped
   once it is entered with ``with``, made active by a legacy session method, or created inside a
   request's trace: it belongs to that block or request, and a span from elsewhere never falls
   back to it.
"""

from __future__ import annotations

import itertools
import logging
import threading
import weakref
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Final

from honeyhive.tracer.stats import PROCESS_COUNTERS, RateLimitedLog

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
        self.scoped: set[int] = set()
        # The fallback tracer, kept ready so that resolving it needs no lock.
        self.fallback: weakref.ref[HoneyHiveTracer] | None = None
        self.no_tracer_logged = False
        self.unrouted_log = RateLimitedLog()

    def refresh_fallback(self) -> None:
        """Called with the lock held, after any change."""
        if len(self.by_serial) == 1:
            ((serial, ref),) = self.by_serial.items()
            self.fallback = None if serial in self.scoped else ref
        else:
            self.fallback = None


_live: Final = _LiveTracers()


def next_serial() -> int:
    return next(_live.serials)


def add_live(serial: int, tracer: HoneyHiveTracer, *, scoped: bool) -> None:
    ref = weakref.ref(tracer)
    with _live.lock:
        _live.by_serial[serial] = ref
        if scoped:
            _live.scoped.add(serial)
        _live.refresh_fallback()


def mark_scoped(serial: int) -> None:
    """The tracer was entered as a block, or made active for one: never a fallback again."""
    if serial in _live.scoped:
        return
    with _live.lock:
        if serial in _live.by_serial:
            _live.scoped.add(serial)
            _live.refresh_fallback()


def remove_live(serial: int) -> None:
    """Forget a tracer whose session ended."""
    with _live.lock:
        _live.by_serial.pop(serial, None)
        _live.scoped.discard(serial)
        _live.refresh_fallback()


def fallback_tracer() -> HoneyHiveTracer | None:
    """The only live tracer if it is not scoped, else None (a collected one counts as gone)."""
    ref = _live.fallback
    return None if ref is None else ref()


def live_tracers() -> list[HoneyHiveTracer]:
    with _live.lock:
        refs = list(_live.by_serial.values())
    return [tracer for tracer in (ref() for ref in refs) if tracer is not None]


def live_count() -> int:
    return len(_live.by_serial)


def resolve(explicit: HoneyHiveTracer | None) -> HoneyHiveTracer | None:
    """The tracer an API call uses (steps 1 to 4), or None when no context links one.

    An explicit tracer whose legacy ``create_session()``/``with_session()`` started a tracer that is
    active here stands for that tracer: 1.7 moved such calls to the new session too.
    """
    active = ACTIVE.get()
    if explicit is None:
        return active if active is not None else unlinked()
    if active is not None and active is not explicit and active._origin is explicit:
        return active
    return explicit


def _no_claims() -> HoneyHiveTracer | None:
    return None


class _Claims:
    # Step 3's lookup: :mod:`.attribution` registers it when it loads (it imports this module).
    lookup: Callable[[], HoneyHiveTracer | None] = _no_claims


def set_claim_lookup(lookup: Callable[[], HoneyHiveTracer | None]) -> None:
    _Claims.lookup = lookup


def unlinked() -> HoneyHiveTracer | None:
    """Steps 3 and 4, for code running outside any active tracer."""
    claimer = _Claims.lookup()
    return claimer if claimer is not None else fallback_tracer()


def strict_default() -> bool:
    """Strict mode where no tracer is given: the tracer resolved here, else any live tracer's."""
    tracer = resolve(None)
    if tracer is not None:
        return tracer.strict
    return any(tracer.strict for tracer in live_tracers())


def unrouted_call(what: str) -> None:
    """A traced call that belongs to no session: it runs untraced; counted and logged."""
    PROCESS_COUNTERS.add("spans_unrouted")
    if not _live.by_serial:
        log_no_tracer(what)
        return
    _live.unrouted_log.warning(
        "HoneyHive: %s ran outside every tracer's context while several tracers are live (or "
        "only scoped ones): it belongs to no session and was not traced. Pass tracer=, or run it "
        "inside the tracer's block (threads: contextvars.copy_context().run)",
        what,
    )


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
