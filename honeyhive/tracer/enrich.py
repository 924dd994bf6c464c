"""The free functions ``enrich_session``, ``enrich_span`` and ``flush``.

They resolve their tracer like the decorators: ``tracer=`` (or 1.7's ``tracer_instance=``), else the
active tracer, else the default tracer. Without any tracer they do nothing (one log line) and never
raise for that.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, ParamSpec

from opentelemetry import trace as trace_api
from opentelemetry.util.types import AttributeValue

from honeyhive.tracer import events, registry
from honeyhive.tracer import pipeline as pipelines
from honeyhive.tracer.attributes import (
    CONFIG,
    ERROR,
    FEEDBACK,
    INPUTS,
    METADATA,
    METRICS,
    OUTPUTS,
    OVERFLOW,
    USER_PROPERTIES,
    flatten,
    overflow_value,
    to_attribute,
)
from honeyhive.tracer.config import DestinationSettings, normalize_session_id, resolve_settings
from honeyhive.tracer.rest import RestCall
from honeyhive.tracer.stats import PROCESS_COUNTERS, RateLimitedLog
from honeyhive.tracer.waiting import settled_within, timeout_seconds

if TYPE_CHECKING:
    from honeyhive.tracer.core import HoneyHiveTracer

__all__ = ["aflush", "enrich_session", "enrich_span", "flush"]

logger: Final = logging.getLogger("honeyhive")

_P = ParamSpec("_P")


def _never_raises(enrich: Callable[_P, bool]) -> Callable[_P, bool]:
    """Enriching runs in the middle of user code: whatever the data (a key or an id whose
    ``__str__`` fails, a mapping that cannot be iterated, a non-dict for ``PUT /events``), the
    call is skipped with a log line and never raises."""

    @functools.wraps(enrich)
    def guarded(*args: _P.args, **kwargs: _P.kwargs) -> bool:
        try:
            return enrich(*args, **kwargs)
        except Exception as problem:
            logger.warning("HoneyHive: enrich_span() skipped: %s", to_attribute(problem))
            return False

    return guarded


@_never_raises
def enrich_current_span(
    tracer: HoneyHiveTracer | None,
    *,
    attributes: Mapping[str, Any] | None,
    metadata: Mapping[str, Any] | None,
    metrics: Mapping[str, Any] | None,
    feedback: Mapping[str, Any] | None,
    inputs: Mapping[str, Any] | None,
    outputs: Mapping[str, Any] | None,
    config: Mapping[str, Any] | None,
    user_properties: Mapping[str, Any] | None,
    error: str | None,
    event_id: str | None,
    extra: Mapping[str, Any],
) -> bool:
    """The body of both ``enrich_span`` forms; True if something was enriched or queued."""
    if event_id is not None:
        # 1.7: with an event id, update that event through the REST API instead of the span.
        call = events.event_update(
            str(event_id),
            metadata={**(attributes or {}), **(metadata or {}), **extra},
            inputs=inputs,
            outputs=outputs,
            config=config,
            feedback=feedback,
            metrics=metrics,
            user_properties=user_properties,
        )
        return call is not None and _send(tracer, call, "enrich_span(event_id=...)")
    values: dict[str, AttributeValue] = {}
    # 1.7's order: plain `attributes`, then unknown keywords, go to metadata and win conflicts.
    for prefix, given in (
        (METADATA, metadata),
        (METRICS, metrics),
        (FEEDBACK, feedback),
        (INPUTS, inputs),
        (OUTPUTS, outputs),
        (CONFIG, config),
        (USER_PROPERTIES, user_properties),
        (METADATA, attributes),
        (METADATA, extra),
    ):
        _add_namespace(values, prefix, given)
    if error is not None:
        values[ERROR] = _text_of(error)
    span = trace_api.get_current_span()
    if not span.is_recording():
        logger.debug("HoneyHive: enrich_span() outside a recording span; nothing to enrich")
        return False
    if values:
        span.set_attributes(_within_room(span, values))
    return True


_overflow_log: Final = RateLimitedLog()


def _within_room(
    span: trace_api.Span, values: dict[str, AttributeValue]
) -> dict[str, AttributeValue]:
    """``values`` to set without exceeding the span's attribute limit: OpenTelemetry would evict
    the span's oldest attributes (its session) for each one too many, and log each eviction. New
    keys beyond the room go into one JSON attribute (``OVERFLOW``) instead."""
    present = getattr(span, "_attributes", None)  # the SDK span's own BoundedAttributes
    limit = getattr(present, "maxlen", None)
    if present is None or limit is None:
        return values
    fresh = [key for key in values if key not in present]
    room = limit - len(present)
    if len(fresh) <= room:
        return values
    room -= 0 if OVERFLOW in present else 1  # the overflow attribute's own slot
    admitted = fresh[: max(0, room)]
    spilled = fresh[max(0, room) :]
    kept = {key: value for key, value in values.items() if key in present}
    kept.update((key, values[key]) for key in admitted)
    kept[OVERFLOW] = overflow_value({key: values[key] for key in spilled}, present.get(OVERFLOW))
    _overflow_log.warning(
        "HoneyHive: enrich_span() reached the span's attribute limit (%d): %d attribute(s) "
        "stored as JSON in %s",
        limit,
        len(spilled),
        OVERFLOW,
    )
    return kept


def _add_namespace(values: dict[str, AttributeValue], prefix: str, given: object) -> None:
    """A dict flattened under ``prefix``; any other value (``outputs="text"``) as ``prefix``
    itself, as 1.7 stored it. Enriching runs in the middle of user code: it never raises."""
    if given is None:
        return
    if isinstance(given, Mapping):
        values.update(flatten(prefix, given))
    else:
        values[prefix] = to_attribute(given)


def _text_of(error: object) -> AttributeValue:
    try:
        return str(error)
    except Exception:  # a broken __str__ must not break the caller
        return to_attribute(error)


def _send(tracer: HoneyHiveTracer | None, call: RestCall, what: str) -> bool:
    """Queue a REST call on the tracer's destination, else on the one late data goes to."""
    if tracer is not None:
        pipeline = tracer._pipeline
        if pipeline.closed:  # the tracer was shut down: it still names its destination
            pipeline = pipelines.acquire(tracer._settings.destination, live=False)
    else:
        destination = _late_destination(what)
        if destination is None:
            return False
        pipeline = pipelines.acquire(destination, live=False)
    if pipeline.rest is None:
        logger.debug("HoneyHive: %s in offline or test mode; nothing sent", what)
        return False
    return pipeline.send(call)


_unsent_log: Final = RateLimitedLog()


def _late_destination(what: str) -> DestinationSettings | None:
    """Where data sent by session id goes with no tracer in context (feedback that arrives while
    no request is in flight): the destination this process's tracers used, when there is exactly
    one; else the one ``HH_*`` configures. None (counted, logged) when neither decides."""
    seen = pipelines.seen_destinations()
    if len(seen) == 1:
        return seen[0]
    configured = resolve_settings({}, None).destination
    if configured.uses_network and (not seen or any(d.key() == configured.key() for d in seen)):
        return configured
    PROCESS_COUNTERS.add("events_unrouted")
    if seen:
        reason = f"this process's tracers used {len(seen)} destinations"
    else:
        reason = "no tracer of this process had an API key, and HH_API_KEY is not set"
    _unsent_log.warning(
        "HoneyHive: %s sent nothing: no tracer in context to say where, and %s. Pass tracer= "
        "(any tracer of the destination, even an ended one)",
        what,
        reason,
    )
    return None


def _resolve_given(
    tracer: HoneyHiveTracer | None, tracer_instance: HoneyHiveTracer | None
) -> HoneyHiveTracer | None:
    """The tracer a free function uses; a ``TypeError`` naming ``tracer=`` if it is not one."""
    for name, given in (("tracer", tracer), ("tracer_instance", tracer_instance)):
        if given is not None and not isinstance(given, _tracer_class()):
            raise TypeError(f"{name} must be a HoneyHiveTracer, not {type(given).__name__}")
    return registry.resolve(tracer or tracer_instance)


@functools.cache
def _tracer_class() -> type[HoneyHiveTracer]:
    # Imported on first use (core imports this module), then cached: free functions are hot.
    from honeyhive.tracer.core import HoneyHiveTracer  # noqa: PLC0415  (import cycle)

    return HoneyHiveTracer


def enrich_span(  # noqa: PLR0917  (1.7's positional signature)
    attributes: Mapping[str, Any] | None = None,
    metadata: Mapping[str, Any] | None = None,
    metrics: Mapping[str, Any] | None = None,
    feedback: Mapping[str, Any] | None = None,
    inputs: Mapping[str, Any] | None = None,
    outputs: Mapping[str, Any] | None = None,
    config: Mapping[str, Any] | None = None,
    user_properties: Mapping[str, Any] | None = None,
    error: str | None = None,
    event_id: str | None = None,
    *,
    tracer: HoneyHiveTracer | None = None,
    tracer_instance: HoneyHiveTracer | None = None,
    **kwargs: Any,
) -> bool:
    """Add ``honeyhive_metadata.*``, ``honeyhive_metrics.*``... to the current span.

    Nested dicts become dotted keys; values OpenTelemetry cannot store become JSON strings.
    Returns whether a span was enriched: outside a span there is nothing to enrich.
    """
    return enrich_current_span(
        _resolve_given(tracer, tracer_instance),
        attributes=attributes,
        metadata=metadata,
        metrics=metrics,
        feedback=feedback,
        inputs=inputs,
        outputs=outputs,
        config=config,
        user_properties=user_properties,
        error=error,
        event_id=event_id,
        extra=kwargs,
    )


def enrich_session(
    session_id: str,
    metadata: Mapping[str, Any] | None = None,
    *,
    inputs: Mapping[str, Any] | None = None,
    outputs: Mapping[str, Any] | None = None,
    config: Mapping[str, Any] | None = None,
    feedback: Mapping[str, Any] | None = None,
    metrics: Mapping[str, Any] | None = None,
    user_properties: Mapping[str, Any] | None = None,
    tracer: HoneyHiveTracer | None = None,
    tracer_instance: HoneyHiveTracer | None = None,
) -> None:
    """Enrich any session by its id, for example with feedback that arrives later.

    The supported by-id path: it never warns. ``tracer=`` (or ``tracer_instance=``) only chooses
    the credentials and destination; without one, the resolved tracer's are used, else ``HH_*``.
    Queues ``PUT /events`` and returns at once. ``ValueError`` if ``session_id`` is not a UUID.
    """
    call = events.event_update(
        normalize_session_id(session_id),
        metadata=metadata,
        inputs=inputs,
        outputs=outputs,
        config=config,
        feedback=feedback,
        metrics=metrics,
        user_properties=user_properties,
    )
    if call is None:
        logger.debug("HoneyHive: enrich_session() without data; nothing sent")
        return
    _send(_resolve_given(tracer, tracer_instance), call, "honeyhive.enrich_session()")


def flush(
    tracer: HoneyHiveTracer | None = None,
    timeout_millis: float = 30_000,
    *,
    tracer_instance: HoneyHiveTracer | None = None,
) -> bool:
    """Deliver what the resolved tracer's destination has queued, or every destination's when
    there is no tracer. Returns False if the deadline came first; never blocks past it."""
    chosen = _resolve_given(tracer, tracer_instance)
    if chosen is not None:
        return chosen.flush(timeout_millis)
    return pipelines.flush_all(timeout_seconds(timeout_millis))


async def aflush(
    tracer: HoneyHiveTracer | None = None,
    timeout_millis: float = 30_000,
    *,
    tracer_instance: HoneyHiveTracer | None = None,
) -> bool:
    """:func:`flush` for async code (a FastAPI lifespan, a handler): waits without blocking the
    event loop. Returns False if the deadline came first."""
    chosen = _resolve_given(tracer, tracer_instance)
    if chosen is not None:
        return await chosen.aflush(timeout_millis)
    return await settled_within(pipelines.watch_all, timeout_seconds(timeout_millis))
