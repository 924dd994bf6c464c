"""Run pylint with the plugin (in-process, or as the real command), and its findings in the
syntactic engine's terms."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from pylint.lint import Run
from pylint.reporters import CollectingReporter

from flake8_honeyhive.checker import check_source
from flake8_honeyhive.rules import PYLINT_RULES

PLUGIN_ONLY: Final = (
    "--load-plugins=pylint_honeyhive",
    "--disable=all",
    f"--enable={','.join(rule.symbol for rule in PYLINT_RULES.values())}",
    "--persistent=n",
    "--score=n",
)
CODE_BY_PYLINT_ID: Final = {pylint_id: rule.code for pylint_id, rule in PYLINT_RULES.items()}


@dataclass(frozen=True, order=True)
class Reported:
    """One finding, as both front ends can express it."""

    line: int
    col: int
    end_line: int
    end_col: int
    code: str
    message: str


def pylint_run(paths: list[Path]) -> dict[Path, list[tuple[Reported, str]]]:
    """Each linted file's findings with their confidence names (``INFERENCE``, ``HIGH``)."""
    reporter = CollectingReporter()
    Run([*PLUGIN_ONLY, *map(str, paths)], reporter=reporter, exit=False)
    found: dict[Path, list[tuple[Reported, str]]] = {path.resolve(): [] for path in paths}
    for message in reporter.messages:
        # No crash, no parse error, nothing else.
        assert message.msg_id in CODE_BY_PYLINT_ID, message
        reported = Reported(
            message.line,
            message.column,
            message.end_line or message.line,
            message.end_column or message.column,
            CODE_BY_PYLINT_ID[message.msg_id],
            message.msg,
        )
        found[Path(message.abspath).resolve()].append((reported, message.confidence.name))
    return {path: sorted(findings) for path, findings in found.items()}


def pylint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real ``pylint`` command, in its own process, run from ``cwd``."""
    return subprocess.run(
        [sys.executable, "-m", "pylint", "--persistent=n", "--score=n", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def flake8_engine(path: Path) -> list[Reported]:
    return sorted(
        Reported(f.line, f.col, f.end_line, f.end_col, f.code, f.message)
        for f in check_source(path.read_bytes(), str(path))
    )


def lines_and_codes(findings: list[Reported]) -> Counter[tuple[int, str]]:
    return Counter((finding.line, finding.code) for finding in findings)
