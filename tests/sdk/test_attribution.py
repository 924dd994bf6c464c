"""Which session other instrumentations' spans get: through context only, never by guessing.

These drive the rules directly, with an instrumentation's tracer from the tracer's own provider
(``tracer.provider``, as an instrumentor given ``tracer_provider=`` uses it) and in-memory export.
The real-server tests (tests/server) check the same rules under uvicorn and the global provider.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, Tracer

import honeyhive
from honeyhive import HoneyHiveTracer
from honeyhive.tracer import attribution

from .helpers import LogCapture, Tracers, session_of


def framework(tracer: HoneyHiveTracer) -> Tracer:
    """A web framework's instrumentation, exporting through the tracer's provider."""
    return tracer.provider.get_tracer("some.web.framework")


def sessions_by_name(exporter: InMemorySpanExporter) -> dict[str, Any]:
    return {span.name: session_of(span) for span in exporter.get_finished_spans()}


def unrouted() -> int:
    return honeyhive.delivery_stats().spans_unrouted


def test_a_request_span_goes_to_the_tracer_that_becomes_active_inside_it(
    tracers: Tracers,
) -> None:
    anchor, exporter = tracers.in_memory()
    other, _ = tracers.in_memory(exporter=exporter)  # another request's: never a guess target
    web = framework(anchor)
    with web.start_as_current_span("GET /chat", kind=SpanKind.SERVER):
        with web.start_as_current_span("http receive"):
            pass  # ends before any tracer exists: held until the request's trace is claimed
        with (
            HoneyHiveTracer.init(
                project="p", test_mode=True, disable_batch=True, exporter=exporter
            ) as request,
            web.start_as_current_span("handler step"),
        ):
            pass
        with web.start_as_current_span("http send"):
            pass  # after the block: the trace is still the request's
    assert sessions_by_name(exporter) == {
        "GET /chat": request.session_id,
        "http receive": request.session_id,
        "handler step": request.session_id,
        "http send": request.session_id,
    }
    assert other.session_id != request.session_id


def test_concurrent_requests_never_share_spans(tracers: Tracers) -> None:
    anchor, exporter = tracers.in_memory()
    web = framework(anchor)
    started = threading.Barrier(8)
    sessions: dict[int, str] = {}

    def handle(index: int) -> None:
        with web.start_as_current_span(f"request {index}", kind=SpanKind.SERVER):
            started.wait()  # every request's span is open before any tracer exists
            with HoneyHiveTracer.init(
                project="p", test_mode=True, disable_batch=True, exporter=exporter
            ) as request:
                sessions[index] = request.session_id
                started.wait()  # and every tracer is live at once

    run_threads(8, handle)
    assert sessions_by_name(exporter) == {f"request {i}": sessions[i] for i in range(8)}


def test_a_trace_no_tracer_claims_is_counted_not_sent(
    tracers: Tracers, all_logs: LogCapture
) -> None:
    anchor, exporter = tracers.in_memory()
    tracers.in_memory(exporter=exporter)  # two live tracers: no fallback
    before = unrouted()
    with framework(anchor).start_as_current_span("GET /health", kind=SpanKind.SERVER):
        pass
    assert exporter.get_finished_spans() == ()
    assert unrouted() == before + 1
    assert not [t for t in all_logs.texts() if "belonged to no session" in t]  # not a warning


def test_a_span_outside_any_context_with_two_live_tracers_is_a_warning(
    tracers: Tracers, all_logs: LogCapture
) -> None:
    anchor, exporter = tracers.in_memory()
    tracers.in_memory(exporter=exporter)
    before = unrouted()
    thread = threading.Thread(target=lambda: framework(anchor).start_span("lost").end())
    thread.start()
    thread.join()
    assert exporter.get_finished_spans() == ()
    assert unrouted() == before + 1


def test_a_session_the_application_set_itself_is_kept(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory()
    own = "00000000-0000-4000-8000-000000000001"
    with tracer:
        framework(tracer).start_span("mine", attributes={"honeyhive.session_id": own}).end()
    assert sessions_by_name(exporter) == {"mine": own}


def test_spans_held_for_a_claim_are_bounded(tracers: Tracers) -> None:
    anchor, exporter = tracers.in_memory()
    tracers.in_memory(exporter=exporter)
    web = framework(anchor)
    before = unrouted()
    extra = 5
    with web.start_as_current_span("GET /busy", kind=SpanKind.SERVER):
        for _ in range(attribution.MAX_PENDING_PER_SEGMENT + extra):
            web.start_span("middleware").end()
        with HoneyHiveTracer.init(
            project="p", test_mode=True, disable_batch=True, exporter=exporter
        ) as request:
            pass
    names = [s.name for s in exporter.get_finished_spans() if session_of(s) == request.session_id]
    assert names.count("middleware") == attribution.MAX_PENDING_PER_SEGMENT
    assert "GET /busy" in names
    assert unrouted() == before + extra


def run_threads(count: int, target: Callable[[int], None]) -> None:
    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
