"""Inference's answers to the two questions the rules ask: "is this a HoneyHive tracer?" and "is
this callee one of the SDK's free decorators?".

Each answer joins every value astroid infers (see :func:`~pylint_honeyhive.answers.join`). A
receiver whose values say nothing is then judged by its declared type. When that says nothing
either, the answer is UNKNOWN and the checker falls back to the syntactic engine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from astroid import bases, nodes, objects

from flake8_honeyhive.rules import is_sdk_decorator, is_sdk_tracer_class
from pylint_honeyhive.annotations import DeclaredTypes, is_annotated_parameter
from pylint_honeyhive.answers import Answer, inferred, join
from pylint_honeyhive.elements import element_expressions
from pylint_honeyhive.syntax import session_fields

__all__ = ["TracerInference", "in_sdk_tracer_class"]

PARTIAL: Final = "partial"
FUNCTOOLS_MODULES: Final = frozenset({"functools", "_functools"})
# How deep one receiver's judgement may lead into others' (a member's value, an element's).
MAX_NESTING: Final = 16


class TracerInference:
    """Answers for one pylint run; class verdicts are cached, as astroid caches the classes."""

    def __init__(self) -> None:
        self._classes: dict[nodes.ClassDef, Answer] = {}
        self._declared = DeclaredTypes(self.is_tracer_class, self.is_tracer)
        self._judging: set[int] = set()  # ids of the receivers being judged: a cycle says nothing

    def is_tracer(self, node: Any) -> Answer:
        """Whether ``node`` evaluates to an instance of ``HoneyHiveTracer`` or a subclass."""
        key = id(node)
        if key in self._judging or len(self._judging) > MAX_NESTING:
            return Answer.UNKNOWN
        self._judging.add(key)
        try:
            return self._judge(node)
        finally:
            self._judging.discard(key)

    def _judge(self, node: Any) -> Answer:
        values = inferred(node)
        answer = Answer.UNKNOWN
        if values is not None:
            answer = join(self._instance_answer(value) for value in values)
        if answer is Answer.NO and is_annotated_parameter(node):
            answer = Answer.UNKNOWN  # a default refutes nothing: the annotation decides
        if answer is Answer.UNKNOWN:
            answer = self._declared.is_tracer(node)
        if answer is Answer.UNKNOWN:
            answer = join(self.is_tracer(element) for element in element_expressions(node))
        return answer

    def is_tracer_class_object(self, node: Any) -> Answer:
        """Whether ``node`` evaluates to ``HoneyHiveTracer`` itself or a subclass (the class,
        not an instance): ``HoneyHiveTracer.session_id = ...``, ``cls`` in its classmethods."""
        values = inferred(node)
        if values is None:
            return Answer.UNKNOWN
        return join(
            self.is_tracer_class(value) if isinstance(value, nodes.ClassDef) else Answer.NO
            for value in values
        )

    def free_decorator(self, node: Any) -> tuple[Answer, str]:
        """Whether ``node`` evaluates to ``trace``, ``atrace`` or ``trace_class``, and which."""
        values = inferred(node)
        if values is None:
            return Answer.UNKNOWN, ""
        answers: list[Answer] = []
        name = ""
        for value in values:
            if isinstance(value, nodes.FunctionDef) and _defined_by_the_sdk(
                value, is_sdk_decorator
            ):
                answers.append(Answer.YES)
                name = str(value.name)
            else:
                answers.append(Answer.NO)
        return join(answers), name

    def is_partial(self, node: Any) -> Answer:
        """Whether ``node`` is ``functools.partial`` (astroid also offers the C module's, in
        a module it names ``_functools.functools``)."""
        values = inferred(node)
        if values is None:
            return Answer.UNKNOWN
        return join(
            Answer.YES
            if isinstance(value, nodes.ClassDef)
            and value.name == PARTIAL
            and value.root().name.rpartition(".")[2] in FUNCTOOLS_MODULES
            else Answer.NO
            for value in values
        )

    def holds_session_id(self, variables: list[nodes.Name]) -> Answer:
        """Whether a dict unpacked from one of ``variables`` (``**fields``) holds a session id."""
        answers = []
        for variable in variables:
            values = inferred(variable)
            if values is None:
                answers.append(Answer.UNKNOWN)
            else:
                answers.append(
                    join(Answer.YES if session_fields(value) else Answer.NO for value in values)
                )
        # One variable that holds a session id suffices; the others may hold anything.
        if Answer.YES in answers:
            return Answer.YES
        return Answer.UNKNOWN if Answer.UNKNOWN in answers else Answer.NO

    def is_builtin(self, node: Any, qualname: str) -> Answer:
        """Whether ``node`` is the builtin ``qualname`` (``builtins.setattr``), not a shadow."""
        values = inferred(node)
        if values is None:
            return Answer.UNKNOWN
        return join(
            Answer.YES
            if isinstance(value, nodes.FunctionDef) and value.qname() == qualname
            # Anything else with that name is the user's own function.
            else Answer.NO
            for value in values
        )

    def _instance_answer(self, value: Any) -> Answer:
        if isinstance(value, objects.Super):
            value = value.type  # `super()` in a tracer subclass's method is still the tracer
        if not isinstance(value, bases.Instance):
            # Modules, classes, functions, bound methods: the tracer class itself is no tracer.
            return Answer.NO
        proxied = getattr(value, "_proxied", None)
        if not isinstance(proxied, nodes.ClassDef):
            return Answer.UNKNOWN
        return self.is_tracer_class(proxied)

    def is_tracer_class(self, klass: nodes.ClassDef) -> Answer:
        """YES for HoneyHiveTracer and its subclasses; UNKNOWN when a base cannot be inferred,
        since it may be the tracer class."""
        known = self._classes.get(klass)
        if known is None:
            self._classes[klass] = Answer.UNKNOWN  # a cyclic hierarchy decides nothing
            known = self._classes[klass] = _class_answer(klass)
        return known


def _class_answer(klass: nodes.ClassDef) -> Answer:
    try:
        hierarchy = [klass, *klass.ancestors()]
    except Exception:  # any failure means "cannot tell": see answers.inferred
        return Answer.UNKNOWN
    if any(_defined_by_the_sdk(ancestor, is_sdk_tracer_class) for ancestor in hierarchy):
        return Answer.YES
    for ancestor in hierarchy:
        for base in ancestor.bases:
            values = inferred(base)
            if not values or not any(isinstance(value, nodes.ClassDef) for value in values):
                return Answer.UNKNOWN  # a base astroid cannot follow may be the tracer class
    return Answer.NO


def _defined_by_the_sdk(definition: Any, is_sdk_object: Callable[[str, str], bool]) -> bool:
    """Whether a class or function is the SDK's, in any version: defined at the top of a module
    of the SDK (see honeyhive.rules.is_sdk_tracer_class), with the name the SDK gives it."""
    parent = definition.parent
    return isinstance(parent, nodes.Module) and is_sdk_object(str(parent.name), definition.name)


def in_sdk_tracer_class(node: Any) -> bool:
    """Whether ``node`` is in the body of the SDK's own tracer class, any version: there, its
    methods implement what the rules forbid to callers."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.ClassDef) and _defined_by_the_sdk(parent, is_sdk_tracer_class):
            return True
        parent = parent.parent
    return False
