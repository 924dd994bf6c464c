"""The same handlers, one tracer per session: the pattern the linters steer towards."""

from __future__ import annotations

import honeyhive
from honeyhive import HoneyHiveTracer, trace

from .llm import complete
from .models import ChatRequest, Rating
from .tracing import tracer_for


def start_conversation(user_id: str) -> str:
    # A new conversation is a new tracer; its session id is the tracer's own.
    tracer = tracer_for()
    tracer.enrich_session(metadata={"user_id": user_id})
    return tracer.session_id


def handle_chat(request: ChatRequest) -> str:
    # The tracer is bound to the request's session at creation and ends with the block.
    with HoneyHiveTracer.init(project="support-bot", source="prod", session_id=request.session_id) as tracer:
        answer = answer_question(request.message)
        tracer.enrich_session(
            metadata={"user_id": request.user_id, "tags": request.tags},
            outputs={"answer": answer},
        )
    return answer


@trace(event_type="chain")
def answer_question(question: str) -> str:
    # Traced functions join the session of the tracer active around them.
    return complete(question)


@trace(event_type="tool")
def escalate(request: ChatRequest) -> str:
    return f"escalated {request.user_id}"


def record_rating(rating: Rating) -> None:
    # Feedback arrives after the conversation ended: enrich that session by id.
    honeyhive.enrich_session(rating.session_id, feedback={"score": rating.score, "comment": rating.comment})
