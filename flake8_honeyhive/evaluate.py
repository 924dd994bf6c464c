"""Evaluate expressions and annotations to :class:`~flake8_honeyhive.values.Value` s."""

from __future__ import annotations

import ast
import builtins
from bisect import bisect_right
from typing import TYPE_CHECKING, Final

from flake8_honeyhive.rules import PUBLIC_NAMES, TRACER_FACTORIES
from flake8_honeyhive.scopes import (
    Binding,
    ClassInfo,
    FunctionInfo,
    ModuleInfo,
    Position,
    Scope,
    last_name,
)
from flake8_honeyhive.session_args import session_fields
from flake8_honeyhive.typing_names import ANY_TYPES, CAST_FUNCTIONS, TYPING_MODULES, WRAPPERS
from flake8_honeyhive.values import (
    NONE,
    OTHER,
    SESSION_FIELDS,
    TRACER_FACTORY,
    UNKNOWN,
    Kind,
    Value,
    Verdict,
    imported,
    is_honeyhive,
    join,
)

if TYPE_CHECKING:
    from flake8_honeyhive.project import Project

# Test doubles: whatever they are configured to imitate, they are not tracers.
MOCK_NAMES: Final = frozenset(
    {
        "Mock",
        "MagicMock",
        "AsyncMock",
        "NonCallableMock",
        "NonCallableMagicMock",
        "PropertyMock",
        "create_autospec",
    }
)
MOCK_MODULES: Final = ("unittest.mock.", "mock.", "pytest_mock.")
# Qualifiers say how a name is bound, not what it holds: `Final[T]` holds a T (see WRAPPERS), a
# bare `Final` what it is assigned.
BARE_QUALIFIERS: Final = frozenset(
    f"{module}.{qualifier}" for module in TYPING_MODULES for qualifier in ("Final", "ClassVar")
)
PROPERTY_DECORATORS: Final = frozenset({"property", "cached_property"})
BUILTIN_NAMES: Final = frozenset(dir(builtins))


class Evaluator:
    """Answers "what is this expression?" for one module, caching what it learns."""

    def __init__(
        self, module: ModuleInfo, project: Project | None = None, *, symbolic: bool = False
    ) -> None:
        self.module = module
        # The other checked modules, whose summaries say what their names hold.
        self.project = project
        # For a module's summary: keep a call of an imported name as that name's result, for the
        # importer's project to resolve.
        self.symbolic = symbolic
        self._tracer_classes: dict[ClassInfo, bool] = {}

    def imported(self, qualname: str, *, is_module: bool = False) -> Value:
        """The value of a name bound by importing ``qualname``."""
        if self.project is not None and not is_honeyhive(qualname):
            value = self.project.value(qualname)
            if value is not None:
                return value
        return imported(qualname, is_module=is_module)

    # --- names -----------------------------------------------------------------------------------

    def lookup(self, name: str, scope: Scope, pos: Position | None) -> Value:
        """The value ``name`` has at ``pos`` in ``scope`` (``None``: once the scope has run)."""
        current: Scope | None = scope
        first = True
        while current is not None:
            if current.is_class and not first:
                current = current.parent  # class bodies are not visible from their methods
                continue
            table = current.table()
            if name in current.global_names:
                return self.module_value(name)
            bindings = None if name in current.nonlocal_names else table.get(name)
            if bindings:
                if first and pos is not None and current.is_ordered:
                    made = _made_before(bindings, pos)
                    # Nothing bound yet: a loop carries the last binding round, but a class body
                    # reads the enclosing scopes (a decorator above a method named like it).
                    if made or not current.is_class:
                        return self._latest_value(bindings[: made or len(bindings)])
                elif current.parent is None:
                    return self.module_value(name)
                else:
                    return self._latest_value(bindings)
            first = False
            current = current.parent
        return self.module_value(name)

    def _latest_value(self, bindings: list[Binding]) -> Value:
        """The value of the last of ``bindings``, reading through bindings to None.

        The rules only ask about receivers, and a method call or an attribute assignment on None
        fails: a use that gets that far sees what another branch bound, such as the import before
        ``except ImportError: HoneyHiveTracer = None``, or the tracer before ``else: tracer = None``
        """
        value = UNKNOWN
        for binding in reversed(bindings):
            value = binding.value(self)
            if value.kind is not Kind.NONE:
                break
        return value

    def module_value(self, name: str) -> Value:
        """A module-level name as functions see it: its last binding, and ``global`` rebindings."""
        bindings = self.module.scope.table().get(name, [])
        values = [self._latest_value(bindings)] if bindings else []
        values += [binding.value(self) for binding in self.module.global_bindings().get(name, ())]
        if values:
            return join(values)
        if self.module.star_imports_honeyhive and name in PUBLIC_NAMES:
            return imported(f"honeyhive.{name}")
        return UNKNOWN

    # --- expressions ------------------------------------------------------------------------------

    def value_of(self, expr: ast.expr, scope: Scope, *, positional: bool = True) -> Value:
        if isinstance(expr, ast.Name):
            pos = (expr.lineno, expr.col_offset) if positional else None
            return self.lookup(expr.id, scope, pos)
        if isinstance(expr, ast.Attribute):
            return self.attribute_of(
                self.value_of(expr.value, scope, positional=positional), expr.attr
            )
        if isinstance(expr, ast.Call):
            callee = self.value_of(expr.func, scope, positional=positional)
            if callee.kind is Kind.IMPORTED and callee.qualname in CAST_FUNCTIONS and expr.args:
                return self.annotation_value(expr.args[0], scope, positional=positional)
            if callee.kind is Kind.UNKNOWN and isinstance(expr.func, ast.Name):  # a builtin
                if expr.func.id == "super":
                    return self._super(expr, scope, positional=positional)
                if expr.func.id == "dict":
                    return SESSION_FIELDS if session_fields(expr) else OTHER
            return self.call_result(callee, expr.func)
        if isinstance(expr, ast.Dict):
            return SESSION_FIELDS if session_fields(expr) else OTHER
        if isinstance(expr, ast.Await):
            return self._awaited(expr.value, scope, positional=positional)
        if isinstance(expr, ast.NamedExpr):
            return self.value_of(expr.value, scope, positional=positional)
        if isinstance(expr, ast.IfExp):
            return join(
                [
                    self.value_of(expr.body, scope, positional=positional),
                    self.value_of(expr.orelse, scope, positional=positional),
                ]
            )
        if isinstance(expr, ast.BoolOp):
            return join([self.value_of(v, scope, positional=positional) for v in expr.values])
        if isinstance(expr, ast.Constant):
            return NONE if expr.value is None else OTHER
        if isinstance(expr, ast.Subscript | ast.Starred | ast.Yield | ast.YieldFrom):
            return UNKNOWN
        # Literals, operators, comprehensions, lambdas, f-strings: never a tracer.
        return OTHER

    def attribute_of(self, value: Value, attribute: str) -> Value:
        kind = value.kind
        if kind is Kind.MODULE or kind is Kind.IMPORTED:
            return self.imported(f"{value.qualname}.{attribute}")
        if kind is Kind.PROJECT_CLASS or kind is Kind.PROJECT_INSTANCE:
            assert self.project is not None
            return self.project.attribute(value.qualname, attribute)
        if kind is Kind.TRACER_CLASS and attribute in TRACER_FACTORIES:
            return TRACER_FACTORY
        if kind is Kind.LOCAL_CLASS or kind is Kind.INSTANCE or kind is Kind.TRACER_CLASS:
            return self.class_attribute(value.class_info, attribute)
        if kind is Kind.OBJECT or kind is Kind.UNKNOWN or kind is Kind.RESULT:
            return UNKNOWN
        # Attributes of tracers, functions, literals and mocks are methods, strings or more mocks.
        return OTHER

    def call_result(self, callee: Value, func: ast.expr) -> Value:
        kind = callee.kind
        if kind is Kind.TRACER_CLASS or kind is Kind.TRACER_FACTORY:
            return Value(Kind.TRACER, class_info=callee.class_info)
        if kind is Kind.LOCAL_CLASS:
            assert callee.class_info is not None
            return self.instance_value(callee.class_info)
        if kind is Kind.FUNCTION:
            assert callee.function is not None
            if isinstance(callee.function.node, ast.AsyncFunctionDef):
                return OTHER  # a coroutine; see _awaited
            return self.returns(callee.function)
        if kind is Kind.PROJECT_CLASS:
            return Value(Kind.PROJECT_INSTANCE, callee.qualname)
        if kind is Kind.PROJECT_FUNCTION:
            assert self.project is not None
            return self.project.returns(callee.qualname)
        if kind is Kind.OTHER or _is_mock_factory(callee, func):
            return OTHER
        if self.symbolic and kind is Kind.IMPORTED and not is_honeyhive(callee.qualname):
            return Value(Kind.RESULT, callee.qualname)
        return UNKNOWN

    def _awaited(self, expr: ast.expr, scope: Scope, *, positional: bool) -> Value:
        if isinstance(expr, ast.Call):
            callee = self.value_of(expr.func, scope, positional=positional)
            if callee.kind is Kind.FUNCTION and callee.function is not None:
                return self.returns(callee.function)
            if callee.kind is Kind.PROJECT_FUNCTION and self.project is not None:
                return self.project.awaited(callee.qualname)
        return UNKNOWN

    def _super(self, call: ast.Call, scope: Scope, *, positional: bool) -> Value:
        """``super()`` in a method, or ``super(Class, obj)``: the class's bases, which hold a
        tracer exactly when the class is a tracer (its ``self`` is then one too)."""
        if call.args:
            owner = self.value_of(call.args[0], scope, positional=positional).class_info
        else:
            owner = _method_class(scope)
        if owner is None:
            return UNKNOWN
        if self._is_tracer_class(owner):
            return Value(Kind.TRACER)
        return Value(Kind.INSTANCE, class_info=self.local_base(owner))

    def with_value(self, context_expr: ast.expr, scope: Scope) -> Value:
        """``with <expr> as name``: a tracer's ``__enter__`` returns the tracer itself."""
        value = self.value_of(context_expr, scope)
        if value.verdict is Verdict.TRACER or value.kind is Kind.OTHER:
            return value
        return UNKNOWN

    # --- functions and classes --------------------------------------------------------------------

    def returns(self, function: FunctionInfo) -> Value:
        if function.node.returns is None:
            return UNKNOWN
        return self.annotation_value(function.node.returns, function.scope)

    def class_value(self, info: ClassInfo) -> Value:
        kind = Kind.TRACER_CLASS if self._is_tracer_class(info) else Kind.LOCAL_CLASS
        return Value(kind, class_info=info)

    def instance_value(self, info: ClassInfo) -> Value:
        kind = Kind.TRACER if self._is_tracer_class(info) else Kind.INSTANCE
        return Value(kind, class_info=info)

    def _is_tracer_class(self, info: ClassInfo) -> bool:
        known = self._tracer_classes.get(info)
        if known is None:
            self._tracer_classes[info] = False  # a cyclic hierarchy is not a tracer
            known = any(
                self.value_of(base, info.outer).kind is Kind.TRACER_CLASS
                for base in info.node.bases
            )
            self._tracer_classes[info] = known
        return known

    def class_attribute(self, info: ClassInfo | None, attribute: str) -> Value:
        """An attribute of a class defined in the module, or of one of its instances."""
        seen: set[ClassInfo] = set()
        while info is not None and info not in seen:
            seen.add(info)
            class_bindings = info.scope.table().get(attribute, [])
            values = [self._latest_value(class_bindings)] if class_bindings else []
            values += [binding.value(self) for binding in info.self_attributes().get(attribute, ())]
            if values:
                return join([self._member_value(value) for value in values])
            base = self.local_base(info)
            if base is None and self.project is not None:
                return self._project_base_attribute(info, attribute)
            info = base
        return UNKNOWN  # inherited from a class defined elsewhere, or set from outside

    def _project_base_attribute(self, info: ClassInfo, attribute: str) -> Value:
        """An attribute inherited from a class of another checked module."""
        assert self.project is not None
        for base in info.node.bases:
            value = self.value_of(base, info.outer)
            if value.kind is Kind.PROJECT_CLASS:
                return self.project.attribute(value.qualname, attribute)
        return UNKNOWN

    def _member_value(self, value: Value) -> Value:
        """A property reads as what its getter returns."""
        function = value.function
        if value.kind is Kind.FUNCTION and function is not None:
            decorators = function.node.decorator_list
            if any(last_name(d) in PROPERTY_DECORATORS for d in decorators):
                return self.returns(function)
        return value

    def local_base(self, info: ClassInfo) -> ClassInfo | None:
        for base in info.node.bases:
            value = self.value_of(base, info.outer)
            if value.class_info is not None:
                return value.class_info
        return None

    # --- annotations ----------------------------------------------------------------------------

    def annotated_value(self, annotation: ast.expr, value: ast.expr | None, scope: Scope) -> Value:
        """``name: annotation = value``: a conclusive annotation wins, else the value decides.

        A mock wins over its annotation (``t: HoneyHiveTracer = MagicMock(spec=...)`` in a test):
        it is never a tracer, whatever it stands in for.
        """
        if isinstance(value, ast.Call) and _is_mock_factory(
            self.value_of(value.func, scope), value.func
        ):
            return OTHER
        declared = self.annotation_value(annotation, scope)
        if declared.verdict is Verdict.UNKNOWN and value is not None:
            return self.value_of(value, scope)
        return declared

    def annotation_value(
        self, annotation: ast.expr, scope: Scope, *, positional: bool = True
    ) -> Value:
        """The value of an object declared with this annotation."""
        if isinstance(annotation, ast.Constant):
            if isinstance(annotation.value, str):
                try:
                    parsed = ast.parse(annotation.value.strip(), mode="eval").body
                except SyntaxError:
                    return UNKNOWN
                return self.annotation_value(parsed, scope, positional=False)
            return NONE if annotation.value is None else UNKNOWN
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            return join(
                [
                    self.annotation_value(annotation.left, scope, positional=positional),
                    self.annotation_value(annotation.right, scope, positional=positional),
                ]
            )
        if isinstance(annotation, ast.Subscript):
            return self._generic_annotation(annotation, scope, positional=positional)
        if isinstance(annotation, ast.Name | ast.Attribute):
            return self._type_annotation(annotation, scope, positional=positional)
        return UNKNOWN

    def _type_annotation(
        self, annotation: ast.Name | ast.Attribute, scope: Scope, *, positional: bool
    ) -> Value:
        value = self.value_of(annotation, scope, positional=positional)
        kind = value.kind
        if kind is Kind.TRACER_CLASS or kind is Kind.LOCAL_CLASS:
            assert value.class_info is not None or kind is Kind.TRACER_CLASS
            if value.class_info is None:
                return Value(Kind.TRACER)
            return self.instance_value(value.class_info)
        if kind is Kind.PROJECT_CLASS:
            return Value(Kind.PROJECT_INSTANCE, value.qualname)
        if kind is Kind.IMPORTED or kind is Kind.MODULE:
            if value.qualname in ANY_TYPES or value.qualname in BARE_QUALIFIERS:
                return UNKNOWN
            return Value(Kind.OBJECT, value.qualname)
        if (
            kind is Kind.UNKNOWN
            and isinstance(annotation, ast.Name)
            and annotation.id in BUILTIN_NAMES
            and annotation.id != "object"
        ):
            return Value(Kind.OBJECT, f"builtins.{annotation.id}")
        return UNKNOWN

    def _generic_annotation(
        self, annotation: ast.Subscript, scope: Scope, *, positional: bool
    ) -> Value:
        head = self._typing_name(annotation.value, scope, positional=positional)
        index = annotation.slice
        arguments = index.elts if isinstance(index, ast.Tuple) else [index]
        if not arguments:  # `tuple[()]`
            return Value(Kind.OBJECT, head)
        if head == "Optional":
            return join([self.annotation_value(arguments[0], scope, positional=positional), NONE])
        if head == "Union":
            return join([self.annotation_value(a, scope, positional=positional) for a in arguments])
        if head in WRAPPERS:
            return self.annotation_value(arguments[0], scope, positional=positional)
        return Value(Kind.OBJECT, head)  # a container or another generic: not a tracer itself

    def _typing_name(self, head: ast.expr, scope: Scope, *, positional: bool) -> str:
        """``Optional``/``Union``/``Annotated`` however imported, or '' for anything else."""
        value = self.value_of(head, scope, positional=positional)
        module, _, name = value.qualname.rpartition(".")
        if value.kind is Kind.IMPORTED and module in TYPING_MODULES:
            return name
        if value.kind is Kind.UNKNOWN and isinstance(head, ast.Name):
            return head.id  # unresolved, as under `from typing import *`
        return ""


def _method_class(scope: Scope) -> ClassInfo | None:
    """The class whose method ``scope`` is (where zero-argument ``super()`` works)."""
    parent = scope.parent
    if (
        isinstance(scope.node, ast.FunctionDef | ast.AsyncFunctionDef)
        and parent is not None
        and isinstance(parent.node, ast.ClassDef)
        and parent.parent is not None
    ):
        return scope.module.class_info(parent.node, parent.parent)
    return None


def _made_before(bindings: list[Binding], pos: Position) -> int:
    """How many of ``bindings`` are made at or before ``pos``."""
    return bisect_right([binding.pos for binding in bindings], pos)


def _is_mock_factory(callee: Value, func: ast.expr) -> bool:
    if callee.kind is Kind.IMPORTED and callee.qualname.startswith(MOCK_MODULES):
        return True
    return last_name(func) in MOCK_NAMES
