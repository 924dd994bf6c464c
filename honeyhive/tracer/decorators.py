"""``trace``, ``atrace``, ``trace_class`` and the bound ``tracer.trace``: the decorator API.

The deprecated ``session_id=`` overloads are what type checkers show; the checks at decoration
time are what users see at run time. How a call becomes a span is in :mod:`.wrapping`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

from typing_extensions import deprecated

from honeyhive.rules import override_usage
from honeyhive.tracer import checks
from honeyhive.tracer.wrapping import TraceScope, TraceSpec, wrap

if TYPE_CHECKING:
    from honeyhive.tracer.core import HoneyHiveTracer

__all__ = ["atrace", "bound_trace", "span_scope", "trace", "trace_class"]

_F = TypeVar("_F", bound=Callable[..., Any])
_C = TypeVar("_C", bound=type)
# `@trace` above `@classmethod`: a classmethod object is not callable, so `_F` does not cover it.
_M = TypeVar("_M", bound="classmethod[Any, Any, Any]")


def _is_decorated(value: object) -> bool:
    """Whether ``@trace``/``@atrace`` was applied directly (not called with keywords).

    ``classmethod`` objects are not callable, yet ``@trace`` above ``@classmethod`` decorates one.
    """
    return isinstance(value, (classmethod, staticmethod)) or (
        callable(value) and not isinstance(value, str)
    )


# --- the free decorators ------------------------------------------------------------------------
# The deprecated overloads' messages must be string literals for type checkers to show them; a test
# checks that each equals the catalog's text (`honeyhive.rules`).


@overload
def trace(func: _F, /) -> _F: ...
@overload
def trace(func: _M, /) -> _M: ...
@overload
def trace(
    event_type: str | None = None,
    event_name: str | None = None,
    *,
    metadata: Mapping[str, Any] | None = None,
    inputs: Mapping[str, Any] | None = None,
    outputs: Mapping[str, Any] | None = None,
    metrics: Mapping[str, Any] | None = None,
    feedback: Mapping[str, Any] | None = None,
    config: Mapping[str, Any] | None = None,
    event_id: str | None = None,
    tracer: HoneyHiveTracer | None = None,
    session_id: None = None,
) -> Callable[[_F], _F]: ...
@overload
@deprecated(
    "HH002 `trace(session_id=...)` reuses one tracer across sessions; create one tracer per "
    "session with `HoneyHiveTracer.init(session_id=...)`"
)
def trace(
    event_type: str | None = None,
    event_name: str | None = None,
    *,
    metadata: Mapping[str, Any] | None = None,
    inputs: Mapping[str, Any] | None = None,
    outputs: Mapping[str, Any] | None = None,
    metrics: Mapping[str, Any] | None = None,
    feedback: Mapping[str, Any] | None = None,
    config: Mapping[str, Any] | None = None,
    event_id: str | None = None,
    tracer: HoneyHiveTracer | None = None,
    session_id: str,
) -> Callable[[_F], _F]: ...
def trace(
    event_type: Any = None,
    event_name: str | None = None,
    *,
    metadata: Mapping[str, Any] | None = None,
    inputs: Mapping[str, Any] | None = None,
    outputs: Mapping[str, Any] | None = None,
    metrics: Mapping[str, Any] | None = None,
    feedback: Mapping[str, Any] | None = None,
    config: Mapping[str, Any] | None = None,
    event_id: str | None = None,
    tracer: HoneyHiveTracer | None = None,
    session_id: str | None = None,
) -> Any:
    """Trace a function in a span of the resolved tracer's session.

    ``@trace``, ``@trace(...)``; sync and async functions, sync and async generators (the span
    covers the whole iteration). The tracer is ``tracer=``, else the active tracer, else the
    default tracer; without any, the function just runs. ``session_id=`` is deprecated (HH002): the
    span stays in the tracer's own session.
    """
    if _is_decorated(event_type):
        return wrap(event_type, TraceSpec())
    if session_id is not None:
        checks.tracer_reuse(override_usage("trace"), strict=checks.strict_for(tracer), stacklevel=2)
    spec = TraceSpec(
        event_type=event_type,
        event_name=event_name,
        metadata=metadata,
        inputs=inputs,
        outputs=outputs,
        metrics=metrics,
        feedback=feedback,
        config=config,
        event_id=event_id,
        tracer=tracer,
    )
    return functools.partial(wrap, spec=spec)


@overload
def atrace(func: _F, /) -> _F: ...
@overload
def atrace(func: _M, /) -> _M: ...
@overload
def atrace(
    event_type: str | None = None,
    event_name: str | None = None,
    *,
    metadata: Mapping[str, Any] | None = None,
    inputs: Mapping[str, Any] | None = None,
    outputs: Mapping[str, Any] | None = None,
    metrics: Mapping[str, Any] | None = None,
    feedback: Mapping[str, Any] | None = None,
    config: Mapping[str, Any] | None = None,
    event_id: str | None = None,
    tracer: HoneyHiveTracer | None = None,
    session_id: None = None,
) -> Callable[[_F], _F]: ...
@overload
@deprecated(
    "HH002 `atrace(session_id=...)` reuses one tracer across sessions; create one tracer per "
    "session with `HoneyHiveTracer.init(session_id=...)`"
)
def atrace(
    event_type: str | None = None,
    event_name: str | None = None,
    *,
    metadata: Mapping[str, Any] | None = None,
    inputs: Mapping[str, Any] | None = None,
    outputs: Mapping[str, Any] | None = None,
    metrics: Mapping[str, Any] | None = None,
    feedback: Mapping[str, Any] | None = None,
    config: Mapping[str, Any] | None = None,
    event_id: str | None = None,
    tracer: HoneyHiveTracer | None = None,
    session_id: str,
) -> Callable[[_F], _F]: ...
def atrace(
    event_type: Any = None,
    event_name: str | None = None,
    *,
    metadata: Mapping[str, Any] | None = None,
    inputs: Mapping[str, Any] | None = None,
    outputs: Mapping[str, Any] | None = None,
    metrics: Mapping[str, Any] | None = None,
    feedback: Mapping[str, Any] | None = None,
    config: Mapping[str, Any] | None = None,
    event_id: str | None = None,
    tracer: HoneyHiveTracer | None = None,
    session_id: str | None = None,
) -> Any:
    """1.7's async decorator; :func:`trace` detects async functions by itself and does the same."""
    if _is_decorated(event_type):
        return wrap(event_type, TraceSpec())
    if session_id is not None:
        checks.tracer_reuse(
            override_usage("atrace"), strict=checks.strict_for(tracer), stacklevel=2
        )
    spec = TraceSpec(
        event_type=event_type,
        event_name=event_name,
        metadata=metadata,
        inputs=inputs,
        outputs=outputs,
        metrics=metrics,
        feedback=feedback,
        config=config,
        event_id=event_id,
        tracer=tracer,
    )
    return functools.partial(wrap, spec=spec)


def _trace_methods(cls: _C, spec: TraceSpec) -> _C:
    """Wrap the public methods the class itself defines (not inherited ones: no double tracing)."""
    if not isinstance(cls, type):
        raise TypeError(f"trace_class decorates classes, not {type(cls).__name__}")
    for attribute, value in list(vars(cls).items()):
        if attribute.startswith("_"):
            continue
        target = value.__func__ if isinstance(value, (staticmethod, classmethod)) else value
        if inspect.isfunction(target):
            setattr(cls, attribute, wrap(value, spec))
    return cls


@overload
def trace_class(cls: _C, /) -> _C: ...
@overload
def trace_class(
    *,
    event_type: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    metrics: Mapping[str, Any] | None = None,
    feedback: Mapping[str, Any] | None = None,
    config: Mapping[str, Any] | None = None,
    tracer: HoneyHiveTracer | None = None,
    session_id: None = None,
) -> Callable[[_C], _C]: ...
@overload
@deprecated(
    "HH002 `trace_class(session_id=...)` reuses one tracer across sessions; create one tracer "
    "per session with `HoneyHiveTracer.init(session_id=...)`"
)
def trace_class(
    *,
    event_type: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    metrics: Mapping[str, Any] | None = None,
    feedback: Mapping[str, Any] | None = None,
    config: Mapping[str, Any] | None = None,
    tracer: HoneyHiveTracer | None = None,
    session_id: str,
) -> Callable[[_C], _C]: ...
def trace_class(
    cls: type | None = None,
    /,
    *,
    event_type: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    metrics: Mapping[str, Any] | None = None,
    feedback: Mapping[str, Any] | None = None,
    config: Mapping[str, Any] | None = None,
    tracer: HoneyHiveTracer | None = None,
    session_id: str | None = None,
) -> Any:
    """Trace every public method the class defines, each span named by its qualified name."""
    if cls is not None:
        return _trace_methods(cls, TraceSpec())
    if session_id is not None:
        checks.tracer_reuse(
            override_usage("trace_class"), strict=checks.strict_for(tracer), stacklevel=2
        )
    spec = TraceSpec(
        event_type=event_type,
        metadata=metadata,
        metrics=metrics,
        feedback=feedback,
        config=config,
        tracer=tracer,
    )
    return functools.partial(_trace_methods, spec=spec)


def bound_trace(
    tracer: HoneyHiveTracer,
    name_or_func: str | Callable[..., Any] | classmethod[Any, Any, Any] | None,
    *,
    event_type: str | None,
    event_name: str | None,
    metadata: Mapping[str, Any] | None,
    inputs: Mapping[str, Any] | None,
    outputs: Mapping[str, Any] | None,
    metrics: Mapping[str, Any] | None,
    feedback: Mapping[str, Any] | None,
    config: Mapping[str, Any] | None,
    event_id: str | None,
    session_id: str | None,
    attributes: Mapping[str, object],
) -> Any:
    """``tracer.trace(...)``; the warning for ``session_id=`` points two frames up (user code)."""
    if session_id is not None:
        checks.tracer_reuse(override_usage("tracer.trace"), strict=tracer.strict, stacklevel=3)
    if "tracer" in attributes:
        raise TypeError("tracer.trace() got an unexpected keyword argument 'tracer'")
    spec = TraceSpec(
        event_type=event_type,
        event_name=event_name,
        metadata=metadata,
        inputs=inputs,
        outputs=outputs,
        metrics=metrics,
        feedback=feedback,
        config=config,
        event_id=event_id,
        tracer=tracer,
        attributes=attributes,
    )
    if _is_decorated(name_or_func):
        return wrap(cast("Callable[..., Any]", name_or_func), spec)  # wrap() keeps a classmethod
    if name_or_func is not None and not isinstance(name_or_func, str):
        raise TypeError(f"tracer.trace() takes a span name or a function, not {name_or_func!r}")
    return TraceScope(spec, name_or_func)


def span_scope(tracer: HoneyHiveTracer, name: str, attributes: Mapping[str, object]) -> TraceScope:
    """``tracer.start_span(name, **attributes)``: a plain span scope in the tracer's session."""
    return TraceScope(TraceSpec(tracer=tracer, attributes=attributes), name)
