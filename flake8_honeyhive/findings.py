"""A finding: one rule violation at one place in one source file."""

from __future__ import annotations

from dataclasses import dataclass

from honeyhive.rules import Rule


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """Positions follow ``ast``: lines are 1-based, columns are 0-based UTF-8 offsets."""

    line: int
    col: int
    end_line: int
    end_col: int
    rule: Rule
    message: str

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def text(self) -> str:
        """``HH001 message``, the form flake8 and the SDK's warnings print."""
        return f"{self.rule.code} {self.message}"
