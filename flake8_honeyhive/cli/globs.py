"""File patterns with ruff's semantics (ruff uses the `globset` crate with its defaults).

`*` and `**` match any characters including `/` (and a whole `**/` component matches no
directory too), `?` one character, `[...]`/`[!...]` a class, `{a,b}` alternatives and `\\`
escapes the next character. A user pattern is anchored at the
directory it was written for (the config file's directory, or the current directory for the
command line); a pattern without `/` also matches a file or directory's basename, so `build`
excludes every directory called `build`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from flake8_honeyhive.cli.linear import Items, Star, TooComplexError, linear_source, product

__all__ = [
    "GlobError",
    "PathPatterns",
    "PatternSpec",
    "PerFileIgnore",
    "bracket_class",
    "check_ranges",
    "compile_glob",
]


class GlobError(ValueError):
    """A pattern that cannot be compiled, such as an unclosed `{`."""


def _class_end(pattern: str, start: int) -> int:
    """Index of the `]` closing the class that opens at `start`, or -1."""
    index = start + 1
    if index < len(pattern) and pattern[index] in "!^":
        index += 1
    if index < len(pattern) and pattern[index] == "]":
        index += 1  # a leading `]` is a literal member
    return pattern.find("]", index)


def bracket_class(body: str) -> str:
    """The regex for a glob's `[body]`: `!` or `^` first negates it, the rest are members."""
    negate = body[:1] in ("!", "^")
    members = body[1:] if negate else body
    escaped = members.replace("\\", "\\\\").replace("[", "\\[").replace("^", "\\^")
    return f"[{'^' if negate else ''}{escaped}]"


def check_ranges(body: str, pattern: str) -> None:
    """Reject a reversed range such as `[z-a]`, as ruff does (Python's `re` would too, later)."""
    members = body[1:] if body[:1] in ("!", "^") else body
    index = 0
    while index < len(members):
        if index + 2 < len(members) and members[index + 1] == "-":
            low, high = members[index], members[index + 2]
            if low > high:
                raise GlobError(f"invalid range `{low}-{high}` in pattern {pattern!r}")
            index += 3
        else:
            index += 1


_STAR = Star(".")
# `**/`: any directories, or none.
_ANY_DIRECTORIES: list[Items] = [(), (_STAR, "/")]


def _expansions(pattern: str) -> list[Items]:
    """The pattern as sequences of one-character regexes and stars, `{a,b}` expanded.

    Iterative, so that a pattern nested a thousand `{` deep is no RecursionError.
    """
    # Per open `{`: the finished alternatives, and the sequences of the one being read.
    stack: list[tuple[list[Items], list[Items]]] = []
    current: list[Items] = [()]
    index = 0
    while index < len(pattern):
        char = pattern[index]
        items: list[Items] | None = None
        if char == "\\" and index + 1 < len(pattern):
            items = [(re.escape(pattern[index + 1]),)]
            index += 1
        elif char == "*":
            start = index
            while index + 1 < len(pattern) and pattern[index + 1] == "*":
                index += 1
            whole_component = (start == 0 or pattern[start - 1] == "/") and (
                index + 1 == len(pattern) or pattern[index + 1] == "/"
            )
            if index - start == 1 and whole_component and index + 1 < len(pattern):
                # `**/` matches any directories, or none: `scripts/**/*.py` covers
                # `scripts/tool.py`, and `**/tool.py` a `tool.py` at the root (globset).
                items = _ANY_DIRECTORIES
                index += 1  # the `/` is part of the option
            else:
                items = [(_STAR,)]
        elif char == "?":
            items = [(".",)]
        elif char == "[" and (end := _class_end(pattern, index)) != -1:
            body = pattern[index + 1 : end]
            check_ranges(body, pattern)
            items = [(bracket_class(body),)]
            index = end
        elif char == "{":
            stack.append(([], current))
            current = [()]
        elif char == "," and stack:
            stack[-1][0].extend(current)
            current = [()]
        elif char == "}" and stack:
            finished, outer = stack.pop()
            current = product(outer, list(dict.fromkeys([*finished, *current])))
        else:
            items = [(re.escape(char),)]
        if items is not None:
            current = product(current, items)
        index += 1
    if stack:
        raise GlobError(f"unclosed `{{` in pattern {pattern!r}")
    return current


def _translate(pattern: str) -> str:
    try:
        expansions = _expansions(pattern)
    except TooComplexError as error:
        raise GlobError(f"pattern {pattern!r} is too complex: {error}") from None
    return "(?:" + "|".join(map(linear_source, expansions)) + ")"


def compile_glob(pattern: str) -> re.Pattern[str]:
    """The pattern as a regular expression to use with `fullmatch`; it matches in linear time."""
    return _compile(_translate(pattern), pattern)


def _compile(source: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(source, re.DOTALL)
    except (re.error, RecursionError, OverflowError) as error:
        raise GlobError(f"invalid pattern {pattern!r}: {error}") from None


def _anchored(pattern: str, root: str) -> str:
    """The regex source for `pattern` anchored at `root`; `root` itself is taken literally."""
    joined = os.path.normpath(os.path.join(root, pattern))
    prefix = root.rstrip(os.sep) + os.sep
    if joined.startswith(prefix):
        return re.escape(prefix) + _translate(joined[len(prefix) :])
    return _translate(joined)


class PatternSpec(NamedTuple):
    """A pattern as written by the user and the directory it is relative to."""

    pattern: str
    root: str


class PathPatterns:
    """A set of exclusion patterns, matched like ruff's `exclude`/`extend-exclude`.

    Every pattern is tried against the absolute path and against the basename.
    """

    def __init__(self, user: Iterable[PatternSpec] = (), builtin: Iterable[str] = ()) -> None:
        sources: list[str] = [_translate(pattern) for pattern in builtin]
        self.patterns: tuple[str, ...] = tuple(builtin)
        for spec in user:
            self.patterns += (spec.pattern,)
            sources.append(_anchored(spec.pattern, spec.root))
            if "/" not in spec.pattern:
                sources.append(_translate(spec.pattern))
        self._regex = _compile("|".join(sources), ", ".join(self.patterns)) if sources else None

    def __bool__(self) -> bool:
        return self._regex is not None

    def matches(self, path: str, basename: str) -> bool:
        """Does the entry at absolute `path`, named `basename`, match any pattern?"""
        regex = self._regex
        return regex is not None and bool(regex.fullmatch(path) or regex.fullmatch(basename))

    def excludes(self, path: str, stop_at: str) -> bool:
        """Is `path` or one of its ancestors (up to and including `stop_at`) matched?

        This is how ruff decides for a file named on the command line with `--force-exclude`.
        """
        for ancestor in _ancestors(path):
            if self.matches(ancestor, os.path.basename(ancestor)):
                return True
            if ancestor == stop_at:
                break
        return False


def _ancestors(path: str) -> Iterator[str]:
    while True:
        yield path
        parent = os.path.dirname(path)
        if parent == path or not os.path.basename(path):
            return
        path = parent


class PerFileIgnore(NamedTuple):
    """One `per-file-ignores` entry: a pattern (optionally negated with `!`) and its codes."""

    pattern: str
    codes: frozenset[str]
    absolute: re.Pattern[str]
    basename: re.Pattern[str]
    negated: bool

    @classmethod
    def build(cls, pattern: str, root: str, codes: frozenset[str]) -> PerFileIgnore:
        negated = pattern.startswith("!")
        body = pattern[1:] if negated else pattern
        return cls(
            pattern=pattern,
            codes=codes,
            absolute=_compile(_anchored(body, root), pattern),
            basename=compile_glob(body),
            negated=negated,
        )

    def applies_to(self, path: str) -> bool:
        matched = bool(
            self.basename.fullmatch(os.path.basename(path)) or self.absolute.fullmatch(path)
        )
        return matched != self.negated
