"""HH001 and HH002 at run time: classes, texts, the line they point at, strict mode, filters, and
the legacy session-switching methods."""

from __future__ import annotations

import asyncio
import contextvars
import sys
import uuid
import warnings
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest

from honeyhive import (
    HoneyHiveWarning,
    SessionIdArgumentWarning,
    SingleSessionError,
    TracerReuseWarning,
    atrace,
    enrich_session,
    trace,
    trace_class,
)
from honeyhive.rules import (
    FORM_KEYWORD,
    HH001,
    HH002,
    USAGE_ENRICH_OTHER_SESSION,
    legacy_method_usage,
    override_usage,
)

from .helpers import API_KEY, Tracers, only_span, run_python, session_of, spans_named
from .loopback import LoopbackServer

T = TypeVar("T")


def other_session() -> str:
    return str(uuid.uuid4())


def in_fresh_context(body: Callable[[], T]) -> T:
    """Legacy methods activate a tracer for the current context: keep that out of other tests."""
    return contextvars.copy_context().run(body)


@pytest.fixture
def caught() -> Iterator[list[warnings.WarningMessage]]:
    with warnings.catch_warnings(record=True) as recorded:
        warnings.simplefilter("always")
        yield recorded


def only_warning(
    recorded: list[warnings.WarningMessage], category: type[Warning]
) -> warnings.WarningMessage:
    ours = [w for w in recorded if issubclass(w.category, HoneyHiveWarning)]
    assert len(ours) == 1, [str(w.message) for w in ours]
    assert ours[0].category is category
    return ours[0]


def assert_points_here(warning: warnings.WarningMessage, *lines: int) -> None:
    assert (warning.filename, warning.lineno) in {(__file__, line) for line in lines}, (
        warning.filename,
        warning.lineno,
    )


# --- classes ------------------------------------------------------------------------------------


def test_warning_and_error_classes() -> None:
    assert issubclass(HoneyHiveWarning, UserWarning)
    assert issubclass(SessionIdArgumentWarning, HoneyHiveWarning)
    assert issubclass(SessionIdArgumentWarning, DeprecationWarning)
    assert issubclass(TracerReuseWarning, HoneyHiveWarning)
    assert issubclass(TracerReuseWarning, FutureWarning)
    assert issubclass(SingleSessionError, Exception)


# --- tracer.enrich_session(session_id=...) ------------------------------------------------------


def test_own_session_id_warns_hh001_and_proceeds(
    loopback: LoopbackServer, tracers: Tracers, caught: list[warnings.WarningMessage]
) -> None:
    tracer = tracers.on_wire(loopback)
    line = sys._getframe().f_lineno + 1
    tracer.enrich_session(session_id=tracer.session_id, metadata={"step": 1})
    warning = only_warning(caught, SessionIdArgumentWarning)
    assert str(warning.message).startswith(HH001.text(form=FORM_KEYWORD))
    assert getattr(warning.message, "code", None) == HH001.code
    assert_points_here(warning, line)
    tracer.shutdown(wait=True)
    [enrichment] = loopback.enrichments()
    assert enrichment.json()["event_id"] == tracer.session_id
    assert enrichment.json()["metadata"]["step"] == 1


def test_another_session_id_warns_hh002_and_enriches_that_session(
    loopback: LoopbackServer, tracers: Tracers, caught: list[warnings.WarningMessage]
) -> None:
    tracer = tracers.on_wire(loopback)
    other = other_session()
    line = sys._getframe().f_lineno + 1
    tracer.enrich_session(session_id=other, feedback={"rating": 5})
    warning = only_warning(caught, TracerReuseWarning)
    assert str(warning.message).startswith(HH002.text(usage=USAGE_ENRICH_OTHER_SESSION))
    assert getattr(warning.message, "code", None) == HH002.code
    assert_points_here(warning, line)
    tracer.shutdown(wait=True)
    [enrichment] = loopback.enrichments()
    assert enrichment.json()["event_id"] == other
    assert enrichment.json()["feedback"] == {"rating": 5}
    assert enrichment.headers["authorization"] == f"Bearer {API_KEY}"


def test_strict_mode_raises_before_anything_is_sent(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    tracer = tracers.on_wire(loopback, strict=True)
    with pytest.raises(SingleSessionError) as raised:
        tracer.enrich_session(session_id=other_session(), metadata={"x": 1})
    assert str(raised.value).startswith(HH002.text(usage=USAGE_ENRICH_OTHER_SESSION))
    assert raised.value.code == HH002.code
    tracer.shutdown(wait=True)
    assert loopback.enrichments() == []
    assert len(loopback.session_starts()) == 1  # the tracer itself still works


def test_session_id_none_is_not_a_session_id(
    tracers: Tracers, caught: list[warnings.WarningMessage]
) -> None:
    tracer, _ = tracers.in_memory(strict=True)
    tracer.enrich_session(session_id=None, metadata={"x": 1})
    assert [w for w in caught if issubclass(w.category, HoneyHiveWarning)] == []


def test_positional_string_is_a_type_error_explaining_hh001(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    tracer = tracers.on_wire(loopback)
    old_style: Any = tracer.enrich_session  # the 0.2.x call shape, untyped on purpose
    with pytest.raises(TypeError) as raised:
        old_style(other_session(), {"x": 1})
    assert HH001.code in str(raised.value)
    assert "enrich_session" in str(raised.value)
    tracer.shutdown(wait=True)
    assert loopback.enrichments() == []


# --- free enrich_session ------------------------------------------------------------------------


def test_free_enrich_session_never_warns_and_takes_its_documented_keywords(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    tracer = tracers.on_wire(loopback)
    target, later = other_session(), other_session()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        enrich_session(
            target,
            {"channel": "email"},
            outputs={"answer": "42"},
            config={"model": "m"},
            feedback={"rating": 4},
            metrics={"latency_ms": 12},
            user_properties={"plan": "pro"},
            tracer=tracer,
        )
        enrich_session(later, feedback={"thumbs": "up"}, tracer_instance=tracer)
    tracer.shutdown(wait=True)
    bodies = {r.json()["event_id"]: r.json() for r in loopback.enrichments()}
    assert set(bodies) == {target, later}
    assert bodies[target]["metadata"]["channel"] == "email"
    assert bodies[target]["outputs"] == {"answer": "42"}
    assert bodies[target]["config"] == {"model": "m"}
    assert bodies[target]["feedback"] == {"rating": 4}
    assert bodies[target]["metrics"] == {"latency_ms": 12}
    assert bodies[target]["user_properties"] == {"plan": "pro"}
    assert bodies[later]["feedback"] == {"thumbs": "up"}
    assert all(r.headers["authorization"] == f"Bearer {API_KEY}" for r in loopback.enrichments())


# --- session_id= in decorators: at decoration time ----------------------------------------------


def test_trace_session_id_warns_at_decoration_and_keeps_own_session(
    tracers: Tracers, caught: list[warnings.WarningMessage]
) -> None:
    tracer, exporter = tracers.in_memory()
    line = sys._getframe().f_lineno + 1

    @trace(tracer=tracer, session_id=other_session())
    def retargeted() -> None:
        pass

    warning = only_warning(caught, TracerReuseWarning)  # before any call
    assert str(warning.message).startswith(HH002.text(usage=override_usage("trace")))
    assert_points_here(warning, line, line + 1)
    retargeted()
    assert session_of(only_span(exporter, retargeted.__qualname__)) == tracer.session_id


def test_atrace_session_id_warns_at_decoration(
    tracers: Tracers, caught: list[warnings.WarningMessage]
) -> None:
    tracer, exporter = tracers.in_memory()
    line = sys._getframe().f_lineno + 1

    @atrace(tracer=tracer, session_id=other_session())
    async def retargeted() -> None:
        pass

    warning = only_warning(caught, TracerReuseWarning)
    assert str(warning.message).startswith(HH002.text(usage=override_usage("atrace")))
    assert_points_here(warning, line, line + 1)
    asyncio.run(retargeted())
    assert session_of(only_span(exporter, retargeted.__qualname__)) == tracer.session_id


def test_trace_class_and_bound_trace_session_id_warn_at_decoration(
    tracers: Tracers, caught: list[warnings.WarningMessage]
) -> None:
    tracer, exporter = tracers.in_memory()
    class_line = sys._getframe().f_lineno + 1

    @trace_class(tracer=tracer, session_id=other_session())
    class Service:
        def handle(self) -> None:
            pass

    warning = only_warning(caught, TracerReuseWarning)
    assert str(warning.message).startswith(HH002.code)
    assert_points_here(warning, class_line, class_line + 1)
    caught.clear()
    bound_line = sys._getframe().f_lineno + 1

    @tracer.trace(session_id=other_session())
    def bound() -> None:
        pass

    warning = only_warning(caught, TracerReuseWarning)
    assert str(warning.message).startswith(HH002.code)
    assert_points_here(warning, bound_line, bound_line + 1)
    Service().handle()
    bound()
    assert session_of(only_span(exporter, Service.handle.__qualname__)) == tracer.session_id
    assert session_of(only_span(exporter, bound.__qualname__)) == tracer.session_id


def test_strict_tracer_fails_at_decoration_time(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory(strict=True)
    with pytest.raises(SingleSessionError) as raised:

        @trace(tracer=tracer, session_id=other_session())
        def by_trace() -> None:
            pass

    assert str(raised.value).startswith(HH002.text(usage=override_usage("trace")))
    with pytest.raises(SingleSessionError):

        @atrace(tracer=tracer, session_id=other_session())
        async def by_atrace() -> None:
            pass

    with pytest.raises(SingleSessionError):

        @tracer.trace(session_id=other_session())
        def by_bound_trace() -> None:
            pass

    with pytest.raises(SingleSessionError):

        @trace_class(tracer=tracer, session_id=other_session())
        class Service:
            pass

    assert exporter.get_finished_spans() == ()


def test_hh_strict_env_fails_decoration_without_a_tracer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HH_STRICT", "true")
    with pytest.raises(SingleSessionError):

        @trace(session_id=other_session())
        def module_level_in_real_code() -> None:
            pass


# --- warnings filters work as Python users expect -----------------------------------------------

HH001_AND_HH002_SCRIPT = """
import uuid
from honeyhive import HoneyHiveTracer
tracer = HoneyHiveTracer.init(project="p", test_mode=True)
tracer.enrich_session(session_id=tracer.session_id, metadata={"x": 1})
print("after HH001", flush=True)
tracer.enrich_session(session_id=str(uuid.uuid4()), metadata={"x": 1})
print("after HH002", flush=True)
"""


def test_default_filters_show_both_warnings_at_the_users_line() -> None:
    result = run_python(HH001_AND_HH002_SCRIPT)
    assert result.returncode == 0, result.stderr
    assert "<string>:5: SessionIdArgumentWarning: HH001" in result.stderr
    assert "<string>:7: TracerReuseWarning: HH002" in result.stderr


def test_dash_w_error_turns_hh002_into_an_error_and_spares_hh001() -> None:
    result = run_python(
        HH001_AND_HH002_SCRIPT, options=("-W", "error::honeyhive.TracerReuseWarning")
    )
    assert result.returncode != 0
    assert "after HH001" in result.stdout
    assert "after HH002" not in result.stdout
    assert "TracerReuseWarning: HH002" in result.stderr


@pytest.mark.filterwarnings("error::honeyhive.TracerReuseWarning")
def test_pytest_filterwarnings_error(tracers: Tracers) -> None:
    tracer, _ = tracers.in_memory()
    with pytest.raises(TracerReuseWarning):
        tracer.enrich_session(session_id=other_session(), metadata={"x": 1})


@pytest.mark.filterwarnings("ignore::honeyhive.HoneyHiveWarning")
def test_pytest_filterwarnings_ignore(tracers: Tracers) -> None:
    tracer, _ = tracers.in_memory()
    with warnings.catch_warnings(record=True) as recorded:
        tracer.enrich_session(session_id=tracer.session_id, metadata={"x": 1})
        tracer.enrich_session(session_id=other_session(), metadata={"x": 1})
    assert recorded == []


# --- legacy session-switching methods -----------------------------------------------------------


def test_create_session_warns_and_moves_the_context_to_a_new_session(
    tracers: Tracers, caught: list[warnings.WarningMessage]
) -> None:
    tracer, exporter = tracers.in_memory()
    original = tracer.session_id

    @trace
    def after_switch() -> None:
        pass

    def body() -> tuple[str | None, int]:
        line = sys._getframe().f_lineno + 1
        new_id = tracer.create_session(session_name="per-request")
        after_switch()
        return new_id, line

    new_id, line = in_fresh_context(body)
    warning = only_warning(caught, TracerReuseWarning)
    assert str(warning.message).startswith(HH002.text(usage=legacy_method_usage("create_session")))
    assert_points_here(warning, line)
    assert new_id is not None
    assert uuid.UUID(new_id)
    assert new_id != original
    assert tracer.session_id == original
    assert session_of(only_span(exporter, after_switch.__qualname__)) == new_id


def test_session_start_warns_and_returns_a_new_session(
    tracers: Tracers, caught: list[warnings.WarningMessage]
) -> None:
    tracer, exporter = tracers.in_memory()
    original = tracer.session_id

    @trace
    def after_start() -> None:
        pass

    def body() -> str | None:
        new_id = tracer.session_start()
        after_start()
        return new_id

    new_id = in_fresh_context(body)
    warning = only_warning(caught, TracerReuseWarning)
    assert str(warning.message).startswith(HH002.text(usage=legacy_method_usage("session_start")))
    assert new_id not in (None, original)
    assert tracer.session_id == original
    assert session_of(only_span(exporter, after_start.__qualname__)) == new_id


def test_acreate_session_warns_and_moves_the_task_to_a_new_session(
    tracers: Tracers, caught: list[warnings.WarningMessage]
) -> None:
    tracer, exporter = tracers.in_memory()
    original = tracer.session_id

    @trace
    async def after_switch() -> None:
        await asyncio.sleep(0)

    async def handler() -> str | None:
        new_id = await tracer.acreate_session(session_name="async-request")
        await after_switch()
        return new_id

    new_id = in_fresh_context(lambda: asyncio.run(handler()))
    warning = only_warning(caught, TracerReuseWarning)
    assert str(warning.message).startswith(HH002.text(usage=legacy_method_usage("acreate_session")))
    assert new_id not in (None, original)
    assert tracer.session_id == original
    assert session_of(only_span(exporter, after_switch.__qualname__)) == new_id


def test_with_session_deactivates_on_exit(
    tracers: Tracers, caught: list[warnings.WarningMessage]
) -> None:
    tracer, exporter = tracers.in_memory()

    @trace
    def step() -> None:
        pass

    @trace(tracer=tracer, event_name="request")
    def request() -> str | None:
        with tracer.with_session(session_name="scoped") as scoped_id:
            step()
        step()
        return scoped_id

    scoped_id = in_fresh_context(request)
    warning = only_warning(caught, TracerReuseWarning)
    assert str(warning.message).startswith(HH002.text(usage=legacy_method_usage("with_session")))
    assert scoped_id not in (None, tracer.session_id)
    sessions = [session_of(span) for span in spans_named(exporter, step.__qualname__)]
    assert sessions == [scoped_id, tracer.session_id]


def test_legacy_session_starts_on_the_same_destination(
    loopback: LoopbackServer, tracers: Tracers, caught: list[warnings.WarningMessage]
) -> None:
    tracer = tracers.on_wire(loopback)
    new_id = in_fresh_context(
        lambda: tracer.create_session(session_name="legacy", metadata={"route": "/chat"})
    )
    assert loopback.wait_for(lambda server: len(server.session_starts()) == 2)
    starts = {r.json()["session"]["session_id"]: r for r in loopback.session_starts()}
    assert set(starts) == {tracer.session_id, new_id}
    legacy = starts[new_id]
    assert legacy.headers["authorization"] == f"Bearer {API_KEY}"
    assert legacy.json()["session"]["session_name"] == "legacy"
    assert (
        legacy.json()["session"]["project"]
        == starts[tracer.session_id].json()["session"]["project"]
    )


def test_legacy_methods_raise_in_strict_mode(loopback: LoopbackServer, tracers: Tracers) -> None:
    tracer = tracers.on_wire(loopback, strict=True)

    def with_session() -> None:
        with tracer.with_session():
            pass

    for call in (
        tracer.create_session,
        tracer.session_start,
        with_session,
        lambda: asyncio.run(tracer.acreate_session()),
    ):
        with pytest.raises(SingleSessionError):
            in_fresh_context(call)
    tracer.shutdown(wait=True)
    assert [r.json()["session"]["session_id"] for r in loopback.session_starts()] == [
        tracer.session_id
    ]
