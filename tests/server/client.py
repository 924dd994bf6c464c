"""Requests as a client sends them: many at once, each its own session and trace.

Each request carries a W3C ``traceparent`` with a trace id chosen here, so the tests know which
trace belongs to which request (and so to which session) without trusting the SDK to say.
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True, slots=True)
class Sent:
    session_id: str
    trace_id: str
    status: int
    answer: dict[str, Any]


async def _send_all(url: str, route: str, count: int, question: str) -> list[Sent]:
    limits = httpx.Limits(max_connections=count + 8, max_keepalive_connections=count + 8)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:

        async def one() -> Sent:
            session_id, trace_id = str(uuid.uuid4()), secrets.token_hex(16)
            traceparent = f"00-{trace_id}-{secrets.token_hex(8)}-01"
            response = await client.post(
                f"{url}/{route}/{session_id}",
                json={"question": question},
                headers={"traceparent": traceparent},
            )
            return Sent(session_id, trace_id, response.status_code, response.json())

        return list(await asyncio.gather(*(one() for _ in range(count))))


def send_all(url: str, route: str, count: int, question: str = "hello") -> list[Sent]:
    """``count`` requests to ``route``, all started at once."""
    return asyncio.run(_send_all(url, route, count, question))


def get_json(url: str, path: str, **params: Any) -> Any:
    response = httpx.get(f"{url}{path}", params=params, timeout=60)
    response.raise_for_status()
    return response.json()


def post_json(url: str, path: str, body: Any) -> Any:
    response = httpx.post(f"{url}{path}", json=body, timeout=60)
    response.raise_for_status()
    return response.json()
