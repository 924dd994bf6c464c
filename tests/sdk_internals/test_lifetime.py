"""Tracer and pipeline lifetime: sharing, live counts, closing, collection, activity."""

from __future__ import annotations

import contextvars
import gc
import logging
import threading
import time
import uuid

import pytest
from opentelemetry.sdk.trace.export import SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from honeyhive import HoneyHiveTracer, SingleSessionError, trace
from honeyhive.tracer import core, registry
from honeyhive.tracer import pipeline as pipelines

from .conftest import Backend, Made


def test_tracers_of_one_destination_share_one_pipeline(made: Made) -> None:
    first, exporter = made.in_memory()
    second, _ = made.in_memory(exporter=exporter)
    other_source, _ = made.in_memory(exporter=exporter, source="other")
    assert first._pipeline is second._pipeline
    assert first.provider is second.provider
    assert other_source._pipeline is not first._pipeline
    assert first._pipeline.live == 2


def test_shutdown_ends_the_session_and_closing_needs_wait(made: Made) -> None:
    first, exporter = made.in_memory()
    second, _ = made.in_memory(exporter=exporter)
    pipeline = first._pipeline
    first.shutdown()
    assert first.ended
    assert (pipeline.closed, pipeline.live) == (False, 1)
    first.shutdown(wait=True)  # twice: nothing more happens, even with wait
    assert (pipeline.closed, pipeline.live) == (False, 1)
    second.shutdown(wait=True)  # the destination's last live tracer: the pipeline closes
    assert pipeline.closed
    assert pipeline not in pipelines.all_pipelines()
    third, _ = made.in_memory(exporter=InMemorySpanExporter())
    assert third._pipeline is not pipeline


def test_with_exit_and_collection_keep_the_pipeline_cached(made: Made) -> None:
    anchor, exporter = made.in_memory()
    pipeline = anchor._pipeline
    anchor.shutdown(wait=True)  # closes: the next tracer builds a fresh pipeline
    with HoneyHiveTracer(project="p", test_mode=True, disable_batch=True, exporter=exporter) as t:
        fresh = t._pipeline
    assert fresh is not pipeline
    assert t.ended
    assert (fresh.live, fresh.closed) == (0, False)
    HoneyHiveTracer(project="p", test_mode=True, disable_batch=True, exporter=exporter)
    gc.collect()
    assert (fresh.live, fresh.closed) == (0, False)
    again = HoneyHiveTracer(project="p", test_mode=True, disable_batch=True, exporter=exporter)
    assert again._pipeline is fresh
    again.shutdown()
    assert (fresh.live, fresh.closed) == (0, False)  # a plain shutdown does not close either


def test_collected_tracers_leave_the_registry(made: Made) -> None:
    anchor, exporter = made.in_memory()
    before = registry.live_count()
    for _ in range(100):
        HoneyHiveTracer(project="p", test_mode=True, disable_batch=True, exporter=exporter)
    gc.collect()
    assert registry.live_count() == before
    assert anchor._pipeline.live == 1


def test_session_id_is_read_only_in_every_way(made: Made) -> None:
    tracer, _ = made.in_memory()
    for attribute in ("session_id", "_session_id"):
        with pytest.raises(SingleSessionError, match=f"assigning `tracer.{attribute}`"):
            setattr(tracer, attribute, str(uuid.uuid4()))
        with pytest.raises(SingleSessionError):
            delattr(tracer, attribute)
    assert tracer._session_id == tracer.session_id
    with pytest.raises(AttributeError):
        tracer.anything_else = 1  # type: ignore[attr-defined]


def test_contextvars_isolate_threads(made: Made) -> None:
    tracer, _ = made.in_memory()
    seen: list[HoneyHiveTracer | None] = []

    with tracer:
        thread = threading.Thread(target=lambda: seen.append(registry.ACTIVE.get()))
        thread.start()
        thread.join()
        assert registry.ACTIVE.get() is tracer
    assert seen == [None]
    assert registry.ACTIVE.get() is None


def test_legacy_child_stands_in_for_its_origin(made: Made) -> None:
    tracer, exporter = made.in_memory()

    @trace(tracer=tracer, event_name="explicit")
    def explicit() -> None:
        pass

    def body() -> str:
        with pytest.warns(FutureWarning):
            child_id = tracer.create_session(session_id=str(uuid.uuid4()), skip_api_call=True)
        explicit()
        child = registry.ACTIVE.get()
        assert child is not None
        assert child._origin is tracer
        with pytest.warns(FutureWarning):
            grandchild_id = child.session_start()
        active = registry.ACTIVE.get()
        assert active is not None
        assert active._origin is tracer  # flattened to the root
        assert grandchild_id != child_id
        return child_id

    child_id = contextvars.copy_context().run(body)
    [span] = exporter.get_finished_spans()
    assert (span.attributes or {})["honeyhive.session_id"] == child_id
    assert tracer.session_id != child_id


def test_offline_tracers_log_one_line_each(caplog: pytest.LogCaptureFixture, made: Made) -> None:
    caplog.set_level(logging.DEBUG, logger="honeyhive")
    made.tracer(project="offline")
    made.tracer(project="offline")
    lines = [r for r in caplog.records if "offline" in r.getMessage()]
    assert len(lines) == 2
    assert lines[1].levelno == logging.INFO  # only the first in a process is a warning


def test_verbose_logs_the_start_without_the_key(
    caplog: pytest.LogCaptureFixture, made: Made, backend: Backend
) -> None:
    caplog.set_level(logging.DEBUG, logger="honeyhive")
    tracer = made.tracer(api_key="secret-key-xyz", server_url=backend.url, verbose=True)
    assert any(tracer.session_id in r.getMessage() for r in caplog.records)
    assert all("secret-key-xyz" not in r.getMessage() for r in caplog.records)
    assert "secret-key-xyz" not in repr(tracer._pipeline)
    logger = logging.getLogger("honeyhive")
    logger.setLevel(logging.NOTSET)
    if core._LoggingState.verbose_handler is not None:
        logger.removeHandler(core._LoggingState.verbose_handler)
        core._LoggingState.verbose_handler = None


def test_idle_pipelines_beyond_the_limit_are_closed() -> None:
    count = pipelines.MAX_IDLE_PIPELINES + 4
    exporters = [InMemorySpanExporter() for _ in range(count)]
    made: list[pipelines.Pipeline] = []
    for exporter in exporters:
        with HoneyHiveTracer(test_mode=True, disable_batch=True, exporter=exporter) as tracer:
            made.append(tracer._pipeline)
    # When the last one was created, the others were idle: the newest MAX_IDLE_PIPELINES stay.
    evicted = count - 1 - pipelines.MAX_IDLE_PIPELINES
    assert [p.closed for p in made] == [True] * evicted + [False] * (count - evicted)
    cached = pipelines.all_pipelines()
    assert not any(p in cached for p in made[:evicted])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(
        exporter.export(()) is SpanExportResult.FAILURE for exporter in exporters[:evicted]
    ):
        time.sleep(0.01)
    assert all(e.export(()) is SpanExportResult.FAILURE for e in exporters[:evicted])  # shut down
    assert all(e.export(()) is SpanExportResult.SUCCESS for e in exporters[evicted:])
