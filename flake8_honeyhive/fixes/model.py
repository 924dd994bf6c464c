"""Edits and fixes, and how they are applied: ruff's rules.

An edit replaces a range of the decoded source text (offsets count characters) with new text.
A fix is one or more edits that resolve one finding, applied together or not at all. Fixes are
applied in order of their first edit; a fix that overlaps one already applied waits for the next
pass (the caller lints the new text and asks again), except for edits identical to ones already
applied (two fixes adding the same import), which are applied once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, NamedTuple

__all__ = ["SAFE", "UNSAFE", "Edit", "Fix", "apply_fixes"]

# ruff's applicability names, as its JSON shows them.
SAFE: Final = "safe"
UNSAFE: Final = "unsafe"


class Edit(NamedTuple):
    """Replace text[start:end] with `content` (an insertion when start == end)."""

    start: int
    end: int
    content: str


class Fix(NamedTuple):
    """The edits that resolve one finding, what they do, and whether they keep the meaning."""

    message: str
    applicability: str
    edits: tuple[Edit, ...]

    @property
    def start(self) -> int:
        return min(edit.start for edit in self.edits)

    def applies(self, *, unsafe: bool) -> bool:
        """Whether `--fix` applies it: safe fixes always, unsafe ones with `--unsafe-fixes`."""
        return self.applicability == SAFE or unsafe


def apply_fixes(text: str, fixes: Sequence[Fix]) -> tuple[str, list[int]]:
    """`text` with as many of `fixes` applied as do not overlap, and the indices applied.

    ruff's algorithm: fixes in order of their first edit; one that starts at or before the end of
    the last edit applied waits (the caller lints again and gets it, rebased, next pass), unless
    all its edits were applied already (two fixes adding the same import).
    """
    order = sorted(range(len(fixes)), key=lambda index: (fixes[index].start, index))
    parts: list[str] = []
    applied_edits: set[Edit] = set()
    applied: list[int] = []
    position = 0
    last_end: int | None = None
    for index in order:
        edits = sorted(fixes[index].edits)
        if all(edit in applied_edits for edit in edits):
            applied.append(index)
            continue
        if last_end is not None and last_end >= edits[0].start:
            continue
        for edit in edits:
            if edit in applied_edits:
                continue
            parts.append(text[position : edit.start])
            parts.append(edit.content)
            position = edit.end
            last_end = edit.end
            applied_edits.add(edit)
        applied.append(index)
    parts.append(text[position:])
    return "".join(parts), sorted(applied)
