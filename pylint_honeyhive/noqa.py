"""`# noqa: HH001` in pylint: one suppression comment for all three front ends.

flake8 and `honeyhive-lint` honour `# noqa` comments; pylint has its own `# pylint: disable=`,
which this leaves alone. The plugin reads the module's comments the way `honeyhive-lint` does
(the same parser, the same row for a finding inside a continued statement or a string spanning
rows, the same file exemptions `# ruff: noqa` and `# flake8: noqa`), and drops a message of ours
that such a comment suppresses. The comments are read only when a message is about to be issued.
"""

from __future__ import annotations

from typing import Any

from flake8_honeyhive.cli.diagnostics import SourceText
from flake8_honeyhive.cli.noqa import Suppressions, continued_rows
from pylint_honeyhive.fallback import source_of

__all__ = ["NoqaComments"]


class NoqaComments:
    """The `# noqa` comments of one module, read on first use."""

    def __init__(self, module: Any) -> None:
        self._module = module
        self._read = False
        self._suppressions: Suppressions | None = None
        self._continued: dict[int, int] = {}

    def suppresses(self, code: str, line: int) -> bool:
        """Whether a comment suppresses `code` for a finding that starts on `line`."""
        if not self._read:
            self._read = True
            self._load()
        if self._suppressions is None:
            return False
        row = self._continued.get(line, line)
        suppressed, _warning = self._suppressions.suppresses(code, row)
        return suppressed

    def _load(self) -> None:
        source = source_of(self._module)
        if source is None or b"noqa" not in source.lower():
            return
        text = SourceText(source)
        self._suppressions = Suppressions(text.text, text.lines)
        self._continued = continued_rows(text.text)
