"""A finding: one rule violation at one place in one source file."""

from __future__ import annotations

from typing import NamedTuple

from flake8_honeyhive.rules import Rule


class Finding(NamedTuple):
    """Positions follow ``ast``: lines are 1-based, columns are 0-based UTF-8 offsets.

    ``args`` fill the rule's message template; pylint formats its own messages from them.
    Findings sort by position, then by rule (its code first), then by ``args``.
    """

    line: int
    col: int
    end_line: int
    end_col: int
    rule: Rule
    args: tuple[tuple[str, str], ...] = ()

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def message(self) -> str:
        """The message body, without the leading code."""
        return self.rule.format(**dict(self.args))

    @property
    def text(self) -> str:
        """``HH001 message``, the form flake8 and the SDK's warnings print."""
        return f"{self.rule.code} {self.message}"
