"""Where the application builds its tracers; the other modules import them from here."""

from honeyhive import HoneyHiveTracer, trace

try:
    from honeyhive import trace as optional_trace
except ImportError:

    def optional_trace(*args, **kwargs):
        return lambda function: function


tracer = HoneyHiveTracer.init(project="chat")
traced = trace
NOT_A_TRACER = "tracer"


class AppTracer(HoneyHiveTracer):
    """The application's own tracer class."""


def make_tracer():
    """Unannotated, but it evidently returns a tracer."""
    return HoneyHiveTracer.init(project="chat")


def annotated_tracer() -> AppTracer:
    return AppTracer.init(project="chat")


async def atracer() -> HoneyHiveTracer:
    return tracer


def maybe_tracer(flag):
    """A tracer or something else: not evidently a tracer."""
    return tracer if flag else NOT_A_TRACER
