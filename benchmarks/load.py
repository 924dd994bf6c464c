"""The load generator of ``bench_server.py``, run as its own process: chat requests to the app.

    python benchmarks/load.py URL --connections 50 --warmup 3 --duration 10   # closed loop
    python benchmarks/load.py URL --rate 150 --warmup 2 --duration 10         # open loop

Every request is ``POST /chat/<fresh uuid4>`` with a small JSON body on a keep-alive HTTP/1.1
connection; it succeeds when the answer is 200 and names its session id. Raw asyncio streams with
``Content-Length`` parsing keep this process light: it shares two cores with the app it measures.

- closed loop (``--connections``): that many clients, each sending its next request as soon as
  its last one is answered (throughput: the app is saturated by design);
- open loop (``--rate``): requests started at a fixed rate, whatever the app does, on as many
  connections as are needed (a moderate load: the app is not saturated). Latency runs from the
  scheduled start, so a stalled app cannot hide its stall (no coordinated omission).

Requests answered during the ``--warmup`` seconds are not counted; the ``--duration`` seconds
after that are the measured window. The process prints ``window-start`` and ``window-end`` when the
window begins and ends (so the caller can read the app's own figures over the same window), then
one JSON line: requests/s, latency p50/p99 in ms, and every error (any non-200 answer or
connection error, warm-up included), with the first few messages.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

BODY = b'{"question": "hello"}'
MAX_ERROR_MESSAGES = 5
FINISH_TIMEOUT_S = 60.0  # after the window, how long requests still in flight may take
RECONNECT_PAUSE_S = 0.05


class HttpError(Exception):
    """A request that did not get a well-formed 200 naming its session."""


class Connection:
    """One keep-alive HTTP/1.1 connection to the app."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.reusable = True

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(host, port)
        return cls(reader, writer)

    def close(self) -> None:
        self.reusable = False
        self.writer.close()

    async def chat(self, host_header: bytes) -> None:
        session_id = str(uuid.uuid4()).encode()
        self.writer.write(
            b"POST /chat/%s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (session_id, host_header, len(BODY), BODY)
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.lower().split(": ", 1) for line in header_lines if ": " in line)
        if headers.get("connection") == "close":
            self.reusable = False
        if "content-length" not in headers:
            raise HttpError(f"answer without Content-Length: {status_line}")
        body = await self.reader.readexactly(int(headers["content-length"]))
        if status_line.split(" ")[1:2] != ["200"]:
            raise HttpError(f"{status_line}: {body[:200]!r}")
        if session_id not in body:
            raise HttpError(f"answer does not name session {session_id.decode()}: {body[:200]!r}")


@dataclass
class Window:
    """The measured window, on the event loop's clock, and what happened in it."""

    start: float
    end: float
    latencies_s: list[float] = field(default_factory=list)
    answered: int = 0  # answered within the window (requests/s)
    errors: int = 0
    messages: list[str] = field(default_factory=list)
    most_connections: int = 0

    def error(self, problem: BaseException | str) -> None:
        self.errors += 1
        if len(self.messages) < MAX_ERROR_MESSAGES:
            self.messages.append(problem if isinstance(problem, str) else repr(problem))

    def answer(self, started: float, answered: float) -> None:
        if self.start <= answered < self.end:
            self.answered += 1
            self.latencies_s.append(answered - started)

    def report(self) -> dict[str, Any]:
        cuts = statistics.quantiles(self.latencies_s, n=100) if len(self.latencies_s) > 1 else []
        return {
            "requests": self.answered,
            "rps": self.answered / (self.end - self.start),
            "p50_ms": cuts[49] * 1000 if cuts else None,
            "p99_ms": cuts[98] * 1000 if cuts else None,
            "errors": self.errors,
            "error_messages": self.messages,
            "most_connections": self.most_connections,
        }


class Target:
    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname or not parts.port:
            raise SystemExit(f"load.py: expected http://HOST:PORT, got {url!r}")
        self.host, self.port = parts.hostname, parts.port
        self.host_header = parts.netloc.encode()

    async def connect(self, window: Window) -> Connection | None:
        try:
            return await Connection.open(self.host, self.port)
        except OSError as problem:
            window.error(problem)
            await asyncio.sleep(RECONNECT_PAUSE_S)
            return None

    async def chat(self, connection: Connection, window: Window, started: float) -> bool:
        """One request; False (counted as an error) when it failed."""
        loop = asyncio.get_running_loop()
        try:
            await connection.chat(self.host_header)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, HttpError) as e:
            window.error(e)
            connection.close()
            return False
        window.answer(started, loop.time())
        if not connection.reusable:
            connection.close()
        return True


async def announce(window: Window) -> None:
    """Print the window's marks when it begins and ends."""
    loop = asyncio.get_running_loop()
    await asyncio.sleep(window.start - loop.time())
    print("window-start", flush=True)
    await asyncio.sleep(window.end - loop.time())
    print("window-end", flush=True)


async def closed_loop(target: Target, window: Window, connections: int) -> None:
    loop = asyncio.get_running_loop()

    async def client() -> None:
        connection: Connection | None = None
        while loop.time() < window.end:
            if connection is None or not connection.reusable:
                connection = await target.connect(window)
                continue
            await target.chat(connection, window, loop.time())
        if connection is not None:
            connection.close()

    window.most_connections = connections
    await asyncio.gather(announce(window), *(client() for _ in range(connections)))


async def open_loop(target: Target, window: Window, rate: float) -> None:
    loop = asyncio.get_running_loop()
    idle: list[Connection] = []
    in_use = 0

    async def one(scheduled: float) -> None:
        nonlocal in_use
        while idle and (idle[-1].reader.at_eof() or not idle[-1].reusable):
            idle.pop().close()  # the app closed it while it was idle
        connection = idle.pop() if idle else await target.connect(window)
        if connection is None:
            return
        in_use += 1
        window.most_connections = max(window.most_connections, in_use + len(idle))
        if await target.chat(connection, window, scheduled):
            idle.append(connection)
        in_use -= 1

    first = loop.time()
    tasks: set[asyncio.Task[None]] = set()
    marks = asyncio.create_task(announce(window))
    index = 0
    while (scheduled := first + index / rate) < window.end:
        await asyncio.sleep(scheduled - loop.time())
        task = asyncio.create_task(one(scheduled))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        index += 1
    await marks
    if tasks:
        await asyncio.wait(tasks)
    for connection in idle:
        connection.close()


async def run(arguments: argparse.Namespace) -> dict[str, Any]:
    target = Target(arguments.url)
    now = asyncio.get_running_loop().time()
    window = Window(now + arguments.warmup, now + arguments.warmup + arguments.duration)
    if arguments.rate is None:
        work = closed_loop(target, window, arguments.connections)
    else:
        work = open_loop(target, window, arguments.rate)
    try:
        await asyncio.wait_for(work, arguments.warmup + arguments.duration + FINISH_TIMEOUT_S)
    except TimeoutError:
        window.error(f"requests still unanswered {FINISH_TIMEOUT_S:.0f} s after the window")
    return window.report()


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("url", help="the app, http://HOST:PORT")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds not counted")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured")
    kind = parser.add_mutually_exclusive_group(required=True)
    kind.add_argument("--connections", type=int, help="closed loop: clients sending back to back")
    kind.add_argument("--rate", type=float, help="open loop: requests started per second")
    arguments = parser.parse_args(argv)
    if arguments.duration <= 0 or arguments.warmup < 0:
        parser.error("--duration must be positive and --warmup not negative")
    if (arguments.connections is not None and arguments.connections < 1) or (
        arguments.rate is not None and arguments.rate <= 0
    ):
        parser.error("--connections and --rate must be positive")
    return arguments


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    started = time.perf_counter()
    report = asyncio.run(run(arguments))
    report["wall_s"] = time.perf_counter() - started
    print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
