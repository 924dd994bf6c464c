"""`--fix`, `--unsafe-fixes`, `--diff`, `--fix-only`, `--show-fixes`, `--exit-non-zero-on-fix` and
`--add-noqa` end to end, with ruff's wording checked against the real ruff on its own rules."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from flake8_honeyhive.rules import HH001, HH100
from tests.cli.helpers import IMPORT, RUFF, TRACER, Run, lint, write

# One finding with a safe fix (the tracer's own id) and one with an unsafe fix (another id)...
OURS = (
    IMPORT + TRACER + "t.enrich_session(session_id=t.session_id)\nt.enrich_session(session_id=s)\n"
)
OURS_SAFE_FIXED = IMPORT + TRACER + "t.enrich_session()\nt.enrich_session(session_id=s)\n"
OURS_ALL_FIXED = (
    "from honeyhive import HoneyHiveTracer, enrich_session\n"
    + TRACER
    + "t.enrich_session()\nenrich_session(session_id=s, tracer=t)\n"
)
# ... and the same for ruff: F401 (safe) and E731 (unsafe).
THEIRS = "import os\ny = lambda: 0\n"


def _ruff(*args: str, cwd: Path) -> Run:
    assert RUFF is not None
    completed = subprocess.run(
        [RUFF, "check", "--isolated", "--no-cache", "--select", "F401,E731", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    return Run(completed.returncode, completed.stdout, completed.stderr)


@pytest.fixture
def both(tmp_path: Path) -> tuple[Path, Path]:
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    write(ours, {"app.py": OURS})
    write(theirs, {"app.py": THEIRS})
    return ours, theirs


# (arguments, how many closing lines of stdout to compare)
RUFF_PARITY = {
    "report": (["--output-format", "concise"], 2),
    "unsafe hinted away": (["--output-format", "concise", "--no-unsafe-fixes"], 2),
    "fix": (["--fix", "--output-format", "concise"], 2),
    "fix unsafe too": (["--fix", "--unsafe-fixes", "--output-format", "concise"], 1),
    "diff": (["--diff"], 1),
    "fix-only": (["--fix-only"], 1),
    "exit non-zero on fix": (["--fix", "--unsafe-fixes", "--exit-non-zero-on-fix"], 1),
}


@pytest.mark.parametrize("case", RUFF_PARITY)
def test_summaries_and_exit_codes_are_ruffs(case: str, both: tuple[Path, Path]) -> None:
    arguments, closing = RUFF_PARITY[case]
    ours, theirs = both
    mine, reference = lint("--no-cache", *arguments, cwd=ours), _ruff(*arguments, cwd=theirs)
    assert mine.returncode == reference.returncode, (mine, reference)
    assert mine.lines[-closing:] == reference.lines[-closing:], (mine.stdout, reference.stdout)
    assert mine.stderr == ""


def test_fix_writes_the_safe_fixes_and_reports_what_is_left(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": OURS})
    run = lint("--no-cache", "--fix", "--output-format", "concise", cwd=tmp_path)
    assert (tmp_path / "app.py").read_text() == OURS_SAFE_FIXED
    # The remaining finding is shown where it is in the fixed file.
    assert run.lines[0].startswith("app.py:4:1: HH001 ")
    run = lint("--no-cache", "--fix", "--unsafe-fixes", cwd=tmp_path)
    assert run.returncode == 0
    assert (tmp_path / "app.py").read_text() == OURS_ALL_FIXED
    assert lint("--no-cache", cwd=tmp_path).stdout == "All checks passed!\n"


def test_fix_from_the_configuration_and_no_fix(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": OURS, "pyproject.toml": "[tool.honeyhive-lint]\nfix = true\n"})
    lint("--no-fix", cwd=tmp_path)
    assert (tmp_path / "app.py").read_text() == OURS
    lint(cwd=tmp_path)
    assert (tmp_path / "app.py").read_text() == OURS_SAFE_FIXED
    write(tmp_path, {"app.py": OURS})
    write(tmp_path, {"pyproject.toml": "[tool.honeyhive-lint]\nfix = true\nunsafe-fixes = true\n"})
    lint(cwd=tmp_path)
    assert (tmp_path / "app.py").read_text() == OURS_ALL_FIXED


def test_a_cached_result_does_not_hide_a_fix(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": OURS})
    assert lint(cwd=tmp_path).returncode == 1  # fills the cache
    lint("--fix", cwd=tmp_path)
    assert (tmp_path / "app.py").read_text() == OURS_SAFE_FIXED
    run = lint("--output-format", "json", cwd=tmp_path)
    assert [d["location"]["row"] for d in run.json()] == [4]


def test_diff_shows_and_writes_nothing(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": OURS})
    run = lint("--no-cache", "--diff", "--unsafe-fixes", cwd=tmp_path)
    assert run.returncode == 1
    assert (tmp_path / "app.py").read_text() == OURS
    assert run.stdout == (
        "--- app.py\n"
        "+++ app.py\n"
        "@@ -1,4 +1,4 @@\n"
        "-from honeyhive import HoneyHiveTracer\n"
        "+from honeyhive import HoneyHiveTracer, enrich_session\n"
        " t = HoneyHiveTracer.init()\n"
        "-t.enrich_session(session_id=t.session_id)\n"
        "-t.enrich_session(session_id=s)\n"
        "+t.enrich_session()\n"
        "+enrich_session(session_id=s, tracer=t)\n"
        "\n"
        "Would fix 2 errors.\n"
    )
    clean = tmp_path / "clean"
    write(clean, {"ok.py": IMPORT + TRACER})
    assert lint("--diff", cwd=clean) == Run(0, "", "")


def test_show_fixes_lists_them_per_file(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": OURS, "b.py": OURS})
    run = lint("--no-cache", "--fix", "--show-fixes", "--unsafe-fixes", cwd=tmp_path)
    assert run.stdout == (
        "\n"
        "Fixed 4 errors:\n"
        "- app.py:\n"
        f"    2 \N{MULTIPLICATION SIGN} HH001 ({HH001.symbol})\n"
        "- b.py:\n"
        f"    2 \N{MULTIPLICATION SIGN} HH001 ({HH001.symbol})\n"
        "\n"
        "Found 4 errors (4 fixed, 0 remaining).\n"
    )


def test_standard_input_gets_the_fixed_source_and_the_report_goes_to_stderr(
    tmp_path: Path,
) -> None:
    run = lint("--fix", "--output-format", "concise", "-", cwd=tmp_path, stdin=OURS.encode())
    assert run.stdout == OURS_SAFE_FIXED
    assert run.stderr.startswith("-:4:1: HH001 ")
    assert run.returncode == 1
    clean = lint("--fix", "-", cwd=tmp_path, stdin=b"x = 1\n")
    assert (clean.returncode, clean.stdout) == (0, "x = 1\n")
    diff = lint("--diff", "-", cwd=tmp_path, stdin=OURS.encode())
    assert diff.stdout.startswith("@@ -1,4 +1,4 @@\n")
    assert diff.stderr == "Would fix 1 error (1 additional fix available with `--unsafe-fixes`).\n"


def test_a_write_that_fails_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # In process: as root, permissions cannot make a write fail.
    from flake8_honeyhive.cli import apply, main  # noqa: PLC0415

    write(tmp_path, {"app.py": OURS})

    def read_only(path: str, mode: str = "r", *args: object, **kwargs: object) -> object:
        if "w" in mode:
            raise PermissionError(13, "Permission denied", path)
        return open(path, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(apply, "open", read_only, raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["--no-cache", "--fix", "-q", "."]) == 2
    assert "error: Failed to write app.py: Permission denied" in capsys.readouterr().err
    assert (tmp_path / "app.py").read_text() == OURS


# --- HH100's fix and --add-noqa -------------------------------------------------------------------


def test_unused_codes_are_removed_from_noqa_directives(tmp_path: Path) -> None:
    source = (
        IMPORT
        + TRACER
        + "t.enrich_session(metadata={})  # noqa: HH001\n"
        + "t.enrich_session(metadata={})  # noqa: E501, HH001 the reason\n"
        + "t.enrich_session(metadata={})  # noqa: HH002  # another comment\n"
        + "t.create_session()  # noqa: HH002, HH002\n"
        + "# noqa: HH001\n"
        + "x = 1\n"
    )
    write(tmp_path, {"app.py": source})
    run = lint("--no-cache", "--extend-select", "HH100", "--fix", cwd=tmp_path)
    assert run.returncode == 0, run.stdout
    assert (tmp_path / "app.py").read_text() == (
        IMPORT
        + TRACER
        + "t.enrich_session(metadata={})\n"
        + "t.enrich_session(metadata={})  # noqa: E501 the reason\n"
        + "t.enrich_session(metadata={})  # another comment\n"
        + "t.create_session()  # noqa: HH002\n"
        + "x = 1\n"
    )
    assert run.stdout == "Found 5 errors (5 fixed, 0 remaining).\n"


def test_add_noqa_suppresses_every_finding_left(tmp_path: Path) -> None:
    source = (
        IMPORT
        + TRACER
        + 't.session_id = "a"\n'
        + "t.create_session()  # legacy\n"
        + "t.enrich_session(session_id=s)  # noqa: E501\n"
        + "t.enrich_session(\n    session_id=s,\n)\n"
    )
    write(tmp_path, {"app.py": source, "bad.py": "import honeyhive\nt.session_id = (\n"})
    run = lint("--no-cache", "--add-noqa", cwd=tmp_path)
    assert run == Run(0, "", "Added 4 noqa directives.\n")
    assert (tmp_path / "app.py").read_text() == (
        IMPORT
        + TRACER
        + 't.session_id = "a"  # noqa: HH002\n'
        + "t.create_session()  # legacy  # noqa: HH002\n"
        + "t.enrich_session(session_id=s)  # noqa: E501, HH001\n"
        + "t.enrich_session(  # noqa: HH001\n    session_id=s,\n)\n"
    )
    after = lint("--no-cache", "--extend-select", "HH100", "--output-format", "json", cwd=tmp_path)
    assert [d["name"] for d in after.json()] == ["invalid-syntax"]  # and no unused directive
    write(tmp_path, {"app.py": IMPORT + TRACER + 't.session_id = "a"\n'})
    assert lint("--no-cache", "--add-noqa=legacy API", cwd=tmp_path).returncode == 0
    assert (
        (tmp_path / "app.py").read_text().endswith('t.session_id = "a"  # noqa: HH002 legacy API\n')
    )


def test_add_noqa_does_not_combine_with_fixes_or_stdin(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": OURS})
    for extra in (["--fix"], ["--diff"], ["-"]):
        run = lint("--add-noqa", *extra, cwd=tmp_path)
        assert run.returncode == 2
        assert run.stderr.startswith("error: --add-noqa cannot be used with ")
    assert (tmp_path / "app.py").read_text() == OURS


def test_hh100_fix_is_safe_and_listed_in_the_rule_json(tmp_path: Path) -> None:
    run = lint("rule", HH100.code, "--output-format", "json", cwd=tmp_path)
    assert (run.json()["fix"], run.json()["fix_availability"]) == (
        "Fix is always available.",
        "Always",
    )


def test_an_excluded_standard_input_is_printed_back_unchanged_by_fix(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.honeyhive-lint]\nextend-exclude = ['gen']\n"})
    arguments = ("--fix", "--force-exclude", "--stdin-filename", "gen/app.py", "-")
    run = lint(*arguments, cwd=tmp_path, stdin=OURS.encode())
    assert (run.returncode, run.stdout) == (0, OURS)
