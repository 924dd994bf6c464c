"""gunicorn settings for the WSGI app: the documented shutdown hook, and nothing else."""

from __future__ import annotations

from typing import Any

import honeyhive


def worker_exit(server: Any, worker: Any) -> None:
    # Deliver what this worker's tracers queued before it exits (bounded, counted and logged).
    honeyhive.shutdown()
