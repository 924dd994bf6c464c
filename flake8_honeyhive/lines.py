"""Which source lines matter, and which syntax nodes span them.

A regular expression over the source finds the few lines that mention what a rule looks for; tree
walks then skip every node that spans none of them. This keeps the Python-level walk proportional
to the candidates, not to the size of the module.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left
from typing import Any


def lines_matching(
    source: str | bytes, text: re.Pattern[str], binary: re.Pattern[bytes]
) -> list[int]:
    """Sorted numbers of the lines where ``text`` (or ``binary``, for bytes) matches."""
    # Python also ends a line at a lone CR: count lines as its parser does.
    if isinstance(source, bytes):
        source = source.replace(b"\r\n", b"\n").replace(b"\r", b"\n") if b"\r" in source else source
        starts = [match.start() for match in binary.finditer(source)]
        newlines = [source.count(b"\n", a, b) for a, b in zip([0, *starts], starts, strict=False)]
    else:
        source = source.replace("\r\n", "\n").replace("\r", "\n") if "\r" in source else source
        starts = [match.start() for match in text.finditer(source)]
        newlines = [source.count("\n", a, b) for a, b in zip([0, *starts], starts, strict=False)]
    lines: list[int] = []
    line = 1
    for count in newlines:
        line += count
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def lines_containing(source: str | bytes, words: tuple[str, ...]) -> list[int]:
    """Sorted numbers of the lines where one of ``words`` occurs.

    The same lines as ``lines_matching`` with the alternation of ``words``, found with substring
    searches, which are many times faster than a regular expression of alternatives.
    """
    if isinstance(source, bytes):
        source = source.replace(b"\r\n", b"\n").replace(b"\r", b"\n") if b"\r" in source else source
        found = [m for word in words for m in _occurrences(source, word.encode())]
        newline: str | bytes = b"\n"
    else:
        source = source.replace("\r\n", "\n").replace("\r", "\n") if "\r" in source else source
        found = [m for word in words for m in _occurrences(source, word)]
        newline = "\n"
    found.sort()
    lines: list[int] = []
    line, previous = 1, 0
    for start in found:
        line += source.count(newline, previous, start)  # type: ignore[arg-type]
        previous = start
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def _occurrences(source: Any, word: Any) -> list[int]:
    starts: list[int] = []
    start = source.find(word)
    while start != -1:
        starts.append(start)
        start = source.find(word, start + 1)
    return starts


def spans_a_line(node: ast.AST, lines: list[int]) -> bool:
    """Whether ``node`` covers one of ``lines``; nodes without positions count as covering."""
    lineno: int | None = getattr(node, "lineno", None)
    if lineno is None:
        return True  # arguments, comprehensions, match cases: decided by their children
    decorators = getattr(node, "decorator_list", None)
    if decorators:
        lineno = min(lineno, decorators[0].lineno)  # `def` is on the line after its decorators
    index = bisect_left(lines, lineno)
    end: int = getattr(node, "end_lineno", None) or lineno
    return index < len(lines) and lines[index] <= end
