"""ruff's `full` format: each diagnostic with two lines of context and its span underlined.

    HH001 session id passed to `tracer.enrich_session()` ...
     --> app.py:3:1
      |
    1 | from honeyhive import HoneyHiveTracer
    2 | t = HoneyHiveTracer.init()
    3 | t.enrich_session(session_id="x")
      | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
    4 | print("done")
      |

A span over several lines is drawn like ruff draws it, with `/`, `|` and `_` in a margin column.
A diagnostic with a fix is followed by the fix's `help:` line and the lines it changes, and a
note when it is unsafe, as ruff shows them.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from typing import TYPE_CHECKING

from flake8_honeyhive.cli.diagnostics import Diagnostic, SourceText, split_lines
from flake8_honeyhive.cli.output import BOLD, GREEN, RED, Report
from flake8_honeyhive.cli.output.text import body
from flake8_honeyhive.fixes.model import UNSAFE, Fix, apply_fixes

if TYPE_CHECKING:
    from flake8_honeyhive.fixes.text import SourceMap

__all__ = ["full"]

CONTEXT_LINES = 2
TAB = "    "


def _width(text: str) -> int:
    """Terminal columns taken by `text` (wide East Asian characters take two)."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
    )


def _snippet(diagnostic: Diagnostic, source: SourceText) -> list[str]:
    lines = source.lines
    count = len(lines) - 1 if lines and lines[-1] == "" else len(lines)
    start, end = diagnostic.line, max(diagnostic.end_line, diagnostic.line)
    first = max(1, start - CONTEXT_LINES)
    last = max(min(count, end + CONTEXT_LINES), start)
    gutter = " " * len(str(last))
    multiline = end > start
    start_col, end_col = diagnostic.column - 1, diagnostic.end_column - 1
    out = [f"{gutter} |"]
    for row in range(first, last + 1):
        raw = source.line(row)
        text = raw.replace("\t", TAB)
        before_start = _width(raw[:start_col].replace("\t", TAB))
        margin = ""
        if multiline:
            if row == start:
                margin = "/ " if not raw[:start_col].strip() else "  "
            elif start < row <= end:
                margin = "| "
            else:
                margin = "  "
        out.append(f"{row:>{len(gutter)}} | {margin}{text}".rstrip())
        if not multiline and row == start:
            span = max(_width(raw[start_col:end_col].replace("\t", TAB)), 1)
            out.append(f"{gutter} | {' ' * before_start}{'^' * span}")
        elif multiline and row == start and margin == "  ":
            out.append(f"{gutter} |  {'_' * (before_start + 1)}^")
        elif multiline and row == end:
            out.append(f"{gutter} | |{'_' * _width(raw[:end_col].replace(chr(9), TAB))}^")
    if last > end:
        out.append(f"{gutter} |")
    return out


def _fix_diff(report: Report, fix: Fix, source: SourceMap) -> list[str]:
    """The fix as ruff shows it under `help:`: changed lines with one line of context, numbered
    as in the fixed file, removed lines marked `-` and added ones `+`."""
    first_row, old_lines, new_lines = _fixed_stretch(fix, source)
    groups = _changed_groups(old_lines, new_lines)
    last = max((group[-1][4] for group in groups), default=0) + first_row
    width = len(str(max(last, 1)))
    blank = " " * width
    out = [f"{blank} |"]
    for index, group in enumerate(groups):
        if index:
            out.append(f"{blank} ...")
        for tag, old_start, old_end, new_start, new_end in group:
            if tag == "equal":
                for row in range(new_start, new_end):
                    line = _shown(new_lines[row])
                    out.append(f"{first_row + row + 1:>{width}} | {line}".rstrip())
                continue
            for line in old_lines[old_start:old_end]:
                out.append(report.paint(f"{blank} - {_shown(line)}".rstrip(), RED))
            for row in range(new_start, new_end):
                line = _shown(new_lines[row])
                out.append(report.paint(f"{first_row + row + 1:>{width}} + {line}", GREEN))
    out.append(f"{blank} |")
    return out


def _fixed_stretch(fix: Fix, source: SourceMap) -> tuple[int, list[str], list[str]]:
    """The whole lines from the one before the fix's first edit to the one after its last, before
    and after the fix, and how many lines come before them: a fix changes a few lines of a file
    of any size, and the lines outside this stretch are the same in both."""
    starts, text = source.line_starts, source.text
    first = max(bisect_right(starts, fix.start) - 2, 0)  # one line of context before
    after = bisect_right(starts, max(edit.end for edit in fix.edits)) + 1  # and one after
    start, end = starts[first], starts[after] if after < len(starts) else len(text)
    edits = tuple(
        edit._replace(start=edit.start - start, end=edit.end - start) for edit in fix.edits
    )
    stretch = text[start:end]
    fixed = apply_fixes(stretch, [fix._replace(edits=edits)])[0]
    return first, _lines(stretch), _lines(fixed)


def _lines(text: str) -> list[str]:
    lines = split_lines(text)
    return lines[:-1] if lines and lines[-1] == "" else lines


# Above this many lines between the first and the last change, lines that occur very often (blank
# lines, closing brackets) are not used as anchors: finding the longest match is quadratic in them.
_EXACT_DIFF_LINES = 1000


def _changed_groups(old: list[str], new: list[str]) -> list[list[tuple[str, int, int, int, int]]]:
    """`SequenceMatcher.get_grouped_opcodes(1)` of the two texts, compared only from the first
    line that differs to the last (a fix changes a few lines of a file of any size)."""
    limit = min(len(old), len(new))
    head = 0
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    old_last, new_last = len(old) - tail, len(new) - tail  # the changed lines end here
    if old_last - head <= 1 and new_last - head <= 1 and (old_last, new_last) != (head, head):
        # One line replaced, removed or added (most fixes): what the matcher would say, without it.
        removed, added = old_last > head, new_last > head
        tag = "replace" if removed and added else "delete" if removed else "insert"
        group = [("equal", head - 1, head, head - 1, head)] if head else []
        group.append((tag, head, old_last, head, new_last))
        if tail:
            group.append(("equal", old_last, old_last + 1, new_last, new_last + 1))
        return [group]
    import difflib  # noqa: PLC0415 (only a fix changing several lines needs it)

    start = max(head - 1, 0)  # one line of context on each side
    old_end, new_end = min(old_last + 1, len(old)), min(new_last + 1, len(new))
    exact = old_end - start <= _EXACT_DIFF_LINES
    matcher = difflib.SequenceMatcher(
        None, old[start:old_end], new[start:new_end], autojunk=not exact
    )
    return [
        [(tag, a + start, b + start, c + start, d + start) for tag, a, b, c, d in group]
        for group in matcher.get_grouped_opcodes(1)
    ]


def _shown(line: str) -> str:
    return line.replace("\t", TAB)


def full(report: Report) -> str:
    blocks: list[str] = []
    texts: dict[str, SourceText] = {}
    for diagnostic in report.diagnostics:
        path = report.display_path(diagnostic.path)
        source = report.sources.get(diagnostic.path)
        lines = [body(report, diagnostic)]
        text = None
        if source is None:
            lines.append(f" --> {path}:{diagnostic.line}:{diagnostic.column}")
        else:
            text = texts.setdefault(diagnostic.path, SourceText(source))
            snippet = _snippet(diagnostic, text)
            gutter = " " * (len(snippet[0]) - 2)
            lines.append(f"{gutter}--> {path}:{diagnostic.line}:{diagnostic.column}")
            lines.extend(snippet)
        fix = diagnostic.fix
        if fix is not None:
            lines.append(f"{report.paint('help', BOLD)}: {fix.message}")
            if text is not None:
                lines.extend(_fix_diff(report, fix, text.source_map))
            if fix.applicability == UNSAFE:
                lines.append("note: This is an unsafe fix and may change runtime behavior")
        blocks.append("\n".join(lines) + "\n\n")
    return "".join(blocks)
