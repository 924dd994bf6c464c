"""Whatever data an application records, the session stays attached and nothing raises or drops.

- OpenTelemetry keeps at most 128 attributes per span (``OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT``) and
  evicts the oldest for each one beyond, logging a line each time: the session's attributes are
  the oldest. Beyond the limit, the SDK stores the rest as one JSON attribute.
- Session data that JSON cannot carry (a cycle, deep nesting, a failing ``__repr__``, keys that are
  not strings, NaN) is stored as its repr; it never drops the session start.
- ``enrich_session`` sends its data as it was at the call, however deeply it changes afterwards.
- A traced call never raises because of its arguments.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from typing import Any

from opentelemetry import trace as otel

from honeyhive import HoneyHiveTracer, enrich_span, trace

from .helpers import LogCapture, Tracers, attrs, only_span, session_of
from .loopback import LoopbackServer

LIMIT = 128  # OpenTelemetry's default
OVERFLOW = "honeyhive_metadata.attributes_overflow"
SESSION_KEYS = ("honeyhive.session_id", "honeyhive.project", "honeyhive.source")


def session_attributes_of(
    span_attributes: Mapping[str, Any], tracer: HoneyHiveTracer
) -> dict[str, Any]:
    return {key: span_attributes.get(key) for key in SESSION_KEYS}


def expected_session(tracer: HoneyHiveTracer) -> dict[str, Any]:
    return {
        "honeyhive.session_id": tracer.session_id,
        "honeyhive.project": tracer.project,
        "honeyhive.source": tracer.source,
    }


def eviction_lines(logs: LogCapture) -> list[str]:
    return [text for text in logs.texts() if "Dropping the oldest" in text]


def test_enrich_span_past_the_limit_keeps_the_session(
    tracers: Tracers, all_logs: LogCapture
) -> None:
    tracer, exporter = tracers.in_memory()

    @trace(tracer=tracer)
    def enriched() -> None:
        enrich_span(metadata={f"k{i}": i for i in range(300)})
        enrich_span(metadata={f"more{i}": i for i in range(10)})  # merged into the same JSON

    enriched()
    span = attrs(only_span(exporter, enriched.__qualname__))
    assert session_attributes_of(span, tracer) == expected_session(tracer)
    assert len(span) <= LIMIT
    spilled = json.loads(span[OVERFLOW])
    kept = {int(key.rsplit(".k", 1)[1]) for key in span if key.startswith("honeyhive_metadata.k")}
    assert kept | {int(k.rsplit(".k", 1)[1]) for k in spilled if ".k" in k} == set(range(300))
    assert {f"honeyhive_metadata.more{i}" for i in range(10)} <= set(spilled)
    assert eviction_lines(all_logs) == []
    overflow_lines = {t for t in all_logs.texts() if "attribute limit" in t}
    assert len(overflow_lines) == 1  # the second call's line is rate-limited away


def test_a_hundred_thousand_keys_is_one_log_line_and_a_whole_session(
    tracers: Tracers, all_logs: LogCapture
) -> None:
    tracer, exporter = tracers.in_memory()
    with tracer.trace("big") as _:
        assert enrich_span(metadata={f"k{i}": i for i in range(100_000)}) is True
    span = attrs(only_span(exporter, "big"))
    assert session_attributes_of(span, tracer) == expected_session(tracer)
    assert len(json.loads(span[OVERFLOW])) > 99_000
    assert eviction_lines(all_logs) == []
    assert len({t for t in all_logs.texts() if "attribute limit" in t}) <= 1  # rate-limited


def test_a_traced_call_with_many_arguments_keeps_the_session(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory()

    @trace(tracer=tracer, event_name="wide")
    def wide(**fields: int) -> int:
        return len(fields)

    assert wide(**{f"f{i}": i for i in range(500)}) == 500
    span = attrs(only_span(exporter, "wide"))
    assert session_attributes_of(span, tracer) == expected_session(tracer)
    assert span["honeyhive_outputs.result"] == 500
    spilled = json.loads(span[OVERFLOW])
    recorded = {k for k in span if k.startswith("honeyhive_inputs.")} | set(spilled)
    assert {f"honeyhive_inputs.f{i}" for i in range(500)} <= recorded


def test_application_attributes_past_the_limit_never_evict_the_session(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory()

    @trace(tracer=tracer, event_name="noisy")
    def noisy() -> None:
        span = otel.get_current_span()
        for i in range(2 * LIMIT):  # straight through OpenTelemetry's API
            span.set_attribute(f"app.{i}", i)

    noisy()
    span = attrs(only_span(exporter, "noisy"))
    assert session_attributes_of(span, tracer) == expected_session(tracer)


def test_an_instrumentations_span_past_the_limit_keeps_its_session(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory()
    library = tracer.provider.get_tracer("some.instrumentation")
    with tracer, library.start_as_current_span("library.call") as span:
        for i in range(2 * LIMIT):
            span.set_attribute(f"lib.{i}", i)
    assert session_of(only_span(exporter, "library.call")) == tracer.session_id


class Unprintable:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")


class BrokenMapping(Mapping[str, Any]):
    """A mapping whose items cannot be read."""

    def __getitem__(self, key: str) -> Any:
        raise RuntimeError("unreadable")

    def __iter__(self) -> Iterator[str]:
        raise RuntimeError("unreadable")

    def __len__(self) -> int:
        return 1


def awkward_values() -> dict[str, Any]:
    cycle: dict[str, Any] = {"name": "cycle"}
    cycle["self"] = cycle
    deep: list[Any] = []
    for _ in range(3_000):
        deep = [deep]
    return {
        "cycle": cycle,
        "deep": deep,
        "unprintable": Unprintable(),
        "tuple_key": {("a", 1): "x"},
        "nan_key": {math.nan: "y"},
        "nan": math.nan,
        "broken": BrokenMapping(),
        "fine": {"answer": 42},
    }


def test_unencodable_session_data_never_drops_the_session_start(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    tracer = tracers.on_wire(loopback, inputs=awkward_values(), metadata=awkward_values())

    @trace(tracer=tracer)
    def step() -> None:
        pass

    step()
    tracer.enrich_session(metadata=awkward_values(), feedback=awkward_values())
    assert tracer.flush(timeout_millis=10_000)
    [start] = loopback.session_starts()
    session = start.json()["session"]
    assert session["session_id"] == tracer.session_id
    inputs = session["inputs"]
    assert inputs["fine"] == {"answer": 42}
    assert inputs["nan"] is None
    assert inputs["cycle"]["name"] == "cycle"
    assert isinstance(inputs["cycle"]["self"], str)  # the cycle, stored as its repr
    assert inputs["unprintable"] == "<Unprintable object>"
    assert inputs["tuple_key"] == {"('a', 1)": "x"}
    assert inputs["nan_key"] == {"nan": "y"}
    assert isinstance(inputs["deep"], list)
    [put] = loopback.enrichments()
    assert put.json()["feedback"]["fine"] == {"answer": 42}
    assert [span.session_id for span in loopback.spans()] == [tracer.session_id]
    assert tracer.stats.events_dropped == 0


def test_enrich_session_sends_the_data_as_it_was_at_the_call(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    tracer = tracers.on_wire(loopback)
    feedback = {"rating": {"score": 1, "tags": ["good"]}}
    tracer.enrich_session(feedback=feedback)
    feedback["rating"]["score"] = 5
    feedback["rating"]["tags"].append("changed later")  # type: ignore[attr-defined]
    assert tracer.flush(timeout_millis=10_000)
    [put] = loopback.enrichments()
    assert put.json()["feedback"] == {"rating": {"score": 1, "tags": ["good"]}}


def test_a_traced_call_never_raises_because_of_its_arguments(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory()

    class RaisingDict(dict[str, Any]):
        def items(self) -> Any:
            raise RuntimeError("items() failed")

        def __iter__(self) -> Any:
            raise RuntimeError("iteration failed")

    @trace(tracer=tracer, event_name="takes_anything")
    def takes_anything(data: Any, *rest: Any, **named: Any) -> Any:
        return data

    weird = RaisingDict(a=1)
    assert takes_anything(weird, BrokenMapping(), Unprintable(), other=weird) is weird
    span = attrs(only_span(exporter, "takes_anything"))
    assert session_attributes_of(span, tracer) == expected_session(tracer)
    assert isinstance(span["honeyhive_inputs.data"], str)
    assert isinstance(span["honeyhive_outputs.result"], str)
