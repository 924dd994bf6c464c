"""The environment's HTTP settings (proxies, NO_PROXY, .netrc), read once per destination.

Real traffic through a real proxy on 127.0.0.1 (``loopback_proxy.py``), to the loopback backend.
"""

from __future__ import annotations

import base64
import shutil
import ssl
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import API_KEY, Tracers
from .loopback import EVENTS_PATH, OTLP_TRACES_PATH, SESSION_START_PATH, LoopbackServer
from .loopback_proxy import LoopbackProxy, loopback_proxy

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackProxy]:
    """A loopback proxy, with no proxy setting of the developer's shell in the way."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    with loopback_proxy() as running:
        yield running


def traced_session(tracers: Tracers, loopback: LoopbackServer | None, **kwargs: str) -> None:
    """One session with a span and an enrichment, delivered (or given up on) before returning."""
    tracer = tracers.on_wire(loopback, **kwargs) if loopback else tracers.new(**kwargs)
    with tracer, tracer.trace("step"):
        tracer.enrich_session(metadata={"k": 1})
    tracers.shutdown_all()


def test_http_proxy_carries_rest_calls_and_spans(
    proxy: LoopbackProxy,
    loopback: LoopbackServer,
    tracers: Tracers,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://user:secret@{proxy.address}")
    traced_session(tracers, loopback)
    targets = {(seen.method, seen.target) for seen in proxy.seen}
    for method, path in (
        ("POST", SESSION_START_PATH),
        ("PUT", EVENTS_PATH),
        ("POST", OTLP_TRACES_PATH),
    ):
        assert (method, loopback.url + path) in targets
    credentials = base64.b64encode(b"user:secret").decode()
    assert {seen.proxy_authorization for seen in proxy.seen} == {f"Basic {credentials}"}
    assert len(loopback.session_starts()) == len(loopback.enrichments()) == 1
    assert [span.name for span in loopback.spans()] == ["step"]


def test_no_proxy_sends_directly(
    proxy: LoopbackProxy,
    loopback: LoopbackServer,
    tracers: Tracers,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://{proxy.address}")
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    traced_session(tracers, loopback)
    assert proxy.seen == []
    assert len(loopback.session_starts()) == len(loopback.enrichments()) == 1
    assert [span.name for span in loopback.spans()] == ["step"]


def test_https_proxy_is_asked_for_a_tunnel_to_the_server(
    proxy: LoopbackProxy, tracers: Tracers, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The proxy refuses the tunnel: what matters is that both clients asked it for one.
    monkeypatch.setenv("HTTPS_PROXY", proxy.address)  # no scheme: http://, as requests reads it
    host = f"hh-{uuid.uuid4().hex[:8]}.example"
    tracer = tracers.new(api_key=API_KEY, server_url=f"https://{host}", project="p")
    with tracer, tracer.trace("step"):
        pass
    tracer.flush(timeout_millis=3000)
    assert {(seen.method, seen.target) for seen in proxy.seen} == {("CONNECT", f"{host}:443")}
    assert len(proxy.seen) >= 2  # the session start and the span export
    tracers.made.clear()
    tracer.shutdown(wait=True, timeout_millis=100)


def test_a_netrc_entry_never_replaces_the_api_key(
    loopback: LoopbackServer,
    tracers: Tracers,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password other-secret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    traced_session(tracers, loopback)
    assert len(loopback.requests) == 3  # session start, enrichment, spans
    assert {r.headers["authorization"] for r in loopback.requests} == {f"Bearer {API_KEY}"}


@pytest.fixture
def tls_loopback(tmp_path: Path) -> Iterator[tuple[LoopbackServer, Path]]:
    """The loopback backend behind TLS, with a certificate for 127.0.0.1 made now by openssl."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = LoopbackServer()
    server._server.socket = context.wrap_socket(server._server.socket, server_side=True)
    yield server, cert
    server.stop()


def test_the_ca_bundle_variable_is_trusted_by_rest_calls_and_spans(
    tls_loopback: tuple[LoopbackServer, Path],
    tracers: Tracers,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server, cert = tls_loopback
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
    url = server.url.replace("http://", "https://")
    traced_session(tracers, None, api_key=API_KEY, server_url=url, project="p")
    assert len(server.session_starts()) == len(server.enrichments()) == 1
    assert [span.name for span in server.spans()] == ["step"]


def test_an_unknown_certificate_is_refused(
    tls_loopback: tuple[LoopbackServer, Path],
    tracers: Tracers,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server, _ = tls_loopback
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    url = server.url.replace("http://", "https://")
    tracer = tracers.new(api_key=API_KEY, server_url=url, project="p")
    with tracer:
        tracer.enrich_session(metadata={"k": 1})
    tracer.flush(timeout_millis=2000)  # gives up once the destination is seen failing
    assert server.requests == []  # nothing got through the handshake
    stats = tracer.stats
    assert stats.events_sent == 0
    assert stats.events_retried >= 1  # a failed attempt, retried as any connection error
    tracers.made.clear()
    tracer.shutdown(wait=True, timeout_millis=100)
