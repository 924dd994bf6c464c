"""HH100: `# noqa` directives whose HH codes suppress nothing, as ruff's RUF100 judges its own.

Only HH codes are judged (other tools' codes belong to them, and so do blanket `# noqa`
comments), and only in valid directives (an invalid one already warns). A directive that names
HH100 itself is left alone, as ruff leaves one naming RUF100.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Final

from flake8_honeyhive.cli.diagnostics import Diagnostic, SourceText
from flake8_honeyhive.cli.noqa import Comment, DirectiveText, Suppressions
from flake8_honeyhive.fixes.model import SAFE, Edit, Fix
from flake8_honeyhive.fixes.text import SourceMap
from flake8_honeyhive.rules import FIX_REMOVE_NOQA, HH100, RULES, UNUSED_NOQA_DETAILS

__all__ = ["unused_noqa"]

_OURS: Final = re.compile(r"HH\d+")


def unused_noqa(
    path: str,
    text: SourceText,
    suppressions: Suppressions,
    used: Collection[tuple[int, str]],
    enabled: Collection[str],
) -> list[Diagnostic]:
    """HH100 for each directive with HH codes that suppressed nothing: `used` holds the (row,
    code) pairs whose findings a line directive suppressed, `enabled` the file's rules."""
    if suppressions.exempts(HH100.code):
        return []
    source = text.source_map
    diagnostics = []
    for comment, directive in suppressions.directives():
        codes = [span.code for span in directive.codes if _OURS.fullmatch(span.code)]
        if not codes or HH100.code in codes:
            continue
        details: dict[str, list[str]] = {kind: [] for kind in UNUSED_NOQA_DETAILS}
        seen: set[str] = set()
        keep: list[str] = []  # the directive's codes once the unused ones are removed
        for span in directive.codes:
            code = span.code
            if not _OURS.fullmatch(code):
                keep.append(code)
                continue
            if code in seen:
                kind = "duplicated"
            elif code not in RULES:
                kind = "unknown"
            elif code not in enabled:
                kind = "non-enabled"
            elif (comment.row, code) not in used:
                kind = "unused"
            else:
                kind = ""
            seen.add(code)
            if kind:
                details[kind].append(code)
            else:
                keep.append(code)
        if not any(details.values()):
            continue
        detail = "; ".join(
            f"{kind}: {', '.join(f'`{code}`' for code in found)}"
            for kind, found in details.items()
            if found
        )
        diagnostics.append(
            Diagnostic(
                path=path,
                line=comment.row,
                column=comment.column + directive.start + 1,
                end_line=comment.row,
                end_column=comment.column + directive.end + 1,
                code=HH100.code,
                name=HH100.symbol,
                message=HH100.format(detail=detail),
                noqa_row=comment.row,
                fix=_removal(source, comment, directive, keep),
            )
        )
    return diagnostics


def _removal(source: SourceMap, comment: Comment, directive: DirectiveText, keep: list[str]) -> Fix:
    """The codes that suppress nothing taken out of the directive, or the whole directive (with
    the reason after it) when nothing is left; a comment after it stays."""
    comment_start = source.char_offset(comment.row, comment.column)
    start = comment_start + directive.start
    end = comment_start + directive.end
    if keep:
        edit = Edit(start, end, f"# noqa: {', '.join(keep)}")
        return Fix(FIX_REMOVE_NOQA, SAFE, (edit,))
    comment_end = comment_start + len(comment.text)
    following = comment.text.find("#", directive.end)
    if following != -1:  # another comment follows the directive: keep it
        edit = Edit(start, comment_start + following, "")
    else:
        while start > 0 and source.text[start - 1] in " \t":
            start -= 1
        line_start = source.line_start(start)
        if start == line_start and comment_end == source.line_end(comment_end):
            edit = Edit(line_start, source.after_line(comment_end), "")  # a line of its own
        else:
            edit = Edit(start, comment_end, "")
    return Fix(FIX_REMOVE_NOQA, SAFE, (edit,))
