"""A job runner under src/, importing from the project root and from its own package."""

from worker.setup import worker_tracer


def run_job(job_session_id: str) -> None:
    worker_tracer.enrich_session(session_id=job_session_id)
    worker_tracer.with_session(job_session_id)
