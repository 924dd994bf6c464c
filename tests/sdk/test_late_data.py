"""Feedback that arrives later, by session id, with no tracer in context: it goes where the
application's tracers went, even when none is live; when that is ambiguous it fails loudly and is
counted, never silently dropped. Each case runs in a fresh interpreter: the destinations a process
has used are the process's own."""

from __future__ import annotations

from .helpers import API_KEY, run_python_json
from .loopback import LoopbackServer

LATE_FEEDBACK = """
import json, logging
from honeyhive import HoneyHiveTracer, delivery_stats, enrich_session, flush
warnings = []
class Keep(logging.Handler):
    def emit(self, record):
        if record.levelno >= logging.WARNING:
            warnings.append(record.getMessage())
logging.getLogger("honeyhive").addHandler(Keep())

urls = {urls!r}
sessions = []
for url in urls:  # the application passes its key itself: no HH_API_KEY
    with HoneyHiveTracer.init(api_key="{key}", server_url=url, project="late") as tracer:
        sessions.append(tracer.session_id)
assert flush(timeout_millis=10_000)
# Every tracer has ended; the feedback for the first session arrives now.
enrich_session(sessions[0], feedback={{"rating": 5}})
flush(timeout_millis=10_000)
print(json.dumps({{"sessions": sessions, "warnings": warnings,
                  "unrouted": delivery_stats().events_unrouted}}))
"""


def feedback_calls(loopback: LoopbackServer) -> list[dict[str, object]]:
    return [r.json() for r in loopback.enrichments() if "feedback" in r.json()]


def test_feedback_by_id_reaches_the_applications_destination_with_no_tracer_live(
    loopback: LoopbackServer,
) -> None:
    report = run_python_json(LATE_FEEDBACK.format(urls=[loopback.url], key=API_KEY))
    assert feedback_calls(loopback) == [
        {"event_id": report["sessions"][0], "feedback": {"rating": 5}}
    ]
    assert report["warnings"] == []
    assert report["unrouted"] == 0


def test_feedback_by_id_with_two_possible_destinations_fails_loudly_and_counted(
    loopback: LoopbackServer,
) -> None:
    other = LoopbackServer()
    try:
        report = run_python_json(LATE_FEEDBACK.format(urls=[loopback.url, other.url], key=API_KEY))
    finally:
        other.stop()
    assert feedback_calls(loopback) == []
    assert report["unrouted"] == 1
    [warning] = report["warnings"]
    assert "used 2 destinations" in warning
    assert "Pass tracer=" in warning
