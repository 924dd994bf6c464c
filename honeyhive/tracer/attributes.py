"""Turn Python values into OpenTelemetry attribute values, and name HoneyHive's attributes."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, Final

from opentelemetry.util.types import AttributeValue

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

DEFAULT_EVENT_TYPE: Final = "tool"

_SCALARS: Final = (str, bool, int, float)
# Nesting deeper than this is kept as one JSON attribute (and a mapping that contains itself ends).
MAX_FLATTEN_DEPTH: Final = 16
# Exactly these types pass through unchanged; `type(v) in SCALAR_TYPES` is the cheapest test.
SCALAR_TYPES: Final = frozenset(_SCALARS)


def to_attribute(value: object) -> AttributeValue:
    """A value OpenTelemetry can store: scalars as they are, anything else as JSON, else ``repr``.

    Cheap on the hot path: the common scalar case is one ``type()`` lookup.
    """
    if type(value) in SCALAR_TYPES:
        return value  # type: ignore[return-value]  # narrowed by the type check above
    if isinstance(value, _SCALARS):  # subclasses such as IntEnum or str-enums
        return value
    if isinstance(value, (list, tuple)) and _homogeneous_scalars(value):
        return list(value)
    if isinstance(value, (Mapping, list, tuple)):
        try:
            return json.dumps(value, default=_safe_repr)
        except (TypeError, ValueError, RecursionError):  # cycles, non-string keys, deep nesting
            return _safe_repr(value)
    return _safe_repr(value)


def _safe_repr(value: object) -> str:
    """``repr(value)``, or the type's name if that raises: a traced call must never fail on it."""
    try:
        return repr(value)
    except Exception:
        return f"<{type(value).__qualname__} object>"


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
    for key, value in values.items():
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
