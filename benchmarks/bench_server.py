"""Server benchmark: a FastAPI app under uvicorn, traced vs untraced, whatever the backend does.

    python benchmarks/bench_server.py           # full run, about 18 minutes on 2 cores
    python benchmarks/bench_server.py --quick   # smoke run, healthy backend: figures mean nothing
    python benchmarks/bench_server.py --gc-freeze --backends healthy   # each app calls gc.freeze()

The app is ``tests/server/app.py`` (one ``with HoneyHiveTracer.init(session_id=...)`` per request,
traced steps, two OpenAI calls instrumented by OpenTelemetry) in three forms: untraced (the
baseline), ``otel`` (the same instrumentation with the plain OpenTelemetry SDK exporting to the
same backend: context) and traced (HoneyHive). Around it, each in its own process on 127.0.0.1: a
fake OpenAI answering after 100 ms, a light HoneyHive backend (``server_sink.py``: healthy, slow
100 ms, slow 5 s, or a closed port for a dead one) and the load generator (``load.py``).

For each backend, the three forms run in rounds, interleaved, their order rotating between rounds,
each run in a fresh uvicorn process (so no run inherits another's queues or heap). A run has:

1. a saturating phase: ``--connections`` keep-alive clients sending back to back (closed loop), for
   requests/s and latency; the event loop's lag seen here is queueing, shown but not judged;
2. a moderate phase: requests at a fixed rate (open loop), for the event loop's lag where the loop
   is not saturated by design. The rate is half the capacity of the slower of the untraced and
   traced apps, each measured once at the start (healthy backend), so it saturates neither;
3. for the traced app, its delivery figures (``GET /stats``, after a flush of up to 20 s) and the
   cost of a ``with`` exit (``GET /exit-cost``), both measured inside the app.

The app samples its event loop's lag itself (a 5 ms sleep probe); the load generator marks the
start and end of each measured window, and ``GET /stats`` reads the lag over exactly that window.
The app's CPU time per request (user + system, all its threads, from ``/proc``) is read over the
saturating window too: it explains requests/s without the noise of other work on the machine.
Ratios are medians of per-round ratios (traced or otel over the untraced run of the same round),
with their range; other figures are medians over rounds.

Self-checks (a failure prints the table, then the problem, and exits 1): every request answered
200 with its session id; with the healthy backend, the traced app delivers everything
(``spans_dropped == 0``, ``events_dropped == 0`` after its flush). With a dead or slow backend,
drops are expected: they are reported.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import dataclasses
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

# The app and its process helpers live with its tests, in tests/server: one source for both.
REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.server.client import get_json  # noqa: E402
from tests.server.processes import ServerProcess, uvicorn  # noqa: E402

BENCHMARKS = REPO_ROOT / "benchmarks"
MODEL_LATENCY_S = 0.1
APPS = ("untraced", "otel", "traced")
APP_MODES = {"untraced": "0", "otel": "otel", "traced": "1"}
THROUGHPUT_TARGET = 0.8  # traced requests/s over untraced, healthy or slow backend
LAG_TARGET_MS = 20.0  # event-loop lag p99 of the traced app, every backend
EXIT_TARGET_US = 50.0  # `with` exit, every backend (judged on p99)
START_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Backend:
    key: str  # as named on the command line
    label: str  # as shown in the table
    delay_s: float | None  # None: dead (a closed port)
    throughput_target: bool  # the issue sets one with a healthy or slow backend only


BACKENDS = {
    b.key: b
    for b in (
        Backend("healthy", "healthy", 0.0, throughput_target=True),
        Backend("slow100ms", "slow 100 ms", 0.1, throughput_target=True),
        Backend("slow5s", "slow 5 s", 5.0, throughput_target=True),
        Backend("dead", "dead", None, throughput_target=False),
    )
}


@dataclass(frozen=True)
class Plan:
    quick: bool
    rounds: int
    connections: int
    warmup_s: float  # of each phase: requests answered then are not counted
    duration_s: float  # the saturating phase's measured window
    moderate_s: float  # the moderate phase's measured window
    exit_count: int  # `with` exits timed per traced run
    calibration_s: float  # the window of each capacity measurement for the moderate rate


FULL = Plan(
    False,
    rounds=3,
    connections=50,
    warmup_s=2.5,
    duration_s=8,
    moderate_s=8,
    exit_count=2000,
    calibration_s=5,
)
QUICK = Plan(
    True,
    rounds=1,
    connections=20,
    warmup_s=0.5,
    duration_s=1.5,
    moderate_s=1.5,
    exit_count=200,
    calibration_s=1,
)


@dataclass(frozen=True)
class Phase:
    """One load phase: the load generator's figures and the app's event-loop lag over its window."""

    rps: float
    p50_ms: float
    p99_ms: float
    lag_p99_ms: float
    lag_samples: int
    cpu_ms: float | None  # the app process's CPU time (all threads) per request answered
    errors: int
    messages: list[str]


@dataclass
class Run:
    backend: Backend
    app: str
    round: int
    saturated: Phase
    moderate: Phase
    stats: dict[str, Any]  # the app's /stats after the moderate phase (traced: after a flush)
    exit_us: dict[str, float] = field(default_factory=dict)  # traced: /exit-cost


# --- the processes around the app -----------------------------------------------------------


def wait_for_port(port: int, process: subprocess.Popen[Any]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited at start")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.05)
    raise RuntimeError(f"{process.args!r} not accepting after {START_TIMEOUT_S} s")


def unused_port() -> int:
    """A port of 127.0.0.1 nobody listens on (a dead backend, or one for a process to take)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextlib.contextmanager
def running(command: list[str]) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def fake_openai() -> Iterator[str]:
    port = unused_port()
    module = ["-m", "tests.server.fake_openai", "--port", str(port)]
    with running([sys.executable, *module, "--delay", str(MODEL_LATENCY_S)]) as process:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def honeyhive_backend(backend: Backend) -> Iterator[str]:
    if backend.delay_s is None:
        yield f"http://127.0.0.1:{unused_port()}"
        return
    sink = [sys.executable, str(BENCHMARKS / "server_sink.py"), "--delay", str(backend.delay_s)]
    with running(sink) as process:
        assert process.stdout is not None
        port = process.stdout.readline().strip()
        if not port.isdigit():
            raise RuntimeError(f"the sink did not start: {sink}")
        yield f"http://127.0.0.1:{port}"


# --- one run --------------------------------------------------------------------------------


def process_cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of a process, all its threads (None where there is no /proc)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    utime, stime = stat.rpartition(")")[2].split()[11:13]  # fields 14 and 15 of proc(5)
    return (int(utime) + int(stime)) / os.sysconf("SC_CLK_TCK")


class AppFigures:
    """The app's figures at the marks of the load generator's window: its CPU time, and
    ``GET /stats`` without waiting for the answer: the traced app flushes before it answers (up
    to 20 s when the backend is slow or dead), but reads its lag and resets it at once, so the
    window's edges are where the marks say."""

    def __init__(self, server: ServerProcess, pool: concurrent.futures.Executor) -> None:
        self.url = server.url
        self.pid = server.process.pid
        self.pool = pool
        self.pending: list[concurrent.futures.Future[Any]] = []

    def ask(self, reset: bool) -> concurrent.futures.Future[Any]:
        future = self.pool.submit(get_json, self.url, "/stats", reset=reset)
        self.pending.append(future)
        return future

    def settle(self) -> None:
        for future in self.pending:
            future.result()  # an app that failed to answer fails the run


@dataclass(frozen=True)
class Load:
    """One load phase as the load generator saw it, and the app's answer (pending) to the
    ``GET /stats`` sent at the end of its window."""

    report: dict[str, Any]
    window_end: concurrent.futures.Future[Any]
    cpu_s: float | None  # the app's, over the window

    def phase(self) -> Phase:
        lag = self.window_end.result()["lag"]
        requests = self.report["requests"]
        return Phase(
            rps=self.report["rps"],
            p50_ms=self.report["p50_ms"] or 0.0,
            p99_ms=self.report["p99_ms"] or 0.0,
            lag_p99_ms=lag["p99"] * 1000,
            lag_samples=lag["count"],
            cpu_ms=self.cpu_s * 1000 / requests if self.cpu_s is not None and requests else None,
            errors=self.report["errors"],
            messages=self.report["error_messages"],
        )


def load_phase(figures: AppFigures, plan: Plan, load: list[str], window_s: float) -> Load:
    command = [
        sys.executable,
        str(BENCHMARKS / "load.py"),
        figures.url,
        "--warmup",
        str(plan.warmup_s),
        "--duration",
        str(window_s),
        *load,
    ]
    window_end: concurrent.futures.Future[Any] | None = None
    cpu: list[float | None] = []
    report: dict[str, Any] = {}
    with running(command) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.strip() == "window-start":
                cpu.append(process_cpu_s(figures.pid))
                figures.ask(reset=True)
            elif line.strip() == "window-end":
                cpu.append(process_cpu_s(figures.pid))
                window_end = figures.ask(reset=False)
            elif line.strip():
                report = json.loads(line)
        if process.wait() != 0 or not report or window_end is None:
            raise RuntimeError(f"load generator failed: {command}")
    start, end = cpu
    return Load(report, window_end, None if start is None or end is None else end - start)


@dataclass(frozen=True)
class Setup:
    """What every run of the benchmark shares."""

    plan: Plan
    openai_url: str
    moderate_rate: float  # req/s of the moderate phase
    gc_freeze: bool = False  # every form of the app calls gc.freeze() once started


@contextlib.contextmanager
def app_server(setup: Setup, app: str, honeyhive_url: str) -> Iterator[ServerProcess]:
    """A fresh uvicorn process running the app in one form; its stderr is shown if it fails."""
    env = {
        "APP_TRACED": APP_MODES[app],
        "APP_HONEYHIVE_URL": honeyhive_url,
        "APP_OPENAI_URL": setup.openai_url,
        "APP_GC_FREEZE": "1" if setup.gc_freeze else "0",
    }
    server = uvicorn(env)
    try:
        yield server
    except BaseException:
        server.stop()
        print(server.stderr()[-4000:], file=sys.stderr)
        raise
    server.stop()


def saturating(figures: AppFigures, plan: Plan, window_s: float) -> Load:
    return load_phase(figures, plan, ["--connections", str(plan.connections)], window_s)


def one_run(setup: Setup, backend: Backend, honeyhive_url: str, app: str, round_index: int) -> Run:
    plan = setup.plan
    rate = ["--rate", f"{setup.moderate_rate:.1f}"]
    with app_server(setup, app, honeyhive_url) as server:
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            figures = AppFigures(server, pool)
            saturated = saturating(figures, plan, plan.duration_s)
            moderate = load_phase(figures, plan, rate, plan.moderate_s)
            figures.settle()  # the traced app flushed before answering: its delivery is final
        exit_us: dict[str, float] = {}
        if app == "traced":
            exit_us = get_json(server.url, "/exit-cost", count=plan.exit_count)
    stats = moderate.window_end.result()
    return Run(backend, app, round_index, saturated.phase(), moderate.phase(), stats, exit_us)


def capacity(setup: Setup, app: str, honeyhive_url: str) -> float:
    """The app's requests/s, saturated (one short phase, untimed for the table)."""
    with (
        app_server(setup, app, honeyhive_url) as server,
        concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool,
    ):
        figures = AppFigures(server, pool)
        load = saturating(figures, setup.plan, setup.plan.calibration_s)
        figures.settle()
    phase = load.phase()
    if phase.errors:
        raise RuntimeError(f"calibration of the {app} app: failed requests: {phase.messages}")
    return phase.rps


def progress(run: Run) -> None:
    s, m = run.saturated, run.moderate
    print(
        f"  {run.backend.label:<12} round {run.round + 1} {run.app:<9} "
        f"{s.rps:6.1f} req/s p50 {s.p50_ms:6.1f} p99 {s.p99_ms:7.1f} ms, "
        + (f"CPU {s.cpu_ms:.2f} ms/req, " if s.cpu_ms is not None else "")
        + f"lag p99 {s.lag_p99_ms:6.1f} ms saturated, {m.lag_p99_ms:6.1f} ms at {m.rps:.0f} req/s"
        + (f", exit p99 {run.exit_us['p99_us']:.1f} us" if run.exit_us else ""),
        file=sys.stderr,
        flush=True,
    )


def moderate_rate(setup: Setup) -> tuple[float, str]:
    """Half the capacity of the slower of the untraced and traced apps (healthy backend): a load
    that saturates neither, so that the event loop's lag shows blocking, not queueing."""
    with honeyhive_backend(BACKENDS["healthy"]) as honeyhive_url:
        untraced = capacity(setup, "untraced", honeyhive_url)
        traced = capacity(setup, "traced", honeyhive_url)
    rate = max(1.0, 0.5 * min(untraced, traced))
    how = f"half the slower app's capacity: untraced {untraced:.0f}, traced {traced:.0f} req/s"
    print(f"  moderate rate {rate:.0f} req/s: {how}", file=sys.stderr, flush=True)
    return rate, how


def run_all(setup: Setup, backends: Sequence[Backend]) -> list[Run]:
    runs: list[Run] = []
    for backend in backends:
        with honeyhive_backend(backend) as honeyhive_url:
            for round_index in range(setup.plan.rounds):
                shift = round_index % len(APPS)
                for app in APPS[shift:] + APPS[:shift]:
                    run = one_run(setup, backend, honeyhive_url, app, round_index)
                    runs.append(run)
                    progress(run)
    return runs


# --- the report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    figure: str
    backend: str
    measured: str
    baseline: str
    ratio: str
    target: str
    verdict: str


def ms(value: float) -> str:
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def median_of(runs: list[Run], read: Callable[[Run], float]) -> float:
    return statistics.median(read(run) for run in runs)


def ratio_text(ratios: list[float]) -> str:
    median = statistics.median(ratios)
    if len(ratios) == 1:
        return f"{median:.2f}x"
    return f"{median:.2f}x (rounds {min(ratios):.2f}-{max(ratios):.2f})"


def per_round_ratios(runs: list[Run], app: str, read: Callable[[Run], float]) -> list[float]:
    by_round = {(r.round, r.app): r for r in runs}
    rounds = sorted({r.round for r in runs})
    return [read(by_round[i, app]) / read(by_round[i, "untraced"]) for i in rounds]


def verdict(met: bool) -> str:
    return "ok" if met else "MISSED"


def cpu_row(runs: list[Run], backend_label: str) -> Row:
    """The app's CPU time per request while saturated: what requests/s measures, minus the
    noise of other work on the machine (which steals wall time, not this process's CPU time)."""
    figure = "app CPU per request, saturated: traced vs untraced"
    cpu = {id(run): run.saturated.cpu_ms for run in runs}
    if None in cpu.values():
        return Row(figure, backend_label, "-", "- (no /proc)", "-", "(explains requests/s)", "-")

    def per_request(run: Run) -> float:
        return cpu[id(run)] or 0.0

    def text(app: str) -> str:
        return f"{median_of([r for r in runs if r.app == app], per_request):.2f} ms"

    return Row(
        figure,
        backend_label,
        text("traced"),
        f"{text('untraced')} (otel {text('otel')})",
        ratio_text(per_round_ratios(runs, "traced", per_request)),
        "(explains requests/s)",
        "-",
    )


def backend_rows(backend: Backend, runs: list[Run]) -> list[Row]:
    """Every figure of one backend (rows are regrouped by figure afterwards). Delivery figures
    are read after the app's flush (20 s at most): when it timed out, more is still queued, to be
    sent or dropped later."""
    traced = [r for r in runs if r.app == "traced"]
    otel = [r for r in runs if r.app == "otel"]
    untraced = [r for r in runs if r.app == "untraced"]
    b = backend.label

    def rps(run: Run) -> float:
        return run.saturated.rps

    def rps_text(group: list[Run]) -> str:
        return f"{median_of(group, rps):.1f} req/s"

    traced_ratios = per_round_ratios(runs, "traced", rps)
    throughput_met = statistics.median(traced_ratios) >= THROUGHPUT_TARGET
    rows = [
        Row(
            "requests/s, saturated: traced vs untraced",
            b,
            rps_text(traced),
            rps_text(untraced),
            ratio_text(traced_ratios),
            f">= {THROUGHPUT_TARGET}x" if backend.throughput_target else "(none set)",
            verdict(throughput_met) if backend.throughput_target else "-",
        ),
        Row(
            "requests/s, saturated: otel vs untraced",
            b,
            rps_text(otel),
            rps_text(untraced),
            ratio_text(per_round_ratios(runs, "otel", rps)),
            "(context)",
            "-",
        ),
        cpu_row(runs, b),
    ]

    def latency_row(figure: str, phase: Callable[[Run], Phase]) -> Row:
        def pair(group: list[Run]) -> str:
            p50 = median_of(group, lambda r: phase(r).p50_ms)
            p99 = median_of(group, lambda r: phase(r).p99_ms)
            return f"{ms(p50)} / {ms(p99)}"

        p50s = per_round_ratios(runs, "traced", lambda r: phase(r).p50_ms)
        p99s = per_round_ratios(runs, "traced", lambda r: phase(r).p99_ms)
        ratio = f"{statistics.median(p50s):.2f}x / {statistics.median(p99s):.2f}x"
        return Row(figure, b, pair(traced), pair(untraced), ratio, "(report)", "-")

    def lag_row(figure: str, phase: Callable[[Run], Phase], judged: bool) -> Row:
        traced_ms = median_of(traced, lambda r: phase(r).lag_p99_ms)
        untraced_ms = median_of(untraced, lambda r: phase(r).lag_p99_ms)
        otel_ms = median_of(otel, lambda r: phase(r).lag_p99_ms)
        return Row(
            figure,
            b,
            ms(traced_ms),
            f"{ms(untraced_ms)} (otel {ms(otel_ms)})",
            f"{traced_ms / untraced_ms:.2f}x" if untraced_ms else "-",
            f"< {LAG_TARGET_MS:.0f} ms" if judged else "(queueing: none)",
            verdict(traced_ms < LAG_TARGET_MS) if judged else "-",
        )

    def saturated(run: Run) -> Phase:
        return run.saturated

    def moderate(run: Run) -> Phase:
        return run.moderate

    exit_p50 = median_of(traced, lambda r: r.exit_us["p50_us"])
    exit_p99 = median_of(traced, lambda r: r.exit_us["p99_us"])
    spans_sent = sum(r.stats["delivery"]["spans_exported"] for r in traced)
    spans_lost = sum(r.stats["delivery"]["spans_dropped"] for r in traced)
    events_sent = sum(r.stats["delivery"]["events_sent"] for r in traced)
    events_lost = sum(r.stats["delivery"]["events_dropped"] for r in traced)
    rows += [
        latency_row("latency p50 / p99, saturated: traced vs untraced", saturated),
        latency_row("latency p50 / p99, moderate rate: traced vs untraced", moderate),
        lag_row("event-loop lag p99, moderate rate: traced vs untraced", moderate, judged=True),
        lag_row("event-loop lag p99, saturated: traced vs untraced", saturated, judged=False),
        Row(
            "`with` exit p50 / p99, traced app",
            b,
            f"{exit_p50:.1f} / {exit_p99:.1f} us",
            "-",
            "-",
            f"< {EXIT_TARGET_US:.0f} us (p99)",
            verdict(exit_p99 < EXIT_TARGET_US),
        ),
        Row(
            "delivery, traced app: spans / events dropped",
            b,
            f"{spans_lost} (sent {spans_sent}) / {events_lost} (sent {events_sent})"
            + ("" if all(r.stats["flushed"] for r in traced) else ", more still queued"),
            "-",
            "-",
            "0 (checked)" if backend.key == "healthy" else "(report)",
            verdict(spans_lost == events_lost == 0) if backend.key == "healthy" else "-",
        ),
    ]
    return rows


def render(rows: list[Row]) -> str:
    header = Row("Figure", "Backend", "Traced", "Untraced (same run)", "Ratio", "Target", "Verdict")
    table = [list(vars(row).values()) for row in (header, *rows)]
    widths = [max(len(cell) for cell in column) for column in zip(*table, strict=True)]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rendered = [line(cells) for cells in table]
    rendered.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(rendered)


def report(runs: list[Run], backends: Sequence[Backend]) -> list[Row]:
    rows = [row for b in backends for row in backend_rows(b, [r for r in runs if r.backend == b])]
    order = list(dict.fromkeys(row.figure for row in rows))
    return sorted(rows, key=lambda row: order.index(row.figure))  # stable: backends stay in order


def problems(runs: list[Run]) -> list[str]:
    """What the self-checks found wrong."""
    found: list[str] = []
    for run in runs:
        name = f"{run.backend.label}, round {run.round + 1}, {run.app}"
        for label, phase in (("saturated", run.saturated), ("moderate", run.moderate)):
            if phase.errors:
                found.append(f"{name}, {label}: {phase.errors} failed requests: {phase.messages}")
            if phase.lag_samples < 10:
                found.append(f"{name}, {label}: only {phase.lag_samples} lag samples")
        if run.app == "traced" and run.backend.key == "healthy":
            delivery = run.stats["delivery"]
            if not run.stats["flushed"]:
                found.append(f"{name}: the app's flush timed out with a healthy backend")
            if delivery["spans_dropped"] or delivery["events_dropped"]:
                found.append(f"{name}: dropped with a healthy backend: {delivery}")
            if not (delivery["spans_exported"] and delivery["events_sent"]):
                found.append(f"{name}: nothing delivered: {delivery}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smoke run: healthy backend, short")
    parser.add_argument(
        "--backends",
        help=f"comma-separated, of {','.join(BACKENDS)} (default: all; --quick: healthy)",
    )
    parser.add_argument("--rounds", type=int, help="rounds per backend (default: 3; quick: 1)")
    parser.add_argument("--connections", type=int, help="saturating clients (default: 50)")
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="every form of the app calls gc.freeze() once started (docs/servers.md discusses it)",
    )
    parser.add_argument(
        "--moderate-rate",
        type=float,
        help="moderate phase, req/s (default: half the slower app's capacity, measured first)",
    )
    arguments = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(arguments)
    plan = QUICK if args.quick else FULL
    if args.rounds is not None:
        plan = dataclasses.replace(plan, rounds=args.rounds)
    if args.connections is not None:
        plan = dataclasses.replace(plan, connections=args.connections)
    keys = (args.backends or ("healthy" if args.quick else ",".join(BACKENDS))).split(",")
    unknown = [key for key in keys if key not in BACKENDS]
    if unknown or plan.rounds < 1 or plan.connections < 1:
        parser.error(f"unknown backend(s) {unknown}" if unknown else "rounds, connections >= 1")
    if args.moderate_rate is not None and args.moderate_rate <= 0:
        parser.error("--moderate-rate must be positive")
    backends = [BACKENDS[key] for key in keys]
    # Ending by SIGTERM ends the processes started here too (context managers run).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))

    started = time.perf_counter()
    with fake_openai() as openai_url:
        if args.moderate_rate is not None:
            rate, how = args.moderate_rate, "given"
        else:
            rate, how = moderate_rate(Setup(plan, openai_url, 0.0, args.gc_freeze))
        runs = run_all(Setup(plan, openai_url, rate, args.gc_freeze), backends)
    rows = report(runs, backends)
    print(render(rows))
    print(
        "\n"
        + ("quick run: the figures are not meaningful\n" if plan.quick else "")
        + f"command: {' '.join(['python', 'benchmarks/bench_server.py', *arguments])}\n"
        f"Python {sys.version.split()[0]}, OpenTelemetry SDK {version('opentelemetry-sdk')}, "
        f"uvicorn {version('uvicorn')}, FastAPI {version('fastapi')}, openai {version('openai')}; "
        f"{plan.rounds} round(s) per backend, {plan.connections} connections saturating, "
        f"moderate rate {rate:.0f} req/s (open loop; {how}), "
        f"model latency {MODEL_LATENCY_S * 1000:.0f} ms; "
        + ("gc.freeze() after startup; " if args.gc_freeze else "")
        + f"{time.perf_counter() - started:.0f} s."
    )
    found = problems(runs)
    for problem in found:
        print(f"self-check failed: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
