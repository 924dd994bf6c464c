"""A loopback HoneyHive backend: a real HTTP server on 127.0.0.1 that records what the SDK sends.

It decodes OTLP/HTTP protobuf span exports with `opentelemetry-proto`, records the REST calls
(method, path, headers, JSON body), and can be told to misbehave (5xx, slow answers) for fault
tests.
Every request is recorded *before* it is answered, so once the client has its response the record
exists: tests never need to sleep to see what arrived.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue

OTLP_TRACES_PATH = "/opentelemetry/v1/traces"
SESSION_START_PATH = "/session/start"
EVENTS_PATH = "/events"
SERVER_THREAD_PREFIX = "hh-loopback"


@dataclass(frozen=True, slots=True)
class ReceivedSpan:
    """One span as it arrived on the wire."""

    name: str
    trace_id: str
    span_id: str
    parent_span_id: str
    attributes: Mapping[str, Any]
    resource_attributes: Mapping[str, Any]
    status_code: int
    event_names: tuple[str, ...]

    @property
    def session_id(self) -> Any:
        return self.attributes.get("honeyhive.session_id")


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One HTTP request as the server saw it, with the status it answered."""

    seq: int
    method: str
    path: str
    headers: Mapping[str, str]  # lower-cased names
    body: bytes
    status: int
    client_port: int
    spans: tuple[ReceivedSpan, ...] = ()

    @property
    def is_otlp(self) -> bool:
        return self.path == OTLP_TRACES_PATH

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(slots=True)
class _Faults:
    status: int | None = None  # answer every request with this status
    fail_next: int = 0  # answer the next N requests with `fail_status`
    fail_status: int = 503
    delay_s: float = 0.0  # wait this long before answering
    paths: frozenset[str] | None = None  # faults apply only to these paths (None: all)


@dataclass(slots=True)
class _State:
    lock: threading.Condition = field(default_factory=threading.Condition)
    requests: list[RecordedRequest] = field(default_factory=list)
    faults: _Faults = field(default_factory=_Faults)
    # Set when faults are lifted or the server stops, so slow answers end at once.
    release: threading.Event = field(default_factory=threading.Event)


def _any_value(value: AnyValue) -> Any:
    kind = value.WhichOneof("value")
    if kind is None:
        return None
    if kind == "array_value":
        return tuple(_any_value(item) for item in value.array_value.values)
    if kind == "kvlist_value":
        return _attributes(value.kvlist_value.values)
    return getattr(value, kind)


def _attributes(pairs: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    pair: KeyValue
    for pair in pairs:
        result[pair.key] = _any_value(pair.value)
    return result


def decode_otlp(body: bytes) -> tuple[ReceivedSpan, ...]:
    """The spans of one OTLP/HTTP protobuf export request."""
    request = ExportTraceServiceRequest()
    request.ParseFromString(body)
    spans: list[ReceivedSpan] = []
    for resource_spans in request.resource_spans:
        resource = _attributes(resource_spans.resource.attributes)
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                spans.append(
                    ReceivedSpan(
                        name=span.name,
                        trace_id=span.trace_id.hex(),
                        span_id=span.span_id.hex(),
                        parent_span_id=span.parent_span_id.hex(),
                        attributes=_attributes(span.attributes),
                        resource_attributes=resource,
                        status_code=span.status.code,
                        event_names=tuple(event.name for event in span.events),
                    )
                )
    return tuple(spans)


def _decompress(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    return body


class _Handler(BaseHTTPRequestHandler):
    # Keep-alive, as a real backend: tests can see whether connections are pooled.
    protocol_version = "HTTP/1.1"
    # Buffer the answer and send it in one segment (flushed after each request), and disable
    # Nagle: else headers and body go separately and delayed ACKs cost 40 ms per request.
    wbufsize = -1
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_GET(self) -> None:
        self._handle()

    def _handle(self) -> None:
        state = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = _decompress(raw, (self.headers.get("Content-Encoding") or "").lower())
        path = self.path.split("?", 1)[0]
        with state.lock:
            faults = state.faults
            applies = faults.paths is None or path in faults.paths
            status = 200
            if applies and faults.fail_next > 0:
                faults.fail_next -= 1
                status = faults.fail_status
            elif applies and faults.status is not None:
                status = faults.status
            delay = faults.delay_s if applies else 0.0
        spans = decode_otlp(body) if path == OTLP_TRACES_PATH and status == 200 else ()
        with state.lock:
            state.requests.append(
                RecordedRequest(
                    seq=len(state.requests),
                    method=self.command,
                    path=path,
                    headers={name.lower(): value for name, value in self.headers.items()},
                    body=body,
                    status=status,
                    client_port=self.client_address[1],
                    spans=spans,
                )
            )
            state.lock.notify_all()
        if delay:
            state.release.wait(delay)
        self._answer(status, path)

    def _answer(self, status: int, path: str) -> None:
        if path == OTLP_TRACES_PATH and status == 200:
            payload = ExportTraceServiceResponse().SerializeToString()
            content_type = "application/x-protobuf"
        else:
            answer: dict[str, Any] = {"success": status == 200}
            if path == SESSION_START_PATH and status == 200:
                answer["session_id"] = "ignored-by-tests"
            payload = json.dumps(answer).encode()
            content_type = "application/json"
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass  # the client gave up (its timeout): nothing to answer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: _State

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = _State()
        self.connections: set[socket.socket] = set()

    def process_request(self, request: Any, client_address: Any) -> None:
        # One named thread per connection, so tests can tell the SDK's threads from the server's.
        with self.state.lock:
            self.connections.add(request)
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name=f"{SERVER_THREAD_PREFIX}-connection",
            daemon=True,
        )
        thread.start()

    def shutdown_request(self, request: Any) -> None:
        with self.state.lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Drop kept-alive connections, so their threads end with the server."""
        with self.state.lock:
            open_connections = list(self.connections)
        for connection in open_connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class LoopbackServer:
    """The server, its recordings and its fault switches."""

    def __init__(self) -> None:
        self._server = _Server()
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # stop() waits up to one interval
            name=SERVER_THREAD_PREFIX,
            daemon=True,
        )
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def _state(self) -> _State:
        return self._server.state

    def stop(self) -> None:
        self._state.release.set()
        self._server.shutdown()
        self._server.server_close()
        self._server.close_connections()
        self._thread.join(timeout=5)

    # --- recordings ---------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._state.lock:
            return list(self._state.requests)

    def rest_calls(
        self, method: str | None = None, path: str | None = None
    ) -> list[RecordedRequest]:
        return [
            request
            for request in self.requests
            if not request.is_otlp
            and (method is None or request.method == method)
            and (path is None or request.path == path)
        ]

    def session_starts(self) -> list[RecordedRequest]:
        return self.rest_calls("POST", SESSION_START_PATH)

    def enrichments(self) -> list[RecordedRequest]:
        return self.rest_calls("PUT", EVENTS_PATH)

    def otlp_requests(self) -> list[RecordedRequest]:
        return [request for request in self.requests if request.is_otlp]

    def spans(self) -> list[ReceivedSpan]:
        """Every span the server accepted (answered 200), in arrival order."""
        return [span for request in self.otlp_requests() for span in request.spans]

    def wait_for(
        self, predicate: Callable[[LoopbackServer], bool], timeout_s: float = 10.0
    ) -> bool:
        """Poll `predicate` on every new request until it holds or the deadline passes."""
        deadline = time.monotonic() + timeout_s
        with self._state.lock:
            while True:
                # The predicate reads `requests`, which takes the (re-entrant) lock again.
                if predicate(self):
                    return True
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._state.lock.wait(remaining)

    # --- faults -------------------------------------------------------------------------------

    @contextmanager
    def faults(
        self,
        *,
        status: int | None = None,
        fail_next: int = 0,
        fail_status: int = 503,
        delay_s: float = 0.0,
        paths: frozenset[str] | None = None,
    ) -> Iterator[None]:
        """Misbehave inside the block; on exit answer normally again, and release slow answers."""
        with self._state.lock:
            self._state.faults = _Faults(status, fail_next, fail_status, delay_s, paths)
            self._state.release.clear()
        try:
            yield
        finally:
            with self._state.lock:
                self._state.faults = _Faults()
            self._state.release.set()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: connections are refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def sdk_side_threads() -> list[threading.Thread]:
    """The live threads, without the loopback server's own."""
    return [t for t in threading.enumerate() if not t.name.startswith(SERVER_THREAD_PREFIX)]
