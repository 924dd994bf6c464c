"""Fixtures for the SDK's black-box tests: a loopback backend, tracers that are always shut down,
a clean environment, and a capture of every log record."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from honeyhive.tracer import pipeline

from .helpers import HH_ENV_VARS, LogCapture, Tracers
from .loopback import LoopbackServer, closed_port_url


@pytest.fixture(scope="session", autouse=True)
def close_pipelines_while_output_is_captured() -> Iterator[None]:
    """What the interpreter's exit would do (deliver or drop what tests left queued), done while
    pytest still captures output: its log lines would otherwise hit closed capture streams."""
    yield
    pipeline.close_all(1.0)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No HoneyHive setting leaks in from the developer's shell."""
    for name in HH_ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    yield server
    server.stop()


@pytest.fixture
def closed_url() -> str:
    return closed_port_url()


@pytest.fixture
def tracers() -> Iterator[Tracers]:
    made = Tracers()
    yield made
    made.shutdown_all()


@pytest.fixture
def all_logs() -> Iterator[LogCapture]:
    capture = LogCapture()
    # The root sees propagated records; "honeyhive" is watched in case it stops propagating.
    watched = [logging.getLogger(), logging.getLogger("honeyhive")]
    saved = [(logger, logger.level) for logger in watched]
    for logger in watched:
        logger.addHandler(capture)
        logger.setLevel(logging.DEBUG)
    yield capture
    for logger, level in saved:
        logger.removeHandler(capture)
        logger.setLevel(level)
