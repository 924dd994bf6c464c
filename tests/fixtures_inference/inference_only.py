"""Tracers only inference can follow: from other modules, containers, factories and helpers.

flake8 sees one module's syntax, so it cannot tell what these names hold and stays silent; pylint
follows them into `chatapp/` and reports each annotated line.
"""

from typing import ClassVar

import honeyhive
from chatapp import tracing
from chatapp.lookalikes import VendorTracer, vendor_tracer
from chatapp.lookalikes import trace as vendor_trace
from chatapp.tracing import (
    POOL,
    TRACERS,
    AppTracer,
    app,
    make_tracer,
    passthrough,
    process_tracer,
    registered,
    step,
    traced,
    tracer_for,
)
from honeyhive import HoneyHiveTracer

SID = "0b5e8e0e-2c53-4d7c-8a8e-2d7f3f0d9c41"

# A tracer imported from the module that created it.
process_tracer.session_id = SID  # [tracer-reused-across-sessions]
tracing.process_tracer.create_session()  # [tracer-reused-across-sessions]
setattr(process_tracer, "_session_id", SID)  # [tracer-reused-across-sessions]

# Factories: an unannotated one in another module, one in this module, and a tracer subclass.
made = make_tracer()
made.session_start()  # [tracer-reused-across-sessions]


def local_factory():
    return HoneyHiveTracer.init(project="chat")


local_factory().create_session()  # [tracer-reused-across-sessions]
AppTracer.init(project="chat").create_session()  # [tracer-reused-across-sessions]
registered().session_id = SID  # [tracer-reused-across-sessions]

# Containers: dicts, tuples and lists, here and in other modules.
TRACERS["billing"].session_id = SID  # [tracer-reused-across-sessions]
POOL[1].with_session()  # [tracer-reused-across-sessions]
primary, replica = POOL
replica.create_session()  # [tracer-reused-across-sessions]
for pooled in POOL:
    pooled.session_start()  # [tracer-reused-across-sessions]
by_name = {"chat": HoneyHiveTracer.init(project="chat")}
by_name["chat"].create_session()  # [tracer-reused-across-sessions]

# Helpers that hand a tracer back.
tracer_for("default").create_session()  # [tracer-reused-across-sessions]
passthrough(HoneyHiveTracer.init(project="chat")).session_id = SID  # [tracer-reused-across-sessions]

# Tracers held on objects defined elsewhere.
app.tracer.create_session()  # [tracer-reused-across-sessions]
app.tracers[0].session_id = SID  # [tracer-reused-across-sessions]


# A parameter annotated with a tracer class defined in another module.
def handle(tracer: AppTracer, sid: str) -> None:
    tracer.session_id = sid  # [tracer-reused-across-sessions]


# The SDK's decorators, renamed by the application.
@traced(session_id=SID)  # [tracer-reused-across-sessions]
def renamed() -> None: ...


@step(session_id=SID)  # [tracer-reused-across-sessions]
def renamed_from_module_attribute() -> None: ...


@tracing.trace(session_id=SID)  # [tracer-reused-across-sessions]
def through_project_module() -> None: ...


# A session id passed to an inferred tracer's own enrich_session, in a module that imports
# honeyhive: flake8 reports these too, from the method's name alone; pylint knows.
process_tracer.enrich_session(session_id=SID)  # [session-id-on-tracer-method]
TRACERS["default"].enrich_session(SID)  # [session-id-on-tracer-method]

# Silent: another library's tracer and decorator with HoneyHive's names are not HoneyHive's.
vendor_tracer.create_session()
vendor_tracer.session_id = SID
VendorTracer().create_session()


@vendor_trace(session_id=SID)
def vendor_traced() -> None: ...


# Silent: the free function.
honeyhive.enrich_session(session_id=SID)


# Silent: a tracer alongside something that is certainly not one may be that other thing.
def either(flag: bool) -> None:
    maybe = process_tracer if flag else vendor_tracer
    maybe.create_session()


# A walrus as the receiver: the tracer it binds.
(walrused := make_tracer()).create_session()  # [tracer-reused-across-sessions]


# Type qualifiers declare the type they wrap.
class Service:
    tracer: ClassVar[AppTracer]

    def rebind(self) -> None:
        self.tracer.session_id = SID  # [tracer-reused-across-sessions]
