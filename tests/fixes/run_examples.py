"""Imports the example project and calls its handlers (test_acceptance runs it on copies).

Run with the example project's directory on PYTHONPATH; warnings are the SDK's business here.
"""

import asyncio
import importlib
import uuid

handlers = importlib.import_module("support_bot.handlers")
legacy_handlers = importlib.import_module("support_bot.legacy_handlers")
importlib.import_module("support_bot.legacy_workers")
models = importlib.import_module("support_bot.models")

sid = str(uuid.uuid4())
request = models.ChatRequest(session_id=sid, user_id="u1", message="hello")
uuid.UUID(legacy_handlers.start_conversation("u1"))
uuid.UUID(asyncio.run(legacy_handlers.start_conversation_async("u1")))
print(legacy_handlers.escalate(request))
print(legacy_handlers.replay(request))
legacy_handlers.record_rating(models.Rating(session_id=sid, score=5))
uuid.UUID(handlers.start_conversation("u1"))
print(handlers.handle_chat(request))
handlers.record_rating(models.Rating(session_id=sid, score=4))
print("ran")
