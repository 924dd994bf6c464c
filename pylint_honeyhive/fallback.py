"""The syntactic engine's verdicts, for the nodes where inference cannot decide.

The flake8 plugin's engine runs at most once per module, and only when a candidate needs it: it
parses the module's source with ``ast`` (astroid builds its tree from the same parse, so lines and
columns agree) and indexes its findings by span and code.
"""

from __future__ import annotations

import ast
import warnings
from typing import Any

from flake8_honeyhive.checker import check_tree, could_have_findings
from flake8_honeyhive.findings import Finding
from flake8_honeyhive.rules import Rule

__all__ = ["SyntacticFindings", "source_of"]

# The whole span, not just the start: a chained call such as `t.create_session().session_start()`
# and its inner call start at the same place, and must not take each other's findings.
Key = tuple[int, int, int, int, str]


class SyntacticFindings:
    """The syntactic engine's findings in one module, computed on first use."""

    def __init__(self, module: Any) -> None:
        self._module = module
        self._index: dict[Key, Finding] | None = None

    def at(self, node: Any, rule: Rule) -> Finding | None:
        """The engine's finding of ``rule`` at exactly ``node``'s span, if it made one."""
        if self._index is None:
            self._index = self._build()
        span = (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)
        return self._index.get((*span, rule.code))

    def _build(self) -> dict[Key, Finding]:
        source = source_of(self._module)
        if source is None or not could_have_findings(source):
            return {}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # pylint reports the module's own warnings
                tree = ast.parse(source)
            findings = check_tree(tree, source)
        except Exception:
            # astroid parsed this source, so a failure here is an interpreter limit (nesting) or
            # an engine bug that flake8 surfaces on its own: either way, no evidence to report.
            return {}
        return {(f.line, f.col, f.end_line, f.end_col, f.code): f for f in findings}


def source_of(module: Any) -> bytes | None:
    """The bytes astroid built ``module`` from: a file, or a string given on stdin."""
    try:
        stream = module.stream()
    except OSError:
        return None
    if stream is None:
        return None
    with stream:
        data = stream.read()
    return data if isinstance(data, bytes) else str(data).encode("utf-8")
