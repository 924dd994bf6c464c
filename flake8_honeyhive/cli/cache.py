"""Results of earlier runs, as ruff keeps them in `.ruff_cache`.

One file per tool version and Python version (the parser decides what is a syntax error) under
`.honeyhive_lint_cache/` in the project root, or `--cache-dir`, or `HONEYHIVE_LINT_CACHE_DIR`.
Each entry belongs to one path and is used only for the same content (a BLAKE2 digest of the
file's bytes) checked with the same rules (after `per-file-ignores`); anything else is checked
again. The directory holds a `.gitignore` of `*` and a `CACHEDIR.TAG`, as ruff's does.

A file is not even read while `os.stat` shows it unchanged, as ruff trusts a file's modification
time: each path's *facts* (its digest and the pre-filters' answers, see `sources`) are kept with
its size, modification and change times (in nanoseconds) and inode. The change time moves on
every write, even when a tool restores the modification time; a file changed within the last
second is not given facts, as the file system's clock may not have ticked since (git's "racily
clean" entries).

A cache is an optimisation, never a source of truth or of failure: a file that cannot be read or
does not have the expected shape is ignored (entries are plain tuples read with `marshal`, which
builds no other objects and runs no code), and one that cannot be written (a full disk, a
read-only directory) costs a warning. Writes go to a temporary file renamed over the old one, so
that concurrent runs never see half a file; the last one to finish wins, and the other's new
entries are checked again next time.
"""

from __future__ import annotations

import marshal
import os
import sys
from functools import cache
from typing import TYPE_CHECKING, Any, Final

from flake8_honeyhive import __version__
from flake8_honeyhive.cli.blake2 import blake2b
from flake8_honeyhive.cli.diagnostics import Diagnostic
from flake8_honeyhive.cli.lint import FileOutcome
from flake8_honeyhive.cli.noqa import NoqaWarning
from flake8_honeyhive.cli.options import CACHE_DIR_ENV, DEFAULT_CACHE_DIR
from flake8_honeyhive.fixes.model import Edit, Fix

if TYPE_CHECKING:
    from flake8_honeyhive.project import Summary

__all__ = ["CACHE_DIR_ENV", "DEFAULT_CACHE_DIR", "Cache", "Signature", "digest"]

# Bumped when the shape of an entry changes (2: diagnostics carry fixes, 3: module summaries and
# the imports of each file, 4: each file's facts by its stat signature).
_FORMAT: Final = 4
_TAG: Final = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by honeyhive-lint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)

# path -> (digest, enabled codes, diagnostics without their path, noqa warnings)
_Entry = tuple[bytes, tuple[str, ...], tuple[tuple[Any, ...], ...], tuple[tuple[Any, ...], ...]]
# path -> (digest, module name, package, summary): what a module's names hold, for its importers
_SummaryEntry = tuple[bytes, str, str, "Summary"]
# path -> (digest, package and top-level packages looked for, the checked modules it may import)
_ImportsEntry = tuple[bytes, str, tuple[str, ...]]
# What `os.stat` says of an unchanged file: size, modification and change times (ns), inode.
Signature = tuple[int, int, int, int]
# path -> (*signature, digest (None until one was needed), pre-filter answers: see `sources`)
_FactsEntry = tuple[int, int, int, int, bytes | None, int]


def digest(source: bytes) -> bytes:
    return blake2b(source, digest_size=16).digest()


class Cache:
    __slots__ = ("_changed", "_entries", "_facts", "_imports", "_summaries", "directory")

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self._entries: dict[str, _Entry] = {}
        self._summaries: dict[str, _SummaryEntry] = {}
        self._imports: dict[str, _ImportsEntry] = {}
        self._facts: dict[str, _FactsEntry] = {}
        self._changed = False

    @property
    def path(self) -> str:
        python = f"python{sys.version_info.major}.{sys.version_info.minor}"
        return os.path.join(self.directory, __version__, f"{python}-{_code_fingerprint()}.cache")

    @classmethod
    def load(cls, directory: str) -> Cache:
        cache = cls(directory)
        try:
            with open(cache.path, "rb") as handle:
                # Whole, then decoded: `marshal.load` reads a file object piece by piece, through
                # Python calls (four times slower on a cache of 3,000 files).
                data = marshal.loads(handle.read())
        except (OSError, EOFError, ValueError, TypeError):
            return cache  # none yet, unreadable or corrupt: start afresh
        if isinstance(data, tuple) and len(data) == 5 and data[0] == _FORMAT:
            entries, summaries, imports, facts = data[1], data[2], data[3], data[4]
            if isinstance(entries, dict):
                cache._entries = {
                    path: entry
                    for path, entry in entries.items()
                    if isinstance(path, str) and _well_formed(entry)
                }
            if isinstance(summaries, dict):
                cache._summaries = {
                    path: entry
                    for path, entry in summaries.items()
                    if isinstance(path, str) and isinstance(entry, tuple) and len(entry) == 4
                }
            if isinstance(imports, dict):
                cache._imports = {
                    path: entry
                    for path, entry in imports.items()
                    if isinstance(path, str) and isinstance(entry, tuple) and len(entry) == 3
                }
            if isinstance(facts, dict):
                cache._facts = {
                    path: entry
                    for path, entry in facts.items()
                    if isinstance(path, str) and isinstance(entry, tuple) and len(entry) == 6
                }
        return cache

    def facts(self, path: str, signature: Signature) -> tuple[bytes | None, int] | None:
        """The digest and pre-filter answers of `path`, if it has the same stat signature."""
        entry = self._facts.get(path)
        # Checked here rather than when loaded: only the entries looked up, only these fields.
        if entry is None or entry[:4] != signature:
            return None
        source_digest, flags = entry[4], entry[5]
        if type(flags) is not int or not isinstance(source_digest, bytes | None):
            return None
        return source_digest, flags

    def put_facts(
        self, path: str, signature: Signature, source_digest: bytes | None, flags: int
    ) -> None:
        entry = (*signature, source_digest, flags)
        if self._facts.get(path) != entry:
            self._facts[path] = entry
            self._changed = True

    def imports(self, path: str, source_digest: bytes, package: str) -> tuple[str, ...] | None:
        """The modules `path` may import, read from the same content with the same `package`
        (which says, too, which top-level packages the checked files make up)."""
        entry = self._imports.get(path)
        if entry is None or entry[:2] != (source_digest, package):
            return None
        return entry[2] if isinstance(entry[2], tuple) else None

    def put_imports(
        self, path: str, source_digest: bytes, package: str, names: tuple[str, ...]
    ) -> None:
        self._imports[path] = (source_digest, package, names)
        self._changed = True

    def summary(self, path: str, source_digest: bytes, module: str, package: str) -> Summary | None:
        """The summary of `path` made from the same content under the same module name."""
        entry = self._summaries.get(path)
        if entry is None or entry[:3] != (source_digest, module, package):
            return None
        return entry[3] if isinstance(entry[3], tuple) else None

    def put_summary(
        self, path: str, source_digest: bytes, module: str, package: str, summary: Summary
    ) -> None:
        self._summaries[path] = (source_digest, module, package, summary)
        self._changed = True

    def get(self, path: str, source_digest: bytes, enabled: frozenset[str]) -> FileOutcome | None:
        entry = self._entries.get(path)
        if entry is None or entry[0] != source_digest or entry[1] != tuple(sorted(enabled)):
            return None
        try:
            diagnostics = tuple(
                Diagnostic(path, *fields)._replace(fix=_fix_from(fields[-1])) for fields in entry[2]
            )
            warnings = tuple(NoqaWarning(*fields) for fields in entry[3])
        except (TypeError, ValueError):
            return None
        return FileOutcome(path, diagnostics, warnings)

    def put(self, outcome: FileOutcome, source_digest: bytes, enabled: frozenset[str]) -> None:
        self._entries[outcome.path] = (
            source_digest,
            tuple(sorted(enabled)),
            tuple(
                (*diagnostic[1:-1], _plain_fix(diagnostic.fix))
                for diagnostic in outcome.diagnostics
            ),
            tuple((w.row, w.headline, w.detail) for w in outcome.warnings),
        )
        self._changed = True

    def save(self) -> str | None:
        """Write the entries if any changed; the problem, if that failed."""
        if not self._changed:
            return None
        try:
            target = self.path
            _prepare(self.directory, os.path.dirname(target))
            data = marshal.dumps(
                (_FORMAT, self._entries, self._summaries, self._imports, self._facts)
            )
            import tempfile  # noqa: PLC0415 (only when there is something to write)

            descriptor, temporary = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".tmp")
            try:
                with os.fdopen(descriptor, "wb") as handle:
                    handle.write(data)
                os.replace(temporary, target)
            except BaseException:
                os.unlink(temporary)
                raise
        except (OSError, ValueError) as error:
            detail = error.strerror if isinstance(error, OSError) and error.strerror else error
            return f"cannot write the cache in {self.directory}: {detail}"
        return None


def _plain_fix(fix: Fix | None) -> tuple[Any, ...] | None:
    """A fix as plain tuples: `marshal` takes no named tuples."""
    if fix is None:
        return None
    return (fix.message, fix.applicability, tuple(tuple(edit) for edit in fix.edits))


def _fix_from(fields: Any) -> Fix | None:
    if fields is None:
        return None
    message, applicability, edits = fields
    return Fix(message, applicability, tuple(Edit(*edit) for edit in edits))


@cache
def _code_fingerprint() -> str:
    """The tool's own files (names, sizes, times): in an editable install the code changes
    without the version, and results of other code must not be trusted."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    state = blake2b(digest_size=8)
    for directory, _, names in sorted(os.walk(package)):
        for name in sorted(names):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(directory, name))
                state.update(f"{directory}/{name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return state.hexdigest()


def _prepare(root: str, directory: str) -> None:
    """Create the cache directory, tagged and ignored by git as ruff's is."""
    os.makedirs(directory, exist_ok=True)
    for name, text in ((".gitignore", "*\n"), ("CACHEDIR.TAG", _TAG)):
        path = os.path.join(root, name)
        if not os.path.exists(path):
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)


def _well_formed(entry: object) -> bool:
    return (
        isinstance(entry, tuple)
        and len(entry) == 4
        and isinstance(entry[0], bytes)
        and isinstance(entry[1], tuple)
        and isinstance(entry[2], tuple)
        and isinstance(entry[3], tuple)
        and all(isinstance(fields, tuple) and len(fields) == 9 for fields in entry[2])
        and all(isinstance(fields, tuple) and len(fields) == 3 for fields in entry[3])
    )
