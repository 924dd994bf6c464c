"""What `--fix`, `--diff` and `--add-noqa` do to files: write them, show them, add directives."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Protocol

from flake8_honeyhive.cli.diagnostics import Diagnostic, SourceText
from flake8_honeyhive.cli.lint import FileOutcome
from flake8_honeyhive.cli.noqa import NoqaError, Suppressions, locate_inline
from flake8_honeyhive.cli.output import Report
from flake8_honeyhive.cli.streams import ErrorOutput, error, warn
from flake8_honeyhive.fixes.model import SAFE, Edit, Fix, apply_fixes
from flake8_honeyhive.rules import HH100

__all__ = ["add_noqa", "print_fixed_stdin", "unified_diff", "write_fixes"]


class Writer(Protocol):
    def write(self, text: str) -> None: ...


def write_fixes(outcomes: Sequence[FileOutcome], report: Report) -> bool:
    """Write each fixed file in place; False if one could not be written (an error says why)."""
    written = True
    for outcome in outcomes:
        assert outcome.fixed_source is not None
        if not _write(outcome.path, outcome.fixed_source, report):
            written = False
    return written


def _write(path: str, data: bytes, report: Report) -> bool:
    try:
        with open(path, "wb") as handle:
            handle.write(data)
    except OSError as failure:
        detail = failure.strerror or str(failure)
        error(f"Failed to write {report.display_path(path)}: {detail}")
        return False
    return True


def print_fixed_stdin(source: bytes, out: Writer) -> None:
    """`--fix` on standard input prints the whole fixed source, as ruff does."""
    out.write(SourceText(source).text)


def unified_diff(name: str | None, old: bytes, new: bytes) -> str:
    """A file's fixes as a unified diff, followed by a blank line (no file names for stdin)."""
    old_lines = SourceText(old).text.splitlines(keepends=True)
    new_lines = SourceText(new).text.splitlines(keepends=True)
    lines = list(difflib.unified_diff(old_lines, new_lines, name or "", name or ""))
    if name is None:
        lines = lines[2:]
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines) + "\n"


def add_noqa(report: Report, reason: str, *, quiet: bool) -> int:
    """`--add-noqa`: a `# noqa: CODE` directive for every finding left, on its `noqa_row`."""
    by_path: dict[str, list[Diagnostic]] = {}
    for diagnostic in report.diagnostics:
        if diagnostic.code and diagnostic.code != HH100.code and diagnostic.noqa_row:
            by_path.setdefault(diagnostic.path, []).append(diagnostic)
    added = 0
    status = 0
    for path, diagnostics in sorted(by_path.items()):
        original = report.sources.get(path)
        if original is None:  # its findings came from the cache, and it changed since
            warn(f"Cannot add `# noqa` directives to {report.display_path(path)}: it changed")
            status = 2
            continue
        source = SourceText(original)
        if source.encoding is None:
            continue
        edits, problems = directive_edits(source, diagnostics, reason)
        for row in problems:
            warn(
                f"Cannot add a `# noqa` directive on {report.display_path(path)}:{row}: "
                "the line has an invalid one"
            )
        if not edits:
            continue
        # One edit per row: they never overlap, and all apply in one pass.
        fixed, _ = apply_fixes(source.text, [Fix("", SAFE, (edit,)) for edit in edits])
        if _write(path, source.encode(fixed), report):
            added += len(edits)
        else:
            status = 2
    if not quiet:
        ErrorOutput().write(f"Added {added} noqa directive{'' if added == 1 else 's'}.\n")
    return status


def directive_edits(
    text: SourceText, diagnostics: Sequence[Diagnostic], reason: str
) -> tuple[list[Edit], list[int]]:
    """The edits that add the diagnostics' codes to the directives of their rows (one edit per
    row), and the rows whose invalid directive makes that impossible."""
    source = text.source_map
    comments = Suppressions(text.text, text.lines).by_row if "#" in text.text else {}
    codes_by_row: dict[int, list[str]] = {}
    for diagnostic in diagnostics:
        assert diagnostic.noqa_row is not None
        assert diagnostic.code is not None
        codes = codes_by_row.setdefault(diagnostic.noqa_row, [])
        if diagnostic.code not in codes:
            codes.append(diagnostic.code)
    edits: list[Edit] = []
    problems: list[int] = []
    suffix = f" {reason}" if reason else ""
    for row, codes in sorted(codes_by_row.items()):
        comment = comments.get(row)
        directive = None
        if comment is not None:
            try:
                directive = locate_inline(comment.text)
            except NoqaError:
                problems.append(row)
                continue
        if comment is not None and directive is not None:
            if not directive.codes:
                continue  # a blanket directive already suppresses everything here
            existing = [span.code for span in directive.codes]
            listed = existing + [code for code in codes if code not in existing]
            start = source.char_offset(row, comment.column) + directive.start
            end = source.char_offset(row, comment.column) + directive.end
            edits.append(Edit(start, end, f"# noqa: {', '.join(listed)}{suffix}"))
            continue
        line_end = source.line_end(source.line_starts[row - 1])
        end = line_end
        while end > source.line_starts[row - 1] and text.text[end - 1] in " \t":
            end -= 1
        edits.append(Edit(end, line_end, f"  # noqa: {', '.join(sorted(codes))}{suffix}"))
    return edits, problems
