"""A backend that is down, slow or failing never blocks or breaks user code; what is queued is
delivered on shutdown and at interpreter exit; what is lost is logged.

The time bounds here are deliberately generous (seconds against a server that stalls for longer):
they tell "returns at once" from "waits on the network", not fast from slow."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import partial

from honeyhive import HoneyHiveTracer, trace

from .helpers import API_KEY, LogCapture, Tracers, run_python
from .loopback import EVENTS_PATH, SESSION_START_PATH, LoopbackServer

SERVER_STALL_S = 8.0
RETURNS_AT_ONCE_S = 1.0  # for one user call, against SERVER_STALL_S
FLUSH_DEADLINE_MS = 500
FLUSH_SLACK_S = 2.5  # the deadline plus scheduling slack on a busy 2-core machine


def duration(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def user_workload(tracers: Tracers, url: str) -> list[float]:
    """What user code does with a tracer, each step timed."""
    durations = [duration(lambda: tracers.new(api_key=API_KEY, project="p", server_url=url))]
    tracer = tracers.made[-1]

    @trace(tracer=tracer)
    def step(i: int) -> int:
        return i

    for i in range(5):
        durations.append(duration(partial(step, i)))
        durations.append(duration(partial(tracer.enrich_session, metadata={"i": i})))
    return durations


def drop_warnings(logs: LogCapture) -> list[str]:
    """The SDK's warnings that say something was dropped."""
    return [
        record.getMessage()
        for record in logs.records
        if record.name.split(".")[0] == "honeyhive"
        and record.levelno >= logging.WARNING
        and "drop" in record.getMessage().lower()
    ]


def test_slow_backend_never_blocks_user_calls(loopback: LoopbackServer, tracers: Tracers) -> None:
    with loopback.faults(delay_s=SERVER_STALL_S):
        durations = user_workload(tracers, loopback.url)
        assert max(durations) < RETURNS_AT_ONCE_S, durations
        tracer = tracers.made[-1]
        assert duration(lambda: tracer.flush(timeout_millis=FLUSH_DEADLINE_MS)) < FLUSH_SLACK_S
        assert loopback.wait_for(lambda server: bool(server.session_starts()))


def test_failing_backend_never_blocks_user_calls(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    with loopback.faults(status=503):
        durations = user_workload(tracers, loopback.url)
        assert max(durations) < RETURNS_AT_ONCE_S, durations
        tracer = tracers.made[-1]
        flushed: list[bool] = []
        took = duration(lambda: flushed.append(tracer.flush(timeout_millis=FLUSH_DEADLINE_MS)))
        assert took < FLUSH_SLACK_S
        assert isinstance(flushed[0], bool)


def test_unreachable_backend_never_blocks_user_calls(closed_url: str, tracers: Tracers) -> None:
    durations = user_workload(tracers, closed_url)
    assert max(durations) < RETURNS_AT_ONCE_S, durations
    tracer = tracers.made[-1]
    assert duration(lambda: tracer.flush(timeout_millis=FLUSH_DEADLINE_MS)) < FLUSH_SLACK_S
    assert duration(lambda: tracer.shutdown(timeout_millis=FLUSH_DEADLINE_MS)) < FLUSH_SLACK_S


def one_session(tracer: HoneyHiveTracer) -> None:
    """A short session in a `with` block, whose exit ends it and waits for what it queued."""
    with tracer:
        with tracer.trace("step"):
            pass
        tracer.enrich_session(metadata={"step": 1})


def test_with_exit_does_not_wait_on_a_backend_found_failing_meanwhile(
    loopback: LoopbackServer, closed_url: str, tracers: Tracers
) -> None:
    # The first session of each destination: nothing had failed yet when its block began.
    with loopback.faults(status=503):
        for url in (closed_url, loopback.url):
            tracer = tracers.on_wire(loopback, server_url=url)
            assert duration(partial(one_session, tracer)) < RETURNS_AT_ONCE_S, url


def test_5xx_is_retried_and_the_start_still_precedes_enrichments(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    with loopback.faults(fail_next=1, fail_status=503, paths=frozenset({SESSION_START_PATH})):
        tracer = tracers.on_wire(loopback)
        tracer.enrich_session(metadata={"after": "retry"})
        assert loopback.wait_for(lambda server: len(server.enrichments()) == 1)
    starts = loopback.session_starts()
    assert [r.status for r in starts] == [503, 200]
    assert {r.json()["session"]["session_id"] for r in starts} == {tracer.session_id}
    [put] = loopback.enrichments()
    assert put.seq > starts[1].seq


def test_4xx_is_not_retried_and_the_drop_is_logged(
    loopback: LoopbackServer, tracers: Tracers, all_logs: LogCapture
) -> None:
    with loopback.faults(status=400, paths=frozenset({EVENTS_PATH})):
        tracer = tracers.on_wire(loopback)
        tracer.enrich_session(metadata={"rejected": True})
        tracer.shutdown(wait=True)
    assert len(loopback.enrichments()) == 1
    assert drop_warnings(all_logs)
    # Counted too (`stats` is the SDK's own addition to the agreed API).
    assert tracer.stats.events_dropped == 1


def test_overflowing_queue_drops_are_logged_and_calls_stay_fast(
    loopback: LoopbackServer, tracers: Tracers, all_logs: LogCapture
) -> None:
    with loopback.faults(delay_s=SERVER_STALL_S):
        tracer = tracers.on_wire(loopback)
        # Far more than any sane bound on queued requests, while the worker is stuck.
        slowest = max(
            duration(partial(tracer.enrich_session, metadata={"i": i})) for i in range(30_000)
        )
        assert slowest < RETURNS_AT_ONCE_S
        assert drop_warnings(all_logs)
        assert tracer.stats.events_dropped > 0
        # With the worker stuck, a waiting shutdown gives up at its deadline (an SDK addition to
        # 1.7's `shutdown()`), and says what it dropped.
        all_logs.records.clear()
        took = duration(lambda: tracer.shutdown(timeout_millis=FLUSH_DEADLINE_MS, wait=True))
        assert took < FLUSH_SLACK_S
        assert drop_warnings(all_logs)


def test_shutdown_with_wait_delivers_what_is_queued(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    tracer = tracers.on_wire(loopback)  # batched spans

    @trace(tracer=tracer)
    def queued() -> None:
        pass

    for _ in range(3):
        queued()
    tracer.enrich_session(metadata={"last": True})
    tracer.shutdown(wait=True)
    assert [span.session_id for span in loopback.spans()] == [tracer.session_id] * 3
    assert [r.json()["event_id"] for r in loopback.enrichments()] == [tracer.session_id]
    assert len(loopback.session_starts()) == 1


EXIT_WITHOUT_FLUSH_SCRIPT = """
from honeyhive import HoneyHiveTracer, trace
tracer = HoneyHiveTracer.init(project="exit-project")

@trace(tracer=tracer)
def last_words():
    return "bye"

last_words()
tracer.enrich_session(metadata={"exiting": True})
print(tracer.session_id)
"""


def test_interpreter_exit_delivers_what_is_queued(loopback: LoopbackServer) -> None:
    result = run_python(
        EXIT_WITHOUT_FLUSH_SCRIPT, env={"HH_API_KEY": API_KEY, "HH_API_URL": loopback.url}
    )
    assert result.returncode == 0, result.stderr
    session_id = result.stdout.strip()
    assert [r.json()["session"]["session_id"] for r in loopback.session_starts()] == [session_id]
    assert [r.json()["event_id"] for r in loopback.enrichments()] == [session_id]
    assert [(s.name, s.session_id) for s in loopback.spans()] == [("last_words", session_id)]


def test_interpreter_exit_with_an_unreachable_backend_ends(closed_url: str) -> None:
    # Exit flushes with a deadline: a dead backend may cost that deadline, never a hang.
    result = run_python(
        EXIT_WITHOUT_FLUSH_SCRIPT, env={"HH_API_KEY": API_KEY, "HH_API_URL": closed_url}
    )
    assert result.returncode == 0, result.stderr
    assert API_KEY not in result.stderr
