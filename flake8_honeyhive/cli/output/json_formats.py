"""ruff's `json` (one array) and `json-lines` (one object per line) formats."""

from __future__ import annotations

import json
from typing import Any

from flake8_honeyhive.cli.diagnostics import Diagnostic
from flake8_honeyhive.cli.output import Report, printable

__all__ = ["as_json", "json_array", "json_lines"]


def as_json(diagnostic: Diagnostic) -> dict[str, Any]:
    """One diagnostic in ruff's JSON shape (keys sorted as ruff emits them)."""
    return {
        "cell": None,
        "code": diagnostic.code,
        "end_location": {"column": diagnostic.end_column, "row": diagnostic.end_line},
        "filename": printable(diagnostic.path),
        "fix": None,
        "location": {"column": diagnostic.column, "row": diagnostic.line},
        "message": diagnostic.message,
        "name": diagnostic.name,
        "noqa_row": diagnostic.noqa_row,
        "severity": "error",
        "url": diagnostic.url,
    }


def json_array(report: Report) -> str:
    return json.dumps([as_json(d) for d in report.diagnostics], indent=2, ensure_ascii=False) + "\n"


def json_lines(report: Report) -> str:
    return "".join(
        json.dumps(as_json(d), ensure_ascii=False, separators=(",", ":")) + "\n"
        for d in report.diagnostics
    )
