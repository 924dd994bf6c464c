"""The syntactic fallback: where inference cannot tell, pylint reports exactly flake8's findings."""

from __future__ import annotations

from pathlib import Path

from tests.pylint.runner import flake8_engine, pylint_run

# A string annotation leaves inference silent, so every finding here is the syntactic engine's.
# Each outer call starts where its inner call does: only the inner call is a finding.
CHAINED_CALLS = """\
import honeyhive


def chained(tracer: "honeyhive.HoneyHiveTracer") -> None:
    tracer.create_session().create_session()
    tracer.create_session().session_start()
    tracer.enrich_session(session_id="a").enrich_session(session_id="b")
"""


def test_a_chained_call_does_not_take_its_inner_calls_finding(tmp_path: Path) -> None:
    module = tmp_path / "chained.py"
    module.write_text(CHAINED_CALLS, encoding="utf-8")
    flake8 = flake8_engine(module)
    assert len(flake8) == 3
    assert [reported for reported, _confidence in pylint_run([module])[module.resolve()]] == flake8
