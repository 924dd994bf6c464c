"""One shared pipeline per destination: provider, span export, HTTP connection pool, REST worker.

Tracers with the same destination (server, key, source, test mode, batching, exporter) share one
pipeline, so creating a tracer per session costs a dictionary lookup. A pipeline counts its live
tracers. It closes (flush, provider shutdown, worker stop, connection pool close) only when its
last live tracer is shut down explicitly, or at interpreter exit. Tracers that end by ``with`` exit
or garbage collection leave it cached, ready for the next session.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Final

import requests
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanLimits, TracerProvider
from opentelemetry.trace import Tracer

from honeyhive import __version__
from honeyhive.tracer import attribution, routing
from honeyhive.tracer.attributes import START_HEADROOM
from honeyhive.tracer.config import DestinationSettings
from honeyhive.tracer.http import own_session, settle_environment, transport_for
from honeyhive.tracer.rest import RestCall, RestSender
from honeyhive.tracer.span_export import (
    BatchExportProcessor,
    ExportProcessor,
    NoExportProcessor,
    SyncExportProcessor,
)
from honeyhive.tracer.stats import PROCESS_COUNTERS, Counters, DeliveryStats, process_stats
from honeyhive.tracer.waiting import AllSettled, FlushCallback

if TYPE_CHECKING:
    from opentelemetry.sdk.trace.export import SpanExporter

logger: Final = logging.getLogger("honeyhive")

OTLP_PATH: Final = "/opentelemetry/v1/traces"
OTLP_TIMEOUT_S: Final = 10.0
# At interpreter exit, all pipelines together get this long to deliver what is queued.
EXIT_FLUSH_TIMEOUT_S: Final = 5.0
# Pipelines without live tracers stay cached for the next session; beyond this many, the oldest
# idle ones are closed (on a short-lived thread, after delivering what they hold).
MAX_IDLE_PIPELINES: Final = 16
EVICT_FLUSH_TIMEOUT_S: Final = 5.0
INSTRUMENTATION_NAME: Final = "honeyhive"
USER_AGENT: Final = f"honeyhive-python/{__version__}"


@contextlib.contextmanager
def _keeping_tls_settings(session: requests.Session | None) -> Iterator[None]:
    """OpenTelemetry's exporter sets ``verify`` and ``cert`` on the session it is given: the
    application's own session (a CA bundle, a client certificate) keeps its settings."""
    if session is None:
        yield
        return
    verify, cert = session.verify, session.cert
    try:
        yield
    finally:
        session.verify, session.cert = verify, cert


class Pipeline:
    """The heavy, shared half of a tracer."""

    def __init__(self, destination: DestinationSettings, resource: Resource) -> None:
        self.destination = destination
        self.counters = Counters()
        self.live = 0
        self.closed = False
        needs_http = destination.uses_network or (
            destination.exporter is None and destination.api_key is not None
        )
        self._owns_http = needs_http and destination.requests_session is None
        self.http: requests.Session | None = None
        if self._owns_http:
            self.http = own_session(destination.server_url)
            self.http.headers["User-Agent"] = USER_AGENT
        elif needs_http:
            self.http = destination.requests_session
        self.export = self._export_processor(destination)
        if self._owns_http and self.http is not None:
            settle_environment(self.http)  # after the exporter set its TLS settings
        limits = SpanLimits()  # OpenTelemetry's, from OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT & co.
        limit = limits.max_span_attributes
        # A traced call's span starts with at most this many attributes (see attributes.py).
        self.attribute_room = sys.maxsize if limit is None else max(1, limit - START_HEADROOM)
        self.provider = TracerProvider(
            resource=resource, shutdown_on_exit=False, span_limits=limits
        )
        self.provider.add_span_processor(self.export)
        self.otel_tracer: Tracer = self.provider.get_tracer(INSTRUMENTATION_NAME, __version__)
        self.rest: RestSender | None = None
        if destination.uses_network and destination.api_key is not None and self.http:
            self.rest = RestSender(
                destination.server_url,
                destination.api_key,
                transport_for(self.http, destination.server_url, owned=self._owns_http),
                self.counters,
                user_agent=USER_AGENT,
            )

    def _export_processor(self, destination: DestinationSettings) -> ExportProcessor:
        exporter: SpanExporter | None = destination.exporter
        if exporter is None:
            if destination.api_key is None or destination.test_mode:
                return NoExportProcessor()
            with _keeping_tls_settings(destination.requests_session):
                exporter = OTLPSpanExporter(
                    endpoint=destination.server_url + OTLP_PATH,
                    headers={
                        "Authorization": f"Bearer {destination.api_key}",
                        "X-Source": destination.source,
                    },
                    timeout=OTLP_TIMEOUT_S,
                    session=self.http,
                )
        elif destination.disable_batch:
            return SyncExportProcessor(exporter, self.counters)
        # disable_batch with the network exporter: export every span at once, but still from the
        # worker thread, so that a slow or dead server never blocks user code.
        return BatchExportProcessor(
            exporter,
            self.counters,
            immediate=destination.disable_batch,
        )

    def __repr__(self) -> str:
        return f"Pipeline({self.destination!r}, live={self.live}, closed={self.closed})"

    @property
    def stats(self) -> DeliveryStats:
        return self.counters.snapshot()

    @property
    def healthy(self) -> bool:
        """False while the destination is failing: ending a session then does not wait for it."""
        return self.export.healthy and (self.rest is None or self.rest.healthy)

    def send(self, call: RestCall) -> bool:
        """Queue a REST call; False when it was dropped or there is no network in this mode."""
        if self.rest is None:
            return False
        return self.rest.submit(call)

    def flush(self, timeout_s: float, *, while_healthy: bool = False) -> bool:
        """Deliver everything queued before now, or return False at the deadline.

        ``while_healthy``: also give up as soon as the destination is seen failing, even if that
        happens only while waiting (ending a session must not hold the caller on a dead backend).
        """
        deadline = time.monotonic() + max(0.0, timeout_s)
        give_up = (lambda: not self.healthy) if while_healthy else None
        spans_done = self.export.flush(timeout_s, give_up)
        rest_done = self.rest is None or self.rest.flush(deadline - time.monotonic(), give_up)
        return spans_done and rest_done

    def watch(self, callback: FlushCallback, *, while_healthy: bool) -> Callable[[], None]:
        """Call ``callback(True)`` once everything queued before now is handled (``callback(False)``
        on a failure first, with ``while_healthy``), from a worker thread. Returns a cancel."""
        rest = self.rest
        settled = AllSettled(1 if rest is None else 2, callback)
        cancels = [self.export.watch(settled.part, while_healthy)]
        if rest is not None:
            cancels.append(rest.watch(settled.part, while_healthy))

        def cancel() -> None:
            for each in cancels:
                each()

        return cancel

    def close(self, timeout_s: float) -> bool:
        """Deliver what is queued until the deadline, then stop everything; False if some was
        dropped. Spans and REST calls drain in parallel, each on its own worker."""
        deadline = time.monotonic() + max(0.0, timeout_s)
        delivered = True
        self.export.begin_close()
        if self.rest is not None:
            delivered = self.rest.close(deadline - time.monotonic())
        # The REST calls went to the same server: if they failed, so do the spans.
        delivered = (
            self.export.close(
                deadline - time.monotonic(),
                failing=not self.healthy,
                shutdown_exporter=not _exporter_in_use(self),
            )
            and delivered
        )
        self.provider.shutdown()
        if self._owns_http and self.http is not None:
            self.http.close()
        return delivered

    def reinit_after_fork(self) -> None:
        if self.http is not None:
            # The pooled keep-alive sockets belong to the parent: writing on them too would mix
            # both processes' requests and answers. Drop the child's copies (the parent's
            # connections stay open); the next request here opens its own connection.
            self.http.close()
        self.counters = self.counters.copy()
        self.export.reinit_after_fork(self.counters)
        if self.rest is not None:
            self.rest.reinit_after_fork(self.counters)


_lock: Final = threading.Lock()
_pipelines: dict[tuple[object, ...], Pipeline] = {}


class _HashedOnceResource(Resource):
    """OpenTelemetry's OTLP encoder hashes the resource of every span it encodes, and
    ``Resource.__hash__`` JSON-encodes the attributes each time: a tenth of exporting. A
    resource never changes, so this one is hashed once."""

    def __init__(self, resource: Resource) -> None:
        super().__init__(resource.attributes, resource.schema_url)
        self._hash = super().__hash__()

    def __hash__(self) -> int:
        return self._hash


@functools.cache
def _process_resource() -> Resource:
    """One resource per process; the first pipeline also registers the exit flush."""
    atexit.register(close_all, EXIT_FLUSH_TIMEOUT_S)
    return _HashedOnceResource(Resource.create({"telemetry.sdk.honeyhive.version": __version__}))


def acquire(destination: DestinationSettings, *, live: bool = True) -> Pipeline:
    """The destination's pipeline, created on first use; ``live`` counts one more live tracer."""
    key = destination.key()
    with _lock:
        if destination.uses_network and key not in _seen:
            _remember_locked(key, destination)
        pipeline = _pipelines.get(key)
        if pipeline is not None:
            pipeline.live += live
            return pipeline
    # First tracer for this destination: build outside the lock (it may take milliseconds).
    created = _create(destination)
    with _lock:
        existing = _pipelines.get(key)
        pipeline = _pipelines.setdefault(key, created)
        pipeline.live += live
        evicted = _evict_idle(keep=pipeline) if existing is None else []
    if existing is not None:  # another thread won the race
        created.close(0.0)
    if evicted:
        threading.Thread(
            target=_close_evicted, args=(evicted,), name="honeyhive-evict", daemon=True
        ).start()
    return pipeline


def _evict_idle(keep: Pipeline) -> list[Pipeline]:
    """Idle pipelines beyond ``MAX_IDLE_PIPELINES``, oldest first, taken out of the cache.

    Destinations come and go (a test suite with an exporter per test): idle ones must not
    accumulate providers and threads. Called with ``_lock`` held.
    """
    idle = [p for p in _pipelines.values() if p.live == 0 and p is not keep]
    evicted = idle[: max(0, len(idle) - MAX_IDLE_PIPELINES)]
    for pipeline in evicted:
        pipeline.closed = True
        del _pipelines[pipeline.destination.key()]
    return evicted


def _close_evicted(evicted: list[Pipeline]) -> None:
    for pipeline in evicted:
        try:
            pipeline.close(EVICT_FLUSH_TIMEOUT_S)
        except Exception:
            logger.exception("HoneyHive: error while closing an idle pipeline")


def _create(destination: DestinationSettings) -> Pipeline:
    resource = _process_resource()
    pipeline = Pipeline(destination, resource)
    routing.install_global_router(resource, flush_all)
    return pipeline


def release(pipeline: Pipeline, *, close_if_last: bool) -> bool:
    """One live tracer fewer; True if it was the last one and the pipeline must now close."""
    with _lock:
        pipeline.live = max(0, pipeline.live - 1)
        if not close_if_last or pipeline.live > 0 or pipeline.closed:
            return False
        pipeline.closed = True
        key = pipeline.destination.key()
        if _pipelines.get(key) is pipeline:
            del _pipelines[key]
    return True


def _exporter_in_use(closing: Pipeline) -> bool:
    """Whether another open pipeline shares the closing one's user exporter: keep it running."""
    exporter = closing.destination.exporter
    if exporter is None:
        return False
    with _lock:
        return any(
            p is not closing and p.destination.exporter is exporter for p in _pipelines.values()
        )


def current(destination: DestinationSettings) -> Pipeline | None:
    """The destination's open pipeline, if it has one."""
    with _lock:
        return _pipelines.get(destination.key())


def all_pipelines() -> list[Pipeline]:
    with _lock:
        return list(_pipelines.values())


def stats() -> DeliveryStats:
    """The whole process's figures: every open destination's, summed, and the process-wide ones."""
    return process_stats([pipeline.counters for pipeline in all_pipelines()])


# Destinations with network that tracers of this process used: late data sent by session id
# (`honeyhive.enrich_session`) with no tracer in sight goes where the application's tracers went.
_MAX_SEEN: Final = 64
_seen: dict[tuple[object, ...], DestinationSettings] = {}


def _remember_locked(key: tuple[object, ...], destination: DestinationSettings) -> None:
    if len(_seen) >= _MAX_SEEN:
        del _seen[next(iter(_seen))]
    _seen[key] = destination


def seen_destinations() -> list[DestinationSettings]:
    with _lock:
        return list(_seen.values())


def flush_all(timeout_s: float) -> bool:
    deadline = time.monotonic() + max(0.0, timeout_s)
    results = [p.flush(deadline - time.monotonic()) for p in all_pipelines()]  # flush every one
    return all(results)


def watch_all(callback: FlushCallback) -> Callable[[], None]:
    """``Pipeline.watch`` over every open pipeline: ``callback(True)`` once all are flushed."""
    pipelines = all_pipelines()
    settled = AllSettled(len(pipelines), callback)
    cancels = [pipeline.watch(settled.part, while_healthy=False) for pipeline in pipelines]

    def cancel() -> None:
        for each in cancels:
            each()

    return cancel


def close_all(timeout_s: float) -> bool:
    """Deliver what is queued everywhere (bounded by one shared deadline), then close everything."""
    deadline = time.monotonic() + max(0.0, timeout_s)
    with _lock:
        pipelines = list(_pipelines.values())
        _pipelines.clear()
        for pipeline in pipelines:
            pipeline.closed = True
    delivered = True
    for pipeline in pipelines:
        try:
            delivered = pipeline.close(deadline - time.monotonic()) and delivered
        except Exception:  # one broken pipeline must not stop the others flushing
            logger.exception("HoneyHive: error while closing a pipeline")
            delivered = False
    return delivered


def _after_fork_in_child() -> None:
    # The worker threads did not survive the fork: let each pipeline start fresh ones.
    PROCESS_COUNTERS.after_fork()
    attribution.reset_after_fork()
    for pipeline in list(_pipelines.values()):
        pipeline.reinit_after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
