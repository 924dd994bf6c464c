"""Server processes for the tests and the benchmark: the app under uvicorn (or gunicorn) on a real
socket of 127.0.0.1, started as users start it, stopped with a real signal.

The listening socket is bound here and inherited by the server (uvicorn's ``--fd``), so there is
no race for a free port and the server is reachable as soon as it starts accepting.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]
APP = "tests.server.app:app"
START_TIMEOUT_S = 30.0


def listening_socket() -> socket.socket:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(2048)
    listener.set_inheritable(True)
    return listener


def clean_environment(extra: dict[str, str]) -> dict[str, str]:
    """This environment without HoneyHive settings (the app configures its tracers itself)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HH_", "OTEL_"))}
    env.update(extra)
    env["PYTHONPATH"] = str(REPO_ROOT)
    return env


class ServerProcess:
    """One server process; its stderr goes to a file, read after it stops."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self._listener = listening_socket()
        host, port = self._listener.getsockname()[:2]
        self.url = f"http://{host}:{port}"
        fd = str(self._listener.fileno())
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115  (read after stop)
        self.process = subprocess.Popen(
            [part.replace("{fd}", fd) for part in command],
            pass_fds=(self._listener.fileno(),),
            env=clean_environment(env),
            cwd=REPO_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
        )
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited at start:\n{self.stderr()}")
            try:
                httpx.get(f"{self.url}/health", timeout=1.0)
                return
            except httpx.HTTPError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"server not ready after {START_TIMEOUT_S} s:\n{self.stderr()}")

    def stop(self, signum: int = signal.SIGTERM, timeout_s: float = 30.0) -> int:
        """Send ``signum`` and wait for the process to end; its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            status = self.process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            status = self.process.wait()
        self._listener.close()
        return status

    def stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")


def uvicorn(env: dict[str, str], *options: str) -> ServerProcess:
    """``uvicorn tests.server.app:app`` on an inherited socket, one worker, as users run it."""
    command = [sys.executable, "-m", "uvicorn", APP, "--fd", "{fd}", "--no-access-log", *options]
    return ServerProcess(command, env)


def gunicorn(env: dict[str, str], *options: str) -> ServerProcess:
    """``gunicorn`` with sync workers serving ``tests/server/wsgi_app.py`` on an inherited socket,
    with the documented ``worker_exit`` hook (``tests/server/gunicorn_conf.py``)."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        "fd://{fd}",
        "--config",
        "python:tests.server.gunicorn_conf",
        *options,
        "tests.server.wsgi_app:application",
    ]
    return ServerProcess(command, env)
