"""Delivery when a server is told to stop, as servers are stopped: a real SIGTERM.

uvicorn shuts down gracefully on SIGTERM, then re-raises it with the default action restored, so
the process dies and ``atexit`` never runs; gunicorn's sync workers exit through ``sys.exit``. The
SDK must deliver what is queued in both, bounded when the backend is dead, and say what it could
not deliver. Plain processes get a handler only if they have none of their own.
"""

from __future__ import annotations

import signal
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.sdk.helpers import run_python
from tests.sdk.loopback import LoopbackServer, closed_port_url

from .client import send_all
from .fake_openai import FakeOpenAI
from .processes import gunicorn, uvicorn

SPANS_PER_CHAT = 9  # server, http receive, 2 http send, answer, 2 ask, 2 model calls
BOUNDED_STOP_S = 15.0  # the SDK's 5 s exit deadline, the exporter's grace, process start-up


@pytest.fixture
def honeyhive() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def openai() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI()
    yield server
    server.stop()


def app_env(honeyhive_url: str, openai: FakeOpenAI, **extra: str) -> dict[str, str]:
    return {
        "APP_HONEYHIVE_URL": honeyhive_url,
        "APP_OPENAI_URL": openai.url,
        "APP_LOG_HONEYHIVE": "1",
        **extra,
    }


def test_uvicorn_sigterm_delivers_what_is_queued(
    honeyhive: LoopbackServer, openai: FakeOpenAI
) -> None:
    server = uvicorn(app_env(honeyhive.url, openai))
    send_all(server.url, "chat", 1)  # installs the provider
    sent = send_all(server.url, "chat", 30)
    # Batched spans wait up to a second in the queue: SIGTERM arrives before they leave.
    status = server.stop(signal.SIGTERM)
    log = server.stderr()
    assert status == -signal.SIGTERM, log  # the process still ends as uvicorn ends it
    sessions = {s.session_id for s in sent}
    spans = [span for span in honeyhive.spans() if span.session_id in sessions]
    assert len(spans) == SPANS_PER_CHAT * len(sent)
    starts = {r.json()["session"]["session_id"] for r in honeyhive.session_starts()}
    assert sessions <= starts
    assert "SIGTERM (after uvicorn's shutdown): delivered everything queued" in log


def test_uvicorn_sigterm_with_a_dead_backend_is_bounded_and_says_what_was_lost(
    openai: FakeOpenAI,
) -> None:
    server = uvicorn(app_env(closed_port_url(), openai))
    send_all(server.url, "chat", 1)
    send_all(server.url, "chat", 10)
    started = time.monotonic()
    status = server.stop(signal.SIGTERM)
    took = time.monotonic() - started
    log = server.stderr()
    assert status == -signal.SIGTERM, log
    assert took < BOUNDED_STOP_S
    assert "were never delivered by this process" in log, log


def test_a_fastapi_lifespan_hook_delivers_before_uvicorn_stops(
    honeyhive: LoopbackServer, openai: FakeOpenAI
) -> None:
    server = uvicorn(app_env(honeyhive.url, openai, APP_LIFESPAN_SHUTDOWN="1"))
    send_all(server.url, "chat", 1)
    sent = send_all(server.url, "chat", 20)
    status = server.stop(signal.SIGTERM)
    log = server.stderr()
    assert status == -signal.SIGTERM, log
    sessions = {s.session_id for s in sent}
    assert len([s for s in honeyhive.spans() if s.session_id in sessions]) == 20 * SPANS_PER_CHAT
    assert "HoneyHive: shutdown: delivered everything queued" in log  # the hook did it


def test_gunicorn_worker_exit_hook_delivers_on_sigterm(honeyhive: LoopbackServer) -> None:
    server = gunicorn(
        {"APP_HONEYHIVE_URL": honeyhive.url, "APP_LOG_HONEYHIVE": "1"}, "--workers", "2"
    )
    sessions = [str(uuid.uuid4()) for _ in range(20)]
    for session_id in sessions:
        response = httpx.get(f"{server.url}/ask/{session_id}", timeout=30)
        assert response.text == "HELLO"
    status = server.stop(signal.SIGTERM)
    log = server.stderr()
    assert status == 0, log  # gunicorn's master exits cleanly
    arrived = {span.session_id for span in honeyhive.spans() if span.name.endswith("shout")}
    assert arrived == set(sessions)
    assert log.count("HoneyHive: shutdown: delivered everything queued") == 2  # each worker


SCRIPT = """
import os, signal, logging, sys
logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(name)s %(message)s")
{before}
from honeyhive import HoneyHiveTracer, trace
tracer = HoneyHiveTracer.init(project="script")

@trace(tracer=tracer)
def step():
    return 1

step()
print(repr(signal.getsignal(signal.SIGTERM)), flush=True)
os.kill(os.getpid(), signal.SIGTERM)
print("still running", flush=True)
"""


def test_a_process_without_a_handler_delivers_then_dies_by_sigterm(
    honeyhive: LoopbackServer,
) -> None:
    result = run_python(
        SCRIPT.format(before=""), env={"HH_API_KEY": "k", "HH_API_URL": honeyhive.url}
    )
    assert result.returncode == -signal.SIGTERM, result.stderr
    assert "still running" not in result.stdout
    assert [span.name for span in honeyhive.spans()] == ["step"]
    assert len(honeyhive.session_starts()) == 1
    assert "SIGTERM: delivered everything queued" in result.stderr


def test_an_applications_own_handler_is_left_alone(honeyhive: LoopbackServer) -> None:
    before = """
def mine(signum, frame):
    print("the app's handler", flush=True)
signal.signal(signal.SIGTERM, mine)
"""
    result = run_python(
        SCRIPT.format(before=before), env={"HH_API_KEY": "k", "HH_API_URL": honeyhive.url}
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("<function mine ")
    assert lines[1:] == ["the app's handler", "still running"]
    assert [span.name for span in honeyhive.spans()] == ["step"]  # delivered at exit, as ever


def test_hh_handle_sigterm_false_installs_nothing(honeyhive: LoopbackServer) -> None:
    result = run_python(
        SCRIPT.format(before=""),
        env={"HH_API_KEY": "k", "HH_API_URL": honeyhive.url, "HH_HANDLE_SIGTERM": "false"},
    )
    assert result.returncode == -signal.SIGTERM
    assert result.stdout.splitlines()[0] == repr(signal.SIG_DFL)
    assert honeyhive.spans() == []  # nothing could deliver: the default action is immediate
