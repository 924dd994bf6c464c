"""The SDK in the deployment users run most: FastAPI under uvicorn, many requests in flight.

A real uvicorn process on a socket of 127.0.0.1 runs ``tests/server/app.py``: one
``with HoneyHiveTracer.init(session_id=...)`` per request, FastAPI instrumented by
``opentelemetry-instrumentation-fastapi``, an OpenAI client instrumented by OpenTelemetry's OpenAI
instrumentation, talking to a loopback OpenAI; the SDK sends to a loopback HoneyHive backend. Every
request carries its own session id (in its path) and its own trace id (``traceparent``), so each
span that arrives can be checked against the request it came from.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.sdk.loopback import LoopbackServer, ReceivedSpan

from .client import get_json, post_json, send_all
from .fake_openai import FakeOpenAI
from .processes import ServerProcess, uvicorn

IN_FLIGHT = 100  # requests started at once; the model's latency keeps them all in flight
MODEL_LATENCY_S = 0.3


@dataclass
class Deployment:
    honeyhive: LoopbackServer
    openai: FakeOpenAI
    server: ServerProcess

    def delivery(self) -> dict[str, Any]:
        """The app's figures once everything it queued is delivered (``aflush`` inside)."""
        stats = get_json(self.server.url, "/stats", reset=True)
        assert stats["flushed"] is True
        figures: dict[str, Any] = stats["delivery"]
        figures["most_in_flight"] = stats["most_in_flight"]
        return figures


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    honeyhive, openai = LoopbackServer(), FakeOpenAI(delay_s=MODEL_LATENCY_S)
    server = uvicorn(
        {
            "APP_HONEYHIVE_URL": honeyhive.url,
            "APP_HONEYHIVE_KEY": "server-test-key",
            "APP_OPENAI_URL": openai.url,
        }
    )
    # The first tracer installs HoneyHive's OpenTelemetry provider: before it, FastAPI's spans
    # are OpenTelemetry's no-ops. One request first, as any server has had one before the load.
    send_all(server.url, "chat", 1)
    yield Deployment(honeyhive, openai, server)
    server.stop()
    honeyhive.stop()
    openai.stop()


def spans_by_trace(spans: list[ReceivedSpan]) -> dict[str, list[ReceivedSpan]]:
    grouped: dict[str, list[ReceivedSpan]] = defaultdict(list)
    for span in spans:
        grouped[span.trace_id].append(span)
    return grouped


def shape(spans: list[ReceivedSpan]) -> Counter[str]:
    """What a request's trace consists of: its span names, each with its count."""
    return Counter(span.name for span in spans)


@pytest.mark.parametrize(
    ("route", "own_spans"),
    [
        # asyncio: an async endpoint gathers two traced model calls in their own tasks
        ("chat", {"answer": 1, "ask": 2, "chat gpt-loopback": 2}),
        # thread pool: a sync endpoint (FastAPI's pool) with a step on the app's own pool
        ("chat-sync", {"ask_sync": 1, "normalise": 1, "chat gpt-loopback": 1}),
    ],
)
def test_every_span_lands_in_its_own_requests_session(
    deployment: Deployment, route: str, own_spans: dict[str, int]
) -> None:
    before = len(deployment.honeyhive.requests)
    sent = send_all(deployment.server.url, route, IN_FLIGHT)
    figures = deployment.delivery()
    arrived = [span for r in deployment.honeyhive.requests[before:] for span in r.spans]
    starts = [r.json()["session"] for r in deployment.honeyhive.session_starts()]

    assert [s.status for s in sent] == [200] * IN_FLIGHT
    assert all(s.answer["answer"].startswith("HELLO") for s in sent)
    assert figures["most_in_flight"] >= 50

    by_trace = spans_by_trace(arrived)
    misfiled = [
        (span.name, span.session_id, s.session_id)
        for s in sent
        for span in by_trace[s.trace_id]
        if span.session_id != s.session_id
    ]
    assert misfiled == [], "spans in a wrong session (or in none)"

    # Nothing lost: every request's trace is complete, framework spans included.
    server_span = f"POST /{route}/{{session_id}}"
    expected = Counter(
        {server_span: 1, f"{server_span} http receive": 1, f"{server_span} http send": 2}
    )
    expected.update(own_spans)
    for s in sent:
        assert shape(by_trace[s.trace_id]) == expected
    assert (figures["spans_dropped"], figures["events_dropped"]) == (0, 0)

    # Every request's session exists once, with its start before its enrichment.
    started = Counter(start["session_id"] for start in starts)
    assert all(started[s.session_id] == 1 for s in sent)
    enriched = {r.json()["event_id"] for r in deployment.honeyhive.enrichments()}
    assert {s.session_id for s in sent} <= enriched


def test_late_feedback_by_session_id_lands_when_no_tracer_is_live(
    deployment: Deployment,
) -> None:
    sent = send_all(deployment.server.url, "chat", 20)
    deployment.delivery()  # every request has ended: no tracer is live in the app now
    for rating, s in enumerate(sent):
        post_json(deployment.server.url, f"/feedback/{s.session_id}", {"rating": rating})
    figures = deployment.delivery()
    feedback = {
        r.json()["event_id"]: r.json().get("feedback")
        for r in deployment.honeyhive.enrichments()
        if "feedback" in r.json()
    }
    assert {s.session_id: feedback.get(s.session_id) for s in sent} == {
        s.session_id: {"rating": rating} for rating, s in enumerate(sent)
    }
    assert figures["events_unrouted"] == 0


def test_a_step_run_without_the_requests_context_is_never_misfiled(
    deployment: Deployment,
) -> None:
    # `loop.run_in_executor` does not carry contextvars: the step knows no tracer and no trace.
    # With many requests in flight, its span belongs to none of them: not sent, counted.
    unrouted_before = deployment.delivery()["spans_unrouted"]
    before = len(deployment.honeyhive.requests)
    sent = send_all(deployment.server.url, "orphan-step", 60)
    figures = deployment.delivery()
    arrived = [span for r in deployment.honeyhive.requests[before:] for span in r.spans]
    assert [s.status for s in sent] == [200] * 60
    assert [span for span in arrived if span.name == "normalise"] == []
    assert figures["spans_unrouted"] - unrouted_before >= 60
    sessions = {s.trace_id: s.session_id for s in sent}
    assert [span for span in arrived if span.session_id != sessions.get(span.trace_id)] == []
