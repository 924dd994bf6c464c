"""The rule engine over the shared fixtures: exactly the annotated lines are reported."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from flake8_honeyhive.checker import check_source
from flake8_honeyhive.rules import ENGINE_RULES
from tests.expectations import expected_findings, syntactic_fixtures


@pytest.mark.parametrize("path", syntactic_fixtures(), ids=lambda p: p.name)
def test_reports_exactly_the_annotated_lines(path: Path) -> None:
    findings = check_source(path.read_bytes(), str(path))
    assert Counter((f.line, f.code) for f in findings) == expected_findings(path)


def test_every_fixture_set_exercises_both_rules() -> None:
    codes = {code for path in syntactic_fixtures() for _, code in expected_findings(path)}
    assert codes == set(ENGINE_RULES)


@pytest.mark.parametrize("path", syntactic_fixtures(), ids=lambda p: p.name)
def test_messages_come_from_the_catalog(path: Path) -> None:
    for finding in check_source(path.read_bytes(), str(path)):
        template = re.escape(finding.rule.message).replace(re.escape("%(form)s"), ".+")
        template = template.replace(re.escape("%(usage)s"), ".+")
        assert re.fullmatch(template, finding.message), finding.message
        assert finding.text == f"{finding.code} {finding.message}"
