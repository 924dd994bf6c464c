"""The tracer's constructor, its one session, environment variables, offline and test modes."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import honeyhive
import honeyhive.tracer
from honeyhive import HoneyHiveTracer, SingleSessionError, flush, trace
from honeyhive.rules import HH002, PUBLIC_NAMES, rebind_usage

from .helpers import (
    API_KEY,
    PROJECT,
    Tracers,
    attrs,
    only_span,
    run_python_json,
    session_of,
    spans_named,
)
from .loopback import LoopbackServer

SOME_UUID = "3F0C6A52-1B7E-4C1E-9A53-5D2F0F8F2A11"


def test_both_public_modules_export_the_same_api() -> None:
    for name in PUBLIC_NAMES:
        assert getattr(honeyhive, name) is getattr(honeyhive.tracer, name), name
    assert set(PUBLIC_NAMES) <= set(dir(honeyhive))


def test_constructor_and_init_build_tracers(tracers: Tracers) -> None:
    direct = HoneyHiveTracer(project=PROJECT, test_mode=True)
    tracers.made.append(direct)
    by_init, _ = tracers.in_memory()
    assert isinstance(direct, HoneyHiveTracer)
    assert isinstance(by_init, HoneyHiveTracer)


@pytest.mark.parametrize("factory", [HoneyHiveTracer, HoneyHiveTracer.init])
def test_unknown_keyword_is_a_type_error_naming_it(factory: Any, tracers: Tracers) -> None:
    with pytest.raises(TypeError, match="bogus_option"):
        tracers.made.append(factory(project=PROJECT, test_mode=True, bogus_option=1))


def test_an_exporter_that_is_not_one_is_a_type_error(tracers: Tracers) -> None:
    init: Any = HoneyHiveTracer.init  # a wrong type is a type error too: call it untyped
    with pytest.raises(TypeError, match="exporter must be an OpenTelemetry SpanExporter"):
        tracers.made.append(init(project=PROJECT, test_mode=True, exporter="in-memory"))


def test_wrongly_typed_arguments_are_type_errors_naming_them(tracers: Tracers) -> None:
    untyped: Any = honeyhive  # wrong types are type errors too: call through an untyped module
    with pytest.raises(TypeError, match="session_name must be a str, not int"):
        tracers.made.append(untyped.HoneyHiveTracer.init(test_mode=True, session_name=5))
    tracer, _ = tracers.in_memory()
    session_id = str(uuid.uuid4())
    with pytest.raises(TypeError, match="tracer must be a HoneyHiveTracer, not str"):
        untyped.flush("not-a-tracer")
    with pytest.raises(TypeError, match="tracer_instance must be a HoneyHiveTracer, not str"):
        untyped.enrich_session(session_id, {"a": 1}, tracer_instance="not-a-tracer")
    with pytest.raises(TypeError, match="tracer must be a HoneyHiveTracer, not str"):
        untyped.enrich_span(metadata={"a": 1}, tracer="not-a-tracer")
    untyped_tracer: Any = tracer
    with pytest.raises(TypeError, match="timeout_millis must be a number, not str"):
        untyped_tracer.flush("1000")
    with pytest.raises(TypeError, match="timeout_millis must be a number, not str"):
        untyped.flush(timeout_millis="1000")
    assert untyped_tracer.flush(timeout_millis=1000.5)  # a float is a number too
    with pytest.raises(ValueError, match="timeout_millis must be a number, not NaN"):
        untyped_tracer.flush(float("nan"))


def test_an_unbounded_flush_waits_without_overflowing(tracers: Tracers) -> None:
    # `inf` (or a huge deadline) must wait, not overflow inside `Condition.wait` or `int()`.
    for batched in (True, False):
        tracer, exporter = tracers.in_memory(disable_batch=not batched)
        with tracer.trace("pending"):
            pass
        assert tracer.flush(float("inf")) is True
        assert tracer.flush(10**30) is True
        assert tracer.flush(10**400) is True  # beyond a float's range
        assert [span.name for span in exporter.get_finished_spans()] == ["pending"]


def test_arguments_are_keyword_only(tracers: Tracers) -> None:
    init: Any = HoneyHiveTracer.init  # positional use is a type error too: call it untyped
    with pytest.raises(TypeError):
        tracers.made.append(init(API_KEY, PROJECT))


def test_remaining_17_keywords_are_accepted(tracers: Tracers) -> None:
    tracer, _ = tracers.in_memory(
        session_name="legacy-kw",
        source="ci",
        inputs={"q": "hi"},
        metadata={"m": 1},
        verbose=True,
        disable_http_tracing=True,
        run_id="run-1",
        dataset_id="ds-1",
        datapoint_id="dp-1",
        link_carrier={},
    )
    assert uuid.UUID(tracer.session_id)


def test_given_session_id_is_lower_cased(tracers: Tracers) -> None:
    tracer, _ = tracers.in_memory(session_id=SOME_UUID)
    assert tracer.session_id == SOME_UUID.lower()


@pytest.mark.parametrize("bad", ["not-a-uuid", "1234", "3f0c6a52-1b7e-4c1e-9a53-5d2f0f8f2a1"])
def test_malformed_session_id_is_a_value_error_naming_it(bad: str, tracers: Tracers) -> None:
    with pytest.raises(ValueError, match=bad):
        tracers.in_memory(session_id=bad)


def test_without_session_id_each_tracer_gets_a_fresh_uuid4(tracers: Tracers) -> None:
    first, _ = tracers.in_memory()
    second, _ = tracers.in_memory()
    for tracer in (first, second):
        parsed = uuid.UUID(tracer.session_id)
        assert parsed.version == 4
        assert tracer.session_id == str(parsed)  # canonical, lower-case
    assert first.session_id != second.session_id


@pytest.mark.parametrize("attribute", ["session_id", "_session_id"])
def test_session_id_cannot_be_rebound(attribute: str, tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory()
    original = tracer.session_id
    expected = HH002.text(usage=rebind_usage(attribute))
    with pytest.raises(SingleSessionError) as raised:
        setattr(tracer, attribute, str(uuid.uuid4()))
    assert str(raised.value).startswith(expected)
    assert raised.value.code == HH002.code
    assert tracer.session_id == original

    @trace(tracer=tracer)
    def still_own_session() -> None:
        pass

    still_own_session()
    assert session_of(only_span(exporter, still_own_session.__qualname__)) == original


def test_session_id_assignment_statement_raises(tracers: Tracers) -> None:
    tracer, _ = tracers.in_memory()
    with pytest.raises(SingleSessionError):
        tracer.session_id = str(uuid.uuid4())  # type: ignore[misc]


def test_flush_and_force_flush_return_true_when_delivered(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory(disable_batch=False)

    @trace(tracer=tracer)
    def queued() -> None:
        pass

    queued()
    assert tracer.flush(timeout_millis=5_000) is True
    assert len(spans_named(exporter, queued.__qualname__)) == 1
    queued()
    assert tracer.force_flush(timeout_millis=5_000) is True
    assert len(spans_named(exporter, queued.__qualname__)) == 2


def test_free_flush_delivers_the_resolved_tracers_batched_spans(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory(disable_batch=False)

    @trace(tracer=tracer)
    def batched() -> int:
        return 1

    batched()
    flush(tracer=tracer)
    assert session_of(only_span(exporter, batched.__qualname__)) == tracer.session_id

    @trace(tracer=tracer)
    def outer() -> None:
        batched()
        flush()  # no argument: the active tracer

    outer()
    assert len(spans_named(exporter, batched.__qualname__)) == 2


def test_with_block_activates_the_tracer_and_returns_it(tracers: Tracers) -> None:
    other, exporter = tracers.in_memory()  # an older tracer: the default one, never active here

    @trace
    def inside() -> None:
        pass

    with HoneyHiveTracer.init(
        project=PROJECT, test_mode=True, disable_batch=True, exporter=exporter
    ) as tracer:
        assert isinstance(tracer, HoneyHiveTracer)
        inside()
    assert (
        session_of(only_span(exporter, inside.__qualname__))
        == tracer.session_id
        != other.session_id
    )


def test_with_block_lets_exceptions_through_and_deactivates(tracers: Tracers) -> None:
    other, exporter = tracers.in_memory()
    error = KeyError("from the block")

    @trace
    def after_block() -> None:
        pass

    @trace(tracer=other)
    def around() -> None:
        with (
            pytest.raises(KeyError) as raised,
            HoneyHiveTracer.init(
                project=PROJECT, test_mode=True, disable_batch=True, exporter=exporter
            ),
        ):
            raise error
        assert raised.value is error
        after_block()  # the block's tracer is no longer active: back to `other`

    around()
    assert session_of(only_span(exporter, after_block.__qualname__)) == other.session_id


def test_async_with_exit_waits_for_the_sessions_queued_work(loopback: LoopbackServer) -> None:
    # Batched spans and a queued enrichment: both are on the wire when the block ends.
    @trace
    def batched_in_block() -> None:
        pass

    async def handler() -> HoneyHiveTracer:
        async with HoneyHiveTracer.init(
            api_key=API_KEY, project=PROJECT, server_url=loopback.url
        ) as tracer:
            batched_in_block()
            tracer.enrich_session(metadata={"closing": True})
        return tracer

    tracer = asyncio.run(handler())
    arrived = [span for span in loopback.spans() if span.name == batched_in_block.__qualname__]
    assert [span.session_id for span in arrived] == [tracer.session_id]
    assert [r.json()["event_id"] for r in loopback.enrichments()] == [tracer.session_id]


def test_test_mode_sends_nothing_but_exports_spans(
    loopback: LoopbackServer, tracers: Tracers
) -> None:
    tracer, exporter = tracers.in_memory(api_key=API_KEY, server_url=loopback.url, test_mode=True)

    @trace(tracer=tracer)
    def in_test_mode() -> None:
        pass

    in_test_mode()
    tracer.enrich_session(metadata={"x": 1})
    tracer.flush(timeout_millis=2_000)
    tracer.shutdown()
    assert session_of(only_span(exporter, in_test_mode.__qualname__)) == tracer.session_id
    assert loopback.requests == []


def test_hh_test_mode_env_sends_nothing(
    loopback: LoopbackServer, tracers: Tracers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HH_TEST_MODE", "true")
    tracer = tracers.on_wire(loopback)

    @trace(tracer=tracer)
    def env_test_mode() -> None:
        pass

    env_test_mode()
    tracer.enrich_session(metadata={"x": 1})
    tracer.flush(timeout_millis=2_000)
    tracer.shutdown()
    assert loopback.requests == []


def test_environment_supplies_key_project_source_and_url(
    loopback: LoopbackServer, tracers: Tracers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HH_API_KEY", API_KEY)
    monkeypatch.setenv("HH_PROJECT", "from-env")
    monkeypatch.setenv("HH_SOURCE", "env-source")
    monkeypatch.setenv("HH_API_URL", loopback.url)
    tracer = tracers.new()

    @trace(tracer=tracer)
    def configured_by_env() -> None:
        pass

    configured_by_env()
    assert tracer.flush(timeout_millis=10_000) is True
    assert loopback.wait_for(lambda server: len(server.session_starts()) == 1)
    [start] = loopback.session_starts()
    assert start.headers["authorization"] == f"Bearer {API_KEY}"
    session = start.json()["session"]
    assert (session["project"], session["source"]) == ("from-env", "env-source")
    [span] = [span for span in loopback.spans() if span.name == configured_by_env.__qualname__]
    assert span.attributes["honeyhive.project"] == "from-env"
    assert span.attributes["honeyhive.source"] == "env-source"


def test_hh_disable_batch_env_exports_at_span_end(
    tracers: Tracers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HH_DISABLE_BATCH", "true")
    exporter = InMemorySpanExporter()
    # No disable_batch keyword: only the environment makes the export synchronous.
    tracer = tracers.new(project=PROJECT, test_mode=True, exporter=exporter)

    @trace(tracer=tracer)
    def unbatched() -> None:
        pass

    unbatched()
    assert session_of(only_span(exporter, unbatched.__qualname__)) == tracer.session_id


def test_hh_strict_env_makes_tracers_strict(
    tracers: Tracers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HH_STRICT", "true")
    tracer, _ = tracers.in_memory()
    with pytest.raises(SingleSessionError):
        tracer.enrich_session(session_id=str(uuid.uuid4()), metadata={"x": 1})


def test_span_attributes_name_the_session_project_and_source(tracers: Tracers) -> None:
    tracer, exporter = tracers.in_memory(source="staging")

    @trace(tracer=tracer)
    def stamped() -> None:
        pass

    stamped()
    found = attrs(only_span(exporter, stamped.__qualname__))
    assert found["honeyhive.session_id"] == tracer.session_id
    assert found["honeyhive.project"] == PROJECT
    assert found["honeyhive.source"] == "staging"


OFFLINE_SCRIPT = """
import atexit, json, logging, socket

network = []
records = []
during_init = []

def report():  # registered first, so it runs after the SDK's own exit handlers
    print(json.dumps({"network": network, "records": records, "during_init": during_init,
                      "result": result, "flushed": flushed}))

atexit.register(report)

real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo
def connect(self, address):
    network.append(repr(address))
    return real_connect(self, address)
def getaddrinfo(*args, **kwargs):
    network.append(repr(args[:2]))
    return real_getaddrinfo(*args, **kwargs)
socket.socket.connect, socket.getaddrinfo = connect, getaddrinfo

class Capture(logging.Handler):
    def emit(self, record):
        if record.name.split(".")[0] == "honeyhive":
            records.append([record.levelno, record.getMessage()])

root = logging.getLogger()
root.addHandler(Capture())
root.setLevel(logging.DEBUG)

from honeyhive import HoneyHiveTracer, enrich_span, trace
if not logging.getLogger("honeyhive").propagate:
    logging.getLogger("honeyhive").addHandler(Capture())

tracer = HoneyHiveTracer.init(project="offline-project")
during_init = list(records)

@trace(tracer=tracer)
def work(x):
    enrich_span(metadata={"k": 1})
    return x * 2

result = work(21)
tracer.enrich_session(metadata={"a": 1}, feedback={"ok": True})
flushed = tracer.flush(timeout_millis=1000)
"""


def test_offline_without_key_or_exporter_never_touches_the_network() -> None:
    # A fresh interpreter: "one log line" and "no network" hold for the whole run, exit included.
    report = run_python_json(OFFLINE_SCRIPT)
    assert report["network"] == []
    assert report["result"] == 42
    assert isinstance(report["flushed"], bool)
    visible = [message for level, message in report["during_init"] if level >= 20]
    assert len(visible) == 1, report["during_init"]
    assert any(word in visible[0].lower() for word in ("offline", "api key", "api_key"))
    warnings_or_worse = [message for level, message in report["records"] if level >= 30]
    assert len(warnings_or_worse) <= 1, report["records"]
