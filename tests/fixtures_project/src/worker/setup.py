from app.tracing import tracer as worker_tracer

__all__ = ["worker_tracer"]
