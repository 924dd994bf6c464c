"""Module names of the checked files, and which of them each file imports.

As ruff names modules: a file's module name is its path relative to the deepest source root that
holds it (`src = [".", "src"]` by default, relative to the project root), `app/api/__init__.py`
being `app.api`. A file under no root, or whose path from it is not a dotted name, is named by its
package directories (those with an `__init__.py`) instead. Names are worked out once per
directory. Imports are read from the text with a regular expression that errs on the side of
finding too many (a name after `from app import` may be a submodule, so both count): one more
module summarised costs a little time, one missed would cost a finding.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from typing import Final

from flake8_honeyhive.cli.blake2 import blake2b
from flake8_honeyhive.relative_imports import relative_module

__all__ = ["DEFAULT_SRC", "Anything", "DiskModules", "ModuleIndex", "imported_names", "module_name"]

DEFAULT_SRC: Final = (".", "src")
_SUFFIXES: Final = (".pyi", ".py")
# An import statement, from the start of its line (a line with `import` in it, found first with
# a substring search: a regular expression tried at every line start costs five times more).
_IMPORT: Final = re.compile(
    rb"[ \t]*(?:from[ \t]+(\.*)[ \t]*([\w.]*)[ \t]+import[ \t]*(\([^)]*\)|[^\r\n#;]*)"
    rb"|import[ \t]+([^\r\n#;]*))"
)
_NAME: Final = re.compile(rb"[A-Za-z_][\w.]*")


def module_name(path: str, roots: Sequence[str]) -> tuple[str, str] | None:
    """The module name of ``path`` and the package its relative imports start from."""
    return _name_in(_directory_parts(os.path.dirname(path), tuple(roots)), path)


def _name_in(directory: tuple[str, ...] | None, path: str) -> tuple[str, str] | None:
    """The name of ``path`` in a directory named ``directory`` (None: not importable)."""
    base = os.path.basename(path)
    stem = next((base[: -len(s)] for s in _SUFFIXES if base.endswith(s)), None)
    if directory is None or stem is None or not stem.isidentifier():
        return None
    if stem == "__init__":
        return (".".join(directory), ".".join(directory)) if directory else None
    return ".".join((*directory, stem)), ".".join(directory)


@functools.lru_cache(maxsize=4096)
def _directory_parts(directory: str, roots: tuple[str, ...]) -> tuple[str, ...] | None:
    """A directory's dotted name: its path from the deepest root that holds it, or else from its
    topmost package directory (those with an `__init__.py`); None if that is not a dotted name."""
    for root in sorted(roots, key=len, reverse=True):
        relative = os.path.relpath(directory, root)
        if relative == os.curdir:
            return ()
        if not relative.startswith(os.pardir) and not os.path.isabs(relative):
            parts = tuple(relative.split(os.sep))
            if all(part.isidentifier() for part in parts):
                return parts
            break  # not importable from its root (`my-scripts/`): named by its packages
    if not os.path.isfile(os.path.join(directory, "__init__.py")):
        return ()
    parent = os.path.dirname(directory)
    name = os.path.basename(directory)
    if parent == directory or not name.isidentifier():
        return None
    above = _directory_parts(parent, ()) if parent != directory else ()
    return None if above is None else (*above, name)


def imported_names(source: bytes, package: str, tops: Container[str]) -> set[str]:
    """The absolute names of the modules the source may import whose top-level package is one of
    ``tops``: `import a.b` imports `a` and `a.b`, `from a import b` imports `a`, and `a.b` if that
    is a module. (Most imports name the standard library or third-party packages: the top-level
    name rules them out before any other work.)"""
    names: set[str] = set()
    for dots, module, listed, plain in _import_statements(source):
        if plain:
            for item in plain.split(b","):
                found = _NAME.match(item.strip())
                if found and found.group().partition(b".")[0].decode("ascii", "replace") in tops:
                    parts = found.group().decode("ascii", "replace").split(".")
                    names.update(".".join(parts[: end + 1]) for end in range(len(parts)))
            continue
        if not dots and module.partition(b".")[0].decode("ascii", "replace") not in tops:
            continue
        base: str | None = module.decode("ascii", "replace")
        if dots:
            base = relative_module(package, len(dots), base or None)
        if base is None or (base or ".").partition(".")[0] not in tops:
            continue
        names.add(base)
        for found in _NAME.finditer(listed.replace(b" as ", b" , ")):
            name = found.group().decode("ascii", "replace")
            if name not in ("as", "import"):
                names.add(f"{base}.{name}")
    return names


class ModuleIndex:
    """The checked files by module name."""

    def __init__(self, paths: Iterable[str], roots_for: Callable[[str], Sequence[str]]) -> None:
        self._paths: dict[str, str] = {}  # module name -> path
        self._names: dict[str, tuple[str, str]] = {}  # path -> (module name, package)
        for path in paths:
            named = module_name(os.path.abspath(path), roots_for(path))
            if named is not None and named[0] not in self._paths:
                self._paths[named[0]] = path
                self._names[path] = named
        tops = {module.partition(".")[0] for module in self._paths}
        self.tops: Container[str] = tops
        self.tops_key = blake2b(" ".join(sorted(tops)).encode(), digest_size=8).hexdigest()

    def name_of(self, path: str) -> tuple[str, str] | None:
        """The module name of a checked file, and its package."""
        return self._names.get(path)

    def path_of(self, module: str) -> str | None:
        return self._paths.get(module)

    def module_of(self, qualname: str) -> str | None:
        """The checked module ``qualname`` is in (or is), if any: the longest that matches."""
        while qualname:
            if self.path_of(qualname) is not None:
                return qualname
            qualname = qualname.rpartition(".")[0]
        return None


def _import_statements(source: bytes) -> Iterator[tuple[bytes, bytes, bytes, bytes]]:
    """(dots, module, names) of each `from` import, or (..., names) of each `import`."""
    position = source.find(b"import")
    while position != -1:
        # The line's start: after the last LF, or after a CR on the same line (both searches
        # bounded, or each would scan back through the whole file).
        newline = source.rfind(b"\n", 0, position)
        start = max(newline, source.rfind(b"\r", newline + 1, position)) + 1
        found = _IMPORT.match(source, start)
        after = position + len(b"import")
        if found is not None:
            dots, module, listed, plain = found.groups()
            yield dots, module, listed, plain
            after = max(after, found.end())
        position = source.find(b"import", after)


class Anything:
    """Every top-level name: imports of any module."""

    def __contains__(self, item: object) -> bool:
        return True


class DiskModules(ModuleIndex):
    """The modules on disk under the source roots, found as they are asked for: for a file
    checked alone (standard input, an editor's buffer) with the modules it imports."""

    def __init__(self, roots: Sequence[str]) -> None:
        super().__init__((), lambda _path: roots)
        self._roots = roots
        self._found: dict[str, str | None] = {}
        self.tops = Anything()
        self.tops_key = "*"

    def name_of(self, path: str) -> tuple[str, str] | None:
        return module_name(os.path.abspath(path), self._roots)

    def path_of(self, module: str) -> str | None:
        if module not in self._found:
            self._found[module] = self._find(module)
        return self._found[module]

    def _find(self, module: str) -> str | None:
        parts = module.split(".")
        if not all(part.isidentifier() for part in parts):
            return None
        for root in self._roots:
            base = os.path.join(root, *parts)
            for candidate in (base + ".py", os.path.join(base, "__init__.py")):
                if os.path.isfile(candidate):
                    return candidate
        return None
