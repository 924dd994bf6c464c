"""pylint's functional tests over the shared fixtures and the inference fixtures.

Each fixture's ``# [symbol]`` annotations are the messages pylint must emit, and ``name.txt``
beside it holds their exact positions, texts and confidences.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.expectations import expected_findings
from tests.pylint.functional import functional_fixtures, inference_fixtures, lint_module_test


@pytest.mark.parametrize("path", functional_fixtures(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_functional(path: Path) -> None:
    lint_module_test(path).runTest()


@pytest.mark.parametrize("path", functional_fixtures(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_expected_output_exists_exactly_for_fixtures_with_findings(path: Path) -> None:
    # The framework reads a missing .txt as "no output": a fixture with annotations needs its file.
    has_findings = bool(expected_findings(path))
    assert path.with_suffix(".txt").is_file() == has_findings


def test_inference_fixtures_exercise_both_rules() -> None:
    codes = {code for path in inference_fixtures() for _, code in expected_findings(path)}
    assert codes == {"HH001", "HH002"}
