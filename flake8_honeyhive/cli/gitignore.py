"""`.gitignore` rules inside git work trees, with git's precedence.

A deeper `.gitignore` overrides a shallower one, and `.git/info/exclude` comes last. As in ruff
(whose walker only reads these files inside a repository), a directory that is not in a git work
tree has no ignore rules. A nested repository starts afresh.

Patterns follow gitignore(5), and each is matched against one entry of the walk, never its
descendants: the walk does not enter an ignored directory, so that is how git decides too (a file
cannot be re-included inside an ignored directory; `*` then `!*/` then `!*.py` keeps every Python
file). pathspec is not used here: it answers for a list of file paths, and its emulation of
ignored parent directories gives wrong answers for directories checked one by one.
"""

from __future__ import annotations

import os
import re
from functools import cache
from typing import NamedTuple

from flake8_honeyhive.cli.globs import GlobError, bracket_class, check_ranges
from flake8_honeyhive.cli.linear import (
    ItemAutomaton,
    Items,
    Star,
    TooComplexError,
    linear_source,
    mixes_stars,
    product,
)

__all__ = ["IgnoreRules", "is_repository_root", "rules_for_directory"]

GITIGNORE = ".gitignore"
GIT = ".git"


_NAME_STAR = Star("[^/]")  # `*`: any bytes but `/`
_ANY_STAR = Star(".")  # `**` as a whole component: anything


def _as_bytes(text: str) -> str:
    """Text as the bytes git compares, one character per byte (see linear)."""
    return text.encode("utf-8", "surrogateescape").decode("latin-1")


def _literal(char: str) -> Items:
    return tuple(re.escape(byte) for byte in _as_bytes(char))


def _expansions(glob: str) -> list[Items]:
    """A gitignore glob (without its `!` and trailing `/`) as sequences of one-byte items.

    Like git, which matches bytes: `?` is one byte, so `?.py` does not match `é.py`.
    """
    current: list[Items] = [()]
    index = 0
    while index < len(glob):
        char = glob[index]
        step = 1
        items: list[Items]
        if glob.startswith("**", index):
            step = 2
            before = index == 0 or glob[index - 1] == "/"
            after = index + 2 == len(glob) or glob[index + 2] == "/"
            if before and after and index + 2 < len(glob):
                items = [(), (_ANY_STAR, "/")]  # `**/` leading or inside: any directories, or none
                step = 3
            elif before and after:
                items = [(_ANY_STAR,)]  # `/**` trailing: everything inside
            else:
                items = [(_NAME_STAR,)]  # other `**` are plain `*`
        elif char == "\\" and index + 1 < len(glob):
            items = [_literal(glob[index + 1])]
            step = 2
        elif char == "*":
            items = [(_NAME_STAR,)]
        elif char == "?":
            items = [("[^/]",)]
        elif char == "[" and (end := glob.find("]", index + 2)) != -1:
            check_ranges(glob[index + 1 : end], glob)
            # Never matches `/`.
            items = [("(?!/)" + bracket_class(_as_bytes(glob[index + 1 : end])),)]
            step = end + 1 - index
        else:
            items = [_literal(char)]
        current = product(current, items)
        index += step
    return current


class _Matcher:
    """One glob: a regex when its stars are all of one kind, else automata; linear either way."""

    __slots__ = ("automata", "regex", "source")

    def __init__(self, expansions: list[Items]) -> None:
        simple = [items for items in expansions if not mixes_stars(items)]
        self.source: bytes | None = (
            "|".join(map(linear_source, simple)).encode("latin-1") if simple else None
        )
        self.regex = re.compile(self.source, re.DOTALL) if self.source is not None else None
        self.automata = tuple(ItemAutomaton(items) for items in expansions if mixes_stars(items))

    def fullmatch(self, text: bytes) -> bool:
        if self.regex is not None and self.regex.fullmatch(text):
            return True
        return any(automaton.fullmatch(text) for automaton in self.automata)


class _Pattern(NamedTuple):
    matcher: _Matcher
    negated: bool
    directory_only: bool
    name_only: bool  # matched against the entry's name, else against its relative path


def _parse(line: str) -> _Pattern | None:
    """One line of an ignore file; None for a blank line or a comment."""
    text = line.rstrip(" ")
    if text.endswith("\\") and len(text) < len(line):
        text += " "  # an escaped trailing space is kept
    if not text or text.startswith("#"):
        return None
    negated = text.startswith("!")
    text = text.removeprefix("!")
    directory_only = text.endswith("/")
    text = text.rstrip("/")
    if not text:
        return None
    # A `/` at the start or in the middle anchors the pattern at the ignore file's directory;
    # otherwise it matches a name at any depth.
    name_only = "/" not in text
    try:
        matcher = _Matcher(_expansions(text.removeprefix("/")))
    except (GlobError, TooComplexError, re.error):
        return None  # such as the range `[z-a]`, which matches nothing in git either
    return _Pattern(matcher, negated, directory_only, name_only)


class _AnyOf(NamedTuple):
    """Whether any of some patterns may match: one regex, plus each pattern that needs automata."""

    regex: re.Pattern[bytes] | None
    others: tuple[_Matcher, ...]

    @classmethod
    def of(cls, patterns: list[_Pattern]) -> _AnyOf:
        sources = [p.matcher.source for p in patterns if p.matcher.source is not None]
        regex = re.compile(b"|".join(sources), re.DOTALL) if sources else None
        return cls(regex, tuple(p.matcher for p in patterns if p.matcher.automata))

    def fullmatch(self, text: bytes) -> bool:
        if self.regex is not None and self.regex.fullmatch(text):
            return True
        return any(matcher.fullmatch(text) for matcher in self.others)


class IgnoreFile(NamedTuple):
    """The patterns of one ignore file, with two tests that dismiss most entries at once."""

    patterns: tuple[_Pattern, ...]
    any_name: _AnyOf
    any_path: _AnyOf

    def decide(self, relative: bytes, is_dir: bool) -> bool | None:
        """True (ignored), False (re-included with `!`) or None (no pattern matches)."""
        name = relative.rpartition(b"/")[2]
        if not self.any_name.fullmatch(name) and not self.any_path.fullmatch(relative):
            return None
        for pattern in reversed(self.patterns):  # the last matching pattern decides
            if pattern.directory_only and not is_dir:
                continue
            if pattern.matcher.fullmatch(name if pattern.name_only else relative):
                return not pattern.negated
        return None


@cache
def _load(path: str) -> IgnoreFile | None:
    """The compiled patterns of an ignore file; None if it is absent, unreadable or empty."""
    try:
        with open(path, "rb") as handle:
            # utf-8-sig: git skips a byte order mark, as Windows editors may write one.
            text = handle.read().decode("utf-8-sig", errors="replace")
    except OSError:
        return None
    patterns = [pattern for line in text.splitlines() if (pattern := _parse(line))]
    if not patterns:
        return None
    return IgnoreFile(
        tuple(patterns),
        any_name=_AnyOf.of([pattern for pattern in patterns if pattern.name_only]),
        any_path=_AnyOf.of([pattern for pattern in patterns if not pattern.name_only]),
    )


def _info_exclude(repository: str) -> IgnoreFile | None:
    git = os.path.join(repository, GIT)
    if os.path.isdir(git):
        return _load(os.path.join(git, "info", "exclude"))
    return None  # a worktree or submodule: its `.git` is a file; its info/exclude is elsewhere


def is_repository_root(directory: str) -> bool:
    return os.path.exists(os.path.join(directory, GIT))


class IgnoreRules(NamedTuple):
    """The ignore files that apply to the entries of one directory, outermost first."""

    levels: tuple[tuple[str, IgnoreFile], ...] = ()
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


def _decision(spec: IgnoreFile, directory: str, path: str, is_dir: bool) -> bool | None:
    """True (ignored), False (re-included with `!`) or None (no pattern matches)."""
    if path == directory:
        return None  # a directory's own .gitignore is about its contents
    relative = path[len(directory) + 1 :] if directory != os.sep else path[1:]
    return spec.decide(os.fsencode(relative), is_dir)


def _repository_rules(repository: str, has_gitignore: bool) -> IgnoreRules:
    levels: list[tuple[str, IgnoreFile]] = []
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
