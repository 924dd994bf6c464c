"""Find HH001 and HH002 in one module's syntax tree.

Two cheap steps come before any name resolution. One regular expression finds the lines that mention
a rule token (or ``honeyhive``), and the tree walk descends only into nodes that span such a line.
Only the calls and assignments found that way are resolved, through the scopes around them.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left
from collections.abc import Iterator
from typing import TYPE_CHECKING, Final

from flake8_honeyhive.call_shapes import PARTIAL, CallShape, call_shape
from flake8_honeyhive.evaluate import Evaluator
from flake8_honeyhive.findings import Finding
from flake8_honeyhive.lines import lines_containing, lines_matching, spans_a_line
from flake8_honeyhive.optional_imports import imports_honeyhive
from flake8_honeyhive.prefilter import SEARCH_TOKENS, as_identifiers_read
from flake8_honeyhive.rules import (
    DECORATORS,
    ENRICH_SESSION,
    HH001,
    HH002,
    LEGACY_SESSION_METHODS,
    SESSION_ATTRIBUTES,
    TRACER_CLASS,
    TRACER_DECORATOR_METHOD,
    Rule,
    is_sdk_decorator,
    legacy_method_usage,
    override_usage,
    rebind_usage,
)
from flake8_honeyhive.scopes import SCOPE_NODE_TYPES, ModuleInfo, Scope, children_with_scopes
from flake8_honeyhive.session_args import (
    HoldsSessionId,
    constant_str,
    keyword_form,
    may_pass_session_id,
    session_id_form,
)
from flake8_honeyhive.values import Kind, Value, Verdict

if TYPE_CHECKING:
    from flake8_honeyhive.project import Project

_HOT_WORDS: Final = (*SEARCH_TOKENS, "honeyhive")
_GLOBAL_TEXT: Final = re.compile(r"\bglobal\b")
_GLOBAL_BYTES: Final = re.compile(rb"\bglobal\b")


# The methods a finding can be about (the tracer's, the SDK's decorators as module attributes),
# and `functools.partial`, which prepares a call to one of them.
_CALLEE_NAMES: Final = frozenset({ENRICH_SESSION, *LEGACY_SESSION_METHODS, *DECORATORS, PARTIAL})


def hot_lines(source: str | bytes) -> list[int]:
    """Sorted numbers of the lines that mention a rule token or ``honeyhive``, as Python reads
    identifiers (NFKC: fullwidth letters spell the same names)."""
    return lines_containing(as_identifiers_read(source), _HOT_WORDS)


def module_info(tree: ast.Module, source: str | bytes, package: str | None = None) -> ModuleInfo:
    has_walrus = (b":=" in source) if isinstance(source, bytes) else (":=" in source)
    mentions_global = (b"global" in source) if isinstance(source, bytes) else ("global" in source)
    global_lines = lines_matching(source, _GLOBAL_TEXT, _GLOBAL_BYTES) if mentions_global else []
    return ModuleInfo(tree, has_walrus=has_walrus, global_lines=global_lines, package=package)


def find_violations(
    tree: ast.Module,
    source: str | bytes,
    lines: list[int] | None = None,
    *,
    project: Project | None = None,
    package: str | None = None,
) -> list[Finding]:
    """Every HH001/HH002 finding in ``tree``, sorted by position; ``source`` is its text, and
    ``lines`` its :func:`hot_lines` if the caller has them. With a ``project`` (the summaries of
    other checked modules) and the module's ``package``, names imported from those modules hold
    what their summaries say."""
    if lines is None:
        lines = hot_lines(source)
    if not lines:
        return []
    module = module_info(tree, source, package)
    try:
        candidates = _Candidates(module, lines)
        candidates.collect()
        if not candidates.imports_honeyhive and project is None:
            return []  # whatever names a module uses, it cannot misuse a tracer it never imports
        # A module that never imports honeyhive may hold a tracer from another module, but a
        # receiver of unknown origin there is no evidence of one.
        evaluator = Evaluator(module, project)
        rules = _RuleChecks(evaluator, unknown_is_enough=candidates.imports_honeyhive)
        findings: list[Finding] = []
        for node, scope in candidates.nodes:
            try:
                findings.extend(rules.check(node, scope))
            except RecursionError:
                # A name bound through hundreds of aliases (`t2 = t1`, `t3 = t2`, ...): resolve
                # the bindings in source order first, so that each finds the one before it
                # already known, then ask again.
                _resolve_in_order(rules.evaluator, scope)
                try:
                    findings.extend(rules.check(node, scope))
                except RecursionError:
                    continue  # a receiver nested beyond Python's stack: nothing written by hand
        return sorted(findings)
    finally:
        module.release()


def _resolve_in_order(evaluator: Evaluator, scope: Scope) -> None:
    """Resolve every binding of ``scope`` and the scopes around it, outermost first, each scope's
    in source order; every value is cached by its binding."""
    chain: list[Scope] = []
    current: Scope | None = scope
    while current is not None:
        chain.append(current)
        current = current.parent
    for each in reversed(chain):
        bindings = [binding for group in each.table().values() for binding in group]
        for binding in sorted(bindings, key=lambda binding: binding.pos):
            try:
                binding.value(evaluator)
            except RecursionError:
                continue


class _Candidates:
    """Calls and attribute assignments that could be findings, each with the scope it is in."""

    def __init__(self, module: ModuleInfo, lines: list[int]) -> None:
        self.module = module
        self.lines = lines
        self.imports_honeyhive = False
        self.nodes: list[tuple[ast.Call | ast.Attribute, Scope]] = []

    def collect(self) -> None:
        # The engine's hottest loop: it runs for every node spanning a rule line, so it reads
        # fields and line numbers directly instead of going through ast.iter_child_nodes.
        lines = self.lines
        single = set(lines)
        count = len(lines)
        module = self.module
        stack: list[tuple[ast.AST, Scope]] = [(module.tree, module.scope)]
        push = stack.append
        while stack:
            node, scope = stack.pop()
            kind = type(node)
            if kind is ast.Call:
                self.nodes.append((node, scope))  # type: ignore[arg-type]
            elif kind is ast.Attribute:
                assert isinstance(node, ast.Attribute)
                if type(node.ctx) is ast.Store and node.attr in SESSION_ATTRIBUTES:
                    self.nodes.append((node, scope))
            elif kind is ast.Import or kind is ast.ImportFrom:
                assert isinstance(node, ast.Import | ast.ImportFrom)
                self.imports_honeyhive = self.imports_honeyhive or imports_honeyhive(node)
            elif (
                kind is ast.AnnAssign
                and node.value is None  # type: ignore[attr-defined]
                and type(node.target) is ast.Attribute  # type: ignore[attr-defined]
            ):
                assert isinstance(node, ast.AnnAssign)
                assert isinstance(node.target, ast.Attribute)
                # `tracer.session_id: str` declares a type and assigns nothing; its receiver still
                # runs, and its annotation does outside functions (walking it inside one too costs
                # nothing that matters: annotations rarely call anything).
                parts = [node.target.value, node.annotation]
                stack.extend((part, scope) for part in parts if spans_a_line(part, lines))
                continue
            if kind in SCOPE_NODE_TYPES:
                for child, child_scope in children_with_scopes(module, node, scope):
                    if spans_a_line(child, lines):
                        push((child, child_scope))
                continue
            for field in _child_fields(kind):
                value = getattr(node, field, None)
                items: list[object] = value if type(value) is list else [value]
                for item in items:
                    if type(item) in _HOLDS_NOTHING or not isinstance(item, ast.AST):
                        continue
                    first: int | None = getattr(item, "lineno", None)
                    if first is None or type(item) in _DECORATED:
                        if spans_a_line(item, lines):
                            push((item, scope))
                        continue
                    last: int = getattr(item, "end_lineno", None) or first
                    if first == last:
                        if first in single:
                            push((item, scope))
                    else:
                        index = bisect_left(lines, first)
                        if index < count and lines[index] <= last:
                            push((item, scope))


# Fields that never hold a node the walk needs: contexts, operators, names and other plain values.
_LEAF_FIELDS: Final = frozenset(
    {"ctx", "op", "id", "attr", "arg", "name", "names", "module", "level", "kind", "conversion"}
)
_DECORATED: Final = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})
# Nodes that are never a candidate and hold none (most nodes on a rule line): not walked into.
_HOLDS_NOTHING: Final = frozenset({ast.Name, ast.Constant})
_CHILD_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}


def _child_fields(kind: type[ast.AST]) -> tuple[str, ...]:
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        fields = _CHILD_FIELDS[kind] = tuple(f for f in kind._fields if f not in _LEAF_FIELDS)
    return fields


class _RuleChecks:
    def __init__(self, evaluator: Evaluator, *, unknown_is_enough: bool = True) -> None:
        self.evaluator = evaluator
        self.unknown_is_enough = unknown_is_enough  # HH001 on a receiver of unknown origin

    def check(self, node: ast.Call | ast.Attribute, scope: Scope) -> Iterator[Finding]:
        if isinstance(node, ast.Attribute):
            yield from self._rebinding(node, node.value, node.attr, scope)
            return
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr not in _CALLEE_NAMES:
            return  # most calls: another method
        shape = call_shape(node, self.evaluator, scope)
        if shape is None:
            return
        if shape.receiver is not None:
            yield from self._method_call(node, shape, shape.receiver, scope)
        elif isinstance(shape.callee, ast.Name):
            yield from self._function_call(node, shape, shape.callee, scope)

    def _rebinding(
        self, node: ast.expr, receiver: ast.expr, attribute: str, scope: Scope
    ) -> Iterator[Finding]:
        """``tracer.session_id = ...``; on the class itself it replaces every tracer's."""
        kind = self.evaluator.value_of(receiver, scope).kind
        if kind is Kind.TRACER:
            yield _finding(node, HH002, usage=rebind_usage(attribute))
        elif kind is Kind.TRACER_CLASS:
            yield _finding(node, HH002, usage=rebind_usage(attribute, owner=TRACER_CLASS))

    def _method_call(
        self, call: ast.Call, shape: CallShape, receiver: ast.expr, scope: Scope
    ) -> Iterator[Finding]:
        method = shape.method
        if method not in LEGACY_SESSION_METHODS and not may_pass_session_id(shape, method):
            return  # not a rule's method, or passes nothing that could be a session id
        value = self.evaluator.value_of(receiver, scope)
        verdict, args = value.verdict, shape.args
        if value.kind is Kind.TRACER_CLASS:
            # `HoneyHiveTracer.enrich_session(tracer, ...)`: the tracer's method, the tracer first.
            if not args or isinstance(args[0], ast.Starred):
                return
            verdict, args = Verdict.TRACER, args[1:]
        holds = self._holds_session_id(scope)
        if method == ENRICH_SESSION:
            form = session_id_form(args, shape.keywords, holds)
            # enrich_session is HoneyHive's own name: an unknown receiver is reported too.
            if form and (
                verdict is Verdict.TRACER or (verdict is Verdict.UNKNOWN and self.unknown_is_enough)
            ):
                yield _finding(call, HH001, form=form)
        elif method in LEGACY_SESSION_METHODS:
            if verdict is Verdict.TRACER:
                yield _finding(call, HH002, usage=legacy_method_usage(method))
        elif keyword_form(shape.keywords, holds):  # a decorator given a session id
            if _is_free_decorator(self.evaluator.attribute_of(value, method)):
                yield _finding(call, HH002, usage=override_usage(method))
            elif method == TRACER_DECORATOR_METHOD and verdict is Verdict.TRACER:
                yield _finding(call, HH002, usage=override_usage(f"tracer.{method}"))

    def _function_call(
        self, call: ast.Call, shape: CallShape, func: ast.Name, scope: Scope
    ) -> Iterator[Finding]:
        args = shape.args
        if func.id == "setattr":
            attribute = constant_str(args[1]) if len(args) >= 2 else None
            if (
                attribute in SESSION_ATTRIBUTES
                and self.evaluator.value_of(func, scope).kind is Kind.UNKNOWN  # the builtin
            ):
                yield from self._rebinding(call, args[0], str(attribute), scope)
        elif keyword_form(shape.keywords, self._holds_session_id(scope)):
            value = self.evaluator.value_of(func, scope)
            if _is_free_decorator(value):
                yield _finding(call, HH002, usage=override_usage(value.qualname.rpartition(".")[2]))

    def _holds_session_id(self, scope: Scope) -> HoldsSessionId:
        """``**fields`` with ``fields`` a variable bound to a dict that holds a session id."""

        def holds(value: ast.expr) -> bool:
            return (
                isinstance(value, ast.Name)
                and self.evaluator.value_of(value, scope).kind is Kind.SESSION_FIELDS
            )

        return holds


def _is_free_decorator(value: Value) -> bool:
    module, _, name = value.qualname.rpartition(".")
    return is_sdk_decorator(module, name)


def _finding(node: ast.expr, rule: Rule, **args: str) -> Finding:
    return Finding(
        line=node.lineno,
        col=node.col_offset,
        end_line=node.end_lineno or node.lineno,
        end_col=node.end_col_offset or node.col_offset,
        rule=rule,
        args=tuple(sorted(args.items())),
    )
