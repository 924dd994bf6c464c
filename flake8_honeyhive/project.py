"""What other checked modules' names hold, read from their summaries.

A module's summary (see :mod:`flake8_honeyhive.summary`) says what each of its top-level names
is, in plain tuples: a tracer, the tracer class, a function and what it returns, a class and what
its attributes hold, or a reference to a name of another module (an import, a re-export, the
result of calling an imported function, an instance of an imported class). References are
resolved here, when a module that imports the name is checked: through the summaries of the
modules given, at most ``MAX_DEPTH`` references deep; a cycle, or a name of a module without a
summary, stays unknown, exactly as if it were not resolved at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from flake8_honeyhive.values import (
    NONE,
    OTHER,
    TRACER,
    TRACER_CLASS,
    TRACER_FACTORY,
    UNKNOWN,
    Kind,
    Value,
    imported,
    is_honeyhive,
)

__all__ = ["MAX_DEPTH", "Export", "Project", "Summaries", "Summary"]

# Plain data, for the cache (marshal) and for worker processes (pickle):
#   ("tracer",) ("tracer_class",) ("factory",) ("other",) ("none",)
#   ("ref", qualname, is_module)        another name, imported or re-exported
#   ("result", qualname)                what calling that name returns
#   ("annotated", qualname)             an object declared with that name as its type
#   ("instance", class qualname)        an instance of a class of the project
#   ("function", returns, is_async)
#   ("class", ((attribute, export), ...))  a class that is not a tracer class
Export = tuple[Any, ...]
Summary = tuple[tuple[str, Export], ...]  # a module's top-level names and what each holds
Summaries = tuple[tuple[str, Summary], ...]  # modules by name, as jobs carry them

_REFERENCES: Final = frozenset({"ref", "result", "annotated", "instance"})
MAX_DEPTH: Final = 16  # references followed for one name: re-export chains are short

_PLAIN: Final = {
    "tracer": TRACER,
    "tracer_class": TRACER_CLASS,
    "factory": TRACER_FACTORY,
    "other": OTHER,
    "none": NONE,
}


class Project:
    """Answers "what is ``module.name``?" for the modules it has summaries of."""

    def __init__(self, summaries: Mapping[str, Summary]) -> None:
        self._modules = {module: dict(summary) for module, summary in summaries.items()}
        self._values: dict[str, Value | None] = {}
        self._exports: dict[str, Export] = {}  # functions and classes, by qualified name
        self._resolving: list[str] = []

    def value(self, qualname: str) -> Value | None:
        """The value of ``qualname`` (`app.tracing.tracer`), or None if no summary says."""
        if qualname in self._values:
            return self._values[qualname]
        if qualname in self._resolving or len(self._resolving) >= MAX_DEPTH:
            return UNKNOWN  # a cycle of re-exports, or a chain too long to be real
        self._resolving.append(qualname)
        try:
            value = self._resolve(qualname)
        finally:
            self._resolving.pop()
        self._values[qualname] = value
        return value

    def attribute(self, qualname: str, attribute: str) -> Value:
        """An attribute of a class of the project, or of one of its instances."""
        export = self._exports.get(qualname)
        if export is None or export[0] != "class":
            return UNKNOWN
        attributes: dict[str, Export] = dict(export[1])
        found = attributes.get(attribute)
        if found is None:
            return UNKNOWN  # set from outside, or inherited from a class the summary cannot see
        return self._from_export(f"{qualname}.{attribute}", found)

    def returns(self, qualname: str) -> Value:
        """What calling the function ``qualname`` returns: a coroutine, if it is async."""
        export = self._exports.get(qualname)
        if export is None or export[0] != "function":
            return UNKNOWN
        if export[2]:
            return OTHER
        return self._from_export(f"{qualname}()", export[1])

    def awaited(self, qualname: str) -> Value:
        """What awaiting a call of the async function ``qualname`` gives."""
        export = self._exports.get(qualname)
        if export is None or export[0] != "function" or not export[2]:
            return UNKNOWN
        return self._from_export(f"{qualname}()", export[1])

    def _resolve(self, qualname: str) -> Value | None:
        module, _, name = qualname.rpartition(".")
        if qualname in self._modules:
            return Value(Kind.MODULE, qualname)
        if module in self._modules:
            export = self._modules[module].get(name)
            return None if export is None else self._from_export(qualname, export)
        if not module:
            return None
        owner = self.value(module)  # `app.tracing.App.tracer`: an attribute of a name
        if owner is None:
            return None
        if owner.kind is Kind.PROJECT_CLASS or owner.kind is Kind.PROJECT_INSTANCE:
            return self.attribute(owner.qualname, name)
        return UNKNOWN

    def _from_export(self, qualname: str, export: Export) -> Value:
        tag = export[0]
        plain = _PLAIN.get(str(tag))
        if plain is not None:
            return plain
        if tag == "function":
            self._exports[qualname] = export
            return Value(Kind.PROJECT_FUNCTION, qualname)
        if tag == "class":
            self._exports[qualname] = export
            return Value(Kind.PROJECT_CLASS, qualname)
        if tag not in _REFERENCES:
            return UNKNOWN  # ("unknown",): a function whose result the summary cannot say
        target = str(export[1])
        if tag == "ref":
            return self._reference(target, is_module=bool(export[2]))
        if tag == "result":
            return self._call(self._reference(target))
        if tag == "annotated":
            return self._declared(self._reference(target), target)
        return self._call(self._reference(target))  # an instance: what calling its class makes

    def _reference(self, qualname: str, *, is_module: bool = False) -> Value:
        found = None if is_honeyhive(qualname) else self.value(qualname)
        return imported(qualname, is_module=is_module) if found is None else found

    def _call(self, callee: Value) -> Value:
        kind = callee.kind
        if kind is Kind.TRACER_CLASS or kind is Kind.TRACER_FACTORY:
            return TRACER
        if kind is Kind.PROJECT_CLASS:
            return Value(Kind.PROJECT_INSTANCE, callee.qualname)
        if kind is Kind.PROJECT_FUNCTION:
            return self.returns(callee.qualname)
        return UNKNOWN

    @staticmethod
    def _declared(annotation: Value, qualname: str) -> Value:
        """An object annotated with ``qualname``, as the engine reads annotations."""
        if annotation.kind is Kind.TRACER_CLASS:
            return TRACER
        if annotation.kind is Kind.PROJECT_CLASS:
            return Value(Kind.PROJECT_INSTANCE, annotation.qualname)
        return Value(Kind.OBJECT, qualname)
