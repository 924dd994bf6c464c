"""Inline expectations in fixture files, shared by the flake8, honeyhive-lint and pylint tests.

A fixture marks each line that must be reported with pylint's functional-test annotation, naming
the rules by symbol: ``tracer.session_id = sid  # [tracer-reused-across-sessions]``. A symbol
repeated in the list means several findings on that line. Every other line must stay silent.

``# [inference-only: symbol]`` marks a finding only the pylint plugin can make, because it must
follow a tracer through a container or an unannotated factory. ``# [project: symbol]`` marks one
that `honeyhive-lint`, which sees the whole project, makes too, but flake8 (one module at a time)
does not: a tracer imported from another checked module.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Final

from flake8_honeyhive.rules import ENGINE_RULES

FIXTURES: Final = Path(__file__).parent / "fixtures"
EXAMPLES: Final = Path(__file__).parent.parent / "examples"
_ANNOTATION: Final = re.compile(
    r"# \[(?:(?P<inference>inference-only: )|(?P<project>project: ))?(?P<symbols>[a-z\-, ]+)\]\s*$"
)
_CODE_BY_SYMBOL: Final = {rule.symbol: rule.code for rule in ENGINE_RULES.values()}


def syntactic_fixtures() -> list[Path]:
    """The fixtures every front end must agree on (inference-only cases live elsewhere)."""
    return sorted(FIXTURES.glob("*.py"))


def example_modules() -> list[Path]:
    return sorted(EXAMPLES.rglob("*.py"))


def expected_findings(
    path: Path, *, inference: bool = False, project: bool = False
) -> Counter[tuple[int, str]]:
    """(line, code) -> how many findings the annotations in ``path`` ask for.

    With ``project``, the findings across modules are expected too (`honeyhive-lint` on the whole
    project); with ``inference``, those and the findings only inference can make (pylint).
    """
    expected: Counter[tuple[int, str]] = Counter()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _ANNOTATION.search(line)
        if not match or (match["inference"] and not inference):
            continue
        if not match["project"] or project or inference:
            for symbol in match["symbols"].split(","):
                expected[number, _CODE_BY_SYMBOL[symbol.strip()]] += 1
    return expected
