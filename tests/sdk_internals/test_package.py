"""The package surface: cheap import, lazy exports, ``-W`` filters, agreement with the catalog."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import typing
from collections.abc import Callable
from pathlib import Path

import pytest

import honeyhive
import honeyhive.tracer
from honeyhive import errors, rules
from honeyhive.tracer import core, decorators, enrich

REPO_ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, **(env or {})},
        timeout=60,
        check=False,
    )


def test_import_honeyhive_and_rules_loads_no_opentelemetry() -> None:
    result = run(
        "-c",
        "import honeyhive, honeyhive.rules, sys; "
        "print(sorted(m for m in sys.modules if m.startswith(('opentelemetry', 'requests'))))",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_tracer_name_loads_the_tracer_on_first_use() -> None:
    result = run(
        "-c",
        "import sys, honeyhive; assert 'honeyhive.tracer' not in sys.modules; "
        "t = honeyhive.HoneyHiveTracer; print(t.__module__, 'honeyhive.tracer' in sys.modules)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [rules.TRACER_MODULE, "True"]


def test_public_names_match_the_catalog() -> None:
    assert set(honeyhive.__all__) == set(rules.PUBLIC_NAMES)
    assert set(honeyhive.tracer.__all__) == set(rules.PUBLIC_NAMES)
    assert set(rules.PUBLIC_NAMES) <= set(dir(honeyhive))
    for name in rules.PUBLIC_NAMES:
        assert getattr(honeyhive, name) is getattr(honeyhive.tracer, name)
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = honeyhive.no_such_name  # type: ignore[attr-defined]


def test_type_checking_imports_cover_every_lazy_name() -> None:
    # Type checkers and astroid read the `if TYPE_CHECKING:` block of honeyhive/__init__.py.
    source = Path(honeyhive.__file__).read_text()
    block = source.split("if TYPE_CHECKING:", 1)[1].split("\n\n", 1)[0]
    lazy = set(honeyhive._LAZY)
    assert lazy == {name for name in rules.PUBLIC_NAMES if name not in vars(errors)}
    assert all(f"        {name}," in block for name in lazy), block


def test_qualified_names_are_the_ones_the_linters_infer() -> None:
    assert f"{core.HoneyHiveTracer.__module__}.{rules.TRACER_CLASS}" in rules.TRACER_CLASS_QUALNAMES
    assert core.HoneyHiveTracer.__module__ == rules.TRACER_MODULE
    for name in rules.DECORATORS:
        assert getattr(decorators, name).__module__ == rules.DECORATORS_MODULE
    for name in (rules.ENRICH_SESSION, "enrich_span", "flush"):
        assert getattr(enrich, name).__module__ == rules.ENRICH_MODULE
    for factory in rules.TRACER_FACTORIES:
        assert callable(getattr(core.HoneyHiveTracer, factory))
    for method in (*rules.LEGACY_SESSION_METHODS, rules.ENRICH_SESSION, "trace"):
        assert callable(getattr(core.HoneyHiveTracer, method)), method
    for attribute in rules.SESSION_ATTRIBUTES:
        assert isinstance(vars(core.HoneyHiveTracer)[attribute], core._ReadOnlySessionId)
    parameters = inspect.signature(core.HoneyHiveTracer.enrich_session).parameters
    assert parameters[rules.SESSION_ID_PARAMETER].kind is inspect.Parameter.KEYWORD_ONLY


def test_warning_classes_carry_their_rule() -> None:
    for cls in (errors.SessionIdArgumentWarning, errors.TracerReuseWarning):
        assert cls.rule is not None
        assert cls.rule.warning_class == cls.__name__
        assert cls.code == cls.rule.code
    assert errors.SingleSessionError("x").code == rules.HH002.code


def test_init_options_match_the_constructor() -> None:
    constructor = inspect.signature(core.HoneyHiveTracer.__init__).parameters
    keywords = {n for n, p in constructor.items() if p.kind is inspect.Parameter.KEYWORD_ONLY}
    assert keywords == set(core.TracerOptions.__annotations__)
    assert all(constructor[name].default is None for name in keywords)


def _deprecation_messages(function: Callable[..., object]) -> list[str]:
    return [
        str(overload.__deprecated__)
        for overload in typing.get_overloads(function)
        if hasattr(overload, "__deprecated__")
    ]


def test_deprecated_overloads_say_the_catalogs_text() -> None:
    # Type checkers need string literals in @deprecated(...): they must equal the catalog's text.
    expected: dict[Callable[..., object], str] = {
        decorators.trace: rules.HH002.text(usage=rules.override_usage("trace")),
        decorators.atrace: rules.HH002.text(usage=rules.override_usage("atrace")),
        decorators.trace_class: rules.HH002.text(usage=rules.override_usage("trace_class")),
        core.HoneyHiveTracer.trace: rules.HH002.text(usage=rules.override_usage("tracer.trace")),
        core.HoneyHiveTracer.enrich_session: rules.HH001.text(form=rules.FORM_KEYWORD),
    }
    for function, text in expected.items():
        assert _deprecation_messages(function) == [text], function


def test_legacy_session_methods_are_deprecated_with_the_catalogs_text() -> None:
    for method in rules.LEGACY_SESSION_METHODS:
        marked = getattr(core.HoneyHiveTracer, method)
        text = rules.HH002.text(usage=rules.legacy_method_usage(method))
        assert getattr(marked, "__deprecated__", None) == text, method


SCRIPT = """
import uuid, warnings
from honeyhive import HoneyHiveTracer
tracer = HoneyHiveTracer.init(project="p", test_mode=True)
tracer.enrich_session(session_id=tracer.session_id, metadata={"a": 1})
print("after HH001", flush=True)
tracer.enrich_session(session_id=str(uuid.uuid4()), metadata={"a": 1})
print("after HH002", flush=True)
"""


@pytest.mark.parametrize(
    "category", ["honeyhive.TracerReuseWarning", "honeyhive.errors.TracerReuseWarning"]
)
def test_dash_w_error_works_for_an_installed_package(category: str) -> None:
    # Python itself drops this option ("invalid module name") because it reads -W before
    # site-packages is on sys.path; honeyhive.errors applies it when it is imported.
    result = run("-W", f"error::{category}", "-c", SCRIPT)
    assert result.returncode == 1
    assert "after HH001" in result.stdout
    assert "after HH002" not in result.stdout
    assert "TracerReuseWarning: HH002" in result.stderr


def test_pythonwarnings_ignore_and_abbreviated_actions() -> None:
    result = run("-c", SCRIPT, env={"PYTHONWARNINGS": "i::honeyhive.HoneyHiveWarning"})
    assert result.returncode == 0, result.stderr
    assert "HH00" not in result.stderr
    assert result.stdout.split("\n")[:2] == ["after HH001", "after HH002"]


def test_dash_w_with_a_message_and_module_filter() -> None:
    result = run("-W", "error:HH002:honeyhive.TracerReuseWarning:__main__", "-c", SCRIPT)
    assert result.returncode == 1
    other_module = run("-W", "error:HH002:honeyhive.TracerReuseWarning:elsewhere", "-c", SCRIPT)
    assert other_module.returncode == 0, other_module.stderr
