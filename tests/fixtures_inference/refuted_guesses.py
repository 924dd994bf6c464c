"""Receivers flake8 must guess about, which inference proves are not HoneyHive tracers.

In a module that imports honeyhive, flake8 reports `enrich_session` with a session id on any
receiver of unknown origin, because the method name is HoneyHive's own. pylint infers these
receivers: another library's objects, so it stays silent on the lines marked `refuted`.
"""

import honeyhive
from chatapp import tracing
from chatapp.lookalikes import VendorTracer, vendor_tracer

SID = "0b5e8e0e-2c53-4d7c-8a8e-2d7f3f0d9c41"

vendor_tracer.enrich_session(session_id=SID)  # refuted: session-id-on-tracer-method
VendorTracer().enrich_session(SID)  # refuted: session-id-on-tracer-method
# The free function, reached through a project module that imported honeyhive.
tracing.honeyhive.enrich_session(session_id=SID)  # refuted: session-id-on-tracer-method


def handler(store=vendor_tracer) -> None:
    # The default is a vendor tracer, and the caller may pass anything: not provably HoneyHive's.
    store.enrich_session(session_id=SID)  # refuted: session-id-on-tracer-method


# Still reported: an object inference cannot see is left to flake8's verdict.
def unknown(tracer) -> None:
    tracer.enrich_session(session_id=SID)  # [session-id-on-tracer-method]


honeyhive.enrich_session(session_id=SID)
