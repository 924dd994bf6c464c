"""Tracers held as attributes of objects whose classes another module defines, tracers built by
comprehensions, and tracers from a library module's optional-import fallback.

flake8 sees one module's syntax, so it cannot tell what these receivers hold; pylint follows them
into `chatapp/`.
"""

from chatapp.compat import default_tracer
from chatapp.compat import trace as compat_trace
from chatapp.services import REPLICAS, ChatService, Deps, InjectedService, VendorService
from honeyhive import HoneyHiveTracer

SID = "0b5e8e0e-2c53-4d7c-8a8e-2d7f3f0d9c41"


# Parameters annotated with classes from another module that make, receive or declare a tracer.
def handle(svc: ChatService, injected: InjectedService, deps: Deps) -> None:
    svc.tracer.create_session()  # [tracer-reused-across-sessions]
    injected.tracer.session_id = SID  # [tracer-reused-across-sessions]
    deps.tracer.session_start()  # [tracer-reused-across-sessions]


def vendor(service: VendorService) -> None:
    # Silent: another library's tracer under the same attribute name.
    service.tracer.create_session()


# Comprehensions: iterated, indexed and unpacked, here and in another module.
def per_project(names: list[str]) -> None:
    tracers = [HoneyHiveTracer.init(project=name) for name in names]
    for each in tracers:
        each.create_session()  # [tracer-reused-across-sessions]
    tracers[0].session_id = SID  # [tracer-reused-across-sessions]
    first, *rest = tracers
    first.session_start()  # [tracer-reused-across-sessions]
    by_project = {name: HoneyHiveTracer.init(project=name) for name in names}
    by_project["chat"].create_session()  # [tracer-reused-across-sessions]
    # Silent: the starred rest is a list, not a tracer.
    rest.create_session()
    # Silent: a comprehension of strings.
    upper = [name.upper() for name in names]
    upper[0].create_session()


for replica in REPLICAS:
    replica.create_session()  # [tracer-reused-across-sessions]
REPLICAS[1].session_id = SID  # [tracer-reused-across-sessions]


# A library's stand-ins for an absent honeyhive hide nothing.
default_tracer.create_session()  # [tracer-reused-across-sessions]


@compat_trace(session_id=SID)  # [tracer-reused-across-sessions]
def step() -> None: ...
