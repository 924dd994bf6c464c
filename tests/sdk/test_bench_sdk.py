"""The SDK benchmark script runs end to end (its figures are not checked here: see the README)."""

from __future__ import annotations

import subprocess
import sys

from .helpers import REPO_ROOT


def test_bench_sdk_quick_run_prints_every_figure() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "benchmarks" / "bench_sdk.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO_ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for figure in ("@tracer.trace", "HoneyHiveTracer.init", "enrich_session", "session_id=own"):
        assert figure in result.stdout, result.stdout
    assert "quick run" in result.stdout
