"""Calls as the rules read them, on astroid nodes: ``flake8_honeyhive.call_shapes``'s forms.

``receiver.method(...)``, ``function(...)``, ``getattr(receiver, "method")(...)`` (a constant name
is that attribute), and ``functools.partial(callee, ...)``, checked as the call it prepares.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from astroid import nodes

from pylint_honeyhive.answers import Answer
from pylint_honeyhive.syntax import constant_str

if TYPE_CHECKING:
    from pylint_honeyhive.inference import TracerInference

__all__ = ["CallShape", "call_shape"]

PARTIAL: Final = "partial"
BUILTIN_GETATTR: Final = "builtins.getattr"


@dataclass(frozen=True, slots=True)
class CallShape:
    callee: Any  # what is called: `tracer.trace`, `trace`, `getattr(tracer, "trace")`
    receiver: Any | None  # the object whose method is called; None for a function
    method: str  # the method's name; empty for a function
    args: Sequence[Any]
    keywords: Sequence[Any]


def call_shape(call: nodes.Call, inference: TracerInference) -> CallShape | None:
    """What ``call`` calls, and with what; None for a callee the rules never look at."""
    shape = _shape(call.func, call.args, call.keywords or (), inference)
    if shape is not None and shape.args and _is_partial(shape, inference):
        return _shape(shape.args[0], shape.args[1:], shape.keywords, inference)
    return shape


def _shape(
    callee: Any, args: Sequence[Any], keywords: Sequence[Any], inference: TracerInference
) -> CallShape | None:
    if isinstance(callee, nodes.Attribute):
        return CallShape(callee, callee.expr, callee.attrname, args, keywords)
    if isinstance(callee, nodes.Name):
        return CallShape(callee, None, "", args, keywords)
    if isinstance(callee, nodes.Call) and isinstance(callee.func, nodes.Name):
        fetched = callee.args
        method = constant_str(fetched[1]) if len(fetched) in (2, 3) else None
        if (
            callee.func.name == "getattr"
            and method is not None
            and not isinstance(fetched[0], nodes.Starred)
            and inference.is_builtin(callee.func, BUILTIN_GETATTR) is not Answer.NO
        ):
            return CallShape(callee, fetched[0], method, args, keywords)
    return None


def _is_partial(shape: CallShape, inference: TracerInference) -> bool:
    callee = shape.callee
    name = callee.attrname if isinstance(callee, nodes.Attribute) else getattr(callee, "name", "")
    if name != PARTIAL or isinstance(shape.args[0], nodes.Starred):
        return False
    return inference.is_partial(callee) is Answer.YES
