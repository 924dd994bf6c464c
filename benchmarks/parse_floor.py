"""The least any linter built on CPython's `ast` spends on a corpus: `ast.parse` every file.

    python benchmarks/parse_floor.py DIR [--jobs N]

Walks DIR for `*.py` files and parses them in N forked worker processes (default: every available
core), doing nothing else. `bench_lint.py` times this next to `honeyhive-lint` and ruff, to show
how much of `honeyhive-lint`'s time no Python linter can avoid.
"""

from __future__ import annotations

import argparse
import ast
import multiprocessing
import os
from collections.abc import Sequence


def python_files(root: str) -> list[str]:
    found: list[str] = []
    for directory, _, names in os.walk(root):
        found.extend(os.path.join(directory, name) for name in names if name.endswith(".py"))
    return sorted(found)


def parse_all(paths: Sequence[str]) -> int:
    """Parse `paths`; returns how many did not parse (the floor counts their cost too)."""
    failed = 0
    for path in paths:
        with open(path, "rb") as handle:
            source = handle.read()
        try:
            ast.parse(source, filename=path)
        except (SyntaxError, ValueError):
            failed += 1
    return failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("directory")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    arguments = parser.parse_args()
    paths = python_files(arguments.directory)
    jobs = max(arguments.jobs, 1)
    if jobs == 1:
        parse_all(paths)
        return
    # Interleaved shards balance file sizes across workers without any messaging per file.
    shards = [paths[index::jobs] for index in range(jobs)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        pool.map(parse_all, shards)


if __name__ == "__main__":
    main()
