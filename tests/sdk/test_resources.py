"""A tracer per session must be cheap: many tracers created and ended leave nothing behind."""

from __future__ import annotations

import gc
import time
import tracemalloc
from typing import Any

from honeyhive import HoneyHiveTracer, trace

from .helpers import API_KEY, PROJECT, Tracers
from .loopback import LoopbackServer, sdk_side_threads

MEMORY_BUDGET_BYTES = 10 * 1024 * 1024


def churn(count: int, settings: dict[str, Any], clear: Any = None) -> None:
    """Create and end `count` tracers, each with one span, in the three ways a tracer ends."""
    for index in range(count):
        how = index % 3
        if how == 0:
            with HoneyHiveTracer.init(**settings) as tracer:
                traced_call(tracer)
        elif how == 1:
            tracer = HoneyHiveTracer.init(**settings)
            traced_call(tracer)
            tracer.shutdown()
        else:
            traced_call(HoneyHiveTracer.init(**settings))  # dropped without ending
        if clear is not None and index % 500 == 0:
            clear()


def traced_call(tracer: HoneyHiveTracer) -> None:
    @trace(tracer=tracer)
    def request() -> None:
        pass

    request()


def test_ten_thousand_tracers_leave_no_threads_and_little_memory(tracers: Tracers) -> None:
    anchor, exporter = tracers.in_memory()  # the destination exists, as in a server
    settings: dict[str, Any] = {
        "project": PROJECT,
        "test_mode": True,
        "disable_batch": True,
        "exporter": exporter,
    }
    churn(300, settings, exporter.clear)  # warm-up: caches, lazily started workers
    exporter.clear()
    gc.collect()
    threads_before = {thread.ident for thread in sdk_side_threads()}
    tracemalloc.start()
    try:
        churn(10_000, settings, exporter.clear)
        exporter.clear()
        gc.collect()
        retained, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    threads_after = {thread.ident for thread in sdk_side_threads()}
    assert threads_after <= threads_before
    assert retained < MEMORY_BUDGET_BYTES, f"{retained / 1e6:.1f} MB retained"
    assert anchor.flush(timeout_millis=5_000) is True  # and the anchor still works


def test_tracers_on_the_wire_leave_no_threads(loopback: LoopbackServer, tracers: Tracers) -> None:
    tracers.on_wire(loopback)
    settings: dict[str, Any] = {"api_key": API_KEY, "project": PROJECT, "server_url": loopback.url}
    churn(30, settings)
    gc.collect()
    threads_before = {thread.ident for thread in sdk_side_threads()}
    churn(300, settings)
    gc.collect()
    assert {thread.ident for thread in sdk_side_threads()} <= threads_before


def test_the_last_waiting_shutdown_closes_the_destinations_pipeline(
    loopback: LoopbackServer,
) -> None:
    before = {thread.ident for thread in sdk_side_threads()}
    settings: dict[str, Any] = {"api_key": API_KEY, "project": PROJECT, "server_url": loopback.url}
    first, second = HoneyHiveTracer.init(**settings), HoneyHiveTracer.init(**settings)
    traced_call(first)
    traced_call(second)
    first.shutdown()
    traced_call(second)  # the pipeline is still open for the remaining tracer
    second.shutdown(wait=True)
    assert len(loopback.spans()) == 3
    # Closing joins the pipeline's threads; give a finishing thread a moment to be gone.
    deadline = time.monotonic() + 5
    while {thread.ident for thread in sdk_side_threads()} - before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert {thread.ident for thread in sdk_side_threads()} <= before
