"""Inference's verdicts on single expressions: what counts as a HoneyHive tracer, and what not.

Each case is a small module whose last marked expression (``#@``) is judged. The SDK is read
from source by astroid, as pylint reads it in a user's project.
"""

from __future__ import annotations

import astroid
import pytest

from pylint_honeyhive.answers import Answer
from pylint_honeyhive.inference import TracerInference

YES, NO, UNKNOWN = Answer.YES, Answer.NO, Answer.UNKNOWN


def tracer_answer(code: str) -> Answer:
    return TracerInference().is_tracer(astroid.extract_node(code))


# astroid follows every way the SDK builds a tracer, through the lazy `honeyhive/__init__.py`
# (PEP 562 `__getattr__`, names imported under TYPE_CHECKING): no inference tip is needed.
CONSTRUCTION = {
    "class call": "from honeyhive import HoneyHiveTracer\nHoneyHiveTracer(project='a') #@",
    "init classmethod": "from honeyhive import HoneyHiveTracer\nHoneyHiveTracer.init() #@",
    "module attribute": "import honeyhive\nhoneyhive.HoneyHiveTracer.init() #@",
    "submodule": "import honeyhive as hh\nhh.tracer.HoneyHiveTracer() #@",
    "defining module": "from honeyhive.tracer.core import HoneyHiveTracer as T\nT.init() #@",
    "star import": "from honeyhive import *\nHoneyHiveTracer.init() #@",
    "with statement": (
        "from honeyhive import HoneyHiveTracer\nwith HoneyHiveTracer.init() as t:\n    t #@"
    ),
    "subclass factory": (
        "from honeyhive import HoneyHiveTracer\nclass Mine(HoneyHiveTracer): ...\nMine.init() #@"
    ),
    "self in a subclass": (
        "from honeyhive import HoneyHiveTracer\n"
        "class Mine(HoneyHiveTracer):\n"
        "    def rebind(self):\n"
        "        self #@"
    ),
    "super() in a subclass": (
        "from honeyhive import HoneyHiveTracer\n"
        "class Mine(HoneyHiveTracer):\n"
        "    def enrich_session(self, *args, **kwargs):\n"
        "        super() #@"
    ),
    "tracer or None": (
        "from honeyhive import HoneyHiveTracer\n"
        "t = None\n"
        "def setup(flag):\n"
        "    global t\n"
        "    t = HoneyHiveTracer.init() if flag else None\n"
        "def use():\n"
        "    t #@"
    ),
}

NOT_TRACERS = {
    "the class itself": "from honeyhive import HoneyHiveTracer\nHoneyHiveTracer #@",
    "the honeyhive module": "import honeyhive\nhoneyhive #@",
    "Mock": "from unittest.mock import Mock\nMock() #@",
    "MagicMock with a spec": (
        "from unittest.mock import MagicMock\n"
        "from honeyhive import HoneyHiveTracer\n"
        "MagicMock(spec=HoneyHiveTracer) #@"
    ),
    "a local look-alike": "class HoneyHiveTracer:\n    pass\nHoneyHiveTracer() #@",
    "a bound method": "from honeyhive import HoneyHiveTracer\nHoneyHiveTracer.init().trace #@",
    "a tracer or a string": (
        "from honeyhive import HoneyHiveTracer\n"
        "def pick(flag):\n"
        "    t = HoneyHiveTracer.init() if flag else 'tracer'\n"
        "    t #@"
    ),
    "a container of tracers": "from honeyhive import HoneyHiveTracer\n[HoneyHiveTracer()] #@",
}

UNDECIDED = {
    "an unannotated parameter": "def f(tracer):\n    tracer #@",
    "None alone": "t = None\nt #@",
    "an unresolvable import": "from nowhere import tracer\ntracer #@",
    "an instance of a class with an unresolvable base": (
        "from nowhere import Base\nclass Mine(Base): ...\nMine() #@"
    ),
    "a parameter annotated with Any": "from typing import Any\ndef f(t: Any):\n    t #@",
    "a string annotation (left to the syntactic engine)": "def f(t: 'HoneyHiveTracer'):\n    t #@",
}

# What declared types add where values cannot be inferred.
DECLARED = {
    "parameter": (YES, "HoneyHiveTracer"),
    "Optional": (YES, "Optional[HoneyHiveTracer]"),
    "Union with None": (YES, "Union[HoneyHiveTracer, None]"),
    "PEP 604 union": (YES, "HoneyHiveTracer | None"),
    "Annotated": (YES, "Annotated[HoneyHiveTracer, 'request scoped']"),
    "a subclass": (YES, "Mine"),
    "another type": (NO, "int"),
    "a union with another type": (NO, "HoneyHiveTracer | int"),
    "a container": (NO, "list[HoneyHiveTracer]"),
}


@pytest.mark.parametrize("code", CONSTRUCTION.values(), ids=CONSTRUCTION.keys())
def test_tracers(code: str) -> None:
    assert tracer_answer(code) is YES


@pytest.mark.parametrize("code", NOT_TRACERS.values(), ids=NOT_TRACERS.keys())
def test_not_tracers(code: str) -> None:
    assert tracer_answer(code) is NO


@pytest.mark.parametrize("code", UNDECIDED.values(), ids=UNDECIDED.keys())
def test_undecided_is_left_to_syntax(code: str) -> None:
    assert tracer_answer(code) is UNKNOWN


@pytest.mark.parametrize(("expected", "annotation"), DECLARED.values(), ids=DECLARED.keys())
def test_declared_types(expected: Answer, annotation: str) -> None:
    prelude = (
        "from typing import Annotated, Optional, Union\n"
        "from honeyhive import HoneyHiveTracer\n"
        "class Mine(HoneyHiveTracer): ...\n"
    )
    as_parameter = f"{prelude}def f(t: {annotation}):\n    t #@"
    as_declaration = f"{prelude}t: {annotation}\nt #@"
    as_class_member = (
        f"{prelude}class Holder:\n    t: {annotation}\n    def f(self):\n        self.t #@"
    )
    as_return = f"{prelude}def make() -> {annotation}:\n    return registry()\nmake() #@"
    as_awaited = (
        f"{prelude}async def make() -> {annotation}: ...\n"
        "async def use():\n    t = await make()\n    t #@"
    )
    for code in (as_parameter, as_declaration, as_class_member, as_return, as_awaited):
        assert tracer_answer(code) is expected, code


# Type qualifiers wrap the declared type; each where Python allows it. `build()` cannot be inferred.
QUALIFIED = {
    "Final variable": "TRACER: Final[HoneyHiveTracer] = build()\nTRACER #@",
    "typing_extensions.Final": (
        "import typing_extensions\nTRACER: typing_extensions.Final[HoneyHiveTracer] = build()\n"
        "TRACER #@"
    ),
    "Final class member": (
        "class App:\n    tracer: Final[HoneyHiveTracer] = build()\n"
        "    def f(self):\n        self.tracer #@"
    ),
    "ClassVar on an instance": (
        "class App:\n    tracer: ClassVar[HoneyHiveTracer]\n"
        "    def f(self):\n        self.tracer #@"
    ),
    "ClassVar on the class": (
        "class App:\n    tracer: ClassVar[Optional[HoneyHiveTracer]]\nApp.tracer #@"
    ),
}


@pytest.mark.parametrize("code", QUALIFIED.values(), ids=QUALIFIED.keys())
def test_type_qualifiers_declare_the_type_they_wrap(code: str) -> None:
    prelude = (
        "from typing import ClassVar, Final, Optional\n"
        "from nowhere import build\n"
        "from honeyhive import HoneyHiveTracer\n"
    )
    assert tracer_answer(prelude + code) is YES
    assert tracer_answer(prelude + code.replace("HoneyHiveTracer]", "int]")) is NO


# astroid infers a parameter from its default alone; callers pass what the annotation declares.
ANNOTATED_PARAMETERS = {
    "a sentinel default": (YES, "t: HoneyHiveTracer = _UNSET"),
    "an Ellipsis default": (YES, "t: Optional[HoneyHiveTracer] = ..."),
    "another declared type": (NO, "t: int = _UNSET"),
    "a string annotation (left to syntax)": (UNKNOWN, "t: 'HoneyHiveTracer' = _UNSET"),
    "no annotation: the default is all there is": (NO, "t=_UNSET"),
}


@pytest.mark.parametrize(
    ("expected", "parameter"), ANNOTATED_PARAMETERS.values(), ids=ANNOTATED_PARAMETERS.keys()
)
def test_a_default_does_not_refute_an_annotation(expected: Answer, parameter: str) -> None:
    code = (
        "from typing import Optional\n"
        "from honeyhive import HoneyHiveTracer\n"
        "_UNSET = object()\n"
        f"def f({parameter}):\n"
        "    t #@"
    )
    assert tracer_answer(code) is expected


def test_a_coroutine_is_not_what_it_returns() -> None:
    code = (
        "from honeyhive import HoneyHiveTracer\nasync def make() -> HoneyHiveTracer: ...\nmake() #@"
    )
    assert tracer_answer(code) is not YES


FREE_DECORATORS = {
    "trace": ("from honeyhive import trace\ntrace #@", "trace"),
    "aliased atrace": ("from honeyhive import atrace as a\na #@", "atrace"),
    "module attribute": ("import honeyhive\nhoneyhive.trace_class #@", "trace_class"),
    "submodule attribute": ("import honeyhive as hh\nhh.tracer.trace #@", "trace"),
    "renamed": ("import honeyhive\nstep = honeyhive.trace\nstep #@", "trace"),
}
NOT_FREE_DECORATORS = {
    "the tracer's method": "from honeyhive import HoneyHiveTracer\nHoneyHiveTracer().trace #@",
    "a local function": "def trace(session_id=None): ...\ntrace #@",
    "the free enrich_session": "from honeyhive import enrich_session\nenrich_session #@",
    "the tracer class": "from honeyhive import HoneyHiveTracer\nHoneyHiveTracer #@",
}


@pytest.mark.parametrize(("code", "name"), FREE_DECORATORS.values(), ids=FREE_DECORATORS.keys())
def test_free_decorators(code: str, name: str) -> None:
    assert TracerInference().free_decorator(astroid.extract_node(code)) == (YES, name)


@pytest.mark.parametrize("code", NOT_FREE_DECORATORS.values(), ids=NOT_FREE_DECORATORS.keys())
def test_not_free_decorators(code: str) -> None:
    assert TracerInference().free_decorator(astroid.extract_node(code))[0] is NO


def test_setattr_is_the_builtin_unless_shadowed() -> None:
    inference = TracerInference()
    assert inference.is_builtin(astroid.extract_node("setattr #@"), "builtins.setattr") is YES
    shadowed = "def setattr(*args): ...\nsetattr #@"
    assert inference.is_builtin(astroid.extract_node(shadowed), "builtins.setattr") is NO


# astroid infers nothing from a comprehension; its elements are what its expression is.
COMPREHENSIONS = {
    "iterated": (YES, "for t in ts:\n    t #@"),
    "indexed": (YES, "ts[0] #@"),
    "unpacked": (YES, "first, *rest = ts\nfirst #@"),
    "in another comprehension": (YES, "[t for t in ts][0] #@"),
    "a dict comprehension, indexed": (YES, "by = {p: HoneyHiveTracer() for p in ps}\nby['a'] #@"),
    "the starred rest, a list": (UNKNOWN, "first, *rest = ts\nrest #@"),
    "a slice, a list": (UNKNOWN, "ts[1:] #@"),
    "a comprehension of strings": (NO, "names = [p.upper() for p in ps]\nnames[0] #@"),
}


@pytest.mark.parametrize(("expected", "code"), COMPREHENSIONS.values(), ids=COMPREHENSIONS.keys())
def test_elements_of_comprehensions(expected: Answer, code: str) -> None:
    prelude = (
        "from honeyhive import HoneyHiveTracer\n"
        "ps = ['a', 'b']\n"
        "ts = [HoneyHiveTracer.init(project=p) for p in ps]\n"
    )
    assert tracer_answer(prelude + code) is expected


# An object inference cannot see, declared as an instance of a class: what the class holds.
HOLDERS = {
    "made in __init__": (YES, "self.tracer = HoneyHiveTracer.init()"),
    "given to __init__": (YES, "self.tracer = tracer"),
    "declared in the body": (YES, "pass\n    tracer: HoneyHiveTracer"),
    "something else": (NO, "self.tracer = 'not a tracer'"),
    "set from outside": (UNKNOWN, "pass"),
}


@pytest.mark.parametrize(("expected", "member"), HOLDERS.values(), ids=HOLDERS.keys())
def test_attributes_of_declared_instances(expected: Answer, member: str) -> None:
    code = (
        "from honeyhive import HoneyHiveTracer\n"
        "class Service:\n"
        "    def __init__(self, tracer: HoneyHiveTracer):\n"
        f"        {member}\n"
        "def handle(service: Service):\n"
        "    service.tracer #@"
    )
    assert tracer_answer(code) is expected


def test_a_copy_of_the_sdk_is_recognised_by_where_it_defines_the_tracer() -> None:
    """A checkout of 1.7 defines the class in `honeyhive.tracer.core.tracer`; a module of one's
    own that defines a class of that name does not define the SDK's."""
    source = "class HoneyHiveTracer:\n    def create_session(self): ...\n"
    inference = TracerInference()
    for module_name, expected in (
        ("honeyhive.tracer.core.tracer", YES),
        ("honeyhive", YES),
        ("myapp.honeyhive.tracer", NO),
        ("honeyhive.api.client", NO),
    ):
        klass = astroid.parse(source, module_name=module_name).body[0]
        assert inference.is_tracer_class(klass) is expected, module_name
