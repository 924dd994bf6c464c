"""The linters keep working when another `honeyhive` comes first on `sys.path`.

This happens with `PYTHONPATH=src` in a checkout of an older SDK, or with `python -m flake8` run
from a folder that holds a `honeyhive/` package. The project is installed here in editable mode,
whose import hook would hide the problem: each test therefore runs a fresh interpreter in a
throwaway venv where the three packages are installed as a wheel would install them (plain
directories in site-packages), with the development venv's site-packages behind them for flake8,
pylint and their dependencies.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from flake8_honeyhive.rules import HH001

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("honeyhive", "flake8_honeyhive", "pylint_honeyhive")
APP = (
    "from honeyhive import HoneyHiveTracer\n"
    "t = HoneyHiveTracer.init()\n"
    't.enrich_session(session_id="x")\n'
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a venv holding the three packages as plain directories."""
    root = tmp_path_factory.mktemp("installed")
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--without-pip", str(root / "venv")], check=True)
    python = root / "venv" / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    for package in PACKAGES:
        (Path(purelib) / package).symlink_to(REPO_ROOT / package)
    # A plain path line: the development venv's own .pth files (the editable hook) are not run.
    (Path(purelib) / "development.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An application beside an old SDK's `honeyhive/` that has no `rules` module."""
    (tmp_path / "src" / "honeyhive").mkdir(parents=True)
    (tmp_path / "src" / "honeyhive" / "__init__.py").write_text('__version__ = "0.2.0"\n')
    (tmp_path / "app.py").write_text(APP)
    return tmp_path


def _run(python: Path, project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    env.pop("PYTHONHOME", None)
    return subprocess.run(
        [str(python), *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_old_sdk_really_shadows_ours(installed: Path, project: Path) -> None:
    result = _run(installed, project, "-c", "import honeyhive; print(honeyhive.__version__)")
    assert result.stdout.strip() == "0.2.0", result.stderr


def test_honeyhive_lint(installed: Path, project: Path) -> None:
    result = _run(
        installed, project, "-m", "flake8_honeyhive.cli", "--output-format", "concise", "app.py"
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(f"app.py:3:1: {HH001.code} "), result.stdout
    assert "Traceback" not in result.stderr


def test_honeyhive_lint_version_is_ours(installed: Path, project: Path) -> None:
    from honeyhive import __version__  # noqa: PLC0415

    result = _run(installed, project, "-m", "flake8_honeyhive.cli", "--version")
    assert result.stdout.split() == ["honeyhive-lint", __version__], result.stderr


def test_flake8(installed: Path, project: Path) -> None:
    result = _run(installed, project, "-m", "flake8", "--isolated", "--select=HH", "app.py")
    assert result.stdout.startswith(f"app.py:3:1: {HH001.code} "), result.stdout + result.stderr
    assert result.returncode == 1


def test_pylint(installed: Path, project: Path) -> None:
    result = _run(
        installed,
        project,
        "-m",
        "pylint",
        "--rcfile=/dev/null",
        "--load-plugins=pylint_honeyhive",
        "--disable=all",
        f"--enable={HH001.symbol}",
        "app.py",
    )
    assert f"{HH001.pylint_id}" in result.stdout, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
