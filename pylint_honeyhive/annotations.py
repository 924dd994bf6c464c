"""Declared types: what an annotation says a receiver is, when its value cannot be inferred.

astroid infers values, not declarations: a parameter, a variable declared without a value, a
``self.<attr>`` declared in the class body, or an awaited coroutine infer as Uninferable (or only
as ``None``). Their annotations still say what they are, and inferring the annotation resolves it
through any module: ``def handle(tracer: AppTracer)`` with ``AppTracer`` a subclass of
``HoneyHiveTracer`` defined elsewhere in the project.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Final

from astroid import bases, nodes

from flake8_honeyhive.typing_names import ANY_TYPES, CAST_FUNCTIONS, TYPING_MODULES, WRAPPERS
from pylint_honeyhive.answers import Answer, inferred, join

__all__ = ["DeclaredTypes", "is_annotated_parameter"]

# Bounds on nested annotations (`Optional[Union[...]]`) and on chains of plain assignments
# (`a = b`, `b = await make()`) followed back to a declaration.
MAX_DEPTH: Final = 8
MAX_CHAIN: Final = 3

ClassAnswer = Callable[[nodes.ClassDef], Answer]


class DeclaredTypes:
    """Answers "is it declared as a tracer?" for receivers whose value inference was silent."""

    def __init__(self, class_answer: ClassAnswer) -> None:
        self._class_answer = class_answer

    def is_tracer(self, expr: Any) -> Answer:
        try:
            return join(self._declarations(expr))
        except Exception:  # any failure means "cannot tell": see answers.inferred
            return Answer.UNKNOWN

    def _declarations(self, expr: Any, chain: int = 0) -> Iterator[Answer]:
        if chain > MAX_CHAIN:
            return
        if isinstance(expr, nodes.Name):
            _scope, assignments = expr.lookup(expr.name)
            for assignment in assignments:
                annotation = _declared_annotation(assignment)
                if annotation is not None:
                    yield self.annotation(annotation)
                elif _is_plain_assignment(assignment):
                    # `tracer = await make_tracer()`: what the value is declared to be.
                    yield from self._declarations(assignment.parent.value, chain + 1)
        elif isinstance(expr, nodes.Attribute):
            for owner in inferred(expr.expr) or ():
                klass = _class_of(owner)
                if klass is not None:
                    for assignment in _members(klass, expr.attrname):
                        annotation = _declared_annotation(assignment)
                        if annotation is not None:
                            yield self.annotation(annotation)
        elif isinstance(expr, nodes.Call):
            if expr.args and _is_cast(expr.func):
                yield self.annotation(expr.args[0])
            else:
                yield from self._returns(expr.func, awaited=False)
        elif isinstance(expr, nodes.Await) and isinstance(expr.value, nodes.Call):
            yield from self._returns(expr.value.func, awaited=True)

    def _returns(self, func: Any, *, awaited: bool) -> Iterator[Answer]:
        for callee in inferred(func) or ():
            function = getattr(callee, "_proxied", callee)  # a bound method's function
            if not isinstance(function, nodes.FunctionDef) or function.returns is None:
                continue
            # Calling a coroutine function gives a coroutine; awaiting it gives what it returns.
            if isinstance(function, nodes.AsyncFunctionDef) is awaited:
                yield self.annotation(function.returns)

    def annotation(self, annotation: Any, depth: int = 0) -> Answer:
        """Whether an object declared with ``annotation`` is a tracer."""
        if depth > MAX_DEPTH:
            return Answer.UNKNOWN
        if isinstance(annotation, nodes.BinOp) and annotation.op == "|":
            return join(
                [
                    self.annotation(annotation.left, depth + 1),
                    self.annotation(annotation.right, depth + 1),
                ]
            )
        if isinstance(annotation, nodes.Subscript):
            return self._generic(annotation, depth)
        if isinstance(annotation, nodes.Const):
            # None in a union adds nothing; string annotations are left to the syntactic engine.
            return Answer.UNKNOWN
        return join(self._type(value) for value in inferred(annotation) or ())

    def _generic(self, annotation: nodes.Subscript, depth: int) -> Answer:
        heads = {_typing_name(value) for value in inferred(annotation.value) or ()}
        index = annotation.slice
        arguments = list(index.elts) if isinstance(index, nodes.Tuple) else [index]
        if heads in ({"Optional"}, {"Union"}):
            return join(self.annotation(argument, depth + 1) for argument in arguments)
        if len(heads) == 1 and heads <= WRAPPERS:
            return self.annotation(arguments[0], depth + 1)
        if not heads:
            return Answer.UNKNOWN
        return Answer.NO  # a container or another generic: not a tracer itself

    def _type(self, value: Any) -> Answer:
        if isinstance(value, nodes.ClassDef):
            if value.qname() in ANY_TYPES:
                return Answer.UNKNOWN
            return self._class_answer(value)
        return Answer.UNKNOWN  # a TypeVar, an alias astroid cannot read...


def is_annotated_parameter(expr: Any) -> bool:
    """Whether ``expr`` names a parameter that has an annotation (and nothing else): astroid
    infers a parameter from its default alone (``tracer: HoneyHiveTracer = _UNSET``), while
    callers pass what the annotation declares."""
    if not isinstance(expr, nodes.Name):
        return False
    try:
        _scope, assignments = expr.lookup(expr.name)
    except Exception:  # any failure means "cannot tell": see answers.inferred
        return False
    return bool(assignments) and all(
        isinstance(assignment.parent, nodes.Arguments)
        and _declared_annotation(assignment) is not None
        for assignment in assignments
    )


def _is_cast(func: Any) -> bool:
    """Whether ``func`` is ``typing.cast`` (however imported)."""
    return any(
        getattr(callee, "qname", lambda: "")() in CAST_FUNCTIONS for callee in inferred(func) or ()
    )


def _declared_annotation(assignment: Any) -> Any | None:
    """The annotation that declares the name or attribute ``assignment`` binds, if any."""
    parent = assignment.parent
    if isinstance(parent, nodes.AnnAssign) and parent.target is assignment:
        return parent.annotation
    if isinstance(parent, nodes.Arguments):
        return _parameter_annotation(parent, assignment)
    return None


def _is_plain_assignment(assignment: Any) -> bool:
    """``name = value``: one name, bound to the whole value."""
    parent = assignment.parent
    return isinstance(parent, nodes.Assign) and any(t is assignment for t in parent.targets)


def _class_of(owner: Any) -> nodes.ClassDef | None:
    """The class whose body declares ``owner``'s attributes: an instance's, or the class itself
    (``App.tracer`` with ``tracer: ClassVar[HoneyHiveTracer]`` in the body)."""
    if isinstance(owner, nodes.ClassDef):
        return owner
    proxied = getattr(owner, "_proxied", None)
    if isinstance(owner, bases.Instance) and isinstance(proxied, nodes.ClassDef):
        return proxied
    return None


def _members(klass: nodes.ClassDef, attribute: str) -> list[Any]:
    """Where the class nearest in ``klass``'s hierarchy binds or declares ``attribute``: in its
    body (``tracer: HoneyHiveTracer``, which ``getattr`` skips) or on ``self`` in a method."""
    for owner in (klass, *klass.ancestors()):
        found = [*owner.instance_attrs.get(attribute, ()), *owner.locals.get(attribute, ())]
        if found:
            return found
    return []


def _parameter_annotation(arguments: nodes.Arguments, parameter: Any) -> Any | None:
    groups = (
        (arguments.posonlyargs, arguments.posonlyargs_annotations),
        (arguments.args, arguments.annotations),
        (arguments.kwonlyargs, arguments.kwonlyargs_annotations),
    )
    for names, declared in groups:
        for name, annotation in zip(names or (), declared or (), strict=False):
            if name is parameter:
                return annotation
    return None  # *args and **kwargs are a tuple and a dict, whatever their items are


def _typing_name(value: Any) -> str:
    """``Optional``, ``Union``, ``Final``... however imported, or '' for anything else."""
    qname = value.qname() if hasattr(value, "qname") else ""
    module, _, name = str(qname).rpartition(".")
    return name if module in TYPING_MODULES else ""
