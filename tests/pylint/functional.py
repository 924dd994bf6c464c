"""pylint's functional-test framework over the fixtures, with one shared configuration file.

Each fixture ``name.py`` has its expected output in ``name.txt`` beside it, in pylint's format
(symbol, line, column, end line, end column, object, message, confidence). After a deliberate
change, regenerate them and review the diff:

    python -m tests.pylint.functional --update
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Final

from pylint.testutils import FunctionalTestFile, LintModuleTest
from pylint.testutils.functional import LintModuleOutputUpdate
from pylint.testutils.output_line import OutputLine

from tests.expectations import syntactic_fixtures

RC_FILE: Final = Path(__file__).with_name("functional.rc")
INFERENCE_FIXTURES: Final = Path(__file__).parent.parent / "fixtures_inference"


def inference_fixtures() -> list[Path]:
    """The fixtures only pylint can satisfy (the modules they import live in ``chatapp/``)."""
    return sorted(INFERENCE_FIXTURES.glob("*.py"))


def functional_fixtures() -> list[Path]:
    return [*syntactic_fixtures(), *inference_fixtures()]


class FixtureFile(FunctionalTestFile):
    """A fixture configured by the shared ``functional.rc`` instead of a ``name.rc`` of its own."""

    @property
    def option_file(self) -> str:
        return str(RC_FILE)


UPDATE_COMMAND: Final = "python -m tests.pylint.functional --update"


class FixtureTest(LintModuleTest):
    """pylint's test, pointing at this repository's update command when the output differs."""

    def error_msg_for_unequal_output(
        self, expected_lines: list[OutputLine], received_lines: list[OutputLine]
    ) -> str:
        message = super().error_msg_for_unequal_output(expected_lines, received_lines)
        return f"{message}\nIf the change is deliberate, regenerate with: {UPDATE_COMMAND}\n"


def lint_module_test(path: Path, *, update: bool = False) -> LintModuleTest:
    test_file = FixtureFile(str(path.parent), path.name)
    test = (LintModuleOutputUpdate if update else FixtureTest)(test_file)
    test.setUp()
    return test


def main(argv: list[str]) -> int:
    if argv != ["--update"]:
        print(__doc__, file=sys.stderr)
        return 2
    for path in functional_fixtures():
        lint_module_test(path, update=True).runTest()
        print(f"regenerated the expected output of {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
