"""The checker's messages come from the rule catalog, and read back into their arguments."""

from __future__ import annotations

import pytest

from honeyhive.rules import (
    FORM_DICT_UNPACK,
    FORM_KEYWORD,
    FORM_POSITIONAL,
    HH001,
    HH002,
    LEGACY_SESSION_METHODS,
    RULES,
    SESSION_ATTRIBUTES,
    USAGE_ENRICH_OTHER_SESSION,
    Rule,
    legacy_method_usage,
    override_usage,
    rebind_usage,
)
from pylint_honeyhive import HoneyHiveChecker
from pylint_honeyhive.messages import MESSAGES, description, message_args


def test_one_message_per_rule_with_the_catalogs_id_symbol_and_template() -> None:
    assert HoneyHiveChecker.msgs == MESSAGES
    assert {pylint_id: definition[:2] for pylint_id, definition in MESSAGES.items()} == {
        rule.pylint_id: (rule.message, rule.symbol) for rule in RULES.values()
    }
    for rule in RULES.values():
        text = MESSAGES[rule.pylint_id][2]
        assert text == description(rule)
        assert rule.docs.what_it_does in text
        assert rule.url in text


ARGUMENTS = [
    *((HH001, {"form": form}) for form in (FORM_KEYWORD, FORM_DICT_UNPACK, FORM_POSITIONAL)),
    *((HH002, {"usage": override_usage(name)}) for name in ("trace", "tracer.trace")),
    *((HH002, {"usage": rebind_usage(name)}) for name in sorted(SESSION_ATTRIBUTES)),
    *((HH002, {"usage": legacy_method_usage(name)}) for name in sorted(LEGACY_SESSION_METHODS)),
    (HH002, {"usage": USAGE_ENRICH_OTHER_SESSION}),
]


@pytest.mark.parametrize(("rule", "args"), ARGUMENTS, ids=str)
def test_message_args_read_back_what_formatted_the_message(
    rule: Rule, args: dict[str, str]
) -> None:
    assert message_args(rule, rule.format(**args)) == args


def test_message_args_rejects_another_rules_message() -> None:
    with pytest.raises(ValueError, match="is not a HH002 message"):
        message_args(HH002, HH001.format(form=FORM_KEYWORD))
