"""Relative imports, from a sub-package; this module imports honeyhive too."""

import honeyhive

from .. import deps
from ..services import Deps
from ..tracing import tracer as shared
from ..lookalikes import vendor_tracer


def route(session_id: str, deps_: Deps) -> None:
    shared.enrich_session(session_id=session_id)
    deps.get_tracer().create_session()
    deps_.tracer.enrich_session(session_id=session_id)
    vendor_tracer.enrich_session(session_id=session_id)  # another library's: silent
    honeyhive.enrich_session(session_id=session_id)  # the free function: silent
