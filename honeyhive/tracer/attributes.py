"""Turn Python values into OpenTelemetry attribute values, and name HoneyHive's attributes."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, Final

from opentelemetry.util.types import AttributeValue

from honeyhive.tracer.jsonsafe import safe_repr

# Session attribution, on every span (1.7's names).
SESSION_ID: Final = "honeyhive.session_id"
PROJECT: Final = "honeyhive.project"
SOURCE: Final = "honeyhive.source"

EVENT_TYPE: Final = "honeyhive_event_type"
EVENT_NAME: Final = "honeyhive_event_name"
EVENT_ID: Final = "honeyhive_event_id"
ERROR: Final = "honeyhive_error"
INPUTS: Final = "honeyhive_inputs"
OUTPUTS: Final = "honeyhive_outputs"
METADATA: Final = "honeyhive_metadata"
METRICS: Final = "honeyhive_metrics"
FEEDBACK: Final = "honeyhive_feedback"
CONFIG: Final = "honeyhive_config"
USER_PROPERTIES: Final = "honeyhive_user_properties"
RESULT: Final = f"{OUTPUTS}.result"
# Attributes beyond OpenTelemetry's limit per span, as one JSON object: a span that kept adding
# attributes would otherwise evict its oldest ones, the session's among them.
OVERFLOW: Final = f"{METADATA}.attributes_overflow"
# Room a traced call's span keeps free at its start: the overflow, the result, the error, one spare.
START_HEADROOM: Final = 4

DEFAULT_EVENT_TYPE: Final = "tool"

_SCALARS: Final = (str, bool, int, float)
# Nesting deeper than this is kept as one JSON attribute (and a mapping that contains itself ends).
MAX_FLATTEN_DEPTH: Final = 16
# Exactly these types pass through unchanged; `type(v) in SCALAR_TYPES` is the cheapest test.
SCALAR_TYPES: Final = frozenset(_SCALARS)


def to_attribute(value: object) -> AttributeValue:
    """A value OpenTelemetry can store: scalars as they are, anything else as JSON, else ``repr``.

    Never raises, whatever the value does (a mapping whose ``items()`` raises, a broken
    ``__repr__``). Cheap on the hot path: the common scalar case is one ``type()`` lookup.
    """
    if type(value) in SCALAR_TYPES:
        return value  # type: ignore[return-value]  # narrowed by the type check above
    try:
        if isinstance(value, _SCALARS):  # subclasses such as IntEnum or str-enums
            return value
        if isinstance(value, (list, tuple)) and _homogeneous_scalars(value):
            return list(value)
        if isinstance(value, (Mapping, list, tuple)):
            return json.dumps(value, default=safe_repr)
    except Exception:  # cycles, non-string keys, deep nesting, a container that raises
        pass
    return safe_repr(value)


def _homogeneous_scalars(values: list[Any] | tuple[Any, ...]) -> bool:
    """Whether OpenTelemetry can store the sequence as it is (one scalar type, no None)."""
    if not values:
        return False
    first = type(values[0])
    return first in SCALAR_TYPES and all(type(v) is first for v in values)


def flatten(
    prefix: str, values: Mapping[str, Any], depth: int = 0
) -> Iterator[tuple[str, AttributeValue]]:
    """Dotted attributes for a (nested) mapping: ``{"a": {"b": 1}}`` gives ``prefix.a.b = 1``.

    ``None`` values are skipped: OpenTelemetry cannot store them, and 1.7 skipped them too. A
    mapping nested deeper than ``MAX_FLATTEN_DEPTH`` is stored as one value, so a cycle ends.
    """
    try:
        items = list(values.items())
    except Exception:  # a mapping that cannot be iterated is stored as its repr
        yield prefix, safe_repr(values)
        return
    for key, value in items:
        if value is None:
            continue
        name = f"{prefix}.{key}"
        if isinstance(value, Mapping) and value and depth < MAX_FLATTEN_DEPTH:
            yield from flatten(name, value, depth + 1)
        else:
            yield name, to_attribute(value)


def namespaced(namespaces: Mapping[str, Mapping[str, Any] | None]) -> dict[str, AttributeValue]:
    """All attributes for ``{"honeyhive_metadata": {...}, ...}``, flattened, in one dict."""
    attributes: dict[str, AttributeValue] = {}
    for prefix, values in namespaces.items():
        if values:
            attributes.update(flatten(prefix, values))
    return attributes


def overflow_value(spilled: Mapping[str, AttributeValue], existing: object = None) -> str:
    """The JSON of the overflow attribute: what it already held, then ``spilled``."""
    merged: dict[str, Any] = {}
    if isinstance(existing, str):
        try:
            previous = json.loads(existing)
        except ValueError:
            previous = None
        if isinstance(previous, dict):
            merged.update(previous)
    merged.update(spilled)
    return json.dumps(merged, default=safe_repr)


def within_limit(attributes: dict[str, AttributeValue], room: int) -> dict[str, AttributeValue]:
    """A new span's attributes in at most ``room`` entries: the first ones (the session's come
    first) as they are, the rest as one JSON attribute."""
    names = list(attributes)
    kept = {name: attributes[name] for name in names[: max(0, room - 1)]}
    kept[OVERFLOW] = overflow_value({name: attributes[name] for name in names[max(0, room - 1) :]})
    return kept
