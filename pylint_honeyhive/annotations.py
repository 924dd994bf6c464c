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
ValueAnswer = Callable[[Any], Answer]


class DeclaredTypes:
    """Answers "is it declared as a tracer?" for receivers whose value inference was silent."""

    def __init__(self, class_answer: ClassAnswer, value_answer: ValueAnswer) -> None:
        self._class_answer = class_answer
        self._value_answer = value_answer  # the whole question, for a member's assigned value

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
            owners = inferred(expr.expr) or []
            # An object inference cannot see, declared as an instance of a class
            # (`def handle(svc: ChatService)`): that class's members say what it holds.
            classes = [_class_of(owner) for owner in owners] or self._declared_classes(expr.expr)
            for klass in classes:
                if klass is not None:
                    yield from self._member(klass, expr.attrname)
        elif isinstance(expr, nodes.Call):
            if expr.args and _is_cast(expr.func):
                yield self.annotation(expr.args[0])
            else:
                yield from self._returns(expr.func, awaited=False)
        elif isinstance(expr, nodes.Await) and isinstance(expr.value, nodes.Call):
            yield from self._returns(expr.value.func, awaited=True)

    def _member(self, klass: nodes.ClassDef, attribute: str) -> Iterator[Answer]:
        """What the class declares or assigns as ``attribute``: ``tracer: HoneyHiveTracer`` in its
        body, or ``self.tracer = HoneyHiveTracer.init(...)`` (or ``= tracer``) in a method."""
        for assignment in _members(klass, attribute):
            annotation = _declared_annotation(assignment)
            if annotation is not None:
                yield self.annotation(annotation)
            elif _is_plain_assignment(assignment):
                yield self._value_answer(assignment.parent.value)

    def _declared_classes(self, expr: Any) -> list[nodes.ClassDef | None]:
        """The classes a name or attribute is declared as an instance of."""
        if isinstance(expr, nodes.Name):
            _scope, assignments = expr.lookup(expr.name)
            annotations = [_declared_annotation(assignment) for assignment in assignments]
        elif isinstance(expr, nodes.Attribute):
            owners = [_class_of(owner) for owner in inferred(expr.expr) or ()]
            annotations = [
                _declared_annotation(assignment)
                for klass in owners
                if klass is not None
                for assignment in _members(klass, expr.attrname)
            ]
        else:
            return []
        return [
            declared
            for annotation in annotations
            if annotation is not None
            for declared in self._types(annotation)
            if isinstance(declared, nodes.ClassDef)
        ]

    def _returns(self, func: Any, *, awaited: bool) -> Iterator[Answer]:
        for callee in inferred(func) or ():
            function = getattr(callee, "_proxied", callee)  # a bound method's function
            if not isinstance(function, nodes.FunctionDef) or function.returns is None:
                continue
            # Calling a coroutine function gives a coroutine; awaiting it gives what it returns.
            if isinstance(function, nodes.AsyncFunctionDef) is awaited:
                yield self.annotation(function.returns)

    def annotation(self, annotation: Any) -> Answer:
        """Whether an object declared with ``annotation`` is a tracer."""
        return join(
            self._class_answer(declared) if isinstance(declared, nodes.ClassDef) else declared
            for declared in self._types(annotation)
        )

    def _types(self, annotation: Any, depth: int = 0) -> Iterator[nodes.ClassDef | Answer]:
        """The classes ``annotation`` declares, through unions and qualifiers; an Answer where
        it declares no class: NO for a container or another generic, UNKNOWN for the rest."""
        if depth > MAX_DEPTH:
            yield Answer.UNKNOWN
        elif isinstance(annotation, nodes.BinOp) and annotation.op == "|":
            yield from self._types(annotation.left, depth + 1)
            yield from self._types(annotation.right, depth + 1)
        elif isinstance(annotation, nodes.Subscript):
            yield from self._generic(annotation, depth)
        elif isinstance(annotation, nodes.Const):
            # None in a union adds nothing; string annotations are left to the syntactic engine.
            yield Answer.UNKNOWN
        else:
            for value in inferred(annotation) or ():
                if isinstance(value, nodes.ClassDef) and value.qname() not in ANY_TYPES:
                    yield value
                else:
                    yield Answer.UNKNOWN  # Any, a TypeVar, an alias astroid cannot read...

    def _generic(
        self, annotation: nodes.Subscript, depth: int
    ) -> Iterator[nodes.ClassDef | Answer]:
        heads = {_typing_name(value) for value in inferred(annotation.value) or ()}
        index = annotation.slice
        arguments = list(index.elts) if isinstance(index, nodes.Tuple) else [index]
        if heads in ({"Optional"}, {"Union"}):
            for argument in arguments:
                yield from self._types(argument, depth + 1)
        elif len(heads) == 1 and heads <= WRAPPERS:
            yield from self._types(arguments[0], depth + 1)
        elif not heads:
            yield Answer.UNKNOWN
        else:
            yield Answer.NO  # a container or another generic: not a tracer itself


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
