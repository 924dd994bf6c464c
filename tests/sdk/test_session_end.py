"""Ending a session never waits for delivery; waiting is asked for, and async waits leave the
loop running.

"Did not wait" is shown without a clock: the backend answers every request two seconds late, and
right after the call returns nothing has been delivered yet; a call that waited for delivery
would return with the data delivered.
"""

from __future__ import annotations

import asyncio
import gc

import pytest

import honeyhive
from honeyhive import HoneyHiveTracer, trace

from .helpers import API_KEY, PROJECT, Tracers
from .loopback import LoopbackServer

STALLED_S = 60.0  # the loopback holds every answer this long, or until the test releases it
SLOW_S = 1.0  # a slow but healthy backend: a call that waits for delivery waits this long


def queued_work(tracer: HoneyHiveTracer) -> None:
    @trace(tracer=tracer)
    def step() -> None:
        pass

    step()
    tracer.enrich_session(metadata={"queued": True})


@pytest.mark.parametrize("how", ["with", "shutdown", "collected"])
def test_ending_a_session_returns_before_its_data_is_delivered(
    loopback: LoopbackServer, tracers: Tracers, how: str
) -> None:
    with loopback.faults(delay_s=SLOW_S):
        # Another session of the destination: its figures are the pipeline's, live.
        witness = tracers.on_wire(loopback)
        tracer = HoneyHiveTracer.init(api_key=API_KEY, project=PROJECT, server_url=loopback.url)
        if how == "with":
            with tracer:
                queued_work(tracer)
        elif how == "shutdown":
            queued_work(tracer)
            tracer.shutdown()
        else:
            queued_work(tracer)
            del tracer
            gc.collect()
        stats = witness.stats
        assert (stats.events_sent, stats.spans_exported) == (0, 0)
        assert witness.flush(timeout_millis=30_000)  # and it all arrives afterwards
    assert len(loopback.enrichments()) == 1
    assert len(loopback.spans()) == 1


def test_with_exit_on_a_dead_backend_returns_before_any_outcome(closed_url: str) -> None:
    tracer = HoneyHiveTracer.init(api_key=API_KEY, project=PROJECT, server_url=closed_url)
    with tracer:
        queued_work(tracer)
    # Still retrying: neither delivered nor given up on, so the exit waited for neither.
    stats = tracer.stats
    assert (stats.events_sent, stats.events_dropped) == (0, 0)
    tracer.shutdown(wait=True, timeout_millis=100)


def test_shutdown_with_wait_delivers_before_returning(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    tracer = tracers.on_wire(loopback)
    queued_work(tracer)
    tracer.shutdown(wait=True)
    assert tracer.stats.events_sent == 2  # the session start and the enrichment
    assert [span.session_id for span in loopback.spans()] == [tracer.session_id]


def test_aflush_waits_without_blocking_the_event_loop(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    tracer = tracers.on_wire(loopback)

    async def main() -> tuple[bool, int]:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.001)
                ticks += 1

        running = asyncio.create_task(ticker())
        with loopback.faults(delay_s=STALLED_S):
            queued_work(tracer)
            waiting = asyncio.create_task(tracer.aflush(timeout_millis=30_000))
            # While delivery is stalled, the loop keeps running other tasks.
            while ticks < 50:
                await asyncio.sleep(0.001)
            assert not waiting.done()
        delivered = await waiting  # the backend answers once the block above ends
        running.cancel()
        return delivered, ticks

    delivered, ticks = asyncio.run(main())
    assert delivered is True
    assert ticks >= 50
    assert len(loopback.enrichments()) == 1


def test_aflush_returns_false_at_its_deadline(loopback: LoopbackServer, tracers: Tracers) -> None:
    tracer = tracers.on_wire(loopback)
    with loopback.faults(delay_s=STALLED_S):
        queued_work(tracer)
        assert asyncio.run(tracer.aflush(timeout_millis=200)) is False
        assert asyncio.run(honeyhive.aflush(timeout_millis=200)) is False


def test_async_with_waits_for_delivery_but_not_for_a_failing_backend(
    loopback: LoopbackServer, closed_url: str
) -> None:
    async def session(url: str) -> HoneyHiveTracer:
        async with HoneyHiveTracer.init(api_key=API_KEY, project=PROJECT, server_url=url) as t:
            queued_work(t)
        return t

    healthy = asyncio.run(session(loopback.url))
    assert healthy.stats.events_sent == 2  # delivered when the block's exit returned
    dead = asyncio.run(session(closed_url))
    # It gave up waiting at the first failure, long before the retries end.
    assert dead.stats.events_dropped == 0
    dead.shutdown(wait=True, timeout_millis=100)
