"""A module's text as fixes see it: offsets of `ast` positions, comments, and removing one item
of a comma-separated list without touching a comment."""

from __future__ import annotations

import ast
import io
import itertools
import re
import tokenize
from bisect import bisect_right
from collections.abc import Sequence
from functools import cached_property
from typing import Final

from flake8_honeyhive.fixes.model import Edit

__all__ = ["SourceMap"]

_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")
_HORIZONTAL_SPACE: Final = " \t\f"


class SourceMap:
    """Offsets into a module's decoded text for `ast` positions, and what lies between nodes."""

    def __init__(self, text: str, lines: list[str] | None = None) -> None:
        self.text = text
        self._lines = lines  # the text split at each line break, if the caller has it

    @cached_property
    def line_starts(self) -> list[int]:
        text = self.text
        if "\r" in text:
            return [0, *(match.end() for match in _LINE_BREAK.finditer(text))]
        # The common case, without a regular expression: several times faster.
        lines = self._lines if self._lines is not None else text.split("\n")
        return [0, *itertools.accumulate(len(line) + 1 for line in lines[:-1])]

    @cached_property
    def newline(self) -> str:
        """The file's line break, for inserted lines."""
        match = _LINE_BREAK.search(self.text)
        return match.group() if match else "\n"

    @cached_property
    def comments(self) -> list[tuple[int, int]]:
        """The (start, end) offsets of every comment, from the tokenizer."""
        spans: list[tuple[int, int]] = []
        try:
            readline = io.StringIO(self.text, newline="").readline
            for token in tokenize.generate_tokens(readline):
                if token.type == tokenize.COMMENT:
                    start = self.char_offset(*token.start)
                    spans.append((start, start + len(token.string)))
        except (tokenize.TokenError, SyntaxError):
            spans.append((0, len(self.text)))  # unknown: treat the whole text as comment
        return spans

    def char_offset(self, row: int, column: int) -> int:
        """The offset of a 1-based row and a 0-based column counted in characters."""
        return self.line_starts[row - 1] + column

    def offset(self, row: int, utf8_column: int) -> int:
        """The offset of an `ast` position: a 1-based row and a UTF-8 byte column."""
        start = self.line_starts[row - 1]
        line_end = self.line_starts[row] if row < len(self.line_starts) else len(self.text)
        line = self.text[start:line_end]
        if line.isascii():
            return start + utf8_column
        prefix = line.encode("utf-8", "surrogatepass")[:utf8_column]
        return start + len(prefix.decode("utf-8", "ignore"))

    def start(self, node: ast.AST) -> int:
        return self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]

    def end(self, node: ast.AST) -> int:
        return self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]

    def segment(self, node: ast.AST) -> str:
        return self.text[self.start(node) : self.end(node)]

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based row and 1-based character column of an offset, as ruff shows edits."""
        row = bisect_right(self.line_starts, offset)
        return row, offset - self.line_starts[row - 1] + 1

    def has_comment(self, start: int, end: int) -> bool:
        """Whether a comment lies (even partly) within text[start:end]."""
        if "#" not in self.text[start:end]:
            return False  # most ranges: no need to tokenize the file
        return any(first < end and start < last for first, last in self.comments)

    def line_start(self, offset: int) -> int:
        return self.line_starts[bisect_right(self.line_starts, offset) - 1]

    def line_end(self, offset: int) -> int:
        """The offset of the line break that ends the line holding `offset` (or the text's end)."""
        match = _LINE_BREAK.search(self.text, offset)
        return match.start() if match else len(self.text)

    def after_line(self, offset: int) -> int:
        """The offset where the line after the one holding `offset` starts."""
        match = _LINE_BREAK.search(self.text, offset)
        return match.end() if match else len(self.text)

    def skip_trivia(self, offset: int, limit: int, *, closing: bool = False) -> int:
        """Past whitespace, line breaks, continuations and comments (and, with `closing`, the
        `)` of a parenthesized item), stopping at `limit`."""
        text = self.text
        while offset < limit:
            char = text[offset]
            if char.isspace() or char == "\\" or (closing and char == ")"):
                offset += 1
            elif char == "#":
                offset = self.line_end(offset)
            else:
                break
        return offset

    def item_end(self, node: ast.AST, limit: int) -> int:
        """Where a list item ends, past the closing parentheses that wrap it (`f(a=(x))`)."""
        end = self.end(node)
        position = end
        while position < limit:
            position = self.skip_trivia(position, limit)
            if position < limit and self.text[position] == ")":
                position += 1
                end = position
            else:
                break
        return end

    def remove_item(self, items: Sequence[tuple[int, int]], index: int, close: int) -> Edit | None:
        """The edit removing `items[index]` (start and end offsets) and its comma from a list
        that closes at `close`, keeping the layout valid; None if that would delete a comment."""
        start, end = items[index]
        text = self.text
        after = self.skip_trivia(end, close)
        comma = after if after < close and text[after] == "," else None
        tail = comma + 1 if comma is not None else end
        first_line = self.line_start(start)
        if (
            not text[first_line:start].strip()
            and not text[tail : self.line_end(tail)].strip()
            and self.line_end(tail) < close
        ):
            # The item has lines of its own (one argument per line): remove them.
            edit = Edit(first_line, self.after_line(tail), "")
            return None if self.has_comment(edit.start, edit.end) else edit
        if index + 1 < len(items):
            stop = tail
            while stop < close and text[stop] in _HORIZONTAL_SPACE:
                stop += 1
            edit = Edit(start, stop, "")
        elif index > 0:
            previous_end = items[index - 1][1]
            separator = self.skip_trivia(previous_end, start)
            edit = Edit(separator, end, "")  # keeps a trailing comma, now after the previous item
            if self.has_comment(edit.start, edit.end):
                edit = Edit(start, tail, "")
        else:
            edit = Edit(start, tail, "")
        return None if self.has_comment(edit.start, edit.end) else edit
