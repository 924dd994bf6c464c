"""The background workers: REST ordering, retries and drops; batched span export with deadlines."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence

import pytest
import requests
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult

from honeyhive.tracer import rest
from honeyhive.tracer.attributes import SESSION_ID
from honeyhive.tracer.http import SessionTransport
from honeyhive.tracer.rest import RestCall, RestSender
from honeyhive.tracer.span_export import BatchExportProcessor
from honeyhive.tracer.stats import Counters

from .conftest import Backend


@pytest.fixture
def http() -> Iterator[SessionTransport]:
    session = requests.Session()
    yield SessionTransport(session)
    session.close()


@pytest.fixture
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rest, "BACKOFF_BASE_S", 0.01)


def call(i: int) -> RestCall:
    return RestCall.of("PUT", "/events", {"event_id": "e", "metadata": {"i": i}})


def test_calls_arrive_in_order_with_the_key_header(
    backend: Backend, http: SessionTransport
) -> None:
    counters = Counters()
    sender = RestSender(backend.url, "the-key", http, counters)
    for i in range(20):
        assert sender.submit(call(i))
    assert sender.flush(10)
    assert [r.json()["metadata"]["i"] for r in backend.requests] == list(range(20))
    assert {r.headers["authorization"] for r in backend.requests} == {"Bearer the-key"}
    assert counters.snapshot().events_sent == 20
    assert sender.close(5)


def test_5xx_and_429_are_retried_then_delivered(
    backend: Backend, http: SessionTransport, fast_backoff: None
) -> None:
    backend.fail_next, backend.fail_status = 2, 503
    counters = Counters()
    sender = RestSender(backend.url, "k", http, counters)
    sender.submit(call(0))
    assert sender.flush(10)
    assert len(backend.requests) == 3
    assert not sender.healthy or counters.snapshot().events_sent == 1
    backend.fail_next, backend.fail_status = 1, 429
    sender.submit(call(1))
    assert sender.flush(10)
    stats = counters.snapshot()
    assert (stats.events_sent, stats.events_retried, stats.events_dropped) == (2, 3, 0)
    assert sender.healthy
    sender.close(5)


def test_4xx_is_dropped_without_retry(
    backend: Backend, http: SessionTransport, caplog: pytest.LogCaptureFixture
) -> None:
    backend.status = 401
    counters = Counters()
    sender = RestSender(backend.url, "k", http, counters)
    sender.submit(call(0))
    assert sender.flush(10)
    assert len(backend.requests) == 1
    assert counters.snapshot().events_dropped == 1
    assert any("rejected with HTTP 401" in r.getMessage() for r in caplog.records)
    sender.close(5)


def test_exhausted_retries_are_counted(
    closed_url: str, http: SessionTransport, fast_backoff: None
) -> None:
    counters = Counters()
    sender = RestSender(closed_url, "k", http, counters)
    sender.submit(call(0))
    assert sender.flush(10)
    stats = counters.snapshot()
    assert (stats.events_dropped, stats.events_retried) == (1, rest.MAX_ATTEMPTS - 1)
    assert not sender.healthy
    sender.close(5)


def test_full_queue_drops_and_flush_keeps_its_deadline(
    backend: Backend, http: SessionTransport
) -> None:
    backend.release.clear()  # the server stalls
    counters = Counters()
    sender = RestSender(backend.url, "k", http, counters, max_queue=5)
    accepted = [sender.submit(call(i)) for i in range(20)]
    assert accepted.count(True) <= 6  # the queue, plus the one call in flight
    assert counters.snapshot().events_dropped == accepted.count(False)
    started = time.monotonic()
    assert sender.flush(0.2) is False
    assert time.monotonic() - started < 2
    backend.release.set()
    assert sender.flush(10)
    sender.close(5)


def test_close_with_a_dead_server_returns_quickly(closed_url: str, http: SessionTransport) -> None:
    counters = Counters()
    sender = RestSender(closed_url, "k", http, counters)
    for i in range(50):
        sender.submit(call(i))
    started = time.monotonic()
    sender.close(10)
    # No backoff waits once closing: each call gets at most HURRIED_ATTEMPTS quick tries.
    assert time.monotonic() - started < 5
    assert counters.snapshot().events_dropped == 50
    assert sender.submit(call(99)) is False  # closed: counted, not queued


class BlockingExporter(SpanExporter):
    """Exports only when allowed; records what it exported."""

    def __init__(self, result: SpanExportResult = SpanExportResult.SUCCESS) -> None:
        self.allowed = threading.Event()
        self.exported: list[str] = []
        self.result = result
        self.shut_down = False

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self.allowed.wait(10)
        if self.shut_down:  # as OpenTelemetry's exporters do
            return SpanExportResult.FAILURE
        self.exported.extend(span.name for span in spans)
        return self.result

    def shutdown(self) -> None:
        self.shut_down = True
        self.allowed.set()


def make_spans(processor: BatchExportProcessor, count: int) -> None:
    """Spans that carry their session, as HoneyHive's own do (the processor exports only those:
    spans without one wait for their session to be settled, see test_routing)."""
    provider = TracerProvider()
    provider.add_span_processor(processor)
    tracer = provider.get_tracer("t")
    for i in range(count):
        tracer.start_span(f"s{i}", attributes={SESSION_ID: "a-session"}).end()


def test_batch_flush_keeps_its_deadline_and_then_delivers() -> None:
    exporter = BlockingExporter()
    counters = Counters()
    processor = BatchExportProcessor(exporter, counters, schedule_delay_s=60)
    make_spans(processor, 3)
    started = time.monotonic()
    assert processor.flush(0.2) is False
    assert time.monotonic() - started < 2
    exporter.allowed.set()
    assert processor.flush(5) is True
    assert exporter.exported == ["s0", "s1", "s2"]
    assert counters.snapshot().spans_exported == 3
    assert processor.close(5)


def test_batch_overflow_and_failures_are_counted() -> None:
    exporter = BlockingExporter(SpanExportResult.FAILURE)
    counters = Counters()
    processor = BatchExportProcessor(
        exporter, counters, max_queue=4, batch_size=2, schedule_delay_s=60
    )
    make_spans(processor, 10)
    dropped_at_once = counters.snapshot().spans_dropped
    assert dropped_at_once >= 10 - 4 - 2  # queue bound, plus at most one batch in flight
    exporter.allowed.set()
    assert processor.flush(5)
    assert counters.snapshot().spans_dropped == 10  # the rest failed to export
    assert not processor.healthy
    processor.close(1)


def test_batch_close_drops_what_is_left_after_the_deadline() -> None:
    exporter = BlockingExporter()
    counters = Counters()
    processor = BatchExportProcessor(exporter, counters, batch_size=1, schedule_delay_s=60)
    make_spans(processor, 5)
    started = time.monotonic()
    processor.close(0.3)  # the exporter blocks until shutdown releases it
    assert time.monotonic() - started < 3
    assert exporter.shut_down
    stats = counters.snapshot()
    assert (stats.spans_exported, stats.spans_dropped) == (0, 5)
