"""The purely syntactic half of the rules, on astroid nodes: cheap tests that pick candidates.

These mirror the syntactic engine's tests (``flake8_honeyhive.session_args``) exactly, so that the
two front ends agree on what counts as passing a session id; only "is it a tracer?" differs, and
whether a dict kept in a variable holds a session id (inference follows it further).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from astroid import nodes

from flake8_honeyhive.rules import (
    FORM_DICT_UNPACK,
    FORM_KEYWORD,
    FORM_POSITIONAL,
    SESSION_ID_PARAMETER,
    is_session_id_name,
)

__all__ = [
    "constant_str",
    "may_pass_session_id",
    "override_form",
    "session_fields",
    "session_id_form",
    "unpacked_variables",
]


def constant_str(node: Any) -> str | None:
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return node.value
    return None


def _is_none(node: Any) -> bool:
    return isinstance(node, nodes.Const) and node.value is None


def session_fields(value: Any) -> bool:
    """``{"session_id": ...}`` or ``dict(session_id=...)`` with a value other than None."""
    if isinstance(value, nodes.Dict):
        return any(
            constant_str(key) == SESSION_ID_PARAMETER and not _is_none(item)
            for key, item in value.items
        )
    if (
        isinstance(value, nodes.Call)
        and isinstance(value.func, nodes.Name)
        and value.func.name == "dict"
    ):
        return any(
            keyword.arg == SESSION_ID_PARAMETER and not _is_none(keyword.value)
            for keyword in value.keywords or ()
        )
    return False


def override_form(keywords: Sequence[Any]) -> str | None:
    """How a call passes a session id by keyword, if its syntax shows it: ``session_id=`` or
    ``**{...}`` (a dict kept in a variable is for inference to follow: unpacked_variables)."""
    for keyword in keywords:
        if keyword.arg == SESSION_ID_PARAMETER and not _is_none(keyword.value):
            return FORM_KEYWORD
        if keyword.arg is None and session_fields(keyword.value):
            return FORM_DICT_UNPACK
    return None


def unpacked_variables(keywords: Sequence[Any]) -> list[nodes.Name]:
    """The variables a call unpacks as keywords: ``fields`` in ``f(**fields)``."""
    return [k.value for k in keywords if k.arg is None and isinstance(k.value, nodes.Name)]


def _is_evident_session_id(node: Any) -> bool:
    """A first positional argument that can only be an old-style session id, never metadata."""
    if isinstance(node, nodes.JoinedStr) or constant_str(node) is not None:
        return True
    if isinstance(node, nodes.Name):
        return is_session_id_name(node.name)
    if isinstance(node, nodes.Attribute):
        return is_session_id_name(node.attrname)
    return False


def session_id_form(args: Sequence[Any], keywords: Sequence[Any]) -> str | None:
    """How a call passes a session id to ``enrich_session``: by keyword, or evidently first."""
    form = override_form(keywords)
    if form is None and args and _is_evident_session_id(args[0]):
        form = FORM_POSITIONAL
    return form


def may_pass_session_id(args: Sequence[Any], keywords: Sequence[Any]) -> bool:
    """A cheap superset of the calls of ``enrich_session`` that pass a session id: by keyword,
    through a variable, or evidently first (second, through the class: the tracer comes first)."""
    return (
        override_form(keywords) is not None
        or bool(unpacked_variables(keywords))
        or any(_is_evident_session_id(arg) for arg in args[:2])
    )
