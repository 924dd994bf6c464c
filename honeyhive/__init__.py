"""HoneyHive: a strict single-session tracer for LLM apps, on OpenTelemetry.

``import honeyhive`` stays cheap: the tracer (and OpenTelemetry) load on first use of a tracer
name, so the flake8 plugin, which imports ``honeyhive.rules``, and ``python -W
error::honeyhive.TracerReuseWarning`` never pay for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from flake8_honeyhive import __version__ as __version__
from honeyhive.errors import (
    HoneyHiveWarning,
    SessionIdArgumentWarning,
    SingleSessionError,
    TracerReuseWarning,
)

if TYPE_CHECKING:
    from honeyhive.tracer import (
        HoneyHiveTracer,
        aflush,
        ashutdown,
        atrace,
        delivery_stats,
        enrich_session,
        enrich_span,
        flush,
        shutdown,
        trace,
        trace_class,
    )


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

_LAZY = frozenset(
    {
        "HoneyHiveTracer",
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
    }
)


if not TYPE_CHECKING:  # type checkers see the imports above, and no catch-all attribute

    def __getattr__(name: str) -> Any:
        """PEP 562: load the tracer on first use of one of its names."""
        if name in _LAZY:
            value = getattr(importlib.import_module("honeyhive.tracer"), name)
            globals()[name] = value  # later lookups skip this function
            return value
        raise AttributeError(f"module 'honeyhive' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
