"""Worker processes never outlive the command, never hold its output open, and never exceed the
work: `--jobs 64` for 3 files starts 3, Ctrl-C and SIGTERM end them at once, and SIGKILL of the
command takes them along (so `honeyhive-lint | tee log` ends)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from flake8_honeyhive.cli import runner
from flake8_honeyhive.rules import ENGINE_RULES
from tests.cli.helpers import HH001_SOURCE, SCRIPT, write

EVERY_RULE = frozenset(ENGINE_RULES)
# Each worker gets one file that takes it many seconds to check: stopping within a second or two
# can only mean the workers were ended, not that they finished.
SLOW_FILE = HH001_SOURCE + "".join(
    f"def f{n}(session_id):\n    t.enrich_session(session_id=session_id, data=[{n}, ({n},)])\n"
    for n in range(40_000)
)


def test_no_more_workers_than_files(tmp_path: Path) -> None:
    write(tmp_path, {f"m{n}.py": HH001_SOURCE for n in range(3)})
    paths = sorted(str(path) for path in tmp_path.glob("*.py"))
    result = runner.check_files(paths, lambda path: EVERY_RULE, jobs=64)
    assert result.parallel_workers == 3
    assert [len(outcome.diagnostics) for outcome in result.outcomes] == [1, 1, 1]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


# A terminal's foreground job gets Ctrl-C, but a job started in the background by a script
# inherits SIGINT ignored, and Python then leaves it ignored (as `nohup` relies on). The tests may
# run as such a job (`.ci/run &`): the command is started with SIGINT at its default, as from a
# terminal, by a wrapper that resets it and replaces itself with the command (same process).
_AS_A_FOREGROUND_JOB = [
    sys.executable,
    "-c",
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.argv[1], sys.argv[1:])",
]


@pytest.fixture
def started(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], list[int]]]:
    """The command checking two slow files on two workers, once both workers run."""
    write(tmp_path, {"a.py": SLOW_FILE, "b.py": SLOW_FILE})
    command = subprocess.Popen(
        [*_AS_A_FOREGROUND_JOB, str(SCRIPT), "--jobs", "2", "."],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
        workers = _children(command.pid)
    assert len(workers) == 2
    time.sleep(0.5)  # into their files
    yield command, workers
    for pid in [command.pid, *workers]:  # whatever the test left running
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
    command.wait()


def _end_of_output(command: subprocess.Popen[bytes], seconds: float) -> bool:
    """Whether stdout reaches its end (every writer gone) within `seconds`."""
    assert command.stdout is not None
    stream = command.stdout
    done = threading.Event()

    def read_to_end() -> None:
        stream.read()
        done.set()

    threading.Thread(target=read_to_end, daemon=True).start()
    return done.wait(seconds)


def _gone(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(_alive(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return False


def test_ctrl_c_ends_the_workers_at_once(
    started: tuple[subprocess.Popen[bytes], list[int]],
) -> None:
    command, workers = started
    command.send_signal(signal.SIGINT)
    assert command.wait(timeout=5) == 130
    assert _gone(workers, 2)


def test_sigterm_ends_the_workers(started: tuple[subprocess.Popen[bytes], list[int]]) -> None:
    command, workers = started
    command.terminate()
    assert command.wait(timeout=5) == 143
    assert _gone(workers, 2)
    assert _end_of_output(command, 2)


def test_sigkill_of_the_command_takes_the_workers_along(
    started: tuple[subprocess.Popen[bytes], list[int]],
) -> None:
    command, workers = started
    command.kill()
    command.wait(timeout=5)
    assert _end_of_output(command, 5)  # a `| tee` would end now
    assert _gone(workers, 5)
