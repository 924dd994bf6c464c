"""pylint benchmark: the HoneyHive plugin's added cost on code that never uses honeyhive.

    python benchmarks/bench_pylint.py           # full run: 200 stdlib modules, about 20 minutes
    python benchmarks/bench_pylint.py --quick   # smoke run: figures not meaningful

The corpus is a fixed sample of the installed CPython's standard library: modules spread evenly
over it, test suites excluded. pylint runs over it with its default checkers, once with
``--load-plugins=pylint_honeyhive`` and once without, in the same process tree, from a scratch
directory with an empty configuration file. The runs are interleaved (their order alternating
between rounds, after one untimed warm-up pair), and the table shows the median of the per-round
ratios with their range: wall time is the figure judged, CPU time (user + system) is shown beside
it because it moves less when other work shares the machine.

Two figures explain the end-to-end one: the time spent inside the plugin's own methods (and the
inference they start) during an in-process pylint run, and the plugin's import time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from flake8_honeyhive.rules import PYLINT_RULES

STDLIB: Final = Path(sysconfig.get_paths()["stdlib"])
SKIPPED_PARTS: Final = frozenset({"site-packages", "test", "tests", "idle_test", "lib2to3"})
PLUGIN: Final = "pylint_honeyhive"
PLUGIN_IDS: Final = tuple(PYLINT_RULES)
TARGET: Final = 1.03
# pylint's exit status is a bit field; 1 is "fatal message issued", 32 "usage error".
FATAL_BITS: Final = 1 | 32
MESSAGE_LINE: Final = re.compile(r"^\S.*:\d+:\d+: [A-Z]\d{4}: ")
TIMED_METHODS: Final = ("visit_module", "leave_module", "visit_call", "visit_assignattr")


@dataclass(frozen=True)
class Plan:
    quick: bool
    files: int
    rounds: int
    import_runs: int

    def corpus(self) -> list[Path]:
        sample = stdlib_sample(SAMPLE_SIZE)
        if self.quick:  # the smallest modules: every step runs, in seconds
            return sorted(sample, key=lambda path: path.stat().st_size)[: self.files]
        return sample


SAMPLE_SIZE: Final = 200
FULL: Final = Plan(quick=False, files=SAMPLE_SIZE, rounds=10, import_runs=21)
QUICK: Final = Plan(quick=True, files=4, rounds=1, import_runs=3)


class BenchError(Exception):
    """A check that makes the figures meaningless failed."""


@dataclass(frozen=True)
class Run:
    wall_s: float
    cpu_s: float
    output: list[str]


def stdlib_sample(size: int) -> list[Path]:
    """``size`` modules spread evenly over the standard library, the same ones every run."""
    modules = sorted(
        path
        for path in STDLIB.rglob("*.py")
        if not SKIPPED_PARTS & set(path.relative_to(STDLIB).parts)
    )
    step = len(modules) / size
    return [modules[int(index * step)] for index in range(size)]


def pylint_command(rcfile: Path, files: Sequence[Path], *, plugin: bool) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pylint",
        f"--rcfile={rcfile}",
        *([f"--load-plugins={PLUGIN}"] if plugin else []),
        "--persistent=n",
        "--score=n",
        "--jobs=1",
        *map(str, files),
    ]


def timed(command: Sequence[str], cwd: Path) -> Run:
    """Wall and CPU time of one pylint run, and the message lines it printed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode & FATAL_BITS:
        raise BenchError(
            f"pylint exited with {completed.returncode}: {completed.stderr.strip()[-2000:]}"
        )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    messages = sorted(line for line in completed.stdout.splitlines() if MESSAGE_LINE.match(line))
    return Run(wall, cpu, messages)


def interleaved(sides: Sequence[Callable[[], Run]], rounds: int) -> list[list[Run]]:
    """Each side ``rounds`` times after one untimed warm-up, the order alternating by round."""
    for side in sides:
        side()  # warm the page cache and the .pyc files
    results: list[list[Run]] = [[] for _ in sides]
    for round_index in range(rounds):
        order = range(len(sides)) if round_index % 2 == 0 else reversed(range(len(sides)))
        for index in order:
            results[index].append(sides[index]())
    return results


def check_same_findings(with_plugin: Run, without: Run) -> None:
    """The plugin adds no finding on the standard library and changes no other checker's."""
    ours = [line for line in with_plugin.output if any(f" {i}: " in line for i in PLUGIN_IDS)]
    if ours:
        raise BenchError(f"the plugin reported findings on the standard library: {ours[:3]}")
    if with_plugin.output != without.output:
        raise BenchError("pylint reported different findings with and without the plugin")


# --- in-process attribution --------------------------------------------------------------------


def attribute(files: Sequence[str]) -> dict[str, float]:
    """CPU time inside the plugin's methods during one in-process pylint run, and in total.

    Runs in a fresh interpreter (``--attribute``), so that astroid's caches start empty.
    """
    import functools  # noqa: PLC0415  (only this mode needs pylint in-process)

    from pylint.lint import Run as PylintRun  # noqa: PLC0415
    from pylint.reporters import CollectingReporter  # noqa: PLC0415

    from pylint_honeyhive.checker import HoneyHiveChecker  # noqa: PLC0415

    spent = [0]

    def timing(method: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(method)  # keeps only_required_for_messages' marks
        def timed_method(*args: Any) -> None:
            started = time.thread_time_ns()
            try:
                method(*args)
            finally:
                spent[0] += time.thread_time_ns() - started

        return timed_method

    for name in TIMED_METHODS:
        setattr(HoneyHiveChecker, name, timing(getattr(HoneyHiveChecker, name)))
    started = time.thread_time_ns()
    reporter = CollectingReporter()
    PylintRun(
        [f"--load-plugins={PLUGIN}", "--persistent=n", "--score=n", "--jobs=1", *files],
        reporter=reporter,
        exit=False,
    )
    total = time.thread_time_ns() - started
    return {"plugin_s": spent[0] / 1e9, "total_s": total / 1e9}


def import_time(cwd: Path) -> float:
    """Seconds to import the plugin in an interpreter that has already imported pylint."""
    code = (
        "import time, pylint.lint\n"
        "started = time.perf_counter()\n"
        f"import {PLUGIN}\n"
        "print(time.perf_counter() - started)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=True
    )
    return float(completed.stdout)


# --- the report --------------------------------------------------------------------------------


def ratio_text(candidate: Sequence[Run], baseline: Sequence[Run]) -> tuple[float, str]:
    walls = [c.wall_s / b.wall_s for c, b in zip(candidate, baseline, strict=True)]
    cpus = [c.cpu_s / b.cpu_s for c, b in zip(candidate, baseline, strict=True)]
    median = statistics.median(walls)
    text = (
        f"**{median:.3f}x** ({min(walls):.3f}-{max(walls):.3f}); "
        f"CPU {statistics.median(cpus):.3f}x ({min(cpus):.3f}-{max(cpus):.3f})"
    )
    return median, text


def bench(plan: Plan) -> list[str]:
    files = plan.corpus()
    with tempfile.TemporaryDirectory(prefix="bench-pylint-") as scratch_dir:
        scratch = Path(scratch_dir)
        rcfile = scratch / "empty.rc"  # pylint's defaults, whatever configuration is around
        rcfile.write_text("[MAIN]\n", encoding="utf-8")
        with_plugin = pylint_command(rcfile, files, plugin=True)
        without = pylint_command(rcfile, files, plugin=False)
        runs = interleaved(
            [lambda: timed(with_plugin, scratch), lambda: timed(without, scratch)], plan.rounds
        )
        for candidate, baseline in zip(runs[0], runs[1], strict=True):
            check_same_findings(candidate, baseline)
        attributed = json.loads(
            subprocess.run(
                [sys.executable, __file__, "--attribute", *map(str, files)],
                cwd=scratch,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        imports = [import_time(scratch) for _ in range(plan.import_runs)]
    median, text = ratio_text(runs[0], runs[1])
    share = attributed["plugin_s"] / attributed["total_s"]
    size = sum(path.stat().st_size for path in files) / 1e6
    met = "yes" if median <= TARGET else "**MISSED**"
    return [
        *(["quick run: the figures are not meaningful"] if plan.quick else []),
        f"corpus: {len(files)} modules of {STDLIB} ({size:.2f} MB) spread evenly over it; "
        f"pylint's default checkers, `--jobs=1`, {plan.rounds} interleaved rounds",
        "",
        "| Figure | With the plugin | Without | Ratio (median, range) | Target | Met |",
        "|---|---|---|---|---|---|",
        f"| pylint over the stdlib sample, end to end "
        f"| {statistics.median(r.wall_s for r in runs[0]):.2f} s "
        f"| {statistics.median(r.wall_s for r in runs[1]):.2f} s | {text} "
        f"| <= {TARGET:.2f}x | {met} |",
        f"| the plugin's own methods, in-process (CPU) | {attributed['plugin_s'] * 1000:.1f} ms "
        f"| {attributed['total_s']:.2f} s | {1 + share:.4f}x | (context) | - |",
        f"| `import {PLUGIN}` after pylint | {statistics.median(imports) * 1000:.1f} ms "
        "| - | - | (context) | - |",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run on a few files")
    parser.add_argument("--attribute", nargs="+", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.attribute:
        print(json.dumps(attribute(args.attribute)))
        return 0
    try:
        lines = bench(QUICK if args.quick else FULL)
    except BenchError as error:
        print(f"bench_pylint: {error}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # time installed code from cached bytecode
    raise SystemExit(main())
