"""Request and feedback payloads."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChatRequest:
    session_id: str
    user_id: str
    message: str
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Rating:
    session_id: str
    score: int
    comment: str = ""
