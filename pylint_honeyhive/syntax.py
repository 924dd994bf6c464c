"""The purely syntactic half of the rules, on astroid nodes: cheap tests that pick candidates.

These mirror the syntactic engine's tests (``flake8_honeyhive.detect``) exactly, so that the two
front ends agree on what counts as passing a session id; only "is it a tracer?" differs.
"""

from __future__ import annotations

from typing import Any

from astroid import nodes

from flake8_honeyhive.rules import (
    FORM_DICT_UNPACK,
    FORM_KEYWORD,
    FORM_POSITIONAL,
    SESSION_ID_PARAMETER,
    is_session_id_name,
)

__all__ = ["constant_str", "override_form", "session_id_form"]


def constant_str(node: Any) -> str | None:
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return node.value
    return None


def _is_none(node: Any) -> bool:
    return isinstance(node, nodes.Const) and node.value is None


def _unpacked_session_id(value: Any) -> bool:
    """``**{"session_id": ...}`` or ``**dict(session_id=...)`` with a value other than None."""
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


def override_form(call: nodes.Call) -> str | None:
    """How ``call`` passes a session id by keyword, if it does: ``session_id=`` or ``**{...}``."""
    for keyword in call.keywords or ():
        if keyword.arg == SESSION_ID_PARAMETER and not _is_none(keyword.value):
            return FORM_KEYWORD
        if keyword.arg is None and _unpacked_session_id(keyword.value):
            return FORM_DICT_UNPACK
    return None


def _is_evident_session_id(node: Any) -> bool:
    """A first positional argument that can only be an old-style session id, never metadata."""
    if isinstance(node, nodes.JoinedStr) or constant_str(node) is not None:
        return True
    if isinstance(node, nodes.Name):
        return is_session_id_name(node.name)
    if isinstance(node, nodes.Attribute):
        return is_session_id_name(node.attrname)
    return False


def session_id_form(call: nodes.Call) -> str | None:
    """How ``call`` passes a session id to ``enrich_session``: by keyword, or evidently first."""
    form = override_form(call)
    if form is None and call.args and _is_evident_session_id(call.args[0]):
        form = FORM_POSITIONAL
    return form
