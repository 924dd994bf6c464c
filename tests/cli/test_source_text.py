"""`SourceText` decodes a file as Python reads it, asking the tokenizer only when a BOM or a
coding cookie may be there (most files have neither, and the tokenizer's reading costs time)."""

from __future__ import annotations

import codecs
import io
import tokenize

import pytest

from flake8_honeyhive.cli.diagnostics import SourceText

CASES = {
    "plain": b"import os\nx = 1\n",
    "non-ascii utf-8": "x = 'é'\n".encode(),
    "BOM": codecs.BOM_UTF8 + b"x = 1\n",
    "cookie, line 1": b"# -*- coding: latin-1 -*-\nx = '\xe9'\n",
    "cookie, line 2": b"#!/usr/bin/env python\n# coding=cp1252\nx = '\x80'\n",
    "cookie, line 3 (not one)": b"#!/usr/bin/env python\n\n# coding: latin-1\nx = '\xe9'\n",
    "cookie after code (not one)": b"x = 1  # coding: latin-1\ny = '\xe9'\n",
    "unknown encoding": b"# coding: no-such-codec\nx = 1\n",
    "BOM and another cookie": codecs.BOM_UTF8 + b"# coding: latin-1\nx = 1\n",
    "undecodable": b"x = '\xff\xfe'\n",
    "undecodable first line": b"\xff = 1\n",
    "word coding, no cookie": "# decoding the input\nx = 'é'\n".encode(),
    "CR line ends": b"# coding: latin-1\rx = '\xe9'\r",
    # With CR line ends the tokenizer reads one line: the second cookie is not seen.
    "CR line ends, two cookies": b"# encoding: utf-8\r# coding: latin-1\rname = '\xe9'\r",
    "empty": b"",
}


def _as_python_reads(source: bytes) -> tuple[str | None, str]:
    """The reference: the tokenizer's encoding, if the bytes decode with it."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        return encoding, source.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return None, source.decode("utf-8", errors="replace").removeprefix("\ufeff")


@pytest.mark.parametrize("source", CASES.values(), ids=CASES.keys())
def test_decoded_as_the_tokenizer_decodes(source: bytes) -> None:
    text = SourceText(source)
    assert (text.encoding, text.text) == _as_python_reads(source)


def test_cases_cover_each_outcome() -> None:
    outcomes = {_as_python_reads(source)[0] for source in CASES.values()}
    assert {"utf-8", "utf-8-sig", "iso-8859-1", "cp1252", None} <= outcomes
