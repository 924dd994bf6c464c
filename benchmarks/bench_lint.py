"""Lint benchmark: `honeyhive-lint` next to ruff, the flake8 plugin's added cost, its import time.

    python benchmarks/bench_lint.py                      # full run, about 15 minutes on 2 cores
    python benchmarks/bench_lint.py --quick              # smoke run: figures not meaningful
    python benchmarks/bench_lint.py --only stdlib,dense  # sections: stdlib,dense,flake8,import

Every figure is a ratio against a baseline measured in the same run. Commands are timed in rounds,
candidate and baseline interleaved (their order rotating between rounds, after one untimed warm-up
round), and the table shows the median of the per-round ratios with their range. Wall time is the
figure judged; CPU time (user + system of the process and its workers) is shown beside it because
it moves less when other work shares the machine.

Sections:
  stdlib  `honeyhive-lint` vs `ruff check --select B026` over the installed CPython's `Lib/`
  dense   over generated modules that all use the SDK, so every file must be parsed: cold
          (`--no-cache`) and warm (cache filled) vs `ruff check --no-cache`; then one large
          module of those modules: peak memory per MB of source, and time vs ruff
  flake8  flake8 with the HH plugin vs without it, end to end and per file in-process
  import  loading the plugin's entry point in a fresh interpreter, alone and inside flake8
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import dataclasses
import functools
import gc
import importlib.metadata
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import flake8
from dense_corpus import Corpus, ensure_corpus
from flake8_plugin_cost import measure as measure_plugin_cost

from flake8_honeyhive.checker import check_source, could_have_findings
from flake8_honeyhive.detect import find_violations, hot_lines
from flake8_honeyhive.partial import needed_source

BENCHMARKS = Path(__file__).resolve().parent
CORPUS_CACHE = BENCHMARKS / ".corpus"
SECTIONS = ("stdlib", "dense", "flake8", "import")
DENSE_SEED = 2
# A small stdlib package for --quick: big enough to exercise every step, small for flake8.
QUICK_STDLIB_PACKAGE = "email"
OTEL_PREFIX = "opentelemetry"


@dataclass(frozen=True)
class Plan:
    quick: bool
    cli_rounds: int
    dense_files: int
    dense_rounds: int
    flake8_rounds: int
    import_runs: int

    large_module_bytes: int
    large_module_rounds: int
    memory_runs: int
    before: str | None = None  # another honeyhive-lint to measure beside this one


FULL = Plan(
    quick=False,
    cli_rounds=21,
    dense_files=3000,
    dense_rounds=11,
    flake8_rounds=5,
    import_runs=41,
    large_module_bytes=4_000_000,
    large_module_rounds=5,
    memory_runs=3,
)
QUICK = Plan(
    quick=True,
    cli_rounds=3,
    dense_files=150,
    dense_rounds=3,
    flake8_rounds=2,
    import_runs=5,
    large_module_bytes=200_000,
    large_module_rounds=1,
    memory_runs=1,
)
# The targets of issue 10.
COLD_TARGET = 6.0  # x ruff --no-cache
WARM_TARGET = 1.0
MEMORY_TARGET = 50.0  # MB of peak memory per MB of source
FUTURE_IMPORT = "from __future__ import annotations\n"


@dataclass(frozen=True)
class Context:
    """Where and how the tools run: a scratch directory outside any project, so that no tool
    picks up a configuration file, and an environment with cached bytecode."""

    cwd: Path
    env: dict[str, str]

    @classmethod
    def in_scratch(cls, scratch: Path) -> Context:
        env = dict(os.environ)
        # Installed packages run from cached bytecode. This checkout is an editable install, and
        # PYTHONDONTWRITEBYTECODE (set in some CI and container images) would make every
        # Python-side run compile its modules from source: cache them in the scratch directory.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
        return cls(scratch, env)


class BenchError(Exception):
    """A check that makes the figures meaningless failed (different file sets, a tool failing)."""


@dataclass(frozen=True)
class Run:
    wall_s: float
    cpu_s: float


@dataclass(frozen=True)
class Ratio:
    candidate: list[Run]
    baseline: list[Run]

    @property
    def wall_ratios(self) -> list[float]:
        return [c.wall_s / b.wall_s for c, b in zip(self.candidate, self.baseline, strict=True)]

    @property
    def cpu_ratios(self) -> list[float]:
        return [c.cpu_s / b.cpu_s for c, b in zip(self.candidate, self.baseline, strict=True)]

    @property
    def median(self) -> float:
        return statistics.median(self.wall_ratios)

    def describe(self) -> str:
        walls, cpus = self.wall_ratios, self.cpu_ratios
        return (
            f"**{statistics.median(walls):.2f}x** ({min(walls):.2f}-{max(walls):.2f}); "
            f"CPU {statistics.median(cpus):.2f}x ({min(cpus):.2f}-{max(cpus):.2f})"
        )

    def describe_cpu(self) -> str:
        cpus = self.cpu_ratios
        return f"**{statistics.median(cpus):.3f}x** ({min(cpus):.3f}-{max(cpus):.3f})"


@dataclass(frozen=True)
class Row:
    figure: str
    measured: str
    baseline: str
    result: str
    target: str
    met: str


# --- running commands ------------------------------------------------------------------------


def tool(name: str) -> str:
    """An executable of this environment (next to the interpreter), else from PATH."""
    found = shutil.which(name, path=os.path.dirname(sys.executable)) or shutil.which(name)
    if found is None:
        raise BenchError(f"`{name}` not found; install the dev extra: pip install -e '.[dev]'")
    return found


def run_output(command: Sequence[str], ctx: Context, ok: Sequence[int] = (0, 1)) -> str:
    completed = subprocess.run(
        command, cwd=ctx.cwd, env=ctx.env, capture_output=True, text=True, check=False
    )
    if completed.returncode not in ok:
        raise BenchError(
            f"`{' '.join(command[:8])}` exited with {completed.returncode}: "
            f"{completed.stderr.strip()[-2000:]}"
        )
    return completed.stdout


def timed(
    command: Sequence[str],
    ctx: Context,
    stdout_path: Path | None = None,
    ok: Sequence[int] = (0, 1),
) -> Run:
    """Wall and CPU time of one run; CPU counts the workers the command waited for."""
    with contextlib.ExitStack() as stack:
        stdout: IO[bytes] | int = (
            stack.enter_context(open(stdout_path, "wb")) if stdout_path else subprocess.DEVNULL
        )
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        completed = subprocess.run(
            command, cwd=ctx.cwd, env=ctx.env, stdout=stdout, stderr=subprocess.PIPE, check=False
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode not in ok:
        stderr = completed.stderr.decode(errors="replace").strip()[-2000:]
        raise BenchError(f"`{' '.join(command[:8])}` exited with {completed.returncode}: {stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu)


def interleaved(sides: Sequence[Callable[[], Run]], rounds: int) -> list[list[Run]]:
    """Each side `rounds` times after one untimed warm-up, the order rotating between rounds."""
    for side in sides:
        side()  # warm the page cache and the .pyc files
    results: list[list[Run]] = [[] for _ in sides]
    for round_index in range(rounds):
        shift = round_index % len(sides)
        order = list(range(len(sides)))[shift:] + list(range(len(sides)))[:shift]
        if round_index // len(sides) % 2:
            order.reverse()
        for index in order:
            results[index].append(sides[index]())
    return results


def verdict(value: float, limit: float) -> str:
    return "yes" if value <= limit else "**MISSED**"


def noisy_verdict(ratios: Sequence[float], limit: float) -> str:
    """The verdict on the median, flagged when the rounds disagree about it."""
    judged = verdict(statistics.median(ratios), limit)
    if min(ratios) <= limit < max(ratios):
        return f"{judged}, inconclusive: the rounds spread across the target"
    return judged


def seconds(runs: Sequence[Run]) -> str:
    return f"{statistics.median(run.wall_s for run in runs):.3f} s"


# --- honeyhive-lint vs ruff ----------------------------------------------------------------------


@dataclass(frozen=True)
class LintCommands:
    honeyhive_lint: list[str]
    ruff: list[str]

    @classmethod
    def for_root(cls, root: Path) -> LintCommands:
        # The commands as a user types them; ruff also gets --isolated, so that a corpus inside a
        # project (benchmarks/.corpus/ is in this one) is not checked with that project's config.
        # Both skip site-packages and venv by default; show_files() proves the sets are equal.
        return cls(
            honeyhive_lint=[tool("honeyhive-lint"), "--no-cache", str(root)],
            ruff=[tool("ruff"), "check", "--isolated", "--no-cache", "--select", "B026", str(root)],
        )

    def show_files(self, ctx: Context) -> list[str]:
        """The files both tools check; a BenchError when they would check different sets."""
        honeyhive = run_output(
            [*self.honeyhive_lint[:-1], "--show-files", self.honeyhive_lint[-1]], ctx
        )
        ruff = run_output([*self.ruff[:-1], "--show-files", self.ruff[-1]], ctx)
        ours, theirs = set(honeyhive.splitlines()), set(ruff.splitlines())
        if ours != theirs:
            only_ours, only_ruff = sorted(ours - theirs)[:5], sorted(theirs - ours)[:5]
            raise BenchError(
                f"the tools would check different files ({len(ours)} vs {len(theirs)}): "
                f"only honeyhive-lint {only_ours}, only ruff {only_ruff}"
            )
        if not ours:
            raise BenchError(f"no Python files under {self.ruff[-1]}")
        return sorted(ours)


def corpus_size(paths: Sequence[str]) -> str:
    total = sum(os.path.getsize(path) for path in paths)
    return f"{len(paths)} files, {total / 1e6:.1f} MB"


def stdlib_root(plan: Plan) -> Path:
    root = Path(sysconfig.get_paths()["stdlib"])
    return root / QUICK_STDLIB_PACKAGE if plan.quick else root


def stdlib_section(plan: Plan, ctx: Context, notes: list[str]) -> list[Row]:
    root = stdlib_root(plan)
    commands = LintCommands.for_root(root)
    files = commands.show_files(ctx)
    parsed = sum(could_have_findings(Path(path).read_bytes()) for path in files)
    notes.append(
        f"stdlib corpus: {root} ({corpus_size(files)}; the same set for both tools, checked with "
        f"`--show-files`; {parsed} of them pass honeyhive-lint's pre-filter and get parsed)"
    )
    runs = interleaved(
        [lambda: timed(commands.honeyhive_lint, ctx), lambda: timed(commands.ruff, ctx)],
        plan.cli_rounds,
    )
    ratio = Ratio(runs[0], runs[1])
    return [
        Row(
            "stdlib: `honeyhive-lint` vs `ruff check --select B026`",
            seconds(ratio.candidate),
            seconds(ratio.baseline),
            ratio.describe(),
            "<= 1x ruff",
            verdict(ratio.median, 1.0),
        )
    ]


def check_dense_findings(corpus: Corpus, commands: LintCommands, ctx: Context) -> None:
    """The corpus is what it claims: every file parses, and exactly the planted findings appear."""
    for path in corpus.files:
        if not could_have_findings(path.read_bytes()):
            raise BenchError(
                f"{path} would be skipped by the pre-filter; every file must be parsed"
            )
    found = Counter(str(d["code"]) for d in lint_json(commands.honeyhive_lint, ctx))
    if dict(found) != corpus.planted:
        raise BenchError(
            f"dense corpus: planted {corpus.planted}, honeyhive-lint found {dict(found)}"
        )


def lint_json(command: Sequence[str], ctx: Context) -> list[dict[str, object]]:
    """The diagnostics of a `honeyhive-lint` command, read from its JSON output."""
    output = run_output([*command[:-1], "--output-format", "json", command[-1]], ctx)
    diagnostics: list[dict[str, object]] = json.loads(output)
    return diagnostics


@dataclass(frozen=True)
class PartialParsing:
    files: int  # corpus files checked
    partial: int  # of them, parsed in part
    kept: float  # share of their non-blank characters that were parsed


def check_partial_parsing(paths: Sequence[Path]) -> PartialParsing:
    """The engine's findings on every file are those of a full parse (`ast.parse` of the whole
    file, then the same rules): partial parsing must never change what is reported."""
    partial = kept = total = 0
    collecting = gc.isenabled()
    gc.disable()  # as the engine runs: trees make no cycles
    try:
        for path in paths:
            source = path.read_bytes()
            full = find_violations(ast.parse(source), source)
            if check_source(source) != full:
                raise BenchError(f"{path}: partial parsing changed the findings")
            needed = needed_source(source, hot_lines(source))
            if needed is not None:
                partial += 1
                kept += len(needed) - needed.count("\n")
                total += len(source) - source.count(b"\n")
    finally:
        if collecting:
            gc.enable()
    return PartialParsing(len(paths), partial, kept / total if total else 0.0)


def write_large_module(corpus: Corpus, size: int, path: Path) -> list[Path]:
    """One module of about `size` bytes: the corpus's modules one after another (each rebinds
    the names it uses, so it holds the findings they hold). Returns the modules used."""
    parts: list[str] = []
    written = 0
    for index, module in enumerate(corpus.files):
        source = module.read_text()
        if index:  # only the first may keep the future import, which must come first
            source = source.replace(FUTURE_IMPORT, "")
        parts.append(source)
        written += len(source)
        if written >= size:
            break
    path.write_text("".join(parts))
    return corpus.files[: len(parts)]


def on_shared_tracer(diagnostic: dict[str, object]) -> bool:
    """Whether a finding of the corpus is about the package's shared tracer (`dense_corpus`)."""
    location = diagnostic["location"]
    assert isinstance(location, dict)
    lines = Path(str(diagnostic["filename"])).read_text().splitlines()
    return "shared_tracer." in lines[int(location["row"]) - 1]


def peak_rss_kb(command: Sequence[str], ctx: Context) -> int:
    """The peak resident memory of `command` (its largest process, workers included), in KB."""
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    return int(run_output([sys.executable, "-c", probe, *command], ctx, ok=(0,)))


def dense_section(plan: Plan, ctx: Context, notes: list[str]) -> list[Row]:
    corpus = ensure_corpus(CORPUS_CACHE, plan.dense_files, DENSE_SEED)
    commands = LintCommands.for_root(corpus.root)
    files = commands.show_files(ctx)
    check_dense_findings(corpus, commands, ctx)
    cold = commands.honeyhive_lint
    warm = [tool("honeyhive-lint"), "--cache-dir", str(ctx.cwd / "lint-cache"), str(corpus.root)]
    cold_findings = lint_json(cold, ctx)
    for _ in range(2):  # the first run fills the cache, the second reads it
        if lint_json(warm, ctx) != cold_findings:
            raise BenchError("dense corpus: the cached run reported other findings")
    parsing = check_partial_parsing(corpus.files)
    notes.append(
        f"dense corpus: {corpus.root} ({len(corpus.files)} generated modules, seed {DENSE_SEED}, "
        f"{corpus.lines} lines; {corpus_size(files)} with the packages' `__init__.py`); "
        f"honeyhive-lint reports exactly the planted findings {corpus.planted}, the same from "
        f"its cache; on each of the {parsing.files} modules, in-process, the findings are those "
        f"of a full `ast.parse` ({parsing.partial} were parsed in part, keeping "
        f"{parsing.kept:.0%} of their non-blank characters)"
    )
    floor = [sys.executable, str(BENCHMARKS / "parse_floor.py"), str(corpus.root)]
    sides: list[list[str]] = [cold, commands.ruff, warm, floor]
    if plan.before is not None:
        sides.append([plan.before, str(corpus.root)])
        # An earlier build reads one module at a time: it misses the shared tracers' findings.
        per_module = [d for d in cold_findings if not on_shared_tracer(d)]
        if lint_json(sides[-1], ctx) not in (cold_findings, per_module):
            raise BenchError(f"{plan.before} reports other findings on the dense corpus")
    runs = interleaved([functools.partial(timed, side, ctx) for side in sides], plan.dense_rounds)
    ruff = runs[1]
    figures = [
        ("dense, cold: `honeyhive-lint --no-cache` vs `ruff check --no-cache --select B026`", 0),
        ("dense, warm: `honeyhive-lint` with its cache filled vs the same ruff", 2),
        ("dense: `ast.parse` of every whole file alone, 2 processes, vs ruff", 3),
    ]
    if plan.before is not None:
        figures.append(("dense, cold, before (`--before`): that `honeyhive-lint` vs ruff", 4))
    targets = {0: ("<= 6x ruff", COLD_TARGET), 2: ("<= 1x ruff", WARM_TARGET)}
    rows = []
    for figure, index in figures:
        ratio = Ratio(runs[index], ruff)
        target, limit = targets.get(index, ("(context)", None))
        met = "-" if limit is None else noisy_verdict(ratio.wall_ratios, limit)
        rows.append(Row(figure, seconds(runs[index]), seconds(ruff), ratio.describe(), target, met))
    return rows + large_module_rows(plan, ctx, corpus, cold_findings, notes)


def large_module_rows(
    plan: Plan,
    ctx: Context,
    corpus: Corpus,
    corpus_findings: list[dict[str, object]],
    notes: list[str],
) -> list[Row]:
    """Memory and time on one large module: the corpus's modules in one file."""
    large, small = ctx.cwd / "large_module.py", ctx.cwd / "small_module.py"
    used = {str(path) for path in write_large_module(corpus, plan.large_module_bytes, large)}
    small.write_bytes(corpus.files[0].read_bytes())
    size_mb = large.stat().st_size / 1e6
    # One file alone holds the findings of its modules but for those on the package's shared
    # tracer, which only the project's `tracing.py` shows.
    expected = Counter(
        str(d["code"]) for d in corpus_findings if d["filename"] in used and not on_shared_tracer(d)
    )
    ruff = [tool("ruff"), "check", "--isolated", "--no-cache", "--select", "B026", str(large)]
    # An earlier build may predate the cache and its --no-cache.
    builds = [("", [tool("honeyhive-lint"), "--no-cache", "--jobs", "1"])]
    if plan.before is not None:
        builds.append((", before (`--before`)", [plan.before, "--jobs", "1"]))
    rows: list[Row] = []
    for label, command in builds:
        found = Counter(str(d["code"]) for d in lint_json([*command, str(large)], ctx))
        if found != expected:
            raise BenchError(f"large module: its modules hold {dict(expected)}, found {found}")
        large_kb = [peak_rss_kb([*command, str(large)], ctx) for _ in range(plan.memory_runs)]
        small_kb = [peak_rss_kb([*command, str(small)], ctx) for _ in range(plan.memory_runs)]
        large_mb, small_mb = statistics.median(large_kb) / 1024, statistics.median(small_kb) / 1024
        per_mb = (large_mb - small_mb) / size_mb
        runs = interleaved(
            [
                functools.partial(timed, [*command, str(large)], ctx),
                functools.partial(timed, ruff, ctx),
            ],
            plan.large_module_rounds,
        )
        ratio = Ratio(runs[0], runs[1])
        rows += [
            Row(
                f"large module ({size_mb:.1f} MB, one file){label}: peak memory per MB of source",
                f"{per_mb:.1f} MB/MB ({large_mb:.0f} MB peak)",
                f"{small_mb:.0f} MB (one small module)",
                "-",
                "(context)" if label else "<= 50 MB/MB",
                "-" if label else verdict(per_mb, MEMORY_TARGET),
            ),
            Row(
                f"large module ({size_mb:.1f} MB, one file){label}: `--jobs 1` vs ruff",
                seconds(ratio.candidate),
                seconds(ratio.baseline),
                ratio.describe(),
                "(context)",
                "-",
            ),
        ]
    ruff_mb = statistics.median(peak_rss_kb(ruff, ctx) for _ in range(plan.memory_runs)) / 1024
    notes.append(
        f"large module: the first {len(used)} modules of the dense corpus in one file of "
        f"{size_mb:.1f} MB (future imports after the first removed), holding the findings of "
        f"those modules ({dict(expected)}), checked with `--jobs 1`; memory is the peak resident "
        f"set of the command (median of {plan.memory_runs} runs) less that of the same command "
        f"on one {small.stat().st_size / 1e3:.0f} KB module, per MB of source; ruff's peak on "
        f"the same file: {ruff_mb:.0f} MB"
    )
    return rows


# --- the flake8 plugin ---------------------------------------------------------------------------


def flake8_section(plan: Plan, ctx: Context, notes: list[str]) -> list[Row]:
    root = stdlib_root(plan)
    files = [path for path in LintCommands.for_root(root).show_files(ctx) if path.endswith(".py")]
    jobs = len(os.sched_getaffinity(0))
    runner = [sys.executable, str(BENCHMARKS / "flake8_runner.py")]
    options = ["--isolated", f"-j{jobs}"]
    with_hh = run_output([*runner, "with-hh", "--version"], ctx)
    without_hh = run_output([*runner, "without-hh", "--version"], ctx)
    if "honeyhive" not in with_hh or "honeyhive" in without_hh:
        raise BenchError(f"hiding the HH plugin failed: {with_hh!r} / {without_hh!r}")
    notes.append(
        f"flake8 {flake8.__version__}: "
        f"`flake8 {' '.join(options)} <the {len(files)} stdlib files>` "
        "(all default checks, output to a file), with the HH plugin and with it hidden from "
        "flake8's plugin discovery by benchmarks/flake8_runner.py"
    )
    outputs = {mode: ctx.cwd / f"flake8-{mode}.txt" for mode in ("with-hh", "without-hh")}

    def flake8_run(mode: str) -> Run:
        return timed([*runner, mode, *options, *files], ctx, stdout_path=outputs[mode])

    runs = interleaved(
        [lambda: flake8_run("with-hh"), lambda: flake8_run("without-hh")], plan.flake8_rounds
    )
    reports = {mode: path.read_text().splitlines() for mode, path in outputs.items()}
    if [line for line in reports["with-hh"] if " HH0" not in line] != reports["without-hh"]:
        raise BenchError("flake8 reported different findings with and without the HH plugin")
    end_to_end = Ratio(runs[0], runs[1])
    notes.append(
        "flake8 end to end, wall seconds per round (with HH / without): "
        + ", ".join(f"{c.wall_s:.1f}/{b.wall_s:.1f}" for c, b in zip(*runs, strict=True))
    )
    cost = measure_plugin_cost(files, ["--isolated"], jobs)
    return [
        Row(
            "flake8 over stdlib, end to end, wall time: with the HH plugin vs without",
            seconds(end_to_end.candidate),
            seconds(end_to_end.baseline),
            end_to_end.describe(),
            "<= 1.02x",
            noisy_verdict(end_to_end.wall_ratios, 1.02),
        ),
        Row(
            "flake8 over stdlib, end to end, CPU time (all processes): with HH vs without",
            f"{statistics.median(run.cpu_s for run in end_to_end.candidate):.1f} s",
            f"{statistics.median(run.cpu_s for run in end_to_end.baseline):.1f} s",
            end_to_end.describe_cpu(),
            "<= 1.02x",
            noisy_verdict(end_to_end.cpu_ratios, 1.02),
        ),
        Row(
            "flake8 over stdlib, per file, in-process CPU time: HH's work vs flake8's without it",
            f"{cost.plugin_s * 1000:.1f} ms",
            f"{cost.flake8_s:.1f} s",
            f"**{1 + cost.share:.4f}x** ({1 + cost.share_low:.4f}-{1 + cost.share_high:.4f})",
            "<= 1.02x",
            verdict(1 + cost.share, 1.02),
        ),
    ]


# --- import time ---------------------------------------------------------------------------------

# Loads the flake8 entry point as `EntryPoint.load()` does (import the module, then get the
# attribute), and prints the seconds it took, the modules it added and the OpenTelemetry ones.
IMPORT_PROBE = """
import importlib, sys, time
{prepare}
before = set(sys.modules)
started = time.perf_counter()
loaded = importlib.import_module({module!r})
for attribute in {attributes!r}:
    loaded = getattr(loaded, attribute)
elapsed = time.perf_counter() - started
added = sorted(set(sys.modules) - before)
print(elapsed)
print(" ".join(added))
print(" ".join(name for name in added if name.split(".")[0] == {otel!r}))
"""
# flake8's state when it loads plugins: its modules, and every other installed plugin loaded.
INSIDE_FLAKE8 = f"""
sys.path.insert(0, {str(BENCHMARKS)!r})
import flake8_runner
from flake8.options.parse_args import parse_args
flake8_runner.hide_hh_plugin()
parse_args(["--isolated"])
"""


@dataclass(frozen=True)
class ImportProbe:
    seconds: float
    added: list[str]
    otel: list[str]


def hh_entry_point() -> str:
    """The `HH` entry point's value, e.g. `flake8_honeyhive:Plugin`."""
    found = importlib.metadata.entry_points(group="flake8.extension", name="HH")
    if not found:
        raise BenchError("no flake8 entry point `HH`: is the project installed (pip install -e .)?")
    return next(iter(found)).value


def import_probe(prepare: str, ctx: Context, importtime: bool = False) -> tuple[ImportProbe, str]:
    module, _, attributes = hh_entry_point().partition(":")
    code = IMPORT_PROBE.format(
        prepare=prepare,
        module=module.strip(),
        attributes=[part for part in attributes.strip().split(".") if part],
        otel=OTEL_PREFIX,
    )
    flags = ["-X", "importtime"] if importtime else []
    completed = subprocess.run(
        [sys.executable, *flags, "-c", code],
        capture_output=True, text=True, cwd=ctx.cwd, env=ctx.env, check=False,
    )  # fmt: skip
    if completed.returncode != 0:
        raise BenchError(f"the import probe failed: {completed.stderr.strip()[-2000:]}")
    elapsed, added, otel = completed.stdout.split("\n")[:3]
    return ImportProbe(float(elapsed), added.split(), otel.split()), completed.stderr


def import_section(plan: Plan, ctx: Context, notes: list[str]) -> list[Row]:
    alone: list[float] = []
    inside: list[float] = []
    otel: set[str] = set()
    import_probe("", ctx)  # warm-up: writes the bytecode cache
    for index in range(plan.import_runs):
        order = [("", alone), (INSIDE_FLAKE8, inside)]
        for prepare, results in order if index % 2 else reversed(order):
            probe, _ = import_probe(prepare, ctx)
            results.append(probe.seconds)
            otel.update(probe.otel)
    probe, importtime = import_probe(INSIDE_FLAKE8, ctx, importtime=True)
    notes.append(
        f"loading the flake8 entry point `HH = {hh_entry_point()}` inside flake8 imports "
        f"{len(probe.added)} modules; the largest self times (-X importtime, one run): "
        + largest_imports(importtime, set(probe.added))
    )

    def ms(values: list[float]) -> str:
        low, high = min(values) * 1000, max(values) * 1000
        return f"**{statistics.median(values) * 1000:.1f} ms** ({low:.1f}-{high:.1f})"

    return [
        Row(
            "loading the plugin inside flake8 (flake8 and its other plugins already loaded)",
            ms(inside), "-", "-", "< 20 ms", verdict(statistics.median(inside), 0.020),
        ),
        Row(
            "loading the plugin in a bare interpreter",
            ms(alone), "-", "-", "(context)", "-",
        ),
        Row(
            "OpenTelemetry modules loaded with the plugin",
            ", ".join(sorted(otel)) or "none", "-", "-", "none",
            "yes" if not otel else "**MISSED**",
        ),
    ]  # fmt: skip


def largest_imports(importtime: str, modules: set[str], count: int = 6) -> str:
    """The largest self times among `modules` in `-X importtime` output."""
    rows: list[tuple[int, str]] = []
    for line in importtime.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        if name in modules:
            rows.append((int(self_us), name))
    rows.sort(reverse=True)
    return ", ".join(f"{name} {us / 1000:.1f} ms" for us, name in rows[:count])


# --- main ----------------------------------------------------------------------------------------

SECTION_RUNNERS: dict[str, Callable[[Plan, Context, list[str]], list[Row]]] = {
    "stdlib": stdlib_section,
    "dense": dense_section,
    "flake8": flake8_section,
    "import": import_section,
}


def markdown_table(rows: Sequence[Row]) -> str:
    lines = [
        "| Figure | Measured (median) | Baseline (median) | Ratio, median (range) | Target | Met |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.figure} | {r.measured} | {r.baseline} | {r.result} | {r.target} | {r.met} |"
        for r in rows
    ]
    return "\n".join(lines)


def parse_sections(value: str) -> list[str]:
    chosen = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in SECTIONS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown section(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(SECTIONS)}"
        )
    return chosen


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="small corpora, few rounds")
    parser.add_argument(
        "--only", type=parse_sections, default=list(SECTIONS), metavar="SECTIONS",
        help=f"comma-separated sections to run (default: all): {','.join(SECTIONS)}",
    )  # fmt: skip
    parser.add_argument("--flake8-rounds", type=int, help="end-to-end flake8 rounds per side")
    parser.add_argument(
        "--before",
        metavar="COMMAND",
        help="another honeyhive-lint (an earlier build) to measure in the dense section too",
    )
    arguments = parser.parse_args(argv)
    plan = QUICK if arguments.quick else FULL
    if arguments.flake8_rounds:
        plan = dataclasses.replace(plan, flake8_rounds=arguments.flake8_rounds)
    if arguments.before:
        plan = dataclasses.replace(plan, before=arguments.before)
    versions = subprocess.run(
        [tool("ruff"), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    print(
        f"Lint benchmark{' (quick run: the figures are not meaningful)' if plan.quick else ''}: "
        f"Python {sys.version.split()[0]}, {versions}, flake8 {flake8.__version__}, "
        f"{len(os.sched_getaffinity(0))} cores available",
        flush=True,
    )
    rows: list[Row] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-lint-") as scratch:
        ctx = Context.in_scratch(Path(scratch))
        try:
            for section in arguments.only:
                started = time.perf_counter()
                rows += SECTION_RUNNERS[section](plan, ctx, notes)
                print(f"  {section}: done in {time.perf_counter() - started:.0f} s", flush=True)
        except BenchError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    print()
    print(markdown_table(rows))
    print()
    for note in notes:
        print(f"- {note}")
    rounds = {
        "stdlib": f"{plan.cli_rounds} (stdlib)",
        "dense": f"{plan.dense_rounds} (dense)",
        "flake8": f"{plan.flake8_rounds} (flake8 end to end)",
        "import": f"{plan.import_runs} fresh interpreters per side (import)",
    }
    print(f"- rounds: {', '.join(rounds[section] for section in arguments.only)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
