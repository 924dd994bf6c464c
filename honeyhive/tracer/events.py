"""The REST calls of 1.7's wire protocol: session start and session (event) enrichment."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from honeyhive.tracer.config import optional_mapping
from honeyhive.tracer.rest import RestCall

SESSION_START_PATH: Final = "/session/start"
EVENTS_PATH: Final = "/events"

# Fields `PUT /events` takes as they are; inputs and unknown keywords go into metadata (as 1.7).
_EVENT_FIELDS: Final = ("outputs", "config", "feedback", "metrics", "user_properties")


def session_start(
    *,
    session_id: str,
    project: str | None,
    session_name: str,
    source: str,
    inputs: Mapping[str, Any] | None,
    metadata: Mapping[str, Any] | None,
    user_properties: Mapping[str, Any] | None = None,
) -> RestCall:
    """``POST /session/start`` with 1.7's body."""
    session: dict[str, Any] = {
        "project": project,
        "session_name": session_name,
        "source": source,
        "session_id": session_id,
        "inputs": dict(inputs) if inputs else {},
        "metadata": dict(metadata) if metadata else {},
    }
    if user_properties:
        session["user_properties"] = dict(user_properties)
    return RestCall("POST", SESSION_START_PATH, {"session": session})


def event_update(
    event_id: str,
    *,
    metadata: Mapping[str, Any] | None = None,
    inputs: Mapping[str, Any] | None = None,
    outputs: Mapping[str, Any] | None = None,
    config: Mapping[str, Any] | None = None,
    feedback: Mapping[str, Any] | None = None,
    metrics: Mapping[str, Any] | None = None,
    user_properties: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> RestCall | None:
    """``PUT /events`` enriching ``event_id`` (a session id), or None when there is nothing to send.

    Raises ``TypeError`` naming an argument that is not a dict. The dicts are copied, so that
    changing them after the call does not change what is sent.
    """
    values = {
        "outputs": optional_mapping("outputs", outputs),
        "config": optional_mapping("config", config),
        "feedback": optional_mapping("feedback", feedback),
        "metrics": optional_mapping("metrics", metrics),
        "user_properties": optional_mapping("user_properties", user_properties),
    }
    merged = dict(optional_mapping("metadata", metadata) or {})
    if optional_mapping("inputs", inputs):
        merged["inputs"] = dict(inputs or {})
    body: dict[str, Any] = {"event_id": event_id}
    if extra:
        for key, value in extra.items():
            if value is None:
                continue
            if key == "duration":  # the one extra field PUT /events takes as it is
                body["duration"] = value
            else:
                merged[key] = value
    if merged:
        body["metadata"] = merged
    for name in _EVENT_FIELDS:
        value = values[name]
        if value:
            body[name] = dict(value)
    if len(body) == 1:
        return None
    return RestCall("PUT", EVENTS_PATH, body)
