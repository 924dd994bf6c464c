"""The engine's first step, kept apart so that callers can run it without loading the engine."""

from __future__ import annotations

import re
from typing import Final

from flake8_honeyhive.rules import RULE_TOKENS

_TOKENS_TEXT: Final = re.compile("|".join(sorted(RULE_TOKENS)))
_TOKENS_BYTES: Final = re.compile("|".join(sorted(RULE_TOKENS)).encode())


def could_have_findings(source: str | bytes) -> bool:
    """A microsecond test: False means the source cannot contain a finding, so skip parsing it.

    Most files in a real repository never mention honeyhive; for them this is one substring search.
    """
    if isinstance(source, bytes):
        return b"honeyhive" in source and _TOKENS_BYTES.search(source) is not None
    return "honeyhive" in source and _TOKENS_TEXT.search(source) is not None
