"""Delivery when the process is told to stop: SIGTERM, and servers that re-raise it.

Python runs ``atexit`` (where every pipeline delivers what it holds) only on a normal exit; a
process ended by SIGTERM's default action just dies. So, when the first tracer is created in the
main thread:

- if SIGTERM has its default action (neither the application nor its server handles it), the SDK
  installs a handler that delivers what is queued (at most ``EXIT_FLUSH_TIMEOUT_S``, as at exit),
  then restores the default action and re-raises the signal: the process ends as it would have;
- if the handler is uvicorn's (uvicorn shuts down gracefully, then restores the previous action and
  re-raises SIGTERM from inside its event loop, so ``atexit`` never runs), the SDK wraps it:
  uvicorn's handler runs first, unchanged; SIGTERM is then held (blocked in the main thread), so
  that uvicorn's re-raise waits until the loop has ended; there, after the last request, the SDK
  delivers and releases it, and the process ends by SIGTERM as uvicorn meant;
- any other handler belongs to the application and is left alone: call ``honeyhive.shutdown()``
  from its shutdown hook (gunicorn's ``worker_exit``, a FastAPI lifespan).

``HH_HANDLE_SIGTERM=false`` turns this off. What cannot be delivered is counted and logged.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import AsyncIterator, Callable
from types import FrameType
from typing import TYPE_CHECKING, Any, Final

from honeyhive.tracer import pipeline as pipelines
from honeyhive.tracer.config import env_flag
from honeyhive.tracer.stats import process_stats
from honeyhive.tracer.waiting import timeout_seconds

if TYPE_CHECKING:
    import asyncio

logger: Final = logging.getLogger("honeyhive")

ENV_HANDLE_SIGTERM: Final = "HH_HANDLE_SIGTERM"
SignalHandler = Callable[[int, FrameType | None], Any]


class _State:
    decided = False
    # The async generator that delivers at the end of uvicorn's loop, kept alive until then.
    loop_end_hook: AsyncIterator[None] | None = None


def watch_sigterm() -> None:
    """Decide once, from the main thread, how SIGTERM will deliver what is queued."""
    if _State.decided or threading.current_thread() is not threading.main_thread():
        return
    enabled = env_flag(ENV_HANDLE_SIGTERM)  # a ValueError naming the variable if malformed
    _State.decided = True
    if enabled is False:
        return
    current = signal.getsignal(signal.SIGTERM)
    if current is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _deliver_then_die)
    elif callable(current) and _is_uvicorns(current) and hasattr(signal, "pthread_sigmask"):
        signal.signal(signal.SIGTERM, _around_uvicorn(current))
    else:
        logger.debug("HoneyHive: SIGTERM has the application's own handler; left alone")


def deliver_before_exit(reason: str, timeout_s: float = pipelines.EXIT_FLUSH_TIMEOUT_S) -> bool:
    """Close every pipeline, delivering what is queued until the deadline; say what this process
    never delivered. Returns whether everything was delivered."""
    closing = pipelines.all_pipelines()
    if not closing:  # nothing was ever traced, or a shutdown hook already delivered it all
        logger.debug("HoneyHive: %s: nothing to deliver", reason)
        return True
    counters = [pipeline.counters for pipeline in closing]
    before = process_stats(counters)
    left_nothing = pipelines.close_all(timeout_s)
    after = process_stats(counters)
    if left_nothing and after.spans_dropped == 0 and after.events_dropped == 0:
        logger.info("HoneyHive: %s: delivered everything queued", reason)
        return True
    logger.warning(
        "HoneyHive: %s: %d span(s) and %d session event(s) were never delivered by this process "
        "(%d and %d of them at shutdown); see delivery_stats() and the lines above",
        reason,
        after.spans_dropped,
        after.events_dropped,
        after.spans_dropped - before.spans_dropped,
        after.events_dropped - before.events_dropped,
    )
    return False


def _deliver_then_die(signum: int, frame: FrameType | None) -> None:
    # Delivered from another thread: this handler may have interrupted the main thread while
    # it held one of the SDK's locks, which the delivery needs; the join bounds any such wait.
    worker = threading.Thread(
        target=deliver_before_exit, args=("SIGTERM",), name="honeyhive-exit", daemon=True
    )
    worker.start()
    worker.join(pipelines.EXIT_FLUSH_TIMEOUT_S + 1.0)
    signal.signal(signum, signal.SIG_DFL)
    signal.raise_signal(signum)


def _is_uvicorns(handler: object) -> bool:
    owner = getattr(handler, "__self__", None)
    return getattr(handler, "__name__", "") == "handle_exit" and type(owner).__module__.startswith(
        "uvicorn."
    )


def _around_uvicorn(server_handler: SignalHandler) -> SignalHandler:
    def handle(signum: int, frame: FrameType | None) -> None:
        server_handler(signum, frame)
        if _deliver_when_loop_ends():
            # uvicorn re-raises the signal once it has shut down, still inside its loop: held
            # until the loop has ended and the SDK has delivered (see _at_loop_end).
            signal.pthread_sigmask(signal.SIG_BLOCK, {signum})

    return handle


def _deliver_when_loop_ends() -> bool:
    """Arm delivery for the end of the running loop (after uvicorn's graceful shutdown); whether
    it is armed."""
    import asyncio  # noqa: PLC0415  (uvicorn has loaded it; nothing else here needs it)

    if _State.loop_end_hook is not None:
        return True
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no loop in this thread after all: deliver now, as well as we can
        deliver_before_exit("SIGTERM")
        return False
    hook = _at_loop_end()
    _State.loop_end_hook = hook
    loop.call_soon_threadsafe(_start, loop, hook)
    return True


def _start(loop: asyncio.AbstractEventLoop, hook: AsyncIterator[None]) -> None:
    # Iterating it once in the loop registers it: the loop closes it when it shuts down
    # (asyncio.run's shutdown_asyncgens), which runs its `finally`.
    async def first_step() -> None:
        await anext(hook)

    loop.create_task(first_step())


async def _at_loop_end() -> AsyncIterator[None]:
    try:
        yield
    finally:
        try:
            deliver_before_exit("SIGTERM (after uvicorn's shutdown)")
        finally:
            # The held SIGTERM, if uvicorn re-raised it, now ends the process as it meant to.
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})


def shutdown(timeout_millis: float = pipelines.EXIT_FLUSH_TIMEOUT_S * 1000) -> bool:
    """Deliver everything every tracer queued, then close all pipelines: for a server's shutdown
    hook (gunicorn's ``worker_exit``). Waits at most ``timeout_millis``; what could not be
    delivered is counted and logged. Returns whether everything was delivered. Tracers created
    afterwards start afresh."""
    return deliver_before_exit("shutdown", timeout_seconds(timeout_millis))


async def ashutdown(timeout_millis: float = pipelines.EXIT_FLUSH_TIMEOUT_S * 1000) -> bool:
    """:func:`shutdown` for an ASGI lifespan: the event loop keeps running while it waits."""
    import asyncio  # noqa: PLC0415  (only async callers pay for it)

    timeout_s = timeout_seconds(timeout_millis)
    return await asyncio.to_thread(deliver_before_exit, "shutdown", timeout_s)
