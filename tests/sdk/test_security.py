"""The API key goes into the Authorization header and nowhere else: not in repr, logs, span
attributes, request bodies, warnings or exception messages."""

from __future__ import annotations

import traceback
import uuid
import warnings
from collections.abc import Callable
from typing import Any

import pytest

from honeyhive import HoneyHiveTracer, SingleSessionError, trace

from .helpers import API_KEY, PROJECT, LogCapture, Tracers, attrs
from .loopback import EVENTS_PATH, LoopbackServer


def test_repr_and_str_hide_the_key(loopback: LoopbackServer, tracers: Tracers) -> None:
    tracer = tracers.on_wire(loopback, verbose=True)
    assert API_KEY not in repr(tracer)
    assert API_KEY not in str(tracer)
    assert API_KEY not in format(tracer, "")


def test_logs_and_output_never_show_the_key(
    loopback: LoopbackServer,
    tracers: Tracers,
    all_logs: LogCapture,
    capfd: pytest.CaptureFixture[str],
    closed_url: str,
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tracer = tracers.on_wire(loopback, verbose=True)

        @trace(tracer=tracer)
        def verbose_work() -> str:
            return "ok"

        verbose_work()
        tracer.enrich_session(metadata={"a": 1})
        tracer.enrich_session(session_id=tracer.session_id, metadata={"b": 2})
        tracer.enrich_session(session_id=str(uuid.uuid4()), metadata={"c": 3})
        with loopback.faults(status=401, paths=frozenset({EVENTS_PATH})):
            tracer.enrich_session(metadata={"rejected": True})
            tracer.shutdown(wait=True)
        unreachable = tracers.on_wire(loopback, server_url=closed_url, verbose=True)
        unreachable.enrich_session(metadata={"lost": True})
        unreachable.flush(timeout_millis=300)
    assert all_logs.records, "verbose mode logs something: the check below must see it"
    leaked = [text for text in all_logs.texts() if API_KEY in text]
    assert leaked == []
    assert all(API_KEY not in str(w.message) for w in caught)
    out, err = capfd.readouterr()
    assert API_KEY not in out
    assert API_KEY not in err


def test_span_attributes_and_bodies_never_carry_the_key(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    tracer = tracers.on_wire(loopback)

    @trace(tracer=tracer)
    def carried() -> None:
        pass

    carried()
    tracer.enrich_session(metadata={"x": 1})
    tracer.shutdown(wait=True)
    assert loopback.spans()
    for span in loopback.spans():
        assert API_KEY not in repr(dict(span.attributes))
        assert API_KEY not in repr(dict(span.resource_attributes))
    for request in loopback.requests:
        assert API_KEY.encode() not in request.body
        assert request.headers["authorization"] == f"Bearer {API_KEY}"


def test_in_memory_spans_never_carry_the_key(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory(api_key=API_KEY)

    @trace(tracer=tracer)
    def kept_local() -> None:
        pass

    kept_local()
    for span in exporter.get_finished_spans():
        assert API_KEY not in repr(attrs(span))
        assert API_KEY not in repr(dict(span.resource.attributes))


def _raised(call: Callable[[], Any]) -> BaseException:
    try:
        call()
    except Exception as error:  # any error: its text is what is checked
        return error
    raise AssertionError("expected an exception")


def test_exception_messages_never_show_the_key(tracers: Tracers) -> None:
    tracer, _ = tracers.in_memory(api_key=API_KEY, strict=True)
    untyped: Any = HoneyHiveTracer.init
    errors = [
        _raised(lambda: untyped(api_key=API_KEY, project=PROJECT, test_mode=True, nope=1)),
        _raised(lambda: untyped(api_key=API_KEY, project=PROJECT, session_id="bad-id")),
        _raised(lambda: setattr(tracer, "session_id", str(uuid.uuid4()))),
        _raised(lambda: tracer.enrich_session(session_id=str(uuid.uuid4()))),
        _raised(lambda: untyped(API_KEY)),
    ]
    assert isinstance(errors[2], SingleSessionError)
    for error in errors:
        shown = "".join(traceback.format_exception(error))
        assert API_KEY not in shown
        assert API_KEY not in repr(error)
