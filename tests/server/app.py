"""The application the server tests and ``benchmarks/bench_server.py`` run under uvicorn.

A FastAPI chat service written as the README tells users to: one ``with HoneyHiveTracer.init(
session_id=...)`` per request, traced steps, an OpenAI client instrumented by OpenTelemetry's own
OpenAI instrumentation, FastAPI instrumented by ``opentelemetry-instrumentation-fastapi``.

Configured by environment variables (the app passes ``api_key=``/``server_url=`` itself, as an
application that does not use ``HH_*`` would):

- ``APP_HONEYHIVE_URL``, ``APP_HONEYHIVE_KEY``: the HoneyHive backend (a loopback fake in tests);
- ``APP_OPENAI_URL``: the OpenAI backend (a loopback fake);
- ``APP_TRACED``: ``1`` (default) with HoneyHive and OpenTelemetry; ``0`` the same app without
  either (the benchmark's baseline); ``otel`` OpenTelemetry's instrumentation exporting to the
  same backend with the plain OpenTelemetry SDK (batch processor, OTLP), without HoneyHive;
- ``APP_LIFESPAN_SHUTDOWN``: ``1`` to call ``honeyhive.ashutdown()`` in the lifespan's shutdown;
- ``APP_GC_FREEZE``: ``1`` to call ``gc.freeze()`` once started (docs/servers.md discusses it).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import contextvars
import dataclasses
import gc
import os
import statistics
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, TypeVar

import anyio.to_thread
import openai
from fastapi import FastAPI
from pydantic import BaseModel

import honeyhive
from honeyhive import HoneyHiveTracer
from tests.server.sdk_log import show_sdk_log_lines

MODE = os.environ.get("APP_TRACED", "1")
TRACED = MODE == "1"
INSTRUMENTED = MODE in ("1", "otel")
HONEYHIVE_URL = os.environ.get("APP_HONEYHIVE_URL", "http://127.0.0.1:9")
HONEYHIVE_KEY = os.environ.get("APP_HONEYHIVE_KEY", "app-key")
OPENAI_URL = os.environ.get("APP_OPENAI_URL", "http://127.0.0.1:9")
LIFESPAN_SHUTDOWN = os.environ.get("APP_LIFESPAN_SHUTDOWN") == "1"
GC_FREEZE = os.environ.get("APP_GC_FREEZE") == "1"
MODEL = "gpt-loopback"
LAG_PROBE_S = 0.005

show_sdk_log_lines()

_F = TypeVar("_F", bound=Callable[..., Any])

if INSTRUMENTED:
    from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor

    OpenAIInstrumentor().instrument()  # type: ignore[no-untyped-call]

if MODE == "otel":
    from opentelemetry import trace as otel_trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    _provider = TracerProvider()
    _provider.add_span_processor(
        BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{HONEYHIVE_URL}/opentelemetry/v1/traces"))
    )
    otel_trace.set_tracer_provider(_provider)


def trace(func: _F) -> _F:
    """``honeyhive.trace``; the untraced app runs the function as it is."""
    return honeyhive.trace(func) if TRACED else func


def enrich_span(**fields: Any) -> bool:
    return honeyhive.enrich_span(**fields) if TRACED else False


class _Untraced:
    """What the untraced app uses where the traced one has a tracer."""

    def __enter__(self) -> _Untraced:
        return self

    def __exit__(self, *_: object) -> None:
        pass

    def enrich_session(self, **_: Any) -> None:
        pass


def session(session_id: str) -> Any:
    if not TRACED:
        return _Untraced()
    return HoneyHiveTracer.init(
        api_key=HONEYHIVE_KEY,
        server_url=HONEYHIVE_URL,
        project="server-app",
        session_id=session_id,
        session_name="chat",
    )


class Question(BaseModel):
    question: str


class LoopLag:
    """How late the event loop wakes a task that sleeps ``LAG_PROBE_S``: blocking shows here."""

    def __init__(self) -> None:
        self.samples: list[float] = []

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            await asyncio.sleep(LAG_PROBE_S)
            self.samples.append(max(0.0, loop.time() - started - LAG_PROBE_S))

    def summary(self) -> dict[str, float]:
        if len(self.samples) < 2:
            return {"count": len(self.samples), "p50": 0.0, "p99": 0.0, "max": 0.0}
        cuts = statistics.quantiles(self.samples, n=100)
        return {
            "count": len(self.samples),
            "p50": cuts[49],
            "p99": cuts[98],
            "max": max(self.samples),
        }


class InFlight:
    """How many chat requests were being handled at once, at most."""

    def __init__(self) -> None:
        self.now = 0
        self.most = 0
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def request(self) -> Iterator[None]:
        with self._lock:
            self.now += 1
            self.most = max(self.most, self.now)
        try:
            yield
        finally:
            with self._lock:
                self.now -= 1


lag = LoopLag()
in_flight = InFlight()
async_openai = openai.AsyncOpenAI(base_url=f"{OPENAI_URL}/v1", api_key="sk-loopback", max_retries=0)
sync_openai = openai.OpenAI(base_url=f"{OPENAI_URL}/v1", api_key="sk-loopback", max_retries=0)
step_pool = concurrent.futures.ThreadPoolExecutor(max_workers=32, thread_name_prefix="app-step")


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Sync endpoints run on anyio's thread pool, 40 threads by default: room for more at once.
    anyio.to_thread.current_default_thread_limiter().total_tokens = 200
    if GC_FREEZE:
        # What is loaded by now lives as long as the process: full collections skip it.
        gc.freeze()
    probe = asyncio.create_task(lag.run())
    yield
    probe.cancel()
    if TRACED and LIFESPAN_SHUTDOWN:
        await honeyhive.ashutdown()


app = FastAPI(lifespan=lifespan)

if INSTRUMENTED:
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(app)


@trace
async def ask(question: str) -> str:
    reply = await async_openai.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": question}]
    )
    return reply.choices[0].message.content or ""


@trace
async def answer(question: str) -> str:
    # The asyncio variant: two model calls at once, each in its own task.
    first, second = await asyncio.gather(ask(question), ask(f"{question}?"))
    enrich_span(metadata={"answers": 2})
    return f"{first} {second}"


@trace
def ask_sync(question: str) -> str:
    reply = sync_openai.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": question}]
    )
    return reply.choices[0].message.content or ""


@trace
def normalise(question: str) -> str:
    return question.strip()


@app.get("/health")
async def health() -> dict[str, bool]:
    return {"ok": True}


@app.post("/chat/{session_id}")
async def chat(session_id: str, body: Question) -> dict[str, str]:
    with in_flight.request(), session(session_id) as tracer:
        text = await answer(body.question)
        tracer.enrich_session(metadata={"route": "chat"}, outputs={"answer": text})
    return {"answer": text, "session_id": session_id}


@app.post("/chat-sync/{session_id}")
def chat_sync(session_id: str, body: Question) -> dict[str, str]:
    # The thread-pool variant: FastAPI runs this in its thread pool (with the request's
    # context), and one step runs on a pool of the app's own, with the context copied.
    with in_flight.request(), session(session_id) as tracer:
        question = step_pool.submit(contextvars.copy_context().run, normalise, body.question)
        text = ask_sync(question.result())
        tracer.enrich_session(metadata={"route": "chat-sync"}, outputs={"answer": text})
    return {"answer": text, "session_id": session_id}


@app.post("/orphan-step/{session_id}")
async def orphan_step(session_id: str, body: Question) -> dict[str, str]:
    # A step run on a thread pool without the request's context (and without tracer=).
    with in_flight.request(), session(session_id):
        loop = asyncio.get_running_loop()
        text = await loop.run_in_executor(step_pool, normalise, body.question)
    return {"answer": text, "session_id": session_id}


@app.post("/feedback/{session_id}")
async def feedback(session_id: str, body: dict[str, Any]) -> dict[str, bool]:
    # Feedback that arrives later, by session id, with no tracer in sight.
    if TRACED:
        honeyhive.enrich_session(session_id, feedback=body)
    return {"queued": True}


@app.get("/stats")
async def stats(reset: bool = False) -> dict[str, Any]:
    """Delivery figures once what is queued is delivered, the event loop's lag, and the most
    requests handled at once (``reset``: start counting afresh after this answer)."""
    figures: dict[str, Any] = {"lag": lag.summary(), "most_in_flight": in_flight.most}
    if reset:
        in_flight.most = 0
        lag.samples.clear()
    if TRACED:
        figures["flushed"] = await honeyhive.aflush(timeout_millis=20_000)
        figures["delivery"] = dataclasses.asdict(honeyhive.delivery_stats())
    return figures


@app.get("/exit-cost")
def exit_cost(count: int = 2000) -> dict[str, float]:
    """Microseconds per ``with`` exit of a fresh tracer whose session start is queued, measured
    here, against whatever the backend is doing."""
    if not TRACED:
        return {}
    durations: list[float] = []
    for _ in range(count):
        tracer = HoneyHiveTracer.init(
            api_key=HONEYHIVE_KEY, server_url=HONEYHIVE_URL, project="server-app"
        )
        tracer.__enter__()
        tracer.enrich_session(metadata={"queued": True})
        started = time.perf_counter()
        tracer.__exit__(None, None, None)
        durations.append(time.perf_counter() - started)
    cuts = statistics.quantiles(durations, n=100)
    return {"p50_us": cuts[49] * 1e6, "p99_us": cuts[98] * 1e6, "max_us": max(durations) * 1e6}
