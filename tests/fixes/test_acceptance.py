"""`honeyhive-lint --fix --unsafe-fixes` on every fixture and on the example project, as a user
runs it: the result is valid Python that the other linters accept as before, a second run
changes nothing, what is left is exactly what has no fix, and the example still runs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from flake8_honeyhive.rules import HH001, HH002, PYLINT_RULES
from tests.cli.helpers import RUFF, lint
from tests.expectations import EXAMPLES, FIXTURES

RUN_EXAMPLES = Path(__file__).with_name("run_examples.py")


def _fix(directory: Path) -> None:
    run = lint("--no-cache", "--fix", "--unsafe-fixes", "-q", ".", cwd=directory)
    assert run.returncode in (0, 1), run.stderr
    assert "warning" not in run.stderr, run.stderr


def _json(directory: Path) -> list[dict[str, object]]:
    run = lint("--no-cache", "--output-format", "json", ".", cwd=directory)
    data: list[dict[str, object]] = run.json()
    return data


def _flake8(directory: Path, select: str) -> Counter[tuple[str, str]]:
    """(file, `CODE message`) of each flake8 finding, without positions (fixes move lines)."""
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", f"--select={select}", "."],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
    )
    return Counter(
        (Path(path).name, message.strip())
        for path, _, _, message in (line.split(":", 3) for line in result.stdout.splitlines())
    )


def _ruff(directory: Path) -> Counter[tuple[str, str]]:
    assert RUFF is not None
    result = subprocess.run(
        [
            RUFF,
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "E9,F,I",
            "--output-format",
            "concise",
            ".",
        ],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
    )
    return Counter(
        (Path(line.split(":")[0]).name, line.split(": ", 1)[1].split()[0])
        for line in result.stdout.splitlines()
        if line.count(":") >= 3 and not line.startswith("Found")
    )


def _before_and_after(source: Path, factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two copies of `source`: as it is, and after `--fix --unsafe-fixes`."""
    before, after = factory.mktemp(f"{source.name}-before"), factory.mktemp(f"{source.name}-after")
    shutil.copytree(source, before, dirs_exist_ok=True)
    shutil.copytree(source, after, dirs_exist_ok=True)
    _fix(after)
    return before, after


@pytest.fixture(scope="module")
def fixed_fixtures(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _before_and_after(FIXTURES, tmp_path_factory)


def test_every_fixture_is_fixed_into_valid_python_and_a_second_run_changes_nothing(
    fixed_fixtures: tuple[Path, Path],
) -> None:
    before, after = fixed_fixtures
    changed = [
        p.name
        for p in sorted(after.glob("*.py"))
        if p.read_bytes() != (before / p.name).read_bytes()
    ]
    assert {"hh001_forms.py", "hh002_decorators.py", "hh002_legacy_methods.py"} <= set(changed)
    for path in after.glob("*.py"):
        compile(path.read_bytes(), str(path), "exec")
    snapshot = {path.name: path.read_bytes() for path in after.glob("*.py")}
    _fix(after)
    assert {path.name: path.read_bytes() for path in after.glob("*.py")} == snapshot


def test_what_is_left_in_the_fixtures_has_no_fix(fixed_fixtures: tuple[Path, Path]) -> None:
    before, after = fixed_fixtures
    left = _json(after)
    assert left, "the fixtures hold forms without a fix"
    assert all(diagnostic["fix"] is None for diagnostic in left)
    # Every form of a `session_id=` override in a decorator has a fix.
    assert not [d for d in left if Path(str(d["filename"])).name == "hh002_decorators.py"]
    assert len(_json(before)) - len(left) >= 30


def test_fixes_add_no_pyflakes_finding_to_the_fixtures(fixed_fixtures: tuple[Path, Path]) -> None:
    before, after = fixed_fixtures
    added = _flake8(after, "F") - _flake8(before, "F")
    assert added == Counter()


@pytest.fixture(scope="module")
def fixed_examples(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _before_and_after(EXAMPLES, tmp_path_factory)


def test_examples_keep_only_the_findings_without_a_fix(fixed_examples: tuple[Path, Path]) -> None:
    _, after = fixed_examples
    left = {(Path(str(d["filename"])).name, d["code"], d["fix"] is None) for d in _json(after)}
    # Rebinding `tracer.session_id` (in both modules), and `enrich_session` on a tracer imported
    # from another module (the fix reads one module): the forms the docs list without a fix.
    assert left == {
        ("legacy_handlers.py", HH002.code, True),
        ("legacy_workers.py", HH001.code, True),
        ("legacy_workers.py", HH002.code, True),
    }
    _fix(after)  # idempotent
    assert {(Path(str(d["filename"])).name, d["code"]) for d in _json(after)} == {
        (name, code) for name, code, _ in left
    }


def test_flake8_pylint_and_ruff_accept_the_fixed_examples(
    fixed_examples: tuple[Path, Path],
) -> None:
    before, after = fixed_examples
    # pyflakes and syntax: nothing new (no unused or undefined name from an import edit).
    assert _flake8(after, "E9,F") - _flake8(before, "E9,F") == Counter()
    # The flake8 plugin agrees with honeyhive-lint on what is left, but for the rebinding of a
    # tracer imported from another module, which it cannot see.
    hh_flake8 = {(name, message.split()[0]) for name, message in _flake8(after, "HH")}
    hh_cli = {(Path(str(d["filename"])).name, d["code"]) for d in _json(after)}
    assert hh_cli - hh_flake8 == {("legacy_workers.py", HH002.code)}
    assert hh_flake8 <= hh_cli
    # Nothing new for ruff either: syntax, pyflakes and isort (an extended import stays sorted).
    assert _ruff(after) - _ruff(before) == Counter()
    # pylint: no new error or unused import; its HH findings are flake8's plus inference's own.
    ids = _pylint(after)
    others = Counter({key: n for key, n in ids.items() if key not in PYLINT_RULES})
    assert others - _pylint(before) == Counter()
    assert HH001.pylint_id is not None
    assert HH002.pylint_id is not None
    assert ids[HH001.pylint_id] == 1  # legacy_workers' imported tracer
    assert ids[HH002.pylint_id] == 3  # the rebind, and the two inference-only findings


def _pylint(directory: Path) -> Counter[str]:
    """The message ids pylint reports: errors, unused imports, and the HH rules."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pylint",
            "--persistent=n",
            "--score=n",
            "--load-plugins=pylint_honeyhive",
            "--disable=all",
            f"--enable=E,unused-import,{','.join(PYLINT_RULES)}",
            "--msg-template={path}:{line}:{msg_id}",
            "support_bot",
        ],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
    )
    return Counter(
        line.rsplit(":", 1)[1] for line in result.stdout.splitlines() if line.count(":") == 2
    )


def _run(directory: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(RUN_EXAMPLES)],
        cwd=directory,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(directory),
            "HOME": str(directory),
            "PYTHONWARNINGS": "ignore",
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_fixed_examples_still_import_and_run(fixed_examples: tuple[Path, Path]) -> None:
    before, after = fixed_examples
    result = _run(after)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("ran\n")
    # The unfixed code failed where the positional id reached the tracer's method.
    original = _run(before)
    assert original.returncode == 1
    assert "TypeError: HH001" in original.stderr
