"""Chat handlers written for honeyhive 1.7: one tracer serves every conversation.

Every pattern in this module makes a single tracer switch between sessions. Under concurrent
requests, spans and enrichments land in whichever session the shared tracer points at when they
happen. See handlers.py for the same handlers written one tracer per session.
"""

from __future__ import annotations

from honeyhive import HoneyHiveTracer, trace

from .llm import complete
from .models import ChatRequest, Rating

tracer = HoneyHiveTracer.init(project="support-bot", source="prod")
ESCALATIONS_SESSION = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b"


def start_conversation(user_id: str) -> str:
    # 1.7 returned the new session's id and left it attached to the context.
    return tracer.create_session(session_name=f"chat-{user_id}")  # [tracer-reused-across-sessions]


def handle_chat(request: ChatRequest) -> str:
    # Rebinding the shared tracer moves every concurrent request into this session.
    tracer.session_id = request.session_id  # [tracer-reused-across-sessions]
    answer = answer_question(request.message)
    tracer.enrich_session(  # [session-id-on-tracer-method]
        session_id=request.session_id,
        metadata={"user_id": request.user_id, "tags": request.tags},
        outputs={"answer": answer},
    )
    return answer


@trace(event_type="chain")
def answer_question(question: str) -> str:
    return complete(question)


# Meant to file escalations under one fixed session; in 1.7 the span never moved there.
@trace(event_type="tool", session_id=ESCALATIONS_SESSION)  # [tracer-reused-across-sessions]
def escalate(request: ChatRequest) -> str:
    return f"escalated {request.user_id}"


def record_rating(rating: Rating) -> None:
    # The 0.2.x signature took the session id first; 1.7 silently sends nothing for this call.
    tracer.enrich_session(rating.session_id, feedback={"score": rating.score})  # [session-id-on-tracer-method]


async def start_conversation_async(user_id: str) -> str:
    return await tracer.acreate_session(session_name=f"chat-{user_id}")  # [tracer-reused-across-sessions]


def replay(request: ChatRequest) -> str:
    with tracer.with_session(session_name="replay"):  # [tracer-reused-across-sessions]
        return answer_question(request.message)
