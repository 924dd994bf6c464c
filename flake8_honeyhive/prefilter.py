"""The engine's first step, kept apart so that callers can run it without loading the engine."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Final

from flake8_honeyhive.rules import ENRICH_SESSION, RULE_TOKENS, SESSION_ID_PARAMETER

__all__ = ["SEARCH_TOKENS", "as_identifiers_read", "could_have_findings", "mentions_honeyhive"]

# The rule tokens to search for: their shortest spellings suffice (`acreate_session` contains
# `create_session`), the commonest first, since a search stops at the first one found. Substring
# tests are many times faster than a regular expression of alternatives.
SEARCH_TOKENS: Final = tuple(
    sorted(
        {token for token in RULE_TOKENS if not any(t != token and t in token for t in RULE_TOKENS)},
        key=lambda token: (token != ENRICH_SESSION, token != SESSION_ID_PARAMETER, token),
    )
)
_TOKENS_BYTES: Final = tuple(token.encode() for token in SEARCH_TOKENS)


def could_have_findings(source: str | bytes, *, anywhere: bool = False) -> bool:
    """A microsecond test: False means the source cannot contain a finding, so skip parsing it.

    Most files in a real repository never mention honeyhive; for them this is one substring search.
    With ``anywhere``, for a module checked with the summaries of the modules it imports (which
    may give it a tracer without it naming honeyhive), only the rule tokens count.
    """
    if _mentions_tokens(source, anywhere):
        return True
    # Python reads identifiers NFKC-normalised: fullwidth `enrich_session` is `enrich_session`.
    read = as_identifiers_read(source)
    return read is not source and _mentions_tokens(read, anywhere)


def mentions_honeyhive(source: str | bytes) -> bool:
    """Whether the source names honeyhive anywhere (as Python reads identifiers)."""
    if _names_honeyhive(source):
        return True
    read = as_identifiers_read(source)
    return read is not source and _names_honeyhive(read)


def _names_honeyhive(source: str | bytes) -> bool:
    if isinstance(source, bytes):
        return b"honeyhive" in source
    return "honeyhive" in source


def _mentions_tokens(source: str | bytes, anywhere: bool = False) -> bool:
    if isinstance(source, bytes):
        return (anywhere or b"honeyhive" in source) and any(t in source for t in _TOKENS_BYTES)
    return (anywhere or "honeyhive" in source) and any(t in source for t in SEARCH_TOKENS)


def as_identifiers_read(source: str | bytes) -> str | bytes:
    """The source with every character as Python reads it in identifiers (NFKC), line for line.

    Unchanged when no character would read as an ASCII letter, digit or underscore, the only ones
    the rules' names are spelled with (accents, dashes and spaces in comments and strings are
    common; fullwidth letters are rare), or when already normalised. Other text is decoded as
    UTF-8, the default source encoding (a file in another encoding loses nothing: its fullwidth
    letters would not decode to rule tokens in UTF-8 either way, and the parser decides).
    """
    if source.isascii():
        return source
    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
    if unicodedata.is_normalized("NFKC", text):  # the quickest test
        return source
    if not any(map(_reads_as_a_name_character, set(_NON_ASCII.findall(text)))):
        return source
    return unicodedata.normalize("NFKC", text)


_NON_ASCII: Final = re.compile(r"[^\x00-\x7f]")


@functools.cache
def _reads_as_a_name_character(character: str) -> bool:
    """Whether NFKC turns `character` into ASCII letters, digits or `_` (a fullwidth `e` into
    `e`). Composition with neighbours only ever makes characters that are not ASCII."""
    return any(
        c.isascii() and (c.isalnum() or c == "_") for c in unicodedata.normalize("NFKC", character)
    )
