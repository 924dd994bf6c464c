"""Every `--output-format`, end to end, on a tree with findings and a file that does not parse."""

from __future__ import annotations

import difflib
import importlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from flake8_honeyhive import __version__
from flake8_honeyhive.rules import (
    FIX_ENRICH_BY_ID,
    FORM_KEYWORD,
    HH001,
    HH002,
    RULES,
    legacy_method_usage,
)
from tests.cli.helpers import HH001_SOURCE, IMPORT, TRACER, lint, write

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
# Imported by name: jsonschema ships no type information (types-jsonschema is not a dependency).
jsonschema = importlib.import_module("jsonschema")

HH001_MESSAGE = HH001.format(form=FORM_KEYWORD)
ENRICH_BY_ID = FIX_ENRICH_BY_ID.format(function="enrich_session", receiver="t")
# How the full format shows that fix, after the diagnostic.
ENRICH_BY_ID_HELP = (
    f"help: {ENRICH_BY_ID}\n"
    "  |\n"
    "  - from honeyhive import HoneyHiveTracer\n"
    "1 + from honeyhive import HoneyHiveTracer, enrich_session\n"
    "2 | t = HoneyHiveTracer.init()\n"
)
LEGACY_MESSAGE = HH002.format(usage=legacy_method_usage("create_session"))


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    write(
        tmp_path,
        {
            "app.py": HH001_SOURCE,
            # Columns count characters, like ruff: the call starts at character 10, byte 11.
            "pkg/uni.py": IMPORT + TRACER + 'x = "é"; t.create_session()\n',
            "pkg/bad.py": "import honeyhive\ndef f(:\n    t.session_id = 1\n",
            "clean.py": "import os\n",
        },
    )
    return tmp_path


def test_concise(tree: Path) -> None:
    run = lint("--output-format", "concise", cwd=tree)
    assert run.returncode == 1
    assert run.stdout == (
        f"app.py:3:1: HH001 {HH001_MESSAGE}\n"
        "pkg/bad.py:2:7: SyntaxError: invalid syntax\n"
        f"pkg/uni.py:3:10: HH002 {LEGACY_MESSAGE}\n"
        "Found 3 errors.\n"
        "1 unsafe fix available with `--fix --unsafe-fixes`.\n"
    )
    assert run.stderr == ""


def test_full_is_the_default_as_in_ruff(tree: Path) -> None:
    run = lint(cwd=tree)
    assert run.stdout == lint("--output-format", "full", cwd=tree).stdout
    assert run.stdout.startswith(f"HH001 {HH001_MESSAGE}\n --> app.py:3:1\n")
    # Configured in the project, another format wins over the default.
    write(tree, {"pyproject.toml": '[tool.honeyhive-lint]\noutput-format = "concise"\n'})
    assert lint(cwd=tree).lines[0] == f"app.py:3:1: HH001 {HH001_MESSAGE}"


def test_grouped(tree: Path) -> None:
    run = lint("--output-format", "grouped", cwd=tree)
    assert run.stdout == (
        "app.py:\n"
        f"  3:1 HH001 {HH001_MESSAGE}\n"
        "\n"
        "pkg/bad.py:\n"
        "  2:7 SyntaxError: invalid syntax\n"
        "\n"
        "pkg/uni.py:\n"
        f"  3:10 HH002 {LEGACY_MESSAGE}\n"
        "\n"
        "Found 3 errors.\n"
        "1 unsafe fix available with `--fix --unsafe-fixes`.\n"
    )


def test_colour_only_when_asked_or_on_a_terminal(tree: Path) -> None:
    coloured = lint("--output-format", "concise", "--color", "always", "app.py", cwd=tree)
    assert coloured.lines[0] == (
        "\x1b[1mapp.py\x1b[0m\x1b[36m:\x1b[0m3\x1b[36m:\x1b[0m1\x1b[36m:\x1b[0m "
        f"\x1b[1;31mHH001\x1b[0m {HH001_MESSAGE}"
    )
    # Captured output is no terminal: no colour by default, nor with --color never.
    plain = lint("--output-format", "concise", "app.py", cwd=tree).stdout
    assert "\x1b" not in plain
    assert (
        lint("--output-format", "concise", "--color", "never", "app.py", cwd=tree).stdout == plain
    )


def test_pylint(tree: Path) -> None:
    run = lint("--output-format", "pylint", cwd=tree)
    assert (run.returncode, run.stderr) == (1, "")
    assert run.lines == [
        f"app.py:3: [HH001] {HH001_MESSAGE}",
        "pkg/bad.py:2: [invalid-syntax] SyntaxError: invalid syntax",
        f"pkg/uni.py:3: [HH002] {LEGACY_MESSAGE}",
    ]


def test_github_annotations(tree: Path) -> None:
    run = lint("--output-format", "github", cwd=tree)
    assert run.returncode == 1
    assert run.lines == [
        f"::error title=honeyhive-lint (HH001),file={tree / 'app.py'},line=3,col=1,endLine=3,"
        f"endColumn=33::app.py:3:1: HH001 {HH001_MESSAGE}"
        f"%0A  help: {ENRICH_BY_ID}",
        f"::error title=honeyhive-lint (invalid-syntax),file={tree / 'pkg/bad.py'},line=2,col=7,"
        "endLine=2,endColumn=8::pkg/bad.py:2:7: SyntaxError: invalid syntax",
        f"::error title=honeyhive-lint (HH002),file={tree / 'pkg/uni.py'},line=3,col=10,"
        f"endLine=3,endColumn=28::pkg/uni.py:3:10: HH002 {LEGACY_MESSAGE}",
    ]


RUFF_JSON_KEYS = {
    "cell",
    "code",
    "end_location",
    "filename",
    "fix",
    "location",
    "message",
    "name",
    "noqa_row",
    "severity",
    "url",
}


def test_json_has_ruffs_shape(tree: Path) -> None:
    run = lint("--output-format", "json", cwd=tree)
    assert (run.returncode, run.stderr) == (1, "")
    finding, syntax_error, unicode_finding = run.json()
    assert all(set(item) == RUFF_JSON_KEYS for item in run.json())
    assert finding == {
        "cell": None,
        "code": "HH001",
        "end_location": {"column": 33, "row": 3},
        "filename": str(tree / "app.py"),
        # ruff's shape: 1-based locations in characters, the end exclusive.
        "fix": {
            "applicability": "unsafe",
            "edits": [
                {
                    "content": ", enrich_session",
                    "end_location": {"column": 38, "row": 1},
                    "location": {"column": 38, "row": 1},
                },
                {
                    "content": "enrich_session",
                    "end_location": {"column": 17, "row": 3},
                    "location": {"column": 1, "row": 3},
                },
                {
                    "content": ", tracer=t",
                    "end_location": {"column": 32, "row": 3},
                    "location": {"column": 32, "row": 3},
                },
            ],
            "message": "Enrich the session by id: `enrich_session(..., tracer=t)`",
        },
        "location": {"column": 1, "row": 3},
        "message": HH001_MESSAGE,
        "name": HH001.symbol,
        "noqa_row": 3,
        "severity": "error",
        "url": HH001.url,
    }
    assert syntax_error == {
        "cell": None,
        "code": None,
        "end_location": {"column": 8, "row": 2},
        "filename": str(tree / "pkg" / "bad.py"),
        "fix": None,
        "location": {"column": 7, "row": 2},
        "message": "SyntaxError: invalid syntax",
        "name": "invalid-syntax",
        "noqa_row": None,
        "severity": "error",
        "url": None,
    }
    assert (unicode_finding["location"], unicode_finding["end_location"]) == (
        {"column": 10, "row": 3},
        {"column": 28, "row": 3},
    )
    assert unicode_finding["url"] == HH002.url


def test_json_lines_holds_the_same_objects_one_per_line(tree: Path) -> None:
    lines = lint("--output-format", "json-lines", cwd=tree).lines
    assert [json.loads(line) for line in lines] == lint("--output-format", "json", cwd=tree).json()


def test_empty_results(tmp_path: Path) -> None:
    write(tmp_path, {"clean.py": "import honeyhive\nprint(honeyhive)\n"})
    assert lint(cwd=tmp_path).stdout == "All checks passed!\n"
    assert lint("--output-format", "json", cwd=tmp_path).json() == []
    assert lint("--output-format", "json-lines", cwd=tmp_path).stdout == ""
    assert lint("--output-format", "github", cwd=tmp_path).stdout == ""
    sarif = lint("--output-format", "sarif", cwd=tmp_path)
    assert sarif.returncode == 0
    _validate_sarif(sarif.json())
    assert sarif.json()["runs"][0]["results"] == []


def test_full_shows_context_and_underlines_the_span(tree: Path) -> None:
    run = lint("--output-format", "full", "app.py", "pkg/bad.py", cwd=tree)
    assert run.returncode == 1
    assert run.stdout == (
        f"HH001 {HH001_MESSAGE}\n"
        " --> app.py:3:1\n"
        "  |\n"
        "1 | from honeyhive import HoneyHiveTracer\n"
        "2 | t = HoneyHiveTracer.init()\n"
        '3 | t.enrich_session(session_id="x")\n'
        "  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        f"{ENRICH_BY_ID_HELP}"
        '  - t.enrich_session(session_id="x")\n'
        '3 + enrich_session(session_id="x", tracer=t)\n'
        "  |\n"
        "note: This is an unsafe fix and may change runtime behavior\n"
        "\n"
        "SyntaxError: invalid syntax\n"
        " --> pkg/bad.py:2:7\n"
        "  |\n"
        "1 | import honeyhive\n"
        "2 | def f(:\n"
        "  |       ^\n"
        "3 |     t.session_id = 1\n"
        "  |\n"
        "\n"
        "Found 2 errors.\n"
        "1 unsafe fix available with `--fix --unsafe-fixes`.\n"
    )


def test_full_draws_a_multiline_span_in_the_margin(tmp_path: Path) -> None:
    source = IMPORT + TRACER + 't.enrich_session(\n    session_id="x",\n)\n' + "\n" * 9 + "x = 1\n"
    write(tmp_path, {"app.py": source})
    assert lint("--output-format", "full", cwd=tmp_path).stdout == (
        f"HH001 {HH001_MESSAGE}\n"
        " --> app.py:3:1\n"
        "  |\n"
        "1 |   from honeyhive import HoneyHiveTracer\n"
        "2 |   t = HoneyHiveTracer.init()\n"
        "3 | / t.enrich_session(\n"
        '4 | |     session_id="x",\n'
        "5 | | )\n"
        "  | |_^\n"
        "6 |\n"
        "7 |\n"
        "  |\n"
        f"{ENRICH_BY_ID_HELP}"
        "  - t.enrich_session(\n"
        "3 + enrich_session(\n"
        '4 |     session_id="x",\n'
        "5 +     tracer=t,\n"
        "6 | )\n"
        "  |\n"
        "note: This is an unsafe fix and may change runtime behavior\n"
        "\n"
        "Found 1 error.\n"
        "1 unsafe fix available with `--fix --unsafe-fixes`.\n"
    )


def _validate_sarif(document: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(document)


def test_sarif_is_valid_sarif_2_1_0_with_rules_from_the_catalog(tree: Path) -> None:
    run = lint("--output-format", "sarif", cwd=tree)
    assert (run.returncode, run.stderr) == (1, "")
    document = run.json()
    _validate_sarif(document)
    assert document["version"] == "2.1.0"
    (sarif_run,) = document["runs"]
    driver = sarif_run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("honeyhive-lint", __version__)
    assert driver["informationUri"].startswith("https://")
    assert [(r["id"], r["name"], r["helpUri"]) for r in driver["rules"]] == [
        (rule.code, rule.symbol, rule.url) for rule in RULES.values()
    ]
    for descriptor, rule in zip(driver["rules"], RULES.values(), strict=True):
        assert descriptor["shortDescription"]["text"] == rule.title
        assert descriptor["fullDescription"]["text"] == rule.docs.what_it_does
        assert rule.docs.why_is_this_bad in descriptor["help"]["markdown"]
    assert sarif_run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tree.as_uri() + "/"
    results = [
        (
            result["ruleId"],
            result.get("ruleIndex"),
            result["level"],
            result["message"]["text"],
            result["locations"][0]["physicalLocation"]["artifactLocation"],
            result["locations"][0]["physicalLocation"]["region"],
        )
        for result in sarif_run["results"]
    ]
    assert results == [
        (
            "HH001",
            0,
            "error",
            HH001_MESSAGE,
            {"uri": "app.py", "uriBaseId": "%SRCROOT%"},
            {"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 33},
        ),
        (
            "invalid-syntax",
            None,
            "error",
            "SyntaxError: invalid syntax",
            {"uri": "pkg/bad.py", "uriBaseId": "%SRCROOT%"},
            {"startLine": 2, "startColumn": 7, "endLine": 2, "endColumn": 8},
        ),
        (
            "HH002",
            1,
            "error",
            LEGACY_MESSAGE,
            {"uri": "pkg/uni.py", "uriBaseId": "%SRCROOT%"},
            {"startLine": 3, "startColumn": 10, "endLine": 3, "endColumn": 28},
        ),
    ]
    # The HH001 finding's fix, as SARIF replacements (1-based, in characters); none for others.
    fixes = [result.get("fixes") for result in sarif_run["results"]]
    assert fixes[1:] == [None, None]
    (fix,) = fixes[0]
    assert fix["description"] == {"text": ENRICH_BY_ID}
    assert fix["properties"] == {"applicability": "unsafe"}
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "app.py", "uriBaseId": "%SRCROOT%"}
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 1, "startColumn": 38, "endLine": 1, "endColumn": 38},
            "insertedContent": {"text": ", enrich_session"},
        },
        {
            "deletedRegion": {"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 17},
            "insertedContent": {"text": "enrich_session"},
        },
        {
            "deletedRegion": {"startLine": 3, "startColumn": 32, "endLine": 3, "endColumn": 32},
            "insertedContent": {"text": ", tracer=t"},
        },
    ]


def test_sarif_names_files_outside_the_current_directory_by_absolute_uri(tmp_path: Path) -> None:
    write(tmp_path, {"project/app.py": HH001_SOURCE, "elsewhere/.keep": ""})
    run = lint("--output-format", "sarif", tmp_path / "project", cwd=tmp_path / "elsewhere")
    document = run.json()
    _validate_sarif(document)
    (result,) = document["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": (tmp_path / "project" / "app.py").as_uri()}


def test_the_sarif_validation_catches_an_invalid_document() -> None:
    """The schema is really enforced: a result without a message is rejected."""
    document = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{}]}]}
    with pytest.raises(jsonschema.ValidationError):
        _validate_sarif(document)


def test_file_names_that_are_not_utf8_or_need_quoting(tmp_path: Path) -> None:
    write(tmp_path, {"sp ace é.py": HH001_SOURCE})
    (tmp_path / os.fsdecode(b"bad\xffname.py")).write_text(HH001_SOURCE, encoding="utf-8")
    for output_format in ("concise", "full", "json", "json-lines", "github", "pylint", "sarif"):
        run = lint("--output-format", output_format, cwd=tmp_path)
        assert (run.returncode, run.stderr) == (1, ""), output_format
    assert (
        lint("--output-format", "concise", cwd=tmp_path)
        .lines[0]
        .startswith("bad\ufffdname.py:3:1: HH001 ")
    )  # as ruff
    document = lint("--output-format", "sarif", cwd=tmp_path).json()
    _validate_sarif(document)
    uris = [
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for result in document["runs"][0]["results"]
    ]
    assert uris == ["bad%FFname.py", "sp%20ace%20%C3%A9.py"]


def _ruff_output(output_format: str, tmp_path: Path) -> str:
    """The real ruff's output in a format, on a file with one finding, for shape comparisons."""
    from tests.cli.helpers import RUFF  # noqa: PLC0415

    assert RUFF is not None
    write(tmp_path / "ruff", {"app.py": "import os\n"})
    completed = subprocess.run(
        [
            RUFF,
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "F401",
            "--output-format",
            output_format,
            "app.py",
        ],
        cwd=tmp_path / "ruff",
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.stdout


def _shape(value: Any) -> Any:
    """The keys of JSON objects, recursively (the first item of each list)."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return type(value).__name__


def test_junit_has_one_suite_per_file_and_one_failure_per_finding(
    tree: Path, tmp_path: Path
) -> None:
    run = lint("--output-format", "junit", cwd=tree)
    assert run.returncode == 1
    root = ElementTree.fromstring(run.stdout)
    assert (root.tag, root.get("name"), root.get("tests"), root.get("failures")) == (
        "testsuites",
        "honeyhive-lint",
        "3",
        "3",
    )
    suites = root.findall("testsuite")
    assert [suite.get("name") for suite in suites] == [
        str(tree / "app.py"),
        str(tree / "pkg/bad.py"),
        str(tree / "pkg/uni.py"),
    ]
    case = suites[0].find("testcase")
    assert case is not None
    assert (case.get("name"), case.get("line"), case.get("column")) == (
        "org.honeyhive-lint.HH001",
        "3",
        "1",
    )
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == HH001_MESSAGE
    # The same elements and attributes as ruff's.
    reference = ElementTree.fromstring(_ruff_output("junit", tmp_path))
    assert root.attrib.keys() == reference.attrib.keys()
    ours_case, theirs_case = root.find("testsuite/testcase"), reference.find("testsuite/testcase")
    assert ours_case is not None
    assert theirs_case is not None
    assert ours_case.attrib.keys() == theirs_case.attrib.keys()
    clean = tmp_path / "clean"
    write(clean, {"ok.py": "x = 1\n"})
    passing = ElementTree.fromstring(lint("--output-format", "junit", cwd=clean).stdout)
    assert passing.find("testsuite/testcase").get("name") == "No errors found"  # type: ignore[union-attr]


def test_gitlab_code_quality(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = lint("--output-format", "gitlab", cwd=tree)
    entries = run.json()
    assert [(e["check_name"], e["location"]["path"]) for e in entries] == [
        ("HH001", "app.py"),
        ("invalid-syntax", "pkg/bad.py"),
        ("HH002", "pkg/uni.py"),
    ]
    assert entries[0]["description"] == f"HH001: {HH001_MESSAGE}"
    assert entries[0]["location"]["positions"] == {
        "begin": {"line": 3, "column": 1},
        "end": {"line": 3, "column": 33},
    }
    assert _shape(entries[0]) == _shape(json.loads(_ruff_output("gitlab", tmp_path))[0])
    # Fingerprints identify a finding across line moves, and tell identical ones apart.
    write(tree, {"app.py": "\n\n" + HH001_SOURCE + 't.enrich_session(session_id="x")\n'})
    moved = lint("--output-format", "gitlab", "app.py", cwd=tree).json()
    assert moved[0]["fingerprint"] == entries[0]["fingerprint"]
    assert moved[0]["fingerprint"] != moved[1]["fingerprint"]
    # Paths are relative to the project directory GitLab names.
    monkeypatch.setenv("CI_PROJECT_DIR", str(tree.parent))
    named = lint("--output-format", "gitlab", "app.py", cwd=tree).json()
    assert named[0]["location"]["path"] == f"{tree.name}/app.py"


def test_rdjson_carries_fixes_as_suggestions(tree: Path, tmp_path: Path) -> None:
    document = lint("--output-format", "rdjson", cwd=tree).json()
    assert document["source"]["name"] == "honeyhive-lint"
    first = document["diagnostics"][0]
    assert first["code"] == {"url": HH001.url, "value": "HH001"}
    assert first["location"]["range"] == {
        "end": {"column": 33, "line": 3},
        "start": {"column": 1, "line": 3},
    }
    assert [s["text"] for s in first["suggestions"]] == [
        ", enrich_session",
        "enrich_session",
        ", tracer=t",
    ]
    assert "suggestions" not in document["diagnostics"][1]
    assert _shape(document) == _shape(json.loads(_ruff_output("rdjson", tmp_path)))


def test_azure_logging_commands(tree: Path) -> None:
    run = lint("--output-format", "azure", cwd=tree)
    assert run.lines[0] == (
        f"##vso[task.logissue type=error;sourcepath={tree / 'app.py'};linenumber=3;"
        f"columnnumber=1;code=HH001;]{HH001_MESSAGE}"
    )
    assert run.lines[1].endswith("code=invalid-syntax;]SyntaxError: invalid syntax")


@pytest.mark.parametrize(
    "edits",
    [
        {0: "changed"},  # the first line
        {39: "changed"},  # the last
        {12: "changed"},
        {3: "changed", 30: "changed"},  # two places: an import added at the top, the call below
        {20: None},  # a line removed
        {0: None},  # the first line removed
        {39: None},  # the last
        {-1: "12"},  # a line added
        {-1: "39"},  # at the end
        {-1: "-1"},  # at the start
    ],
)
def test_fix_diffs_compare_only_the_changed_stretch(edits: dict[int, str | None]) -> None:
    """`full` shows a fix as a diff of the changed lines only, numbered in the whole file: the
    same groups as comparing the whole texts (which is quadratic in the repeated lines of a large
    file), with lines repeated as in real code."""
    from flake8_honeyhive.cli.output.full import _changed_groups  # noqa: PLC0415

    old = [("" if i % 3 else ")") if i % 2 else f"line {i}" for i in range(40)]
    edited = [edits.get(i, line) for i, line in enumerate(old)]
    new = [line for line in edited if line is not None]
    if -1 in edits:  # a line added after the one given
        new.insert(int(edits[-1] or 0) + 1, "added")
    whole = difflib.SequenceMatcher(None, old, new, autojunk=False)
    assert _changed_groups(old, new) == list(whole.get_grouped_opcodes(1))


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_full_numbers_a_fix_as_python_counts_lines_whatever_they_end_with(
    tmp_path: Path, newline: str
) -> None:
    """The fix's lines are read around its edits only; rows are those of the fixed file, counted
    as Python counts them (a form feed ends no line), with any line ending."""
    lines = [
        "from honeyhive import HoneyHiveTracer",
        "t = HoneyHiveTracer.init()",
        "\f# a form feed, then twenty lines",
        *(f"x{row} = {row}" for row in range(20)),
        't.enrich_session(session_id="x")',
        "print('done')",
    ]
    (tmp_path / "app.py").write_bytes(newline.join(lines).encode() + newline.encode())
    run = lint("--no-cache", "--output-format", "full", "--unsafe-fixes", cwd=tmp_path)
    help_block = run.stdout[run.stdout.index("help:") :].split("\n\n")[0]
    assert help_block.splitlines() == [
        f"help: {ENRICH_BY_ID}",
        "   |",
        "   - from honeyhive import HoneyHiveTracer",
        " 1 + from honeyhive import HoneyHiveTracer, enrich_session",
        " 2 | t = HoneyHiveTracer.init()",
        "   ...",
        "23 | x19 = 19",
        '   - t.enrich_session(session_id="x")',
        '24 + enrich_session(session_id="x", tracer=t)',
        "25 | print('done')",
        "   |",
        "note: This is an unsafe fix and may change runtime behavior",
    ]
