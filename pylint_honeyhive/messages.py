"""pylint's message definitions, built from the rule catalog, and the way back from a message."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from pylint.typing import MessageDefinitionTuple

from honeyhive.rules import RULES, Rule

__all__ = ["MESSAGES", "SYMBOLS", "description", "message_args"]

_PLACEHOLDER: Final = re.compile(r"%\((\w+)\)s")


def description(rule: Rule) -> str:
    """What ``pylint --help-msg`` prints under the message: the catalog's rule page in brief."""
    docs = rule.docs
    return f"{docs.what_it_does} {docs.why_is_this_bad} See {rule.url} for examples and fixes."


MESSAGES: Final[dict[str, MessageDefinitionTuple]] = {
    rule.pylint_id: (rule.message, rule.symbol, description(rule)) for rule in RULES.values()
}
SYMBOLS: Final = tuple(rule.symbol for rule in RULES.values())


def _template_pattern(template: str) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(template)
    # split() alternates literal text and placeholder names: literal, name, literal, ...
    pattern = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)"
        for index, part in enumerate(parts)
    )
    return re.compile(pattern, re.DOTALL)


_PATTERNS: Final[Mapping[str, re.Pattern[str]]] = {
    code: _template_pattern(rule.message) for code, rule in RULES.items()
}


def message_args(rule: Rule, message: str) -> dict[str, str]:
    """The arguments that format ``rule``'s template into ``message``.

    The syntactic engine hands back formatted messages; pylint formats its own from arguments.
    Reading the arguments back keeps both texts identical, however the engine named the usage.
    """
    match = _PATTERNS[rule.code].fullmatch(message)
    if match is None:
        raise ValueError(f"{message!r} is not a {rule.code} message")
    return match.groupdict()
