"""Bad input and hostile surroundings: each ends as ruff would, with a warning and the other
files' findings kept, or with a clear `error: ...` and exit status 2; never a traceback."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.helpers import HH001_SOURCE, SCRIPT, lint, write

SETPRIV = shutil.which("setpriv")
NOBODY = 65534


def _sh(command: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """`command` in a shell, where `$LINT` is honeyhive-lint (to close streams with `>&-`)."""
    return subprocess.run(
        ["/bin/sh", "-c", command],
        cwd=cwd,
        env={**os.environ, "LINT": str(SCRIPT)},
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_a_symlink_loop_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": HH001_SOURCE})
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "self.py").symlink_to("self.py")
    run = lint("--output-format", "concise", cwd=tmp_path)
    assert run.returncode == 1
    assert run.lines[0].startswith("app.py:3:1: HH001 ")
    assert "warning: Failed to read t/self.py: Too many levels of symbolic links" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_path_longer_than_the_system_allows_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": HH001_SOURCE})
    # Build it relative to open directories: no single path given to the kernel is too long.
    descriptor = os.open(tmp_path, os.O_RDONLY)
    for _ in range(40):
        os.mkdir("d" * 200, dir_fd=descriptor)
        inner = os.open("d" * 200, os.O_RDONLY, dir_fd=descriptor)
        os.close(descriptor)
        descriptor = inner
    with open("deep.py", "w", opener=lambda name, flags: os.open(name, flags, dir_fd=descriptor)):
        pass
    os.close(descriptor)
    run = lint("--output-format", "concise", cwd=tmp_path)
    assert run.returncode == 1
    assert run.lines[0].startswith("app.py:3:1: HH001 ")
    assert "warning: Failed to read d" in run.stderr
    assert "File name too long" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A directory another user can enter (pytest's own are private to root)."""
    path = Path(tempfile.mkdtemp())
    path.chmod(0o755)
    yield path
    for child in path.rglob("*"):
        if child.is_dir() and not child.is_symlink():
            child.chmod(0o755)
    shutil.rmtree(path)


def _unprivileged(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    if SETPRIV is None:
        pytest.skip("root reads every directory, and setpriv is missing to drop that")
    return [SETPRIV, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]


def test_unreadable_directories_and_links_into_them_are_warnings(shared_tmp: Path) -> None:
    write(shared_tmp, {"app.py": HH001_SOURCE, "locked/hidden.py": HH001_SOURCE})
    (shared_tmp / "link.py").symlink_to("locked/hidden.py")
    for path in (shared_tmp, shared_tmp / "app.py"):
        path.chmod(0o755)
    (shared_tmp / "locked").chmod(0o700)
    run = subprocess.run(
        _unprivileged([str(SCRIPT), "--output-format", "concise", "."]),
        cwd=shared_tmp,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert run.stdout.startswith("app.py:3:1: HH001 ")
    assert "warning: Failed to read link.py: Permission denied" in run.stderr
    assert "warning: Failed to read locked: Permission denied" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("nested", ["[" * 1000 + "]" * 1000, "{a = " * 1000 + "1" + "}" * 1000])
def test_deeply_nested_toml_is_a_configuration_error(nested: str, tmp_path: Path) -> None:
    write(tmp_path, {"app.py": HH001_SOURCE, "pyproject.toml": "[tool.honeyhive-lint]\n"})
    (tmp_path / "pyproject.toml").write_text(f"[tool.honeyhive-lint]\nx = {nested}\n")
    run = lint(cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.startswith("error: ")
    assert "nested too deeply" in run.stderr


def test_a_configuration_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": HH001_SOURCE, "skipped/app.py": HH001_SOURCE})
    config = '[tool.honeyhive-lint]\nextend-exclude = ["skipped"]\n'
    (tmp_path / "pyproject.toml").write_bytes(b"\xef\xbb\xbf" + config.encode())
    run = lint("--output-format", "concise", "-q", cwd=tmp_path)
    assert (run.returncode, run.stderr) == (1, "")
    assert len(run.lines) == 1  # one finding: the other file is excluded


def test_warnings_never_go_to_stdout_when_stderr_is_closed(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": HH001_SOURCE.replace("\n", "  # noqa: hh001\n")})
    (tmp_path / "loop.py").symlink_to("loop.py")
    run = _sh('"$LINT" --output-format json . 2>&-', tmp_path)
    assert run.returncode == 1
    assert [d["code"] for d in json.loads(run.stdout)] == ["HH001"]


def test_a_closed_stdout_ends_quietly(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": HH001_SOURCE})
    run = _sh('"$LINT" . >&-', tmp_path)
    assert (run.returncode, run.stderr) == (1, b"")
    run = _sh('"$LINT" --version >&-', tmp_path)
    assert (run.returncode, run.stderr) == (0, b"")


def test_a_full_disk_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": HH001_SOURCE})
    for command in ('"$LINT" . > /dev/full', '"$LINT" rule --all > /dev/full'):
        run = _sh(command, tmp_path)
        assert run.returncode == 2
        assert run.stderr == b"error: cannot write the output: No space left on device\n"
    run = _sh('"$LINT" --version > /dev/full', tmp_path)
    assert b"Traceback" not in run.stderr


def test_a_closed_stdin_reads_as_empty(tmp_path: Path) -> None:
    run = _sh('"$LINT" - <&-', tmp_path)
    assert (run.returncode, run.stderr) == (0, b"")
    assert run.stdout == b"All checks passed!\n"


def test_silent_prints_nothing_not_even_the_compilers_warnings(tmp_path: Path) -> None:
    # `"\d"`: a DeprecationWarning on 3.11 (hidden unless asked for), a SyntaxWarning from 3.12.
    write(tmp_path, {"app.py": HH001_SOURCE + 'pattern = "\\d+"\n'})
    run = _sh('PYTHONWARNINGS=always "$LINT" -s .', tmp_path)
    assert (run.returncode, run.stdout, run.stderr) == (1, b"", b"")


def test_out_of_memory_is_a_diagnostic_that_says_so(tmp_path: Path) -> None:
    body = "".join(
        f"def f{n}(session_id):\n    t.enrich_session(session_id=session_id, data=[{n}, ({n},)])\n"
        for n in range(60_000)  # every statement read: the whole module is parsed
    )
    write(tmp_path, {"big.py": HH001_SOURCE + body})
    limit = 300 * 2**20

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    run = subprocess.run(
        [str(SCRIPT), "--jobs", "1", "--output-format", "concise", "big.py"],
        cwd=tmp_path,
        preexec_fn=cap_memory,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert run.stdout.splitlines()[0] == (
        "big.py:1:1: MemoryError: not enough memory to check this file"
    )


def test_a_file_name_that_is_not_utf8_is_shown_with_replacement_characters(
    tmp_path: Path,
) -> None:
    (tmp_path / os.fsdecode(b"caf\xe9.py")).write_text(HH001_SOURCE)
    run = lint("--output-format", "json", cwd=tmp_path)
    assert run.returncode == 1
    assert "\\udc" not in run.stdout
    assert [Path(d["filename"]).name for d in run.json()] == ["caf\ufffd.py"]
    concise = lint("--output-format", "concise", cwd=tmp_path)
    assert concise.lines[0].startswith("caf\ufffd.py:3:1: HH001 ")
