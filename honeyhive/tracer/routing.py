"""The global OpenTelemetry provider: routes other instrumentations' spans to a HoneyHive session.

Spans that OpenTelemetry instrumentations (a web framework, OpenAI, HTTP clients) start through the
global provider get the session their context links them to (:mod:`.attribution`) and are
exported by that tracer's own pipeline. So they land in the same session *and* at the same
destination as the traced code around them, even when several destinations are in use. The router
is installed only if no real provider is set yet, as 1.7 did; an application that configured its
own provider keeps it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Final

from opentelemetry import trace as trace_api
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor, TracerProvider

from honeyhive.tracer import attribution
from honeyhive.tracer.attributes import SESSION_ID
from honeyhive.tracer.waiting import timeout_seconds


class RoutingProcessor(SpanProcessor):
    """Stamps the session at start when the context decides it, and hands the span to its tracer's
    pipeline at end (or holds it until its trace is claimed)."""

    def __init__(self, flush: Callable[[float], bool]) -> None:
        self._flush = flush

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        tracer = attribution.span_started(span, None)
        if tracer is not None:
            attributes = span.attributes
            if attributes is None or SESSION_ID not in attributes:
                span.set_attributes(tracer._session_attrs)

    def on_end(self, span: ReadableSpan) -> None:
        attribution.span_ended(span)

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        # `trace.get_tracer_provider().force_flush()` (serverless handlers, task queues) must
        # deliver what the routed spans, and the sessions around them, wait in: the pipelines.
        return self._flush(timeout_seconds(timeout_millis))


class _Router:
    provider: TracerProvider | None = None
    lock: Final = threading.Lock()


def install_global_router(
    resource: Resource, flush: Callable[[float], bool]
) -> TracerProvider | None:
    """Make the router the global provider if none is set yet; the router, or None if not ours.

    ``flush(timeout_s)`` delivers what every pipeline holds: the router's ``force_flush``.
    """
    with _Router.lock:
        if _Router.provider is not None:
            return _Router.provider
        if not isinstance(trace_api.get_tracer_provider(), trace_api.ProxyTracerProvider):
            return None
        provider = TracerProvider(resource=resource, shutdown_on_exit=False)
        provider.add_span_processor(RoutingProcessor(flush))
        trace_api.set_tracer_provider(provider)
        if trace_api.get_tracer_provider() is provider:
            _Router.provider = provider
        return _Router.provider


def global_router() -> TracerProvider | None:
    return _Router.provider
