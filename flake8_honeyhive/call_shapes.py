"""Calls as the rules read them: a method of a receiver, or a function, and the arguments it gets.

Besides ``receiver.method(...)`` and ``function(...)``, two indirect forms reach the same call:

- ``getattr(receiver, "method")(...)``: a constant name is that attribute, however it is fetched;
- ``functools.partial(callee, *args, **keywords)``: it prepares the call ``callee(*args,
  **keywords)``, which is checked where the partial is made (the prepared call exists to be made).

A call through the class, ``HoneyHiveTracer.enrich_session(tracer, ...)``, needs to know what the
receiver is: :mod:`flake8_honeyhive.detect` reads it from the shape.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final, NamedTuple

from flake8_honeyhive.scopes import Scope, last_name
from flake8_honeyhive.session_args import constant_str
from flake8_honeyhive.values import Kind

if TYPE_CHECKING:
    from flake8_honeyhive.evaluate import Evaluator

__all__ = ["PARTIAL", "CallShape", "call_shape"]

PARTIAL: Final = "partial"
PARTIAL_QUALNAME: Final = "functools.partial"


class CallShape(NamedTuple):
    callee: ast.expr  # what is called: `tracer.trace`, `trace`, `getattr(tracer, "trace")`
    receiver: ast.expr | None  # the object whose method is called; None for a function
    method: str  # the method's name; empty for a function
    args: Sequence[ast.expr]
    keywords: Sequence[ast.keyword]


def call_shape(call: ast.Call, evaluator: Evaluator, scope: Scope) -> CallShape | None:
    """What ``call`` calls, and with what; None for a callee the rules never look at."""
    shape = _shape(call.func, call.args, call.keywords, evaluator, scope)
    if shape is not None and shape.args and _is_partial(shape, evaluator, scope):
        return _shape(shape.args[0], shape.args[1:], shape.keywords, evaluator, scope)
    return shape


def _shape(
    callee: ast.expr,
    args: Sequence[ast.expr],
    keywords: Sequence[ast.keyword],
    evaluator: Evaluator,
    scope: Scope,
) -> CallShape | None:
    if isinstance(callee, ast.Attribute):
        return CallShape(callee, callee.value, callee.attr, args, keywords)
    if isinstance(callee, ast.Name):
        return CallShape(callee, None, "", args, keywords)
    if isinstance(callee, ast.Call) and _is_builtin(callee.func, "getattr", evaluator, scope):
        fetched = callee.args
        method = constant_str(fetched[1]) if len(fetched) in (2, 3) else None
        if method is not None and not isinstance(fetched[0], ast.Starred):
            return CallShape(callee, fetched[0], method, args, keywords)
    return None


def _is_partial(shape: CallShape, evaluator: Evaluator, scope: Scope) -> bool:
    if last_name(shape.callee) != PARTIAL or isinstance(shape.args[0], ast.Starred):
        return False
    return evaluator.value_of(shape.callee, scope).qualname == PARTIAL_QUALNAME


def _is_builtin(func: ast.expr, name: str, evaluator: Evaluator, scope: Scope) -> bool:
    """``name`` called as the builtin: bound nowhere in the module, so unknown to the engine."""
    return (
        isinstance(func, ast.Name)
        and func.id == name
        and evaluator.value_of(func, scope).kind is Kind.UNKNOWN
    )
