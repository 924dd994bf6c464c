"""`--fix`: apply the fixes of one file, lint the result, and again, until nothing is left to fix.

ruff's loop: each pass applies the non-overlapping fixes of the current text (those it defers
come back, rebased, in the next pass), at most MAX_PASSES passes. A pass whose result does not
parse is taken apart: each fix is tried alone, and those that break the file are dropped (with a
warning, since it is a bug in a fix). The final diagnostics are those of the fixed text.
"""

from __future__ import annotations

import ast
import warnings
from collections import Counter
from collections.abc import Sequence

from flake8_honeyhive.cli.diagnostics import SourceText
from flake8_honeyhive.cli.lint import FileJob, FileOutcome, lint_source
from flake8_honeyhive.fixes.model import UNSAFE, Fix, apply_fixes

__all__ = ["MAX_PASSES", "fix_file"]

MAX_PASSES = 100  # ruff's bound


def _parses(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _apply_valid(text: str, fixes: Sequence[Fix]) -> tuple[str, list[int], bool]:
    """The fixes applied, keeping the text valid Python; whether any had to be dropped."""
    fixed, applied = apply_fixes(text, fixes)
    if _parses(fixed):
        return fixed, applied, False
    valid = [index for index in applied if _parses(apply_fixes(text, [fixes[index]])[0])]
    fixed, chosen = apply_fixes(text, [fixes[index] for index in valid])
    if not _parses(fixed):
        return text, [], True
    return fixed, [valid[index] for index in chosen], True


def fix_file(job: FileJob) -> FileOutcome:
    unsafe = job.fix == UNSAFE
    source = job.source
    fixed: Counter[str] = Counter()
    problems: list[str] = []
    for _ in range(MAX_PASSES):
        outcome = lint_source(job, source)
        applicable = [
            (diagnostic.code or "", diagnostic.fix)
            for diagnostic in outcome.diagnostics
            if diagnostic.fix is not None and diagnostic.fix.applies(unsafe=unsafe)
        ]
        if not applicable:
            break
        text = SourceText(source)
        new_text, applied, dropped = _apply_valid(text.text, [fix for _, fix in applicable])
        if dropped:
            problems.append("a fix would have made the file invalid Python; it was not applied")
        if not applied:
            break
        fixed.update(applicable[index][0] for index in applied)
        source = text.encode(new_text)
    else:
        outcome = lint_source(job, source)
        problems.append(f"fixes did not converge after {MAX_PASSES} passes")
    return FileOutcome(
        job.path,
        outcome.diagnostics,
        outcome.warnings,
        fixed=tuple(sorted(fixed.items())),
        fixed_source=source if source != job.source else None,
        problems=tuple(problems),
    )
