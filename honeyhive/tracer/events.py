"""The REST calls of 1.7's wire protocol: session start and session (event) enrichment."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Final

from honeyhive.tracer import jsonsafe
from honeyhive.tracer.config import optional_mapping
from honeyhive.tracer.rest import RestCall

SESSION_START_PATH: Final = "/session/start"
EVENTS_PATH: Final = "/events"

logger: Final = logging.getLogger("honeyhive")

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
    """``POST /session/start`` with 1.7's body, snapshotted now."""
    session: dict[str, Any] = {
        "project": project,
        "session_name": session_name,
        "source": source,
        "session_id": session_id,
        "inputs": inputs if inputs is not None else {},
        "metadata": metadata if metadata is not None else {},
    }
    if user_properties is not None:
        session["user_properties"] = user_properties
    return RestCall.of("POST", SESSION_START_PATH, {"session": session})


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

    Raises ``TypeError`` naming an argument that is not a dict. The body is encoded now: changing
    the data after the call, at any depth, does not change what is sent.
    """
    fields = {
        "outputs": optional_mapping("outputs", outputs),
        "config": optional_mapping("config", config),
        "feedback": optional_mapping("feedback", feedback),
        "metrics": optional_mapping("metrics", metrics),
        "user_properties": optional_mapping("user_properties", user_properties),
    }
    merged = _entries("metadata", optional_mapping("metadata", metadata))
    given_inputs = _entries("inputs", optional_mapping("inputs", inputs))
    if given_inputs:
        merged["inputs"] = given_inputs
    body: dict[str, Any] = {"event_id": event_id}
    for key, value in _entries("keyword arguments", extra).items():
        if value is None:
            continue
        if key == "duration":  # the one extra field PUT /events takes as it is
            body["duration"] = value
        else:
            merged[key] = value
    if merged:
        body["metadata"] = merged
    for name in _EVENT_FIELDS:
        value = _entries(name, fields[name])
        if value:
            body[name] = value
    if len(body) == 1:
        return None
    return RestCall.of("PUT", EVENTS_PATH, body)


def _entries(name: str, mapping: Mapping[str, Any] | None) -> dict[str, Any]:
    """The top level of a mapping, to merge or test for emptiness; one that cannot be read is
    skipped with a log line: enriching never raises on the data it is given."""
    if mapping is None:
        return {}
    try:
        return dict(mapping.items())
    except Exception as problem:
        logger.warning(
            "HoneyHive: %s could not be read (%s); left out", name, jsonsafe.safe_repr(problem)
        )
        return {}


def with_defaults(
    metadata: Mapping[str, Any] | None, defaults: Mapping[str, Any]
) -> Mapping[str, Any] | None:
    """Session metadata with ``defaults`` (evaluation ids) beneath it: the caller's keys win."""
    if not defaults:
        return metadata
    return {**defaults, **_entries("metadata", metadata)}
