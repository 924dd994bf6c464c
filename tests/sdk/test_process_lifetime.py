"""Process lifetime on the wire: a forked child keeps its own connections, and interpreter exit
keeps its documented deadline however many destinations are in use."""

from __future__ import annotations

import time

from .helpers import API_KEY, run_python
from .loopback import LoopbackServer

FORK_SCRIPT = """
import os, sys, warnings
warnings.simplefilter("ignore", DeprecationWarning)  # fork() with threads, on 3.12+
from honeyhive import HoneyHiveTracer, trace
tracer = HoneyHiveTracer.init(project="fork-project")

@trace(tracer=tracer)
def before_fork():
    pass

@trace(tracer=tracer)
def in_child():
    pass

before_fork()
assert tracer.flush(10_000)  # the parent now holds kept-alive connections to the server
pid = os.fork()
if pid == 0:
    in_child()
    tracer.enrich_session(metadata={"process": "child"})
    os._exit(0 if tracer.flush(10_000) else 1)
_, status = os.waitpid(pid, 0)
tracer.enrich_session(metadata={"process": "parent"})
assert tracer.flush(10_000)
print(os.waitstatus_to_exitcode(status))
"""


def test_a_forked_child_never_shares_the_parents_connections(loopback: LoopbackServer) -> None:
    # Two processes writing on one socket mix up their requests: bodies arrive spliced together,
    # answers go to the wrong process, and calls counted as sent are lost.
    result = run_python(FORK_SCRIPT, env={"HH_API_KEY": API_KEY, "HH_API_URL": loopback.url})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0", "the child did not deliver"
    [start] = loopback.session_starts()
    [parent_export] = [r for r in loopback.otlp_requests() if r.spans[0].name == "before_fork"]
    parent_ports = {start.client_port, parent_export.client_port}
    [child_export] = [r for r in loopback.otlp_requests() if r.spans[0].name == "in_child"]
    by_process = {r.json()["metadata"]["process"]: r for r in loopback.enrichments()}
    assert sorted(by_process) == ["child", "parent"]
    assert child_export.client_port not in parent_ports
    assert by_process["child"].client_port not in parent_ports


EXIT_DEADLINE_S = 5.0  # README: "At interpreter exit, all pipelines get 5 s together"
EXIT_SLACK_S = 5.0  # interpreter start and stop on a busy 2-core machine
DESTINATIONS = 12
SERVER_STALL_S = 60.0

MANY_DESTINATIONS_SCRIPT = f"""
from honeyhive import HoneyHiveTracer
for i in range({DESTINATIONS}):  # one destination each: a pipeline with its own workers
    tracer = HoneyHiveTracer.init(project="exit", source=f"source-{{i}}")
    with tracer.trace("step"):
        pass
    tracer.enrich_session(metadata={{"step": "done"}})
"""


def test_interpreter_exit_gives_every_destination_one_shared_deadline(
    loopback: LoopbackServer,
) -> None:
    # Against a backend that accepts and never answers, each destination used to add its own
    # stop grace after the shared deadline: the exit took longer the more destinations there were.
    with loopback.faults(delay_s=SERVER_STALL_S):
        started = time.monotonic()
        result = run_python(
            MANY_DESTINATIONS_SCRIPT, env={"HH_API_KEY": API_KEY, "HH_API_URL": loopback.url}
        )
        elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert elapsed < EXIT_DEADLINE_S + EXIT_SLACK_S
    assert "dropped at shutdown" in result.stderr  # what was lost is said, never silent
