"""One-line-per-diagnostic formats: `concise` (the default), `pylint` and `github`."""

from __future__ import annotations

from flake8_honeyhive.cli.diagnostics import Diagnostic
from flake8_honeyhive.cli.output import Report, printable

__all__ = ["body", "concise", "github", "pylint"]

TOOL = "honeyhive-lint"


def body(diagnostic: Diagnostic) -> str:
    """`HH001 message`, or `SyntaxError: ...` for a file that could not be checked."""
    if diagnostic.code:
        return f"{diagnostic.code} {diagnostic.message}"
    return diagnostic.message


def _concise_line(report: Report, diagnostic: Diagnostic) -> str:
    path = report.display_path(diagnostic.path)
    return f"{path}:{diagnostic.line}:{diagnostic.column}: {body(diagnostic)}"


def concise(report: Report) -> str:
    """`path:row:col: HH001 message`"""
    return "".join(f"{_concise_line(report, d)}\n" for d in report.diagnostics)


def pylint(report: Report) -> str:
    """`path:row: [HH001] message`, which pylint-aware tools parse."""
    return "".join(
        f"{report.display_path(d.path)}:{d.line}: [{d.label}] {d.message}\n"
        for d in report.diagnostics
    )


def _escape_data(text: str) -> str:
    # GitHub workflow commands: https://github.com/actions/toolkit (command.ts, escapeData).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(report: Report) -> str:
    """GitHub Actions annotations: `::error title=...,file=...,line=...::message`."""
    lines = []
    for d in report.diagnostics:
        properties = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("title", f"{TOOL} ({d.label})"),
                ("file", printable(d.path)),
                ("line", d.line),
                ("col", d.column),
                ("endLine", d.end_line),
                ("endColumn", d.end_column),
            )
        )
        lines.append(f"::error {properties}::{_escape_data(_concise_line(report, d))}\n")
    return "".join(lines)
