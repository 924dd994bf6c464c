"""One-line-per-diagnostic formats: `concise`, `grouped`, `pylint` and `github`."""

from __future__ import annotations

from flake8_honeyhive.cli.diagnostics import Diagnostic
from flake8_honeyhive.cli.output import BOLD, BOLD_RED, CYAN, UNDERLINE, Report, printable

__all__ = ["body", "concise", "github", "grouped", "pylint"]

TOOL = "honeyhive-lint"


def body(report: Report, diagnostic: Diagnostic) -> str:
    """`HH001 [*] message` (`[*]`: `--fix` fixes it), or `SyntaxError: ...` for a file that could
    not be checked."""
    if not diagnostic.code:
        return diagnostic.message
    paint = report.paint
    star = f"[{paint('*', CYAN)}] " if report.applicable(diagnostic) else ""
    return f"{paint(diagnostic.code, BOLD_RED)} {star}{diagnostic.message}"


def _concise_line(report: Report, diagnostic: Diagnostic) -> str:
    paint = report.paint
    colon = paint(":", CYAN)
    path = paint(report.display_path(diagnostic.path), BOLD)
    position = f"{diagnostic.line}{colon}{diagnostic.column}"
    return f"{path}{colon}{position}{colon} {body(report, diagnostic)}"


def concise(report: Report) -> str:
    """`path:row:col: HH001 message`"""
    return "".join(f"{_concise_line(report, d)}\n" for d in report.diagnostics)


def grouped(report: Report) -> str:
    """ruff's `grouped`: each file's name, then its diagnostics as `row:col CODE message`."""
    blocks = []
    by_path: dict[str, list[Diagnostic]] = {}
    for diagnostic in report.diagnostics:
        by_path.setdefault(diagnostic.path, []).append(diagnostic)
    for path, diagnostics in by_path.items():
        row_width = max(len(str(d.line)) for d in diagnostics)
        column_width = max(len(str(d.column)) for d in diagnostics)
        lines = [f"{report.paint(report.display_path(path), UNDERLINE)}:"]
        for d in diagnostics:
            position = f"{d.line:>{row_width}}:{d.column:<{column_width}}"
            lines.append(f"  {position} {body(report, d)}")
        blocks.append("\n".join(lines) + "\n\n")
    return "".join(blocks)


def pylint(report: Report) -> str:
    """`path:row: [HH001] message`, which pylint-aware tools parse."""
    return "".join(
        f"{report.display_path(d.path)}:{d.line}: [{d.label}] {d.message}\n"
        for d in report.diagnostics
    )


def _plain_line(report: Report, diagnostic: Diagnostic) -> str:
    """`path:row:col: HH001 message`, without colours or fix marks (as ruff's `github`)."""
    path = report.display_path(diagnostic.path)
    text = f"{diagnostic.code} {diagnostic.message}" if diagnostic.code else diagnostic.message
    return f"{path}:{diagnostic.line}:{diagnostic.column}: {text}"


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
        text = _plain_line(report, d)
        if d.fix is not None:
            text += f"\n  help: {d.fix.message}"
        lines.append(f"::error {properties}::{_escape_data(text)}\n")
    return "".join(lines)
