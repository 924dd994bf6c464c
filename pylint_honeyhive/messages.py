"""pylint's message definitions, built from the rule catalog."""

from __future__ import annotations

from typing import Final

from pylint.typing import MessageDefinitionTuple

from flake8_honeyhive.rules import PYLINT_RULES, Rule

__all__ = ["MESSAGES", "SYMBOLS", "description"]


def description(rule: Rule) -> str:
    """What ``pylint --help-msg`` prints under the message: the catalog's rule page in brief."""
    docs = rule.docs
    return f"{docs.what_it_does} {docs.why_is_this_bad} See {rule.url} for examples and fixes."


MESSAGES: Final[dict[str, MessageDefinitionTuple]] = {
    pylint_id: (rule.message, rule.symbol, description(rule))
    for pylint_id, rule in PYLINT_RULES.items()
}
SYMBOLS: Final = tuple(rule.symbol for rule in PYLINT_RULES.values())
