"""The scheduler, in process: when it goes parallel, and what happens when a worker dies."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from flake8_honeyhive.cli import runner
from flake8_honeyhive.cli.lint import FileJob, FileOutcome
from flake8_honeyhive.rules import ENGINE_RULES
from tests.cli.helpers import HH001_SOURCE, IMPORT, TRACER

EVERY_RULE = frozenset(ENGINE_RULES)


def _every_rule(path: str) -> frozenset[str]:
    return EVERY_RULE


def _files(directory: Path, total_bytes: int) -> list[str]:
    """HH001 files adding up to at least `total_bytes`, plus one that never mentions honeyhive."""
    directory.mkdir()
    filler = "".join(f"x{n} = {n}\n" for n in range(200))
    source = HH001_SOURCE + filler
    count = total_bytes // len(source.encode()) + 1
    paths = []
    for index in range(count):
        path = directory / f"m{index:04d}.py"
        path.write_text(source, encoding="utf-8")
        paths.append(str(path))
    (directory / "plain.py").write_text(filler, encoding="utf-8")
    return [*paths, str(directory / "plain.py")]


def _summary(result: runner.RunResult) -> list[tuple[str, tuple[object, ...]]]:
    return [(outcome.path, outcome.diagnostics) for outcome in result.outcomes]


def test_few_files_are_checked_in_process(tmp_path: Path) -> None:
    paths = _files(tmp_path / "small", 10_000)
    result = runner.check_files(paths, _every_rule)
    assert result.parallel_workers == 0
    assert len(result.outcomes) == len(paths) - 1  # the plain file is never parsed
    assert str(tmp_path / "small" / "plain.py") not in result.sources


@pytest.mark.skipif(runner.available_cores() < 2, reason="needs two cores")
def test_much_to_parse_uses_every_core_with_the_same_results(tmp_path: Path) -> None:
    paths = _files(tmp_path / "large", runner.PARALLEL_MIN_BYTES)
    parallel = runner.check_files(paths, _every_rule)
    assert parallel.parallel_workers == runner.available_cores()
    serial = runner.check_files(paths, _every_rule, jobs=1)
    assert serial.parallel_workers == 0
    assert _summary(parallel) == _summary(serial)
    assert all(len(outcome.diagnostics) == 1 for outcome in serial.outcomes)


@pytest.mark.skipif(runner.available_cores() < 2, reason="needs two cores")
def test_the_pool_takes_chunks_while_files_are_still_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _files(tmp_path / "files", 60_000)
    serial = runner.check_files(paths, _every_rule, jobs=1)
    sent: list[int] = []
    submit = runner._Pool.submit

    def counting(pool: runner._Pool, chunk: list[FileJob]) -> None:
        sent.append(len(chunk))
        submit(pool, chunk)

    monkeypatch.setattr(runner._Pool, "submit", counting)
    monkeypatch.setattr(runner, "PARALLEL_MIN_BYTES", 10_000)
    monkeypatch.setattr(runner, "STREAM_CHUNK_BYTES", 5_000)
    streamed = runner.check_files(paths, _every_rule)
    assert streamed.parallel_workers == runner.available_cores()
    assert len(sent) > 5  # chunk after chunk, not one batch at the end
    assert sum(sent) == len(paths) - 1  # every file that needs parsing, once
    assert _summary(streamed) == _summary(serial)


def _die(jobs: Sequence[FileJob]) -> list[FileOutcome]:
    os._exit(3)  # a worker killed mid-chunk (out of memory, say)


def test_a_dead_worker_falls_back_to_checking_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = _files(tmp_path / "files", 20_000)
    expected = _summary(runner.check_files(paths, _every_rule, jobs=1))
    monkeypatch.setattr(runner, "lint_chunk", _die)
    result = runner.check_files(paths, _every_rule, jobs=2)
    assert result.parallel_workers == 0
    assert _summary(result) == expected
    assert "a worker process died; checking serially" in capsys.readouterr().err


def test_chunks_keep_order_and_balance_size() -> None:
    jobs = [FileJob(f"f{n}", b"x" * (n % 7 + 1), EVERY_RULE) for n in range(100)]
    chunks = runner._chunks(jobs, 8)
    assert [job for chunk in chunks for job in chunk] == jobs
    assert 6 <= len(chunks) <= 9


def test_unreadable_files_are_diagnostics(tmp_path: Path) -> None:
    missing = str(tmp_path / "gone.py")
    (tmp_path / "ok.py").write_text(IMPORT + TRACER, encoding="utf-8")
    result = runner.check_files([missing, str(tmp_path / "ok.py")], _every_rule)
    (outcome,) = result.outcomes
    (diagnostic,) = outcome.diagnostics
    assert (diagnostic.path, diagnostic.code, diagnostic.name) == (missing, None, "io-error")
