"""`# noqa` comments, parsed the way ruff parses them (ruff's `noqa.rs` lexer, ported).

Line directives, in a comment on the finding's start line (for a row continued with a backslash,
on the statement's last row, where ruff and flake8 look):
- `# noqa` (any case, `#noqa` too) suppresses every code on the line; so does `# noqa` followed by
  text that does not start with `:` (`# noqa because ...`).
- `# noqa: HH001, HH002` suppresses the listed codes only. Codes are uppercase letters then digits,
  separated by commas and/or whitespace (`#noqa:HH001`, `# noqa: E501 HH001` and `# noqa : HH001`
  all work). Lexing stops at the first item that is not a code (`# noqa: HH001 because ...`).
- A directive whose code list does not parse (`# noqa:` with nothing after it, `# noqa: hh001`,
  `# noqa: garbage`, `# noqa: HH001abc`, `#noqaHH001`) suppresses NOTHING and produces a warning.
  This is ruff's behaviour since 0.10; flake8 instead treats `# noqa:garbage` as a blanket `# noqa`.
  We follow ruff: a typo must not silently hide every finding on the line.
- A directive can follow another comment (`# type: ignore  # noqa: HH001`); only the first `noqa`
  directive of a comment counts, and codes match exactly (`# noqa: HH` suppresses nothing).

File exemptions, in a comment on a line of its own: `# ruff: noqa` or `# flake8: noqa` exempt the
whole file; `# ruff: noqa: HH001` (or `# flake8: noqa: HH001`) exempt it from the listed codes.
"""

from __future__ import annotations

import io
from typing import NamedTuple

__all__ = [
    "CodeSpan",
    "Comment",
    "Directive",
    "DirectiveText",
    "NoqaError",
    "Suppressions",
    "continued_rows",
    "locate_inline",
    "parse_file_exemption",
    "parse_inline",
]

MISSING_CODES = "expected a comma-separated list of codes (e.g., `# noqa: HH001, HH002`)"
INVALID_SUFFIX = (
    "expected `:` followed by a comma-separated list of codes (e.g., `# noqa: HH001, HH002`)"
)
INVALID_CODE_SUFFIX = (
    "expected code to consist of uppercase letters followed by digits only (e.g. `HH001`)"
)


class NoqaError(ValueError):
    """A `noqa` directive that does not parse; it suppresses nothing."""


class Directive(NamedTuple):
    """A parsed directive: `codes` is None for a blanket one."""

    codes: frozenset[str] | None

    def suppresses(self, code: str) -> bool:
        return self.codes is None or code in self.codes


BLANKET = Directive(None)


class CodeSpan(NamedTuple):
    """A code in a directive, and where it is in the comment."""

    code: str
    start: int
    end: int


class DirectiveText(NamedTuple):
    """Where a directive is in its comment: from its `#` to the end of its last code (or of
    the `noqa` keyword, for a blanket one). Text after it is the reader's, not the directive's."""

    start: int
    end: int
    codes: tuple[CodeSpan, ...]

    @property
    def directive(self) -> Directive:
        if not self.codes:
            return BLANKET
        return Directive(frozenset(code for code, _, _ in self.codes))


def _is_upper(char: str) -> bool:
    return "A" <= char <= "Z"


def _is_digit(char: str) -> bool:
    return "0" <= char <= "9"


def _skip_whitespace(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def _lex_codes(text: str, index: int) -> tuple[list[CodeSpan], int]:
    """The codes from `index` on, each with its span, and where the list ends."""
    codes: list[CodeSpan] = []
    end = index
    missing_delimiter = False  # inside joined codes such as `HH001HH002`
    while index < len(text):
        index = _skip_whitespace(text, index)
        if index < len(text) and text[index] == ",":
            index += 1  # an empty item (`HH001,,HH002`): ruff warns and goes on
            continue
        if index >= len(text) or not _is_upper(text[index]):
            break  # not a code: the rest is a free-text comment
        start = index
        while index < len(text) and _is_upper(text[index]):
            index += 1
        if index >= len(text) or not _is_digit(text[index]):
            if missing_delimiter:
                raise NoqaError(INVALID_CODE_SUFFIX)
            break  # a word, not a code: stop here
        while index < len(text) and _is_digit(text[index]):
            index += 1
        codes.append(CodeSpan(text[start:index], start, index))
        end = index
        if index >= len(text):
            break
        following = text[index]
        if following == ",":
            index += 1
            missing_delimiter = False
        elif following.isspace() or following == "#":
            missing_delimiter = False
        elif _is_upper(following):
            missing_delimiter = True  # `HH001HH002`: accepted, as ruff does (with a warning)
        else:
            raise NoqaError(INVALID_CODE_SUFFIX)
    return codes, end


def _lex_directive(text: str, start: int, index: int) -> DirectiveText:
    """The directive that starts at the `#` at `start`, whose `noqa` keyword ends at `index`."""
    if index >= len(text) or text[index] == "#":
        return DirectiveText(start, index, ())
    if text[index].isspace():
        keyword_end = index
        index = _skip_whitespace(text, index)
        if index >= len(text) or text[index] != ":":
            return DirectiveText(start, keyword_end, ())  # blanket, followed by free text
    elif text[index] != ":":
        raise NoqaError(INVALID_SUFFIX)
    codes, end = _lex_codes(text, index + 1)
    if not codes:
        raise NoqaError(MISSING_CODES)
    return DirectiveText(start, end, tuple(codes))


def _is_noqa(text: str, index: int) -> bool:
    word = text[index : index + 4]
    return word.isascii() and word.lower() == "noqa"


def locate_inline(comment: str) -> DirectiveText | None:
    """The line directive in a comment (from its `#` to the end of the line), with its span."""
    index = 0
    while (index := comment.find("#", index)) != -1:
        start = index
        index = _skip_whitespace(comment, index + 1)
        if _is_noqa(comment, index):
            return _lex_directive(comment, start, index + 4)
    return None


def parse_inline(comment: str) -> Directive | None:
    """The line directive in a comment (from its `#` to the end of the line), if any."""
    found = locate_inline(comment)
    return None if found is None else found.directive


def parse_file_exemption(comment: str) -> Directive | None:
    """The file exemption (`# ruff: noqa`, `# flake8: noqa: HH001`) in a comment, if any."""
    index = 0
    while (index := comment.find("#", index)) != -1:
        index = _skip_whitespace(comment, index + 1)
        for tool in ("ruff", "flake8"):
            if comment.startswith(tool, index):
                after = _skip_whitespace(comment, index + len(tool))
                if after < len(comment) and comment[after] == ":":
                    after = _skip_whitespace(comment, after + 1)
                    if _is_noqa(comment, after):
                        return _lex_directive(comment, index, after + 4).directive
    return None


class Comment(NamedTuple):
    row: int
    column: int  # of its `#`, in characters
    text: str
    own_line: bool


def _comments(text: str, lines: list[str]) -> list[Comment]:
    """Every real comment (not `#` inside a string), from the tokenizer."""
    import tokenize  # noqa: PLC0415 (only files with a `noqa` are tokenized; a cached run none)

    comments: list[Comment] = []
    try:
        # newline=None: rows split on \r and \r\n as well, as the parser counts them.
        for token in tokenize.generate_tokens(io.StringIO(text, newline=None).readline):
            if token.type == tokenize.COMMENT:
                row, column = token.start
                own_line = not token.line[:column].strip()
                comments.append(Comment(row, column, token.string, own_line))
    except (tokenize.TokenError, SyntaxError):
        # The tokenizer disagrees with the parser (rare): fall back to "from the first `#`".
        comments = []
        for row, line in enumerate(lines, start=1):
            column = line.find("#")
            if column != -1:
                comments.append(Comment(row, column, line[column:], not line[:column].strip()))
    return comments


def continued_rows(text: str) -> dict[int, int]:
    """Rows whose `# noqa` goes on a later row, each mapped to that row, as ruff maps them.

    A row continued with a backslash takes its comment from the end of the continuation, the only
    place a comment can go. The rows of a string that spans rows (triple-quoted, or an f-string
    with a finding in a replacement field) take theirs from the string's last row, where flake8
    looks too. Spans that share a row merge. A backslash continuation is the one place where the
    tokenizer moves to a later row without a NEWLINE or NL token.
    """
    import tokenize  # noqa: PLC0415 (as in `_comments`)

    # Python 3.12+ tokenizes an f-string into parts; 3.11 gives one STRING token.
    fstring_start = getattr(tokenize, "FSTRING_START", None)
    fstring_end = getattr(tokenize, "FSTRING_END", None)
    spans: list[tuple[int, int]] = []
    fstring_starts: list[int] = []
    previous: tokenize.TokenInfo | None = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(text, newline=None).readline):
            if (
                previous is not None
                and previous.type not in (tokenize.NEWLINE, tokenize.NL)
                and token.start[0] > previous.end[0]
            ):
                spans.append((previous.end[0], token.start[0]))
            if token.type == fstring_start:
                fstring_starts.append(token.start[0])
            elif token.type == fstring_end and fstring_starts:
                spans.append((fstring_starts.pop(), token.end[0]))
            elif token.type == tokenize.STRING and _is_read_as_one_row(token.string):
                spans.append((token.start[0], token.end[0]))
            previous = token
    except (tokenize.TokenError, SyntaxError):
        pass  # the rows found so far still hold
    rows: dict[int, int] = {}
    merged: list[list[int]] = []
    for first, last in sorted(span for span in spans if span[1] > span[0]):
        if merged and first <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    for first, last in merged:
        rows.update(dict.fromkeys(range(first, last), last))
    return rows


def _is_read_as_one_row(string: str) -> bool:
    """Whether ruff maps the rows of this string token to its last one: a triple-quoted string or
    an f-string (a plain string continued with a backslash keeps its rows)."""
    body = string.lstrip("bBrRuUfF")
    return "f" in string[: len(string) - len(body)].lower() or body[:3] in ('"""', "'''")


class NoqaWarning(NamedTuple):
    """Printed as `warning: {headline} on path:row: {detail}`, as ruff words it."""

    row: int
    headline: str
    detail: str


class Suppressions:
    """The `noqa` comments of one file."""

    def __init__(self, text: str, lines: list[str]) -> None:
        self.by_row: dict[int, Comment] = {}
        self.warnings: list[NoqaWarning] = []
        exemptions: list[Directive] = []
        for comment in _comments(text, lines):
            self.by_row.setdefault(comment.row, comment)
            try:
                exemption = parse_file_exemption(comment.text)
            except NoqaError as error:
                self.warnings.append(
                    NoqaWarning(comment.row, "Invalid `# ruff: noqa` directive", str(error))
                )
                continue
            if exemption is None:
                continue
            if not comment.own_line:
                self.warnings.append(
                    NoqaWarning(
                        comment.row,
                        "Unexpected `# ruff: noqa` directive",
                        "file-level suppression comments must appear on their own line; for a "
                        "line-level suppression, omit the `ruff:` prefix",
                    )
                )
                continue
            exemptions.append(exemption)
        self.file_exemption = _merge(exemptions)

    def exempts(self, code: str) -> bool:
        """Whether a file exemption (`# ruff: noqa`, `# flake8: noqa: HH001`) covers `code`."""
        return self.file_exemption is not None and self.file_exemption.suppresses(code)

    def suppresses(self, code: str, row: int) -> tuple[bool, NoqaWarning | None]:
        """Is `code` suppressed at `row`? Also the warning for an invalid directive there."""
        if self.exempts(code):
            return True, None
        comment = self.by_row.get(row)
        if comment is None:
            return False, None
        try:
            directive = parse_inline(comment.text)
        except NoqaError as error:
            return False, NoqaWarning(row, "Invalid `# noqa` directive", str(error))
        return directive is not None and directive.suppresses(code), None

    def directives(self) -> list[tuple[Comment, DirectiveText]]:
        """Every valid line directive, with its comment (invalid ones suppress nothing)."""
        found = []
        for comment in self.by_row.values():
            try:
                directive = locate_inline(comment.text)
            except NoqaError:
                continue
            if directive is not None:
                found.append((comment, directive))
        return found


def _merge(exemptions: list[Directive]) -> Directive | None:
    if not exemptions:
        return None
    if any(exemption.codes is None for exemption in exemptions):
        return BLANKET
    return Directive(frozenset().union(*(exemption.codes or () for exemption in exemptions)))
