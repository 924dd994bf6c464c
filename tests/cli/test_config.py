"""`[tool.honeyhive-lint]`: discovery, every key, command-line overrides, every kind of error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import HH001_SOURCE, HH002_LEGACY_SOURCE, lint, write

TABLE = "[tool.honeyhive-lint]\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(
        tmp_path,
        {
            "src/app.py": HH001_SOURCE,
            "src/legacy.py": HH002_LEGACY_SOURCE,
            "tests/test_app.py": HH001_SOURCE,
            "scripts/tool.py": HH002_LEGACY_SOURCE,
        },
    )
    return tmp_path


def _found(*args: str, cwd: Path) -> list[tuple[str, str]]:
    run = lint("--output-format", "json", *args, cwd=cwd)
    assert run.returncode in (0, 1), run.stderr
    return [(Path(d["filename"]).relative_to(cwd).as_posix(), d["code"]) for d in run.json()]


EVERYTHING = [
    ("scripts/tool.py", "HH002"),
    ("src/app.py", "HH001"),
    ("src/legacy.py", "HH002"),
    ("tests/test_app.py", "HH001"),
]


def test_every_key(project: Path) -> None:
    assert _found(cwd=project) == EVERYTHING
    write(
        project,
        {
            "pyproject.toml": '[project]\nname = "demo"\n\n'
            + TABLE
            + 'select = ["HH"]\n'
            + 'ignore = ["HH0"]\n'
            + 'extend-select = ["HH001"]\n'
            + 'extend-exclude = ["scripts"]\n'
            + 'per-file-ignores = {"tests/*" = ["HH001"], "!src/*" = ["HH002"]}\n'
            + "respect-gitignore = true\n"
            + "force-exclude = false\n"
            + 'output-format = "json"\n'
        },
    )
    run = lint(cwd=project)  # output-format comes from the file: this is JSON
    assert [(Path(d["filename"]).name, d["code"]) for d in run.json()] == [("app.py", "HH001")]


def test_the_nearest_pyproject_with_the_table_wins_and_paths_are_relative_to_it(
    project: Path,
) -> None:
    write(
        project,
        {
            "pyproject.toml": TABLE + 'extend-exclude = ["src/legacy.py"]\n',
            # Nearer, but without the table: skipped.
            "src/pyproject.toml": "[tool.ruff]\nline-length = 100\n",
        },
    )
    assert _found(cwd=project / "src") == [("app.py", "HH001")]
    assert _found(cwd=project) == [EVERYTHING[0], EVERYTHING[1], EVERYTHING[3]]


def test_command_line_overrides_the_configuration(project: Path) -> None:
    write(project, {"pyproject.toml": TABLE + 'select = ["HH002"]\noutput-format = "pylint"\n'})
    assert _found(cwd=project) == [EVERYTHING[0], EVERYTHING[2]]
    assert _found("--select", "HH001", cwd=project) == [EVERYTHING[1], EVERYTHING[3]]
    concise = lint("--output-format", "concise", cwd=project)
    assert concise.lines[-1] == "Found 2 errors."


def test_exclude_replaces_the_defaults_and_extend_exclude_adds(project: Path) -> None:
    write(project, {"build/gen.py": HH001_SOURCE})
    assert ("build/gen.py", "HH001") not in _found(cwd=project)  # excluded by default
    write(project, {"pyproject.toml": TABLE + 'exclude = ["tests"]\n'})
    found = _found(cwd=project)
    assert ("build/gen.py", "HH001") in found
    assert ("tests/test_app.py", "HH001") not in found
    assert ("build/gen.py", "HH001") not in _found("--exclude", "build,tests", cwd=project)


def test_explicit_config_file(project: Path, tmp_path: Path) -> None:
    write(tmp_path, {"conf/lint.toml": 'select = ["HH002"]\nextend-exclude = ["../scripts"]\n'})
    assert _found("--config", str(tmp_path / "conf" / "lint.toml"), cwd=project) == [
        ("src/legacy.py", "HH002")
    ]
    write(tmp_path, {"conf/pyproject.toml": TABLE + 'select = ["HH001"]\n'})
    assert _found("--config", str(tmp_path / "conf" / "pyproject.toml"), cwd=project) == [
        EVERYTHING[1],
        EVERYTHING[3],
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (TABLE + "select = [\n", "invalid TOML: "),
        (TABLE + 'selcet = ["HH001"]\n', "unknown key `selcet` in [tool.honeyhive-lint]"),
        (TABLE + 'select = "HH001"\n', "`select` must be an array of strings, not a string"),
        (TABLE + "ignore = [1]\n", "`ignore` must be an array of strings, not an array"),
        (TABLE + 'extend-select = ["E501"]\n', "unknown rule selector `E501` in `extend-select`"),
        (TABLE + 'select = ["hh001"]\n', "unknown rule selector `hh001` in `select`"),
        (TABLE + 'force-exclude = "yes"\n', "`force-exclude` must be true or false, not a string"),
        (TABLE + "respect-gitignore = 1\n", "`respect-gitignore` must be true or false"),
        (TABLE + 'output-format = "xml"\n', "`output-format` must be one of concise, full, "),
        (TABLE + "output-format = 3\n", "`output-format` must be one of concise"),
        (TABLE + 'exclude = ["a/{b"]\n', "`exclude`: unclosed `{` in pattern 'a/{b'"),
        (TABLE + 'per-file-ignores = ["x"]\n', "`per-file-ignores` must be a table"),
        (TABLE + 'per-file-ignores = {"t/*" = "HH001"}\n', "`per-file-ignores` entry 't/*'"),
        (TABLE + 'per-file-ignores = {"t/*" = ["X1"]}\n', "unknown rule selector `X1`"),
        ("[tool]\nhoneyhive-lint = 3\n", "[tool.honeyhive-lint] must be a table, not an integer"),
    ],
)
def test_invalid_configuration_is_a_clear_error(content: str, message: str, project: Path) -> None:
    write(project, {"pyproject.toml": content})
    run = lint(cwd=project)
    assert (run.returncode, run.stdout) == (2, "")
    config = project / "pyproject.toml"
    assert run.stderr.startswith(f"error: {config}: "), run.stderr
    assert message in run.stderr
    assert "Traceback" not in run.stderr


def test_missing_or_tableless_explicit_config_is_an_error(project: Path) -> None:
    missing = lint("--config", "nowhere.toml", cwd=project)
    assert missing.returncode == 2
    assert f"error: {project / 'nowhere.toml'}: cannot read the configuration file" in (
        missing.stderr
    )
    write(project, {"other/pyproject.toml": "[tool.ruff]\nline-length = 99\n"})
    tableless = lint("--config", "other/pyproject.toml", cwd=project)
    assert tableless.returncode == 2
    assert "no [tool.honeyhive-lint] table" in tableless.stderr


def test_broken_pyproject_of_another_tool_is_ignored(project: Path) -> None:
    """A pyproject.toml that never mentions this tool is not even parsed."""
    write(project, {"pyproject.toml": "[tool.ruff\n"})
    assert _found(cwd=project) == EVERYTHING
