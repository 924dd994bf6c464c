"""HH100: `# noqa` directives whose HH codes suppress nothing, as ruff's RUF100 judges its own.

Only HH codes are judged (other tools' codes belong to them, and so do blanket `# noqa`
comments), and only in valid directives (an invalid one already warns). A directive that names
HH100 itself is left alone, as ruff leaves one naming RUF100.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Final

from flake8_honeyhive.cli.diagnostics import Diagnostic
from flake8_honeyhive.cli.noqa import Suppressions
from flake8_honeyhive.rules import HH100, RULES, UNUSED_NOQA_DETAILS

__all__ = ["unused_noqa"]

_OURS: Final = re.compile(r"HH\d+")


def unused_noqa(
    path: str,
    suppressions: Suppressions,
    used: Collection[tuple[int, str]],
    enabled: Collection[str],
) -> list[Diagnostic]:
    """HH100 for each directive with HH codes that suppressed nothing: `used` holds the (row,
    code) pairs whose findings a line directive suppressed, `enabled` the file's rules."""
    if suppressions.exempts(HH100.code):
        return []
    diagnostics = []
    for comment, directive in suppressions.directives():
        codes = [span.code for span in directive.codes if _OURS.fullmatch(span.code)]
        if not codes or HH100.code in codes:
            continue
        details: dict[str, list[str]] = {kind: [] for kind in UNUSED_NOQA_DETAILS}
        seen: set[str] = set()
        for code in codes:
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
            )
        )
    return diagnostics
