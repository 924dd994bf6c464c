"""Encode the data of REST calls (session start, enrichment) as standard JSON, whatever it holds.

The body is encoded when the call is made, in the caller's thread: that is the snapshot (data the
caller changes afterwards, however deeply nested, is not what is sent), and a value JSON cannot
carry can never drop the call later. Such values are stored as 1.7 stored them on spans: as their
``repr``, or their type's name when even that fails. NaN and infinities become ``null`` (the
backend's parser rejects the whole request otherwise); keys that are not strings become strings.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any, Final

# Deeper nesting is stored as the subtree's repr: the encoder must not exhaust the stack.
MAX_DEPTH: Final = 64


def encode(body: Mapping[str, Any]) -> bytes:
    """``body`` as UTF-8 JSON. Never raises."""
    try:
        return json.dumps(body, allow_nan=False, default=safe_repr).encode()
    except Exception:  # cycles, NaN, odd keys, deep nesting, a broken __repr__ or items()
        pass
    try:
        return json.dumps(_plain(body, 0, set()), allow_nan=False).encode()
    except Exception:  # the caller's stack was already nearly exhausted
        return json.dumps({str(key): safe_repr(value) for key, value in _items(body)}).encode()


def safe_repr(value: object) -> str:
    """``repr(value)``, or the type's name if that raises: recording data must never fail on it."""
    try:
        return repr(value)
    except Exception:
        return f"<{type(value).__qualname__} object>"


def _plain(value: object, depth: int, ancestors: set[int]) -> Any:
    """A copy of ``value`` made only of what JSON carries."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if not isinstance(value, (Mapping, list, tuple)):
        return safe_repr(value)
    if depth >= MAX_DEPTH or id(value) in ancestors:
        return safe_repr(value)  # a cycle, or nesting too deep to walk
    ancestors.add(id(value))
    try:
        if isinstance(value, Mapping):
            return {_key(key): _plain(item, depth + 1, ancestors) for key, item in _items(value)}
        return [_plain(item, depth + 1, ancestors) for item in _elements(value)]
    finally:
        ancestors.discard(id(value))


def _items(mapping: Mapping[Any, Any]) -> list[tuple[Any, Any]]:
    try:
        return list(mapping.items())
    except Exception:  # a mapping that cannot be iterated is stored by name
        return [("<unreadable>", safe_repr(mapping))]


def _elements(sequence: list[Any] | tuple[Any, ...]) -> list[Any]:
    try:
        return list(sequence)
    except Exception:
        return [safe_repr(sequence)]


def _key(key: object) -> str:
    """JSON object keys are strings: as ``json`` converts them, else the key's repr."""
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, bool):
        return json.dumps(key)
    if isinstance(key, int):
        return str(int(key))
    if isinstance(key, float):
        return repr(key) if math.isfinite(key) else str(key)
    return safe_repr(key)
