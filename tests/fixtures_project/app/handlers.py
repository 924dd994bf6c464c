"""Request handlers: this module never imports honeyhive, and holds tracers from the others."""

import app.tracing as tr
from app import default_tracer
from app.cycle_a import loop_a
from app.deps import fresh_tracer, get_tracer
from app.lookalikes import VendorTracer, vendor_tracer
from app.lookalikes import trace as vendor_trace
from app.services import ChatService, Deps, ReplicaService, VendorService
from app.tracing import (
    NOT_A_TRACER,
    AppTracer,
    annotated_tracer,
    atracer,
    maybe_tracer,
    optional_trace,
    traced,
    tracer,
)

SID = "0b5e8e0e-2c53-4d7c-8a8e-2d7f3f0d9c41"


def imported_names(session_id: str) -> None:
    tracer.enrich_session(session_id=session_id)
    tracer.session_id = session_id
    tr.tracer.create_session()
    default_tracer.enrich_session(session_id=session_id)


def factories(session_id: str) -> None:
    get_tracer().enrich_session(session_id=session_id)
    fresh_tracer().create_session()
    annotated_tracer().create_session()
    AppTracer.init(project="chat").create_session()
    maybe_tracer(session_id).create_session()  # a tracer or a string: silent


async def awaited(session_id: str) -> None:
    (await atracer()).enrich_session(session_id=session_id)


def attributes(svc: ChatService, deps: Deps, session_id: str) -> None:
    svc.tracer.enrich_session(session_id=session_id)
    deps.tracer.create_session()
    ChatService().tracer.create_session()
    ReplicaService().tracer.create_session()
    VendorService().tracer.create_session()  # another library's tracer: silent


@traced(session_id=SID)
def decorated() -> None: ...


@optional_trace(session_id=SID)
def decorated_optionally() -> None: ...


@vendor_trace(session_id=SID)  # another library's decorator: silent
def vendor_decorated() -> None: ...


def lookalikes(session_id: str, other) -> None:
    vendor_tracer.enrich_session(session_id=session_id)
    VendorTracer().create_session()
    NOT_A_TRACER.enrich_session(session_id=session_id)
    loop_a.enrich_session(session_id=session_id)  # a cycle: unknown, silent
    other.enrich_session(session_id=session_id)  # unknown, and no honeyhive import: silent


def shadowed(session_id: str) -> None:
    tracer = VendorTracer()
    tracer.create_session()
    tracer.enrich_session(session_id=session_id)
