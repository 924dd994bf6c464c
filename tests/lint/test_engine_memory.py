"""The engine frees each module's tree by reference counting, as soon as its caller lets go.

A tree kept alive by a reference cycle is freed only by Python's cyclic collector, which scans
every node of it: on the dense benchmark corpus that was a tenth of the run time, and doubled the
time on one large module.
"""

from __future__ import annotations

import ast
import gc
import weakref
from collections.abc import Iterator

import pytest

from flake8_honeyhive.checker import check_module
from flake8_honeyhive.cli.lint import FileJob, lint_file
from flake8_honeyhive.rules import ENGINE_RULES
from flake8_honeyhive.summary import summarise

# Findings with fixes, a class holding a tracer, a function reading a global: every part of the
# engine that keeps state per module (scopes, bindings, classes, the fixer's index) runs.
SOURCE = b"""\
from honeyhive import HoneyHiveTracer, trace

tracer = HoneyHiveTracer.init(project="p")
counter = 0


class Service:
    def __init__(self) -> None:
        self.tracer = HoneyHiveTracer.init(project="p")

    def handle(self, sid: str) -> None:
        self.tracer.enrich_session(session_id=sid, metadata={"a": 1})


def bump() -> None:
    global counter
    counter += 1
    tracer.enrich_session(session_id="s")


@trace(session_id="other")
def work() -> None:
    tracer.create_session()
"""


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_a_checked_tree_is_freed_without_the_cyclic_collector(collector_off: None) -> None:
    checked = check_module(SOURCE, "service.py")
    assert {finding.code for finding in checked.findings} == {"HH001", "HH002"}
    assert checked.tree is not None
    tree = weakref.ref(checked.tree)
    del checked
    assert tree() is None


def test_a_linted_file_with_fixes_leaves_nothing_for_the_cyclic_collector(
    collector_off: None,
) -> None:
    outcome = lint_file(FileJob("service.py", SOURCE, frozenset(ENGINE_RULES)))
    assert any(diagnostic.fix is not None for diagnostic in outcome.diagnostics)
    assert gc.collect() == 0


def test_summarising_a_module_leaves_nothing_for_the_cyclic_collector(
    collector_off: None,
) -> None:
    tree = ast.parse(SOURCE)
    summary = summarise(tree, SOURCE, "app.service", "app")
    assert dict(summary).get("tracer") is not None
    del tree
    assert gc.collect() == 0
