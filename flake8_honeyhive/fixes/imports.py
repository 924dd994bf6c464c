"""A name for `honeyhive.enrich_session` where a fix calls it, and the import edits it needs.

In order of preference: the module's own `import honeyhive` (`honeyhive.enrich_session`), a name
already bound to the function (`from honeyhive import enrich_session`), the function added to
an existing `from honeyhive import ...` (in isort's order, as ruff's `I001` wants it), or a new
`from honeyhive import enrich_session` line beside the module's other honeyhive imports. Each is
used only if the name means the same at the fix's site; a new name only if the module binds it
nowhere.
"""

from __future__ import annotations

import ast
import re
from typing import Final

from flake8_honeyhive.evaluate import Evaluator
from flake8_honeyhive.fixes.model import Edit
from flake8_honeyhive.fixes.text import SourceMap
from flake8_honeyhive.rules import ENRICH_SESSION
from flake8_honeyhive.scopes import ModuleInfo, Scope
from flake8_honeyhive.values import Kind

__all__ = ["free_function_name"]

PACKAGE: Final = "honeyhive"
_QUALNAMES: Final = frozenset({f"{PACKAGE}.{ENRICH_SESSION}", f"{PACKAGE}.tracer.{ENRICH_SESSION}"})


def free_function_name(
    module: ModuleInfo, evaluator: Evaluator, scope: Scope, site: ast.expr, source: SourceMap
) -> tuple[str, list[Edit]] | None:
    """How to call `honeyhive.enrich_session` at `site`, and the edits that make it so."""
    position = (site.lineno, site.col_offset)
    body = module.tree.body
    for statement in body:
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.name == PACKAGE:
                    name = alias.asname or alias.name
                    value = evaluator.lookup(name, scope, position)
                    if value.kind is Kind.MODULE and value.qualname == PACKAGE:
                        return f"{name}.{ENRICH_SESSION}", []
    for statement in body:
        if isinstance(statement, ast.ImportFrom) and statement.level == 0:
            for alias in statement.names:
                if alias.name == ENRICH_SESSION:
                    name = alias.asname or alias.name
                    if evaluator.lookup(name, scope, position).qualname in _QUALNAMES:
                        return name, []
    if _binds(module.tree, ENRICH_SESSION, source.text):
        return None
    extended = _extend_import_from(body, source)
    if extended is not None:
        return ENRICH_SESSION, [extended]
    added = _add_import_from(body, source)
    return None if added is None else (ENRICH_SESSION, [added])


def _binds(tree: ast.Module, name: str, text: str) -> bool:
    """Whether the module binds or declares `name` anywhere (any scope)."""
    # Cheap first: where every mention is an attribute (`t.enrich_session`), nothing binds it.
    mentions = re.finditer(rf"\b{name}\b", text)
    if all(_after_a_dot(text, match.start()) for match in mentions):
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            bound = node.id
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound = node.name
        elif isinstance(node, ast.arg):
            bound = node.arg
        elif isinstance(node, ast.alias):
            bound = node.asname or node.name.partition(".")[0]
        elif isinstance(node, ast.Global | ast.Nonlocal):
            if name in node.names:
                return True
            continue
        else:
            continue
        if bound == name:
            return True
    return False


def _imports_honeyhive(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.ImportFrom):
        module = statement.module or ""
        return statement.level == 0 and module.partition(".")[0] == PACKAGE
    if isinstance(statement, ast.Import):
        return any(alias.name.partition(".")[0] == PACKAGE for alias in statement.names)
    return False


def _after_a_dot(text: str, index: int) -> bool:
    index -= 1
    while index >= 0 and text[index] in " \t":
        index -= 1
    return index >= 0 and text[index] == "."


def _sort_key(name: str) -> tuple[int, str]:
    """isort's `order-by-type` (ruff's default): CONSTANTS, then Classes, then the rest."""
    if name.isupper() and len(name) > 1:
        return 0, name
    if name[:1].isupper():
        return 1, name
    return 2, name


def _from_honeyhive(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.ImportFrom)
        and statement.level == 0
        and statement.module == PACKAGE
        and all(alias.name != "*" for alias in statement.names)
    )


def _extend_import_from(body: list[ast.stmt], source: SourceMap) -> Edit | None:
    """`, enrich_session` inserted into the first `from honeyhive import ...` at module level."""
    statement = next((stmt for stmt in body if _from_honeyhive(stmt)), None)
    if not isinstance(statement, ast.ImportFrom):
        return None
    aliases = statement.names
    names = [alias.name for alias in aliases]
    key = _sort_key(ENRICH_SESSION)
    if [_sort_key(name) for name in names] == sorted(_sort_key(name) for name in names):
        before = next((alias for alias in aliases if _sort_key(alias.name) > key), None)
    else:
        before = None  # not in isort's order: append
    if before is not None:
        start = source.start(before)
        return Edit(start, start, f"{ENRICH_SESSION}, ")
    end = source.end(aliases[-1])
    return Edit(end, end, f", {ENRICH_SESSION}")


def _add_import_from(body: list[ast.stmt], source: SourceMap) -> Edit | None:
    """A `from honeyhive import enrich_session` line beside the module's honeyhive imports:
    before the first `from honeyhive.<module> import` (isort's order), else after the last
    import of honeyhive."""
    imports = [stmt for stmt in body if _imports_honeyhive(stmt)]
    if not imports:
        return None
    line = f"from {PACKAGE} import {ENRICH_SESSION}{source.newline}"
    submodule = next(
        (stmt for stmt in imports if isinstance(stmt, ast.ImportFrom) and stmt.module != PACKAGE),
        None,
    )
    if submodule is not None:
        start = source.start(submodule)
        if source.line_start(start) != start:
            return None  # another statement before it on its line
        return Edit(start, start, line)
    end = source.end(imports[-1])
    after = source.line_end(end)
    if source.text[end:after].strip() and not source.text[end:after].lstrip().startswith("#"):
        return None  # `import honeyhive; x = 1`
    position = source.after_line(end)
    if position == len(source.text) and not source.text.endswith(("\n", "\r")):
        line = source.newline + line.removesuffix(source.newline)
    return Edit(position, position, line)
