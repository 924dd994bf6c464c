"""A decorator's options kept in a variable and unpacked into it.

The flake8 engine reads only the lines that name a rule token or honeyhive, and `@trace(**options)`
names neither; pylint, which sees every call, infers the dict.
"""

from honeyhive import HoneyHiveTracer, trace

SID = "0b5e8e0e-2c53-4d7c-8a8e-2d7f3f0d9c41"
tracer = HoneyHiveTracer.init(project="support-bot")
options = {"session_id": SID, "event_type": "tool"}
built = dict(session_id=SID)


@trace(**options)  # [tracer-reused-across-sessions]
def step() -> None: ...


@tracer.trace(**built)  # [tracer-reused-across-sessions]
def tracer_step() -> None: ...


# Silent: no session id in the options, or None.
quiet = {"event_type": "tool"}
unset = {"session_id": None}


@trace(**quiet)
def quiet_step() -> None: ...


@trace(**unset)
def unset_step() -> None: ...
