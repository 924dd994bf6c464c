"""A light HoneyHive backend for ``bench_server.py``: reads each request, answers 200 after a delay.

    python benchmarks/server_sink.py --delay 0.1    # prints its port, then serves until killed

One asyncio process on 127.0.0.1, HTTP/1.1 with keep-alive, any number of connections at once, every
answer delayed by ``--delay`` seconds (a slow backend) without holding up the other connections.
It decodes nothing (the test suite's loopback does that, at a cost this benchmark must not pay
on a 2-core machine): it reads the body by its ``Content-Length`` or chunks and answers ``{}``.
"""

from __future__ import annotations

import argparse
import asyncio
import socket

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
MAX_HEAD = 64 * 1024


async def read_body(reader: asyncio.StreamReader, head: bytes) -> None:
    """Consume the body that follows ``head`` (``Content-Length`` or chunked)."""
    headers = head.lower()
    if b"transfer-encoding: chunked" in headers:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)  # the chunk and its CRLF
            if size == 0:
                return
    for line in headers.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip() == b"content-length":
            await reader.readexactly(int(value))
            return


async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay_s: float) -> None:
    writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            await read_body(reader, head)
            if delay_s:
                await asyncio.sleep(delay_s)
            writer.write(ANSWER)
            await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ValueError):
        pass  # the client closed the connection (or sent nonsense): end this connection only
    finally:
        writer.close()


async def main_async(delay_s: float) -> None:
    server = await asyncio.start_server(
        lambda r, w: serve(r, w, delay_s), "127.0.0.1", 0, backlog=1024, limit=MAX_HEAD
    )
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    asyncio.run(main_async(parser.parse_args().delay))


if __name__ == "__main__":
    main()
