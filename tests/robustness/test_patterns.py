"""Adversarial globs and ignore files: a clear error or the right answer, quickly, never a crash.

Python's `re` backtracks, so a glob translated naively takes exponential time on some names;
these tests bound each run with a timeout far above what a linear match needs (milliseconds) and
far below what the backtracking took (14 to 41 s for the first one, ruff 0.02 s).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_honeyhive.cli.globs import compile_glob
from tests.cli.helpers import GIT, HH001_SOURCE, git_init, git_untracked, lint, write

SLOW_NAME = "a" * 100 + ".py"  # many ways to place each `a`, and no `b` to end on


@pytest.mark.parametrize(
    "where",
    ["--extend-exclude", "config extend-exclude", "config per-file-ignores", "--exclude"],
)
def test_a_reversed_range_is_a_usage_error(where: str, tmp_path: Path) -> None:
    write(tmp_path, {"app.py": HH001_SOURCE})
    if where.startswith("--"):
        run = lint(where, "[z-a]", cwd=tmp_path)
    else:
        key = where.split()[1]
        value = '["[z-a]"]' if key == "extend-exclude" else '{ "[z-a]" = ["HH001"] }'
        write(tmp_path, {"pyproject.toml": f"[tool.honeyhive-lint]\n{key} = {value}\n"})
        run = lint(cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith("error: ")
    assert "invalid range `z-a`" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_deeply_nested_alternative_works(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": HH001_SOURCE, "a/skipped.py": HH001_SOURCE})
    pattern = "{a," * 1000 + "a" + "}" * 1000  # means `a`
    # In the configuration: on the command line, commas separate patterns (as in ruff).
    write(tmp_path, {"pyproject.toml": f'[tool.honeyhive-lint]\nextend-exclude = ["{pattern}"]\n'})
    run = lint("--output-format", "concise", "-q", cwd=tmp_path)
    assert (run.returncode, run.stderr) == (1, ""), run.stderr
    assert [line.split(":")[0] for line in run.lines] == ["app.py"]


def test_an_exponential_number_of_alternatives_is_a_usage_error(tmp_path: Path) -> None:
    pattern = "{a,b}" * 12
    write(tmp_path, {"pyproject.toml": f'[tool.honeyhive-lint]\nextend-exclude = ["{pattern}"]\n'})
    run = lint(cwd=tmp_path)
    assert run.returncode == 2
    assert "too complex: more than 1024 alternatives" in run.stderr


@pytest.mark.parametrize(
    "pattern",
    ["*a*a*a*a*a*a*a*b", "*a*a*a*a*a*a*a*a*a*a*a*a*b.py", "**/*a*a*a*a*a*a*a*b/**"],
)
def test_stars_match_in_linear_time(pattern: str, tmp_path: Path) -> None:
    write(tmp_path, {SLOW_NAME: HH001_SOURCE, f"x/{SLOW_NAME}": HH001_SOURCE})
    run = lint("--extend-exclude", pattern, "--output-format", "json", cwd=tmp_path, timeout=20)
    assert len(run.json()) == 2


def test_linear_translation_keeps_glob_semantics() -> None:
    regex = compile_glob("*ab*ab*c")
    assert regex.fullmatch("abababc")
    assert regex.fullmatch("xabyabzc")
    assert not regex.fullmatch("abc")
    assert not regex.fullmatch("ababcx")
    assert compile_glob("*.{py,pyi}").fullmatch("x/y.pyi")
    assert compile_glob("{src,lib/{a,b}}/*.py").fullmatch("lib/b/x.py")


def _shown(root: Path) -> list[str]:
    run = lint("--show-files", cwd=root, timeout=20)
    return sorted(Path(line).relative_to(root).as_posix() for line in run.lines)


@pytest.mark.skipif(GIT is None, reason="needs git")
@pytest.mark.parametrize("rules", ["?.py\n", "[é].py\n", "x/**/a*.py\n", "**/y/*b.py\n"])
def test_gitignore_matches_bytes_as_git_does(rules: str, tmp_path: Path) -> None:
    names = ["é.py", "e.py", "ab.py", "x/y/ab.py", "x/ab.py"]
    files: dict[str, str | bytes] = dict.fromkeys(names, "x = 1\n")
    write(tmp_path, files | {".gitignore": rules})
    git_init(tmp_path)
    assert _shown(tmp_path) == git_untracked(tmp_path)


MATCHING_NAME = "a" * 10 + "b.py"


@pytest.mark.skipif(GIT is None, reason="needs git")
@pytest.mark.parametrize(
    "rules",
    [
        "*a*a*a*a*a*a*a*a*a*a*b*\n",
        "**/*a*a*a*a*a*a*a*a*a*a*b*\n",  # `**` and `*` mixed: matched by the automaton
        "x/**/*a*a*a*a*a*a*a*a*a*a*b.py\n",
    ],
)
def test_gitignore_matches_in_linear_time(rules: str, tmp_path: Path) -> None:
    # git's own wildmatch backtracks too (it takes minutes here), so the answer is spelled out.
    names = [SLOW_NAME, f"x/{SLOW_NAME}", f"x/{MATCHING_NAME}", "x/y/keep.py"]
    files: dict[str, str | bytes] = dict.fromkeys(names, "x = 1\n")
    write(tmp_path, files | {".gitignore": rules})
    git_init(tmp_path)
    assert _shown(tmp_path) == sorted([SLOW_NAME, f"x/{SLOW_NAME}", "x/y/keep.py"])
