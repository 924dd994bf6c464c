"""SDK benchmark: the cost of tracing, of a tracer per session, and of the runtime checks.

    python benchmarks/bench_sdk.py            # full run, about 2 minutes on 2 cores
    python benchmarks/bench_sdk.py --quick    # smoke run: the figures are not meaningful

Every figure is compared with a baseline measured in the same run, so a slow or busy machine moves
both sides. Timed work is repeated in rounds, candidate and baseline interleaved (their order
alternating between rounds), and the table shows medians: medians of per-round ratios for ratios,
medians of single calls for latencies. The destination for network figures is a small HTTP sink
in a separate process on 127.0.0.1, so its request handling does not compete for this process's GIL.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import honeyhive
from honeyhive import HoneyHiveTracer

API_KEY = "bench-key"
PROJECT = "bench"

SINK_CODE = """
import http.server
import socket

class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = -1  # one segment per answer: no Nagle / delayed-ACK stalls

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _ok(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT = _ok

    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sink)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
"""


@dataclass(frozen=True)
class Plan:
    rounds: int
    calls: int  # per round, for batch-timed comparisons
    samples: int  # single-call samples, for latencies


FULL = Plan(rounds=31, calls=2_000, samples=5_000)
QUICK = Plan(rounds=3, calls=100, samples=200)


@dataclass(frozen=True)
class Row:
    figure: str
    measured: str
    baseline: str
    result: str
    target: str
    verdict: str


@dataclass(frozen=True)
class Comparison:
    candidate_ns: float
    baseline_ns: float
    ratio: float  # median of the per-round ratios
    ratio_q1: float  # their quartiles: the run-to-run spread
    ratio_q3: float

    @property
    def spread(self) -> str:
        return f"IQR {self.ratio_q1:.2f}-{self.ratio_q3:.2f}"


@contextmanager
def http_sink() -> Iterator[str]:
    process = subprocess.Popen([sys.executable, "-c", SINK_CODE], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def compare(
    candidate: Callable[[int], object],
    baseline: Callable[[int], object],
    plan: Plan,
    reset: Callable[[], object] = lambda: None,
) -> Comparison:
    """Time `calls` calls of each side per round, interleaved; medians over rounds."""
    candidate_ns: list[float] = []
    baseline_ns: list[float] = []
    ratios: list[float] = []
    for round_index in range(plan.rounds):
        sides = [(candidate, candidate_ns), (baseline, baseline_ns)]
        if round_index % 2:
            sides.reverse()
        for work, results in sides:
            reset()
            gc.collect()
            started = time.perf_counter_ns()
            for i in range(plan.calls):
                work(i)
            results.append((time.perf_counter_ns() - started) / plan.calls)
        ratios.append(candidate_ns[-1] / baseline_ns[-1])
    q1, _, q3 = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else ratios * 3
    return Comparison(
        statistics.median(candidate_ns),
        statistics.median(baseline_ns),
        statistics.median(ratios),
        q1,
        q3,
    )


def single_calls(
    call: Callable[[], object], samples: int, every: int, settle: Callable[[], object]
) -> float:
    """Median ns of single calls; `settle` runs untimed after every `every` calls."""
    timings: list[int] = []
    for index in range(samples):
        started = time.perf_counter_ns()
        call()
        timings.append(time.perf_counter_ns() - started)
        if (index + 1) % every == 0:
            settle()
    return statistics.median(timings)


def us(ns: float) -> str:
    return f"{ns / 1000:.1f} us"


# --- 1. @tracer.trace against a bare OpenTelemetry span -----------------------------------------


def trace_overhead(plan: Plan) -> tuple[Row, Comparison]:
    hh_exporter, bare_exporter = InMemorySpanExporter(), InMemorySpanExporter()
    tracer = HoneyHiveTracer.init(
        project=PROJECT, test_mode=True, disable_batch=True, exporter=hh_exporter
    )
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(bare_exporter))
    otel = provider.get_tracer("bench")

    @tracer.trace()
    def traced(x: int) -> int:
        return x

    def bare(x: int) -> int:
        with otel.start_as_current_span("bare"):
            return x

    def clear() -> None:
        hh_exporter.clear()
        bare_exporter.clear()

    result = compare(traced, bare, plan, clear)
    tracer.shutdown()
    provider.shutdown()
    row = Row(
        "`@tracer.trace` call vs bare `start_as_current_span`",
        us(result.candidate_ns),
        us(result.baseline_ns),
        f"{result.ratio:.2f}x ({result.spread})",
        "<= 1.3x",
        "ok" if result.ratio <= 1.3 else "MISSED",
    )
    return row, result


# --- 2. HoneyHiveTracer.init for a new session, the destination existing ------------------------


def init_latency(plan: Plan, settings: dict[str, Any], label: str, baseline_ns: float) -> Row:
    anchor = HoneyHiveTracer.init(**settings)  # the destination exists
    made: list[HoneyHiveTracer] = []

    def create() -> None:
        made.append(HoneyHiveTracer.init(**settings))

    def end_all() -> None:
        for tracer in made:
            tracer.shutdown()
        made.clear()
        anchor.flush(timeout_millis=30_000)

    median_ns = single_calls(create, plan.samples, 100, end_all)
    end_all()
    anchor.shutdown()
    return Row(
        f"`HoneyHiveTracer.init` median, {label}",
        us(median_ns),
        us(baseline_ns),
        f"{median_ns / baseline_ns:.2f}x",
        "<= 50 us",
        "ok" if median_ns <= 50_000 else "MISSED",
    )


def bare_provider_ns(plan: Plan) -> float:
    """What a naive tracer per session costs: its own provider, processor and tracer."""
    exporter = InMemorySpanExporter()

    def create() -> None:
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        provider.get_tracer("bench")

    return single_calls(create, plan.samples, plan.samples, lambda: None)


# --- 3. tracer.enrich_session ------------------------------------------------------------------


def enrich_latency(plan: Plan, url: str, bare_span_ns: float) -> Row:
    tracer = HoneyHiveTracer.init(api_key=API_KEY, project=PROJECT, server_url=url)
    metadata = {"user": "u-1", "turn": 3}
    median_ns = single_calls(
        lambda: tracer.enrich_session(metadata=metadata, feedback={"rating": 5}),
        plan.samples,
        500,  # keep the bounded queue far from full: a drop would be faster than a send
        lambda: tracer.flush(timeout_millis=30_000),
    )
    tracer.shutdown()
    return Row(
        "`tracer.enrich_session` median (queued PUT)",
        us(median_ns),
        f"{us(bare_span_ns)} (bare span)",
        f"{median_ns / bare_span_ns:.2f}x",
        "<= 20 us",
        "ok" if median_ns <= 20_000 else "MISSED",
    )


# --- 4. the runtime checks on calls without session_id -------------------------------------------


def checks_cost(plan: Plan, url: str) -> list[Row]:
    """Three views of what the HH001/HH002 checks cost a call that passes no session id.

    a) Black box: `tracer.enrich_session(metadata=...)` (checked) against the free
       `honeyhive.enrich_session(id, metadata=..., tracer=...)`, which queues the same PUT and
       never checks. The paths differ in more than the checks, so this bounds them from above.
    b) The checks themselves: on this path `HoneyHiveTracer.enrich_session` runs exactly
       `isinstance(metadata, str)` and `session_id is not None`. Their cost, timed A/B in functions
       of the same signature, is compared with the call's own round-to-round spread (A/A IQR):
       below it, the checks are not measurable.
    c) Decorators check `session_id=` once, at decoration: a function decorated with
       `session_id=<own id>` (the checked, warning path) must cost per call what a plain one costs.
    """
    tracer = HoneyHiveTracer.init(api_key=API_KEY, project=PROJECT, server_url=url)
    metadata = {"user": "u-1"}

    def checked(_: int) -> None:
        tracer.enrich_session(metadata=metadata)

    def unchecked(_: int) -> None:
        honeyhive.enrich_session(tracer.session_id, metadata=metadata, tracer=tracer)

    def drain() -> None:
        tracer.flush(timeout_millis=30_000)

    small = Plan(plan.rounds, min(plan.calls, 500), plan.samples)  # stay far below the queue bound
    enrich = compare(checked, unchecked, small, drain)
    enrich_aa = compare(checked, checked, small, drain)
    tracer.shutdown()

    def with_checks(metadata: object, *, session_id: str | None = None) -> None:
        if isinstance(metadata, str):
            raise TypeError(metadata)
        if session_id is not None:
            raise AssertionError(session_id)

    def without_checks(metadata: object, *, session_id: str | None = None) -> None:
        pass

    isolated = compare(lambda _: with_checks(metadata), lambda _: without_checks(metadata), plan)
    checks_ns = isolated.candidate_ns - isolated.baseline_ns
    share = checks_ns / enrich_aa.candidate_ns
    aa_spread = enrich_aa.ratio_q3 - enrich_aa.ratio_q1

    exporter = InMemorySpanExporter()
    local = HoneyHiveTracer.init(
        project=PROJECT, test_mode=True, disable_batch=True, exporter=exporter
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # HH001/HH002 at decoration: the point is the call cost

        @honeyhive.trace(tracer=local, session_id=local.session_id)  # noqa: HH002  (measured on purpose)
        def decorated_with_session_id(x: int) -> int:
            return x

    @honeyhive.trace(tracer=local)
    def decorated_plainly(x: int) -> int:
        return x

    decorator = compare(decorated_with_session_id, decorated_plainly, plan, exporter.clear)
    decorator_aa = compare(decorated_plainly, decorated_plainly, plan, exporter.clear)
    local.shutdown()

    def ab_row(label: str, ab: Comparison, aa: Comparison, target: str, bound: float) -> Row:
        return Row(
            label,
            us(ab.candidate_ns),
            us(ab.baseline_ns),
            f"{ab.ratio:.3f}x (A/A {aa.ratio:.3f}x, {aa.spread})",
            target,
            "ok" if ab.ratio <= bound else "MEASURABLE",
        )

    return [
        ab_row(
            "checked `tracer.enrich_session` vs never-checking free function",
            enrich,
            enrich_aa,
            "<= 1x + A/A spread",
            1 + aa_spread,
        ),
        Row(
            "the two checks alone, share of a `tracer.enrich_session` call",
            f"{checks_ns:.0f} ns",
            f"{us(enrich_aa.candidate_ns)} (call)",
            f"{share:.1%} (A/A spread {aa_spread:.1%})",
            "below the A/A spread",
            "ok" if share < aa_spread else "MEASURABLE",
        ),
        ab_row(
            "call of `@trace(session_id=own)` vs plain `@trace`",
            decorator,
            decorator_aa,
            "<= 1x + A/A spread",
            1 + (decorator_aa.ratio_q3 - decorator_aa.ratio_q1),
        ),
    ]


# --- the report ----------------------------------------------------------------------------


def render(rows: list[Row]) -> str:
    header = Row("Figure", "Measured", "Baseline (same run)", "Ratio", "Target", "Verdict")
    table = [header, *rows]
    columns = list(zip(*(vars(row).values() for row in table), strict=True))
    widths = [max(len(cell) for cell in column) for column in columns]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rendered = [line(list(vars(row).values())) for row in table]
    rendered.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(rendered)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smoke run: few, short rounds")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL

    started = time.perf_counter()
    rows: list[Row] = []
    with http_sink() as url:
        trace_row, trace_result = trace_overhead(plan)
        rows.append(trace_row)
        provider_ns = bare_provider_ns(plan)
        local = {"project": PROJECT, "test_mode": True, "exporter": InMemorySpanExporter()}
        rows.append(init_latency(plan, local, "in-memory exporter", provider_ns))
        remote = {"api_key": API_KEY, "project": PROJECT, "server_url": url}
        rows.append(init_latency(plan, remote, "HTTP destination", provider_ns))
        rows.append(enrich_latency(plan, url, trace_result.baseline_ns))
        rows.extend(checks_cost(plan, url))

    print(render(rows))
    print(
        f"\n{'quick' if args.quick else 'full'} run, Python {sys.version.split()[0]}, "
        f"honeyhive {honeyhive.__version__}, {time.perf_counter() - started:.0f} s. "
        "Init baseline: a new TracerProvider + SimpleSpanProcessor per session."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
