"""A module that never touches honeyhive nor the tracer module: the same method names, silent."""

import json

from app.lookalikes import VendorTracer


class Sessions:
    def create_session(self):
        return json.dumps({})


def run(session_id: str) -> None:
    Sessions().create_session()
    VendorTracer().enrich_session(session_id=session_id)
