"""Background jobs that borrow the process-wide tracer from another module (honeyhive 1.7 style)."""

from __future__ import annotations

from .models import Rating
from .tracing import process_tracer, tracers_by_tenant

import honeyhive  # noqa: F401  (configures the SDK's logging for workers)


def apply_rating(rating: Rating) -> None:
    # The tracer is imported: flake8 cannot see what it is, but enrich_session is HoneyHive's own.
    process_tracer.enrich_session(session_id=rating.session_id, feedback={"score": rating.score})  # [session-id-on-tracer-method]


def reopen(session_id: str) -> None:
    # honeyhive-lint reads tracing.py's summary, pylint infers; flake8 sees one module alone.
    process_tracer.session_id = session_id  # [project: tracer-reused-across-sessions]
    tracers_by_tenant()["default"].create_session()  # [inference-only: tracer-reused-across-sessions]
