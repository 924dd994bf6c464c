"""The whole project: files that import other checked modules are checked with their summaries.

While the files are read, one with a rule token that imports another checked module (see
`modules`) is held back. Once all are read, the modules such files import are summarised
(`flake8_honeyhive.summary`), and so are the modules those summaries refer to (re-exports),
transitively; then each held-back file is checked with the summaries it can reach. A file that
never names honeyhive is checked only if one of those modules does (it can hold a tracer only
from there); if no checked file names honeyhive at all, nothing changes.

Summaries are cached by content and module name, and a file's findings by its content together
with the summaries it was checked with: editing `app/tracing.py` re-checks the modules that import
it (if what its names hold changed), and nothing else.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from flake8_honeyhive.cli.blake2 import blake2b
from flake8_honeyhive.cli.cache import Cache
from flake8_honeyhive.cli.modules import DiskModules, ModuleIndex, imported_names
from flake8_honeyhive.cli.sources import Reader, SourceFile

if TYPE_CHECKING:
    from flake8_honeyhive.project import Export, Summaries, Summary

__all__ = ["CrossModule", "HeldBack", "ProjectJob", "project_on_disk"]


class HeldBack(NamedTuple):
    file: SourceFile
    enabled: frozenset[str]
    imports: frozenset[str]  # checked modules it imports


class ProjectJob(NamedTuple):
    """A held-back file, ready to check: with the summaries it reaches (empty: none needed)."""

    held: HeldBack
    project: Summaries
    package: str
    key: bytes  # its cache key: its content and those summaries (empty without a cache)


class CrossModule:
    __slots__ = (
        "_names_honeyhive",
        "_refers_to",
        "any_honeyhive",
        "cache",
        "held",
        "index",
        "reader",
        "summaries",
        "summarised",
    )

    def __init__(
        self,
        index: ModuleIndex,
        cache: Cache | None = None,
        reader: Reader | None = None,
        *,
        any_honeyhive: bool = False,
    ) -> None:
        self.index = index
        self.cache = cache
        # The run's reader: a module both checked and summarised shares its facts.
        self.reader = reader or Reader(cache)
        self.held: list[HeldBack] = []
        self.any_honeyhive = any_honeyhive
        self.summaries: dict[str, Summary] = {}
        self._refers_to: dict[str, frozenset[str]] = {}
        self._names_honeyhive: dict[str, bool] = {}
        self.summarised = 0  # parsed to summarise (the rest came from the cache)

    @classmethod
    def for_paths(
        cls,
        paths: Sequence[str],
        roots_for: Callable[[str], Sequence[str]],
        cache: Cache | None,
        reader: Reader | None = None,
    ) -> CrossModule:
        return cls(ModuleIndex(paths, roots_for), cache, reader)

    def hold_back(self, file: SourceFile, enabled: frozenset[str]) -> bool:
        """Whether the file waits for the summaries: it has a rule token and imports a checked
        module. Every file read passes here, to learn whether any names honeyhive. With a cache,
        the imports read from it are cached by its digest."""
        self.any_honeyhive = self.any_honeyhive or file.names_honeyhive
        if not file.anywhere:
            return False
        path = file.path
        named = self.index.name_of(path)
        own, package = named if named is not None else ("", "")
        if self.cache is None:
            names: Iterable[str] = imported_names(file.source, package, self.index.tops)
        else:
            # The names are those of the checked files' top-level packages, so the entry is valid
            # for the same set of them.
            context = f"{package} {self.index.tops_key}"
            cached = self.cache.imports(path, file.digest, context)
            if cached is None:
                found = imported_names(file.source, package, self.index.tops)
                cached = tuple(sorted(map(sys.intern, found)))  # stored once in the cache
                self.cache.put_imports(path, file.digest, context, cached)
            names = cached
        imports = {
            module for module in names if module != own and self.index.path_of(module) is not None
        }
        if not imports:
            return False
        self.held.append(HeldBack(file, enabled, frozenset(imports)))
        return True

    def jobs(self) -> Iterator[ProjectJob]:
        for held in self.held:
            project: Summaries = ()
            if self.any_honeyhive:
                reached = self._reach(held.imports)
                names_honeyhive = held.file.names_honeyhive or any(
                    self._names_honeyhive.get(module, False) for module in reached
                )
                if names_honeyhive:
                    project = tuple(
                        (module, self.summaries[module])
                        for module in sorted(reached)
                        if self.summaries[module]
                    )
            key = b""  # without a cache, no key is asked for: the file is not hashed
            if self.cache is not None:
                key = held.file.digest
                if project:
                    # repr, not marshal: marshal's bytes depend on which strings are shared.
                    key = blake2b(key + repr(project).encode(), digest_size=16).digest()
            named = self.index.name_of(held.file.path)
            yield ProjectJob(held, project, named[1] if named else "", key)

    def _reach(self, imports: frozenset[str]) -> set[str]:
        """The modules `imports` lead to, through the references in their summaries."""
        reached: set[str] = set()
        pending = list(imports)
        while pending:
            module = pending.pop()
            if module in reached:
                continue
            reached.add(module)
            self._summarise(module)
            pending.extend(self._refers_to[module] - reached)
        return reached

    def _summarise(self, module: str) -> None:
        if module in self.summaries:
            return
        path = self.index.path_of(module)
        named = self.index.name_of(path) if path is not None else None
        if path is None or named is None:
            self.summaries[module] = ()
            self._names_honeyhive[module] = False
            self._refers_to[module] = frozenset()
            return
        package = named[1]
        summary: Summary = ()
        file: SourceFile | None
        try:
            file = self.reader.open(path)
        except OSError:
            file = None  # reported when the file itself is checked
        cached = None
        if file is not None and self.cache is not None:
            cached = self.cache.summary(path, file.digest, module, package)
        if cached is not None:
            summary = cached
        elif file is not None and file.source:
            summary = _summary_of(file.source, path, module, package)
            self.summarised += 1
            if self.cache is not None:
                self.cache.put_summary(path, file.digest, module, package, summary)
        self.summaries[module] = summary
        self._names_honeyhive[module] = file is not None and file.names_honeyhive
        self._refers_to[module] = frozenset(
            found
            for qualname in _references(summary)
            if (found := self.index.module_of(qualname)) is not None
        )


def _summary_of(source: bytes, path: str, module: str, package: str) -> Summary:
    # Imported here: the engine (and `ast`) loads only when something must be parsed.
    import ast  # noqa: PLC0415

    from flake8_honeyhive.checker import collector_paused  # noqa: PLC0415
    from flake8_honeyhive.summary import summarise  # noqa: PLC0415

    try:
        with collector_paused(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source, filename=path)
            return summarise(tree, source, module, package)
    except (SyntaxError, ValueError, RecursionError, MemoryError, UnicodeDecodeError):
        return ()  # the file's own check reports what is wrong with it


def _references(summary: Summary) -> Iterator[str]:
    """The qualified names a summary refers to."""
    pending: list[Export] = [export for _, export in summary]
    while pending:
        export = pending.pop()
        tag = export[0]
        if tag in ("ref", "result", "annotated", "instance"):
            yield str(export[1])
        elif tag == "function":
            pending.append(export[1])
        elif tag == "class":
            pending.extend(attribute for _, attribute in export[1])


def project_on_disk(
    path: str, source: bytes, roots: Sequence[str], cache: Cache | None = None
) -> tuple[Summaries, str]:
    """For one file checked alone (standard input with `--stdin-filename`, an editor's buffer):
    the summaries of the modules it imports, read from disk under `roots`, and its package."""
    cross = CrossModule(DiskModules(roots), cache, any_honeyhive=True)
    if not cross.hold_back(SourceFile.of(path, source), frozenset()):
        return (), ""
    job = next(cross.jobs())
    return job.project, job.package
