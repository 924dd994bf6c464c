"""The cache of earlier results: same answers as without it, keyed by content, rules and version,
ignored when corrupt, a warning (never a failure) when it cannot be written, safe under
concurrent runs."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from tests.cli.helpers import (
    HH001_SOURCE,
    HH002_LEGACY_SOURCE,
    HH002_REBIND_SOURCE,
    SCRIPT,
    lint,
    write,
)

CACHE = ".honeyhive_lint_cache"
FORMATS = ("concise", "full", "json", "sarif")


def _project(root: Path, copies: int = 1) -> None:
    files: dict[str, str | bytes] = {}
    for n in range(copies):
        files |= {
            f"pkg{n}/a.py": HH001_SOURCE,
            f"pkg{n}/b.py": HH002_REBIND_SOURCE.replace("\n", "  # noqa: legacy\n", 1),
            f"pkg{n}/c.py": HH002_LEGACY_SOURCE,
            f"pkg{n}/broken.py": "import honeyhive\nt.enrich_session(session_id=\n",
        }
    write(root, files)


def _cache_files(root: Path) -> list[Path]:
    return sorted((root / CACHE).rglob("*.cache"))


def test_a_warm_run_answers_as_a_cold_one(tmp_path: Path) -> None:
    _project(tmp_path)
    for output_format in FORMATS:
        cold = lint("--no-cache", "--output-format", output_format, cwd=tmp_path)
        first = lint("--output-format", output_format, cwd=tmp_path)
        warm = lint("--output-format", output_format, cwd=tmp_path)
        assert cold.returncode == first.returncode == warm.returncode == 1
        assert cold.stdout == first.stdout == warm.stdout
        assert cold.stderr == first.stderr == warm.stderr  # the noqa warning too
    assert (tmp_path / CACHE / ".gitignore").read_text() == "*\n"
    assert (tmp_path / CACHE / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f59")
    assert len(_cache_files(tmp_path)) == 1


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_ignores_the_cache(tmp_path: Path) -> None:
    _project(tmp_path)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    lint(cwd=tmp_path)
    listed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert CACHE not in listed
    assert "pkg0/a.py" in listed


def test_changed_content_or_rules_are_checked_again(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": HH001_SOURCE})
    assert lint(cwd=tmp_path).returncode == 1
    write(tmp_path, {"app.py": HH001_SOURCE.replace('session_id="x"', "metadata={}")})
    assert lint(cwd=tmp_path).returncode == 0
    write(tmp_path, {"app.py": HH002_REBIND_SOURCE})
    assert lint("--select", "HH001", cwd=tmp_path).returncode == 0
    assert lint(cwd=tmp_path).returncode == 1
    write(
        tmp_path,
        {"pyproject.toml": '[tool.honeyhive-lint]\nper-file-ignores = {"app.py" = ["HH"]}\n'},
    )
    assert lint(cwd=tmp_path).returncode == 0


def test_no_cache_and_the_cache_directory_options(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": HH001_SOURCE})
    lint("--no-cache", cwd=tmp_path)
    assert not (tmp_path / CACHE).exists()
    lint("--cache-dir", "elsewhere", cwd=tmp_path)
    assert len(sorted((tmp_path / "elsewhere").rglob("*.cache"))) == 1
    run = subprocess.run(
        [str(SCRIPT), "."],
        cwd=tmp_path,
        env={**os.environ, "HONEYHIVE_LINT_CACHE_DIR": str(tmp_path / "from-env")},
        capture_output=True,
        check=False,
    )
    assert run.returncode == 1
    assert len(sorted((tmp_path / "from-env").rglob("*.cache"))) == 1
    assert not (tmp_path / CACHE).exists()


def test_a_corrupt_cache_is_ignored_and_replaced(tmp_path: Path) -> None:
    _project(tmp_path)
    expected = lint("--no-cache", "--output-format", "json", cwd=tmp_path).stdout
    lint(cwd=tmp_path)
    (cache_file,) = _cache_files(tmp_path)
    for garbage in (b"", b"\x00" * 10, cache_file.read_bytes()[:-7], b"\xe9" + b"x" * 99):
        cache_file.write_bytes(garbage)
        run = lint("--output-format", "json", cwd=tmp_path)
        assert (run.returncode, run.stdout, run.stderr) == (1, expected, "")
    # A stale entry for another content is never trusted.
    write(tmp_path, {"pkg0/a.py": HH002_LEGACY_SOURCE})
    run = lint("--output-format", "json", cwd=tmp_path)
    assert [d["code"] for d in run.json() if d["filename"].endswith("a.py")] == ["HH002"]


@pytest.mark.parametrize("where", ["/dev/full/cache", "/proc/version"])
def test_a_cache_that_cannot_be_written_is_a_warning(where: str, tmp_path: Path) -> None:
    _project(tmp_path)
    run = lint("--cache-dir", where, "--output-format", "json", cwd=tmp_path)
    assert run.returncode == 1
    assert len(run.json()) == 4
    assert run.stderr.count("warning: cannot write the cache in ") == 1


def test_a_full_disk_while_writing_the_cache_is_a_warning(tmp_path: Path) -> None:
    _project(tmp_path, copies=20)

    def small_files_only() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (512, 512))

    run = subprocess.run(
        [str(SCRIPT), "--output-format", "json", "."],
        cwd=tmp_path,
        preexec_fn=small_files_only,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "warning: cannot write the cache in " in run.stderr
    assert "File too large" in run.stderr
    assert _cache_files(tmp_path) == []  # no half-written file left behind
    assert [p.name for p in (tmp_path / CACHE).rglob("*.tmp")] == []


def test_concurrent_runs(tmp_path: Path) -> None:
    _project(tmp_path, copies=40)
    expected = lint("--no-cache", "--output-format", "json", cwd=tmp_path).stdout
    for _ in range(3):
        runs = [
            subprocess.Popen(
                [str(SCRIPT), "--output-format", "json", "."],
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        for run in runs:
            stdout, stderr = run.communicate(timeout=120)
            assert (run.returncode, stdout, stderr) == (1, expected, "")
        write(tmp_path, {"pkg0/a.py": HH001_SOURCE + "\n"})  # some change between rounds
    assert lint("--output-format", "json", cwd=tmp_path).stdout == expected
