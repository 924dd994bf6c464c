"""Parse only the top-level statements the rules read.

Most of a module never matters to HH001 and HH002: the rules look at the statements that span a
line naming a rule token (or ``honeyhive``), and at the statements that bind the names those
resolve, transitively. This module finds the top-level statements from the text alone, keeps
those, and parses the source with every other statement replaced by as many empty lines, so that
the kept statements come out of ``ast.parse`` exactly as from the whole source: same nodes, same
lines and columns. The engine then finds the same findings as on the full tree (a test compares
both over every fixture and a sample of the dense corpus; the lint benchmark over the whole
corpus).

Why the findings are the same. The engine reads a top-level statement in two ways only: it walks
the statements spanning a rule line (all kept), and it resolves names, which reads the statements
binding a looked-up name in the module scope, directly or through ``global`` in a function. Every
name it looks up is spelled in a statement it reads (string annotations included), so: a statement
is kept if it spans a rule line, or if it may bind a word spelled in a kept statement. What a
statement may bind is over-estimated: every identifier in its text, except for a single ``def`` or
``class`` without ``global`` or ``:=`` in it, which binds its name, and a plain assignment to one
name (``name = value`` or ``name: annotation = value``, with no other ``=`` nor ``;`` after the
first), which binds that name. Keeping more than needed changes nothing: the full tree has those
statements too.

Where statements start is read with a lexer written as one regular expression (strings, comments,
brackets, backslash continuations), so a line of code inside a string or inside brackets is never
taken for a statement. Anything it does not recognise with certainty (an f-string with nested
quotes, brackets nested very deep, a form feed, a lone CR, another encoding than UTF-8) returns
None, and the caller parses the whole source.

The one difference: a syntax error inside a statement the rules never read is not seen. Files
without any rule token are not parsed at all, for the same reason.
"""

from __future__ import annotations

import ast
import functools
import keyword
import re
import unicodedata
import warnings
from bisect import bisect_right
from collections.abc import Callable, Iterator
from typing import Final, NamedTuple

__all__ = ["Chunk", "needed_source", "parse_needed", "top_level_chunks"]

# --- the lexer ---------------------------------------------------------------------------------
# Where a string ends does not depend on its prefix, except for f-strings from Python 3.12 on,
# whose replacement fields may hold strings in the same quotes, and comments. f-strings are matched
# only when their fields hold nothing that Python 3.11 and 3.12 could read differently: names,
# operators, strings in the other quotes, two levels of brackets, a conversion and a format spec
# (where `#` is a flag, not a comment); any other f-string stops the lexer: doubt.
# Runs of ordinary characters are matched whole, so that the expression costs little per byte.


def _plain_strings() -> str:
    forms = []
    for q in ("'", '"'):
        triple = rf"{q}{q}(?:[^{q}\\]++|\\[\s\S]|{q}(?!{q}{q}))*+{q * 3}"
        short = rf"(?:[^{q}\\\r\n]++|\\(?:\r\n|[\s\S]))*+{q}"
        forms.append(rf"{q}(?:{triple}|{short})")  # `''` is an empty string unless a third follows
    return "(?:" + "|".join(forms) + ")"


def _f_field(other: str) -> str:
    """A replacement field `{expression!r:spec}` whose strings are in the `other` quotes."""
    nested = rf"{other}[^'\"\\{{}}\r\n]*+{other}"
    inside = r"[^{}'\"\\#\r\n()\[\]]++"
    brackets = rf"[(\[](?:{inside}|{nested})*+[)\]]"
    brackets = rf"[(\[](?:{inside}|{nested}|{brackets})*+[)\]]"  # `{len(x[0])}`
    expression = rf"(?:[^{{}}'\"\\#:!\r\n()\[\]]++|!=|{nested}|{brackets}|\{{{inside}\}})*+"
    spec = r"(?::(?:[^{}'\"\\\r\n]++|\{[^{}'\"\\#\r\n]*+\})*+)?"  # `:#x`, `:>{width}`
    return rf"\{{{expression}(?:![rsa])?{spec}\}}"


def _f_strings() -> str:
    forms = []
    for quote, other in (("'", '"'), ('"', "'")):
        field = _f_field(other)
        # A backslash before a brace leaves the brace to open a field (`rf"\{name}"`).
        short = rf"[^{{}}{quote}\\\r\n]++|\\(?:\r\n|[^{{}}\r\n])?|\{{\{{|\}}\}}|{field}"
        triple = rf"[^{{}}{quote}\\]++|\\[^{{}}]?|\{{\{{|\}}\}}|{field}|{quote}(?!{quote * 2})"
        forms.append(rf"{quote * 3}(?:{triple})*+{quote * 3}")
        forms.append(rf"{quote}(?:{short})*+{quote}")
    return "(?:" + "|".join(forms) + ")"


# At a quote: is it an f-string's? Its prefix is `f`, `rf` or `fr` after a character that is not
# part of a word (the lexed text always starts with a newline, so there is one).
_IS_F: Final = r"(?:(?<=[^\w][fF])|(?<=[^\w][rR][fF])|(?<=[^\w][fF][rR]))"
_NOT_F: Final = rf"(?:(?<![fFrR])|(?!{_IS_F}))"
# (Each starts with a look at the next character, so that it fails at once where no string
# starts: the look-behinds would otherwise run at every closing bracket.)
_STRING: Final = rf"(?=['\"])(?:{_NOT_F}{_plain_strings()}|(?={_IS_F}){_f_strings()})"
_PLAIN_STRING: Final = rf"(?=['\"]){_NOT_F}{_plain_strings()}"
_CONTINUATION: Final = r"\\\r?\n"
_COMMENT: Final = r"\#[^\r\n]*+"
# Brackets nested deeper stop the lexer, and so do f-strings nested deeper than _F_DEPTH (each
# level repeats the string expressions: this keeps compiling the lexer to about 10 ms).
_MAX_DEPTH: Final = 10
_F_DEPTH: Final = 3


def _bracketed(depth: int) -> str:
    strings = _STRING if _MAX_DEPTH - depth < _F_DEPTH else _PLAIN_STRING
    inner = [r"[^'\"#\\()\[\]{}]++", strings, _COMMENT, _CONTINUATION]
    if depth > 1:
        inner.insert(1, _bracketed(depth - 1))
    return r"[(\[{](?:" + "|".join(inner) + r")*+[)\]}]"


# A statement starts at column 0 with one of these, and continues over indented, blank and
# comment lines, and over the clauses of a compound statement: at the top level, a newline
# followed by such a line is one more token of the statement.
_CLAUSE: Final = r"(?:else|elif|except|finally)\b"
_START: Final = rf"(?=[\w@(\[{{'\".~+\-*])(?!{_CLAUSE})"
_CONTINUED: Final = rf"(?=[ \t]|[ \t\f]*+(?:\r?\n|\#)|{_CLAUSE})"
_DEFINES: Final = r"(?:(?:async[ \t]++)?(?:def|class)[ \t]++(?P<name>\w++))?"
_TOP_TOKENS: Final = [
    r"[^'\"#\\()\[\]{}\r\n]++",
    _bracketed(_MAX_DEPTH),
    _STRING,
    _CONTINUATION,
    _COMMENT,
    rf"\r?\n{_CONTINUED}",
]
_CHUNK: Final = re.compile(rf"{_START}{_DEFINES}(?:{'|'.join(_TOP_TOKENS)})*+(?:\r?\n|\Z)")
_BLANKS: Final = re.compile(r"(?:[ \t\f]*+(?:\#[^\r\n]*+)?\r?\n)++|[ \t\f]*+(?:\#[^\r\n]*+)?\Z")
# A form feed in the indentation resets the column to 0: that line may start a statement.
_FORM_FEED_INDENT: Final = re.compile(r"^[ \t]*+\f[ \t\f]*+[^\s#]", re.MULTILINE)

_DECORATOR: Final = "@"
_QUOTES: Final = ("'", '"')
_MAY_BIND_MORE: Final = ("global", ":=")  # a function declaring a name global binds it
_IDENTIFIER: Final = re.compile(r"\w+")
# A chunk starting as a plain assignment to one name; what follows it must hold no `=` nor `;`.
_ASSIGNMENT: Final = re.compile(r"(?P<name>[^\W\d]\w*+)[ \t]*+(?::[^=;\r\n#]*+)?=(?!=)")
_OTHER_STATEMENT: Final = re.compile(r"[=;]")
# Hard keywords can never be bound; soft ones (`match`, `type`, `_`) can.
_KEYWORDS: Final = frozenset(keyword.kwlist)
_COOKIE: Final = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.ASCII | re.MULTILINE)
# Kept text parsed at once: the parser's copy of a batch's tree is freed before the next one.
_BATCH_SIZE: Final = 256 * 1024
_UTF8_NAMES: Final = frozenset({"utf-8", "utf_8", "utf8", "utf-8-sig"})


class Chunk(NamedTuple):
    """Whole top-level statements, with the blank and comment lines after them."""

    start: int  # offsets in the text
    end: int
    first: int  # its first line
    newlines: int
    defines: str | None  # the name a `def` or `class` (decorated or not) binds; None otherwise


def _text_of(source: str | bytes) -> str | None:
    """The source as the parser reads it, or None when this module should not guess."""
    if isinstance(source, bytes):
        if b"\0" in source:
            return None
        try:
            text = source.decode("utf-8-sig")  # a BOM is not part of the first line
        except UnicodeDecodeError:
            return None
        head = "\n".join(text.split("\n", 2)[:2])
        cookie = _COOKIE.search(head)
        if cookie is not None and cookie.group(1).lower() not in _UTF8_NAMES:
            return None
    else:
        text = source
        if "\0" in text or text.startswith("\ufeff"):
            return None
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None  # a lone CR ends a line for Python, not for these regular expressions
    if "\f" in text and _FORM_FEED_INDENT.search(text):
        return None
    if "barry_as_FLUFL" in text:
        return None  # a future import that changes the grammar
    return text


def top_level_chunks(text: str) -> list[Chunk] | None:
    """The top-level statements of ``text``, a decorated definition with its decorators; None if
    where they start is not certain."""
    padded = "\n" + text  # see _IS_F; offsets in `padded` are one more than in `text`
    chunks: list[Chunk] = []
    # Locals for the loop, which runs once per statement of every file parsed in part.
    append, count, chunk_at, new_chunk = chunks.append, padded.count, _CHUNK.match, tuple.__new__
    position, size, line = 1, len(padded), 1
    decorators: tuple[int, int] | None = None  # (offset, line) where decorators start
    while position < size:
        match = chunk_at(padded, position)
        defines = None
        if match is None:
            match = _BLANKS.match(padded, position)
        else:
            defines = match.group("name")
        end = match.end() if match is not None else position
        if end == position:
            return None
        newlines = count("\n", position, end)
        if padded[position] == _DECORATOR:
            decorators = decorators or (position, line)
        else:
            start, first = decorators or (position, line)
            if decorators is not None and defines is None:
                return None  # a decorator over something else than a definition: not Python
            fields = (start - 1, end - 1, first, line + newlines - first, defines)
            append(new_chunk(Chunk, fields))
            decorators = None
        position, line = end, line + newlines
    return None if decorators is not None else chunks


def _word_finder(text: str) -> Callable[[int, int], list[str]]:
    """The identifiers spelled in text[start:end], as Python reads them (NFKC: fullwidth letters
    are the ASCII ones)."""
    if text.isascii():
        return functools.partial(_IDENTIFIER.findall, text)
    return lambda start, end: _IDENTIFIER.findall(unicodedata.normalize("NFKC", text[start:end]))


def _binds_more(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether a definition may bind more than its name: through `global` in a function, or
    `:=` (the engine binds neither today, but one name less would be a finding lost)."""
    end = len(text) if end is None else end
    return any(text.find(word, start, end) != -1 for word in _MAY_BIND_MORE)


def _string_binds(text: str, start: int, end: int, anywhere: bool) -> bool:
    """Whether a statement that starts with a string may bind a name all the same: through `:=`,
    or another statement after a `;`."""
    return text.find(";", start, end) != -1 or (anywhere and _binds_more(text, start, end))


def parse_needed(source: str | bytes, rule_lines: list[int]) -> ast.Module | None:
    """The module with only the top-level statements the rules read, or None if not certain.

    ``rule_lines`` are the lines naming a rule token or ``honeyhive`` (sorted). Raises what
    ``ast.parse`` raises for the kept statements; the caller then parses the whole source.
    Large sources are parsed in batches of statements: while it builds a tree, ``ast.parse``
    holds the parser's own copy of it as well, about as large.
    """
    needed = _needed(source, rule_lines)
    if needed is None:
        return None
    text, chunks, kept = needed
    module = ast.Module(body=[], type_ignores=[])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # compiler warnings are not findings
        for start, stop in _batches(chunks, kept):
            # As many empty lines before the batch as it starts after: the same line numbers.
            batch = "\n" * (chunks[start].first - 1) + _masked(text, chunks, kept, start, stop)
            tree = ast.parse(batch)
            module.body += tree.body
            module.type_ignores += tree.type_ignores
    return module


def needed_source(source: str | bytes, rule_lines: list[int]) -> str | None:
    """The source with every top-level statement the rules never read replaced by as many empty
    lines, or None if that is not certain, or would leave nothing out of a small source."""
    needed = _needed(source, rule_lines)
    if needed is None:
        return None
    text, chunks, kept = needed
    return _masked(text, chunks, kept, 0, len(chunks))


def _needed(
    source: str | bytes, rule_lines: list[int]
) -> tuple[str, list[Chunk], list[bool]] | None:
    """The text, its top-level chunks, and which to keep; None when not certain, or when every
    chunk of a small text is to be kept."""
    text = _text_of(source)
    if text is None:
        return None
    chunks = top_level_chunks(text)
    if chunks is None:
        return None
    kept = _spanning(chunks, rule_lines)
    if all(kept) and len(text) < _BATCH_SIZE:
        return None  # nothing to leave out, nor to parse in batches: a full parse is the same
    # The words the kept chunks spell, and what each other chunk may bind: one name, or the words
    # of its text. (The engine's hot path for large files: set operations over lists of words, so
    # that no Python code runs per word.)
    words = _word_finder(text)
    ascii = text.isascii()
    anywhere = _binds_more(text)
    needed: set[str] = set()
    unread: list[tuple[int, str | list[str]]] = []
    for index, (start, end, _, _, defines) in enumerate(chunks):
        if kept[index]:
            needed.update(words(start, end))
        elif defines is not None and not (anywhere and _binds_more(text, start, end)):
            unread.append((index, defines if ascii else unicodedata.normalize("NFKC", defines)))
        elif text.startswith(_QUOTES, start) and not _string_binds(text, start, end, anywhere):
            continue  # a docstring, or another expression starting with a string: binds nothing
        else:
            unread.append((index, _assigned_name(text, start, end, words) or words(start, end)))
    needed -= _KEYWORDS  # never bound
    # Keep every chunk that may bind a needed word, with the words it spells, until none is left.
    grew = True
    while grew:
        grew = False
        still: list[tuple[int, str | list[str]]] = []
        for index, binds in unread:
            if binds in needed if type(binds) is str else not needed.isdisjoint(binds):
                kept[index] = True
                start, end, *_ = chunks[index]
                needed.update(words(start, end))
                needed -= _KEYWORDS
                grew = True
            else:
                still.append((index, binds))
        unread = still
    return text, chunks, kept


def _assigned_name(
    text: str, start: int, end: int, words: Callable[[int, int], list[str]]
) -> str | None:
    """The one name a chunk binds if it is a plain assignment to a name (`name = value`, or
    `name: annotation = value`); None for any other target (`a, b = ...`, `a.b = ...`), or with
    another `=` or a `;` after the first `=` (`a = b = c`, `f(x=1)`, `:=`, `==`, `a = 1; b = 2`):
    the chunk may then bind every word it spells."""
    assignment = _ASSIGNMENT.match(text, start, end)
    if assignment is None or _OTHER_STATEMENT.search(text, assignment.end(), end) is not None:
        return None
    names = words(*assignment.span("name"))  # as Python reads it (NFKC)
    if len(names) != 1 or names[0] in _KEYWORDS:
        return None  # `try: x = 1` is no assignment to `try`
    return names[0]


def _masked(text: str, chunks: list[Chunk], kept: list[bool], start: int, stop: int) -> str:
    """Chunks `start` to `stop`, those not kept replaced by as many empty lines."""
    return "".join(
        text[chunk.start : chunk.end] if keep else "\n" * chunk.newlines
        for chunk, keep in zip(chunks[start:stop], kept[start:stop], strict=True)
    )


def _batches(chunks: list[Chunk], kept: list[bool]) -> Iterator[tuple[int, int]]:
    """Ranges of chunks, each starting with a kept one, holding about _BATCH_SIZE of kept text."""
    start: int | None = None
    size = 0
    for index, chunk in enumerate(chunks):
        if not kept[index]:
            continue
        if start is None:
            start, size = index, 0
        size += chunk.end - chunk.start
        if size >= _BATCH_SIZE:
            yield start, index + 1
            start = None
    if start is not None:
        yield start, len(chunks)


def _spanning(chunks: list[Chunk], lines: list[int]) -> list[bool]:
    """For each chunk, whether it spans one of ``lines`` (the chunks cover the text)."""
    kept = [False] * len(chunks)
    firsts = [chunk.first for chunk in chunks]
    for line in lines:
        kept[bisect_right(firsts, line) - 1] = True
    return kept
