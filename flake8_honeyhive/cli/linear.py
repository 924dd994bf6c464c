"""Glob patterns as regular expressions that match in linear time.

Python's `re` backtracks: the glob `*a*a*a*a*a*a*a*b` as `.*a.*a.*a.*a.*a.*a.*a.*b` tries every
way of placing each `a` in a long name that does not end in `b`, which takes seconds. A glob needs
none of that. Between two stars lies a run of items that each match one character; placing a run
at its leftmost occurrence is never worse than placing it later (the stars on either side absorb
the difference), so each run is searched once and committed to with an atomic group,
`(?>.*?RUN)`. Only the run after the last star, which must end the text, is searched from the
end. Matching then takes O(len(text) * len(pattern)).

That argument needs every star of a sequence to match the same characters. A `.gitignore` pattern
may mix `*` (no `/`) with `**` (anything); such a sequence is matched by `ItemAutomaton`, which
simulates all positions at once over bytes, also in linear time.

A pattern is given as its expansions: sequences of items, each either a regex matching exactly
one character or a `Star`. Byte patterns are written as text with one character per byte
(latin-1), and encoded so when compiled. `{a,b}` alternatives and optional `**/` components are
expanded by the callers into several sequences, at most MAX_EXPANSIONS of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, NamedTuple

__all__ = [
    "MAX_EXPANSIONS",
    "Item",
    "ItemAutomaton",
    "Items",
    "Star",
    "TooComplexError",
    "linear_source",
    "mixes_stars",
    "product",
]

# `{a,b}{c,d}` expands to four sequences; a pattern beyond this many is rejected as too complex.
MAX_EXPANSIONS: Final = 1024


class TooComplexError(ValueError):
    """A pattern with more alternatives than MAX_EXPANSIONS."""


class Star(NamedTuple):
    """Any run of the characters that `char` (a one-character regex) matches."""

    char: str


Item = str | Star
Items = tuple[Item, ...]


def product(left: list[Items], right: list[Items]) -> list[Items]:
    """Every sequence of `left` followed by every sequence of `right`, without duplicates."""
    combined = list(dict.fromkeys(a + b for a in left for b in right))
    if len(combined) > MAX_EXPANSIONS:
        raise TooComplexError(f"more than {MAX_EXPANSIONS} alternatives")
    return combined


def mixes_stars(items: Sequence[Item]) -> bool:
    return len({item for item in items if isinstance(item, Star)}) > 1


def linear_source(items: Sequence[Item]) -> str:
    """The regex source (to `fullmatch`) of one sequence whose stars are all of one kind."""
    runs: list[str] = [""]
    star: Star | None = None
    for item in items:
        if isinstance(item, Star):
            if star is not None and item != star:
                raise ValueError("a sequence mixes stars of different kinds")
            star = item
            runs.append("")
        else:
            runs[-1] += item
    if star is None:
        return runs[0]
    committed = "".join(f"(?>{star.char}*?{run})" for run in runs[1:-1] if run)
    return f"{runs[0]}{committed}{star.char}*{runs[-1]}"


class ItemAutomaton:
    """A sequence of byte items matched by simulating every position at once (Thompson's way).

    Each item becomes a table of the 256 bytes it accepts. For a text of n bytes this takes
    O(n * len(items)) steps, whatever the stars.
    """

    def __init__(self, items: Sequence[Item]) -> None:
        self._accepts: list[bytes] = []
        self._star: list[bool] = []
        for item in items:
            source = item.char if isinstance(item, Star) else item
            regex = re.compile(source.encode("latin-1"), re.DOTALL)
            self._accepts.append(bytes(bool(regex.fullmatch(bytes([b]))) for b in range(256)))
            self._star.append(isinstance(item, Star))
        self._end = len(items)

    def _closure(self, states: set[int]) -> set[int]:
        # A star may match nothing: being before it means being after it too.
        pending = list(states)
        while pending:
            state = pending.pop()
            if state < self._end and self._star[state] and state + 1 not in states:
                states.add(state + 1)
                pending.append(state + 1)
        return states

    def fullmatch(self, text: bytes) -> bool:
        states = self._closure({0})
        for byte in text:
            following: set[int] = set()
            for state in states:
                if state < self._end and self._accepts[state][byte]:
                    following.add(state if self._star[state] else state + 1)
            if not following:
                return False
            states = self._closure(following)
        return self._end in states
