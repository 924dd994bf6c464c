"""What reaches the backend: the session start, spans, enrichments, their headers and order."""

from __future__ import annotations

import json
from typing import NoReturn

import requests
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from honeyhive import HoneyHiveTracer, enrich_session, flush, trace

from .helpers import API_KEY, PROJECT, Tracers, only_span, run_python, session_of
from .loopback import OTLP_TRACES_PATH, LoopbackServer, sdk_side_threads


def test_session_start_carries_the_17_body_and_headers(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    tracer = tracers.on_wire(
        loopback,
        session_name="checkout-flow",
        source="staging",
        session_id="3F0C6A52-1B7E-4C1E-9A53-5D2F0F8F2A11",
        inputs={"question": "where is my order?"},
        metadata={"tenant": "acme"},
    )
    tracer.shutdown(wait=True)
    [start] = loopback.session_starts()
    assert start.headers["authorization"] == f"Bearer {API_KEY}"
    assert start.headers["content-type"].startswith("application/json")
    session = start.json()["session"]
    assert session["project"] == PROJECT
    assert session["session_name"] == "checkout-flow"
    assert session["source"] == "staging"
    assert session["session_id"] == "3f0c6a52-1b7e-4c1e-9a53-5d2f0f8f2a11"
    assert session["inputs"] == {"question": "where is my order?"}
    assert session["metadata"] == {"tenant": "acme"}


def test_default_session_name_is_the_callers_file_name(loopback: LoopbackServer) -> None:
    tracer = HoneyHiveTracer.init(api_key=API_KEY, project=PROJECT, server_url=loopback.url)
    tracer.shutdown(wait=True)
    [start] = loopback.session_starts()
    assert start.json()["session"]["session_name"] in {"test_wire", "test_wire.py"}


def test_spans_arrive_as_otlp_protobuf_with_the_session(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    tracer = tracers.on_wire(loopback, source="staging")

    @trace(tracer=tracer, event_type="tool")
    def lookup(order: str) -> str:
        return order.upper()

    @trace(tracer=tracer, event_type="chain", event_name="answer")
    def answer() -> str:
        return lookup("a-1")

    assert answer() == "A-1"
    assert tracer.flush(timeout_millis=10_000) is True

    requests = loopback.otlp_requests()
    assert requests
    for request in requests:
        assert request.method == "POST"
        assert request.path == OTLP_TRACES_PATH
        assert request.headers["content-type"] == "application/x-protobuf"
        assert request.headers["authorization"] == f"Bearer {API_KEY}"
        assert request.headers["x-source"] == "staging"
    spans = {span.name: span for span in loopback.spans()}
    outer, inner = spans["answer"], spans[lookup.__qualname__]
    for span in (outer, inner):
        assert span.session_id == tracer.session_id
        assert span.attributes["honeyhive.project"] == PROJECT
        assert span.attributes["honeyhive.source"] == "staging"
    assert outer.attributes["honeyhive_event_type"] == "chain"
    assert outer.attributes["honeyhive_event_name"] == "answer"
    assert inner.attributes["honeyhive_inputs.order"] == "a-1"
    assert inner.attributes["honeyhive_outputs.result"] == "A-1"
    assert inner.parent_span_id == outer.span_id
    assert inner.trace_id == outer.trace_id


def test_enrich_session_puts_events_after_the_session_start(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    tracer = tracers.on_wire(loopback)
    tracer.enrich_session(
        metadata={"stage": "final"},
        outputs={"answer": "42"},
        config={"temperature": 0.1},
        feedback={"rating": 5},
        metrics={"cost": 0.02},
        user_properties={"plan": "pro"},
    )
    tracer.shutdown(wait=True)
    [start] = loopback.session_starts()
    [put] = loopback.enrichments()
    assert start.seq < put.seq
    assert put.headers["authorization"] == f"Bearer {API_KEY}"
    body = put.json()
    assert body["event_id"] == tracer.session_id
    assert body["metadata"]["stage"] == "final"
    assert body["outputs"] == {"answer": "42"}
    assert body["config"] == {"temperature": 0.1}
    assert body["feedback"] == {"rating": 5}
    assert body["metrics"] == {"cost": 0.02}
    assert body["user_properties"] == {"plan": "pro"}


def test_rest_calls_are_in_order_per_session(loopback: LoopbackServer, tracers: Tracers) -> None:
    sessions = [tracers.on_wire(loopback) for _ in range(20)]
    for step in range(3):
        for tracer in sessions:
            tracer.enrich_session(metadata={"step": step})
    tracers.shutdown_all()
    for tracer in sessions:
        calls = [
            ("start", r.seq)
            for r in loopback.session_starts()
            if r.json()["session"]["session_id"] == tracer.session_id
        ] + [
            (f"step {r.json()['metadata']['step']}", r.seq)
            for r in loopback.enrichments()
            if r.json()["event_id"] == tracer.session_id
        ]
        in_arrival_order = [name for name, _ in sorted(calls, key=lambda call: call[1])]
        assert in_arrival_order == ["start", "step 0", "step 1", "step 2"]


def test_exporter_replaces_only_the_span_exporter(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    exporter = InMemorySpanExporter()
    tracer = tracers.on_wire(loopback, exporter=exporter, disable_batch=True)

    @trace(tracer=tracer)
    def exported_in_memory() -> None:
        pass

    exported_in_memory()
    tracer.shutdown(wait=True)
    assert session_of(only_span(exporter, exported_in_memory.__qualname__)) == tracer.session_id
    assert loopback.otlp_requests() == []
    assert [r.json()["session"]["session_id"] for r in loopback.session_starts()] == [
        tracer.session_id
    ]


def test_tracers_of_one_destination_share_threads_and_connections(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    def use(tracer_index: int) -> None:
        tracer = tracers.made[tracer_index]

        @trace(tracer=tracer)
        def shared() -> None:
            pass

        shared()
        tracer.enrich_session(metadata={"i": tracer_index})
        assert tracer.flush(timeout_millis=10_000) is True

    tracers.on_wire(loopback)
    use(0)  # the destination exists, and any lazily started worker runs
    threads_with_one = {thread.ident for thread in sdk_side_threads()}
    for index in range(1, 20):
        tracers.on_wire(loopback)
        use(index)
    threads_with_twenty = {thread.ident for thread in sdk_side_threads()}
    assert threads_with_twenty <= threads_with_one
    tracers.shutdown_all()

    arrived = {span.session_id for span in loopback.spans() if span.name.endswith("shared")}
    assert len(arrived) == 20
    assert len(loopback.session_starts()) == 20
    # One connection pool per destination: not one connection per tracer.
    assert len({request.client_port for request in loopback.requests}) <= 5


def test_free_enrich_session_with_a_shut_down_tracer_reaches_its_destination(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    # Feedback that arrives after the request: `tracer=` only names credentials and destination,
    # whether the tracer was ended by `with`, by garbage collection or by shutdown().
    tracer = tracers.on_wire(loopback, source="staging")
    tracer.shutdown(wait=True)  # the destination's last live tracer: its pipeline closes
    enrich_session(tracer.session_id, feedback={"rating": 5}, tracer=tracer)
    assert flush(tracer=tracer, timeout_millis=10_000) is True
    [put] = loopback.enrichments()
    assert put.headers["authorization"] == f"Bearer {API_KEY}"
    assert put.json() == {"event_id": tracer.session_id, "feedback": {"rating": 5}}


def test_an_applications_requests_session_keeps_its_own_settings(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    # 1.7's requests_session= is how applications pass a CA bundle (proxies, on-premise
    # backends), and the application goes on using the session for itself.
    session = requests.Session()
    session.verify = "/etc/ssl/corporate-ca.pem"
    session.headers["User-Agent"] = "my-app/2.0"
    tracer = tracers.on_wire(loopback, requests_session=session)
    with tracer.trace("step"):
        pass
    tracer.enrich_session(metadata={"step": "done"})
    assert tracer.flush(timeout_millis=10_000) is True
    assert session.verify == "/etc/ssl/corporate-ca.pem"
    assert session.headers["User-Agent"] == "my-app/2.0"
    assert [span.name for span in loopback.spans()] == ["step"]
    assert len(loopback.session_starts()) == len(loopback.enrichments()) == 1


GLOBAL_FORCE_FLUSH_SCRIPT = """
import os
from opentelemetry import trace as otel_trace
from honeyhive import HoneyHiveTracer, trace
tracer = HoneyHiveTracer.init(project="serverless")

@trace(tracer=tracer)
def handler():
    with otel_trace.get_tracer("an.instrumentation").start_as_current_span("http.request"):
        pass

handler()
tracer.enrich_session(metadata={"invocation": 1})
flushed = otel_trace.get_tracer_provider().force_flush(10_000)
print(tracer.session_id, flushed, flush=True)
os._exit(0)  # as a frozen or killed serverless process: no exit flush
"""


def test_the_global_providers_force_flush_delivers_what_honeyhive_holds(
    loopback: LoopbackServer,
) -> None:
    # Serverless and task-queue instrumentations end each invocation with the global provider's
    # force_flush(): it must not answer True while the spans still wait in HoneyHive's queues.
    result = run_python(
        GLOBAL_FORCE_FLUSH_SCRIPT, env={"HH_API_KEY": API_KEY, "HH_API_URL": loopback.url}
    )
    assert result.returncode == 0, result.stderr
    session_id, flushed = result.stdout.split()
    assert flushed == "True"
    assert sorted((s.name, s.session_id) for s in loopback.spans()) == [
        ("handler", session_id),
        ("http.request", session_id),
    ]
    assert [r.json()["event_id"] for r in loopback.enrichments()] == [session_id]


def test_rest_bodies_are_standard_json(loopback: LoopbackServer, tracers: Tracers) -> None:
    # Python writes NaN and Infinity into JSON by default; a standard parser (the backend's)
    # rejects the whole request, so one NaN metric used to lose the whole enrichment.
    def not_json(constant: str) -> NoReturn:
        raise AssertionError(f"{constant} is not JSON")

    tracer = tracers.on_wire(loopback, inputs={"budget": float("inf")})
    tracer.enrich_session(metrics={"score": float("nan"), "hits": 3})
    assert tracer.flush(timeout_millis=10_000) is True
    start, put = (json.loads(r.body, parse_constant=not_json) for r in loopback.rest_calls())
    assert start["session"]["inputs"] == {"budget": None}
    assert put["metrics"] == {"score": None, "hits": 3}


def test_a_short_shutdown_deadline_still_delivers_to_a_healthy_backend(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    # Three batches' worth, and a deadline under a second: the worker must get most of it, not
    # only what is left after the exporter's grace for an interrupted export.
    tracer = tracers.on_wire(loopback)
    for index in range(1100):
        with tracer.trace(f"step-{index}"):
            pass
    tracer.shutdown(timeout_millis=490, wait=True)
    assert (len(loopback.spans()), tracer.stats.spans_dropped) == (1100, 0)
