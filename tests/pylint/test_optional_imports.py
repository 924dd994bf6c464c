"""The plugin reads optional-import fallbacks as if honeyhive imported, by teaching astroid an
inference tip for the names they bind; no other checker's messages may move because of it."""

from __future__ import annotations

from pathlib import Path

from flake8_honeyhive.rules import PYLINT_RULES
from tests.expectations import FIXTURES
from tests.pylint.runner import pylint

FIXTURE = FIXTURES / "optional_imports.py"
OURS = tuple(PYLINT_RULES)


def pylint_default_checkers(*plugin: str, cwd: Path) -> list[str]:
    result = pylint(*plugin, str(FIXTURE), cwd=cwd)
    assert result.stderr == ""
    return [line for line in result.stdout.splitlines() if not any(i in line for i in OURS)]


def test_every_other_checker_reports_the_same_with_the_plugin(tmp_path: Path) -> None:
    without = pylint_default_checkers(cwd=tmp_path)
    with_plugin = pylint_default_checkers("--load-plugins=pylint_honeyhive", cwd=tmp_path)
    assert len(without) > 10  # the fixture is no model of style: pylint has plenty to say
    assert with_plugin == without
