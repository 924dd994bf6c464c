"""The runtime side of HH001 and HH002: warn at the user's line, or raise in strict mode.

Every check runs only when a session id was actually passed (or a legacy method called), so calls
without one pay nothing.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from honeyhive.errors import SessionIdArgumentWarning, SingleSessionError, TracerReuseWarning
from honeyhive.rules import FORM_KEYWORD, HH001, HH002
from honeyhive.tracer import registry
from honeyhive.tracer.config import ENV_STRICT, env_flag

if TYPE_CHECKING:
    from honeyhive.tracer.core import HoneyHiveTracer


def redundant_session_id(stacklevel: int) -> None:
    """HH001: the tracer's own session id passed to its ``enrich_session``. Always a warning."""
    warnings.warn(
        SessionIdArgumentWarning(HH001.text(form=FORM_KEYWORD)), stacklevel=stacklevel + 1
    )


def tracer_reuse(usage: str, *, strict: bool, stacklevel: int) -> None:
    """HH002: warn with ``TracerReuseWarning``, or raise ``SingleSessionError`` when strict."""
    text = HH002.text(usage=usage)
    if strict:
        raise SingleSessionError(text, code=HH002.code)
    warnings.warn(TracerReuseWarning(text), stacklevel=stacklevel + 1)


def strict_for(tracer: HoneyHiveTracer | None) -> bool:
    """Strict mode for a check: the explicit tracer's, else ``HH_STRICT``, else the tracer
    resolved here, else whether any live tracer is strict (a decorator at import time usually has
    no tracer yet)."""
    if tracer is not None:
        return tracer.strict
    from_env = env_flag(ENV_STRICT)
    if from_env is not None:
        return from_env
    return registry.strict_default()
