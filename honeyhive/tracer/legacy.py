"""1.7's session-switching methods, kept for migration only (HH002).

Each is marked ``@deprecated`` with the catalog's HH002 text (a string literal: type checkers read
it; a test checks it equals the catalog's), so pyright and mypy strike the calls through.

``create_session``, ``acreate_session``, ``with_session`` and ``session_start`` made one 1.7 tracer
serve several sessions. Here each warns ``TracerReuseWarning`` (or raises ``SingleSessionError``
in strict mode), starts a new session-bound tracer on the same destination and makes it active
in the current context. The original tracer's session never changes.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from typing_extensions import deprecated

from honeyhive.rules import legacy_method_usage
from honeyhive.tracer import attribution, checks, registry
from honeyhive.tracer.config import TracerSettings, normalize_session_id, optional_mapping

if TYPE_CHECKING:
    from honeyhive.tracer.core import HoneyHiveTracer

__all__ = ["LegacySessionMethods"]


def new_or_given_session_id(session_id: object) -> str:
    """A fresh ``uuid4``, or the given id in canonical form (``ValueError`` if not a UUID)."""
    return str(uuid.uuid4()) if session_id is None else normalize_session_id(session_id)


def _activate(tracer: HoneyHiveTracer) -> None:
    """Active in the current context from now on (1.7 never detached), claiming the trace here."""
    registry.ACTIVE.set(tracer)
    attribution.claim_here(tracer)


class LegacySessionMethods:
    """Mixed into ``HoneyHiveTracer``; every method warns HH002 at the caller's line."""

    __slots__ = ()

    if TYPE_CHECKING:  # provided by HoneyHiveTracer
        _settings: TracerSettings

    def _deprecated(self, method: str) -> None:
        """HH002 for a legacy method, at the line that called it; raises in strict mode."""
        checks.tracer_reuse(legacy_method_usage(method), strict=self._settings.strict, stacklevel=3)

    def _spawn(
        self,
        *,
        session_name: str | None,
        session_id: str | None,
        inputs: Mapping[str, Any] | None,
        metadata: Mapping[str, Any] | None,
        user_properties: Mapping[str, Any] | None,
        source: str | None,
        skip_api_call: bool,
    ) -> HoneyHiveTracer:
        """A new session-bound tracer on this tracer's destination, for the legacy methods."""
        tracer = cast("HoneyHiveTracer", self)
        settings = tracer._settings
        if source is not None and source != settings.destination.source:
            settings = replace(settings, destination=replace(settings.destination, source=source))
        child = type(tracer).__new__(type(tracer))
        child._setup(
            settings,
            session_id=new_or_given_session_id(session_id),
            session_name=session_name or f"{tracer._session_name}-{uuid.uuid4().hex[:8]}",
            inputs=optional_mapping("inputs", inputs),
            metadata=optional_mapping("metadata", metadata),
            user_properties=optional_mapping("user_properties", user_properties),
            link_carrier=None,
            # Flattened to the root, so that an explicit `tracer=` finds its stand-in.
            origin=tracer._origin or tracer,
            send_start=not (skip_api_call and session_id is not None),
        )
        return child

    @deprecated(
        "HH002 `tracer.create_session()` reuses one tracer across sessions; create one tracer per "
        "session with `HoneyHiveTracer.init(session_id=...)`",
        category=None,  # the runtime warning is the SDK's own (TracerReuseWarning, or strict)
    )
    def create_session(  # noqa: PLR0917  (1.7's positional signature)
        self,
        session_name: str | None = None,
        session_id: str | None = None,
        inputs: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        user_properties: Mapping[str, Any] | None = None,
        source: str | None = None,
        skip_api_call: bool = False,
    ) -> str:
        """Deprecated (HH002). Start a new session-bound tracer on this destination, make it
        active in the current context and return its session id. ``self.session_id`` does not
        change. Use ``HoneyHiveTracer.init(...)`` per session instead."""
        self._deprecated("create_session")
        child = self._spawn(
            session_name=session_name,
            session_id=session_id,
            inputs=inputs,
            metadata=metadata,
            user_properties=user_properties,
            source=source,
            skip_api_call=skip_api_call,
        )
        _activate(child)
        return child._sid

    @deprecated(
        "HH002 `tracer.acreate_session()` reuses one tracer across sessions; create one tracer per "
        "session with `HoneyHiveTracer.init(session_id=...)`",
        category=None,  # the runtime warning is the SDK's own (TracerReuseWarning, or strict)
    )
    async def acreate_session(  # noqa: PLR0917  (1.7's positional signature)
        self,
        session_name: str | None = None,
        session_id: str | None = None,
        inputs: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        user_properties: Mapping[str, Any] | None = None,
        source: str | None = None,
        skip_api_call: bool = False,
    ) -> str:
        """Deprecated (HH002). :meth:`create_session` for async code: the new session is active
        in the calling task."""
        self._deprecated("acreate_session")
        child = self._spawn(
            session_name=session_name,
            session_id=session_id,
            inputs=inputs,
            metadata=metadata,
            user_properties=user_properties,
            source=source,
            skip_api_call=skip_api_call,
        )
        _activate(child)
        return child._sid

    @deprecated(
        "HH002 `tracer.with_session()` reuses one tracer across sessions; create one tracer per "
        "session with `HoneyHiveTracer.init(session_id=...)`",
        category=None,  # the runtime warning is the SDK's own (TracerReuseWarning, or strict)
    )
    def with_session(
        self,
        session_name: str | None = None,
        inputs: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        user_properties: Mapping[str, Any] | None = None,
        source: str | None = None,
    ) -> contextlib.AbstractContextManager[str]:
        """Deprecated (HH002). ``with tracer.with_session(...) as session_id:`` runs the block in
        a new session and ends it on exit, restoring the previous active tracer (1.7 leaked it)."""
        self._deprecated("with_session")
        return self._scoped_session(
            session_name=session_name,
            inputs=inputs,
            metadata=metadata,
            user_properties=user_properties,
            source=source,
        )

    @contextlib.contextmanager
    def _scoped_session(
        self,
        *,
        session_name: str | None,
        inputs: Mapping[str, Any] | None,
        metadata: Mapping[str, Any] | None,
        user_properties: Mapping[str, Any] | None,
        source: str | None,
    ) -> Iterator[str]:
        child = self._spawn(
            session_name=session_name,
            session_id=None,
            inputs=inputs,
            metadata=metadata,
            user_properties=user_properties,
            source=source,
            skip_api_call=False,
        )
        with child:
            yield child._sid

    @deprecated(
        "HH002 `tracer.session_start()` reuses one tracer across sessions; create one tracer per "
        "session with `HoneyHiveTracer.init(session_id=...)`",
        category=None,  # the runtime warning is the SDK's own (TracerReuseWarning, or strict)
    )
    def session_start(self) -> str:
        """Deprecated (HH002). Start a new session like :meth:`create_session` and return its id
        (1.7 kept returning the old one)."""
        self._deprecated("session_start")
        child = self._spawn(
            session_name=None,
            session_id=None,
            inputs=None,
            metadata=None,
            user_properties=None,
            source=None,
            skip_api_call=False,
        )
        _activate(child)
        return child._sid
