"""`honeyhive-lint` over real corpora: the shared fixtures, the examples, a generated dense corpus
(serial and parallel), and the installed Python's standard library."""

from __future__ import annotations

import shutil
import sysconfig
from collections import Counter
from pathlib import Path

from flake8_honeyhive.cli.runner import PARALLEL_MIN_BYTES
from tests.cli.helpers import lint
from tests.expectations import (
    EXAMPLES,
    FIXTURES,
    example_modules,
    expected_findings,
    syntactic_fixtures,
)


def _expected(paths: list[Path]) -> Counter[tuple[str, int, str]]:
    """What the command reports: it sees the whole project (`[project: ...]` findings too)."""
    return Counter(
        {
            (path.name, line, code): count
            for path in paths
            for (line, code), count in expected_findings(path, project=True).items()
        }
    )


def _reported(*args: str | Path, cwd: Path) -> Counter[tuple[str, int, str]]:
    # Isolated: the repository's own configuration (closest to these files) ignores HH in tests.
    run = lint("--isolated", "--output-format", "json", *args, cwd=cwd)
    assert run.stderr == ""
    return Counter((Path(d["filename"]).name, d["location"]["row"], d["code"]) for d in run.json())


def test_reports_exactly_the_annotated_lines_of_every_fixture(tmp_path: Path) -> None:
    assert _reported(FIXTURES, cwd=tmp_path) == _expected(syntactic_fixtures())


def test_reports_exactly_the_annotated_lines_of_the_examples(tmp_path: Path) -> None:
    assert _reported(EXAMPLES, cwd=tmp_path) == _expected(example_modules())


def test_serial_and_parallel_runs_give_identical_output(tmp_path: Path) -> None:
    """A corpus large enough for the automatic choice to go parallel, with a broken file in it."""
    sources = syntactic_fixtures() + example_modules()
    size = sum(path.stat().st_size for path in sources)
    copies = PARALLEL_MIN_BYTES // size + 1
    for copy in range(copies):
        for path in sources:
            target = tmp_path / f"pkg{copy:03d}" / path.parent.name / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    (tmp_path / "pkg000" / "broken.py").write_text("import honeyhive\nt.session_id = (\n")
    outputs = {
        jobs: lint("--output-format", "json", *jobs, cwd=tmp_path)
        for jobs in ((), ("--jobs", "1"), ("--jobs", "2"), ("--jobs", "3"))
    }
    serial = outputs["--jobs", "1"]
    assert serial.returncode == 1
    assert len(serial.json()) == copies * sum(_expected(sources).values()) + 1
    for jobs, run in outputs.items():
        assert (run.returncode, run.stdout, run.stderr) == (1, serial.stdout, ""), jobs


def test_standard_library_runs_clean(tmp_path: Path) -> None:
    """Every .py file of the installed Python (site-packages aside): no finding, no crash, exit 0.

    Its test suite holds files that do not parse (lib2to3 data, bad_coding*.py, badsyntax_*.py);
    they never mention honeyhive, so the pre-filter skips them without parsing.
    """
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    listed = lint("--show-files", "--exclude", "site-packages", stdlib, cwd=tmp_path)
    assert len(listed.lines) > 1000
    run = lint("--exclude", "site-packages", "--statistics", stdlib, cwd=tmp_path)
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")
