"""The application package: re-exports its default tracer."""

from .tracing import tracer as default_tracer

__all__ = ["default_tracer"]
