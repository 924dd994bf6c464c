"""HoneyHive: a strict single-session tracer for LLM apps, on OpenTelemetry."""

__version__ = "1.8.0"
