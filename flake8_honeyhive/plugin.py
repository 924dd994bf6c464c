"""The flake8 plugin: flake8 parses the file and handles ``# noqa``; we only report."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any

from flake8_honeyhive.checker import check_tree


class Plugin:
    """Reports HH001 and HH002 (entry point ``flake8.extension``: ``HH``)."""

    def __init__(self, tree: ast.Module, lines: list[str]) -> None:
        self._tree = tree
        self._lines = lines

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        for finding in check_tree(self._tree, "".join(self._lines)):
            yield finding.line, finding.col, finding.text, type(self)
