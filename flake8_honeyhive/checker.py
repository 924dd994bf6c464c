"""The rule engine's entry points, shared by the flake8 plugin, ``honeyhive-lint`` and pylint."""

from __future__ import annotations

import ast
import re
from typing import Final

from flake8_honeyhive.detect import find_violations
from flake8_honeyhive.findings import Finding
from honeyhive.rules import RULE_TOKENS

__all__ = ["Finding", "check_source", "check_tree", "could_have_findings"]

_TOKENS_TEXT: Final = re.compile("|".join(sorted(RULE_TOKENS)))
_TOKENS_BYTES: Final = re.compile("|".join(sorted(RULE_TOKENS)).encode())


def could_have_findings(source: str | bytes) -> bool:
    """A microsecond test: False means the source cannot contain a finding, so skip parsing it.

    Most files in a real repository never mention honeyhive; for them this is one substring search.
    """
    if isinstance(source, bytes):
        return b"honeyhive" in source and _TOKENS_BYTES.search(source) is not None
    return "honeyhive" in source and _TOKENS_TEXT.search(source) is not None


def check_tree(tree: ast.Module, source: str | bytes) -> list[Finding]:
    """Findings in an already parsed module (flake8 and pylint parse it for us)."""
    if not could_have_findings(source):
        return []
    return find_violations(tree, source)


def check_source(source: bytes | str, filename: str = "<stdin>") -> list[Finding]:
    """Parse and check one module.

    Raises SyntaxError, ValueError (null bytes) or UnicodeDecodeError when it cannot be parsed.
    Bytes are parsed as Python reads files, so coding cookies and BOMs are honoured.
    """
    if not could_have_findings(source):
        return []
    try:
        tree = ast.parse(source, filename=filename)
    except RecursionError:
        raise SyntaxError("too deeply nested for Python's parser", (filename, 1, 0, None)) from None
    return find_violations(tree, source)
