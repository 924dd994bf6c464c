"""Scopes and the names bound in them, read lazily.

A scope's bindings are collected the first time a lookup needs them, and only from its own
statements (not from nested functions or classes). Most functions of a module are never read at
all: only the scopes around a candidate finding are. Values are resolved later still, by
:mod:`flake8_honeyhive.evaluate`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Final

from flake8_honeyhive.lines import spans_a_line
from flake8_honeyhive.optional_imports import fallback_handlers
from flake8_honeyhive.relative_imports import relative_module
from flake8_honeyhive.values import OTHER, UNKNOWN, Kind, Value

if TYPE_CHECKING:
    from flake8_honeyhive.evaluate import Evaluator

Position = tuple[int, int]
Resolver = Callable[["Evaluator"], Value]
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
ScopeNode = ast.Module | ast.ClassDef | FunctionNode | ast.Lambda | ast.expr
OrderedScopeNode = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)

# Positions compare as (line, column); a binding made "before everything" sorts first.
START: Final[Position] = (0, 0)
HONEYHIVE_STAR_MODULES: Final = frozenset({"honeyhive", "honeyhive.tracer"})
_SCOPE_NODES: Final = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Lambda,
    ast.ClassDef,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)
SCOPE_NODE_TYPES: Final = frozenset(_SCOPE_NODES)  # for walks that test `type(node) in ...`


class Binding:
    """One binding of a name: where it takes effect, and how to find its value when asked."""

    __slots__ = ("_resolve", "_state", "_value", "pos")

    def __init__(self, pos: Position, resolve: Resolver) -> None:
        self.pos = pos
        self._resolve = resolve
        self._value: Value | None = None
        self._state = 0  # 0: not computed, 1: computing (a cycle reads UNKNOWN), 2: done

    def value(self, evaluator: Evaluator) -> Value:
        if self._state == 2:
            assert self._value is not None
            return self._value
        if self._state == 1:
            return UNKNOWN
        self._state = 1
        try:
            self._value = self._resolve(evaluator)
        finally:
            self._state = 2 if self._value is not None else 0
        return self._value


def fixed(value: Value) -> Resolver:
    return lambda _evaluator: value


class ModuleInfo:
    """Facts about the module as a whole, and the registry of its scopes."""

    def __init__(
        self,
        tree: ast.Module,
        *,
        has_walrus: bool,
        global_lines: list[int],
        package: str | None = None,
    ) -> None:
        self.tree = tree
        # The package relative imports start from (`app.api` for `app/api/x.py` and for
        # `app/api/__init__.py`); None when the module's name is not known.
        self.package = package
        self.has_walrus = has_walrus
        self.global_lines = global_lines
        self.star_imports_honeyhive = False
        self.late_globals: dict[str, list[Binding]] = {}
        self._scopes: dict[ast.AST, Scope] = {}
        self._classes: dict[ast.ClassDef, ClassInfo] = {}
        self._globals_collected = not global_lines
        self.scope = self.scope_for(tree, None)

    def scope_for(self, node: ScopeNode, parent: Scope | None) -> Scope:
        scope = self._scopes.get(node)
        if scope is None:
            scope = self._scopes[node] = Scope(node, parent, self)
        return scope

    def class_info(self, node: ast.ClassDef, outer: Scope) -> ClassInfo:
        info = self._classes.get(node)
        if info is None:
            info = self._classes[node] = ClassInfo(node, outer)
        return info

    def release(self) -> None:
        """Break the reference cycles between scopes, bindings and values, so that the module and
        its tree are freed by reference counting as soon as the caller drops them, rather than by
        the cyclic garbage collector (a third of the run time on large inputs)."""
        for scope in self._scopes.values():
            scope.release()
        for info in self._classes.values():
            info.release()
        self._scopes.clear()
        self._classes.clear()
        self.late_globals.clear()
        # The module's scope refers back to this: without this link the tree would be freed only
        # by the cyclic collector, which scans it whole.
        del self.scope

    def global_bindings(self) -> dict[str, list[Binding]]:
        """Bindings made by functions through ``global`` declarations, seen from any function."""
        if not self._globals_collected:
            self._globals_collected = True
            # Reading a function that declares a name global routes its bindings to late_globals.
            stack: list[tuple[ast.AST, Scope]] = [(self.tree, self.scope)]
            while stack:
                node, scope = stack.pop()
                if isinstance(node, ast.Global) and scope.parent is not None:
                    scope.table()
                for child, child_scope in children_with_scopes(self, node, scope):
                    if spans_a_line(child, self.global_lines):
                        stack.append((child, child_scope))
        return self.late_globals


class Scope:
    """A module, class, function, lambda or comprehension scope."""

    __slots__ = ("_table", "global_names", "module", "node", "nonlocal_names", "parent")

    def __init__(self, node: ScopeNode, parent: Scope | None, module: ModuleInfo) -> None:
        self.node = node
        self.parent = parent
        self.module = module
        self.global_names: set[str] = set()
        self.nonlocal_names: set[str] = set()
        self._table: dict[str, list[Binding]] | None = None

    @property
    def is_class(self) -> bool:
        return isinstance(self.node, ast.ClassDef)

    @property
    def is_ordered(self) -> bool:
        """Whether source order decides which binding a use sees (not so in comprehensions)."""
        return isinstance(self.node, OrderedScopeNode)

    def table(self) -> dict[str, list[Binding]]:
        if self._table is None:
            self._table = _Binder(self).collect()
        return self._table

    def release(self) -> None:
        self._table = None


class FunctionInfo:
    __slots__ = ("node", "scope")

    def __init__(self, node: FunctionNode, scope: Scope) -> None:
        self.node = node
        self.scope = scope  # the scope the function is defined in


class ClassInfo:
    __slots__ = ("_self_attributes", "node", "outer", "scope")

    def __init__(self, node: ast.ClassDef, outer: Scope) -> None:
        self.node = node
        self.outer = outer
        self.scope = outer.module.scope_for(node, outer)
        self._self_attributes: dict[str, list[Binding]] | None = None

    def release(self) -> None:
        self._self_attributes = None

    def methods(self) -> Iterator[tuple[FunctionNode, str | None]]:
        """Each method with the name of its instance parameter (None for static methods)."""
        for stmt in self.node.body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                yield stmt, instance_parameter(stmt)

    def self_attributes(self) -> dict[str, list[Binding]]:
        """``self.<attr>`` assignments in any method of the class."""
        if self._self_attributes is None:
            self._self_attributes = {}
            for method, self_name in self.methods():
                if self_name is not None:
                    scope = self.outer.module.scope_for(method, self.scope)
                    self._collect_self_attributes(method, self_name, scope)
        return self._self_attributes

    def _collect_self_attributes(self, method: FunctionNode, self_name: str, scope: Scope) -> None:
        attributes = self._self_attributes
        assert attributes is not None
        for node in _walk_skipping_classes(method.body):
            pairs: Iterable[tuple[ast.expr, Resolver]]
            if isinstance(node, ast.Assign):
                value = node.value
                pairs = (pair for target in node.targets for pair in _pairs(target, value, scope))
            elif isinstance(node, ast.AnnAssign):
                pairs = [(node.target, _annotated(node.annotation, node.value, scope))]
            elif isinstance(node, ast.For | ast.AsyncFor):
                pairs = [(node.target, fixed(UNKNOWN))]
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                pairs = [(node.optional_vars, fixed(UNKNOWN))]
            else:
                continue
            for target, resolve in pairs:
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == self_name
                ):
                    binding = Binding(end_of(target), resolve)
                    attributes.setdefault(target.attr, []).append(binding)


def instance_parameter(method: FunctionNode) -> str | None:
    """The name of a method's ``self`` or ``cls`` parameter."""
    if any(last_name(d) == "staticmethod" for d in method.decorator_list):
        return None
    positional = [*method.args.posonlyargs, *method.args.args]
    return positional[0].arg if positional else None


def is_classmethod(method: FunctionNode) -> bool:
    return any(last_name(d) == "classmethod" for d in method.decorator_list)


def last_name(expr: ast.expr) -> str:
    """``b`` for ``a.b`` and ``b``; empty for anything else."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return ""


def end_of(node: ast.stmt | ast.expr) -> Position:
    """Where a binding takes effect: after the statement or target that makes it."""
    return (node.end_lineno or node.lineno, node.end_col_offset or 0)


def _value_of(expr: ast.expr, scope: Scope) -> Resolver:
    return lambda evaluator: evaluator.value_of(expr, scope)


def _annotated(annotation: ast.expr, value: ast.expr | None, scope: Scope) -> Resolver:
    return lambda evaluator: evaluator.annotated_value(annotation, value, scope)


def _pairs(
    target: ast.expr, value: ast.expr | None, scope: Scope
) -> Iterator[tuple[ast.expr, Resolver]]:
    """Targets with the resolver of the value each receives; tuples pair up where they line up."""
    if isinstance(target, ast.Tuple | ast.List):
        if (
            isinstance(value, ast.Tuple | ast.List)
            and len(value.elts) == len(target.elts)
            and not any(isinstance(e, ast.Starred) for e in (*target.elts, *value.elts))
        ):
            for target_elt, value_elt in zip(target.elts, value.elts, strict=True):
                yield from _pairs(target_elt, value_elt, scope)
        else:
            for target_elt in target.elts:
                yield from _pairs(target_elt, None, scope)
    elif isinstance(target, ast.Starred):
        yield from _pairs(target.value, None, scope)
    else:
        yield target, (fixed(UNKNOWN) if value is None else _value_of(value, scope))


def _walk_skipping_classes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Every node under ``body``, except in nested classes (their ``self`` is another object)."""
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, ast.ClassDef):
            stack.extend(ast.iter_child_nodes(node))


def children_with_scopes(
    module: ModuleInfo, node: ast.AST, scope: Scope
) -> Iterator[tuple[ast.AST, Scope]]:
    """The children of ``node``, each with the scope its names are resolved in."""
    if not isinstance(node, _SCOPE_NODES):
        for child in ast.iter_child_nodes(node):
            yield child, scope
        return
    inner = module.scope_for(node, scope)
    if isinstance(node, ast.ClassDef):
        outer_parts: list[ast.AST] = [*node.decorator_list, *node.bases, *node.keywords]
        yield from ((part, scope) for part in outer_parts)
        yield from ((stmt, inner) for stmt in node.body)
    elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        # Decorators, defaults and annotations run in the enclosing scope, the body in its own.
        if not isinstance(node, ast.Lambda):
            yield from ((d, scope) for d in node.decorator_list)
            if node.returns is not None:
                yield node.returns, scope
        yield node.args, scope
        body = node.body if isinstance(node.body, list) else [node.body]
        yield from ((part, inner) for part in body)
    else:  # comprehensions
        yield from ((child, inner) for child in ast.iter_child_nodes(node))


def _pattern_captures(pattern: ast.pattern) -> Iterator[str]:
    for node in ast.walk(pattern):
        if isinstance(node, ast.MatchAs | ast.MatchStar) and node.name:
            yield node.name
        elif isinstance(node, ast.MatchMapping) and node.rest:
            yield node.rest


class _Binder:
    """Collects the bindings of one scope from its own statements."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.table: dict[str, list[Binding]] = {}

    def collect(self) -> dict[str, list[Binding]]:
        node = self.scope.node
        if isinstance(node, ast.Module | ast.ClassDef):
            self._statements(node.body)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            self._parameters(node)
            self._statements(node.body)
        elif isinstance(node, ast.Lambda):
            for arg in _all_arguments(node.args):
                self._bind(arg.arg, START, fixed(UNKNOWN))
        elif isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
            for generator in node.generators:
                self._target(generator.target, fixed(UNKNOWN), START)
        self._route_declared_names()
        return self.table

    def _bind(self, name: str, pos: Position, resolve: Resolver) -> None:
        self.table.setdefault(name, []).append(Binding(pos, resolve))

    def _target(self, target: ast.expr, resolve: Resolver, pos: Position) -> None:
        # `for self.item in ...` binds no name: `self` keeps its value.
        if isinstance(target, ast.Name):
            self._bind(target.id, pos, resolve)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self._target(element, resolve, pos)
        elif isinstance(target, ast.Starred):
            self._target(target.value, resolve, pos)

    def _route_declared_names(self) -> None:
        """``global`` names bind in the module, seen by every function; ``nonlocal`` names are
        resolved in the enclosing function instead."""
        for name in self.scope.global_names:
            bindings = self.table.pop(name, None)
            if bindings and self.scope.parent is not None:
                self.scope.module.late_globals.setdefault(name, []).extend(bindings)
        for name in self.scope.nonlocal_names:
            self.table.pop(name, None)

    def _parameters(self, node: FunctionNode) -> None:
        parent = self.scope.parent
        assert parent is not None
        arguments = _all_arguments(node.args)
        instance_name = instance_parameter(node) if parent.is_class else None
        start = (node.lineno, node.col_offset)
        # Type parameters (3.12: `def g[T]()`, and a class's `class C[T]`, which its methods
        # see) shadow names of the enclosing scopes: they hold types, never a tracer.
        for name in _type_parameters(node, parent):
            self._bind(name, START, fixed(OTHER))
        for arg in arguments:
            if instance_name is not None and arg is arguments[0]:
                self._bind(arg.arg, start, _instance(node, parent))
            elif arg.annotation is not None:
                self._bind(arg.arg, start, _annotation_of(arg.annotation, parent))
            else:
                self._bind(arg.arg, start, fixed(UNKNOWN))

    def _statements(self, body: list[ast.stmt]) -> None:
        scope = self.scope
        for stmt in body:
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    for name_target, resolve in _pairs(target, stmt.value, scope):
                        if isinstance(name_target, ast.Name):
                            self._bind(name_target.id, end_of(stmt), resolve)
                self._walrus(stmt.value)
            elif isinstance(stmt, ast.AnnAssign):
                if isinstance(stmt.target, ast.Name):
                    resolve = _annotated(stmt.annotation, stmt.value, scope)
                    self._bind(stmt.target.id, end_of(stmt), resolve)
                if stmt.value is not None:
                    self._walrus(stmt.value)
            elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                function = Value(Kind.FUNCTION, function=FunctionInfo(stmt, scope))
                self._bind(stmt.name, end_of(stmt), fixed(function))
            elif isinstance(stmt, ast.ClassDef):
                info = scope.module.class_info(stmt, scope)
                self._bind(stmt.name, end_of(stmt), _class(info))
            elif isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    # `import a.b` binds `a`; `import a.b as c` binds `c` to `a.b`.
                    name = alias.asname or alias.name.partition(".")[0]
                    module = alias.name if alias.asname else name
                    self._bind(name, end_of(stmt), _imported(module, is_module=True))
            elif isinstance(stmt, ast.ImportFrom):
                self._import_from(stmt)
            elif isinstance(stmt, ast.For | ast.AsyncFor):
                self._walrus(stmt.iter)
                self._target(stmt.target, fixed(UNKNOWN), end_of(stmt.target))
                self._statements(stmt.body)
                self._statements(stmt.orelse)
            elif isinstance(stmt, ast.If | ast.While):
                self._walrus(stmt.test)
                self._statements(stmt.body)
                self._statements(stmt.orelse)
            elif isinstance(stmt, ast.With | ast.AsyncWith):
                for item in stmt.items:
                    self._walrus(item.context_expr)
                    if item.optional_vars is not None:
                        resolve = _with(item.context_expr, scope)
                        target, pos = item.optional_vars, end_of(item.optional_vars)
                        if isinstance(target, ast.Name):
                            self._bind(target.id, pos, resolve)
                        else:
                            self._target(target, fixed(UNKNOWN), pos)
                self._statements(stmt.body)
            elif isinstance(stmt, ast.Try | ast.TryStar):
                self._try(stmt)
            elif isinstance(stmt, ast.Match):
                self._walrus(stmt.subject)
                for case in stmt.cases:
                    pattern_pos = (case.pattern.lineno, case.pattern.col_offset)
                    for name in _pattern_captures(case.pattern):
                        self._bind(name, pattern_pos, fixed(UNKNOWN))
                    self._statements(case.body)
            elif _TYPE_ALIAS is not None and isinstance(stmt, _TYPE_ALIAS):
                name = stmt.name.id  # type: ignore[attr-defined]  # 3.12: `type T = int`
                self._bind(name, end_of(stmt), fixed(OTHER))
            elif isinstance(stmt, ast.Global):
                if self.scope.parent is not None:  # at module level, `global` changes nothing
                    self.scope.global_names.update(stmt.names)
            elif isinstance(stmt, ast.Nonlocal):
                self.scope.nonlocal_names.update(stmt.names)
            elif isinstance(stmt, ast.Expr | ast.Return | ast.AugAssign) and stmt.value is not None:
                self._walrus(stmt.value)
            elif isinstance(stmt, ast.Assert):
                self._walrus(stmt.test)

    def _try(self, stmt: ast.Try | ast.TryStar) -> None:
        fallbacks = fallback_handlers(stmt) if isinstance(stmt, ast.Try) else []
        if fallbacks:
            before = {name: len(bindings) for name, bindings in self.table.items()}
            self._statements(stmt.body)
            tried = {name for name, made in self.table.items() if len(made) > before.get(name, 0)}
        else:
            self._statements(stmt.body)
            tried = set()
        for handler in stmt.handlers:
            if handler in fallbacks:
                self._fallback(handler, tried)
            else:
                self._handler(handler)
        self._statements(stmt.orelse)
        self._statements(stmt.finalbody)

    def _handler(self, handler: ast.ExceptHandler) -> None:
        if handler.name:
            self._bind(handler.name, (handler.lineno, handler.col_offset), fixed(OTHER))
        self._statements(handler.body)

    def _fallback(self, handler: ast.ExceptHandler, tried: set[str]) -> None:
        """An optional-import fallback: its stand-ins for the names the ``try`` binds exist only
        when honeyhive is absent, so they are not bindings here (see optional_imports)."""
        table, self.table = self.table, {}
        try:
            self._handler(handler)
        finally:
            fallback, self.table = self.table, table
        for name, bindings in fallback.items():
            if name not in tried:
                table.setdefault(name, []).extend(bindings)

    def _import_from(self, stmt: ast.ImportFrom) -> None:
        module = "." * stmt.level + (stmt.module or "")
        for alias in stmt.names:
            if alias.name == "*":
                if module in HONEYHIVE_STAR_MODULES:
                    self.scope.module.star_imports_honeyhive = True
                continue
            if stmt.level == 0:
                resolve = _imported(f"{module}.{alias.name}")
            else:
                absolute = relative_module(self.scope.module.package, stmt.level, stmt.module)
                if absolute is None:  # this project's own code, from a module of unknown name
                    resolve = fixed(Value(Kind.IMPORTED, module))
                else:
                    resolve = _imported(f"{absolute}.{alias.name}" if absolute else alias.name)
            self._bind(alias.asname or alias.name, end_of(stmt), resolve)

    def _walrus(self, expr: ast.expr) -> None:
        """Assignment expressions bind in the enclosing function, even inside comprehensions."""
        if not self.scope.module.has_walrus:
            return
        for node in ast.walk(expr):
            if isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
                self._bind(node.target.id, end_of(node), _value_of(node.value, self.scope))


_TYPE_ALIAS: Final[type[ast.stmt] | None] = getattr(ast, "TypeAlias", None)  # Python 3.12+


def _type_parameters(function: FunctionNode, parent: Scope) -> list[str]:
    owners: list[ast.AST] = [function]
    if parent.is_class:
        owners.append(parent.node)
    return [param.name for owner in owners for param in getattr(owner, "type_params", ())]


def _all_arguments(args: ast.arguments) -> list[ast.arg]:
    extra = [arg for arg in (args.vararg, args.kwarg) if arg is not None]
    return [*args.posonlyargs, *args.args, *args.kwonlyargs, *extra]


def _instance(method: FunctionNode, class_scope: Scope) -> Resolver:
    def resolve(evaluator: Evaluator) -> Value:
        assert isinstance(class_scope.node, ast.ClassDef)
        assert class_scope.parent is not None
        info = class_scope.module.class_info(class_scope.node, class_scope.parent)
        if is_classmethod(method):
            return evaluator.class_value(info)
        return evaluator.instance_value(info)

    return resolve


def _imported(qualname: str, *, is_module: bool = False) -> Resolver:
    return lambda evaluator: evaluator.imported(qualname, is_module=is_module)


def _annotation_of(annotation: ast.expr, scope: Scope) -> Resolver:
    return lambda evaluator: evaluator.annotation_value(annotation, scope)


def _class(info: ClassInfo) -> Resolver:
    return lambda evaluator: evaluator.class_value(info)


def _with(context_expr: ast.expr, scope: Scope) -> Resolver:
    return lambda evaluator: evaluator.with_value(context_expr, scope)
