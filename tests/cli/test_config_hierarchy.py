"""ruff's configuration model: each file is checked with the closest configuration file, found
from its own directory upwards; `--config PATH`, `--config KEY=VALUE` and `--isolated`.

The hierarchy is checked against the real ruff on the same tree, with ruff's F401 and F841
standing in for HH001 and HH002.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from flake8_honeyhive.rules import HH001, HH002
from tests.cli.helpers import IMPORT, RUFF, TRACER, lint, write

# Both rules broken in one file: ours, and ruff's (an unused import, an unused variable).
OURS = IMPORT + TRACER + 't.enrich_session(session_id="x")\nt.create_session()\n'
THEIRS = "import os\n\n\ndef f():\n    unused = 1\n"
CODES = {"F401": HH001.code, "F841": HH002.code}

# (directory, our configuration file, its text) for a monorepo run from its root. Each
# configuration selects one rule, so that what a file reports says which one it was checked with.
LAYOUT = [
    ("", "pyproject.toml", "[tool.honeyhive-lint]\nselect = ['HH001']\n"),
    ("services/api", "pyproject.toml", "[tool.honeyhive-lint]\nselect = ['HH002']\n"),
    # A pyproject.toml without the table is not a configuration: the root's applies.
    ("services/web", "pyproject.toml", "[project]\nname = 'web'\n"),
    # In one directory, .honeyhive-lint.toml beats honeyhive-lint.toml beats pyproject.toml.
    ("libs/a", ".honeyhive-lint.toml", "select = ['HH002']\n"),
    ("libs/a", "honeyhive-lint.toml", "select = ['HH001']\n"),
    ("libs/a", "pyproject.toml", "[tool.honeyhive-lint]\nselect = ['HH001']\n"),
    ("libs/b", "honeyhive-lint.toml", "select = ['HH002']\n"),
    ("libs/b", "pyproject.toml", "[tool.honeyhive-lint]\nselect = ['HH001']\n"),
]
FILES = [
    "root.py",
    "services/api/app.py",
    "services/api/deep/er/mod.py",
    "services/web/app.py",
    "libs/a/mod.py",
    "libs/b/mod.py",
]
EXPECTED = {
    ("root.py", "HH001"),
    ("services/api/app.py", "HH002"),
    ("services/api/deep/er/mod.py", "HH002"),
    ("services/web/app.py", "HH001"),
    ("libs/a/mod.py", "HH002"),
    ("libs/b/mod.py", "HH002"),
}


def _ruff_text(text: str, name: str) -> str:
    """The same configuration for ruff: our table and file names, ruff's."""
    text = text.replace("[tool.honeyhive-lint]", "[tool.ruff.lint]")
    text = text.replace("'HH001'", "'F401'").replace("'HH002'", "'F841'")
    if name != "pyproject.toml":
        text = "[lint]\n" + text
    return text


def _ruff_name(name: str) -> str:
    return name.replace("honeyhive-lint", "ruff")


@pytest.fixture
def monorepo(tmp_path: Path) -> tuple[Path, Path]:
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    for directory, name, text in LAYOUT:
        write(ours, {f"{directory}/{name}".lstrip("/"): text})
        write(theirs, {f"{directory}/{_ruff_name(name)}".lstrip("/"): _ruff_text(text, name)})
    for path in FILES:
        write(ours, {path: OURS})
        write(theirs, {path: THEIRS})
    return ours, theirs


def _ours(root: Path, *args: str, cwd: Path | None = None) -> set[tuple[str, str]]:
    run = lint("--no-cache", "--output-format", "json", *args, cwd=cwd or root)
    assert run.returncode in (0, 1), run.stderr
    return {(Path(d["filename"]).relative_to(root).as_posix(), d["code"]) for d in run.json()}


def _theirs(root: Path, cwd: Path | None = None) -> set[tuple[str, str]]:
    assert RUFF is not None
    completed = subprocess.run(
        [RUFF, "check", "--no-cache", "--output-format", "concise", "-q", "."],
        cwd=cwd or root,
        capture_output=True,
        text=True,
        check=False,
    )
    found = set()
    for line in completed.stdout.splitlines():
        path, _, _, message = line.split(":", 3)
        found.add((((cwd or root) / path).relative_to(root).as_posix(), CODES[message.split()[0]]))
    return found


def test_each_file_uses_its_closest_configuration_as_ruff_does(
    monorepo: tuple[Path, Path],
) -> None:
    ours, theirs = monorepo
    assert _theirs(theirs) == EXPECTED  # the model, as ruff implements it
    assert _ours(ours) == EXPECTED
    # From a sub-directory, the same files get the same settings.
    assert _ours(ours, cwd=ours / "services") == {
        item for item in EXPECTED if item[0].startswith("services/")
    }
    assert _theirs(theirs, cwd=theirs / "services") == _ours(ours, cwd=ours / "services")


def test_paths_in_a_sub_project_are_relative_to_it(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": "[tool.honeyhive-lint]\n",
            "api/pyproject.toml": "[tool.honeyhive-lint]\nextend-exclude = ['generated']\n"
            "per-file-ignores = {'tests/*' = ['HH002']}\n",
            "api/generated/out.py": OURS,
            "api/tests/test_x.py": OURS,
            "generated/out.py": OURS,  # the root's: not excluded
        },
    )
    assert _ours(tmp_path) == {
        ("api/tests/test_x.py", "HH001"),
        ("generated/out.py", "HH001"),
        ("generated/out.py", "HH002"),
    }


def test_config_path_and_isolated_override_the_hierarchy(monorepo: tuple[Path, Path]) -> None:
    ours, _ = monorepo
    write(ours, {"both.toml": "select = ['HH001', 'HH002']\n"})
    everything = {(path, code) for path in FILES for code in ("HH001", "HH002")}
    assert _ours(ours, "--config", "both.toml") == everything
    assert _ours(ours, "--isolated") == everything
    run = lint("--isolated", "--config", "both.toml", cwd=ours)
    assert (run.returncode, run.stderr) == (
        2,
        "error: --config both.toml cannot be used with --isolated\n",
    )


def test_config_key_value_overrides_every_files_settings(monorepo: tuple[Path, Path]) -> None:
    ours, _ = monorepo
    # Overrides the setting in every configuration, the sub-projects' too.
    found = _ours(ours, "--config", "select = ['HH001']")
    assert found == {(path, "HH001") for path in FILES}
    # A command-line flag wins over it, as in ruff.
    assert _ours(ours, "--config", "select = ['HH001']", "--select", "HH002") == {
        (path, "HH002") for path in FILES
    }
    both = _ours(ours, "--isolated", "--config", "ignore=['HH002']", "--config", "fix=false")
    assert both == {(path, "HH001") for path in FILES}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("selct = ['HH001']", "error: unknown key `selct` in --config option `selct = ['HH001']`:"),
        ("select = 'HH001'", "`select` must be an array of strings, not a string"),
        ("select = [HH001]", "error: invalid --config option `select = [HH001]`: not a path"),
        ("a = 1\nb = 2", "give one `KEY = VALUE` pair"),
        ("missing.toml", "missing.toml: cannot read the configuration file"),
    ],
)
def test_invalid_config_options_are_usage_errors(value: str, message: str, tmp_path: Path) -> None:
    write(tmp_path, {"app.py": OURS})
    run = lint("--config", value, cwd=tmp_path)
    assert run.returncode == 2
    assert message in run.stderr
    assert run.stdout == ""


def test_two_configuration_files_are_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"a.toml": "", "b.toml": "", "app.py": OURS})
    run = lint("--config", "a.toml", "--config", "b.toml", cwd=tmp_path)
    assert (run.returncode, run.stderr) == (
        2,
        "error: give at most one configuration file with --config\n",
    )


def test_an_invalid_sub_project_configuration_is_an_error_naming_it(tmp_path: Path) -> None:
    write(tmp_path, {"api/app.py": OURS, "api/.honeyhive-lint.toml": "selct = []\n"})
    run = lint(cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.startswith(f"error: {tmp_path / 'api' / '.honeyhive-lint.toml'}: unknown key")


def test_show_settings_names_the_file_and_the_configuration(monorepo: tuple[Path, Path]) -> None:
    ours, _ = monorepo
    run = lint("--show-settings", "services/api/app.py", cwd=ours)
    assert run.returncode == 0
    lines = run.lines
    assert lines[0] == f'Resolved settings for: "{ours / "services/api/app.py"}"'
    assert lines[1] == f'Settings path: "{ours / "services/api/pyproject.toml"}"'
    assert "output_format = full" in lines
    assert "unsafe_fixes = hint" in lines
    enabled = lines.index("linter.rules.enabled = [")
    assert lines[enabled + 1 : enabled + 3] == [f"\t{HH002.symbol} ({HH002.code}),", "]"]
    isolated = lint("--show-settings", "--isolated", "--unsafe-fixes", cwd=ours)
    assert "Settings path: none (the defaults)" in isolated.lines
    assert "unsafe_fixes = enabled" in isolated.lines


def test_output_file_takes_the_report(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": OURS})
    run = lint("--output-format", "concise", "-o", "reports/lint.txt", cwd=tmp_path)
    assert (run.returncode, run.stdout) == (1, "")
    report = (tmp_path / "reports" / "lint.txt").read_text()
    assert report.startswith("app.py:3:1: HH001 ")
    assert report.endswith("Found 2 errors.\n1 unsafe fix available with `--fix --unsafe-fixes`.\n")
    # A colour is never written to a file unless asked for.
    assert "\x1b" not in report
    failed = lint("-o", ".", cwd=tmp_path)
    assert failed.returncode == 2
    assert failed.stderr.startswith("error: cannot write the output to .: Is a directory")
