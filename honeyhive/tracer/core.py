"""``HoneyHiveTracer``: one tracer, one session, for the tracer's whole life.

The tracer itself is small: its session id and attributes, a reference to the shared pipeline of
its destination, and its place in the registry of live tracers. Creating one costs microseconds
and never waits on the network: the session start is queued to the pipeline's REST worker.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import threading
import uuid
import weakref
from collections.abc import Callable, Mapping
from contextvars import Token
from types import TracebackType
from typing import Any, Final, NoReturn, Self, TypedDict, overload

import requests
from opentelemetry.context import Context
from opentelemetry.propagate import extract
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SpanExporter
from opentelemetry.trace import Tracer
from typing_extensions import Unpack, deprecated

from honeyhive.errors import SingleSessionError
from honeyhive.rules import (
    FORM_POSITIONAL,
    HH001,
    HH002,
    USAGE_ENRICH_OTHER_SESSION,
    rebind_usage,
)
from honeyhive.tracer import attribution, checks, decorators, events, process_exit, registry
from honeyhive.tracer import pipeline as pipelines
from honeyhive.tracer.attributes import PROJECT, SESSION_ID, SOURCE
from honeyhive.tracer.config import (
    TracerSettings,
    normalize_session_id,
    optional_mapping,
    optional_text,
    read_config_objects,
    resolve_settings,
)
from honeyhive.tracer.enrich import enrich_current_span
from honeyhive.tracer.legacy import LegacySessionMethods, new_or_given_session_id
from honeyhive.tracer.stats import DeliveryStats
from honeyhive.tracer.waiting import settled_within, timeout_seconds
from honeyhive.tracer.wrapping import TraceScope

__all__ = ["HoneyHiveTracer", "TracerOptions"]

logger: Final = logging.getLogger("honeyhive")

# ``async with`` exit waits (without blocking the loop) at most this long for the queued data, and
# no longer once the destination is seen failing. A plain ``with`` exit never waits.
END_FLUSH_TIMEOUT_S: Final = 5.0
DEFAULT_FLUSH_TIMEOUT_MS: Final = 30_000
DEFAULT_SHUTDOWN_TIMEOUT_MS: Final = 10_000

_PACKAGE_DIR: Final = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_end_lock: Final = threading.Lock()


class TracerOptions(TypedDict, total=False):
    """The keyword arguments of ``HoneyHiveTracer(...)`` and ``HoneyHiveTracer.init(...)``."""

    api_key: str | None
    project: str | None
    session_name: str | None
    source: str | None
    server_url: str | None
    session_id: str | uuid.UUID | None
    inputs: Mapping[str, Any] | None
    metadata: Mapping[str, Any] | None
    disable_batch: bool | None
    verbose: bool | None
    test_mode: bool | None
    disable_http_tracing: bool | None
    run_id: str | None
    dataset_id: str | None
    datapoint_id: str | None
    link_carrier: Mapping[str, str] | None
    is_evaluation: bool | None
    ingestion_api_key: str | None
    requests_session: requests.Session | None
    config: object
    session_config: object
    evaluation_config: object
    exporter: SpanExporter | None
    strict: bool | None


class _ReadOnlySessionId:
    """``tracer.session_id`` / ``tracer._session_id``: readable, never rebound (HH002)."""

    def __init__(self, attribute: str) -> None:
        self._attribute = attribute

    @overload
    def __get__(self, tracer: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, tracer: HoneyHiveTracer, owner: type[Any]) -> str: ...
    def __get__(self, tracer: HoneyHiveTracer | None, owner: type[Any]) -> Self | str:
        if tracer is None:
            return self
        return tracer._sid

    def __set__(self, tracer: HoneyHiveTracer, value: object) -> NoReturn:
        raise SingleSessionError(HH002.text(usage=rebind_usage(self._attribute)), code=HH002.code)

    def __delete__(self, tracer: HoneyHiveTracer) -> NoReturn:
        raise SingleSessionError(HH002.text(usage=rebind_usage(self._attribute)), code=HH002.code)


class _SessionEnd:
    """What ending a session releases. Holds no reference to the tracer, so that a weakref
    finalizer can run it once the tracer is garbage-collected."""

    __slots__ = ("ended", "pipeline", "serial")

    def __init__(self, serial: int, pipeline: pipelines.Pipeline) -> None:
        self.serial = serial
        self.pipeline = pipeline
        self.ended = False

    def end(self, *, close_if_last: bool = False) -> bool | None:
        """None if already ended; else whether the pipeline must now close."""
        with _end_lock:
            if self.ended:
                return None
            self.ended = True
        registry.remove_live(self.serial)
        return pipelines.release(self.pipeline, close_if_last=close_if_last)

    def collected(self) -> None:
        self.end()


@functools.lru_cache(maxsize=256)
def _script_name(filename: str) -> str:
    name = os.path.basename(filename)
    return name[:-3] if name.endswith(".py") else name


def _default_session_name() -> str:
    """The file name of the calling script (as 1.7), found without ``inspect.stack()``."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back  # type: ignore[assignment]  # None ends the loop
    return _script_name(frame.f_code.co_filename) if frame is not None else "unknown"


class _LoggingState:
    offline_announced = False
    verbose_handler: logging.Handler | None = None


def _announce_offline() -> None:
    """One clear line per offline tracer; only the first one in a process is a warning."""
    level = logging.INFO if _LoggingState.offline_announced else logging.WARNING
    _LoggingState.offline_announced = True
    logger.log(
        level,
        "HoneyHive tracer is offline: no API key (api_key= or HH_API_KEY) and no exporter; "
        "spans and session data stay in this process and nothing is sent",
    )


def _enable_verbose_logging() -> None:
    """``verbose=True``: the ``honeyhive`` logger at DEBUG, shown on stderr unless configured."""
    logger.setLevel(logging.DEBUG)
    if _LoggingState.verbose_handler is None and not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(name)s %(levelname)s: %(message)s"))
        logger.addHandler(handler)
        _LoggingState.verbose_handler = handler


class HoneyHiveTracer(LegacySessionMethods):
    """A tracer bound to exactly one HoneyHive session.

    Create one per session (per request, per conversation): it is cheap. ``session_id`` is fixed
    for the tracer's life; assigning it raises :class:`~honeyhive.SingleSessionError`. Use it as a
    context manager to make it active for a block and end its session on exit.
    """

    __slots__ = (
        "__weakref__",
        "_attribute_room",
        "_end",
        "_link_context",
        "_open",
        "_origin",
        "_otel_tracer",
        "_pipeline",
        "_session_attrs",
        "_session_name",
        "_settings",
        "_sid",
    )

    # Final: type checkers reject the assignment too, like a read-only property.
    session_id: Final = _ReadOnlySessionId("session_id")
    _session_id: Final = _ReadOnlySessionId("_session_id")

    _sid: str
    _attribute_room: int
    _session_name: str
    _settings: TracerSettings
    _pipeline: pipelines.Pipeline
    _otel_tracer: Tracer
    _session_attrs: dict[str, str]
    _origin: HoneyHiveTracer | None
    _link_context: Context | None
    _end: _SessionEnd
    _open: list[Token[HoneyHiveTracer | None]]

    def __init__(
        self,
        *,
        api_key: str | None = None,
        project: str | None = None,
        session_name: str | None = None,
        source: str | None = None,
        server_url: str | None = None,
        session_id: str | uuid.UUID | None = None,
        inputs: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        disable_batch: bool | None = None,
        verbose: bool | None = None,
        test_mode: bool | None = None,
        disable_http_tracing: bool | None = None,
        run_id: str | None = None,
        dataset_id: str | None = None,
        datapoint_id: str | None = None,
        link_carrier: Mapping[str, str] | None = None,
        is_evaluation: bool | None = None,
        ingestion_api_key: str | None = None,
        requests_session: requests.Session | None = None,
        config: object = None,
        session_config: object = None,
        evaluation_config: object = None,
        exporter: SpanExporter | None = None,
        strict: bool | None = None,
    ) -> None:
        """Start a session. Every argument is optional and keyword-only.

        ``api_key``/``HH_API_KEY``, ``project``/``HH_PROJECT``, ``source``/``HH_SOURCE``
        (default ``"dev"``), ``server_url``/``HH_API_URL`` (default ``https://api.honeyhive.ai``),
        ``test_mode``/``HH_TEST_MODE``, ``disable_batch``/``HH_DISABLE_BATCH``,
        ``verbose``/``HH_VERBOSE``, ``strict``/``HH_STRICT`` (all default False). ``session_id``
        must be a UUID (lower-cased); without one, a fresh ``uuid4``. ``exporter`` replaces the
        network span exporter with any OpenTelemetry ``SpanExporter``. 1.7's remaining keywords
        (``run_id``, ``dataset_id``, ``datapoint_id``, ``link_carrier``, ``config`` objects...)
        are accepted.
        """
        arguments: dict[str, Any] = {
            "api_key": api_key,
            "ingestion_api_key": ingestion_api_key,
            "project": project,
            "source": source,
            "server_url": server_url,
            "disable_batch": disable_batch,
            "verbose": verbose,
            "test_mode": test_mode,
            "disable_http_tracing": disable_http_tracing,
            "run_id": run_id,
            "dataset_id": dataset_id,
            "datapoint_id": datapoint_id,
            "is_evaluation": is_evaluation,
            "requests_session": requests_session,
            "strict": strict,
        }
        if config is not None or session_config is not None or evaluation_config is not None:
            from_objects = read_config_objects(config, session_config, evaluation_config)
            for name, value in from_objects.items():
                if name in arguments and arguments[name] is None:
                    arguments[name] = value
            session_name = session_name or from_objects.get("session_name")
            session_id = session_id or from_objects.get("session_id")
            inputs = inputs or from_objects.get("inputs")
            metadata = metadata or from_objects.get("metadata")
            link_carrier = link_carrier or from_objects.get("link_carrier")
        settings = resolve_settings(arguments, exporter)
        self._setup(
            settings,
            session_id=new_or_given_session_id(session_id),
            session_name=optional_text("session_name", session_name) or _default_session_name(),
            inputs=optional_mapping("inputs", inputs),
            metadata=optional_mapping("metadata", metadata),
            user_properties=None,
            link_carrier=optional_mapping("link_carrier", link_carrier),
            origin=None,
            send_start=True,
        )

    @classmethod
    def init(cls, **options: Unpack[TracerOptions]) -> Self:
        """1.7's factory: the same as ``HoneyHiveTracer(**options)``."""
        return cls(**options)

    def _setup(
        self,
        settings: TracerSettings,
        *,
        session_id: str,
        session_name: str,
        inputs: Mapping[str, Any] | None,
        metadata: Mapping[str, Any] | None,
        user_properties: Mapping[str, Any] | None,
        link_carrier: Mapping[str, Any] | None,
        origin: HoneyHiveTracer | None,
        send_start: bool,
    ) -> None:
        destination = settings.destination
        link_context = extract(link_carrier) if link_carrier else None
        pipeline = pipelines.acquire(destination)  # last fallible step before the session counts
        self._settings = settings
        self._pipeline = pipeline
        self._otel_tracer = pipeline.otel_tracer
        self._attribute_room = pipeline.attribute_room
        self._sid = session_id
        self._session_name = session_name
        attributes = {SESSION_ID: session_id, SOURCE: destination.source}
        if settings.project is not None:
            attributes[PROJECT] = settings.project
        self._session_attrs = attributes
        self._origin = origin
        self._link_context = link_context
        self._open = []
        serial = registry.next_serial()
        self._end = _SessionEnd(serial, pipeline)
        # Created inside a request's trace: this tracer belongs to that request (never a fallback).
        registry.add_live(serial, self, scoped=origin is not None or attribution.in_request_here())
        weakref.finalize(self, self._end.collected).atexit = False
        process_exit.watch_sigterm()
        if send_start and pipeline.rest is not None:
            evaluation = {
                key: value
                for key in ("run_id", "dataset_id", "datapoint_id")
                if (value := getattr(settings, key)) is not None
            }
            pipeline.send(
                events.session_start(
                    session_id=session_id,
                    project=settings.project,
                    session_name=session_name,
                    source=destination.source,
                    inputs=inputs,
                    metadata=events.with_defaults(metadata, evaluation),
                    user_properties=user_properties,
                )
            )
        if destination.offline:
            _announce_offline()
        if settings.verbose:
            _enable_verbose_logging()
            logger.debug("HoneyHive: started %r", self)

    # --- identity ---------------------------------------------------------------------------

    def __repr__(self) -> str:
        return (
            f"HoneyHiveTracer(project={self.project!r}, source={self.source!r}, "
            f"session_id={self._sid!r})"
        )

    @property
    def project(self) -> str | None:
        return self._settings.project

    @property
    def source(self) -> str:
        return self._settings.destination.source

    @property
    def session_name(self) -> str:
        return self._session_name

    @property
    def server_url(self) -> str:
        return self._settings.destination.server_url

    @property
    def test_mode(self) -> bool:
        return self._settings.destination.test_mode

    @property
    def disable_batch(self) -> bool:
        return self._settings.destination.disable_batch

    @property
    def verbose(self) -> bool:
        return self._settings.verbose

    @property
    def strict(self) -> bool:
        """Whether HH002 usages raise :class:`~honeyhive.SingleSessionError` instead of warning."""
        return self._settings.strict

    @property
    def is_evaluation(self) -> bool:
        return self._settings.is_evaluation

    @property
    def run_id(self) -> str | None:
        return self._settings.run_id

    @property
    def dataset_id(self) -> str | None:
        return self._settings.dataset_id

    @property
    def datapoint_id(self) -> str | None:
        return self._settings.datapoint_id

    @property
    def provider(self) -> TracerProvider:
        """The shared OpenTelemetry provider of this destination (pass it to instrumentors)."""
        return self._pipeline.provider

    @property
    def tracer(self) -> Tracer:
        """The OpenTelemetry tracer behind this HoneyHive tracer."""
        return self._otel_tracer

    @property
    def ended(self) -> bool:
        """Whether this tracer's session has ended (``with`` exit, ``shutdown()``)."""
        return self._end.ended

    @property
    def stats(self) -> DeliveryStats:
        """Delivered and dropped counts of this tracer's destination (shared by its tracers)."""
        return self._pipeline.stats

    @property
    def dropped_spans(self) -> int:
        return self._pipeline.stats.spans_dropped

    @property
    def dropped_events(self) -> int:
        return self._pipeline.stats.events_dropped

    # --- tracing ----------------------------------------------------------------------------

    @overload
    def trace(self, func: decorators._F, /) -> decorators._F: ...
    @overload
    def trace(self, func: decorators._M, /) -> decorators._M: ...
    @overload
    def trace(
        self,
        name: str | None = None,
        /,
        *,
        event_type: str | None = None,
        event_name: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        inputs: Mapping[str, Any] | None = None,
        outputs: Mapping[str, Any] | None = None,
        metrics: Mapping[str, Any] | None = None,
        feedback: Mapping[str, Any] | None = None,
        config: Mapping[str, Any] | None = None,
        event_id: str | None = None,
        session_id: None = None,
        **attributes: object,
    ) -> TraceScope: ...
    @overload
    @deprecated(
        "HH002 `tracer.trace(session_id=...)` reuses one tracer across sessions; create one "
        "tracer per session with `HoneyHiveTracer.init(session_id=...)`"
    )
    def trace(
        self,
        name: str | None = None,
        /,
        *,
        event_type: str | None = None,
        event_name: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        inputs: Mapping[str, Any] | None = None,
        outputs: Mapping[str, Any] | None = None,
        metrics: Mapping[str, Any] | None = None,
        feedback: Mapping[str, Any] | None = None,
        config: Mapping[str, Any] | None = None,
        event_id: str | None = None,
        session_id: str,
        **attributes: object,
    ) -> TraceScope: ...
    def trace(
        self,
        name_or_func: str | Callable[..., Any] | classmethod[Any, Any, Any] | None = None,
        /,
        *,
        event_type: str | None = None,
        event_name: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        inputs: Mapping[str, Any] | None = None,
        outputs: Mapping[str, Any] | None = None,
        metrics: Mapping[str, Any] | None = None,
        feedback: Mapping[str, Any] | None = None,
        config: Mapping[str, Any] | None = None,
        event_id: str | None = None,
        session_id: str | None = None,
        **attributes: object,
    ) -> Any:
        """Trace in this tracer's session: ``@tracer.trace``, ``@tracer.trace(...)``, or
        ``with tracer.trace("name") as span:``. Extra keywords become span attributes (1.7)."""
        return decorators.bound_trace(
            self,
            name_or_func,
            event_type=event_type,
            event_name=event_name,
            metadata=metadata,
            inputs=inputs,
            outputs=outputs,
            metrics=metrics,
            feedback=feedback,
            config=config,
            event_id=event_id,
            session_id=session_id,
            attributes=attributes,
        )

    def start_span(self, name: str, **attributes: object) -> TraceScope:
        """1.7's ``with tracer.start_span("name") as span:``; the same as ``tracer.trace(name)``."""
        return decorators.span_scope(self, name, attributes)

    def enrich_span(  # noqa: PLR0917  (1.7's positional signature)
        self,
        attributes: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        metrics: Mapping[str, Any] | None = None,
        feedback: Mapping[str, Any] | None = None,
        inputs: Mapping[str, Any] | None = None,
        outputs: Mapping[str, Any] | None = None,
        config: Mapping[str, Any] | None = None,
        user_properties: Mapping[str, Any] | None = None,
        error: str | None = None,
        event_id: str | None = None,
        **kwargs: Any,
    ) -> bool:
        """Add ``honeyhive_metadata.*``, ``honeyhive_metrics.*``... to the current span.

        Returns whether a span was enriched (there may be none). With ``event_id``, 1.7's path:
        the event with that id is updated through ``PUT /events`` instead.
        """
        return enrich_current_span(
            self,
            attributes=attributes,
            metadata=metadata,
            metrics=metrics,
            feedback=feedback,
            inputs=inputs,
            outputs=outputs,
            config=config,
            user_properties=user_properties,
            error=error,
            event_id=event_id,
            extra=kwargs,
        )

    # --- the session ------------------------------------------------------------------------

    def _current(self) -> HoneyHiveTracer:
        """This tracer, or the tracer its legacy ``create_session()`` made active here."""
        active = registry.ACTIVE.get()
        if active is not None and active is not self and active._origin is self:
            return active
        return self

    @overload
    def enrich_session(
        self,
        metadata: Mapping[str, Any] | None = None,
        inputs: Mapping[str, Any] | None = None,
        outputs: Mapping[str, Any] | None = None,
        config: Mapping[str, Any] | None = None,
        feedback: Mapping[str, Any] | None = None,
        metrics: Mapping[str, Any] | None = None,
        user_properties: Mapping[str, Any] | None = None,
        *,
        session_id: None = None,
        **kwargs: Any,
    ) -> None: ...
    @overload
    @deprecated(
        "HH001 session id passed to `tracer.enrich_session()` as the `session_id=` keyword; a "
        "tracer enriches only its own session: drop the argument, or call "
        "`honeyhive.enrich_session(session_id=...)` to enrich another session by id"
    )
    def enrich_session(
        self,
        metadata: Mapping[str, Any] | None = None,
        inputs: Mapping[str, Any] | None = None,
        outputs: Mapping[str, Any] | None = None,
        config: Mapping[str, Any] | None = None,
        feedback: Mapping[str, Any] | None = None,
        metrics: Mapping[str, Any] | None = None,
        user_properties: Mapping[str, Any] | None = None,
        *,
        session_id: str,
        **kwargs: Any,
    ) -> None: ...
    def enrich_session(  # noqa: PLR0917  (1.7's positional signature)
        self,
        metadata: Mapping[str, Any] | None = None,
        inputs: Mapping[str, Any] | None = None,
        outputs: Mapping[str, Any] | None = None,
        config: Mapping[str, Any] | None = None,
        feedback: Mapping[str, Any] | None = None,
        metrics: Mapping[str, Any] | None = None,
        user_properties: Mapping[str, Any] | None = None,
        *,
        session_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        """Enrich this tracer's session: queue ``PUT /events`` and return at once.

        ``inputs`` and unknown keywords are merged into ``metadata`` (as 1.7). ``session_id`` is
        deprecated: the tracer's own id warns HH001; another id warns HH002 (raises in strict
        mode) and enriches that session, like :func:`honeyhive.enrich_session`.
        """
        if isinstance(metadata, str):
            raise TypeError(
                f"{HH001.text(form=FORM_POSITIONAL)}. tracer.enrich_session() takes no session "
                f"id: its first parameter is `metadata` (a dict), and {metadata!r} was passed"
            )
        target = self._current()
        event_id = target._sid
        if session_id is not None:
            other = normalize_session_id(session_id)
            if other == event_id:
                checks.redundant_session_id(stacklevel=2)
            else:
                checks.tracer_reuse(USAGE_ENRICH_OTHER_SESSION, strict=self.strict, stacklevel=2)
                event_id = other
        call = events.event_update(
            event_id,
            metadata=metadata,
            inputs=inputs,
            outputs=outputs,
            config=config,
            feedback=feedback,
            metrics=metrics,
            user_properties=user_properties,
            extra=kwargs,
        )
        if call is None:
            logger.debug("HoneyHive: enrich_session() without data; nothing sent")
        elif target._pipeline.rest is None:
            logger.debug("HoneyHive: enrich_session() in offline or test mode; nothing sent")
        else:
            target._pipeline.send(call)

    # --- lifetime ---------------------------------------------------------------------------

    def __enter__(self) -> Self:
        """Make this tracer active for the block; on exit its session ends (without waiting)."""
        self._open.append(registry.ACTIVE.set(self))
        registry.mark_scoped(self._end.serial)
        # Entered inside a trace (a request's server span): that trace is this session's now.
        attribution.claim_here(self)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._deactivate()
        self._end.end()

    async def __aenter__(self) -> Self:
        """``async with``: active for the block, like ``with``."""
        return self.__enter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """End the session, then wait for its queued data without blocking the loop: at most
        ``END_FLUSH_TIMEOUT_S``, and no longer once the destination is seen failing."""
        self._deactivate()
        self._end.end()
        await self._flushed_within(END_FLUSH_TIMEOUT_S, while_healthy=True)

    def _deactivate(self) -> None:
        if self._open:
            token = self._open.pop()
            try:
                registry.ACTIVE.reset(token)
            except ValueError:  # exited in another context than entered: just deactivate
                registry.ACTIVE.set(None)

    def _live_pipeline(self) -> pipelines.Pipeline:
        """This tracer's pipeline, or its destination's current one once that was closed (what
        ``enrich_session(tracer=self)`` queued since then)."""
        pipeline = self._pipeline
        if pipeline.closed:
            pipeline = pipelines.current(self._settings.destination) or pipeline
        return pipeline

    def flush(self, timeout_millis: float = DEFAULT_FLUSH_TIMEOUT_MS) -> bool:
        """Deliver what this tracer's destination has queued; False if the deadline came first.

        Blocks the calling thread (in async code, ``await tracer.aflush()``); returns by the
        deadline even when the backend is down.
        """
        return self._live_pipeline().flush(timeout_seconds(timeout_millis))

    def force_flush(self, timeout_millis: float = DEFAULT_FLUSH_TIMEOUT_MS) -> bool:
        """The same as :meth:`flush` (OpenTelemetry's name)."""
        return self.flush(timeout_millis)

    async def aflush(self, timeout_millis: float = DEFAULT_FLUSH_TIMEOUT_MS) -> bool:
        """:meth:`flush` for async code: waits without blocking the event loop."""
        return await self._flushed_within(timeout_seconds(timeout_millis), while_healthy=False)

    async def _flushed_within(self, timeout_s: float, *, while_healthy: bool) -> bool:
        pipeline = self._live_pipeline()
        return await settled_within(
            lambda settle: pipeline.watch(settle, while_healthy=while_healthy), timeout_s
        )

    def shutdown(
        self, timeout_millis: float = DEFAULT_SHUTDOWN_TIMEOUT_MS, *, wait: bool = False
    ) -> None:
        """End this session; never waits unless ``wait=True``. Calling it again does nothing.

        ``wait=True``: also deliver what the destination has queued, waiting at most
        ``timeout_millis`` (and no longer once the destination is seen failing); when this was
        the destination's last live tracer, its pipeline then closes (provider shutdown, workers
        stopped). Other tracers are never affected.
        """
        timeout_s = timeout_seconds(timeout_millis)
        must_close = self._end.end(close_if_last=wait)
        if not wait:
            return
        if must_close:
            self._pipeline.close(timeout_s)
        else:
            self._live_pipeline().flush(timeout_s, while_healthy=True)
