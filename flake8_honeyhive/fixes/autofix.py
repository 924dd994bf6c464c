"""The fixes of HH001 and HH002 findings, computed from the module's syntax tree.

Each finding's node is found again in the engine's tree (or a fresh parse of the text), and
the fix is built from the nodes around it, as ruff builds its fixes. A fix is offered only where
the result is certain from this module alone: a receiver the module proves to be a tracer, names
that mean the same at the finding as where they were bound, no comment deleted or moved. Where
any of that is not known, no fix is offered; the docs list those forms.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Iterator, Sequence
from typing import Final

from flake8_honeyhive.detect import module_info
from flake8_honeyhive.evaluate import Evaluator
from flake8_honeyhive.findings import Finding
from flake8_honeyhive.fixes.imports import free_function_name
from flake8_honeyhive.fixes.model import SAFE, UNSAFE, Edit, Fix
from flake8_honeyhive.fixes.text import SourceMap
from flake8_honeyhive.lines import spans_a_line
from flake8_honeyhive.rules import (
    DECORATOR_QUALNAMES,
    FIX_ENRICH_BY_ID,
    FIX_NEW_TRACER,
    FIX_REMOVE_IGNORED_SESSION_ID,
    FIX_REMOVE_OWN_SESSION_ID,
    HH001,
    HH002,
    LEGACY_SESSION_METHODS,
    SESSION_ID_PARAMETER,
    TRACER_DECORATOR_METHOD,
)
from flake8_honeyhive.scopes import ModuleInfo, Scope, children_with_scopes
from flake8_honeyhive.values import Kind, Verdict

__all__ = ["compute_fixes"]

_LEGACY_CALL: Final = re.compile(r"\.\s*(?:" + "|".join(sorted(LEGACY_SESSION_METHODS)) + r")\s*\(")

# The order of the tracer method's positional parameters, and the keywords of
# `honeyhive.enrich_session(session_id, metadata=None, *, inputs=None, ...)`: the same names.
_METHOD_POSITIONAL: Final = (
    "metadata",
    "inputs",
    "outputs",
    "config",
    "feedback",
    "metrics",
    "user_properties",
)
_FREE_ENRICH_KEYWORDS: Final = frozenset({SESSION_ID_PARAMETER, *_METHOD_POSITIONAL})
# The legacy methods' parameters, in order, as the SDK (and 1.7) define them.
_CREATE: Final = (
    "session_name",
    SESSION_ID_PARAMETER,
    "inputs",
    "metadata",
    "user_properties",
    "source",
    "skip_api_call",
)
_LEGACY_PARAMETERS: Final = {
    "create_session": _CREATE,
    "acreate_session": _CREATE,
    "with_session": ("session_name", "inputs", "metadata", "user_properties", "source"),
    "session_start": (),
}
# What `HoneyHiveTracer.init` takes for the new session; the rest of a tracer's arguments are its
# destination and settings, which a legacy method's new session shares.
_SESSION_ARGUMENTS: Final = frozenset(
    {"session_name", SESSION_ID_PARAMETER, "inputs", "metadata", "source"}
)
_PER_SESSION: Final = frozenset({"session_name", SESSION_ID_PARAMETER, "inputs", "metadata"})
_NOT_COPIED: Final = frozenset({"link_carrier"})
# Objects that may carry session arguments of their own: a copy would be a guess.
_OPAQUE: Final = frozenset({"config", "session_config", "evaluation_config"})
# Arguments with no equivalent in `HoneyHiveTracer.init`, unless given as these defaults.
_DEFAULTS_ONLY: Final = {"user_properties": (None,), "skip_api_call": (None, False)}
_ATOMS: Final = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Constant)
_PORTABLE_NODES: Final = (
    ast.Constant,
    ast.Name,
    ast.Attribute,
    ast.Subscript,
    ast.Tuple,
    ast.List,
    ast.Set,
    ast.Dict,
    ast.UnaryOp,
    ast.BinOp,
    ast.JoinedStr,
    ast.FormattedValue,
    ast.Load,
    ast.unaryop,
    ast.operator,
    ast.Slice,
)
_NESTED_SCOPES: Final = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Lambda,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)

Span = tuple[int, int, int, int]


def compute_fixes(
    source: SourceMap, findings: Sequence[Finding], tree: ast.Module | None = None
) -> list[Fix | None]:
    """The fix of each finding in `source.text` (the module's decoded source), or None.

    `tree` is the one the findings came from, if the caller has it: the engine's tree holds
    every statement a fix reads (those on a finding's line, the module's honeyhive imports, and
    whatever binds a name they spell), at a full parse's positions. Without it, the text is parsed.
    """
    if not findings:
        return []
    text = source.text
    if tree is None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return [None] * len(findings)
    module = module_info(tree, text)
    try:
        fixer = _Fixer(module, source, sorted({finding.line for finding in findings}))
        return [fixer.fix(finding) for finding in findings]
    except RecursionError:
        return [None] * len(findings)
    finally:
        module.release()


def _span(node: ast.AST) -> Span:
    return (
        node.lineno,  # type: ignore[attr-defined]
        node.col_offset,  # type: ignore[attr-defined]
        node.end_lineno,  # type: ignore[attr-defined]
        node.end_col_offset,  # type: ignore[attr-defined]
    )


def _same(left: ast.AST, right: ast.AST) -> bool:
    return ast.dump(left) == ast.dump(right)


def _is_simple(node: ast.expr) -> bool:
    """A name or a chain of attributes of one (`t`, `self.tracer`): reading it twice is safe."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _is_own_session_id(value: ast.expr, receiver: ast.expr) -> bool:
    """`t.session_id` for the receiver `t`: the tracer's own id, spelled so."""
    return (
        isinstance(value, ast.Attribute)
        and value.attr == SESSION_ID_PARAMETER
        and _is_simple(receiver)
        and _same(value.value, receiver)
    )


def _constant_str(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _is_dict_call(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "dict"
        and not node.args
    )


def _session_id_value(call: ast.Call) -> ast.expr | None:
    """The session id a call passes by keyword or unpacked dict (as the rules read it)."""
    for keyword in call.keywords:
        if keyword.arg == SESSION_ID_PARAMETER:
            return keyword.value
        value = keyword.value
        if keyword.arg is None and isinstance(value, ast.Dict):
            for key, item in zip(value.keys, value.values, strict=True):
                if _constant_str(key) == SESSION_ID_PARAMETER:
                    return item
        if keyword.arg is None and _is_dict_call(value):
            assert isinstance(value, ast.Call)
            for inner in value.keywords:
                if inner.arg == SESSION_ID_PARAMETER:
                    return inner.value
    return None


def _names(node: ast.AST) -> Iterator[ast.Name]:
    return (child for child in ast.walk(node) if isinstance(child, ast.Name))


class _Fixer:
    def __init__(self, module: ModuleInfo, source: SourceMap, lines: list[int]) -> None:
        self.module = module
        self.source = source
        self.evaluator = Evaluator(module)
        self.nodes: dict[tuple[Span, bool], tuple[ast.AST, Scope]] = {}
        self.parents: dict[int, ast.AST] = {}
        self._index(lines)
        # Read from the text: a cheap, conservative answer (a comment naming one counts too).
        self.calls_legacy_methods = _LEGACY_CALL.search(source.text) is not None

    def _index(self, lines: list[int]) -> None:
        """The calls and attributes that span a finding's first line, by span, with their
        scopes and parents. Only the nodes around the findings are visited, as the engine does."""
        stack: list[tuple[ast.AST, Scope]] = [(self.module.tree, self.module.scope)]
        while stack:
            node, scope = stack.pop()
            if isinstance(node, ast.Call | ast.Attribute):
                self.nodes.setdefault((_span(node), isinstance(node, ast.Call)), (node, scope))
            for child, child_scope in children_with_scopes(self.module, node, scope):
                if spans_a_line(child, lines):
                    self.parents[id(child)] = node
                    stack.append((child, child_scope))

    def fix(self, finding: Finding) -> Fix | None:
        span = (finding.line, finding.col, finding.end_line, finding.end_col)
        found = self.nodes.get((span, True))
        if found is None:
            return None  # an attribute assignment (`t.session_id = ...`): no fix
        call, scope = found
        assert isinstance(call, ast.Call)
        func = call.func
        if finding.code == HH001.code and isinstance(func, ast.Attribute):
            return self._enrich_session(call, func, scope)
        if finding.code == HH002.code:
            if isinstance(func, ast.Attribute) and func.attr in LEGACY_SESSION_METHODS:
                return self._legacy_method(call, func, scope)
            if _session_id_value(call) is not None:
                return self._session_override(call, scope)
        return None

    # --- removing the session id -------------------------------------------------------------

    def _arguments(self, call: ast.Call) -> list[ast.AST]:
        return sorted([*call.args, *call.keywords], key=self.source.start)

    def _extents(self, nodes: Sequence[ast.AST], close: int) -> list[tuple[int, int]]:
        return [(self._item_start(node), self.source.item_end(node, close)) for node in nodes]

    def _item_start(self, node: ast.AST) -> int:
        """Where an item starts, before the parentheses that wrap it (`f((x), y)`)."""
        start = self.source.start(node)
        text = self.source.text
        position = start
        while position > 0:
            before = position - 1
            while before > 0 and text[before] in " \t\r\n\\":
                before -= 1
            if text[before] != "(" or self._opens_list(before):
                break
            position = start = before
        return start

    def _opens_list(self, offset: int) -> bool:
        """Whether the `(` at `offset` opens a call's argument list (a name or `)` before it)."""
        before = offset - 1
        text = self.source.text
        while before >= 0 and text[before] in " \t":
            before -= 1
        return before >= 0 and (text[before].isalnum() or text[before] in "_)]")

    def _remove_session_id(self, call: ast.Call) -> Edit | None:
        """The edit that removes `session_id=...` (or its `**{...}` entry) from a call."""
        close = self.source.end(call) - 1
        arguments = self._arguments(call)
        for keyword in call.keywords:
            value = keyword.value
            if keyword.arg == SESSION_ID_PARAMETER:
                target = arguments.index(keyword)
                return self.source.remove_item(self._extents(arguments, close), target, close)
            if keyword.arg is None and isinstance(value, ast.Dict):
                keys = [_constant_str(key) for key in value.keys]
                if SESSION_ID_PARAMETER not in keys:
                    continue
                if len(keys) == 1:
                    target = arguments.index(keyword)
                    return self.source.remove_item(self._extents(arguments, close), target, close)
                inner_close = self.source.end(value) - 1
                entries = [
                    (self._item_start(key), self.source.item_end(item, inner_close))
                    for key, item in zip(value.keys, value.values, strict=True)
                    if key is not None
                ]
                if len(entries) != len(keys):
                    return None  # a `**` entry inside the dict
                index = keys.index(SESSION_ID_PARAMETER)
                return self.source.remove_item(entries, index, inner_close)
            if keyword.arg is None and _is_dict_call(value):
                assert isinstance(value, ast.Call)
                names = [inner.arg for inner in value.keywords]
                if SESSION_ID_PARAMETER not in names:
                    continue
                if len(names) == 1:
                    target = arguments.index(keyword)
                    return self.source.remove_item(self._extents(arguments, close), target, close)
                inner_close = self.source.end(value) - 1
                inner = self._extents(value.keywords, inner_close)
                return self.source.remove_item(
                    inner, names.index(SESSION_ID_PARAMETER), inner_close
                )
        return None

    # --- HH001 -------------------------------------------------------------------------------

    def _enrich_session(self, call: ast.Call, func: ast.Attribute, scope: Scope) -> Fix | None:
        receiver = func.value
        value = _session_id_value(call)
        if value is not None and _is_own_session_id(value, receiver):
            edit = self._remove_session_id(call)
            if edit is None:
                return None
            # A legacy `create_session()` makes the tracer's own calls follow the new session,
            # while `session_id=t.session_id` still names the old one.
            applicability = UNSAFE if self.calls_legacy_methods else SAFE
            return Fix(FIX_REMOVE_OWN_SESSION_ID, applicability, (edit,))
        return self._enrich_by_id(call, func, scope)

    def _enrich_by_id(self, call: ast.Call, func: ast.Attribute, scope: Scope) -> Fix | None:
        """`t.enrich_session(sid, ...)` -> `honeyhive.enrich_session(sid, ..., tracer=t)`."""
        receiver = func.value
        if self.evaluator.value_of(receiver, scope).verdict is not Verdict.TRACER:
            return None  # of unknown origin: `tracer=` would be a guess
        if any(isinstance(argument, ast.Starred) for argument in call.args):
            return None
        given: set[str] = set()
        for keyword in call.keywords:
            names = self._keyword_names(keyword)
            if names is None or not names <= _FREE_ENRICH_KEYWORDS:
                return None
            given |= names
        edits: list[Edit] = []
        if SESSION_ID_PARAMETER in given:
            # The keyword forms: positional arguments are the method's (`metadata`, ...).
            if len(call.args) > len(_METHOD_POSITIONAL):
                return None
            for argument, name in zip(call.args, _METHOD_POSITIONAL, strict=False):
                if name in given:
                    return None
                start = self._item_start(argument)
                edits.append(Edit(start, start, f"{name}="))
        elif len(call.args) != 1:
            return None  # an old positional signature beyond the id: its meaning is a guess
        name_and_imports = free_function_name(self.module, self.evaluator, scope, call, self.source)
        if name_and_imports is None:
            return None
        name, import_edits = name_and_imports
        func_start, func_end = self.source.start(func), self.source.end(func)
        if self.source.has_comment(func_start, func_end):
            return None
        receiver_text = self.source.segment(receiver)
        if not isinstance(receiver, _ATOMS):
            receiver_text = f"({receiver_text})"
        edits += [
            Edit(func_start, func_end, name),
            self._append_argument(call, f"tracer={receiver_text}"),
            *import_edits,
        ]
        message = FIX_ENRICH_BY_ID.format(function=name, receiver=receiver_text)
        return Fix(message, UNSAFE, tuple(sorted(edits)))

    def _append_argument(self, call: ast.Call, argument: str) -> Edit:
        """An argument added last, in the call's layout: on a line of its own after a trailing
        comma when each argument has its own line, else after `, `."""
        source = self.source
        close = source.end(call) - 1
        arguments = self._arguments(call)
        last = arguments[-1]
        end = source.item_end(last, close)
        comma = source.skip_trivia(end, close)
        start = self._item_start(last)
        indent = source.text[source.line_start(start) : start]
        if (
            comma < close
            and source.text[comma] == ","
            and not indent.strip()
            and not source.text[comma + 1 : source.line_end(comma)].strip()
        ):
            return Edit(comma + 1, comma + 1, f"{source.newline}{indent}{argument},")
        return Edit(end, end, f", {argument}")

    def _keyword_names(self, keyword: ast.keyword) -> set[str] | None:
        """The parameter names a keyword argument passes; None if they cannot be known."""
        if keyword.arg is not None:
            return {keyword.arg}
        value = keyword.value
        if isinstance(value, ast.Dict):
            keys = [_constant_str(key) for key in value.keys]
            return None if None in keys else {key for key in keys if key is not None}
        if _is_dict_call(value):
            assert isinstance(value, ast.Call)
            names = [inner.arg for inner in value.keywords]
            return None if None in names else {name for name in names if name is not None}
        return None

    # --- HH002: session_id= in a decorator ---------------------------------------------------

    def _session_override(self, call: ast.Call, scope: Scope) -> Fix | None:
        value = _session_id_value(call)
        assert value is not None
        func = call.func
        free = self.evaluator.value_of(func, scope).qualname in DECORATOR_QUALNAMES
        own = False
        if free:
            tracer = next((k.value for k in call.keywords if k.arg == "tracer"), None)
            own = tracer is not None and _is_own_session_id(value, tracer)
        elif isinstance(func, ast.Attribute) and func.attr == TRACER_DECORATOR_METHOD:
            own = _is_own_session_id(value, func.value)
        edit = self._remove_session_id(call)
        if edit is None:
            return None
        if own:
            return Fix(FIX_REMOVE_OWN_SESSION_ID, SAFE, (edit,))
        # The SDK keeps a decorated function's spans in the tracer's own session whatever id is
        # given: the same behaviour, but the intent to file them elsewhere is dropped.
        return Fix(FIX_REMOVE_IGNORED_SESSION_ID, UNSAFE, (edit,))

    # --- HH002: the legacy session methods ---------------------------------------------------

    def _legacy_method(self, call: ast.Call, func: ast.Attribute, scope: Scope) -> Fix | None:
        receiver = func.value
        if not isinstance(receiver, ast.Name):
            return None
        target = self._legacy_target(call, func.attr, receiver.id)
        if target is None:
            return None
        construction = self._construction(receiver.id, scope)
        if construction is None:
            return None
        init, init_scope = construction
        session = self._legacy_arguments(call, func.attr)
        settings = self._settings_arguments(init, init_scope, scope)
        if session is None or settings is None:
            return None
        if not self._portable(init.func, init_scope, scope):
            return None
        factory = self.source.segment(init.func)
        if "source" in session:
            settings.pop("source", None)
        arguments = ", ".join(f"{name}={text}" for name, text in (settings | session).items())
        replacement = f"{factory}({arguments})"
        if func.attr != "with_session":
            replacement += f".{SESSION_ID_PARAMETER}"
        start, end = self.source.start(target), self.source.end(target)
        if self.source.has_comment(start, end):
            return None
        message = FIX_NEW_TRACER.format(factory=factory)
        return Fix(message, UNSAFE, (Edit(start, end, replacement),))

    def _legacy_target(self, call: ast.Call, method: str, receiver: str) -> ast.AST | None:
        """The node the new tracer replaces, if its value can stand in: the session id, or for
        `with t.with_session():` the context manager."""
        parent = self.parents.get(id(call))
        if method == "with_session":
            statement = self.parents.get(id(parent)) if parent is not None else None
            if (
                not isinstance(parent, ast.withitem)
                or parent.optional_vars is not None  # `as sid`: the id, not a tracer
                or not isinstance(statement, ast.With)
            ):
                return None
            # In the block, `t`'s own calls followed the legacy session; a new tracer's would not.
            if any(name.id == receiver for stmt in statement.body for name in _names(stmt)):
                return None
            return call
        if method == "acreate_session":
            if not isinstance(parent, ast.Await):
                return None
            target: ast.AST = parent
            parent = self.parents.get(id(parent))
        else:
            target = call
        if isinstance(parent, ast.Expr):
            return None  # the new session's id is discarded: the intent was to switch to it
        return target

    def _legacy_arguments(self, call: ast.Call, method: str) -> dict[str, str] | None:
        """The legacy call's arguments as `HoneyHiveTracer.init` keywords (name -> source)."""
        parameters = _LEGACY_PARAMETERS[method]
        if len(call.args) > len(parameters) or any(
            isinstance(argument, ast.Starred) for argument in call.args
        ):
            return None
        pairs: list[tuple[str, ast.expr]] = list(zip(parameters, call.args, strict=False))
        for keyword in call.keywords:
            if keyword.arg is None or keyword.arg not in parameters:
                return None
            pairs.append((keyword.arg, keyword.value))
        session: dict[str, str] = {}
        for name, value in pairs:
            if name in _DEFAULTS_ONLY:
                if not isinstance(value, ast.Constant) or value.value not in _DEFAULTS_ONLY[name]:
                    return None
                continue
            if name not in _SESSION_ARGUMENTS or name in session:
                return None
            start, end = self.source.start(value), self.source.end(value)
            if self.source.has_comment(start, end):
                return None
            session[name] = self.source.text[start:end]
        return session

    def _settings_arguments(
        self, init: ast.Call, init_scope: Scope, site: Scope
    ) -> dict[str, str] | None:
        """The tracer's own arguments that a new session shares (its destination and settings),
        if each means the same at the site; None if any is unknown there."""
        if init.args:
            return None
        settings: dict[str, str] = {}
        for keyword in init.keywords:
            name = keyword.arg
            if name is None or name in _OPAQUE:
                return None
            if name in _PER_SESSION or name in _NOT_COPIED:
                continue
            value = keyword.value
            start, end = self.source.start(value), self.source.end(value)
            if self.source.has_comment(start, end) or not self._portable(value, init_scope, site):
                return None
            settings[name] = self.source.text[start:end]
        return settings

    def _construction(self, name: str, scope: Scope) -> tuple[ast.Call, Scope] | None:
        """The `name = HoneyHiveTracer.init(...)` that binds the receiver, if it is its only
        binding, with the scope it runs in."""
        defining = _defining_scope(name, scope)
        if defining is None or len(defining.table().get(name, ())) != 1:
            return None
        if defining.parent is None and self.module.global_bindings().get(name):
            return None
        assignments = [
            stmt
            for stmt in _statements(defining.node)
            if isinstance(stmt, ast.Assign | ast.AnnAssign)
            and isinstance(stmt.value, ast.Call)
            and _targets(stmt) == [name]
        ]
        if len(assignments) != 1:
            return None
        value = assignments[0].value
        assert isinstance(value, ast.Call)
        kind = self.evaluator.value_of(value.func, defining).kind
        if kind is not Kind.TRACER_CLASS and kind is not Kind.TRACER_FACTORY:
            return None
        return value, defining

    def _portable(self, expr: ast.expr, where: Scope, site: Scope) -> bool:
        """Whether `expr`, written where it is, means the same when copied to the site: literals
        and names bound once, in the same scope as seen from both places (or builtins)."""
        for node in ast.walk(expr):
            if not isinstance(node, _PORTABLE_NODES):
                return False
            if isinstance(node, ast.Name):
                here, there = _defining_scope(node.id, where), _defining_scope(node.id, site)
                if here is not there:
                    return False
                if here is not None and len(here.table().get(node.id, ())) != 1:
                    return False
        return True


def _defining_scope(name: str, scope: Scope) -> Scope | None:
    """The scope whose binding of `name` a use in `scope` reads (None: a builtin or unbound).

    Class bodies are seen only from themselves, as in Python.
    """
    current: Scope | None = scope
    first = True
    while current is not None:
        if current.is_class and not first:
            current = current.parent
            continue
        table = current.table()  # also reads the scope's `global` and `nonlocal` declarations
        if name in current.global_names:
            module = current
            while module.parent is not None:
                module = module.parent
            return module
        if name not in current.nonlocal_names and name in table:
            return current
        first = False
        current = current.parent
    return None


def _statements(node: ast.AST) -> Iterator[ast.stmt]:
    """The statements of a scope, nested blocks included, nested scopes excluded."""
    body = getattr(node, "body", [])
    stack: list[ast.AST] = list(reversed(body)) if isinstance(body, list) else []
    while stack:
        current = stack.pop()
        if isinstance(current, ast.stmt):
            yield current
        if isinstance(current, _NESTED_SCOPES):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(current))))


def _targets(stmt: ast.Assign | ast.AnnAssign) -> list[str]:
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
    return [target.id if isinstance(target, ast.Name) else "" for target in targets]
