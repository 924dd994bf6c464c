"""What `honeyhive-lint` imports: a run served from its cache loads nothing it does not use.

Start-up is most of a cached run (issue 10's warm target is ruff's own time). Records are named
tuples rather than dataclasses (each costs ~0.7 ms to create, and `dataclasses` brings `inspect`),
and the engine, `ast`, `tokenize`, `hashlib` (OpenSSL), `shutil` and `difflib` load only when a
file is parsed, a noqa comment tokenized, or a fix shown.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.cli.helpers import HH001_SOURCE, HH002_REBIND_SOURCE, IMPORT, TRACER, write

REPO = Path(__file__).resolve().parents[2]
# Not needed by a cached run of files without fixes.
NOT_ON_THE_WARM_PATH = (
    "ast",
    "dataclasses",
    "difflib",
    "flake8_honeyhive.checker",
    "flake8_honeyhive.scopes",
    "hashlib",
    "inspect",
    "shutil",
    "tokenize",
)
_IMPORT_TIME = re.compile(r"import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$")


def _run(project: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """`python -m flake8_honeyhive.cli ARGS` in a fresh interpreter, and the modules it imported.

    Without `site` (-S), so that nothing else (a `.pth` file, coverage) imports anything: the
    command needs the standard library only, and this checkout on PYTHONPATH.
    """
    completed = subprocess.run(
        [sys.executable, "-S", "-X", "importtime", "-m", "flake8_honeyhive.cli", *args],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    imported = {
        found.group(1)
        for line in completed.stderr.splitlines()
        if (found := _IMPORT_TIME.match(line))
    }
    return completed, imported


def test_a_cached_run_imports_no_dataclasses_nor_the_engine(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.honeyhive-lint]\nextend-exclude = ["build"]\n',
            "app/rebind.py": HH002_REBIND_SOURCE,  # a finding without a fix
            "app/suppressed.py": HH001_SOURCE.replace('="x")\n', '="x")  # noqa: HH001\n'),
            "app/clean.py": IMPORT + TRACER,
        },
    )
    arguments = ("--cache-dir", str(tmp_path / "cache"), "app")

    cold, cold_imports = _run(tmp_path, *arguments)
    assert cold.returncode == 1, cold.stderr
    assert "HH002" in cold.stdout
    assert "suppressed.py" not in cold.stdout
    # Parsing and tokenizing the files loads them: the list read from -X importtime is complete.
    assert {"ast", "tokenize", "flake8_honeyhive.checker"} <= cold_imports

    warm, warm_imports = _run(tmp_path, *arguments)
    assert (warm.returncode, warm.stdout) == (1, cold.stdout), warm.stderr
    assert {"flake8_honeyhive.cli.cache", "tomllib"} <= warm_imports
    assert sorted(warm_imports.intersection(NOT_ON_THE_WARM_PATH)) == []
