"""An editor's buffer, linted and fixed as `honeyhive-lint` would lint and fix the saved file.

The buffer is checked with the settings of the configuration closest to its path (as the command
does), so that the editor and the command agree; files the configuration excludes get nothing.
Names it imports from other modules of the project hold what those modules hold as saved on disk
(their summaries are kept for the session, by content).
"""

from __future__ import annotations

import io
import os
import tokenize
from dataclasses import dataclass

from flake8_honeyhive.cli.apply import directive_edits
from flake8_honeyhive.cli.cache import DEFAULT_CACHE_DIR, Cache
from flake8_honeyhive.cli.config import CONFIG_FILES
from flake8_honeyhive.cli.crossmodule import project_on_disk
from flake8_honeyhive.cli.diagnostics import Diagnostic, SourceText
from flake8_honeyhive.cli.fixing import fix_file
from flake8_honeyhive.cli.lint import FileJob, lint_source, needs_checking
from flake8_honeyhive.cli.options import CommandLine
from flake8_honeyhive.cli.settings import Resolver, Settings
from flake8_honeyhive.fixes.model import SAFE, UNSAFE, Edit
from flake8_honeyhive.project import Summaries
from flake8_honeyhive.rules import HH100

__all__ = ["Buffer", "Linter", "is_configuration"]


def is_configuration(path: str) -> bool:
    """Whether saving this file can change the settings (a configuration file)."""
    return os.path.basename(path) in CONFIG_FILES


def _encode(text: str) -> bytes:
    """The buffer as the bytes it would be saved as: in its coding cookie's encoding."""
    data = text.encode("utf-8", "surrogatepass")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        return data
    if encoding in ("utf-8", "utf-8-sig"):
        return data
    try:
        return text.encode(encoding)
    except (LookupError, UnicodeEncodeError):
        return data


@dataclass(frozen=True)
class Buffer:
    """One lint of a buffer: its diagnostics (positions in its text) and that text."""

    path: str
    text: SourceText
    diagnostics: tuple[Diagnostic, ...]
    unsafe_fixes: bool | None


class Linter:
    """Lints buffers of one workspace; the settings are read again after a configuration file
    is saved."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._resolver: Resolver | None = None
        self._summaries = Cache(os.path.join(root, DEFAULT_CACHE_DIR))  # in memory: never saved

    def invalidate(self) -> None:
        self._resolver = None

    def settings(self, path: str | None) -> Settings:
        if self._resolver is None:
            self._resolver = Resolver(CommandLine(), self.root)
        return self._resolver.for_path(path) if path else self._resolver.root

    def _job(self, path: str | None, source: bytes, fix: str | None) -> FileJob | None:
        settings = self.settings(path)
        if path and settings.excludes.excludes(path, settings.project_root):
            return None  # excluded by the configuration, as the command would skip it
        name = path or "<untitled>"
        enabled = settings.enabled_for(name)
        project: Summaries = ()
        package = ""
        if path and enabled:
            # The modules it imports, as saved on disk; their summaries are kept by content.
            project, package = project_on_disk(path, source, settings.src, self._summaries)
        if not enabled or not needs_checking(source, enabled, anywhere=bool(project)):
            return None
        return FileJob(name, source, enabled, fix=fix, project=project, package=package)

    def lint(self, path: str | None, text: str) -> Buffer:
        source = _encode(text)
        job = self._job(path, source, None)
        diagnostics = lint_source(job, source).diagnostics if job else ()
        unsafe = self.settings(path).unsafe_fixes
        return Buffer(path or "<untitled>", SourceText(source), diagnostics, unsafe)

    def fix_all(self, path: str | None, text: str) -> str | None:
        """The buffer with every applicable fix applied (unsafe ones if the configuration says
        `unsafe-fixes = true`), or None if nothing changes."""
        source = _encode(text)
        fix = UNSAFE if self.settings(path).unsafe_fixes else SAFE
        job = self._job(path, source, fix)
        if job is None:
            return None
        fixed = fix_file(job).fixed_source
        return None if fixed is None else SourceText(fixed).text

    @staticmethod
    def noqa_edit(buffer: Buffer, diagnostic: Diagnostic) -> Edit | None:
        """The edit adding `# noqa: CODE` for this diagnostic, as `--add-noqa` writes it."""
        if not diagnostic.code or diagnostic.code == HH100.code or not diagnostic.noqa_row:
            return None
        edits, _ = directive_edits(buffer.text, [diagnostic], "")
        return edits[0] if edits else None
