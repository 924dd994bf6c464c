"""Which session a span gets when it did not start in a HoneyHive tracer's own code.

Spans of other instrumentations (a web framework, an HTTP client, OpenAI) carry no session. One
gets a session only through context, never by guessing between tracers:

1. the active tracer where the span starts (a ``with`` block, a traced function);
2. else the tracer that claimed the span's *segment*: the part of its trace recorded in this
   process, from its first local span down. A tracer claims the segment it becomes active in, so
   a request's server span, which starts before the request's tracer exists and ends after it,
   lands in that tracer's session;
3. else the fallback tracer: the only live tracer, if it is not scoped to a block or a request
   (see :mod:`.registry`); but not yet for a span of a request's trace (rooted in a SERVER or
   CONSUMER span), which waits for the request's own tracer to claim it.

A span decided by none of these when it ends waits in its segment (bounded) for a claim, and goes
to the claimer then. When its segment's last span ends unclaimed, it goes to the fallback tracer if
there is one; otherwise it is not sent: it is counted (``spans_unrouted``) and logged: once, as
information, for a trace that no tracer claimed (a health check), and as a warning, rate-limited,
for a span started outside any trace and any tracer's context (a thread that lost its context).
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Final, NamedTuple, Protocol

from opentelemetry import trace as trace_api
from opentelemetry.attributes import BoundedAttributes
from opentelemetry.sdk.trace import ReadableSpan, Span
from opentelemetry.trace import SpanKind

from honeyhive.tracer import registry
from honeyhive.tracer.attributes import SESSION_ID
from honeyhive.tracer.stats import PROCESS_COUNTERS, RateLimitedLog

if TYPE_CHECKING:
    from collections.abc import Mapping

    from honeyhive.tracer.core import HoneyHiveTracer

logger: Final = logging.getLogger("honeyhive")

__all__ = ["claim_here", "claimer_here", "span_ended", "span_started", "with_session"]

# Spans that never end must not grow the tables without bound.
MAX_OPEN_SPANS: Final = 100_000
MAX_PENDING_PER_SEGMENT: Final = 512
MAX_PENDING: Final = 20_000
# A segment rooted in one of these is a unit of work that came from outside (a request, a message).
_ENTRY_KINDS: Final = frozenset({SpanKind.SERVER, SpanKind.CONSUMER})


class SpanSink(Protocol):
    """An export processor's entry point for an ended span whose session is settled."""

    def accept(self, span: ReadableSpan) -> None: ...


class _Ended(NamedTuple):
    span: ReadableSpan
    sink: SpanSink | None  # None: the deciding tracer's own pipeline
    keeps_session: bool  # started with a session of its own (set by the application)


class _Segment:
    __slots__ = ("claimer", "entry", "open", "orphan", "pending")

    def __init__(self, *, entry: bool, orphan: bool) -> None:
        self.claimer: HoneyHiveTracer | None = None
        self.entry = entry  # rooted in a unit of work from outside (a request, a message)
        self.orphan = orphan  # rooted in a span with no parent at all: started outside any trace
        self.open = 0
        self.pending: list[_Ended] = []


class _OpenSpan:
    """A span registered here: its segment, the tracer decided for it, where it is exported."""

    __slots__ = ("keeps_session", "segment", "sink", "tracer")

    def __init__(
        self,
        segment: _Segment,
        tracer: HoneyHiveTracer | None,
        sink: SpanSink | None,
        keeps_session: bool,
    ) -> None:
        self.segment = segment
        self.tracer = tracer
        self.sink = sink
        self.keeps_session = keeps_session


class _Table:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.spans: dict[int, _OpenSpan] = {}
        # Open segments without a claimer: when 0, becoming active has nothing to claim.
        self.unclaimed = 0
        self.pending = 0
        self.unrouted_log = RateLimitedLog()
        self.unclaimed_trace_logged = False


_table: Final = _Table()
Delivery = list[tuple[_Ended, "HoneyHiveTracer"]]


def span_started(span: Span, sink: SpanSink | None) -> HoneyHiveTracer | None:
    """Register a span that started without a session here; the tracer it goes to, if decided now.

    ``sink`` is where the span is exported once settled (a pipeline's processor), or None for the
    deciding tracer's own pipeline (the global router's spans).
    """
    active = registry.ACTIVE.get()
    fallback = registry.fallback_tracer() if active is None else None
    attributes = span.attributes
    keeps_session = attributes is not None and SESSION_ID in attributes
    parent = span.parent
    released: Delivery = []
    with _table.lock:
        if len(_table.spans) >= MAX_OPEN_SPANS:
            _forget_all_locked()
        segment = None
        if parent is not None and not parent.is_remote:
            known = _table.spans.get(parent.span_id)
            if known is not None:
                segment = known.segment
        if segment is None:
            segment = _Segment(entry=span.kind in _ENTRY_KINDS, orphan=parent is None)
            _table.unclaimed += 1
        segment.open += 1
        tracer = active
        if tracer is None:
            # A request's trace waits for its own tracer to claim it: the fallback only gets it
            # if none does by its end.
            tracer = segment.claimer or (None if segment.entry else fallback)
        elif segment.claimer is None:
            released = _claim_locked(segment, tracer)
        _table.spans[span.context.span_id] = _OpenSpan(segment, tracer, sink, keeps_session)
    _deliver(released)
    return tracer


def span_ended(span: ReadableSpan) -> bool:
    """Export or hold an ended span registered here; False if it was not registered here."""
    if span.context.span_id not in _table.spans:  # HoneyHive's own spans: no lock taken
        return False
    unrouted: list[_Ended] = []
    deliver: Delivery = []
    with _table.lock:
        opened = _table.spans.pop(span.context.span_id, None)
        if opened is None:
            return False
        segment = opened.segment
        segment.open -= 1
        tracer = opened.tracer or segment.claimer
        ended = _Ended(span, opened.sink, opened.keeps_session)
        if tracer is not None:
            deliver.append((ended, tracer))
        elif segment.open > 0 and _can_hold(segment):
            segment.pending.append(ended)
            _table.pending += 1
        else:
            unrouted.append(ended)
        if segment.open == 0:
            if segment.claimer is None:
                _table.unclaimed -= 1
            unrouted.extend(segment.pending)
            _table.pending -= len(segment.pending)
            segment.pending = []
    if unrouted:
        fallback = registry.fallback_tracer()
        if fallback is not None:
            deliver.extend((held, fallback) for held in unrouted)
        elif segment.orphan and not segment.entry:
            _count_unrouted(len(unrouted))
        else:
            _count_unclaimed_trace(len(unrouted))
    _deliver(deliver)
    return True


def claim_here(tracer: HoneyHiveTracer) -> None:
    """``tracer`` became active: it claims the segment of the current span, if still unclaimed."""
    if not _table.unclaimed:
        return
    context = trace_api.get_current_span().get_span_context()
    if not context.is_valid:
        return
    with _table.lock:
        opened = _table.spans.get(context.span_id)
        if opened is None or opened.segment.claimer is not None:
            return
        released = _claim_locked(opened.segment, tracer)
    _deliver(released)


def claimer_here() -> HoneyHiveTracer | None:
    """The tracer that claimed the current span's segment (step 2, for traced calls)."""
    if not _table.spans:
        return None
    context = trace_api.get_current_span().get_span_context()
    opened = _table.spans.get(context.span_id) if context.is_valid else None
    return None if opened is None else opened.segment.claimer


registry.set_claim_lookup(claimer_here)


def in_request_here() -> bool:
    """Whether the current span belongs to a segment that came from outside (a request)."""
    if not _table.spans:
        return False
    context = trace_api.get_current_span().get_span_context()
    opened = _table.spans.get(context.span_id) if context.is_valid else None
    return opened is not None and opened.segment.entry


def open_spans() -> int:
    return len(_table.spans)


def with_session(span: ReadableSpan, session: Mapping[str, str]) -> ReadableSpan:
    """A copy of an ended span with ``session`` stamped last, so nothing can evict it."""
    merged = dict(span.attributes or {})
    for key in session:
        merged.pop(key, None)
    merged.update(session)
    attributes = BoundedAttributes(maxlen=None, attributes=merged, immutable=True)
    attributes.dropped = span.dropped_attributes
    return ReadableSpan(
        name=span.name,
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes=attributes,
        events=getattr(span, "_events", span.events),
        links=getattr(span, "_links", span.links),
        kind=span.kind,
        instrumentation_info=getattr(span, "_instrumentation_info", None),
        status=span.status,
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


def _can_hold(segment: _Segment) -> bool:
    return len(segment.pending) < MAX_PENDING_PER_SEGMENT and _table.pending < MAX_PENDING


def _claim_locked(segment: _Segment, tracer: HoneyHiveTracer) -> Delivery:
    segment.claimer = tracer
    _table.unclaimed -= 1
    held = segment.pending
    segment.pending = []
    _table.pending -= len(held)
    return [(ended, tracer) for ended in held]


def _forget_all_locked() -> None:
    """Open spans beyond the bound: spans that never end. Start over; what was held is lost."""
    lost = _table.pending
    _table.spans.clear()
    _table.unclaimed = 0
    _table.pending = 0
    if lost:
        _count_unrouted(lost)


def _deliver(spans: Delivery) -> None:
    for (span, sink, keeps_session), tracer in spans:
        session = tracer._session_attrs
        attributes = span.attributes
        settled = span
        if not keeps_session and (
            attributes is None or attributes.get(SESSION_ID) != session[SESSION_ID]
        ):
            settled = with_session(span, session)  # never stamped, or evicted by the limit
        (sink or tracer._pipeline.export).accept(settled)


def _count_unrouted(count: int) -> None:
    """Spans started outside any trace and any tracer's context while no tracer could be the
    fallback: code whose context was lost (a thread that did not get it)."""
    PROCESS_COUNTERS.add("spans_unrouted", count)
    _table.unrouted_log.warning(
        "HoneyHive: %d span(s) belonged to no session and were not sent: they started outside "
        "every trace and tracer's context while several tracers (or only scoped ones) were live. "
        "Make the tracer active where they run (with tracer:, or tracer= on the decorator; "
        "threads: contextvars.copy_context().run)",
        count,
    )


def _count_unclaimed_trace(count: int) -> None:
    """Spans of a trace in which no tracer became active: a request that creates none (a health
    check, say). Normal in a server, so said once, not warned about."""
    PROCESS_COUNTERS.add("spans_unrouted", count)
    if _table.unclaimed_trace_logged:
        return
    _table.unclaimed_trace_logged = True
    logger.info(
        "HoneyHive: spans of traces in which no tracer becomes active (a request that creates "
        "none, such as a health check) are not sent; they are counted in spans_unrouted. Said "
        "once per process"
    )


def reset_after_fork() -> None:
    """In a forked child: the parent's open spans are not ours, and its lock may be held."""
    _table.lock = threading.Lock()
    _table.spans = {}
    _table.unclaimed = 0
    _table.pending = 0
