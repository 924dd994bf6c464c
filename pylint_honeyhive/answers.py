"""Three-valued answers, and how several of them join into one."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, Final

from astroid import nodes, util

from pylint_honeyhive.stand_ins import is_stand_in

__all__ = ["Answer", "inferred", "join"]

# An expression with more possible values than this is too vague to judge: leave it to syntax.
MAX_VALUES: Final = 32


class Answer(enum.Enum):
    YES = enum.auto()
    NO = enum.auto()
    UNKNOWN = enum.auto()


def join(answers: Iterable[Answer]) -> Answer:
    """The syntactic engine's join: UNKNOWN says nothing, so YES beside it stays YES; a NO
    anywhere is NO, because the rules never report what may be something else."""
    seen = set(answers)
    if Answer.NO in seen:
        return Answer.NO
    if Answer.YES in seen:
        return Answer.YES
    return Answer.UNKNOWN


def inferred(node: Any) -> list[Any] | None:
    """The values astroid infers for ``node``, without Uninferable and None (which say nothing
    about a receiver: ``None.session_id = x`` is no program) and without an optional-import
    fallback's stand-ins (which exist only without honeyhive, see stand_ins). None when inference
    fails or has too many answers to mean anything."""
    if isinstance(node, nodes.NamedExpr):
        node = node.value  # astroid cannot infer `(tracer := make())` itself: it is its value
    values: list[Any] = []
    try:
        for value in node.infer():
            if (
                isinstance(value, util.UninferableBase)
                or (isinstance(value, nodes.Const) and value.value is None)
                or is_stand_in(value)
            ):
                continue
            values.append(value)
            if len(values) > MAX_VALUES:
                return None
    except Exception:
        # astroid and its brains can fail in many ways on unusual code (InferenceError, but also
        # TypeError or RecursionError from deep inside). pylint would then abandon the whole
        # module for every checker: to this plugin, a failure only means "cannot tell".
        return None
    return values
