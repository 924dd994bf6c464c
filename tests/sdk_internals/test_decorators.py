"""Decorator internals: argument capture, value conversion, generator protocol, class tracing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, Generator
from typing import Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from honeyhive import enrich_span, trace, trace_class
from honeyhive.tracer.attributes import flatten, to_attribute

from .conftest import Made


def only(exporter: InMemorySpanExporter, name: str) -> ReadableSpan:
    spans = [s for s in exporter.get_finished_spans() if s.name == name]
    assert len(spans) == 1, [s.name for s in exporter.get_finished_spans()]
    return spans[0]


def attributes(span: ReadableSpan) -> dict[str, Any]:
    return dict(span.attributes or {})


class Opaque:
    def __repr__(self) -> str:
        return "<opaque>"


def test_values_are_converted_cheaply_and_safely() -> None:
    circular: list[Any] = []
    circular.append(circular)
    assert to_attribute("s") == "s"
    assert to_attribute(True) is True
    assert to_attribute(3) == 3
    assert to_attribute(0.5) == 0.5
    assert to_attribute([1, 2]) == [1, 2]
    assert json.loads(str(to_attribute([1, "a"]))) == [1, "a"]
    assert json.loads(str(to_attribute({"k": [1, {"x": None}]}))) == {"k": [1, {"x": None}]}
    assert to_attribute(Opaque()) == "<opaque>"
    assert json.loads(str(to_attribute({"o": Opaque()}))) == {"o": "<opaque>"}
    assert to_attribute(circular) == repr(circular)
    assert to_attribute([]) == "[]"
    assert dict(flatten("p", {"a": {"b": {"c": 1}}, "n": None, "e": {}})) == {
        "p.a.b.c": 1,
        "p.e": "{}",
    }


def test_arguments_map_to_inputs_without_binding(made: Made) -> None:
    tracer, exporter = made.in_memory()

    @trace(tracer=tracer, event_name="shape")
    def shape(a: int, b: str = "dflt", *rest: int, c: Any = None, d: int = 4, **extra: Any) -> None:
        pass

    shape(1, "given", 7, 8, c={"k": 1}, flag=True, tracer="ignored")
    found = attributes(only(exporter, "shape"))
    inputs = {k: v for k, v in found.items() if k.startswith("honeyhive_inputs.")}
    assert inputs == {
        "honeyhive_inputs.a": 1,
        "honeyhive_inputs.b": "given",
        "honeyhive_inputs.rest": (7, 8),
        "honeyhive_inputs.c": '{"k": 1}',
        "honeyhive_inputs.d": 4,  # a default, as 1.7 captured them
        "honeyhive_inputs.flag": True,
    }
    exporter.clear()
    shape(2)
    inputs = {k: v for k, v in attributes(only(exporter, "shape")).items() if "inputs" in k}
    assert inputs == {
        "honeyhive_inputs.a": 2,
        "honeyhive_inputs.b": "dflt",
        "honeyhive_inputs.d": 4,
    }


def test_methods_do_not_record_the_receiver(made: Made) -> None:
    tracer, exporter = made.in_memory()

    @trace_class(tracer=tracer, metadata={"layer": "service"})
    class Service:
        def handle(self, request: str) -> str:
            return request * 2

        @staticmethod
        def helper(value: int) -> int:
            return value + 1

        @classmethod
        def build(cls, name: str) -> str:
            return f"{cls.__name__}:{name}"

        @property
        def public_property(self) -> int:
            return 1

    service = Service()
    assert service.handle("ab") == "abab"
    assert Service.helper(1) == 2
    assert Service.build("x") == "Service:x"
    assert service.public_property == 1
    handle = attributes(
        only(exporter, "test_methods_do_not_record_the_receiver.<locals>.Service.handle")
    )
    assert handle["honeyhive_inputs.request"] == "ab"
    assert "honeyhive_inputs.self" not in handle
    assert handle["honeyhive_metadata.layer"] == "service"
    names = sorted(span.name.rsplit(".", 1)[1] for span in exporter.get_finished_spans())
    assert names == ["build", "handle", "helper"]
    build = next(s for s in exporter.get_finished_spans() if s.name.endswith("build"))
    assert "honeyhive_inputs.cls" not in attributes(build)


def test_decorator_outputs_replace_the_result_and_event_id_is_kept(made: Made) -> None:
    tracer, exporter = made.in_memory()

    @trace(tracer=tracer, event_name="fixed", outputs={"answer": 42}, event_id="evt-1")
    def fixed() -> str:
        return "ignored"

    fixed()
    found = attributes(only(exporter, "fixed"))
    assert found["honeyhive_outputs.answer"] == 42
    assert "honeyhive_outputs.result" not in found
    assert found["honeyhive_event_id"] == "evt-1"


def test_generator_protocol_send_throw_close(made: Made) -> None:
    tracer, exporter = made.in_memory()

    @trace(tracer=tracer, event_name="echo")
    def echo() -> Generator[str, str, str]:
        received = yield "ready"
        try:
            while True:
                received = yield f"got {received}"
        except KeyError:
            yield "recovered"
        return "done"

    stream = echo()
    assert next(stream) == "ready"
    assert stream.send("a") == "got a"
    assert stream.throw(KeyError("k")) == "recovered"
    with pytest.raises(StopIteration) as stop:
        next(stream)
    assert stop.value.value == "done"
    span = only(exporter, "echo")
    assert span.status.status_code is StatusCode.UNSET
    assert attributes(span)["honeyhive_outputs.result"] == "done"

    exporter.clear()
    closed = echo()
    next(closed)
    closed.close()  # abandoning a stream is not an error
    assert only(exporter, "echo").status.status_code is StatusCode.UNSET


def test_unstarted_generator_makes_no_span(made: Made) -> None:
    tracer, exporter = made.in_memory()

    @trace(tracer=tracer)
    def never_iterated() -> Generator[int, None, None]:
        yield 1

    never_iterated()
    assert exporter.get_finished_spans() == ()


def test_async_generator_close_and_context(made: Made) -> None:
    tracer, exporter = made.in_memory()

    @trace
    def inner() -> None:
        pass

    @trace(tracer=tracer, event_name="stream")
    async def stream() -> AsyncGenerator[int, None]:
        for i in range(10):
            inner()  # resolved to `tracer`: active while the generator body runs
            yield i

    async def consume() -> None:
        agen = stream()
        assert [await agen.__anext__(), await agen.__anext__()] == [0, 1]
        await agen.aclose()

    asyncio.run(consume())
    parent = only(exporter, "stream")
    children = [s for s in exporter.get_finished_spans() if s.name.endswith("inner")]
    assert len(children) == 2
    assert all(
        c.parent is not None and c.parent.span_id == parent.context.span_id for c in children
    )


def test_base_exceptions_end_the_span_without_an_error(made: Made) -> None:
    tracer, exporter = made.in_memory()

    @trace(tracer=tracer, event_name="interrupted")
    def interrupted() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    assert only(exporter, "interrupted").status.status_code is StatusCode.UNSET


def test_an_exception_with_a_broken_str_is_still_recorded(made: Made) -> None:
    tracer, exporter = made.in_memory()

    class Broken(Exception):
        def __str__(self) -> str:
            raise RuntimeError("no text")

    @trace(tracer=tracer, event_name="broken")
    def broken() -> None:
        raise Broken

    with pytest.raises(Broken):
        broken()
    span = only(exporter, "broken")
    assert span.status.status_code is StatusCode.ERROR
    assert attributes(span)["honeyhive_error"] == "Broken"


def test_bound_trace_keywords_and_start_span(made: Made) -> None:
    tracer, exporter = made.in_memory()
    with tracer.trace("block", event_type="chain", custom={"k": 1}) as span:
        span.set_attribute("inside", 1)
    with tracer.start_span("legacy", flag=True):
        pass
    block = attributes(only(exporter, "block"))
    assert block["honeyhive_event_type"] == "chain"
    assert json.loads(block["custom"]) == {"k": 1}
    assert attributes(only(exporter, "legacy"))["flag"] is True
    with pytest.raises(TypeError, match="tracer"):
        tracer.trace("x", tracer=tracer)
    with pytest.raises(TypeError, match="metadata must be a dict"):
        tracer.trace("x", metadata=["not", "a", "dict"])  # type: ignore[call-overload]


def test_async_with_on_the_bound_trace(made: Made) -> None:
    tracer, exporter = made.in_memory()

    async def main() -> None:
        async with tracer.trace("async-block") as span:
            span.set_attribute("ok", True)

    asyncio.run(main())
    assert attributes(only(exporter, "async-block"))["ok"] is True


def test_bad_decorator_arguments_are_clear_errors(made: Made) -> None:
    tracer, _ = made.in_memory()
    with pytest.raises(TypeError, match="tracer must be a HoneyHiveTracer"):
        trace(tracer="not a tracer")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="not callable"):
        trace(tracer=tracer)(42)  # type: ignore[type-var]
    with pytest.raises(TypeError, match="decorates classes"):
        trace_class(tracer=tracer)(len)  # type: ignore[type-var]


def test_enrich_span_puts_attributes_and_keywords_into_metadata(made: Made) -> None:
    tracer, exporter = made.in_memory()

    @trace(tracer=tracer, event_name="enriched")
    def enriched() -> None:
        assert enrich_span(metadata={"a": 1, "b": 1}, attributes={"b": 2}, c=3)

    enriched()
    found = attributes(only(exporter, "enriched"))
    assert (found["honeyhive_metadata.a"], found["honeyhive_metadata.b"]) == (1, 2)
    assert found["honeyhive_metadata.c"] == 3
    assert enrich_span(metadata={"outside": 1}) is False


def test_link_carrier_continues_a_remote_trace(made: Made) -> None:
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    carrier = {"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"}
    tracer, exporter = made.in_memory(link_carrier=carrier)

    @trace(tracer=tracer, event_name="linked")
    def linked() -> None:
        pass

    linked()
    span = only(exporter, "linked")
    assert f"{span.context.trace_id:032x}" == trace_id
    assert span.parent is not None
    assert span.parent.is_remote
