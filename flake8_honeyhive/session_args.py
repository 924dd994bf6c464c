"""How a call passes a session id: the syntactic half of HH001 and of HH002's overrides.

``pylint_honeyhive.syntax`` makes the same tests on astroid's nodes, so that both front ends agree
on what counts as passing a session id; only "is it a tracer?" is answered differently.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from flake8_honeyhive.scopes import last_name

if TYPE_CHECKING:
    from flake8_honeyhive.call_shapes import CallShape
from flake8_honeyhive.rules import (
    DECORATORS,
    ENRICH_SESSION,
    FORM_DICT_UNPACK,
    FORM_KEYWORD,
    FORM_POSITIONAL,
    SESSION_ID_PARAMETER,
    is_session_id_name,
)

__all__ = [
    "HoldsSessionId",
    "constant_str",
    "keyword_form",
    "may_pass_session_id",
    "session_fields",
    "session_id_form",
]

# Whether a `**value` the syntax cannot see into holds a session id (a variable bound to a dict).
HoldsSessionId = Callable[[ast.expr], bool]


def constant_str(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def session_fields(value: ast.expr) -> bool:
    """``{"session_id": ...}`` or ``dict(session_id=...)`` with a value other than None."""
    if isinstance(value, ast.Dict):
        return any(
            key is not None and constant_str(key) == SESSION_ID_PARAMETER and not _is_none(item)
            for key, item in zip(value.keys, value.values, strict=True)
        )
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict":
        return any(k.arg == SESSION_ID_PARAMETER and not _is_none(k.value) for k in value.keywords)
    return False


def keyword_form(keywords: Sequence[ast.keyword], holds: HoldsSessionId) -> str | None:
    """How a call passes a session id by keyword: ``session_id=``, or unpacking a dict with one."""
    for keyword in keywords:
        if keyword.arg == SESSION_ID_PARAMETER and not _is_none(keyword.value):
            return FORM_KEYWORD
        if keyword.arg is None and (session_fields(keyword.value) or holds(keyword.value)):
            return FORM_DICT_UNPACK
    return None


def may_pass_session_id(shape: CallShape, method: str) -> bool:
    """A cheap first test for a call of the tracer's ``method`` (or of an SDK decorator): false
    when no argument could pass a session id, so the receiver need not be resolved."""
    if method != ENRICH_SESSION and method not in DECORATORS:
        return False
    for keyword in shape.keywords:
        if keyword.arg is None or keyword.arg == SESSION_ID_PARAMETER:
            return True
    if method == ENRICH_SESSION:
        # Through the class, the session id comes after the tracer.
        for arg in shape.args[:2]:
            if _is_evident_session_id(arg):
                return True
    return False


def _is_evident_session_id(node: ast.expr) -> bool:
    """A first positional argument that can only be an old-style session id, never metadata."""
    if isinstance(node, ast.JoinedStr) or constant_str(node) is not None:
        return True
    return is_session_id_name(last_name(node))


def session_id_form(
    args: Sequence[ast.expr], keywords: Sequence[ast.keyword], holds: HoldsSessionId
) -> str | None:
    """How a call passes a session id to ``enrich_session``: by keyword, or evidently first."""
    form = keyword_form(keywords, holds)
    if form is None and args and _is_evident_session_id(args[0]):
        form = FORM_POSITIONAL
    return form
