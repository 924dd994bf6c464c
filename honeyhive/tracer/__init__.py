"""The HoneyHive tracer: one ``HoneyHiveTracer`` per session, decorators and free functions."""

from honeyhive.errors import (
    HoneyHiveWarning,
    SessionIdArgumentWarning,
    SingleSessionError,
    TracerReuseWarning,
)
from honeyhive.tracer.core import HoneyHiveTracer
from honeyhive.tracer.decorators import atrace, trace, trace_class
from honeyhive.tracer.enrich import enrich_session, enrich_span, flush

__all__ = [
    "HoneyHiveTracer",
    "HoneyHiveWarning",
    "SessionIdArgumentWarning",
    "SingleSessionError",
    "TracerReuseWarning",
    "atrace",
    "enrich_session",
    "enrich_span",
    "flush",
    "trace",
    "trace_class",
]
