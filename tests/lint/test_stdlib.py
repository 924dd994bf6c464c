"""The engine over every module of the installed Python's standard library.

Real repositories are mostly code that never mentions honeyhive: the engine must leave it alone,
fast, and must not crash on any of it, even when forced to resolve every call in it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import sysconfig
import warnings
from collections.abc import Iterator
from pathlib import Path

from flake8_honeyhive.detect import _Candidates, _RuleChecks
from flake8_honeyhive.evaluate import Evaluator
from flake8_honeyhive.plugin import Plugin
from flake8_honeyhive.scopes import ModuleInfo

STDLIB = Path(sysconfig.get_paths()["stdlib"])


def stdlib_modules() -> Iterator[tuple[Path, ast.Module, bytes]]:
    for path in sorted(STDLIB.rglob("*.py")):
        if "site-packages" in path.parts:
            continue
        source = path.read_bytes()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # invalid escape sequences in old modules
                tree = ast.parse(source)
        except (SyntaxError, ValueError):
            continue  # lib2to3 test data and friends: not Python 3
        yield path, tree, source


def test_the_plugin_is_silent_and_the_engine_never_crashes_on_the_standard_library() -> None:
    """The plugin as flake8 runs it finds nothing. Then, forced to treat every line as hot and every
    module as importing honeyhive, the engine resolves every call without crashing."""
    modules = resolved = 0
    for path, tree, source in stdlib_modules():
        lines = source.decode("utf-8", errors="replace").splitlines(keepends=True)
        assert list(Plugin(tree, lines).run()) == [], path
        modules += 1
        every_line = list(range(1, source.count(b"\n") + 2))
        module = ModuleInfo(tree, has_walrus=True, global_lines=every_line)
        candidates = _Candidates(module, every_line)
        candidates.collect()
        evaluator = Evaluator(module)
        checks = _RuleChecks(evaluator)
        for node, scope in candidates.nodes:
            try:
                list(checks.check(node, scope))
                evaluator.value_of(node if isinstance(node, ast.Call) else node.value, scope)
            except RecursionError:
                continue
            resolved += 1
    assert modules > 500
    assert resolved > 100_000


def test_real_flake8_over_the_standard_library_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select=HH", "--exclude=site-packages", str(STDLIB)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
