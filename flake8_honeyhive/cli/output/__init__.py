"""Output formats, with ruff's names and shapes. Each format's module is imported only when used."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import import_module

from flake8_honeyhive.cli.diagnostics import Diagnostic

__all__ = [
    "DEFAULT_FORMAT",
    "OUTPUT_FORMATS",
    "SUMMARY_FORMATS",
    "Report",
    "printable",
    "relative_path",
    "render",
    "summary",
]

# format name -> module.function that renders it
_RENDERERS: Mapping[str, tuple[str, str]] = {
    "concise": ("text", "concise"),
    "full": ("full", "full"),
    "json": ("json_formats", "json_array"),
    "json-lines": ("json_formats", "json_lines"),
    "github": ("text", "github"),
    "pylint": ("text", "pylint"),
    "sarif": ("sarif", "sarif"),
}
OUTPUT_FORMATS = tuple(_RENDERERS)
DEFAULT_FORMAT = "concise"
# The human formats end with ruff's "Found N errors." line (unless --quiet).
SUMMARY_FORMATS = frozenset({"concise", "full"})


@dataclass(frozen=True)
class Report:
    """Everything an output format may show."""

    diagnostics: Sequence[Diagnostic]
    cwd: str
    sources: Mapping[str, bytes] = field(default_factory=dict)

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


def summary(count: int) -> str:
    if count == 0:
        return "All checks passed!\n"
    return f"Found {count} error{'s' if count != 1 else ''}.\n"
