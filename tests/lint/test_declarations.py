"""An annotation without a value declares a type and assigns nothing: no HH002 for it.

The shared fixture `hh002_assignments.py` holds the silent cases for both plugins; these tests pin
the engine's side, including that the receiver of such a declaration is still checked.
"""

from __future__ import annotations

import textwrap

from flake8_honeyhive.checker import check_source


def reported(source: str) -> list[tuple[int, str]]:
    return [(f.line, f.code) for f in check_source(textwrap.dedent(source).encode())]


def test_declaring_a_tracers_session_attribute_assigns_nothing() -> None:
    assert reported(
        """\
        from honeyhive import HoneyHiveTracer
        tracer = HoneyHiveTracer.init()
        tracer.session_id: str
        tracer._session_id: "str | None"
        tracer.session_id: str = "b"
        """
    ) == [(5, "HH002")]


def test_the_receiver_of_a_declaration_still_runs() -> None:
    assert reported(
        """\
        from honeyhive import HoneyHiveTracer
        tracer = HoneyHiveTracer.init()
        tracer.create_session().session_id: str
        """
    ) == [(3, "HH002")]
