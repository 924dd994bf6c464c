"""What fixes, the configuration model and the language server cost: ratios against baselines
measured in the same run.

    python benchmarks/bench_fix.py            # full run, about 10 minutes on 2 cores
    python benchmarks/bench_fix.py --quick    # smoke run (CI runs it): figures not meaningful

Sections (all run):
  report  in-process CPU of checking every dense-corpus file as the command does, with each
          finding's fix computed (a second parse of the files that have findings) vs without
  fix     `honeyhive-lint --fix --unsafe-fixes` on a fresh copy of the dense corpus vs checking it
  config  `honeyhive-lint` over the standard library, looking for a configuration file in every
          directory (ruff's model) vs `--isolated` (no lookup)
  server  the language server: from `didChange` sent to `publishDiagnostics` received, on a dense
          module with findings, vs linting the same text in-process
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench_lint import (
    CORPUS_CACHE,
    BenchError,
    Context,
    Ratio,
    Row,
    Run,
    interleaved,
    markdown_table,
    seconds,
    timed,
    tool,
)
from dense_corpus import Corpus, ensure_corpus

from flake8_honeyhive.cli.lint import FileJob, lint_source
from flake8_honeyhive.fixes import autofix
from flake8_honeyhive.rules import ENGINE_RULES

DENSE_SEED = 2


@dataclass(frozen=True)
class Plan:
    quick: bool
    dense_files: int
    rounds: int
    stdlib_rounds: int
    server_changes: int


FULL = Plan(quick=False, dense_files=3000, rounds=7, stdlib_rounds=11, server_changes=101)
QUICK = Plan(quick=True, dense_files=60, rounds=2, stdlib_rounds=2, server_changes=5)


def _ratio_text(ratios: Sequence[float], digits: int = 2) -> str:
    return (
        f"**{statistics.median(ratios):.{digits}f}x** "
        f"({min(ratios):.{digits}f}-{max(ratios):.{digits}f})"
    )


# --- report: computing the fixes of every finding ------------------------------------------------


def _check_all(jobs: Sequence[FileJob]) -> float:
    started = time.process_time()
    for job in jobs:
        lint_source(job, job.source)
    return time.process_time() - started


def report_section(plan: Plan, corpus: Corpus) -> list[Row]:
    enabled = frozenset(ENGINE_RULES)
    jobs = [FileJob(str(path), path.read_bytes(), enabled) for path in corpus.files]
    with_fixes = sum(
        d.fix is not None for job in jobs for d in lint_source(job, job.source).diagnostics
    )
    real = autofix.compute_fixes

    def without() -> float:
        autofix.compute_fixes = lambda source, findings, tree=None: [None] * len(findings)
        try:
            return _check_all(jobs)
        finally:
            autofix.compute_fixes = real

    sides: list[Callable[[], Run]] = [
        lambda: Run(0.0, _check_all(jobs)),
        lambda: Run(0.0, without()),
    ]
    runs = interleaved(sides, plan.rounds)
    ratios = [c.cpu_s / b.cpu_s for c, b in zip(runs[0], runs[1], strict=True)]

    def cpu(side: Sequence[Run]) -> str:
        return f"{statistics.median(r.cpu_s for r in side):.2f} s CPU"

    return [
        Row(
            f"dense: checking every file with the fixes computed ({with_fixes} findings have "
            "one) vs without, in-process",
            cpu(runs[0]),
            cpu(runs[1]),
            _ratio_text(ratios, 3),
            "(context)",
            "-",
        )
    ]


# --- fix: the command with --fix ---------------------------------------------------------------


def fix_section(plan: Plan, corpus: Corpus, ctx: Context) -> list[Row]:
    lint = tool("honeyhive-lint")
    copies = ctx.cwd / "copies"

    def fix_a_copy() -> Run:
        target = copies / "corpus"
        shutil.rmtree(copies, ignore_errors=True)
        shutil.copytree(corpus.root, target)
        return timed([lint, "--no-cache", "-q", "--fix", "--unsafe-fixes", str(target)], ctx)

    check = [lint, "--no-cache", "-q", "--output-format", "concise", str(corpus.root)]
    runs = interleaved([fix_a_copy, lambda: timed(check, ctx)], plan.rounds)
    # The fixed copy: a second pass finds nothing to fix (`--diff` exits 1 if it would).
    timed([lint, "--no-cache", "-q", "--diff", "--unsafe-fixes", str(copies)], ctx, ok=(0,))
    ratio = Ratio(runs[0], runs[1])
    return [
        Row(
            "dense: `honeyhive-lint --fix --unsafe-fixes` vs `honeyhive-lint` (check only)",
            seconds(runs[0]),
            seconds(runs[1]),
            ratio.describe(),
            "(context)",
            "-",
        )
    ]


# --- config: a configuration lookup in every directory -------------------------------------------


def config_section(plan: Plan, ctx: Context) -> list[Row]:
    lint = tool("honeyhive-lint")
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    if plan.quick:
        stdlib = stdlib / "email"
    hierarchical = [lint, "--no-cache", "-q", "--output-format", "concise", str(stdlib)]
    isolated = [*hierarchical[:1], "--isolated", *hierarchical[1:]]
    runs = interleaved(
        [lambda: timed(hierarchical, ctx), lambda: timed(isolated, ctx)], plan.stdlib_rounds
    )
    ratio = Ratio(runs[0], runs[1])
    return [
        Row(
            "stdlib: `honeyhive-lint` (a configuration lookup per directory) vs `--isolated`",
            seconds(runs[0]),
            seconds(runs[1]),
            ratio.describe(),
            "<= 1.05x",
            "yes" if ratio.median <= 1.05 else "**MISSED**",
        )
    ]


# --- server: the language server's latency -------------------------------------------------------


async def _server_latencies(root: Path, texts: Sequence[str], changes: int) -> list[float]:
    from lsprotocol import types  # noqa: PLC0415
    from pygls.lsp.client import LanguageClient  # noqa: PLC0415
    from pygls.uris import from_fs_path  # noqa: PLC0415

    client = LanguageClient("bench", "1")
    published: asyncio.Queue[Any] = asyncio.Queue()

    def on_publish(params: Any) -> None:
        published.put_nowait(params)

    client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)(on_publish)
    await client.start_io(tool("honeyhive-lint"), "server", cwd=str(root))
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=from_fs_path(str(root))
        )
    )
    client.initialized(types.InitializedParams())
    uri = from_fs_path(str(root / "module.py"))
    item = types.TextDocumentItem(uri=uri, language_id="python", version=1, text=texts[0])
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
    await asyncio.wait_for(published.get(), 60)
    latencies = []
    for version in range(2, changes + 2):
        text = texts[version % len(texts)]
        started = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        await asyncio.wait_for(published.get(), 60)
        latencies.append(time.perf_counter() - started)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()  # type: ignore[no-untyped-call]  # pygls leaves it unannotated
    return latencies[1:]  # the first change loads the rest of the engine


def server_section(plan: Plan, corpus: Corpus, ctx: Context) -> list[Row]:
    from flake8_honeyhive.server.analysis import Linter  # noqa: PLC0415

    # The largest module with findings: the worst case an editor sends on each keystroke.
    linter = Linter(str(ctx.cwd))
    by_size = sorted(corpus.files, key=lambda p: p.stat().st_size, reverse=True)
    path = next(p for p in by_size if linter.lint(str(p), p.read_text()).diagnostics)
    text = path.read_text()
    texts = [text, text.replace("\n", "\n\n", 1)]  # two versions, so that each change is one
    latencies = asyncio.run(_server_latencies(ctx.cwd, texts, plan.server_changes))
    in_process = []
    for index in range(len(latencies)):
        started = time.perf_counter()
        linter.lint(str(ctx.cwd / "module.py"), texts[index % 2])
        in_process.append(time.perf_counter() - started)

    def ms(values: Sequence[float]) -> str:
        return f"{statistics.median(values) * 1000:.1f} ms"

    lines = text.count("\n")
    return [
        Row(
            f"server: `didChange` to `publishDiagnostics`, a {lines}-line module with findings",
            ms(latencies),
            ms(in_process),
            _ratio_text([statistics.median(latencies) / statistics.median(in_process)]),
            "<= 50 ms",
            "yes" if statistics.median(latencies) <= 0.05 else "**MISSED**",
        )
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small corpora, few rounds")
    plan = QUICK if parser.parse_args(argv).quick else FULL
    print(
        f"Fix, configuration and server benchmark"
        f"{' (quick run: the figures are not meaningful)' if plan.quick else ''}: "
        f"Python {sys.version.split()[0]}",
        flush=True,
    )
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-fix-") as scratch:
        ctx = Context.in_scratch(Path(scratch))
        corpus = ensure_corpus(CORPUS_CACHE, plan.dense_files, DENSE_SEED)
        sections: list[tuple[str, Callable[[], list[Row]]]] = [
            ("report", lambda: report_section(plan, corpus)),
            ("fix", lambda: fix_section(plan, corpus, ctx)),
            ("config", lambda: config_section(plan, ctx)),
            ("server", lambda: server_section(plan, corpus, ctx)),
        ]
        try:
            for name, run in sections:
                started = time.perf_counter()
                rows += run()
                print(f"  {name}: done in {time.perf_counter() - started:.0f} s", flush=True)
        except BenchError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    print()
    print(markdown_table(rows))
    print()
    print(
        f"- dense corpus: {len(corpus.files)} generated modules (seed {DENSE_SEED}), planted "
        f"{corpus.planted}; rounds: {plan.rounds} (report, fix), {plan.stdlib_rounds} (config), "
        f"{plan.server_changes - 1} changes (server)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
