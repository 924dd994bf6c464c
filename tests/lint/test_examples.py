"""The example project: the syntactic front ends report exactly its annotated violations."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from flake8_honeyhive.checker import check_source
from tests.expectations import EXAMPLES, example_modules, expected_findings


@pytest.mark.parametrize("path", example_modules(), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_engine_reports_exactly_the_annotated_lines(path: Path) -> None:
    findings = check_source(path.read_bytes(), str(path))
    assert Counter((f.line, f.code) for f in findings) == expected_findings(path)


def test_examples_show_both_rules_their_fixed_forms_and_inference_only_cases() -> None:
    modules = {path.name: path for path in example_modules()}
    assert expected_findings(modules["handlers.py"], inference=True) == Counter()
    codes = {code for path in modules.values() for _, code in expected_findings(path)}
    assert codes == {"HH001", "HH002"}
    workers = modules["legacy_workers.py"]
    assert expected_findings(workers, inference=True) - expected_findings(workers)


def test_flake8_on_the_examples_directory() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select=HH", str(EXAMPLES)],
        capture_output=True,
        text=True,
        check=False,
    )
    reported = Counter(
        (Path(path).name, int(line))
        for path, line, *_ in (r.split(":") for r in result.stdout.splitlines())
    )
    expected = Counter(
        {
            (p.name, line): n
            for p in example_modules()
            for (line, _), n in expected_findings(p).items()
        }
    )
    assert reported == expected
