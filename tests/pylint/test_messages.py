"""The checker's messages come from the rule catalog."""

from __future__ import annotations

from flake8_honeyhive.rules import PYLINT_RULES, RULES
from pylint_honeyhive import HoneyHiveChecker
from pylint_honeyhive.messages import MESSAGES, description


def test_one_message_per_rule_with_the_catalogs_id_symbol_and_template() -> None:
    assert HoneyHiveChecker.msgs == MESSAGES
    assert {pylint_id: definition[:2] for pylint_id, definition in MESSAGES.items()} == {
        pylint_id: (rule.message, rule.symbol) for pylint_id, rule in PYLINT_RULES.items()
    }
    # Every rule pylint runs, and no other (HH100 judges noqa comments: honeyhive-lint only).
    assert [rule.code for rule in PYLINT_RULES.values()] == [
        rule.code for rule in RULES.values() if "pylint" in rule.front_ends
    ]
    for pylint_id, rule in PYLINT_RULES.items():
        text = MESSAGES[pylint_id][2]
        assert text == description(rule)
        assert rule.docs.what_it_does in text
        assert rule.url in text
