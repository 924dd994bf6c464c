"""Fixtures for the SDK's internal tests: a recording HTTP backend, in-memory tracers that are
always shut down, and a clean ``HH_*`` environment."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from honeyhive import HoneyHiveTracer

HH_VARIABLES = (
    "HH_API_KEY",
    "HH_PROJECT",
    "HH_SOURCE",
    "HH_API_URL",
    "HH_TEST_MODE",
    "HH_DISABLE_BATCH",
    "HH_STRICT",
    "HH_VERBOSE",
)


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Backend:
    """A real HTTP server on 127.0.0.1 that records every request and answers ``status``."""

    server: ThreadingHTTPServer
    requests: list[Recorded] = field(default_factory=list)
    status: int = 200
    # Answer the next N requests with `fail_status` first.
    fail_next: int = 0
    fail_status: int = 503
    # Hold answers until this event is set (a stalled server).
    release: threading.Event = field(default_factory=threading.Event)
    changed: threading.Condition = field(default_factory=threading.Condition)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def wait_for(self, predicate: Callable[[list[Recorded]], bool], timeout_s: float = 10) -> bool:
        deadline = time.monotonic() + timeout_s
        with self.changed:
            while not predicate(list(self.requests)):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.changed.wait(remaining)
        return True

    def paths(self) -> list[str]:
        return [f"{r.method} {r.path}" for r in self.requests]


def _handler(backend_ref: list[Backend]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        wbufsize = -1  # one segment per answer: no Nagle / delayed-ACK stalls

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _handle(self) -> None:
            backend = backend_ref[0]
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            backend.release.wait(30)
            with backend.changed:
                backend.requests.append(
                    Recorded(
                        self.command,
                        self.path,
                        {k.lower(): v for k, v in self.headers.items()},
                        body,
                    )
                )
                if backend.fail_next > 0:
                    backend.fail_next -= 1
                    status = backend.fail_status
                else:
                    status = backend.status
                backend.changed.notify_all()
            payload = b"{}"
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_POST = do_PUT = _handle

    return Handler


@pytest.fixture
def backend() -> Iterator[Backend]:
    ref: list[Backend] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(ref))
    server.daemon_threads = True
    backend = Backend(server)
    backend.release.set()
    ref.append(backend)
    thread = threading.Thread(
        target=server.serve_forever, args=(0.05,), name="test-backend", daemon=True
    )
    thread.start()
    yield backend
    backend.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_url() -> str:
    """A URL where nothing listens: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in HH_VARIABLES:
        monkeypatch.delenv(name, raising=False)


class Made:
    """Tracers made by a test, shut down after it."""

    def __init__(self) -> None:
        self.tracers: list[HoneyHiveTracer] = []

    def tracer(self, **options: Any) -> HoneyHiveTracer:
        tracer = HoneyHiveTracer(**options)
        self.tracers.append(tracer)
        return tracer

    def in_memory(self, **options: Any) -> tuple[HoneyHiveTracer, InMemorySpanExporter]:
        exporter = options.pop("exporter", None) or InMemorySpanExporter()
        settings: dict[str, Any] = {"project": "internals", "test_mode": True}
        settings.setdefault("disable_batch", True)
        settings.update(options)
        return self.tracer(exporter=exporter, **settings), exporter


@pytest.fixture
def made() -> Iterator[Made]:
    made = Made()
    yield made
    for tracer in reversed(made.tracers):
        tracer.shutdown(timeout_millis=2_000)
