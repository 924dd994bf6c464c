"""The loopback backend itself, checked with plain OpenTelemetry and requests (no HoneyHive code).

If these fail, a failing wire test says nothing about the SDK."""

from __future__ import annotations

import requests
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

from .loopback import OTLP_TRACES_PATH, SESSION_START_PATH, LoopbackServer


def test_decodes_otlp_protobuf_spans_and_headers(loopback: LoopbackServer) -> None:
    exporter = OTLPSpanExporter(
        endpoint=loopback.url + OTLP_TRACES_PATH, headers={"Authorization": "Bearer k"}
    )
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("t")
    with (
        tracer.start_as_current_span("outer", attributes={"a": 1, "b": "x"}),
        tracer.start_as_current_span("inner") as inner,
    ):
        inner.set_attribute("list", [1, 2])
    provider.shutdown()

    spans = {span.name: span for span in loopback.spans()}
    assert set(spans) == {"outer", "inner"}
    assert spans["outer"].attributes == {"a": 1, "b": "x"}
    assert spans["inner"].attributes == {"list": (1, 2)}
    assert spans["inner"].parent_span_id == spans["outer"].span_id
    assert all(r.headers["authorization"] == "Bearer k" for r in loopback.otlp_requests())


def test_records_rest_calls_and_injects_faults(loopback: LoopbackServer) -> None:
    with requests.Session() as http:
        ok = http.post(loopback.url + SESSION_START_PATH, json={"session": {"project": "p"}})
        with loopback.faults(fail_next=1, fail_status=503):
            failed = http.put(loopback.url + "/events", json={"event_id": "e"})
            recovered = http.put(loopback.url + "/events", json={"event_id": "e"})
        with loopback.faults(status=500, paths=frozenset({"/events"})):
            spared = http.post(loopback.url + SESSION_START_PATH, json={})
    assert [ok.status_code, failed.status_code, recovered.status_code] == [200, 503, 200]
    assert spared.status_code == 200
    assert loopback.session_starts()[0].json() == {"session": {"project": "p"}}
    assert [r.status for r in loopback.enrichments()] == [503, 200]
    assert loopback.wait_for(lambda server: len(server.requests) == 4, timeout_s=1)
