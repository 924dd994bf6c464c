"""Where the application builds and keeps its tracers, in ways only inference can follow."""

import honeyhive
from honeyhive import HoneyHiveTracer, trace

process_tracer = HoneyHiveTracer.init(project="chat")
TRACERS = {"default": process_tracer, "billing": HoneyHiveTracer.init(project="billing")}
POOL = (process_tracer, HoneyHiveTracer.init(project="chat-replica"))
# The SDK's decorators under the application's own names.
traced = trace
step = honeyhive.trace


def make_tracer():
    """An unannotated factory."""
    return HoneyHiveTracer.init(project="chat")


def tracer_for(tenant):
    """A helper that hands out a tracer from a container."""
    return TRACERS[tenant]


def passthrough(tracer):
    """A helper that returns what it is given."""
    return tracer


class AppTracer(HoneyHiveTracer):
    """The application's own tracer class."""


def registered() -> AppTracer:
    """Annotated, with a body inference cannot read: the annotation says what it returns."""
    return globals()["_registry"]()


class App:
    """An object that holds the tracer."""

    def __init__(self):
        self.tracer = HoneyHiveTracer.init(project="chat")
        self.tracers = [self.tracer]


app = App()
