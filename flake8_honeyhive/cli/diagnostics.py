"""What the command reports: rule findings and files that could not be read or parsed.

Positions follow ruff's output: rows and columns are 1-based, columns count characters (not UTF-8
bytes, as `ast` does), and the end is exclusive.
"""

from __future__ import annotations

import codecs
import io
import re
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from flake8_honeyhive.fixes.model import Fix
from flake8_honeyhive.rules import RULES, Rule

if TYPE_CHECKING:
    from flake8_honeyhive.fixes.text import SourceMap

__all__ = [
    "INTERNAL_ERROR",
    "INVALID_SYNTAX",
    "IO_ERROR",
    "Diagnostic",
    "SourceText",
    "error_diagnostic",
    "io_error_diagnostic",
    "split_lines",
]

# Names of the diagnostics that are not rule findings (their `code` is None, as in ruff's JSON).
INVALID_SYNTAX = "invalid-syntax"
IO_ERROR = "io-error"
INTERNAL_ERROR = "internal-error"

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class Diagnostic(NamedTuple):
    """One reported problem. A tuple: worker processes send thousands back, and tuples pickle
    about three times faster than dataclasses."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str | None
    name: str
    message: str
    noqa_row: int | None = None
    # Edits by character offset into the decoded text of the file the diagnostic was found in.
    fix: Fix | None = None

    @property
    def rule(self) -> Rule | None:
        return RULES.get(self.code) if self.code else None

    @property
    def url(self) -> str | None:
        rule = self.rule
        return rule.url if rule else None

    @property
    def label(self) -> str:
        """What names the diagnostic in text formats: the code, or the error's name."""
        return self.code or self.name

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code or "", self.message)


class SourceText:
    """A source file's text, decoded as Python would, with its lines for position conversion."""

    def __init__(self, source: bytes) -> None:
        self.source = source

    @cached_property
    def _decoded(self) -> tuple[str | None, str]:
        source = self.source
        encoding: str | None = "utf-8"  # what Python assumes without a BOM or a coding cookie
        if _may_declare_encoding(source):  # only then is the tokenizer's reading needed
            import tokenize  # noqa: PLC0415 (rare: most files have neither)

            try:
                encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
            except (SyntaxError, LookupError):
                encoding = None
        if encoding is not None:
            try:
                return encoding, source.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                pass
        # Undecodable: good enough to show the line and place the caret.
        return None, source.decode("utf-8", errors="replace").removeprefix("\ufeff")

    @property
    def encoding(self) -> str | None:
        """The source's encoding as Python reads it (a coding cookie, a BOM), None if the bytes
        do not decode with it."""
        return self._decoded[0]

    @property
    def text(self) -> str:
        return self._decoded[1]

    def encode(self, text: str) -> bytes:
        """Fixed text as bytes in the source's own encoding (its BOM and cookie kept)."""
        assert self.encoding is not None, "an undecodable file has no fixes"
        return text.encode(self.encoding)

    @cached_property
    def source_map(self) -> SourceMap:
        """Offsets of rows and columns in the text, for fixes."""
        from flake8_honeyhive.fixes.text import SourceMap  # noqa: PLC0415 (only to show a fix)

        return SourceMap(self.text, self.lines)

    @cached_property
    def lines(self) -> list[str]:
        return split_lines(self.text)

    def line(self, row: int) -> str:
        """The text of a 1-based row, or "" past the end."""
        return self.lines[row - 1] if 0 < row <= len(self.lines) else ""

    def char_column(self, row: int, utf8_offset: int) -> int:
        """The 0-based character column of a UTF-8 byte offset in a row (`ast` counts bytes)."""
        text = self.line(row)
        if text.isascii():
            return min(utf8_offset, len(text))
        prefix = text.encode("utf-8", errors="surrogatepass")[: max(utf8_offset, 0)]
        return len(prefix.decode("utf-8", errors="ignore"))

    def position_of_byte(self, byte_index: int) -> tuple[int, int]:
        """Row and 0-based column of an offset into the raw bytes (decode errors, null bytes)."""
        before = self.source[:byte_index]
        row = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        return row, len(before[line_start:].decode("utf-8", errors="replace"))


def _may_declare_encoding(source: bytes) -> bool:
    """A BOM, or `coding` in the first two lines (as `tokenize` reads them: up to `\\n`), where
    a coding cookie would be."""
    if source.startswith(codecs.BOM_UTF8):
        return True
    first = source.find(b"\n")
    second = source.find(b"\n", first + 1) if first != -1 else -1
    return b"coding" in (source if second == -1 else source[:second])


def split_lines(text: str) -> list[str]:
    """The lines of `text` as Python counts them (CR LF, CR or LF end a line; a form feed does not),
    with an empty last one when the text ends with a line break."""
    if "\r" not in text:  # the common case: a plain split is many times faster
        return text.split("\n")
    return _LINE_BREAK.split(text)


def io_error_diagnostic(path: str, error: OSError) -> Diagnostic:
    detail = error.strerror or str(error)
    return Diagnostic(path, 1, 1, 1, 1, None, IO_ERROR, f"{type(error).__name__}: {detail}")


def _detail(error: Exception) -> str:
    if isinstance(error, MemoryError):
        return "not enough memory to check this file"
    if isinstance(error, RecursionError):
        return "nested too deeply to check"
    return "no detail"


def error_diagnostic(path: str, source: SourceText, error: Exception) -> Diagnostic:
    """A file that could not be parsed, decoded (or checked: a bug), at the best position known."""
    name = INVALID_SYNTAX
    if isinstance(error, SyntaxError):
        kind, detail = type(error).__name__, error.msg or str(error)
        if error.lineno is None:  # "source code string cannot contain null bytes"
            row, column = source.position_of_byte(max(source.source.find(b"\x00"), 0))
        else:  # some errors say line 0, offset -1 ("unknown encoding"): clamp to the file
            row = max(error.lineno, 1)
            column = source.char_column(row, max((error.offset or 1) - 1, 0))
    elif isinstance(error, UnicodeDecodeError):
        kind, detail = "UnicodeDecodeError", str(error)
        row, column = source.position_of_byte(error.start)
    elif isinstance(error, ValueError):  # Python 3.11's null-byte error
        kind, detail = "SyntaxError", str(error)
        row, column = source.position_of_byte(max(source.source.find(b"\x00"), 0))
    else:
        name, kind, detail = INTERNAL_ERROR, type(error).__name__, str(error) or _detail(error)
        row, column = 1, 0
    end_row, end_column = row, column + 1
    end_offset = error.end_offset if isinstance(error, SyntaxError) else None
    if isinstance(error, SyntaxError) and error.end_lineno and end_offset and end_offset > 0:
        candidate = (error.end_lineno, source.char_column(error.end_lineno, end_offset - 1))
        if candidate > (row, column):
            end_row, end_column = candidate
    return Diagnostic(
        path, row, column + 1, end_row, end_column + 1, None, name, f"{kind}: {detail}"
    )
