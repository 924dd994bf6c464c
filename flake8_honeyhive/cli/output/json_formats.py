"""ruff's `json` (one array) and `json-lines` (one object per line) formats."""

from __future__ import annotations

import json
from typing import Any

from flake8_honeyhive.cli.diagnostics import Diagnostic, SourceText
from flake8_honeyhive.cli.output import Report, printable
from flake8_honeyhive.fixes.text import SourceMap

__all__ = ["as_json", "fix_json", "json_array", "json_lines"]


def fix_json(
    report: Report, diagnostic: Diagnostic, maps: dict[str, SourceMap] | None = None
) -> dict[str, Any] | None:
    """The fix in ruff's JSON shape: its applicability, message, and edits with 1-based
    locations (columns in characters) in the file as it is."""
    fix = diagnostic.fix
    if fix is None:
        return None
    maps = {} if maps is None else maps
    source = maps.get(diagnostic.path)
    if source is None:
        text = SourceText(report.sources.get(diagnostic.path, b"")).text
        source = maps[diagnostic.path] = SourceMap(text)
    edits = []
    for edit in fix.edits:
        row, column = source.position(edit.start)
        end_row, end_column = source.position(edit.end)
        edits.append(
            {
                "content": edit.content,
                "end_location": {"column": end_column, "row": end_row},
                "location": {"column": column, "row": row},
            }
        )
    return {"applicability": fix.applicability, "edits": edits, "message": fix.message}


def as_json(
    report: Report, diagnostic: Diagnostic, maps: dict[str, SourceMap] | None = None
) -> dict[str, Any]:
    """One diagnostic in ruff's JSON shape (keys sorted as ruff emits them)."""
    return {
        "cell": None,
        "code": diagnostic.code,
        "end_location": {"column": diagnostic.end_column, "row": diagnostic.end_line},
        "filename": printable(diagnostic.path),
        "fix": fix_json(report, diagnostic, maps),
        "location": {"column": diagnostic.column, "row": diagnostic.line},
        "message": diagnostic.message,
        "name": diagnostic.name,
        "noqa_row": diagnostic.noqa_row,
        "severity": "error",
        "url": diagnostic.url,
    }


def json_array(report: Report) -> str:
    maps: dict[str, SourceMap] = {}
    data = [as_json(report, d, maps) for d in report.diagnostics]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def json_lines(report: Report) -> str:
    maps: dict[str, SourceMap] = {}
    return "".join(
        json.dumps(as_json(report, d, maps), ensure_ascii=False, separators=(",", ":")) + "\n"
        for d in report.diagnostics
    )
