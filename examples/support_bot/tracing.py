"""Tracer construction for the bot."""

from __future__ import annotations

import os

from honeyhive import HoneyHiveTracer

PROJECT = os.environ.get("HH_PROJECT", "support-bot")
SOURCE = os.environ.get("HH_SOURCE", "prod")

# honeyhive 1.7's advice for servers: one tracer for the whole process, one session per request.
process_tracer = HoneyHiveTracer.init(project=PROJECT, source=SOURCE)


def tracer_for(session_id: str | None = None) -> HoneyHiveTracer:
    """One cheap tracer per conversation, bound to its session when it is created."""
    return HoneyHiveTracer.init(project=PROJECT, source=SOURCE, session_id=session_id)


def tracers_by_tenant():
    # Unannotated, so only inference can tell that it hands out tracers.
    return {"default": process_tracer}
