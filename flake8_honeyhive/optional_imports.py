"""Optional-import fallbacks: what an ``except ImportError:`` branch binds when honeyhive is absent.

Code that runs with or without honeyhive imports it in a ``try`` and binds stand-ins in the
handler: a no-op ``trace``, a stub ``HoneyHiveTracer``, ``tracer = None``. Where honeyhive is
installed the import succeeded, so the rules read the code that way: the handler's bindings of the
names the ``try`` binds are not bindings at all. Both plugins decide what counts as a fallback
with these names; this module holds the syntactic engine's side.
"""

from __future__ import annotations

import ast
from typing import Final

from flake8_honeyhive.values import is_honeyhive

__all__ = ["IMPORT_ERROR_CATCHERS", "fallback_handlers", "imports_honeyhive"]

# Exception classes whose handler catches a failed import: ImportError, its subclass, and the
# classes above it (a bare `except:` too).
IMPORT_ERROR_CATCHERS: Final = frozenset(
    {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
)


def imports_honeyhive(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level == 0 and is_honeyhive(node.module or "")
    return any(is_honeyhive(alias.name) for alias in node.names)


def fallback_handlers(node: ast.Try) -> list[ast.ExceptHandler]:
    """The handlers of ``node`` that run when honeyhive is absent: ``node`` imports honeyhive
    (in a statement of its own body), and they catch ImportError."""
    if not any(
        isinstance(stmt, ast.Import | ast.ImportFrom) and imports_honeyhive(stmt)
        for stmt in node.body
    ):
        return []
    return [handler for handler in node.handlers if _catches_import_error(handler.type)]


def _catches_import_error(caught: ast.expr | None) -> bool:
    if caught is None:
        return True
    if isinstance(caught, ast.Tuple):
        return any(_catches_import_error(element) for element in caught.elts)
    if isinstance(caught, ast.Name):
        return caught.id in IMPORT_ERROR_CATCHERS
    if isinstance(caught, ast.Attribute):  # `builtins.ImportError`
        return caught.attr in IMPORT_ERROR_CATCHERS
    return False
