"""Tracers built by comprehensions: ``[HoneyHiveTracer.init(project=p) for p in projects]``.

astroid infers a comprehension, and so every name and subscript drawn from it, as Uninferable.
Its elements are still what its element expression is. This module finds, for a receiver whose
value inference cannot give, the element expressions of the comprehensions it is drawn from:

- ``for tracer in tracers:`` (a loop or a comprehension's ``for``), ``tracers[0]``,
- ``first, second = tracers`` (but not a starred ``*rest``, which is a list),

with ``tracers`` bound to a comprehension here, or in the module it is imported from.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from astroid import nodes

__all__ = ["element_expressions"]

# How many plain assignments and imports are followed from a name to its comprehension.
MAX_HOPS: Final = 4
SEQUENCES: Final = (nodes.ListComp, nodes.SetComp, nodes.GeneratorExp)


def element_expressions(expr: Any) -> Iterator[Any]:
    """The element expressions of the comprehensions that ``expr`` is an element of."""
    try:
        if isinstance(expr, nodes.Subscript) and not isinstance(expr.slice, nodes.Slice):
            for comprehension in _comprehensions(expr.value, 0):
                if isinstance(comprehension, nodes.ListComp):
                    yield comprehension.elt
                elif isinstance(comprehension, nodes.DictComp):
                    yield comprehension.value
        elif isinstance(expr, nodes.Name):
            _scope, assignments = expr.lookup(expr.name)
            for assignment in assignments:
                yield from _drawn(assignment)
    except Exception:  # any failure means "cannot tell": see answers.inferred
        return


def _drawn(assignment: Any) -> Iterator[Any]:
    """What an element-binding assignment binds: a loop's target, or an unpacked name."""
    parent = assignment.parent
    if isinstance(parent, nodes.For | nodes.Comprehension) and parent.target is assignment:
        source = parent.iter
    elif (
        isinstance(parent, nodes.Tuple | nodes.List)
        and isinstance(parent.parent, nodes.Assign)
        and any(target is parent for target in parent.parent.targets)
    ):
        source = parent.parent.value
    else:
        return
    for comprehension in _comprehensions(source, 0):
        if isinstance(comprehension, SEQUENCES):
            yield comprehension.elt
        # Iterating a dict comprehension gives its keys: no tracer.


def _comprehensions(expr: Any, hops: int) -> Iterator[Any]:
    """The comprehensions ``expr`` is bound to, through names, imports and module attributes."""
    if hops > MAX_HOPS:
        return
    if isinstance(expr, (*SEQUENCES, nodes.DictComp)):
        yield expr
    elif isinstance(expr, nodes.Name):
        _scope, assignments = expr.lookup(expr.name)
        for assignment in assignments:
            yield from _assigned(assignment, expr.name, hops + 1)
    elif isinstance(expr, nodes.Attribute):
        for owner in expr.expr.infer():
            if isinstance(owner, nodes.Module):
                for assignment in owner.getattr(expr.attrname):
                    yield from _assigned(assignment, expr.attrname, hops + 1)


def _assigned(assignment: Any, name: str, hops: int) -> Iterator[Any]:
    """The comprehensions a name's binding assigns: ``name = <expr>``, or an import of one."""
    parent = assignment.parent
    if isinstance(assignment, nodes.AssignName) and isinstance(parent, nodes.Assign):
        if any(target is assignment for target in parent.targets):
            yield from _comprehensions(parent.value, hops)
    elif isinstance(assignment, nodes.ImportFrom):
        module = assignment.do_import_module(assignment.modname)
        for found in module.getattr(assignment.real_name(name)):
            yield from _assigned(found, assignment.real_name(name), hops + 1)
