"""`honeyhive-lint rule HH001`: a rule's documentation from the catalog, like `ruff rule`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from flake8_honeyhive.ruledocs import GENERATED_NOTE, rule_page
from flake8_honeyhive.rules import PROJECT_URL, RULES, Rule

__all__ = ["PROJECT_URL", "all_rules", "explain_json", "explain_text", "rule_json", "rule_markdown"]


# `ruff rule --output-format json` words it so.
_FIX_TEXT = {
    "None": "Fix is not available.",
    "Sometimes": "Fix is sometimes available.",
    "Always": "Fix is always available.",
}


def rule_markdown(rule: Rule) -> str:
    """The rule's page as generated for docs/rules/, without the generated-file note."""
    return rule_page(rule).replace(f"{GENERATED_NOTE}\n\n", "", 1)


def rule_json(rule: Rule) -> dict[str, Any]:
    """The rule in the shape of `ruff rule --output-format json`."""
    return {
        "name": rule.symbol,
        "code": rule.code,
        "linter": "honeyhive",
        "summary": rule.title,
        "message_formats": [rule.message],
        "fix": _FIX_TEXT[rule.fix_availability],
        "fix_availability": rule.fix_availability,
        "explanation": rule_markdown(rule),
        "preview": False,
        "url": rule.url,
        "pylint_id": rule.pylint_id,
    }


def explain_text(rules: Iterable[Rule]) -> str:
    return "\n".join(rule_markdown(rule) for rule in rules)


def explain_json(rules: Iterable[Rule], *, many: bool) -> str:
    data = [rule_json(rule) for rule in rules]
    return json.dumps(data if many else data[0], indent=2, ensure_ascii=False) + "\n"


def all_rules() -> list[Rule]:
    return list(RULES.values())
