"""The rule engine's entry points, shared by the flake8 plugin, ``honeyhive-lint`` and pylint."""

from __future__ import annotations

import ast
import gc
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NamedTuple

from flake8_honeyhive.detect import find_violations, hot_lines
from flake8_honeyhive.findings import Finding
from flake8_honeyhive.prefilter import could_have_findings

if TYPE_CHECKING:
    from flake8_honeyhive.project import Project

__all__ = [
    "Checked",
    "Finding",
    "check_module",
    "check_source",
    "check_tree",
    "collector_paused",
    "could_have_findings",
]


def check_tree(tree: ast.Module, source: str | bytes) -> list[Finding]:
    """Findings in an already parsed module (flake8 and pylint parse it for us)."""
    if not could_have_findings(source):
        return []
    return find_violations(tree, source)


class Checked(NamedTuple):
    """A module's findings, and the tree the rules read (None when nothing needed parsing): only
    the statements they need, at the positions of a full parse, which the fixes read too."""

    findings: list[Finding]
    tree: ast.Module | None


def check_source(
    source: bytes | str,
    filename: str = "<stdin>",
    *,
    project: Project | None = None,
    package: str | None = None,
) -> list[Finding]:
    """Parse and check one module: :func:`check_module`'s findings."""
    return check_module(source, filename, project=project, package=package).findings


def check_module(
    source: bytes | str,
    filename: str = "<stdin>",
    *,
    project: Project | None = None,
    package: str | None = None,
) -> Checked:
    """Parse and check one module.

    Only the top-level statements the rules read are parsed when that is certain to give the
    same findings (see :mod:`flake8_honeyhive.partial`); otherwise, or if they do not parse, the
    whole module. Raises SyntaxError, ValueError (null bytes) or UnicodeDecodeError when the
    module cannot be parsed. Bytes are parsed as Python reads files, so coding cookies and BOMs
    are honoured. With a ``project`` (the summaries of the modules it imports) and its
    ``package``, names imported from those modules hold what their summaries say; a module that
    never names ``honeyhive`` is then checked too.
    """
    if not could_have_findings(source, anywhere=project is not None):
        return Checked([], None)
    lines = hot_lines(source)
    with collector_paused():
        tree = _parse(source, filename, lines)
        findings = find_violations(tree, source, lines, project=project, package=package)
        return Checked(findings, tree)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a tree is built and read.

    Building a tree makes no reference cycles, and the engine breaks its own when it is done
    (ModuleInfo.release): the collector would only rescan the whole tree, again and again as it
    grows (two thirds of the time on a large file). A caller that keeps the tree should hold the
    pause until it lets go of it: the objects it frees meanwhile no longer count towards the next
    collection, which would otherwise scan the whole tree once more.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _parse(source: bytes | str, filename: str, lines: list[int]) -> ast.Module:
    # Imported here: flake8 and pylint hand the plugin a tree, and loading the lexer (~10 ms)
    # would only slow their start.
    from flake8_honeyhive.partial import parse_needed  # noqa: PLC0415

    try:
        partial = parse_needed(source, lines)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        partial = None  # the whole module decides, and says what is wrong
    if partial is not None:
        return partial
    try:
        with warnings.catch_warnings():
            # `"\d"` and the like: the compiler's business, not a finding; never print them.
            warnings.simplefilter("ignore")
            return ast.parse(source, filename=filename)
    except RecursionError:
        where = (filename, 1, 0, None)
        raise SyntaxError("too deeply nested for Python's parser", where) from None
