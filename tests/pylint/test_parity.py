"""pylint and the flake8 plugin's engine agree wherever syntax can decide; pylint sees further.

- On the shared syntactic fixtures: the same findings, to the column and the message text.
- On the inference fixtures and the example project: everything flake8 reports, and more.
- Where flake8 can only guess (HH001 on a receiver of unknown origin), inference may prove the
  receiver is something else: those lines are marked ``# refuted: symbol`` and pylint is silent.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Final

import pytest

from flake8_honeyhive.rules import ENGINE_RULES, HH001
from tests.expectations import EXAMPLES, example_modules, expected_findings, syntactic_fixtures
from tests.pylint.functional import INFERENCE_FIXTURES, inference_fixtures
from tests.pylint.runner import Reported, flake8_engine, lines_and_codes, pylint_run

DENSE_CORPUS: Final = Path(__file__).resolve().parents[2] / "benchmarks" / "dense_corpus.py"
REFUTED: Final = re.compile(r"# refuted: (?P<symbol>[a-z\-]+)\s*$")
_CODE_BY_SYMBOL: Final = {rule.symbol: rule.code for rule in ENGINE_RULES.values()}
REFUTED_FIXTURE: Final = INFERENCE_FIXTURES / "refuted_guesses.py"
SUPERSET_FIXTURES: Final = [path for path in inference_fixtures() if path != REFUTED_FIXTURE]

Run = dict[Path, list[tuple[Reported, str]]]


@pytest.fixture(scope="module")
def pylint_findings() -> Run:
    """One pylint run over every fixture and the example project."""
    return pylint_run([*syntactic_fixtures(), *inference_fixtures(), *example_modules()])


def findings_of(run: Run, path: Path) -> list[Reported]:
    return [reported for reported, _confidence in run[path.resolve()]]


def refuted(path: Path) -> Counter[tuple[int, str]]:
    marked: Counter[tuple[int, str]] = Counter()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = REFUTED.search(line)
        if match:
            marked[number, _CODE_BY_SYMBOL[match["symbol"]]] += 1
    return marked


@pytest.mark.parametrize("path", syntactic_fixtures(), ids=lambda p: p.name)
def test_same_findings_as_flake8_on_the_syntactic_fixtures(
    path: Path, pylint_findings: Run
) -> None:
    assert findings_of(pylint_findings, path) == flake8_engine(path)


@pytest.mark.parametrize("path", SUPERSET_FIXTURES, ids=lambda p: p.name)
def test_strictly_more_than_flake8_on_the_inference_fixtures(
    path: Path, pylint_findings: Run
) -> None:
    pylint, flake8 = findings_of(pylint_findings, path), flake8_engine(path)
    assert set(flake8) < set(pylint)
    assert lines_and_codes(pylint) == expected_findings(path)


def test_inference_refutes_only_flake8s_guesses(pylint_findings: Run) -> None:
    pylint = findings_of(pylint_findings, REFUTED_FIXTURE)
    flake8 = flake8_engine(REFUTED_FIXTURE)
    marked = refuted(REFUTED_FIXTURE)
    assert marked, "the fixture marks the guesses inference refutes"
    # Guesses exist only for HH001: HH002 needs syntactic proof of a tracer.
    assert {code for _, code in marked} == {HH001.code}
    assert lines_and_codes(flake8) == expected_findings(REFUTED_FIXTURE) + marked
    assert lines_and_codes(pylint) == expected_findings(REFUTED_FIXTURE)
    assert set(pylint) <= set(flake8)


@pytest.mark.parametrize("path", example_modules(), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_examples_are_flake8_plus_the_inference_only_findings(
    path: Path, pylint_findings: Run
) -> None:
    pylint = findings_of(pylint_findings, path)
    assert set(flake8_engine(path)) <= set(pylint)
    assert lines_and_codes(pylint) == expected_findings(path, inference=True)


def test_high_confidence_exactly_where_syntax_decided(pylint_findings: Run) -> None:
    """HIGH marks the syntactic engine's verdicts, INFERENCE everything inference decided."""
    confidences: Counter[str] = Counter()
    for path, findings in pylint_findings.items():
        syntactic = set(flake8_engine(path))
        for reported, confidence in findings:
            confidences[confidence] += 1
            if confidence == "HIGH":
                assert reported in syntactic, (path, reported)
            else:
                assert confidence == "INFERENCE", (path, reported, confidence)
    assert confidences["HIGH"]
    assert confidences["INFERENCE"]
    unknown = next(p for p in syntactic_fixtures() if p.name == "unknown_receivers.py")
    assert {c for _, c in pylint_findings[unknown.resolve()]} == {"HIGH"}


def test_everything_flake8_reports_on_generated_application_code(tmp_path: Path) -> None:
    """The benchmarks' generated modules: real-looking code that all uses the SDK, with planted
    violations in every form the generator knows."""
    subprocess.run(
        [sys.executable, str(DENSE_CORPUS), str(tmp_path), "--files", "60", "--seed", "11"],
        check=True,
        capture_output=True,
    )
    modules = sorted(tmp_path.rglob("*.py"))
    run = pylint_run(modules)
    flake8_total = 0
    for path in modules:
        flake8 = flake8_engine(path)
        flake8_total += len(flake8)
        assert set(flake8) <= set(findings_of(run, path)), path
    assert flake8_total > 0
