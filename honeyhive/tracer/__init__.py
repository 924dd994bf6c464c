"""The HoneyHive tracer: one ``HoneyHiveTracer`` per session, decorators and free functions."""

from honeyhive.errors import (
    HoneyHiveWarning,
    SessionIdArgumentWarning,
    SingleSessionError,
    TracerReuseWarning,
)
from honeyhive.tracer.core import HoneyHiveTracer
from honeyhive.tracer.decorators import atrace, trace, trace_class
from honeyhive.tracer.enrich import aflush, enrich_session, enrich_span, flush
from honeyhive.tracer.pipeline import stats as delivery_stats
from honeyhive.tracer.process_exit import ashutdown, shutdown

__all__ = [
    "HoneyHiveTracer",
    "HoneyHiveWarning",
    "SessionIdArgumentWarning",
    "SingleSessionError",
    "TracerReuseWarning",
    "aflush",
    "ashutdown",
    "atrace",
    "delivery_stats",
    "enrich_session",
    "enrich_span",
    "flush",
    "shutdown",
    "trace",
    "trace_class",
]
