"""Behaviour that needs a fresh interpreter: no tracer yet, the fallback tracer, the global
provider, fork, and interpreter exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from .conftest import HH_VARIABLES, Backend

REPO_ROOT = Path(__file__).resolve().parents[2]


def run_json(code: str, env: dict[str, str] | None = None) -> Any:
    clean = {k: v for k, v in os.environ.items() if k not in HH_VARIABLES}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**clean, **(env or {})},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    report["stderr"] = result.stderr
    return report


def test_without_any_tracer_nothing_breaks_and_one_line_is_logged() -> None:
    report = run_json(
        """
        import json, logging, uuid
        records = []
        class Keep(logging.Handler):
            def emit(self, record):
                records.append((record.levelno, record.getMessage()))
        logging.getLogger("honeyhive").addHandler(Keep())
        logging.getLogger("honeyhive").setLevel(logging.DEBUG)
        from honeyhive import enrich_session, enrich_span, flush, trace

        @trace
        def work(x):
            return enrich_span(metadata={"k": 1}), x

        results = [work(1), work(2)]
        enrich_session(str(uuid.uuid4()), metadata={"a": 1})
        print(json.dumps({"results": results, "flushed": flush(),
                          "warnings": [m for level, m in records if level >= logging.WARNING]}))
        """
    )
    assert report["results"] == [[False, 1], [False, 2]]
    assert report["flushed"] is True
    # One line for the traced calls (once per process); the by-id enrichment fails loudly.
    assert len(report["warnings"]) == 2
    assert "no HoneyHiveTracer exists" in report["warnings"][0]
    assert "honeyhive.enrich_session() sent nothing" in report["warnings"][1]


def test_code_outside_every_tracer_goes_only_to_a_sole_unscoped_tracer() -> None:
    report = run_json(
        """
        import json, logging, threading
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
        from honeyhive import HoneyHiveTracer, delivery_stats, trace
        warnings = []
        class Keep(logging.Handler):
            def emit(self, record):
                if record.levelno >= logging.WARNING:
                    warnings.append(record.getMessage())
        logging.getLogger("honeyhive").addHandler(Keep())
        exporter = InMemorySpanExporter()
        def new():
            return HoneyHiveTracer(test_mode=True, disable_batch=True, exporter=exporter)

        @trace
        def work(step):
            return step

        def in_a_thread(step):  # no context at all: no active tracer, no current span
            thread = threading.Thread(target=work, args=(step,))
            thread.start()
            thread.join()

        script = new()
        work("alone")                 # the only live tracer, not scoped: it gets the call
        library = script.provider.get_tracer("some.instrumentation")
        def instrumented():  # an instrumentation's span outside any context: the same
            library.start_span("library", attributes={"honeyhive_inputs.step": "lib"}).end()
        thread = threading.Thread(target=instrumented)
        thread.start()
        thread.join()
        other = new()
        work("two live")              # which one? neither: not traced, counted
        other.shutdown()
        in_a_thread("alone again")    # back to one: the fallback again
        with new() as scoped:         # scoped to its block...
            script.shutdown()
            in_a_thread("only scoped")  # ...so a thread outside it never falls back to it
            work("inside the block")
        sessions = {s.attributes["honeyhive_inputs.step"]: s.attributes["honeyhive.session_id"]
                    for s in exporter.get_finished_spans()}
        print(json.dumps({"sessions": sessions, "script": script.session_id,
                          "scoped": scoped.session_id,
                          "unrouted": delivery_stats().spans_unrouted, "warnings": warnings}))
        """
    )
    assert report["sessions"] == {
        "alone": report["script"],
        "lib": report["script"],
        "alone again": report["script"],
        "inside the block": report["scoped"],
    }
    assert report["unrouted"] == 2
    assert len(report["warnings"]) == 1  # rate-limited
    assert "belongs to no session" in report["warnings"][0]


ROUTER_SCRIPT = """
import json
from opentelemetry import trace as otel
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from honeyhive import HoneyHiveTracer, trace

a_spans, b_spans = InMemorySpanExporter(), InMemorySpanExporter()
a = HoneyHiveTracer(source="a", test_mode=True, disable_batch=True, exporter=a_spans)
b = HoneyHiveTracer(source="b", test_mode=True, disable_batch=True, exporter=b_spans)
library = otel.get_tracer("some.instrumentation")

@trace
def call():
    with library.start_as_current_span("library.call"):
        pass

with b:
    call()
with library.start_as_current_span("outside"):  # no active tracer: the default one (a)
    pass
print(json.dumps({
    "a": [(s.name, s.attributes.get("honeyhive.session_id")) for s in a_spans.get_finished_spans()],
    "b": [(s.name, s.attributes.get("honeyhive.session_id")) for s in b_spans.get_finished_spans()],
    "a_id": a.session_id, "b_id": b.session_id,
}))
"""


def test_instrumentation_spans_go_to_the_active_tracers_destination() -> None:
    report = run_json(ROUTER_SCRIPT)
    b_id, a_id = report["b_id"], report["a_id"]
    assert sorted(report["b"]) == [["call", b_id], ["library.call", b_id]]
    assert report["a"] == [["outside", a_id]]


def test_an_application_provider_is_never_replaced() -> None:
    report = run_json(
        """
        import json
        from opentelemetry import trace as otel
        from opentelemetry.sdk.trace import TracerProvider
        mine = TracerProvider()
        otel.set_tracer_provider(mine)
        from honeyhive import HoneyHiveTracer
        HoneyHiveTracer(test_mode=True)
        print(json.dumps({"kept": otel.get_tracer_provider() is mine}))
        """
    )
    assert report["kept"] is True


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_exports_with_its_own_workers() -> None:
    report = run_json(
        """
        import json, os, warnings
        warnings.simplefilter("ignore", DeprecationWarning)  # fork() with threads, on 3.12+
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
        from honeyhive import HoneyHiveTracer, trace
        exporter = InMemorySpanExporter()
        tracer = HoneyHiveTracer(test_mode=True, exporter=exporter)  # batched: a worker thread

        @trace(tracer=tracer)
        def work():
            pass

        work()
        assert tracer.flush(5000)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            work()
            ok = tracer.flush(5000) and len(exporter.get_finished_spans()) == 2
            os.write(write, b"1" if ok else b"0")
            os._exit(0)
        os.waitpid(pid, 0)
        print(json.dumps({"child": os.read(read, 1).decode()}))
        """
    )
    assert report["child"] == "1"


def test_interpreter_exit_delivers_batched_spans_and_queued_calls(backend: Backend) -> None:
    report = run_json(
        """
        import json
        from honeyhive import HoneyHiveTracer, trace
        tracer = HoneyHiveTracer(project="exit")

        @trace(tracer=tracer)
        def last():
            pass

        last()
        tracer.enrich_session(metadata={"bye": True})
        print(json.dumps({"session": tracer.session_id}))
        """,
        env={"HH_API_KEY": "exit-key", "HH_API_URL": backend.url},
    )
    paths = backend.paths()
    assert paths.count("POST /session/start") == 1
    assert paths.count("PUT /events") == 1
    assert paths.count("POST /opentelemetry/v1/traces") >= 1
    assert paths.index("POST /session/start") < paths.index("PUT /events")
    assert backend.requests[paths.index("PUT /events")].json()["event_id"] == report["session"]
