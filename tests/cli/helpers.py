"""Running the installed `honeyhive-lint` console script, and sources that violate the rules."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def _console_script() -> Path:
    """The script pip generated from `[project.scripts]`: beside this interpreter in a venv."""
    beside = Path(sys.executable).with_name("honeyhive-lint")
    found = beside if beside.exists() else shutil.which("honeyhive-lint")
    assert found, "honeyhive-lint is not installed: pip install -e ."
    return Path(found)


SCRIPT = _console_script()
# The real ruff (a dev dependency), which the command's conventions are checked against.
_RUFF_BESIDE = Path(sys.executable).with_name("ruff")
RUFF = str(_RUFF_BESIDE) if _RUFF_BESIDE.exists() else shutil.which("ruff")

IMPORT = "from honeyhive import HoneyHiveTracer\n"
TRACER = "t = HoneyHiveTracer.init()\n"
# HH001 at 3:1; HH002 at 3:1 for the other two.
HH001_SOURCE = IMPORT + TRACER + 't.enrich_session(session_id="x")\n'
HH002_REBIND_SOURCE = IMPORT + TRACER + 't.session_id = "y"\n'
HH002_LEGACY_SOURCE = IMPORT + TRACER + "t.create_session()\n"


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def lint(*args: str | Path, cwd: Path, stdin: bytes | None = None, timeout: float = 120) -> Run:
    """Run `honeyhive-lint ARGS` in `cwd` and capture everything."""
    completed = subprocess.run(
        [str(SCRIPT), *map(str, args)],
        cwd=cwd,
        input=stdin if stdin is not None else b"",
        capture_output=True,
        check=False,
        timeout=timeout,
    )
    return Run(
        completed.returncode,
        completed.stdout.decode("utf-8"),
        completed.stderr.decode("utf-8"),
    )


def write(root: Path, files: dict[str, str | bytes]) -> None:
    """Create files (and their directories) under `root`."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def reported(run: Run, root: Path) -> list[tuple[str, int, int, str | None]]:
    """(path relative to `root`, row, column, code) of each diagnostic of a JSON run."""
    return [
        (
            Path(d["filename"]).relative_to(root).as_posix(),
            d["location"]["row"],
            d["location"]["column"],
            d["code"],
        )
        for d in run.json()
    ]


GIT = shutil.which("git")


def git_init(root: Path) -> None:
    assert GIT is not None
    subprocess.run([GIT, "init", "-q", str(root)], check=True, capture_output=True)


def git_untracked(root: Path) -> list[str]:
    """The Python files git itself does not ignore, with their names as written (not quoted)."""
    assert GIT is not None
    listed = subprocess.run(
        [GIT, "-c", "core.quotePath=false", "ls-files", "--others", "--exclude-standard"],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    return sorted(path for path in listed if path.endswith(".py"))
