"""Which files are checked: default excludes, patterns, .gitignore, virtualenvs, explicit paths."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from flake8_honeyhive.cli.discovery import DEFAULT_EXCLUDES
from flake8_honeyhive.cli.globs import GlobError, PathPatterns, PatternSpec, compile_glob
from tests.cli.helpers import GIT, HH001_SOURCE, RUFF, git_init, git_untracked, lint, write


def _shown(*args: str | Path, cwd: Path) -> list[str]:
    """`--show-files`, relative to `cwd`."""
    run = lint("--show-files", *args, cwd=cwd)
    assert (run.returncode, run.stderr) == (0, ""), run.stderr
    return [Path(line).relative_to(cwd).as_posix() for line in run.lines]


@pytest.mark.parametrize(
    ("pattern", "matches", "misses"),
    [
        ("*.py", ["a.py", "x/y/a.py"], ["a.pyi", "a.py.txt"]),  # `*` crosses `/`, as in globset
        ("a?c", ["abc"], ["ac", "abbc"]),
        ("[ab]x", ["ax", "bx"], ["cx"]),
        ("[!ab]x", ["cx"], ["ax"]),
        ("{tests,docs}/*", ["tests/a.py", "docs/x/y"], ["src/a.py"]),
        ("**/gen_*.py", ["a/b/gen_x.py", "gen_x.py"], ["gen_x.pyi"]),  # `**/`: no directory too
        ("scripts/**/*.py", ["scripts/t.py", "scripts/x/t.py"], ["scriptsx/t.py"]),
        ("a/**", ["a/b", "a/b/c.py"], ["a", "ab"]),
        (r"a\*b", ["a*b"], ["axb"]),
        ("a.b", ["a.b"], ["axb"]),
    ],
)
def test_glob_semantics(pattern: str, matches: list[str], misses: list[str]) -> None:
    regex = compile_glob(pattern)
    assert all(regex.fullmatch(path) for path in matches)
    assert not any(regex.fullmatch(path) for path in misses)


@pytest.mark.skipif(RUFF is None, reason="needs ruff")
@pytest.mark.parametrize(
    "pattern", ["**/gen_*.py", "scripts/**/*.py", "scripts/**", "*/gen_*.py", "a/**/b/*.py", "gen*"]
)
def test_exclude_patterns_select_the_files_ruff_selects(pattern: str, tmp_path: Path) -> None:
    names = ["gen_x.py", "a/gen_y.py", "a/b/gen_z.py", "a/b/c.py", "a/x/b/d.py", "keep.py"]
    names += ["scripts/tool.py", "scripts/x/t2.py", "scriptsx/t3.py"]
    write(tmp_path, dict.fromkeys(names, "x = 1\n"))
    assert RUFF is not None
    ruff = subprocess.run(
        [RUFF, "check", "--isolated", "--show-files", "--extend-exclude", pattern, "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    ruffs = sorted(Path(line).relative_to(tmp_path).as_posix() for line in ruff.stdout.split())
    assert _shown("--extend-exclude", pattern, ".", cwd=tmp_path) == ruffs


def test_unclosed_brace_is_an_error() -> None:
    with pytest.raises(GlobError):
        compile_glob("{a,b")


def test_patterns_match_anchored_paths_and_basenames(tmp_path: Path) -> None:
    root = str(tmp_path / "proj[1]")  # glob characters in the root are taken literally
    patterns = PathPatterns([PatternSpec("gen", root), PatternSpec("src/old/*.py", root)])
    assert patterns.matches(f"{root}/a/gen", "gen")
    assert patterns.matches(f"{root}/src/old/x.py", "x.py")
    assert not patterns.matches(f"{root}/other/src/old/x.py", "x.py")
    assert patterns.excludes(f"{root}/a/gen/deep/file.py", stop_at=root)
    assert not patterns.excludes(f"{root}/a/file.py", stop_at=root)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    files: dict[str, str | bytes] = {
        "app.py": HH001_SOURCE,
        "stub.pyi": HH001_SOURCE,
        "notes.txt": HH001_SOURCE,
        "pkg/mod.py": HH001_SOURCE,
        "pkg/gen/out.py": HH001_SOURCE,
        "scripts/run.py": HH001_SOURCE,
        "env/pyvenv.cfg": "home = /usr\n",
        "env/lib/site.py": HH001_SOURCE,
    }
    # (A `.git` directory would make the tree a repository: the git tests add it.)
    files |= {f"{name}/skipped.py": HH001_SOURCE for name in DEFAULT_EXCLUDES if name != ".git"}
    write(tmp_path, files)
    return tmp_path


BASE = ["app.py", "pkg/gen/out.py", "pkg/mod.py", "scripts/run.py", "stub.pyi"]


def test_default_discovery(tree: Path) -> None:
    """*.py and *.pyi, recursively; the default excludes and virtualenvs are skipped."""
    assert _shown(cwd=tree) == BASE
    assert _shown(".", cwd=tree) == BASE
    assert _shown("pkg", "app.py", "app.py", cwd=tree) == ["app.py", "pkg/gen/out.py", "pkg/mod.py"]


def test_exclude_and_extend_exclude(tree: Path) -> None:
    # A pattern without `/` matches any file or directory with that name, at any depth.
    assert _shown("--extend-exclude", "gen", cwd=tree) == [p for p in BASE if "gen" not in p]
    # A pattern with `/` is anchored at the current directory.
    assert _shown("--extend-exclude", "pkg/*.py,*.pyi", cwd=tree) == ["app.py", "scripts/run.py"]
    assert _shown("--extend-exclude", "gen/out.py", cwd=tree) == BASE
    # `--exclude` replaces the defaults: now `build`, `.venv`, ... are checked.
    shown = _shown("--exclude", "scripts", cwd=tree)
    assert "scripts/run.py" not in shown
    assert "build/skipped.py" in shown
    assert ".venv/skipped.py" in shown
    assert "env/lib/site.py" not in shown  # virtualenvs are recognised by pyvenv.cfg


def test_explicit_paths_are_checked_unless_force_exclude(tree: Path) -> None:
    named = ["notes.txt", "build/skipped.py", "pkg/gen/out.py", "env/lib/site.py"]
    everything = ["build/skipped.py", "env/lib/site.py", "notes.txt", "pkg/gen/out.py"]
    assert _shown(*named, "--extend-exclude", "gen", cwd=tree) == everything
    forced = _shown(*named, "--extend-exclude", "gen", "--force-exclude", cwd=tree)
    assert forced == ["env/lib/site.py", "notes.txt"]
    # An explicitly named directory is walked even when excluded, unless --force-exclude.
    assert _shown("build", cwd=tree) == ["build/skipped.py"]
    assert _shown("build", "--force-exclude", cwd=tree) == []
    # And a non-Python file named explicitly is really checked.
    run = lint("--output-format", "concise", "notes.txt", cwd=tree)
    assert run.lines[0].startswith("notes.txt:3:1: HH001 ")


def test_output_is_sorted_by_path_then_position(tree: Path) -> None:
    run = lint("--output-format", "json", "scripts", "app.py", "pkg", cwd=tree)
    keys = [(d["filename"], d["location"]["row"], d["location"]["column"]) for d in run.json()]
    assert keys == sorted(keys)
    assert len(keys) == 4


@pytest.mark.skipif(GIT is None, reason="needs git")
def test_gitignore_in_a_repository(tree: Path) -> None:
    write(
        tree,
        {
            ".gitignore": "scripts/\n*.pyi\n",
            "pkg/.gitignore": "gen/\n!keep.pyi\n",
            "pkg/keep.pyi": HH001_SOURCE,
            "pkg/local.py": HH001_SOURCE,
        },
    )
    # Outside a git work tree, .gitignore files are not read (as in ruff).
    assert "scripts/run.py" in _shown(cwd=tree)
    git_init(tree)
    (tree / ".git" / "info").mkdir(exist_ok=True)
    (tree / ".git" / "info" / "exclude").write_text("local.py\n", encoding="utf-8")
    write(tree, {".git/hooks/hook.py": HH001_SOURCE})  # never checked
    assert _shown(cwd=tree) == ["app.py", "pkg/keep.pyi", "pkg/mod.py"]
    # The rules apply from the repository root when a subdirectory is checked.
    assert _shown(cwd=tree / "pkg") == ["keep.pyi", "mod.py"]
    # A directory named explicitly is walked even though it is ignored (as ruff does).
    assert _shown("scripts", cwd=tree) == ["scripts/run.py"]
    # So is a directory inside an ignored tree (a stdlib inside pyenv's ignored `versions/`).
    write(tree, {"scripts/tools/task.py": HH001_SOURCE})
    assert _shown("scripts/tools", cwd=tree) == ["scripts/tools/task.py"]
    # Explicit files are never dropped by .gitignore, even with --force-exclude (as in ruff).
    assert _shown("scripts/run.py", "--force-exclude", cwd=tree) == ["scripts/run.py"]
    # The option and the configuration key turn it off.
    assert "scripts/run.py" in _shown("--no-respect-gitignore", cwd=tree)
    write(tree, {"pyproject.toml": "[tool.honeyhive-lint]\nrespect-gitignore = false\n"})
    assert "pkg/local.py" in _shown(cwd=tree)
    assert "pkg/local.py" not in _shown("--respect-gitignore", cwd=tree)


@pytest.mark.skipif(GIT is None, reason="needs git")
@pytest.mark.parametrize(
    ("root_rules", "nested_rules"),
    [
        ("*\n!*/\n!*.py\n", ""),  # ignore everything but Python files, at every depth
        ("lib/**/\n!lib/x/\n", ""),  # directories below lib/, but neither lib/ nor its files
        ("lib/*\n!lib\n", ""),  # `!lib` re-includes lib/ only, not lib/x/
        ("*/\n!src/\n!src/*/\n", ""),
        ("tests/**\n!tests/**/\n!tests/data/*.py\n", ""),
        ("docs/*\n!docs/sub/\n/a.py\n[z-a]\n", "!a.py\nx/\n"),
        ("\ufefflib/\r\ntests/t.py\r\n", ""),  # a byte order mark and CRLF line ends
    ],
)
def test_gitignore_decides_as_git_does(root_rules: str, nested_rules: str, tmp_path: Path) -> None:
    names = ["a.py", "lib/q.py", "lib/x/w.py", "lib/x/y/z.py", "src/a.py", "src/pkg/b.py"]
    names += ["src/pkg/x/c.py", "tests/t.py", "tests/data/d.py", "docs/c.py", "docs/sub/d.py"]
    files: dict[str, str | bytes] = dict.fromkeys(names, "x = 1\n")
    write(tmp_path, files | {".gitignore": root_rules, "src/.gitignore": nested_rules})
    git_init(tmp_path)
    assert _shown(cwd=tmp_path) == git_untracked(tmp_path)


@pytest.mark.skipif(GIT is None, reason="needs git")
def test_nested_repository_starts_afresh(tmp_path: Path) -> None:
    write(tmp_path, {".gitignore": "vendor.py\n", "vendor.py": "", "sub/vendor.py": ""})
    git_init(tmp_path)
    git_init(tmp_path / "sub")
    assert _shown(cwd=tmp_path) == ["sub/vendor.py"]


def test_unreadable_directories_and_symlinks(tmp_path: Path) -> None:
    write(tmp_path, {"real/app.py": HH001_SOURCE})
    os.symlink(tmp_path / "real", tmp_path / "linked_dir")  # not followed: no loops, no repeats
    os.symlink(tmp_path / "real" / "app.py", tmp_path / "linked.py")  # a linked file counts
    os.symlink(tmp_path / "gone.py", tmp_path / "dangling.py")  # reported as unreadable
    os.mkfifo(tmp_path / "pipe.py")  # not a regular file: skipped, never read (it would block)
    assert _shown(cwd=tmp_path) == ["dangling.py", "linked.py", "real/app.py"]
    run = lint("--output-format", "concise", cwd=tmp_path)
    assert run.returncode == 1
    assert run.lines[0] == "dangling.py:1:1: FileNotFoundError: No such file or directory"
    assert "Traceback" not in run.stderr


def test_no_python_files_is_a_warning_not_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"readme.txt": "hello\n"})
    run = lint(cwd=tmp_path)
    assert run.returncode == 0
    assert run.stderr == "warning: No Python files found under the given path(s)\n"
