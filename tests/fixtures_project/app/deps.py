"""Dependencies: hands out the tracer made in app.tracing."""

from app.tracing import make_tracer, tracer


def get_tracer():
    return tracer


def fresh_tracer():
    return make_tracer()
