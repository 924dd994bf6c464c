"""A module that never imports honeyhive, and still holds HoneyHive tracers from the project.

flake8 reports nothing in a module without a honeyhive import; pylint follows the imports.
"""

from chatapp.tracing import process_tracer, traced, tracer_for

SID = "0b5e8e0e-2c53-4d7c-8a8e-2d7f3f0d9c41"


def handler(request_session_id: str) -> None:
    process_tracer.enrich_session(session_id=request_session_id)  # [session-id-on-tracer-method]
    process_tracer.session_id = request_session_id  # [tracer-reused-across-sessions]
    tracer_for("default").create_session()  # [tracer-reused-across-sessions]


@traced(session_id=SID)  # [tracer-reused-across-sessions]
def step() -> None: ...
