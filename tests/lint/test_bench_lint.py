"""The lint benchmark runs end to end (its figures are not checked here: see the README)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.benchmark_runs import BENCHMARKS, missing_figures, quick_table


def test_bench_lint_quick_run_prints_every_figure() -> None:
    # The run also checks itself: both tools see the same files, the dense corpus yields exactly
    # its planted findings (from the cache too, and in-process as from a full parse of each file),
    # and flake8 reports the same with and without the HH plugin hidden.
    table = quick_table("bench_lint.py")
    figures = (
        "stdlib: `honeyhive-lint` vs `ruff",
        "dense, cold: `honeyhive-lint --no-cache` vs `ruff check --no-cache",
        "dense, warm: `honeyhive-lint` with its cache filled",
        "peak memory per MB of source",
        "one file): `--jobs 1` vs ruff",
        "end to end, wall time: with the HH plugin vs without",
        "end to end, CPU time (all processes): with HH vs without",
        "per file, in-process CPU time: HH's work",
        "loading the plugin inside flake8",
        "OpenTelemetry modules loaded",
    )
    assert missing_figures(table, figures) == [], table
    otel_row = next(row for row in table if "OpenTelemetry modules loaded" in row)
    assert "| none |" in otel_row, otel_row


def test_bench_lint_rejects_an_unknown_section() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "bench_lint.py"), "--only", "stdlib,nope"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "unknown section(s) nope" in result.stderr


def test_dense_corpus_is_deterministic_python_that_uses_the_sdk(tmp_path: Path) -> None:
    trees: list[dict[str, bytes]] = []
    generate = [sys.executable, str(BENCHMARKS / "dense_corpus.py"), "--files", "40", "--seed", "7"]
    for run in ("first", "second"):
        subprocess.run(
            [*generate, str(tmp_path / run)],
            check=True,
            capture_output=True,
            timeout=60,
        )
        trees.append(
            {
                str(path.relative_to(tmp_path / run)): path.read_bytes()
                for path in sorted((tmp_path / run).rglob("*.py"))
            }
        )
    assert trees[0] == trees[1]
    shared = {name for name in trees[0] if name.endswith("/tracing.py")}
    assert len(shared) == 1  # each package's shared tracer, imported by some of its modules
    modules = {
        name: source
        for name, source in trees[0].items()
        if "__init__" not in name and name not in shared
    }
    assert len(modules) == 40
    assert any(b"from .tracing import tracer as shared_tracer" in s for s in modules.values())
    for name, source in modules.items():
        ast.parse(source, filename=name)
        assert b"import honeyhive" in source or b"from honeyhive" in source, name
        assert b"enrich_session(" in source, name
        assert 50 <= source.count(b"\n") <= 400, name
