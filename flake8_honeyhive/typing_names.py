"""Names from `typing` that both plugins read in annotations and casts, defined once."""

from __future__ import annotations

from typing import Final

__all__ = ["ANY_TYPES", "CAST_FUNCTIONS", "TYPING_MODULES", "WRAPPERS"]

TYPING_MODULES: Final = frozenset({"typing", "typing_extensions"})
# Annotations that say nothing about what the object is.
ANY_TYPES: Final = frozenset({"typing.Any", "typing_extensions.Any", "builtins.object"})
# Forms whose first argument is the declared type itself: metadata and type qualifiers
# (`tracer: ClassVar[HoneyHiveTracer]`, `TRACER: Final[HoneyHiveTracer] = build()`).
WRAPPERS: Final = frozenset({"Annotated", "ClassVar", "Final"})
# `cast(HoneyHiveTracer, app.state.tracer)` declares what its value is, as an annotation does.
CAST_FUNCTIONS: Final = frozenset(f"{module}.cast" for module in TYPING_MODULES)
