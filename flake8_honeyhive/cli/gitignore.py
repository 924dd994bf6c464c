"""`.gitignore` rules inside git work trees, with git's precedence.

A deeper `.gitignore` overrides a shallower one, and `.git/info/exclude` comes last. As in ruff
(whose walker only reads these files inside a repository), a directory that is not in a git work
tree has no ignore rules. A nested repository starts afresh. Patterns are matched with `pathspec`'s
gitwildmatch, which implements git's rules, including `!` re-includes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

__all__ = ["IgnoreRules", "is_repository_root", "rules_for_directory"]

GITIGNORE = ".gitignore"
GIT = ".git"


@cache
def _load(path: str) -> GitIgnoreSpec | None:
    """The compiled patterns of an ignore file; None if it is absent, unreadable or empty."""
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return None
    # Imported here: pathspec takes ~20 ms to import, and most runs never meet a .gitignore.
    from pathspec import GitIgnoreSpec  # noqa: PLC0415

    spec = GitIgnoreSpec.from_lines(text.splitlines())
    return spec if len(spec) else None


def _info_exclude(repository: str) -> GitIgnoreSpec | None:
    git = os.path.join(repository, GIT)
    if os.path.isdir(git):
        return _load(os.path.join(git, "info", "exclude"))
    return None  # a worktree or submodule: its `.git` is a file; its info/exclude is elsewhere


def is_repository_root(directory: str) -> bool:
    return os.path.exists(os.path.join(directory, GIT))


@dataclass(frozen=True, slots=True)
class IgnoreRules:
    """The ignore files that apply to the entries of one directory, outermost first."""

    levels: tuple[tuple[str, GitIgnoreSpec], ...] = ()
    in_repository: bool = False

    def ignores(self, path: str, is_dir: bool) -> bool:
        """Is the entry at absolute `path` ignored? The deepest file that matches it decides."""
        for directory, spec in reversed(self.levels):
            result = _decision(spec, directory, path, is_dir)
            if result is not None:
                return result
        return False

    def for_named_directory(self, directory: str) -> IgnoreRules:
        """The rules for a directory named on the command line, which is walked even if ignored.

        Like ruff, which only matches each entry it walks against the ignore files, a directory
        named explicitly is checked even inside an ignored tree (the standard library inside an
        ignored `versions/` of a pyenv checkout, say): the ignore files that exclude it do not
        apply beneath it.
        """
        if not self.ignores(directory, is_dir=True):
            return self
        kept = tuple(
            (level, spec)
            for level, spec in self.levels
            if _decision(spec, level, directory, is_dir=True) is not True
        )
        return IgnoreRules(kept, self.in_repository)

    def enter(self, directory: str, has_gitignore: bool, has_git: bool) -> IgnoreRules:
        """The rules for the entries of `directory`, a child of the directory these rules cover."""
        if has_git:
            return _repository_rules(directory, has_gitignore)
        if not self.in_repository or not has_gitignore:
            return self
        spec = _load(os.path.join(directory, GITIGNORE))
        if spec is None:
            return self
        return IgnoreRules((*self.levels, (directory, spec)), in_repository=True)


def _decision(spec: GitIgnoreSpec, directory: str, path: str, is_dir: bool) -> bool | None:
    """True (ignored), False (re-included with `!`) or None (no pattern matches)."""
    if path == directory:
        return None  # a directory's own .gitignore is about its contents
    relative = path[len(directory) + 1 :] if directory != os.sep else path[1:]
    result: bool | None = spec.check_file(relative + "/" if is_dir else relative).include
    return result


def _repository_rules(repository: str, has_gitignore: bool) -> IgnoreRules:
    levels: list[tuple[str, GitIgnoreSpec]] = []
    exclude = _info_exclude(repository)
    if exclude is not None:
        levels.append((repository, exclude))
    if has_gitignore:
        spec = _load(os.path.join(repository, GITIGNORE))
        if spec is not None:
            levels.append((repository, spec))
    return IgnoreRules(tuple(levels), in_repository=True)


def rules_for_directory(directory: str) -> IgnoreRules:
    """The rules for the entries of `directory` (absolute), read from its repository's root down."""
    chain: list[str] = []
    current = directory
    while True:
        chain.append(current)
        if is_repository_root(current):
            break
        parent = os.path.dirname(current)
        if parent == current:
            return IgnoreRules()  # not inside a git work tree
        current = parent
    rules = IgnoreRules()
    for index, path in enumerate(reversed(chain)):
        rules = rules.enter(
            path,
            has_gitignore=os.path.isfile(os.path.join(path, GITIGNORE)),
            has_git=index == 0,
        )
    return rules
