"""Applying fixes as ruff does, and removing one item of a list without breaking its layout."""

from __future__ import annotations

import ast

import pytest

from flake8_honeyhive.fixes.model import SAFE, UNSAFE, Edit, Fix, apply_fixes
from flake8_honeyhive.fixes.text import SourceMap


def fix(*edits: Edit, applicability: str = SAFE) -> Fix:
    return Fix("test", applicability, edits)


def test_non_overlapping_fixes_apply_together_in_any_order() -> None:
    text = "abcdef"
    fixes = [fix(Edit(4, 5, "E")), fix(Edit(0, 1, "A"))]
    assert apply_fixes(text, fixes) == ("AbcdEf", [0, 1])


def test_an_overlapping_fix_waits_for_the_next_pass() -> None:
    text = "abcdef"
    fixes = [fix(Edit(0, 3, "X")), fix(Edit(2, 4, "Y")), fix(Edit(3, 3, "Z"))]
    # The second overlaps the first; the third starts where the first ends (ruff waits too).
    assert apply_fixes(text, fixes) == ("Xdef", [0])


def test_an_edit_already_applied_is_applied_once() -> None:
    # Two fixes that both add the same import: the import once, each fix's own edit.
    text = "import x\nA\nB\n"
    add = Edit(8, 8, ", y")
    first = fix(add, Edit(9, 10, "a"))
    second = fix(add, Edit(11, 12, "b"))
    fixed, applied = apply_fixes(text, [first, second])
    assert applied == [0]  # the second starts at the import, before the first one's end
    assert fixed == "import x, y\na\nB\n"
    assert apply_fixes(text, [first, fix(add)]) == ("import x, y\na\nB\n", [0, 1])


def test_unsafe_fixes_apply_only_when_asked() -> None:
    unsafe = fix(Edit(0, 1, "A"), applicability=UNSAFE)
    assert not unsafe.applies(unsafe=False)
    assert unsafe.applies(unsafe=True)
    assert fix(Edit(0, 1, "A")).applies(unsafe=False)


def _remove(source: str, index: int) -> str:
    call = ast.parse(source).body[0].value  # type: ignore[attr-defined]
    assert isinstance(call, ast.Call)
    text = SourceMap(source)
    close = text.end(call) - 1
    nodes = sorted([*call.args, *call.keywords], key=text.start)
    items = [(text.start(node), text.item_end(node, close)) for node in nodes]
    edit = text.remove_item(items, index, close)
    if edit is None:
        return "<no edit>"
    result, _ = apply_fixes(source, [fix(edit)])
    ast.parse(result)
    return result


@pytest.mark.parametrize(
    ("source", "index", "expected"),
    [
        ("f(a, s=1, b=2)\n", 1, "f(a, b=2)\n"),
        ("f(s=1, b=2)\n", 0, "f(b=2)\n"),
        ("f(a, s=1)\n", 1, "f(a)\n"),
        ("f(s=1)\n", 0, "f()\n"),
        ("f(a, s=(1))\n", 1, "f(a)\n"),
        ("f(a, s=(1), b=2)\n", 1, "f(a, b=2)\n"),
        ("f(a, s=1,)\n", 1, "f(a,)\n"),
        # One argument per line: its line goes, the others keep their layout and comments.
        ("f(\n    a,\n    s=1,\n    b=2,\n)\n", 1, "f(\n    a,\n    b=2,\n)\n"),
        ("f(\n    a,\n    b=2,\n    s=1,\n)\n", 2, "f(\n    a,\n    b=2,\n)\n"),
        ("f(\n    a,\n    s=1\n)\n", 1, "f(\n    a,\n)\n"),
        ("f(  # why\n    s=1,\n    b=2,\n)\n", 0, "f(  # why\n    b=2,\n)\n"),
        ("f(\n    a,  # keep\n    s=1,\n)\n", 1, "f(\n    a,  # keep\n)\n"),
        ("f(\n    s=1,  # about s\n    b=2,\n)\n", 0, "f(\n    # about s\n    b=2,\n)\n"),
        ("f(a,  # keep\n  s=1)\n", 1, "f(a,  # keep\n  )\n"),
        # A comment inside the item would go with it: no edit.
        ("f(a, s=(  # inside\n    1))\n", 1, "<no edit>"),
    ],
)
def test_removing_an_item_keeps_the_layout_and_every_comment(
    source: str, index: int, expected: str
) -> None:
    assert _remove(source, index) == expected
