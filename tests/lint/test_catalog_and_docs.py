"""The catalog is the one source of truth: identifiers are well-formed, docs never drift from it,
and every page's examples behave as they claim."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flake8_honeyhive import ruledocs
from flake8_honeyhive.checker import check_source
from flake8_honeyhive.rules import ENGINE_RULES, FRONT_ENDS, RETIRED_CODES, RULES, Rule

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("rule", RULES.values(), ids=lambda r: r.code)
def test_identifiers_follow_flake8_and_pylint_conventions(rule: Rule) -> None:
    assert re.fullmatch(r"HH\d{3}", rule.code)
    assert set(rule.front_ends) <= set(FRONT_ENDS)
    # pylint: a category letter and four digits; checker ids 51-99 are for plugins.
    if "pylint" in rule.front_ends:
        assert rule.pylint_id is not None
        assert re.fullmatch(r"[CRWEF](5[1-9]|[6-9]\d)\d\d", rule.pylint_id)
    else:
        assert rule.pylint_id is None
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.symbol)
    assert rule.code not in RETIRED_CODES
    assert "\n" not in rule.message
    assert rule.url.endswith(f"/{rule.code}.md")


def test_codes_ids_and_symbols_are_unique() -> None:
    rules = list(RULES.values())
    for attribute in ("code", "symbol"):
        assert len({getattr(rule, attribute) for rule in rules}) == len(rules)
    pylint_ids = [rule.pylint_id for rule in rules if rule.pylint_id is not None]
    assert len(set(pylint_ids)) == len(pylint_ids)


def test_only_the_noqa_rule_is_opt_in_and_engine_rules_run_everywhere() -> None:
    assert [code for code, rule in RULES.items() if rule.opt_in] == ["HH100"]
    assert list(ENGINE_RULES) == ["HH001", "HH002"]


def test_generated_docs_match_the_catalog() -> None:
    assert ruledocs.stale_files(ROOT) == [], "run: python -m flake8_honeyhive.ruledocs"


def test_the_drift_check_notices_an_edited_page(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("<!-- section:rules -->\n<!-- /section:rules -->\n")
    assert ruledocs.main(["--root", str(tmp_path)]) == 0
    assert ruledocs.main(["--root", str(tmp_path), "--check"]) == 0
    page = tmp_path / "docs" / "rules" / "HH001.md"
    page.write_text(page.read_text() + "hand edit\n")
    assert ruledocs.main(["--root", str(tmp_path), "--check"]) == 1


@pytest.mark.parametrize("rule", ENGINE_RULES.values(), ids=lambda r: r.code)
def test_the_bad_example_fires_the_rule_and_the_fix_is_silent(rule: Rule) -> None:
    assert {f.code for f in check_source(rule.docs.example.encode())} == {rule.code}
    assert check_source(rule.docs.use_instead.encode()) == []


@pytest.mark.parametrize("rule", RULES.values(), ids=lambda r: r.code)
def test_each_page_documents_every_way_to_suppress(rule: Rule) -> None:
    page = (ROOT / "docs" / "rules" / f"{rule.code}.md").read_text()
    needles = [f"# noqa: {rule.code}", "per-file-ignores"]
    if rule.pylint_id is not None:
        needles += [f"disable={rule.symbol}", rule.pylint_id]
    if rule.warning_class is not None:
        needles.append(rule.warning_class)
    for needle in needles:
        assert needle in page
    if rule.fix_availability != "None":
        assert "## Fix safety" in page
    for heading in (
        "What it does",
        "Why is this bad?",
        "Example",
        "Use instead",
        "How to suppress",
    ):
        assert f"## {heading}" in page
