"""Threads and asyncio tasks, each with its own session: no span lands in another session, and
ending one tracer never breaks another."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from honeyhive import HoneyHiveTracer, enrich_span, trace

from .helpers import API_KEY, PROJECT, Tracers, attrs, session_of, spans_named
from .loopback import LoopbackServer

WORKERS = 50


def run_threads(count: int, target: Callable[[int], None]) -> None:
    """Start `count` threads together; re-raise the first failure in the test's thread."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def guarded(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            target(index)
        except BaseException as error:  # reported below, in the test thread
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    if errors:
        raise errors[0]


def misattributed(exporter: InMemorySpanExporter, expected: dict[int, str]) -> list[Any]:
    """Spans whose session is not the session of the worker that made them."""
    wrong = []
    for span in exporter.get_finished_spans():
        worker = attrs(span).get("honeyhive_metadata.worker")
        if worker is None or session_of(span) != expected[int(str(worker))]:
            wrong.append((span.name, worker, session_of(span)))
    return wrong


def test_threads_with_their_own_tracers(tracers: Tracers) -> None:
    anchor, exporter = tracers.in_memory()  # keeps the shared pipeline open throughout
    expected: dict[int, str] = {}

    def worker(index: int) -> None:
        with HoneyHiveTracer.init(
            project=PROJECT, test_mode=True, disable_batch=True, exporter=exporter
        ) as tracer:
            expected[index] = tracer.session_id

            @trace  # resolved per call: the tracer active in this thread
            def child() -> None:
                enrich_span(metadata={"worker": index})

            @trace(tracer=tracer)
            def parent() -> None:
                enrich_span(metadata={"worker": index})
                child()

            for _ in range(10):
                parent()
            for _ in range(5):
                child()

    run_threads(WORKERS, worker)
    assert len(set(expected.values())) == WORKERS
    assert anchor.session_id not in expected.values()
    assert misattributed(exporter, expected) == []
    assert len(exporter.get_finished_spans()) == WORKERS * 25


def test_asyncio_tasks_interleaving_sessions(tracers: Tracers) -> None:
    _, exporter = tracers.in_memory()
    expected: dict[int, str] = {}

    @trace
    async def step(index: int) -> None:
        await asyncio.sleep(0)  # let every other task run in between
        enrich_span(metadata={"worker": index})
        await asyncio.sleep(0)

    @trace
    async def conversation(index: int) -> None:
        enrich_span(metadata={"worker": index})
        for _ in range(5):
            await step(index)

    async def task(index: int) -> None:
        with HoneyHiveTracer.init(
            project=PROJECT, test_mode=True, disable_batch=True, exporter=exporter
        ) as tracer:
            expected[index] = tracer.session_id
            await asyncio.sleep(0)
            await conversation(index)

    async def main() -> None:
        await asyncio.gather(*(task(i) for i in range(WORKERS)))

    asyncio.run(main())
    assert len(set(expected.values())) == WORKERS
    assert misattributed(exporter, expected) == []
    assert len(exporter.get_finished_spans()) == WORKERS * 6


def test_threads_on_the_wire_each_keep_their_session(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    anchor = tracers.on_wire(loopback)
    expected: dict[int, str] = {}

    def worker(index: int) -> None:
        tracer = HoneyHiveTracer.init(api_key=API_KEY, project=PROJECT, server_url=loopback.url)
        expected[index] = tracer.session_id

        @trace(tracer=tracer)
        def work() -> None:
            enrich_span(metadata={"worker": index})

        for _ in range(3):
            work()
        tracer.enrich_session(metadata={"worker": index})
        tracer.shutdown()  # while other threads are still working

    run_threads(WORKERS, worker)
    anchor.shutdown(wait=True)  # delivers everything the destination queued
    spans = [span for span in loopback.spans() if span.name.endswith("work")]
    assert len(spans) == WORKERS * 3
    assert [
        s for s in spans if s.session_id != expected[s.attributes["honeyhive_metadata.worker"]]
    ] == []
    enrichments = {r.json()["event_id"]: r for r in loopback.enrichments()}
    assert set(enrichments) == set(expected.values())
    for index, session_id in expected.items():
        assert enrichments[session_id].json()["metadata"]["worker"] == index
    starts = {r.json()["session"]["session_id"]: r.seq for r in loopback.session_starts()}
    assert set(starts) == {*expected.values(), anchor.session_id}
    assert all(starts[sid] < enrichments[sid].seq for sid in expected.values())


def test_shutting_one_tracer_down_never_breaks_another(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    ended, kept = tracers.on_wire(loopback), tracers.on_wire(loopback)

    @trace(tracer=ended)
    def on_ended() -> None:
        pass

    @trace(tracer=kept)
    def on_kept() -> None:
        pass

    on_ended()
    ended.shutdown()
    ended.shutdown()  # twice: still harmless
    on_ended()  # a late call on an ended tracer must not break the program
    ended.enrich_session(metadata={"late": True})
    on_kept()
    kept.enrich_session(metadata={"still": "working"})
    assert kept.flush(timeout_millis=10_000) is True
    assert loopback.wait_for(
        lambda server: any(r.json()["event_id"] == kept.session_id for r in server.enrichments())
    )
    kept_spans = [s for s in loopback.spans() if s.session_id == kept.session_id]
    assert [s.name for s in kept_spans] == [on_kept.__qualname__]


def test_shutting_one_tracer_down_keeps_a_shared_exporter_working(tracers: Tracers) -> None:
    ended, exporter = tracers.in_memory()
    kept, _ = tracers.in_memory(exporter=exporter)
    ended.shutdown()

    @trace(tracer=kept)
    def after_other_ended() -> None:
        pass

    after_other_ended()
    [span] = spans_named(exporter, after_other_ended.__qualname__)
    assert session_of(span) == kept.session_id
