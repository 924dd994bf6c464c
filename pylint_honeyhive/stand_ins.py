"""Optional-import fallbacks, as inference reads them: as if honeyhive imported.

Code that runs with or without honeyhive imports it in a ``try`` and binds stand-ins in a handler
that catches ImportError: a no-op ``trace``, a stub ``HoneyHiveTracer``, ``trace = _no_op``. The
flake8 engine drops the handler's bindings of the names the ``try`` binds
(:mod:`flake8_honeyhive.optional_imports`); two steps make inference agree:

- in the module itself, a transform teaches astroid to infer those names from their other
  bindings only (an inference tip on each use; it changes inference alone, so no other checker's
  view of the module's names and definitions moves);
- from other modules (``from app.compat import trace``), astroid reads the module's names as they
  are, so :func:`is_stand_in` tells the values such a handler defines (a function, a class, an
  instance of that class), which :func:`pylint_honeyhive.answers.inferred` leaves out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final
from weakref import WeakSet

from astroid import MANAGER, bases, nodes
from astroid.bases import _infer_stmts  # what Name inference itself calls
from astroid.constraint import get_constraints
from astroid.context import InferenceContext, copy_context
from astroid.exceptions import UseInferenceDefault

from flake8_honeyhive.optional_imports import IMPORT_ERROR_CATCHERS
from flake8_honeyhive.values import is_honeyhive

__all__ = ["is_stand_in", "teach_astroid"]

DEFINITIONS: Final = (nodes.ClassDef, nodes.FunctionDef, nodes.Lambda)
# The bindings that fallbacks make for names their `try` binds, in every module built since the
# transform was registered. Weak: astroid owns the nodes.
_STAND_IN_BINDINGS: WeakSet[nodes.NodeNG] = WeakSet()
_registered = False


def teach_astroid() -> None:
    """Register the transform (once per process: pylint loads plugins again in its workers)."""
    global _registered  # noqa: PLW0603  (one registration for the process)
    if not _registered:
        MANAGER.register_transform(nodes.Try, _drop_stand_ins, _has_fallbacks)
        _registered = True


def is_stand_in(value: Any) -> bool:
    """Whether ``value`` is defined by a fallback: it exists only without honeyhive."""
    definition = _definition(value)
    return definition is not None and _in_fallback(definition)


def _has_fallbacks(attempt: nodes.Try) -> bool:
    return bool(_fallback_handlers(attempt))


def _drop_stand_ins(attempt: nodes.Try) -> None:
    """Mark the fallbacks' bindings of the names ``attempt`` binds, and have every use of those
    names in the scope inferred without them."""
    scope = attempt.scope()
    handlers = _fallback_handlers(attempt)
    names = set()
    for name, bindings in scope.locals.items():
        stand_ins = [b for b in bindings if any(_within(b, h.body, h) for h in handlers)]
        if stand_ins and any(_within(b, attempt.body, attempt) for b in bindings):
            _STAND_IN_BINDINGS.update(stand_ins)
            names.add(name)
    if names:
        for use in scope.nodes_of_class(nodes.Name):
            if use.name in names and use._explicit_inference is None:
                use._explicit_inference = _infer_without_stand_ins


def _infer_without_stand_ins(
    node: nodes.Name, context: InferenceContext | None = None, **_kwargs: Any
) -> Iterator[Any]:
    """Infer a name as astroid does, from its bindings other than a fallback's stand-ins."""
    frame, bindings = node.lookup(node.name)
    kept = [binding for binding in bindings if binding not in _STAND_IN_BINDINGS]
    if not kept or len(kept) == len(bindings):
        raise UseInferenceDefault
    # What astroid's own Name inference does with the bindings it finds (astroid.nodes.Name).
    context = copy_context(context)
    context.lookupname = node.name
    context.constraints[node.name] = get_constraints(node, frame)
    yield from _infer_stmts(kept, context, frame)


def _fallback_handlers(attempt: nodes.Try) -> list[nodes.ExceptHandler]:
    """The handlers that run when honeyhive is absent: ``attempt`` imports it (in a statement of
    its own body), and they catch ImportError."""
    if not any(_imports_honeyhive(statement) for statement in attempt.body):
        return []
    return [handler for handler in attempt.handlers if _catches_import_error(handler.type)]


def _imports_honeyhive(statement: Any) -> bool:
    if isinstance(statement, nodes.ImportFrom):
        return not statement.level and is_honeyhive(statement.modname)
    if isinstance(statement, nodes.Import):
        return any(is_honeyhive(name) for name, _alias in statement.names)
    return False


def _catches_import_error(caught: Any) -> bool:
    if caught is None:
        return True
    if isinstance(caught, nodes.Tuple):
        return any(_catches_import_error(element) for element in caught.elts)
    if isinstance(caught, nodes.Name):
        return caught.name in IMPORT_ERROR_CATCHERS
    if isinstance(caught, nodes.Attribute):
        return caught.attrname in IMPORT_ERROR_CATCHERS
    return False


def _within(node: Any, statements: list[Any], stop: Any) -> bool:
    """Whether ``node`` is in one of ``statements``, children of ``stop``."""
    while node is not None and node is not stop:
        if any(node is statement for statement in statements):
            return True
        node = node.parent
    return False


def _definition(value: Any) -> Any | None:
    """The function, class or lambda that ``value`` is, or is an instance or method of."""
    if isinstance(value, DEFINITIONS):
        return value
    if isinstance(value, nodes.NodeNG):
        return None  # literals and displays: instances of builtins
    if isinstance(value, bases.Instance | bases.UnboundMethod):  # bound methods too
        proxied = getattr(value, "_proxied", None)
        return proxied if isinstance(proxied, DEFINITIONS) else None
    return None


def _in_fallback(node: Any) -> bool:
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.Module):
        if (
            isinstance(parent, nodes.ExceptHandler)
            and isinstance(parent.parent, nodes.Try)
            and parent in _fallback_handlers(parent.parent)
        ):
            return True
        parent = parent.parent
    return False
