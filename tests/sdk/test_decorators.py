"""`trace`, `atrace`, `trace_class`, `tracer.trace`, `enrich_span`, and which tracer owns a span."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import StatusCode

from honeyhive import atrace, enrich_span, trace, trace_class

from .helpers import Tracers, attrs, only_span, run_python_json, session_of, spans_named


def test_bare_trace_uses_the_active_tracer_and_the_qualified_name(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory()

    @trace
    def inner(a: int, b: str = "x") -> int:
        return a + len(b)

    @trace(tracer=tracer)
    def outer() -> int:
        return inner(1, b="two")

    assert outer() == 4
    span = only_span(exporter, inner.__qualname__)
    assert session_of(span) == tracer.session_id
    found = attrs(span)
    assert found["honeyhive_inputs.a"] == 1
    assert found["honeyhive_inputs.b"] == "two"
    assert found["honeyhive_outputs.result"] == 4
    assert span.parent is not None
    assert span.parent.span_id == only_span(exporter, outer.__qualname__).context.span_id


def test_trace_keywords_become_attributes(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory()

    @trace(
        event_type="chain",
        event_name="custom-name",
        metadata={"team": "search"},
        metrics={"budget": 3},
        feedback={"reviewed": False},
        tracer=tracer,
    )
    def configured() -> str:
        return "done"

    assert configured() == "done"
    found = attrs(only_span(exporter, "custom-name"))
    assert found["honeyhive_event_type"] == "chain"
    assert found["honeyhive_event_name"] == "custom-name"
    assert found["honeyhive_metadata.team"] == "search"
    assert found["honeyhive_metrics.budget"] == 3
    assert found["honeyhive_feedback.reviewed"] is False


def test_decorated_functions_keep_their_identity(tracers: Tracers) -> None:
    tracer, _ = tracers.in_memory()

    @trace(tracer=tracer)
    def documented() -> None:
        """Docs stay."""

    @trace(tracer=tracer)
    async def coroutine() -> None:
        pass

    assert documented.__name__ == "documented"
    assert documented.__doc__ == "Docs stay."
    # Frameworks (FastAPI, pytest) decide how to call a function by this.
    assert inspect.iscoroutinefunction(coroutine)


@pytest.mark.parametrize("decorator", ["trace", "atrace"])
def test_async_functions(decorator: str, tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory()
    chosen = trace if decorator == "trace" else atrace

    @chosen(tracer=tracer, event_name="async-call")
    async def answer(question: str) -> str:
        await asyncio.sleep(0)
        return question.upper()

    assert asyncio.run(answer("hi")) == "HI"
    found = attrs(only_span(exporter, "async-call"))
    assert found["honeyhive.session_id"] == tracer.session_id
    assert found["honeyhive_inputs.question"] == "hi"
    assert found["honeyhive_outputs.result"] == "HI"


def test_sync_generator_span_covers_the_whole_iteration(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory()

    @trace(tracer=tracer)
    def numbers(n: int) -> Iterator[int]:
        yield from range(n)

    stream = numbers(3)
    assert next(stream) == 0
    assert spans_named(exporter, numbers.__qualname__) == []  # still running
    assert list(stream) == [1, 2]
    assert session_of(only_span(exporter, numbers.__qualname__)) == tracer.session_id


def test_async_generator_span_covers_the_whole_iteration(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory()

    @trace(tracer=tracer)
    async def tokens(n: int) -> AsyncIterator[int]:
        for i in range(n):
            await asyncio.sleep(0)
            yield i

    async def consume() -> list[int]:
        stream = tokens(3)
        first = await stream.__anext__()
        assert spans_named(exporter, tokens.__qualname__) == []  # still running
        return [first] + [item async for item in stream]

    assert asyncio.run(consume()) == [0, 1, 2]
    assert session_of(only_span(exporter, tokens.__qualname__)) == tracer.session_id


def _assert_recorded(span: ReadableSpan, message: str) -> None:
    assert span.status.status_code == StatusCode.ERROR
    events = [event for event in span.events if event.name == "exception"]
    assert len(events) == 1
    details = dict(events[0].attributes or {})
    assert "ValueError" in str(details["exception.type"])
    assert details["exception.message"] == message


def test_exceptions_are_recorded_and_reraised_unchanged(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory()
    error = ValueError("boom")

    @trace(tracer=tracer)
    def fails() -> None:
        raise error

    @trace(tracer=tracer)
    async def fails_async() -> None:
        raise error

    @trace(tracer=tracer)
    def fails_midway() -> Iterator[int]:
        yield 1
        raise error

    with pytest.raises(ValueError, match="boom") as raised:
        fails()
    assert raised.value is error
    _assert_recorded(only_span(exporter, fails.__qualname__), "boom")

    with pytest.raises(ValueError, match="boom") as raised_async:
        asyncio.run(fails_async())
    assert raised_async.value is error
    _assert_recorded(only_span(exporter, fails_async.__qualname__), "boom")

    stream = fails_midway()
    assert next(stream) == 1
    with pytest.raises(ValueError, match="boom") as raised_midway:
        next(stream)
    assert raised_midway.value is error
    _assert_recorded(only_span(exporter, fails_midway.__qualname__), "boom")


def test_trace_class_traces_public_methods_only(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory()

    @trace_class
    class Agent:
        def plan(self, goal: str) -> str:
            return self._think(goal)

        async def act(self) -> str:
            return "acted"

        def _think(self, goal: str) -> str:
            return goal[::-1]

    @trace(tracer=tracer)
    def run() -> tuple[str, str]:
        agent = Agent()
        return agent.plan("abc"), asyncio.run(agent.act())

    assert run() == ("cba", "acted")
    names = [span.name for span in exporter.get_finished_spans()]
    assert only_span(exporter, Agent.plan.__qualname__)
    assert only_span(exporter, Agent.act.__qualname__)
    assert not any(name.endswith("_think") for name in names), names
    for span in exporter.get_finished_spans():
        assert session_of(span) == tracer.session_id


def test_decorators_stack_above_classmethod_and_staticmethod(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory()

    class Store:
        @trace
        @classmethod
        def build(cls, name: str) -> str:
            return f"{cls.__name__}:{name}"

        @atrace
        @classmethod
        async def abuild(cls, name: str) -> str:
            return name

        @tracer.trace
        @classmethod
        def bound(cls, size: int) -> int:
            return size

        @trace
        @staticmethod
        def helper(value: int) -> int:
            return value + 1

    @trace(tracer=tracer)
    def run() -> tuple[str, str, int, int]:
        return Store.build("x"), asyncio.run(Store.abuild("y")), Store().bound(3), Store.helper(1)

    assert run() == ("Store:x", "y", 3, 2)
    for method in ("build", "abuild", "bound", "helper"):
        span = only_span(exporter, f"{Store.__qualname__}.{method}")
        assert session_of(span) == tracer.session_id
        assert "honeyhive_inputs.cls" not in attrs(span)
    assert attrs(only_span(exporter, f"{Store.__qualname__}.build"))["honeyhive_inputs.name"] == "x"


def test_bound_trace_as_decorator_and_context_manager(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory()

    @tracer.trace()
    def plain() -> int:
        return 1

    @tracer.trace(event_type="tool", event_name="named-tool")
    def named() -> int:
        return 2

    assert plain() + named() == 3
    with tracer.trace("block") as span:
        span.set_attribute("inside", True)
        plain()
    block = only_span(exporter, "block")
    assert attrs(block)["inside"] is True
    assert attrs(only_span(exporter, "named-tool"))["honeyhive_event_type"] == "tool"
    parents = [
        s.parent.span_id if s.parent else None for s in spans_named(exporter, plain.__qualname__)
    ]
    assert parents == [None, block.context.span_id]
    for recorded in exporter.get_finished_spans():
        assert session_of(recorded) == tracer.session_id


def test_one_trace_scope_entered_by_tasks_that_exit_out_of_order(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory()
    shared = tracer.trace("shared-step")
    first_entered, second_entered, first_exited = asyncio.Event(), asyncio.Event(), asyncio.Event()

    @trace
    def work(task: str) -> str:
        return task

    async def first() -> None:
        async with shared:
            first_entered.set()
            await second_entered.wait()
            work("first")
        first_exited.set()  # while the task that entered later is still inside

    async def second() -> None:
        await first_entered.wait()
        async with shared:
            second_entered.set()
            await first_exited.wait()
            work("second")

    async def main() -> None:
        await asyncio.gather(first(), second())

    asyncio.run(main())
    scopes = {span.context.span_id for span in spans_named(exporter, "shared-step")}
    assert len(scopes) == 2
    works = spans_named(exporter, work.__qualname__)
    assert sorted(attrs(span)["honeyhive_inputs.task"] for span in works) == ["first", "second"]
    parents = {span.parent.span_id if span.parent else None for span in works}
    assert parents == scopes


def test_enrich_span_flattens_and_converts_values(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory()

    class Opaque:
        def __repr__(self) -> str:
            return "<opaque>"

    @trace(tracer=tracer)
    def enriched() -> None:
        enrich_span(
            metadata={
                "user": {"id": 7, "tier": {"name": "gold"}},
                "rows": [{"a": 1}, {"b": 2}],
                "mixed": [1, "a"],
                "dims": [3, 4],
                "opaque": Opaque(),
            },
            metrics={"score": 0.5},
            feedback={"liked": True},
            config={"model": "m-1"},
            user_properties={"plan": "pro"},
            inputs={"question": "q"},
            outputs={"answer": "a"},
            error="partial failure",
        )

    enriched()
    found = attrs(only_span(exporter, enriched.__qualname__))
    assert found["honeyhive_metadata.user.id"] == 7
    assert found["honeyhive_metadata.user.tier.name"] == "gold"
    assert json.loads(found["honeyhive_metadata.rows"]) == [{"a": 1}, {"b": 2}]
    assert json.loads(found["honeyhive_metadata.mixed"]) == [1, "a"]
    assert tuple(found["honeyhive_metadata.dims"]) == (3, 4)
    assert isinstance(found["honeyhive_metadata.opaque"], str)
    assert found["honeyhive_metrics.score"] == 0.5
    assert found["honeyhive_feedback.liked"] is True
    assert found["honeyhive_config.model"] == "m-1"
    assert found["honeyhive_user_properties.plan"] == "pro"
    assert found["honeyhive_inputs.question"] == "q"
    assert found["honeyhive_outputs.answer"] == "a"
    assert found["honeyhive_error"] == "partial failure"


def test_enrichment_and_tracing_never_raise_on_awkward_values(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory()

    class BrokenRepr:
        def __repr__(self) -> str:
            raise RuntimeError("repr is broken")

    looped: dict[str, object] = {}
    looped["self"] = looped

    @trace(tracer=tracer)
    def handler(request: object) -> object:
        # 1.7 stored a non-dict namespace value as the namespace attribute itself.
        not_dicts: dict[str, Any] = {"outputs": "the answer", "metrics": [1, 2]}
        assert enrich_span(**not_dicts)
        assert enrich_span(metadata={"loop": looped}, attributes="note")  # type: ignore[arg-type]
        assert enrich_span(metadata={"broken": BrokenRepr()})
        # Data that cannot even be named: skipped with a log line, never raised.
        assert not enrich_span(metadata={BrokenRepr(): 1})  # type: ignore[dict-item]
        assert not enrich_span(event_id=BrokenRepr(), metadata={"a": 1})  # type: ignore[arg-type]
        return request

    broken = BrokenRepr()
    assert handler(broken) is broken
    found = attrs(only_span(exporter, handler.__qualname__))
    assert found["honeyhive_outputs"] == "the answer"
    assert tuple(found["honeyhive_metrics"]) == (1, 2)
    assert found["honeyhive_metadata"] == "note"
    placeholder = f"<{BrokenRepr.__qualname__} object>"
    assert found["honeyhive_inputs.request"] == placeholder
    assert found["honeyhive_metadata.broken"] == placeholder
    assert any(key.startswith("honeyhive_metadata.loop.self") for key in found)


def test_instance_enrich_span_and_no_current_span(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory()
    # Outside any span: nothing to enrich, and nothing may break.
    enrich_span(metadata={"orphan": 1})
    tracer.enrich_span(metadata={"orphan": 1})

    @trace(tracer=tracer)
    def enriched_by_instance() -> None:
        tracer.enrich_span(metadata={"step": "retrieve"}, metrics={"docs": 4})

    enriched_by_instance()
    found = attrs(only_span(exporter, enriched_by_instance.__qualname__))
    assert found["honeyhive_metadata.step"] == "retrieve"
    assert found["honeyhive_metrics.docs"] == 4


def test_resolution_explicit_then_bound_then_active(tracers: Tracers) -> None:
    first, exporter = tracers.in_memory()
    second, _ = tracers.in_memory(exporter=exporter)

    @trace
    def free() -> None:
        pass

    @trace(tracer=first, event_name="explicit-first")
    def explicit_first() -> None:
        free()  # the active tracer is now `first`

    @first.trace(event_name="bound-first")
    def bound_first() -> None:
        pass

    @trace(tracer=second, event_name="in-second")
    def in_second() -> None:
        explicit_first()
        bound_first()
        free()
        with first.trace("first-block"):
            free()

    in_second()
    by_name: dict[str, list[object]] = {}
    for span in exporter.get_finished_spans():
        by_name.setdefault(span.name, []).append(session_of(span))
    assert by_name["explicit-first"] == [first.session_id]
    assert by_name["bound-first"] == [first.session_id]
    assert by_name["first-block"] == [first.session_id]
    assert by_name["in-second"] == [second.session_id]
    # In `explicit_first`, directly in `in_second`, and in `first`'s block, in call order.
    assert by_name[free.__qualname__] == [first.session_id, second.session_id, first.session_id]


FALLBACK_SCRIPT = """
import json
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from honeyhive import HoneyHiveTracer, enrich_span, trace

@trace
def work():
    enrich_span(metadata={"k": 1})
    return "ran"

before_any_tracer = work()  # no tracer at all: the function just runs
exporter = InMemorySpanExporter()
settings = dict(project="p", test_mode=True, disable_batch=True, exporter=exporter)
first = HoneyHiveTracer.init(**settings)
second = HoneyHiveTracer.init(**settings)
work()  # two live tracers and neither active: it belongs to neither, and is not traced
first.shutdown()
work()  # one live tracer: a script's, it gets the call
print(json.dumps({
    "before": before_any_tracer,
    "sessions": [s.attributes.get("honeyhive.session_id") for s in exporter.get_finished_spans()],
    "first": first.session_id,
    "second": second.session_id,
}))
"""


def test_a_call_outside_every_tracer_goes_only_to_the_sole_live_one() -> None:
    report = run_python_json(FALLBACK_SCRIPT)
    assert report["before"] == "ran"
    assert report["sessions"] == [report["second"]]


INSTRUMENTATION_SCRIPT = """
import asyncio, json
from opentelemetry import trace as otel
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from honeyhive import HoneyHiveTracer, trace

exporter = InMemorySpanExporter()
settings = dict(project="p", test_mode=True, disable_batch=True, exporter=exporter)
first = HoneyHiveTracer.init(**settings)
second = HoneyHiveTracer.init(**settings)
instrumentation = otel.get_tracer("some.http.instrumentation")

@trace(tracer=second, event_name="call-llm")
def call_llm():
    with instrumentation.start_as_current_span("http.request"):
        pass

@trace(tracer=first, event_name="call-llm-async")
async def call_llm_async():
    await asyncio.sleep(0)
    with instrumentation.start_as_current_span("http.request.async"):
        pass

call_llm()
asyncio.run(call_llm_async())
spans = {
    s.name: {
        "session": s.attributes.get("honeyhive.session_id"),
        "id": s.context.span_id,
        "parent": s.parent.span_id if s.parent else None,
    }
    for s in exporter.get_finished_spans()
}
print(json.dumps({"spans": spans, "first": first.session_id, "second": second.session_id}))
"""


def test_instrumentation_spans_land_in_the_traced_functions_session() -> None:
    # A fresh interpreter, so that the HoneyHive provider is the global OpenTelemetry provider.
    report = run_python_json(INSTRUMENTATION_SCRIPT)
    spans = report["spans"]
    assert spans["http.request"]["session"] == report["second"]
    assert spans["http.request"]["parent"] == spans["call-llm"]["id"]
    assert spans["http.request.async"]["session"] == report["first"]
    assert spans["http.request.async"]["parent"] == spans["call-llm-async"]["id"]
