"""Checking one file: the rule engine, then rule selection, then `# noqa`, then the fixes.

This runs in worker processes too, so its inputs and outputs are plain picklable data. With
`--fix`, the file is fixed here as well (see `fixing`), and the outcome carries the new bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from flake8_honeyhive.cli.diagnostics import Diagnostic, SourceText, error_diagnostic
from flake8_honeyhive.cli.noqa import NoqaWarning, Suppressions, continued_rows
from flake8_honeyhive.prefilter import could_have_findings
from flake8_honeyhive.rules import ENGINE_RULES, HH100, SESSION_ATTRIBUTES, rebind_usage

if TYPE_CHECKING:
    from flake8_honeyhive.findings import Finding
    from flake8_honeyhive.project import Summaries

__all__ = [
    "FileJob",
    "FileOutcome",
    "lint_chunk",
    "lint_file",
    "lint_source",
    "names_hh_in_noqa",
    "needs_checking",
]

# A `noqa` comment that may name an HH code: what HH100 judges.
_HH_NOQA = re.compile(rb"(?i:noqa)[^\r\n]*HH\d")
# A finding can sit on any row of an f-string that spans rows, not only on a row showing its
# quotes: a triple-quoted one, or (Python 3.12+) a single-quoted one whose `{` field a row ends in
# (quotes may come before it: `f"{d['k']} {`). Only a gate for tokenizing: extra matches cost time.
# (`rf`, `fr` or `f`, not ending a longer word: written to start with a character class, which
# the regular expression engine scans for quickly; a leading look-behind made it five times slower.)
_MULTILINE_FSTRING = re.compile(
    r"[rRfF](?<!\w.)(?:(?<=[rR])[fF]|(?<=[fF])[rR]?)(?:\"{3}|'{3}|[\"'][^\n]*\{[^}\n]*$)",
    re.MULTILINE,
)


_ENGINE_CODES = frozenset(ENGINE_RULES)


class FileJob(NamedTuple):
    path: str
    source: bytes
    enabled: frozenset[str]
    ignore_noqa: bool = False  # `--ignore-noqa`: every finding is reported, and HH100 is off
    # `--fix`: None (report only), or the fixes to apply: "safe", or "unsafe" (safe ones too).
    fix: str | None = None
    # The summaries of the checked modules it imports (see `crossmodule`), and its package.
    project: Summaries = ()
    package: str = ""


def needs_checking(source: bytes, enabled: frozenset[str], *, anywhere: bool = False) -> bool:
    """False when the file cannot yield a diagnostic: a microsecond test on its bytes (with
    `anywhere`, for a file checked with other modules' summaries: see `could_have_findings`)."""
    if could_have_findings(source, anywhere=anywhere):
        return True
    return HH100.code in enabled and names_hh_in_noqa(source)


def names_hh_in_noqa(source: bytes) -> bool:
    """Whether a `noqa` comment may name an HH code (what HH100 judges). A case-insensitive
    expression has no fast search, so the code's letters are looked for first."""
    return b"HH" in source and _HH_NOQA.search(source) is not None


class FileOutcome(NamedTuple):
    path: str
    diagnostics: tuple[Diagnostic, ...] = ()
    warnings: tuple[NoqaWarning, ...] = ()
    # With `--fix`: how many findings of each code were fixed, and the fixed bytes (None when
    # nothing changed). The diagnostics are then those of the fixed bytes.
    fixed: tuple[tuple[str, int], ...] = ()
    fixed_source: bytes | None = None
    problems: tuple[str, ...] = ()  # fixes that could not be applied, for a warning


def lint_file(job: FileJob) -> FileOutcome:
    # Imported here: the engine loads with the first file that needs parsing.
    from flake8_honeyhive.checker import collector_paused  # noqa: PLC0415

    # Paused until the file's tree is freed, which happens when the call below returns.
    with collector_paused():
        if job.fix is None:
            return lint_source(job, job.source)
        from flake8_honeyhive.cli.fixing import fix_file  # noqa: PLC0415

        return fix_file(job)


def lint_source(job: FileJob, source: bytes) -> FileOutcome:
    """The diagnostics of `source` (the job's file, or a fixed version of it), with their fixes."""
    # Imported here: the engine loads with the first file that needs parsing, and most runs over a
    # large repository parse none.
    from flake8_honeyhive.checker import Checked, check_module  # noqa: PLC0415

    project = None
    if job.project:
        from flake8_honeyhive.project import Project  # noqa: PLC0415

        project = Project(dict(job.project))
    try:
        checked = Checked([], None)
        if job.enabled & _ENGINE_CODES:
            checked = check_module(source, job.path, project=project, package=job.package)
    except Exception as error:  # whatever happens, no input file may crash the command
        return FileOutcome(job.path, (error_diagnostic(job.path, SourceText(source), error),))
    findings = [finding for finding in checked.findings if finding.code in job.enabled]
    hygiene = HH100.code in job.enabled and not job.ignore_noqa and names_hh_in_noqa(source)
    if not findings and not hygiene:
        return FileOutcome(job.path)
    text = SourceText(source)
    suppressions = None
    if not job.ignore_noqa and _mentions_noqa(source):
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
    reported: list[Finding] = []
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
        reported.append(finding)
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
    if text.encoding is not None and any(map(_may_have_a_fix, reported)):
        from flake8_honeyhive.fixes.autofix import compute_fixes  # noqa: PLC0415

        fixes = compute_fixes(text.source_map, reported, checked.tree)
        diagnostics = [d._replace(fix=fix) for d, fix in zip(diagnostics, fixes, strict=True)]
    if hygiene and suppressions is not None:
        from flake8_honeyhive.cli.unused_noqa import unused_noqa  # noqa: PLC0415

        diagnostics += unused_noqa(job.path, text, suppressions, used, job.enabled)
        diagnostics.sort(key=_position)
    if suppressions is not None:
        # A misplaced or invalid file exemption matters only where it failed to suppress.
        warnings.update({w.row: w for w in suppressions.warnings if diagnostics})
    return FileOutcome(job.path, tuple(diagnostics), tuple(sorted(warnings.values(), key=_row)))


# Assigning `tracer.session_id` has no fix: a file with only those is not parsed again for fixes.
_REBINDS = frozenset(("usage", rebind_usage(attribute)) for attribute in SESSION_ATTRIBUTES)


def _may_have_a_fix(finding: Finding) -> bool:
    return not _REBINDS.intersection(finding.args)


def _position(diagnostic: Diagnostic) -> tuple[int, int]:
    return diagnostic.line, diagnostic.column


def _mentions_noqa(source: bytes) -> bool:
    """Without this word anywhere in the file (in any case) there is no `noqa` comment to honour,
    and no need to tokenize the file to find its comments. (A case-insensitive regular expression
    has no fast search for a word: lowering a copy and searching it is five times faster.)"""
    return b"noqa" in source.lower()


def _may_continue(line: str) -> bool:
    return line.endswith("\\") or '"""' in line or "'''" in line


def _row(warning: NoqaWarning) -> int:
    return warning.row


def lint_chunk(jobs: Sequence[FileJob]) -> list[FileOutcome]:
    """The unit of work sent to a worker process."""
    return [lint_file(job) for job in jobs]
