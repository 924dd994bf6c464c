"""Output formats, with ruff's names and shapes. Each format's module is imported only when used."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from importlib import import_module
from types import MappingProxyType
from typing import NamedTuple

from flake8_honeyhive.cli.diagnostics import Diagnostic

__all__ = [
    "BOLD",
    "BOLD_RED",
    "CYAN",
    "DEFAULT_FORMAT",
    "GREEN",
    "OUTPUT_FORMATS",
    "RED",
    "SUMMARY_FORMATS",
    "UNDERLINE",
    "Report",
    "fix_summary",
    "printable",
    "relative_path",
    "render",
    "summary",
]

# format name -> module.function that renders it
_RENDERERS: Mapping[str, tuple[str, str]] = {
    "concise": ("text", "concise"),
    "full": ("full", "full"),
    "grouped": ("text", "grouped"),
    "json": ("json_formats", "json_array"),
    "json-lines": ("json_formats", "json_lines"),
    "github": ("text", "github"),
    "gitlab": ("ci_formats", "gitlab"),
    "pylint": ("text", "pylint"),
    "azure": ("ci_formats", "azure"),
    "sarif": ("sarif", "sarif"),
    "junit": ("ci_formats", "junit"),
    "rdjson": ("ci_formats", "rdjson"),
}
OUTPUT_FORMATS = tuple(_RENDERERS)
# ruff's default since 0.9: each finding with its context and fix.
DEFAULT_FORMAT = "full"
# The human formats end with ruff's "Found N errors." line (unless --quiet).
SUMMARY_FORMATS = frozenset({"concise", "full", "grouped"})
# ANSI styles, as ruff paints its text formats with `--color`.
BOLD = "1"
BOLD_RED = "1;31"
CYAN = "36"
UNDERLINE = "4"
RED = "31"
GREEN = "32"


class Report(NamedTuple):
    """Everything an output format may show."""

    diagnostics: Sequence[Diagnostic]
    cwd: str
    sources: Mapping[str, bytes] = MappingProxyType({})
    # ruff's three states: True (unsafe fixes apply), False (never mention them), None (hint).
    unsafe_fixes: bool | None = None
    color: bool = False

    def paint(self, text: str, style: str) -> str:
        """`text` in an ANSI style when colour is on."""
        return f"\x1b[{style}m{text}\x1b[0m" if self.color and text else text

    def applicable(self, diagnostic: Diagnostic) -> bool:
        """Whether `--fix` would fix it with these settings: ruff's `[*]`."""
        fix = diagnostic.fix
        return fix is not None and fix.applies(unsafe=self.unsafe_fixes is True)

    def hidden_unsafe(self, diagnostic: Diagnostic) -> bool:
        """An unsafe fix that `--unsafe-fixes` would apply, worth a hint."""
        fix = diagnostic.fix
        return self.unsafe_fixes is None and fix is not None and not fix.applies(unsafe=False)

    def relative_path(self, path: str) -> str:
        return relative_path(path, self.cwd)

    def display_path(self, path: str) -> str:
        """Relative to the current directory when inside it, as ruff prints paths."""
        return printable(relative_path(path, self.cwd))


def relative_path(path: str, cwd: str) -> str:
    """`path` relative to `cwd` when inside it, else as it is."""
    prefix = cwd.rstrip(os.sep) + os.sep
    return path[len(prefix) :] if path.startswith(prefix) else path


def printable(path: str) -> str:
    """A path as text: bytes of a file name that are not UTF-8 show as U+FFFD, as in ruff.

    (Python keeps them as lone surrogates, which JSON would carry as invalid `\\udcXX`.)
    """
    if path.isascii():
        return path
    return os.fsencode(path).decode("utf-8", "replace")


def render(output_format: str, report: Report) -> str:
    module_name, function_name = _RENDERERS[output_format]
    module = import_module(f"{__name__}.{module_name}")
    text: str = getattr(module, function_name)(report)
    return text


def _plural(count: int, word: str, suffix: str = "s") -> str:
    return f"{count} {word}{suffix if count != 1 else ''}"


def summary(report: Report, fixed: int = 0) -> str:
    """ruff's closing lines: the count (and what `--fix` fixed), then what fixes are available."""
    remaining = len(report.diagnostics)
    if fixed:
        text = (
            f"Found {_plural(fixed + remaining, 'error')} ({fixed} fixed, {remaining} remaining).\n"
        )
    elif remaining:
        text = f"Found {_plural(remaining, 'error')}.\n"
    else:
        text = "All checks passed!\n"
    applicable = sum(map(report.applicable, report.diagnostics))
    hidden = sum(map(report.hidden_unsafe, report.diagnostics))
    unsafe = f"{_plural(hidden, 'unsafe fix', 'es')} available with `--fix --unsafe-fixes`"
    star = f"[{report.paint('*', CYAN)}]"
    if applicable and hidden:
        text += f"{star} {applicable} fixable with `--fix` ({unsafe}).\n"
    elif applicable:
        text += f"{star} {applicable} fixable with `--fix`.\n"
    elif hidden:
        text += f"{unsafe[0].upper()}{unsafe[1:]}.\n"
    return text


def fix_summary(verb: str, fixed: int, hidden: int) -> str:
    """`--fix-only` and `--diff`: "Fixed 2 errors." / "Would fix 2 errors (1 additional fix
    available with `--unsafe-fixes`)." / "No errors would be fixed (...)."."""
    extra = f"{_plural(hidden, 'fix', 'es')} available with `--unsafe-fixes`"
    if fixed:
        text = f"{verb} {_plural(fixed, 'error')}"
        return (
            f"{text} ({hidden} additional {extra.partition(' ')[2]}).\n" if hidden else text + ".\n"
        )
    if hidden:
        nothing = "No errors fixed" if verb == "Fixed" else "No errors would be fixed"
        return f"{nothing} ({extra}).\n"
    return ""
