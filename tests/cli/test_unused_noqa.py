"""HH100: `# noqa` directives whose HH codes suppress nothing (ruff's RUF100, for our codes)."""

from __future__ import annotations

from pathlib import Path

from flake8_honeyhive.rules import HH100
from tests.cli.helpers import IMPORT, TRACER, lint, write

SOURCE = (
    IMPORT
    + TRACER
    + 't.enrich_session(metadata={"resolved": True})  # noqa: HH001\n'  # 3: stale
    + 't.enrich_session(session_id="x")  # noqa: HH002\n'  # 4: the wrong code
    + 't.enrich_session(session_id="x")  # noqa: E501, HH001, HH001, HH009 legacy\n'  # 5
    + "t.create_session()  # noqa: HH002\n"  # 6: used
    + 't.enrich_session(session_id="x")  # noqa: HH100\n'  # 7: names HH100: left alone
    + "x = 1  # noqa\n"  # 8: blanket: another tool's business
    + "y = 2  # noqa: E501\n"  # 9: another tool's code
    + "t.create_session(  # noqa: HH002\n)\n"  # 10: used, on the statement's first row
)


def _hh100(run_args: tuple[str, ...], cwd: Path) -> list[tuple[int, int, int, str]]:
    run = lint("--output-format", "json", *run_args, cwd=cwd)
    return [
        (d["location"]["row"], d["location"]["column"], d["end_location"]["column"], d["message"])
        for d in run.json()
        if d["code"] == HH100.code
    ]


def _message(detail: str) -> str:
    return HH100.format(detail=detail)


def _span(row: int, directive: str) -> tuple[int, int, int]:
    """The 1-based columns of `directive` in row `row` of SOURCE, as (row, start, end)."""
    start = SOURCE.splitlines()[row - 1].index(directive) + 1
    return row, start, start + len(directive)


def test_is_opt_in(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": SOURCE})
    assert _hh100((), tmp_path) == []
    assert _hh100(("--select", "HH0"), tmp_path) == []


def test_reports_unused_mismatched_unknown_and_duplicated_hh_codes(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": SOURCE})
    directive = "# noqa: E501, HH001, HH001, HH009"
    assert _hh100(("--extend-select", "HH100"), tmp_path) == [
        (*_span(3, "# noqa: HH001"), _message("unused: `HH001`")),
        (*_span(4, "# noqa: HH002"), _message("unused: `HH002`")),
        (*_span(5, directive), _message("unknown: `HH009`; duplicated: `HH001`")),
    ]
    # The same through `select = ["HH"]` and `ALL`, which include the opt-in rule as in ruff.
    assert len(_hh100(("--select", "ALL"), tmp_path)) == 3


def test_a_rule_not_enabled_for_the_file_is_non_enabled(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": SOURCE})
    rows = _hh100(("--select", "HH001,HH100"), tmp_path)
    assert [(row, message) for row, _, _, message in rows] == [
        (3, _message("unused: `HH001`")),
        (4, _message("non-enabled: `HH002`")),
        (5, _message("unknown: `HH009`; duplicated: `HH001`")),
        (6, _message("non-enabled: `HH002`")),
        (10, _message("non-enabled: `HH002`")),
    ]


def test_files_the_engine_would_skip_are_read_for_stale_directives(tmp_path: Path) -> None:
    # No tracer code left at all (the pre-filter dismisses the file), yet the comment stayed.
    write(tmp_path, {"plain.py": "x = 1  # NOQA:HH001\n", "other.py": "x = 1\n"})
    assert _hh100(("--extend-select", "HH100"), tmp_path) == [
        (1, 8, 8 + len("# NOQA:HH001"), _message("unused: `HH001`"))
    ]


def test_file_exemptions_and_ignore_noqa_silence_it(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": "# ruff: noqa: HH100\n" + SOURCE})
    assert _hh100(("--extend-select", "HH100"), tmp_path) == []
    write(tmp_path, {"app.py": SOURCE})
    assert _hh100(("--extend-select", "HH100", "--ignore-noqa"), tmp_path) == []


def test_the_rule_pages_example_fires_and_its_fixed_form_is_silent(tmp_path: Path) -> None:
    write(tmp_path, {"bad.py": HH100.docs.example, "good.py": HH100.docs.use_instead})
    run = lint("--output-format", "json", "--select", "HH100", cwd=tmp_path)
    assert [(Path(d["filename"]).name, d["code"]) for d in run.json()] == [("bad.py", "HH100")]
