"""A loopback HTTP proxy: a real server on 127.0.0.1 that records what goes through it.

Requests in absolute form (``POST http://host:port/path``, what a client sends an HTTP proxy for
an ``http://`` URL) are forwarded to their target and its answer relayed. ``CONNECT`` (what a
client sends for an ``https://`` URL) is recorded and refused with 502: the tests need to see
the tunnel asked for, not TLS through it.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class ProxiedRequest:
    method: str
    target: str  # as the client wrote it: an absolute URL, or host:port for CONNECT
    proxy_authorization: str | None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _ProxyServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _record(self) -> None:
        with self.server.lock:
            self.server.seen.append(
                ProxiedRequest(self.command, self.path, self.headers.get("Proxy-Authorization"))
            )

    def do_CONNECT(self) -> None:
        self._record()
        self.send_response(502)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self.close_connection = True

    def _forward(self) -> None:
        self._record()
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        target = urlsplit(self.path)
        headers = {
            name: value
            for name, value in self.headers.items()
            if name.lower() not in ("proxy-authorization", "proxy-connection", "connection")
        }
        upstream = http.client.HTTPConnection(target.hostname or "", target.port, timeout=10)
        try:
            upstream.request(self.command, target.path or "/", body=body, headers=headers)
            answer = upstream.getresponse()
            payload = answer.read()
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.getheader("Content-Type") or "text/plain")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        finally:
            upstream.close()

    do_POST = do_PUT = do_GET = _forward


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.seen: list[ProxiedRequest] = []


class LoopbackProxy:
    def __init__(self) -> None:
        self._server = _ProxyServer()
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="hh-loopback-proxy",
            daemon=True,
        )
        self._thread.start()

    @property
    def address(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{host!s}:{port}"

    @property
    def seen(self) -> list[ProxiedRequest]:
        with self._server.lock:
            return list(self._server.seen)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@contextmanager
def loopback_proxy() -> Iterator[LoopbackProxy]:
    proxy = LoopbackProxy()
    try:
        yield proxy
    finally:
        proxy.stop()
