"""Checking one file: the rule engine, then rule selection, then `# noqa`.

This runs in worker processes too, so its inputs and outputs are plain picklable data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from flake8_honeyhive.cli.diagnostics import Diagnostic, SourceText, error_diagnostic
from flake8_honeyhive.cli.noqa import NoqaWarning, Suppressions, continued_rows
from flake8_honeyhive.prefilter import could_have_findings
from flake8_honeyhive.rules import ENGINE_RULES, HH100

__all__ = ["FileJob", "FileOutcome", "lint_chunk", "lint_file", "needs_checking"]

# Without this word anywhere in the file there is no `noqa` comment to honour, and no need to
# tokenize the file to find its comments.
_NOQA = re.compile(rb"noqa", re.IGNORECASE)
# A `noqa` comment that may name an HH code: what HH100 judges.
_HH_NOQA = re.compile(rb"(?i:noqa)[^\r\n]*HH\d")
# A finding can sit on any row of an f-string that spans rows, not only on a row showing its
# quotes: a triple-quoted one, or (Python 3.12+) a single-quoted one whose `{` field a row ends in
# (quotes may come before it: `f"{d['k']} {`). Only a gate for tokenizing: extra matches cost time.
_MULTILINE_FSTRING = re.compile(
    r"(?<!\w)(?:[rR]?[fF]|[fF][rR])(?:\"{3}|'{3}|[\"'][^\n]*\{[^}\n]*$)", re.MULTILINE
)


_ENGINE_CODES = frozenset(ENGINE_RULES)


@dataclass(frozen=True, slots=True)
class FileJob:
    path: str
    source: bytes
    enabled: frozenset[str]
    ignore_noqa: bool = False  # `--ignore-noqa`: every finding is reported, and HH100 is off


def needs_checking(source: bytes, enabled: frozenset[str]) -> bool:
    """False when the file cannot yield a diagnostic: a microsecond test on its bytes."""
    if could_have_findings(source):
        return True
    return HH100.code in enabled and _HH_NOQA.search(source) is not None


@dataclass(frozen=True, slots=True)
class FileOutcome:
    path: str
    diagnostics: tuple[Diagnostic, ...] = ()
    warnings: tuple[NoqaWarning, ...] = ()


def lint_file(job: FileJob) -> FileOutcome:
    # Imported here: the engine loads with the first file that needs parsing, and most runs over a
    # large repository parse none.
    from flake8_honeyhive.checker import check_source  # noqa: PLC0415

    try:
        findings = check_source(job.source, job.path) if job.enabled & _ENGINE_CODES else []
    except Exception as error:  # whatever happens, no input file may crash the command
        return FileOutcome(job.path, (error_diagnostic(job.path, SourceText(job.source), error),))
    findings = [finding for finding in findings if finding.code in job.enabled]
    hygiene = (
        HH100.code in job.enabled
        and not job.ignore_noqa
        and _HH_NOQA.search(job.source) is not None
    )
    if not findings and not hygiene:
        return FileOutcome(job.path)
    text = SourceText(job.source)
    suppressions = None
    if not job.ignore_noqa and _NOQA.search(job.source):
        suppressions = Suppressions(text.text, text.lines)
    # A finding on a row continued with a backslash, or in a string spanning rows, takes its `noqa`
    # from a later row. Tokenizing costs more than parsing: do it only where a comment may be
    # honoured, or where such a span may hold a finding.
    continued = {}
    if (
        suppressions is not None
        or any(_may_continue(text.line(finding.line)) for finding in findings)
        or _MULTILINE_FSTRING.search(text.text)
    ):
        continued = continued_rows(text.text)
    diagnostics: list[Diagnostic] = []
    warnings: dict[int, NoqaWarning] = {}
    used: set[tuple[int, str]] = set()  # (row, code) that a line directive suppressed
    for finding in findings:
        noqa_row = continued.get(finding.line, finding.line)
        if suppressions is not None:
            suppressed, warning = suppressions.suppresses(finding.code, noqa_row)
            if warning is not None:
                warnings[warning.row] = warning
            if suppressed:
                if not suppressions.exempts(finding.code):
                    used.add((noqa_row, finding.code))
                continue
        diagnostics.append(
            Diagnostic(
                path=job.path,
                line=finding.line,
                column=text.char_column(finding.line, finding.col) + 1,
                end_line=finding.end_line,
                end_column=text.char_column(finding.end_line, finding.end_col) + 1,
                code=finding.code,
                name=finding.rule.symbol,
                message=finding.message,
                noqa_row=noqa_row,
            )
        )
    if hygiene and suppressions is not None:
        from flake8_honeyhive.cli.unused_noqa import unused_noqa  # noqa: PLC0415

        diagnostics += unused_noqa(job.path, suppressions, used, job.enabled)
        diagnostics.sort(key=_position)
    if suppressions is not None:
        # A misplaced or invalid file exemption matters only where it failed to suppress.
        warnings.update({w.row: w for w in suppressions.warnings if diagnostics})
    return FileOutcome(job.path, tuple(diagnostics), tuple(sorted(warnings.values(), key=_row)))


def _position(diagnostic: Diagnostic) -> tuple[int, int]:
    return diagnostic.line, diagnostic.column


def _may_continue(line: str) -> bool:
    return line.endswith("\\") or '"""' in line or "'''" in line


def _row(warning: NoqaWarning) -> int:
    return warning.row


def lint_chunk(jobs: Sequence[FileJob]) -> list[FileOutcome]:
    """The unit of work sent to a worker process."""
    return [lint_file(job) for job in jobs]
