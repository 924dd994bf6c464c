"""A module's summary: what each of its top-level names holds, for the modules that import it.

Computed from the module's own tree by the engine, as the rules would read each name at the end
of the module, with names imported from elsewhere kept as references (see
:mod:`flake8_honeyhive.project`, which resolves them). A function is summarised by what it
returns: its annotation, or else what its ``return`` statements evidently return (the engine's
join: a tracer, or a tracer and None, is a tracer; anything that may not be one is not). A class
by what its attributes hold, in its own body and as ``self.<attribute>`` in its methods.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Final

from flake8_honeyhive.detect import module_info
from flake8_honeyhive.evaluate import Evaluator
from flake8_honeyhive.project import Export, Summary
from flake8_honeyhive.scopes import SCOPE_NODE_TYPES, ClassInfo, FunctionInfo
from flake8_honeyhive.values import NONE, UNKNOWN, Kind, Value, join

__all__ = ["summarise"]

_MAX_NESTING: Final = 3  # a function returning a class whose method returns ...
_PLAIN: Final = {
    Kind.TRACER: ("tracer",),
    Kind.TRACER_CLASS: ("tracer_class",),
    Kind.TRACER_FACTORY: ("factory",),
    Kind.OTHER: ("other",),
    Kind.SESSION_FIELDS: ("other",),
    Kind.NONE: ("none",),
}


def summarise(tree: ast.Module, source: str | bytes, module: str, package: str) -> Summary:
    """The summary of the module named ``module`` (in ``package``), from its whole tree."""
    info = module_info(tree, source, package=package)
    try:
        summariser = _Summariser(Evaluator(info, symbolic=True), module)
        exports: list[tuple[str, Export]] = []
        for name in list(info.scope.table()):
            try:
                export = summariser.export(name, summariser.evaluator.module_value(name), 0)
            except RecursionError:
                continue  # a name bound through hundreds of aliases: unknown
            if export is not None:
                exports.append((name, export))
        return tuple(exports)
    finally:
        info.release()


class _Summariser:
    def __init__(self, evaluator: Evaluator, module: str) -> None:
        self.evaluator = evaluator
        self.module = module

    def export(self, name: str, value: Value, nesting: int) -> Export | None:
        """``value`` as plain data, or None where it is unknown."""
        kind = value.kind
        plain = _PLAIN.get(kind)
        if plain is not None:
            return plain
        if kind is Kind.MODULE or kind is Kind.IMPORTED:
            if value.qualname.startswith("."):
                return None  # a relative import from a module of unknown name
            return ("ref", value.qualname, kind is Kind.MODULE)
        if kind is Kind.RESULT:
            return ("result", value.qualname)
        if kind is Kind.OBJECT:
            if value.qualname.startswith("builtins."):
                return ("other",)
            return ("annotated", value.qualname)
        if nesting >= _MAX_NESTING:
            return None
        if kind is Kind.FUNCTION and value.function is not None:
            returns = self.export("", self._returns(value.function), nesting + 1)
            is_async = isinstance(value.function.node, ast.AsyncFunctionDef)
            return ("function", returns or ("unknown",), is_async)
        if kind is Kind.LOCAL_CLASS and value.class_info is not None:
            qualname = self._top_level(value.class_info)
            if qualname is None:
                return None
            if qualname != f"{self.module}.{name}":  # another name for it
                return ("ref", qualname, False)
            return ("class", tuple(self._attributes(value.class_info, nesting)))
        if kind is Kind.INSTANCE and value.class_info is not None:
            qualname = self._top_level(value.class_info)
            return None if qualname is None else ("instance", qualname)
        return None

    def _returns(self, function: FunctionInfo) -> Value:
        if function.node.returns is not None:
            return self.evaluator.returns(function)
        returns = list(_own_returns(function.node))
        if any(statement is None for statement in returns):
            return UNKNOWN  # a generator
        scope = self.evaluator.module.scope_for(function.node, function.scope)
        values = [
            NONE if r is None or r.value is None else self.evaluator.value_of(r.value, scope)
            for r in returns
        ]
        return join(values) if values else NONE

    def _top_level(self, info: ClassInfo) -> str | None:
        if info.outer is not self.evaluator.module.scope:
            return None
        return f"{self.module}.{info.node.name}"

    def _attributes(self, info: ClassInfo, nesting: int) -> Iterator[tuple[str, Export]]:
        names: dict[str, None] = {}
        current: ClassInfo | None = info
        seen: set[ClassInfo] = set()
        while current is not None and current not in seen:
            seen.add(current)
            names.update(dict.fromkeys(current.scope.table()))
            names.update(dict.fromkeys(current.self_attributes()))
            current = self.evaluator.local_base(current)
        for attribute in names:
            value = self.evaluator.class_attribute(info, attribute)
            if value.kind is Kind.LOCAL_CLASS or value.kind is Kind.INSTANCE:
                nested = None  # classes nested in classes: rare, and not worth a reference
            else:
                nested = self.export(attribute, value, nesting + 1)
            if nested is not None:
                yield attribute, nested


def _own_returns(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.Return | None]:
    """The function's own ``return`` statements (None for a ``yield``: a generator)."""
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Return):
            yield node
        elif isinstance(node, ast.Yield | ast.YieldFrom):
            yield None
        if type(node) not in SCOPE_NODE_TYPES:
            stack.extend(ast.iter_child_nodes(node))
