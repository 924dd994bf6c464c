"""The real flake8, finding the plugin through its entry point."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.expectations import FIXTURES, expected_findings, syntactic_fixtures

OUTPUT_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) ")


def flake8(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


def reported(output: str) -> Counter[tuple[str, int, str]]:
    findings: Counter[tuple[str, int, str]] = Counter()
    for line in output.splitlines():
        match = OUTPUT_LINE.match(line)
        assert match, line
        findings[Path(match["path"]).name, int(match["line"]), match["code"]] += 1
    return findings


def test_flake8_reports_exactly_the_annotated_lines_of_every_fixture() -> None:
    result = flake8("--select=HH", str(FIXTURES))
    expected: Counter[tuple[str, int, str]] = Counter()
    for path in syntactic_fixtures():
        for (line, code), count in expected_findings(path).items():
            expected[path.name, line, code] = count
    assert result.returncode == 1
    assert result.stderr == ""
    assert reported(result.stdout) == expected


def test_messages_start_with_the_code_and_columns_are_one_based(tmp_path: Path) -> None:
    source = tmp_path / "app.py"
    source.write_text(
        "from honeyhive import HoneyHiveTracer\n"
        "t = HoneyHiveTracer.init()\n"
        "if t:\n"
        "    t.enrich_session(session_id='x')\n"
    )
    result = flake8("--select=HH", str(source))
    assert result.stdout.startswith(f"{source}:4:5: HH001 session id passed to ")


def test_flake8_handles_noqa_for_the_plugin(tmp_path: Path) -> None:
    source = tmp_path / "app.py"
    source.write_text(
        "from honeyhive import HoneyHiveTracer\n"
        "t = HoneyHiveTracer.init()\n"
        "t.enrich_session(session_id='a')  # noqa: HH001\n"
        "t.enrich_session(session_id='b')  # noqa\n"
        "t.enrich_session(session_id='c')  # noqa: E501\n"
        "t.session_id = 'd'  # noqa: HH001\n"
        "t.session_id = 'e'  # noqa:E501,HH002\n"
    )
    result = flake8("--select=HH", str(source))
    assert reported(result.stdout) == Counter(
        {("app.py", 5, "HH001"): 1, ("app.py", 6, "HH002"): 1}
    )


def test_hh_is_selected_by_default_and_configurable_per_file(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "from honeyhive import HoneyHiveTracer\nt = HoneyHiveTracer.init()\nt.create_session()\n"
    )
    (tmp_path / "test_app.py").write_text((tmp_path / "app.py").read_text())
    default = flake8("app.py", "test_app.py", cwd=tmp_path)
    assert "app.py:3:1: HH002 " in default.stdout
    (tmp_path / "setup.cfg").write_text("[flake8]\nper-file-ignores =\n    test_*.py: HH002\n")
    configured = flake8("app.py", "test_app.py", cwd=tmp_path)
    assert reported(configured.stdout) == Counter({("app.py", 3, "HH002"): 1})


def test_flake8_lists_the_plugin() -> None:
    assert "honeyhive: " in flake8("--version").stdout


def test_importing_the_plugin_never_loads_opentelemetry() -> None:
    # Nor the lexer of partial parsing: flake8 hands the plugin a tree, and compiling the lexer
    # would only add ~10 ms to its start.
    code = (
        "import sys, flake8_honeyhive, flake8_honeyhive.checker;"
        "print(sorted(m for m in sys.modules"
        " if m.startswith(('opentelemetry', 'pylint', 'flake8_honeyhive.partial'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_project_lints_itself_clean() -> None:
    """The SDK, both plugins and the benchmarks, with the project's own configuration."""
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-m", "flake8_honeyhive.cli", "check", "--quiet", "."],
        capture_output=True,
        text=True,
        check=False,
        cwd=root,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
