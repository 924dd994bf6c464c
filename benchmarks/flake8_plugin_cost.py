"""The HH plugin's cost inside flake8, measured in-process file by file (used by `bench_lint.py`).

A whole flake8 run over the standard library takes a minute or more, and on a busy machine two
such runs differ by more than the 2 % being judged. So this measures the two parts separately, per
file, in CPU time of the measuring thread:

- flake8's work on the file without the HH plugin: its own `FileChecker(...).run_checks()`;
- the HH plugin's work on the same file, called the way `FileChecker.run_ast_checks` calls a tree
  plugin (`run_check`, then iterating `run()` and reporting each result), on the tree flake8 built.

The added cost is the second over the first. The files are split across forked workers; the spread
is the ratio's range over SHARDS interleaved shards of the files.
"""

from __future__ import annotations

import gc
import multiprocessing
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flake8.checker import FileChecker
from flake8.options.parse_args import parse_args

__all__ = ["PluginCost", "measure"]

SHARDS = 5
HH_ENTRY_POINT = "HH"


@dataclass(frozen=True, slots=True)
class PluginCost:
    files: int
    flake8_s: float  # flake8's per-file work without HH, summed over the files
    plugin_s: float  # HH through flake8's call path, summed over the files
    share: float  # plugin_s / flake8_s
    share_low: float
    share_high: float


_STATE: dict[str, Any] = {}


def _prepare(argv: Sequence[str]) -> None:
    plugins, options = parse_args(list(argv))
    checkers = plugins.checkers
    hh = [plugin for plugin in checkers.tree if plugin.entry_name == HH_ENTRY_POINT]
    if len(hh) != 1:
        raise RuntimeError("the HH plugin is not among flake8's installed tree plugins")
    _STATE["hh"] = hh[0]
    _STATE["without"] = checkers._replace(tree=[p for p in checkers.tree if p is not hh[0]])
    _STATE["options"] = options


def _flake8_ns(path: str) -> int:
    started = time.thread_time_ns()
    FileChecker(filename=path, plugins=_STATE["without"], options=_STATE["options"]).run_checks()
    return time.thread_time_ns() - started


def _plugin_ns(path: str) -> int:
    checker = FileChecker(filename=path, plugins=_STATE["without"], options=_STATE["options"])
    if checker.processor is None or not checker.should_process:
        return 0
    try:
        tree = checker.processor.build_ast()
    except (SyntaxError, ValueError):
        return 0  # flake8 reports E999 and calls no tree plugin
    started = time.thread_time_ns()
    # What FileChecker.run_ast_checks does for each tree plugin.
    plugin = checker.run_check(_STATE["hh"], tree=tree)
    for line, column, text, _ in plugin.run():
        checker.report(error_code=None, line_number=line, column=column, text=text)
    return time.thread_time_ns() - started


def _measure_files(paths: Sequence[str]) -> list[tuple[int, int]]:
    costs: list[tuple[int, int]] = []
    for path in paths:
        gc.collect()
        costs.append((_flake8_ns(path), _plugin_ns(path)))
    return costs


def measure(paths: Sequence[str], flake8_argv: Sequence[str], workers: int) -> PluginCost:
    """Per-file cost of flake8 (`flake8_argv` options) without HH, and of HH in it, on `paths`."""
    _prepare([*flake8_argv, *paths])
    workers = max(workers, 1)
    shares = [list(paths[worker::workers]) for worker in range(workers)]
    if workers > 1:
        # fork: the workers inherit the plugins and options loaded above.
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            per_worker = pool.map(_measure_files, shares)
    else:
        per_worker = [_measure_files(share) for share in shares]
    # Back in the original file order, so that shards mix the workers.
    costs: list[tuple[int, int]] = [(0, 0)] * len(paths)
    for worker, worker_costs in enumerate(per_worker):
        costs[worker::workers] = worker_costs
    shard_shares = [
        sum(plugin for _, plugin in shard) / max(sum(flake8 for flake8, _ in shard), 1)
        for shard in (costs[start::SHARDS] for start in range(min(SHARDS, len(costs))))
    ]
    flake8_total = sum(flake8 for flake8, _ in costs)
    plugin_total = sum(plugin for _, plugin in costs)
    return PluginCost(
        files=len(costs),
        flake8_s=flake8_total / 1e9,
        plugin_s=plugin_total / 1e9,
        share=plugin_total / max(flake8_total, 1),
        share_low=min(shard_shares, default=0.0),
        share_high=max(shard_shares, default=0.0),
    )
