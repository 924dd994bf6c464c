"""`# noqa` parsing (unit), its agreement with the real ruff, and its effect end to end."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_honeyhive.cli.noqa import (
    INVALID_CODE_SUFFIX,
    INVALID_SUFFIX,
    MISSING_CODES,
    Directive,
    NoqaError,
    continued_rows,
    parse_file_exemption,
    parse_inline,
)
from tests.cli.helpers import HH001_SOURCE, IMPORT, RUFF, TRACER, lint, write

BLANKET = Directive(None)


def codes(*names: str) -> Directive:
    return Directive(frozenset(names))


# (comment, the directive, or the error a broken one raises)
INLINE_CASES: list[tuple[str, Directive | str | None]] = [
    ("# noqa", BLANKET),
    ("# NOQA", BLANKET),
    ("#noqa", BLANKET),
    ("# noqa because the legacy API needs it", BLANKET),
    ("# noqa F401", BLANKET),
    ("# noqa# another comment", BLANKET),
    ("# noqa:F401", codes("F401")),
    ("# noqa: F401", codes("F401")),
    ("# NoQA: F401", codes("F401")),
    ("# noqa: E501, F401", codes("E501", "F401")),
    ("# noqa: E501 F401", codes("E501", "F401")),
    ("# noqa:F401,E501", codes("F401", "E501")),
    ("# noqa: E501,,F401", codes("E501", "F401")),
    ("# noqa: ,F401", codes("F401")),
    ("# noqa: F401 because reasons", codes("F401")),
    ("# noqa: F401,garbage", codes("F401")),
    ("# noqa : F401", codes("F401")),
    ("# noqa  :F401", codes("F401")),
    ("# noqa:F401E501", codes("F401", "E501")),
    ("# noqa: F401# trailing", codes("F401")),
    ("# noqa: F401 # trailing", codes("F401")),
    ("# noqa:E501 # noqa:F401", codes("E501")),
    ("# type: ignore # noqa: F401", codes("F401")),
    ("# noqa: E501 - explanation F401", codes("E501")),
    ("# noqa: F4", codes("F4")),
    ("# noqa:", MISSING_CODES),
    ("# noqa: garbage", MISSING_CODES),
    ("# noqa: garbage F401", MISSING_CODES),
    ("# noqa: f401", MISSING_CODES),
    ("# noqa:-F401", MISSING_CODES),
    ("# noqa: F401:", INVALID_CODE_SUFFIX),
    ("# noqa:F401zz", INVALID_CODE_SUFFIX),
    ("# noqa: F401\u2014dash", INVALID_CODE_SUFFIX),
    ("# noqa:F401Fabc", INVALID_CODE_SUFFIX),
    ("# noqa-F401", INVALID_SUFFIX),
    ("# noqaF401", INVALID_SUFFIX),
    ("# a comment", None),
    ("# foo noqa: F401", None),
    ("# ruff: noqa", None),
]


def _parse(comment: str) -> Directive | str | None:
    try:
        return parse_inline(comment)
    except NoqaError as error:
        return str(error)


@pytest.mark.parametrize(("comment", "expected"), INLINE_CASES)
def test_inline_directive(comment: str, expected: Directive | str | None) -> None:
    assert _parse(comment) == expected


FILE_CASES: list[tuple[str, Directive | str | None]] = [
    ("# ruff: noqa", BLANKET),
    ("# flake8: noqa", BLANKET),
    ("#ruff:noqa", BLANKET),
    ("# ruff : noqa", BLANKET),
    ("# ruff: NOQA", BLANKET),
    ("# ruff: noqa: F401", codes("F401")),
    ("# flake8: noqa: F401, E501", codes("F401", "E501")),
    ("# ruff: noqa: F401  # why", codes("F401")),
    ("# ruff: noqa:", MISSING_CODES),
    ("# RUFF: noqa", None),
    ("# pylint: noqa", None),
    ("# noqa", None),
]


@pytest.mark.parametrize(("comment", "expected"), FILE_CASES)
def test_file_exemption(comment: str, expected: Directive | str | None) -> None:
    try:
        parsed: Directive | str | None = parse_file_exemption(comment)
    except NoqaError as error:
        parsed = str(error)
    assert parsed == expected


def test_directives_suppress_listed_codes_exactly() -> None:
    assert BLANKET.suppresses("HH001")
    assert codes("HH001").suppresses("HH001")
    assert not codes("HH001").suppresses("HH002")
    assert not codes("HH").suppresses("HH001")  # a prefix is not a code, as in ruff


CONCISE = ("--output-format", "concise")
JSON = ("--output-format", "json")


def _ruff_version() -> tuple[int, ...]:
    if RUFF is None:
        return (0,)
    output = subprocess.run([RUFF, "--version"], capture_output=True, text=True, check=True)
    return tuple(int(part) for part in output.stdout.split()[1].split(".")[:2])


# ruff 0.10 rewrote its noqa lexer; these are the semantics we follow (ruff is a dev dependency).
requires_modern_ruff = pytest.mark.skipif(
    _ruff_version() < (0, 10), reason="needs ruff >= 0.10, which parses `# noqa` as we do"
)
_RUFF_REPORTED_ROW = re.compile(r"^[^:]+:(\d+):\d+: F401 ", re.MULTILINE)


def _ruff_output(source: str, directory: Path, *options: str) -> str:
    """What `ruff check OPTIONS` prints for `source`, written to `directory`/probe.py."""
    (directory / "probe.py").write_text(source, encoding="utf-8")
    result = subprocess.run(
        [str(RUFF), "check", "--isolated", "--no-cache", *options, "probe.py"],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.stdout


def _ruff_reported_rows(source: str, directory: Path) -> set[int]:
    output = _ruff_output(source, directory, "--select", "F401", *CONCISE)
    return {int(row) for row in _RUFF_REPORTED_ROW.findall(output)}


@requires_modern_ruff
def test_inline_parsing_agrees_with_the_real_ruff(tmp_path: Path) -> None:
    """Each comment on an unused import: ruff hides F401 exactly where our parser says we would."""
    lines = [f"import module{row}  {comment}" for row, (comment, _) in enumerate(INLINE_CASES, 1)]
    ruff_reports = _ruff_reported_rows("\n".join(lines) + "\n", tmp_path)
    we_report = {
        row
        for row, (comment, _) in enumerate(INLINE_CASES, 1)
        if not isinstance(directive := _parse(comment), Directive)
        or not directive.suppresses("F401")
    }
    assert we_report == ruff_reports


@requires_modern_ruff
@pytest.mark.parametrize(("comment", "expected"), FILE_CASES)
def test_file_exemptions_agree_with_the_real_ruff(
    comment: str, expected: Directive | str | None, tmp_path: Path
) -> None:
    ruff_reports = _ruff_reported_rows(f"{comment}\nimport os\n", tmp_path)
    suppressed = isinstance(expected, Directive) and expected.suppresses("F401")
    assert ruff_reports == (set() if suppressed else {2})


CONTINUED = (
    "y = 2\n"
    "print(y == None, \\\n"
    "  1)\n"
    "x = (y \\\n"
    "  .real == None) \\\n"
    "  + 1\n"
    's = """a\\\n'
    '"""; z = y == None\n'
)


def test_continued_rows_map_to_the_end_of_the_statement() -> None:
    # Rows 2, 4 and 5 end with a backslash; row 7's belongs to a triple-quoted string ending on 8.
    assert continued_rows(CONTINUED) == {2: 3, 4: 6, 5: 6, 7: 8}


# Findings inside strings that span rows, and on a row such a string starts on.
SPANNING_STRINGS = (
    "y = 2\n"
    'x = f"""\n'
    "{y == None}\n"
    "{\n"
    " y == None\n"
    "}\n"
    '"""\n'
    'z = (y == None, """\n'
    '""", """\n'
    '""") \\\n'
    "  + ()\n"
    'w = (y == None, "a\\\n'
    'b", f"c\\\n'
    '")\n'
)


def test_rows_of_a_string_spanning_rows_map_to_its_last_row() -> None:
    # The f-string spans rows 2-7; touching strings and a backslash chain rows 8-11 together;
    # a plain string continued with a backslash keeps its rows, an f-string does not (12-14).
    assert continued_rows(SPANNING_STRINGS) == {
        **dict.fromkeys(range(2, 7), 7),
        **dict.fromkeys(range(8, 11), 11),
        13: 14,
    }


@requires_modern_ruff
@pytest.mark.parametrize(
    ("source", "ruff_rows"),
    [
        (CONTINUED, [(2, 3), (5, 6), (8, 8)]),
        (SPANNING_STRINGS, [(3, 7), (5, 7), (8, 11), (12, 12)]),
    ],
    ids=["continuations", "spanning-strings"],
)
def test_continued_rows_agree_with_the_real_ruff(
    source: str, ruff_rows: list[tuple[int, int]], tmp_path: Path
) -> None:
    """ruff's `noqa_row` of each E711 in `source` is where our mapping looks for the comment."""
    output = _ruff_output(source, tmp_path, "--select", "E711", *JSON)
    rows = [(d["location"]["row"], d["noqa_row"]) for d in json.loads(output)]
    mapping = continued_rows(source)
    assert rows == ruff_rows
    assert rows == [(row, mapping.get(row, row)) for row, _ in rows]


# --- end to end -----------------------------------------------------------------------------------

CALL = 't.enrich_session(session_id="x")'


def test_noqa_comments_end_to_end(tmp_path: Path) -> None:
    body = [
        f"{CALL}  # noqa",  # 3: suppressed
        f"{CALL}  # noqa: HH001",  # 4: suppressed
        f"{CALL}  #NOQA:HH001",  # 5: suppressed
        f"{CALL}  # noqa: E501, HH001",  # 6: suppressed (mixed with a foreign code)
        f"{CALL}  # noqa: HH002",  # 7: reported (another code)
        f"{CALL}  # noqa: E501",  # 8: reported
        f"{CALL}  # noqa:",  # 9: reported, with a warning
        f"{CALL}  # noqa: hh001",  # 10: reported, with a warning
        't.enrich_session(session_id="# noqa")',  # 11: reported: that `#` is inside a string
        f"{CALL}  # type: ignore  # noqa: HH001",  # 12: suppressed
        "t.enrich_session(  # noqa: HH001\n    session_id='x',\n)",  # 13: suppressed (start row)
        f"{CALL}  # noqa: HH",  # 16: reported, with a warning (a prefix is not a code)
    ]
    write(tmp_path, {"app.py": IMPORT + TRACER + "\n".join(body) + "\n"})
    run = lint("--output-format", "json", cwd=tmp_path)
    assert run.returncode == 1
    assert [(d["location"]["row"], d["noqa_row"]) for d in run.json()] == [
        (7, 7),
        (8, 8),
        (9, 9),
        (10, 10),
        (11, 11),
        (16, 16),
    ]
    assert run.stderr.splitlines() == [
        f"warning: Invalid `# noqa` directive on app.py:{row}: {MISSING_CODES}"
        for row in (9, 10, 16)
    ]
    # -q prints diagnostics only: no warnings.
    assert lint("-q", cwd=tmp_path).stderr == ""


def test_noqa_of_a_backslash_continuation_is_on_its_last_row(tmp_path: Path) -> None:
    body = [
        't.enrich_session(session_id= \\\n    "x")  # noqa: HH001',  # 3: suppressed on 4
        't.enrich_session( \\\n    session_id="x")',  # 5: reported, noqa_row 6
        'x = t \\\n    .enrich_session(session_id="y") \\\n    .real  # noqa: HH001',  # 7: on 9
        f's = """a\\\n"""; {CALL}',  # 11: reported; the backslash is inside a string
    ]
    write(tmp_path, {"app.py": IMPORT + TRACER + "\n".join(body) + "\n"})
    run = lint("--output-format", "json", cwd=tmp_path)
    assert [(d["location"]["row"], d["noqa_row"]) for d in run.json()] == [(5, 6), (11, 11)]


def test_noqa_of_a_string_spanning_rows_is_on_its_last_row(tmp_path: Path) -> None:
    body = [
        f'a = f"""\n{{{CALL}}}\n"""  # noqa: HH001',  # 3 (on 4): suppressed on 5
        f'b = ({CALL}, """\n""")  # noqa: HH001',  # 6: suppressed on 7
        f'c = f"""\n{{{CALL}}}\n"""',  # 8 (on 9): reported, noqa_row 10
    ]
    write(tmp_path, {"app.py": IMPORT + TRACER + "\n".join(body) + "\n"})
    run = lint("--output-format", "json", cwd=tmp_path)
    assert [(d["location"]["row"], d["noqa_row"]) for d in run.json()] == [(9, 10)]
    # Without any `noqa` in the file, the row to put one on is still the string's last.
    write(tmp_path, {"app.py": IMPORT + TRACER + body[2] + "\n"})
    run = lint("--output-format", "json", cwd=tmp_path)
    assert [(d["location"]["row"], d["noqa_row"]) for d in run.json()] == [(4, 5)]


@pytest.mark.skipif(sys.version_info < (3, 12), reason="PEP 701 f-strings need Python 3.12")
def test_noqa_row_of_a_single_quoted_fstring_field_spanning_rows(tmp_path: Path) -> None:
    # Python 3.12+: a `{...}` field of a single-quoted f-string may span rows; ruff then reads
    # the `noqa` on the string's last row, in files with or without any `noqa` comment.
    for prefix in ("", "{'a'}"):  # quotes may come before the field
        body = f'print(f"{prefix}{{\n    {CALL}\n}}")\n'
        write(tmp_path, {"app.py": IMPORT + TRACER + body})
        run = lint("--output-format", "json", cwd=tmp_path)
        assert [(d["location"]["row"], d["noqa_row"]) for d in run.json()] == [(4, 5)], prefix


@pytest.mark.parametrize(
    ("first_line", "reported_codes"),
    [
        ("# ruff: noqa", []),
        ("# flake8: noqa", []),
        ("# ruff: noqa: HH001", ["HH002"]),
        ("# flake8: noqa: HH002", ["HH001"]),
        ("# ruff: noqa: E501", ["HH001", "HH002"]),
        ("x = 1  # ruff: noqa", ["HH001", "HH002"]),  # not on its own line: ignored, as ruff does
        ('"""# ruff: noqa"""', ["HH001", "HH002"]),  # inside a string: not a comment
    ],
)
def test_file_level_exemptions(first_line: str, reported_codes: list[str], tmp_path: Path) -> None:
    source = f"{first_line}\n{IMPORT}{TRACER}{CALL}\nt.create_session()\n"
    write(tmp_path, {"app.py": source})
    run = lint("--output-format", "json", cwd=tmp_path)
    assert [d["code"] for d in run.json()] == reported_codes
    assert run.returncode == (1 if reported_codes else 0)


def test_misplaced_file_exemption_is_warned_about(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": HH001_SOURCE.replace("\n", "  # ruff: noqa\n", 1)})
    run = lint(cwd=tmp_path)
    assert run.returncode == 1
    assert "warning: Unexpected `# ruff: noqa` directive on app.py:1: " in run.stderr


def test_ignore_noqa_reports_what_comments_suppress_and_leaves_the_cache_alone(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "line.py": HH001_SOURCE.replace("\n", "  # noqa: HH001\n", 3),
            "file.py": "# ruff: noqa\n" + HH001_SOURCE,
        },
    )
    # Run with the cache first, so that a polluted cache would show in the last run.
    assert lint("--output-format", "json", cwd=tmp_path).json() == []
    ignored = lint("--output-format", "json", "--ignore-noqa", cwd=tmp_path)
    assert [(Path(d["filename"]).name, d["code"]) for d in ignored.json()] == [
        ("file.py", "HH001"),
        ("line.py", "HH001"),
    ]
    assert lint("--output-format", "json", cwd=tmp_path).json() == []
