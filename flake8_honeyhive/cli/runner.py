"""Reading, pre-filtering and checking files: serially, or on every core when much must be parsed.

The main process reads each file and runs the engine's byte-level pre-filter, which rejects most
files of a real repository in microseconds (with a cache, a file unchanged since the last run is
not even read: see `sources`). Only the files that survive are parsed. When they add
up to more than PARALLEL_MIN_BYTES, they are checked in a process pool, one worker per available
core, in chunks; otherwise in this process, without starting any other. The pool starts as soon as
that much has been read, and gets chunks while the main process reads the rest. Results are the
same either way: each file's outcome is computed independently and sorted afterwards.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from flake8_honeyhive.cli.diagnostics import io_error_diagnostic
from flake8_honeyhive.cli.lint import FileJob, FileOutcome, lint_chunk, lint_file
from flake8_honeyhive.cli.sources import Reader, SourceFile, Sources
from flake8_honeyhive.cli.streams import warn
from flake8_honeyhive.fixes.model import UNSAFE

if TYPE_CHECKING:
    from concurrent.futures import Future

    from flake8_honeyhive.cli.cache import Cache
    from flake8_honeyhive.project import Summaries

__all__ = [
    "PARALLEL_MIN_BYTES",
    "RunResult",
    "Terminated",
    "available_cores",
    "check_files",
    "check_jobs",
]

# Below this much source to parse, starting worker processes costs more than it saves. Measured on
# 2 cores: a pool costs ~20 ms to start and stop, plus pickling the sources and results, and the
# engine checks dense HoneyHive code at ~10 MB/s per core: 512 KB take ~50 ms serially and ~25 ms
# on two cores once the workers run. (On a machine busy with other work the gain shrinks; see
# --jobs.)
PARALLEL_MIN_BYTES = 512 * 1024
# Chunks per worker: enough to balance uneven files, few enough to keep messaging cheap.
CHUNKS_PER_WORKER = 4
# While files are still being read, a chunk goes to the pool each time this much has accumulated.
STREAM_CHUNK_BYTES = 256 * 1024


class RunResult:
    __slots__ = (
        "files_read",
        "from_cache",
        "outcomes",
        "parallel_workers",
        "sources",
        "summarised",
    )

    def __init__(self) -> None:
        self.outcomes: list[FileOutcome] = []
        # The bytes of every file checked, and of those with cached diagnostics (read if asked
        # for), for output formats that show source lines.
        self.sources = Sources()
        # How many worker processes checked the files (0: all were checked in this process).
        self.parallel_workers = 0
        self.from_cache = 0  # outcomes taken from the cache
        self.summarised = 0  # modules parsed to summarise them for their importers
        self.files_read = 0  # files read to check or summarise them (not those the cache answered)


def available_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return os.cpu_count() or 1  # pragma: no cover (macOS, Windows)


def check_files(
    paths: Sequence[str],
    enabled_for: Callable[[str], frozenset[str]],
    *,
    jobs: int | None = None,
    cache: Cache | None = None,
    ignore_noqa: bool = False,
    fix: str | None = None,
    roots_for: Callable[[str], Sequence[str]] | None = None,
) -> RunResult:
    """Read, pre-filter and check `paths`; `enabled_for` gives each file's enabled rule codes.

    With a `cache`, a file checked before with the same content and rules is not checked again,
    and the outcomes of the others are put in it. With `ignore_noqa`, `# noqa` comments are not
    honoured (the cache, which holds results with them honoured, must then not be given). With
    `fix` ("safe" or "unsafe"), files are fixed as they are checked (`FileOutcome.fixed_source`);
    a cached result is used only if it has nothing to fix, and fixed files are not cached.
    With `roots_for` (each file's source roots), files that import other checked modules are
    checked with those modules' summaries (see `crossmodule`).
    """
    result = RunResult()
    keys: dict[str, bytes] = {}
    stream = _Stream(result, jobs)
    reader = Reader(cache)
    cross = None
    if roots_for is not None:
        from flake8_honeyhive.cli.crossmodule import CrossModule  # noqa: PLC0415

        cross = CrossModule.for_paths(paths, roots_for, cache, reader)

    def queue(
        file: SourceFile,
        enabled: frozenset[str],
        key: bytes | None = None,
        project: Summaries = (),
        package: str = "",
    ) -> None:
        if cache is not None:
            key = keys[file.path] = key or file.digest
            cached = cache.get(file.path, key, enabled)
            if cached is not None and not (fix and _has_fixes(cached, fix)):
                result.outcomes.append(cached)
                if cached.diagnostics:
                    result.sources.defer(file)
                result.from_cache += 1
                return
        job = FileJob(file.path, file.source, enabled, ignore_noqa, fix, project, package)
        if file.stale:  # changed since its stat: its key may not be that of these bytes
            keys.pop(file.path, None)
        stream.add(job)

    try:
        for path in paths:
            enabled = enabled_for(path)
            if not enabled:
                continue
            try:
                file = reader.open(path)
            except OSError as error:
                result.outcomes.append(FileOutcome(path, (io_error_diagnostic(path, error),)))
                continue
            if cross is not None and cross.hold_back(file, enabled):
                continue
            if file.needs_checking(enabled):
                queue(file, enabled)
        if cross is not None:
            for held in cross.jobs():
                file, enabled = held.held.file, held.held.enabled
                if file.needs_checking(enabled, anywhere=bool(held.project)):
                    queue(file, enabled, held.key, held.project, held.package)
            result.summarised = cross.summarised
        result.files_read = reader.files_read
        stream.finish()
    except BaseException:  # Ctrl-C, SIGTERM: end the workers now
        stream.stop()
        raise
    if cache is not None:
        checked = {job.path: job.enabled for job in stream.jobs}
        for outcome in result.outcomes:
            key = keys.get(outcome.path)
            if outcome.path in checked and outcome.fixed_source is None and key is not None:
                cache.put(outcome, key, checked[outcome.path])
    return result


def _has_fixes(outcome: FileOutcome, fix: str) -> bool:
    unsafe = fix == UNSAFE
    return any(d.fix is not None and d.fix.applies(unsafe=unsafe) for d in outcome.diagnostics)


def check_jobs(pending: list[FileJob], result: RunResult, *, jobs: int | None = None) -> RunResult:
    """Check files already read; `jobs` forces the number of workers (1: serial)."""
    result.sources.update((job.path, job.source) for job in pending)
    workers = jobs if jobs is not None else _workers_for(pending)
    workers = min(workers, len(pending))  # `--jobs 64` for 3 files starts 3 processes
    if workers > 1:
        pool = _Pool(workers)
        try:
            for chunk in _chunks(pending, workers * CHUNKS_PER_WORKER):
                pool.submit(chunk)
            outcomes = pool.outcomes()
        except BaseException:
            pool.stop()
            raise
        if outcomes is not None:
            result.outcomes.extend(outcomes)
            result.parallel_workers = workers
            return result
        # A worker died (killed, out of memory): check everything here instead.
        warn("a worker process died; checking serially")
    result.outcomes.extend(lint_file(job) for job in pending)
    return result


class _Stream:
    """Files to check, as they are read. Once enough to be worth a pool has been read, a pool
    starts and takes chunks while the rest is still being read (the workers start up meanwhile);
    otherwise everything is checked at the end, as by check_jobs."""

    def __init__(self, result: RunResult, jobs: int | None) -> None:
        self.result = result
        self.forced = jobs
        self.wanted = jobs if jobs is not None else available_cores()
        self.jobs: list[FileJob] = []
        self.size = 0
        self.pool: _Pool | None = None
        self.sent = 0  # jobs[:sent] went to the pool
        self.unsent_size = 0

    def add(self, job: FileJob) -> None:
        self.jobs.append(job)
        self.size += len(job.source)
        self.unsent_size += len(job.source)
        if self.pool is None and self._worth_a_pool_already():
            self.pool = _Pool(self.wanted)
        if self.pool is not None and self.unsent_size >= STREAM_CHUNK_BYTES:
            self._send()

    def _worth_a_pool_already(self) -> bool:
        # Never more workers than files: a pool starts early only with a file for each worker.
        if self.wanted < 2 or len(self.jobs) < self.wanted:
            return False
        return self.forced is not None or self.size >= PARALLEL_MIN_BYTES

    def _send(self) -> None:
        assert self.pool is not None
        if self.sent < len(self.jobs):
            self.pool.submit(self.jobs[self.sent :])
            self.sent, self.unsent_size = len(self.jobs), 0

    def finish(self) -> None:
        if self.pool is None:
            check_jobs(self.jobs, self.result, jobs=self.forced)
            return
        self._send()
        outcomes = self.pool.outcomes()
        self.result.sources.update((job.path, job.source) for job in self.jobs)
        if outcomes is None:
            warn("a worker process died; checking serially")
            self.result.outcomes.extend(lint_file(job) for job in self.jobs)
        else:
            self.result.outcomes.extend(outcomes)
            self.result.parallel_workers = self.pool.workers

    def stop(self) -> None:
        if self.pool is not None:
            self.pool.stop()


def _workers_for(pending: Sequence[FileJob]) -> int:
    total = sum(len(job.source) for job in pending)
    return available_cores() if total >= PARALLEL_MIN_BYTES else 1


def _chunks(pending: Sequence[FileJob], count: int) -> list[list[FileJob]]:
    """About `count` chunks of similar total size, each keeping the files' order."""
    target = max(sum(len(job.source) for job in pending) // count, 1)
    chunks: list[list[FileJob]] = [[]]
    size = 0
    for job in pending:
        if size >= target:
            chunks.append([])
            size = 0
        chunks[-1].append(job)
        size += len(job.source)
    return chunks


def _start_worker(parent: int) -> None:
    """In each worker, first: it must never outlive the command, nor keep its output open.

    Ctrl-C is the main process's to handle (it ends the workers), without a traceback per worker.
    If the main process is killed (SIGKILL, or SIGTERM before it can end them), the kernel kills
    the worker too (Linux). And the worker lets go of stdout and stderr, so that a pipe such as
    `honeyhive-lint | tee log` ends when the main process does: results travel by the pool's
    own pipes.
    """
    import signal  # noqa: PLC0415 (signals matter only once there are workers)

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)
    devnull = os.open(os.devnull, os.O_WRONLY)
    for descriptor in (1, 2):
        os.dup2(devnull, descriptor)
    os.close(devnull)


def _die_with_parent(parent: int) -> None:
    if sys.platform != "linux":
        return  # pragma: no cover
    import ctypes  # noqa: PLC0415
    import signal  # noqa: PLC0415

    pr_set_pdeathsig = 1
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover (no libc to ask)
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


class _Pool:
    """Worker processes checking chunks of files; outcomes come back in the order sent.

    Imported lazily: ~20 ms of imports. fork is the cheapest start on Linux, and safe here: no
    threads run yet when the workers are made (at the first chunk).
    """

    def __init__(self, workers: int) -> None:
        import multiprocessing  # noqa: PLC0415
        import signal  # noqa: PLC0415
        from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

        # The engine and its statement lexer (~20 ms of imports and regular expressions to
        # compile) load here once, and the forked workers inherit them, instead of each loading
        # them again. (The engine loads the lexer only when it first parses a file.)
        import flake8_honeyhive.checker  # noqa: PLC0415
        import flake8_honeyhive.partial  # noqa: F401, PLC0415

        context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
        self.workers = workers
        self.executor = ProcessPoolExecutor(
            workers, context, initializer=_start_worker, initargs=(os.getpid(),)
        )
        self.futures: list[Future[list[FileOutcome]]] = []
        self.previous_sigterm = signal.signal(signal.SIGTERM, _terminated)

    def submit(self, chunk: list[FileJob]) -> None:
        self.futures.append(self.executor.submit(lint_chunk, chunk))

    def outcomes(self) -> list[FileOutcome] | None:
        """Every outcome, in order; None if the pool broke (a worker died)."""
        from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415

        try:
            outcomes = [outcome for future in self.futures for outcome in future.result()]
        except BrokenProcessPool:
            self.stop()
            return None
        self.executor.shutdown()
        self._restore()
        return outcomes

    def stop(self) -> None:
        """End the workers now, not after their chunks (Ctrl-C, SIGTERM, a broken pool)."""
        # The executor has no public way to end running workers; `_processes` has held them, by
        # pid, since Python 3.2.
        processes = getattr(self.executor, "_processes", None) or {}
        for process in list(processes.values()):
            process.kill()
        self.executor.shutdown(wait=False, cancel_futures=True)
        self._restore()

    def _restore(self) -> None:
        import signal  # noqa: PLC0415

        signal.signal(signal.SIGTERM, self.previous_sigterm)


class Terminated(BaseException):
    """SIGTERM arrived while workers ran: they are ended, then the command exits."""


def _terminated(signum: int, frame: object) -> None:
    raise Terminated
