"""Findings are reported at the offending call, decorator or assignment, with its full span."""

from __future__ import annotations

import textwrap

from flake8_honeyhive.checker import check_source


def spans(source: str) -> list[tuple[str, int, int, int, int]]:
    findings = check_source(textwrap.dedent(source).encode())
    return [(f.code, f.line, f.col, f.end_line, f.end_col) for f in findings]


HEADER = "from honeyhive import HoneyHiveTracer, trace\nt = HoneyHiveTracer.init()\n"


def test_call_span_covers_the_whole_call() -> None:
    source = HEADER + "if True:\n    t.enrich_session(session_id='x')\n"
    assert spans(source) == [("HH001", 4, 4, 4, 36)]


def test_decorator_is_reported_after_the_at_sign() -> None:
    source = HEADER + "@trace(\n    session_id='x',\n)\ndef f(): ...\n"
    assert spans(source) == [("HH002", 3, 1, 5, 1)]


def test_assignment_is_reported_at_its_target() -> None:
    source = HEADER + "a, t.session_id = 1, 2\n"
    assert spans(source) == [("HH002", 3, 3, 3, 15)]


def test_findings_are_sorted_by_position() -> None:
    source = HEADER + "t.create_session(); t.session_id = 'x'\nt.enrich_session('x')\n"
    assert [(code, line, col) for code, line, col, *_ in spans(source)] == [
        ("HH002", 3, 0),
        ("HH002", 3, 20),
        ("HH001", 4, 0),
    ]


def test_line_endings_do_not_shift_lines() -> None:
    lines = [
        "from honeyhive import HoneyHiveTracer",
        "t = HoneyHiveTracer.init()",
        "t.create_session()",
    ]
    for newline in ("\n", "\r\n", "\r"):
        source = newline.join(lines) + newline
        assert [(f.code, f.line) for f in check_source(source.encode())] == [("HH002", 3)]
        assert [(f.code, f.line) for f in check_source(source)] == [("HH002", 3)]
