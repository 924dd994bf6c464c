"""The model call, traced as a HoneyHive model event."""

from __future__ import annotations

from honeyhive import trace


@trace(event_type="model", event_name="complete")
def complete(prompt: str, *, temperature: float = 0.2) -> str:
    # A real deployment calls its model provider here; the example echoes a canned answer.
    return f"[t={temperature}] Here is what I found about: {prompt}"
