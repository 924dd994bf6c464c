"""Inference's answers to the two questions the rules ask: "is this a HoneyHive tracer?" and "is
this callee one of the SDK's free decorators?".

Each answer joins every value astroid infers (see :func:`~pylint_honeyhive.answers.join`). A
receiver whose values say nothing is then judged by its declared type. When that says nothing
either, the answer is UNKNOWN and the checker falls back to the syntactic engine.
"""

from __future__ import annotations

from typing import Any

from astroid import bases, nodes, objects

from flake8_honeyhive.rules import DECORATOR_QUALNAMES, TRACER_CLASS_QUALNAMES
from pylint_honeyhive.annotations import DeclaredTypes, is_annotated_parameter
from pylint_honeyhive.answers import Answer, inferred, join

__all__ = ["TracerInference"]


class TracerInference:
    """Answers for one pylint run; class verdicts are cached, as astroid caches the classes."""

    def __init__(self) -> None:
        self._classes: dict[nodes.ClassDef, Answer] = {}
        self._declared = DeclaredTypes(self.is_tracer_class)

    def is_tracer(self, node: Any) -> Answer:
        """Whether ``node`` evaluates to an instance of ``HoneyHiveTracer`` or a subclass."""
        values = inferred(node)
        answer = Answer.UNKNOWN
        if values is not None:
            answer = join(self._instance_answer(value) for value in values)
        if answer is Answer.NO and is_annotated_parameter(node):
            answer = Answer.UNKNOWN  # a default refutes nothing: the annotation decides
        if answer is Answer.UNKNOWN:
            answer = self._declared.is_tracer(node)
        return answer

    def free_decorator(self, node: Any) -> tuple[Answer, str]:
        """Whether ``node`` evaluates to ``trace``, ``atrace`` or ``trace_class``, and which."""
        values = inferred(node)
        if values is None:
            return Answer.UNKNOWN, ""
        answers: list[Answer] = []
        name = ""
        for value in values:
            if isinstance(value, nodes.FunctionDef) and value.qname() in DECORATOR_QUALNAMES:
                answers.append(Answer.YES)
                name = str(value.name)
            else:
                answers.append(Answer.NO)
        return join(answers), name

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
    if any(ancestor.qname() in TRACER_CLASS_QUALNAMES for ancestor in hierarchy):
        return Answer.YES
    for ancestor in hierarchy:
        for base in ancestor.bases:
            values = inferred(base)
            if not values or not any(isinstance(value, nodes.ClassDef) for value in values):
                return Answer.UNKNOWN  # a base astroid cannot follow may be the tracer class
    return Answer.NO
