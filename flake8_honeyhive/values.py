"""What an expression may evaluate to, as far as one module's syntax can tell."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Final, NamedTuple

from flake8_honeyhive.rules import PUBLIC_MODULES, is_sdk_tracer_class
from flake8_honeyhive.rules import TRACER_CLASS as _TRACER_CLASS_NAME

if TYPE_CHECKING:
    from flake8_honeyhive.scopes import ClassInfo, FunctionInfo


class Kind(enum.Enum):
    TRACER = enum.auto()  # a HoneyHiveTracer instance
    TRACER_CLASS = enum.auto()  # HoneyHiveTracer itself, or a subclass defined in the module
    TRACER_FACTORY = enum.auto()  # HoneyHiveTracer.init
    MODULE = enum.auto()  # a module object: `import x`, or one of honeyhive's public modules
    IMPORTED = enum.auto()  # `from m import name`: an object known only by its qualified name
    FUNCTION = enum.auto()  # a function defined in the module
    LOCAL_CLASS = enum.auto()  # a class defined in the module
    INSTANCE = enum.auto()  # an instance of a class defined in the module (`self` included)
    OBJECT = enum.auto()  # an instance of another known type (from an annotation)
    NONE = enum.auto()
    SESSION_FIELDS = enum.auto()  # a dict with a `session_id` that is not None, to unpack as `**`
    OTHER = enum.auto()  # known not to be a tracer: literals, mocks, bound methods...
    UNKNOWN = enum.auto()
    # Another checked module's objects, by qualified name (see flake8_honeyhive.project).
    PROJECT_FUNCTION = enum.auto()
    PROJECT_CLASS = enum.auto()  # a class that is not a tracer class
    PROJECT_INSTANCE = enum.auto()
    # What calling an imported name returns, kept by name for another module's summary to say;
    # unknown to a module read alone.
    RESULT = enum.auto()


class Verdict(enum.Enum):
    """The only question the rules ask of a receiver: is it a HoneyHive tracer?"""

    TRACER = enum.auto()
    UNKNOWN = enum.auto()
    NOT_TRACER = enum.auto()


class Value(NamedTuple):
    kind: Kind
    qualname: str = ""
    class_info: ClassInfo | None = None
    function: FunctionInfo | None = None

    @property
    def verdict(self) -> Verdict:
        if self.kind is Kind.TRACER:
            return Verdict.TRACER
        if self.kind is Kind.UNKNOWN or self.kind is Kind.RESULT:
            return Verdict.UNKNOWN
        # An object imported from another project module may well be a tracer; anything the SDK
        # itself exports under that name (a module, a function) is not.
        if self.kind is Kind.IMPORTED and not is_honeyhive(self.qualname):
            return Verdict.UNKNOWN
        return Verdict.NOT_TRACER


TRACER: Final = Value(Kind.TRACER)
TRACER_CLASS: Final = Value(Kind.TRACER_CLASS)
TRACER_FACTORY: Final = Value(Kind.TRACER_FACTORY)
NONE: Final = Value(Kind.NONE)
SESSION_FIELDS: Final = Value(Kind.SESSION_FIELDS)
OTHER: Final = Value(Kind.OTHER)
UNKNOWN: Final = Value(Kind.UNKNOWN)
_TRACER_SUFFIX: Final = f".{_TRACER_CLASS_NAME}"


def is_honeyhive(qualname: str) -> bool:
    """Whether ``qualname`` is honeyhive or anything in it."""
    return qualname == "honeyhive" or qualname.startswith("honeyhive.")


def imported(qualname: str, *, is_module: bool = False) -> Value:
    """The value of a name bound by an import of ``qualname``."""
    if qualname.endswith(_TRACER_SUFFIX):  # most imports are something else: skip the split
        module, _, name = qualname.rpartition(".")
        if is_sdk_tracer_class(module, name):
            return TRACER_CLASS
    if is_module or qualname in PUBLIC_MODULES:
        return Value(Kind.MODULE, qualname)
    return Value(Kind.IMPORTED, qualname)


def join(values: list[Value]) -> Value:
    """One value for a name with several possible bindings.

    ``None`` alongside a tracer is still a tracer (``Optional``). Anything known not to be a
    tracer makes the whole join "not a tracer": the rules never report what may be something else.
    """
    if len(set(values)) == 1:
        return values[0]
    verdicts = {value.verdict for value in values if value.kind is not Kind.NONE}
    if not verdicts:
        return NONE
    if Verdict.NOT_TRACER in verdicts:
        return OTHER
    if Verdict.TRACER in verdicts:
        return TRACER
    return UNKNOWN
