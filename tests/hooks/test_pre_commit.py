"""The pre-commit hooks and the install recipes of docs/install.md, run for real: `pre-commit run
--all-files` in a new git repository that takes this repository, at a commit, as its hook source
(as `rev: <sha>` does before a release is tagged), and `honeyhive[flake8] @ git+...@<sha>` as a
flake8 hook's dependency."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.helpers import IMPORT, TRACER, write

ROOT = Path(__file__).resolve().parents[2]
GIT = shutil.which("git")
SOURCE = IMPORT + TRACER + "t.enrich_session(session_id=t.session_id)\nt.session_id = 'x'\n"
FIXED = IMPORT + TRACER + "t.enrich_session()\nt.session_id = 'x'\n"
CLEAN = IMPORT + TRACER + "t.enrich_session(metadata={})\n"


def _git(*args: str, cwd: Path) -> str:
    assert GIT is not None
    return subprocess.run(
        [GIT, *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout.strip()


def _head() -> str:
    if GIT is None or not (ROOT / ".git").exists():
        pytest.skip("needs this repository's git history")
    return _git("rev-parse", "HEAD", cwd=ROOT)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One hook cache for the module: each environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def _repository(path: Path, config: str, files: dict[str, str]) -> Path:
    write(path, {".pre-commit-config.yaml": config, **files})
    _git("init", "-q", cwd=path)
    _git("add", "-A", cwd=path)
    return path


def _run(repository: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=repository,
        env={
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "HOME": str(home),
            "PRE_COMMIT_HOME": str(home),
            "GIT_CONFIG_NOSYSTEM": "1",
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_the_lint_and_fix_hooks_from_a_commit_of_this_repository(
    tmp_path: Path, pre_commit_home: Path
) -> None:
    config = (
        "repos:\n"
        f"  - repo: {ROOT}\n"
        f"    rev: {_head()}\n"
        "    hooks:\n"
        "      - id: honeyhive-lint-fix\n"
        "      - id: honeyhive-lint\n"
    )
    repository = _repository(tmp_path / "app", config, {"app.py": SOURCE, "ok.py": CLEAN})
    first = _run(repository, pre_commit_home)
    assert first.returncode == 1, first.stdout + first.stderr
    # The fix hook fixed the safe finding (and pre-commit says so); the assignment has no fix.
    assert "honeyhive-lint (fix)" in first.stdout
    assert "files were modified by this hook" in first.stdout
    assert (repository / "app.py").read_text() == FIXED
    assert (repository / "ok.py").read_text() == CLEAN
    assert "Found 2 errors (1 fixed, 1 remaining)." in first.stdout
    assert "app.py:4:1" in first.stdout  # the finding left, reported by both hooks
    # Without findings, both hooks pass.
    (repository / "app.py").write_text(CLEAN)
    second = _run(repository, pre_commit_home)
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stdout.count("Passed") == 2


def test_flake8_with_the_plugin_from_a_git_url_at_a_commit(
    tmp_path: Path, pre_commit_home: Path
) -> None:
    # docs/install.md's `honeyhive[flake8] @ git+https://...@<sha>`, with this checkout's URL.
    requirement = f"honeyhive[flake8] @ git+file://{ROOT}@{_head()}"
    config = (
        "repos:\n"
        "  - repo: local\n"
        "    hooks:\n"
        "      - id: flake8\n"
        "        name: flake8\n"
        "        entry: flake8 --select=HH\n"
        "        language: python\n"
        "        types: [python]\n"
        f'        additional_dependencies: ["flake8>=6", "{requirement}"]\n'
    )
    repository = _repository(tmp_path / "app", config, {"app.py": SOURCE})
    run = _run(repository, pre_commit_home)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "app.py:3:1: HH001 " in run.stdout
    assert "app.py:4:1: HH002 " in run.stdout
