"""Scope-aware binding: which object a name means where it is used."""

from __future__ import annotations

import textwrap

import pytest

from flake8_honeyhive.checker import check_source


def reported(source: str) -> list[tuple[int, str]]:
    """(line, code) of each finding; line 1 is the first line of the dedented snippet."""
    return [(f.line, f.code) for f in check_source(textwrap.dedent(source).encode())]


def test_a_later_rebinding_does_not_change_an_earlier_use() -> None:
    assert reported(
        """\
        from honeyhive import HoneyHiveTracer
        from unittest.mock import Mock
        t = HoneyHiveTracer.init()
        t.session_id = "a"
        t = Mock()
        t.session_id = "b"
        """
    ) == [(4, "HH002")]


def test_functions_see_the_final_module_binding() -> None:
    assert reported(
        """\
        from honeyhive import HoneyHiveTracer
        def handler():
            tracer.create_session()
        tracer = HoneyHiveTracer.init()
        """
    ) == [(3, "HH002")]


def test_a_local_binding_shadows_the_module_tracer() -> None:
    assert reported(
        """\
        from honeyhive import HoneyHiveTracer
        class Store:
            def create_session(self): ...
        tracer = HoneyHiveTracer.init()
        def handler():
            tracer = Store()
            tracer.create_session()
        def other():
            tracer.create_session()
        """
    ) == [(9, "HH002")]


def test_class_body_names_are_invisible_to_methods() -> None:
    assert reported(
        """\
        from honeyhive import HoneyHiveTracer
        class Store:
            def create_session(self): ...
        tracer = Store()
        class Handler:
            tracer = HoneyHiveTracer.init()
            def handle(self):
                tracer.create_session()
            tracer.create_session()
        """
    ) == [(9, "HH002")]


def test_parameters_shadow_module_tracers() -> None:
    assert (
        reported(
            """\
        from honeyhive import HoneyHiveTracer
        tracer = HoneyHiveTracer.init()
        def handler(tracer: "Store"):
            tracer.create_session()
        class Store: ...
        """
        )
        == []
    )


def test_nonlocal_names_resolve_in_the_enclosing_function() -> None:
    assert reported(
        """\
        from honeyhive import HoneyHiveTracer
        def outer():
            tracer = HoneyHiveTracer.init()
            def inner():
                nonlocal tracer
                tracer.create_session()
            return inner
        """
    ) == [(6, "HH002")]


def test_comprehension_variables_are_their_own_scope() -> None:
    assert reported(
        """\
        from honeyhive import HoneyHiveTracer
        tracer = HoneyHiveTracer.init()
        ids = [tracer.enrich_session(session_id=s) for s in ("a", "b")]
        stores = [tracer.create_session() for tracer in ()]
        """
    ) == [(3, "HH001")]


def test_a_cyclic_binding_does_not_loop() -> None:
    assert (
        reported(
            """\
        import honeyhive
        a = b
        b = a
        a.create_session()
        class A(B): ...
        class B(A): ...
        A().create_session()
        """
        )
        == []
    )


def test_the_sdk_itself_is_not_a_tracer_of_its_own() -> None:
    # Inside the class that defines enrich_session, `self` is that local class, not an import.
    assert (
        reported(
            """\
        import honeyhive
        class HoneyHiveTracer:
            def enrich_session(self, session_id=None): ...
            def refresh(self):
                self.session_id = "a"
                self.enrich_session(session_id="a")
        """
        )
        == []
    )


def test_receivers_chained_to_the_parser_limit_do_not_crash() -> None:
    chain = "x" + ".a" * 900
    source = f"import honeyhive\n{chain}.enrich_session(session_id='s')\n"
    assert reported(source) == [(2, "HH001")]


def test_sources_nested_beyond_the_parser_are_a_syntax_error() -> None:
    chain = "x" + ".a" * 50_000
    with pytest.raises(SyntaxError, match="too deeply nested"):
        check_source(f"import honeyhive\n{chain}.enrich_session(session_id='s')\n".encode())
