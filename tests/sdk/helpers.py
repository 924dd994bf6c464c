"""Helpers shared by the SDK's black-box tests: tracer bookkeeping, span accessors, log capture,
and running code in a fresh interpreter."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from .loopback import LoopbackServer

if TYPE_CHECKING:
    from honeyhive import HoneyHiveTracer

API_KEY = "hh-test-key-7c1f0e55d2b94a1c"
PROJECT = "sdk-black-box"
HH_ENV_VARS = (
    "HH_API_KEY",
    "HH_PROJECT",
    "HH_SOURCE",
    "HH_API_URL",
    "HH_TEST_MODE",
    "HH_DISABLE_BATCH",
    "HH_STRICT",
    "HH_VERBOSE",
    "HH_SESSION_NAME",
    "HH_OTLP_PROTOCOL",
    "SESSION_ID",
    "SESSION_NAME",
)
REPO_ROOT = Path(__file__).resolve().parents[2]


class Tracers:
    """Makes tracers for a test and shuts every one of them down afterwards."""

    def __init__(self) -> None:
        self.made: list[HoneyHiveTracer] = []

    def new(self, **kwargs: Any) -> HoneyHiveTracer:
        # Imported here so that the loopback's own tests run even when the SDK does not import.
        from honeyhive import HoneyHiveTracer  # noqa: PLC0415

        tracer = HoneyHiveTracer.init(**kwargs)
        self.made.append(tracer)
        return tracer

    def in_memory(
        self, exporter: InMemorySpanExporter | None = None, **kwargs: Any
    ) -> tuple[HoneyHiveTracer, InMemorySpanExporter]:
        """A tracer without network whose spans are exported synchronously to memory."""
        exporter = exporter if exporter is not None else InMemorySpanExporter()
        settings: dict[str, Any] = {"project": PROJECT, "test_mode": True, "disable_batch": True}
        settings.update(kwargs)
        return self.new(exporter=exporter, **settings), exporter

    def on_wire(self, server: LoopbackServer, **kwargs: Any) -> HoneyHiveTracer:
        """A tracer that talks to the loopback backend over HTTP."""
        settings: dict[str, Any] = {
            "api_key": API_KEY,
            "project": PROJECT,
            "server_url": server.url,
        }
        settings.update(kwargs)
        return self.new(**settings)

    def shutdown_all(self) -> None:
        """End every tracer, delivering what they queued (the last one closes the pipeline)."""
        for tracer in reversed(self.made):
            tracer.shutdown(wait=True)
        self.made.clear()


def spans_named(exporter: InMemorySpanExporter, name: str) -> list[ReadableSpan]:
    return [span for span in exporter.get_finished_spans() if span.name == name]


def only_span(exporter: InMemorySpanExporter, name: str) -> ReadableSpan:
    found = spans_named(exporter, name)
    assert len(found) == 1, f"expected one span {name!r}, got {[s.name for s in found]}"
    return found[0]


def attrs(span: ReadableSpan) -> dict[str, Any]:
    return dict(span.attributes or {})


def session_of(span: ReadableSpan) -> Any:
    return attrs(span).get("honeyhive.session_id")


class LogCapture(logging.Handler):
    """Every record from every logger, at every level, whatever the loggers' propagation."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def texts(self) -> list[str]:
        formatter = logging.Formatter()
        return [formatter.format(record) for record in self.records]


def run_python(
    code: str,
    *,
    env: dict[str, str] | None = None,
    options: tuple[str, ...] = (),
    timeout_s: float = 60,
) -> subprocess.CompletedProcess[str]:
    """Run `code` as `__main__` in a fresh interpreter, with a clean HoneyHive environment."""
    child_env = {k: v for k, v in os.environ.items() if k not in HH_ENV_VARS}
    child_env.update(env or {})
    return subprocess.run(
        [sys.executable, *options, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=child_env,
        timeout=timeout_s,
        cwd=REPO_ROOT,
        check=False,
    )


def run_python_json(code: str, **kwargs: Any) -> Any:
    """Run `code`, which prints one JSON document on its last stdout line, and return it."""
    result = run_python(code, **kwargs)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
