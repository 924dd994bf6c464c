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
from typing import Final

from flake8_honeyhive.evaluate import Evaluator
from flake8_honeyhive.findings import Finding
from flake8_honeyhive.lines import lines_containing, lines_matching, spans_a_line
from flake8_honeyhive.prefilter import SEARCH_TOKENS, as_identifiers_read
from flake8_honeyhive.rules import (
    DECORATOR_QUALNAMES,
    ENRICH_SESSION,
    FORM_DICT_UNPACK,
    FORM_KEYWORD,
    FORM_POSITIONAL,
    HH001,
    HH002,
    LEGACY_SESSION_METHODS,
    SESSION_ATTRIBUTES,
    SESSION_ID_PARAMETER,
    TRACER_DECORATOR_METHOD,
    Rule,
    is_session_id_name,
    legacy_method_usage,
    override_usage,
    rebind_usage,
)
from flake8_honeyhive.scopes import (
    SCOPE_NODE_TYPES,
    ModuleInfo,
    Scope,
    children_with_scopes,
    last_name,
)
from flake8_honeyhive.values import Kind, Verdict

_HOT_WORDS: Final = (*SEARCH_TOKENS, "honeyhive")
_GLOBAL_TEXT: Final = re.compile(r"\bglobal\b")
_GLOBAL_BYTES: Final = re.compile(rb"\bglobal\b")
_DECORATOR_NAMES: Final = frozenset(name.rpartition(".")[2] for name in DECORATOR_QUALNAMES)


def hot_lines(source: str | bytes) -> list[int]:
    """Sorted numbers of the lines that mention a rule token or ``honeyhive``, as Python reads
    identifiers (NFKC: fullwidth letters spell the same names)."""
    return lines_containing(as_identifiers_read(source), _HOT_WORDS)


def _module_info(tree: ast.Module, source: str | bytes) -> ModuleInfo:
    has_walrus = (b":=" in source) if isinstance(source, bytes) else (":=" in source)
    mentions_global = (b"global" in source) if isinstance(source, bytes) else ("global" in source)
    global_lines = lines_matching(source, _GLOBAL_TEXT, _GLOBAL_BYTES) if mentions_global else []
    return ModuleInfo(tree, has_walrus=has_walrus, global_lines=global_lines)


def find_violations(
    tree: ast.Module, source: str | bytes, lines: list[int] | None = None
) -> list[Finding]:
    """Every HH001/HH002 finding in ``tree``, sorted by position; ``source`` is its text, and
    ``lines`` its :func:`hot_lines` if the caller has them."""
    if lines is None:
        lines = hot_lines(source)
    if not lines:
        return []
    module = _module_info(tree, source)
    try:
        candidates = _Candidates(module, lines)
        candidates.collect()
        if not candidates.imports_honeyhive:
            return []  # whatever names a module uses, it cannot misuse a tracer it never imports
        rules = _RuleChecks(Evaluator(module))
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
                self.imports_honeyhive = self.imports_honeyhive or _imports_honeyhive(node)
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
                    if not isinstance(item, ast.AST):
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
_CHILD_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}


def _child_fields(kind: type[ast.AST]) -> tuple[str, ...]:
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        fields = _CHILD_FIELDS[kind] = tuple(f for f in kind._fields if f not in _LEAF_FIELDS)
    return fields


def _imports_honeyhive(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.ImportFrom):
        names = [node.module or ""] if node.level == 0 else []
    else:
        names = [alias.name for alias in node.names]
    return any(name == "honeyhive" or name.startswith("honeyhive.") for name in names)


class _RuleChecks:
    def __init__(self, evaluator: Evaluator) -> None:
        self.evaluator = evaluator

    def check(self, node: ast.Call | ast.Attribute, scope: Scope) -> Iterator[Finding]:
        if isinstance(node, ast.Attribute):
            if self._verdict(node.value, scope) is Verdict.TRACER:
                yield _finding(node, HH002, usage=rebind_usage(node.attr))
            return
        func = node.func
        if isinstance(func, ast.Attribute):
            yield from self._method_call(node, func, scope)
        elif isinstance(func, ast.Name):
            yield from self._function_call(node, func, scope)

    def _method_call(self, call: ast.Call, func: ast.Attribute, scope: Scope) -> Iterator[Finding]:
        method = func.attr
        if method == ENRICH_SESSION:
            form = _session_id_form(call)
            # enrich_session is HoneyHive's own name: an unknown receiver is reported too.
            if form and self._verdict(func.value, scope) is not Verdict.NOT_TRACER:
                yield _finding(call, HH001, form=form)
        elif method in LEGACY_SESSION_METHODS:
            if self._verdict(func.value, scope) is Verdict.TRACER:
                yield _finding(call, HH002, usage=legacy_method_usage(method))
        elif method in _DECORATOR_NAMES and _overrides_session(call):
            if self._is_free_decorator(func, scope):
                yield _finding(call, HH002, usage=override_usage(method))
            elif (
                method == TRACER_DECORATOR_METHOD
                and self._verdict(func.value, scope) is Verdict.TRACER
            ):
                yield _finding(call, HH002, usage=override_usage(f"tracer.{method}"))

    def _function_call(self, call: ast.Call, func: ast.Name, scope: Scope) -> Iterator[Finding]:
        if func.id == "setattr":
            attribute = _constant_str(call.args[1]) if len(call.args) >= 2 else None
            if (
                attribute in SESSION_ATTRIBUTES
                and self.evaluator.value_of(func, scope).kind is Kind.UNKNOWN  # the builtin
                and self._verdict(call.args[0], scope) is Verdict.TRACER
            ):
                yield _finding(call, HH002, usage=rebind_usage(str(attribute)))
        elif _overrides_session(call) and self._is_free_decorator(func, scope):
            name = self.evaluator.value_of(func, scope).qualname.rpartition(".")[2]
            yield _finding(call, HH002, usage=override_usage(name))

    def _is_free_decorator(self, func: ast.expr, scope: Scope) -> bool:
        return self.evaluator.value_of(func, scope).qualname in DECORATOR_QUALNAMES

    def _verdict(self, receiver: ast.expr, scope: Scope) -> Verdict:
        return self.evaluator.value_of(receiver, scope).verdict


def _finding(node: ast.expr, rule: Rule, **args: str) -> Finding:
    return Finding(
        line=node.lineno,
        col=node.col_offset,
        end_line=node.end_lineno or node.lineno,
        end_col=node.end_col_offset or node.col_offset,
        rule=rule,
        args=tuple(sorted(args.items())),
    )


def _constant_str(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _unpacked_session_id(value: ast.expr) -> bool:
    """``**{"session_id": ...}`` or ``**dict(session_id=...)`` with a value other than None."""
    if isinstance(value, ast.Dict):
        return any(
            key is not None and _constant_str(key) == SESSION_ID_PARAMETER and not _is_none(item)
            for key, item in zip(value.keys, value.values, strict=True)
        )
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict":
        return any(k.arg == SESSION_ID_PARAMETER and not _is_none(k.value) for k in value.keywords)
    return False


def _keyword_form(call: ast.Call) -> str | None:
    for keyword in call.keywords:
        if keyword.arg == SESSION_ID_PARAMETER and not _is_none(keyword.value):
            return FORM_KEYWORD
        if keyword.arg is None and _unpacked_session_id(keyword.value):
            return FORM_DICT_UNPACK
    return None


def _overrides_session(call: ast.Call) -> bool:
    return _keyword_form(call) is not None


def _is_evident_session_id(node: ast.expr) -> bool:
    """A first positional argument that can only be an old-style session id, never metadata."""
    if isinstance(node, ast.JoinedStr) or _constant_str(node) is not None:
        return True
    return is_session_id_name(last_name(node))


def _session_id_form(call: ast.Call) -> str | None:
    form = _keyword_form(call)
    if form is None and call.args and _is_evident_session_id(call.args[0]):
        form = FORM_POSITIONAL
    return form
