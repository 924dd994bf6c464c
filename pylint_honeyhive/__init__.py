"""pylint plugin for the HoneyHive rules HH001 (W5901) and HH002 (W5902).

Enable it with ``load-plugins=pylint_honeyhive`` (or ``--load-plugins=pylint_honeyhive``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pylint_honeyhive.checker import HoneyHiveChecker
from pylint_honeyhive.stand_ins import teach_astroid

if TYPE_CHECKING:
    from pylint.lint import PyLinter

__all__ = ["HoneyHiveChecker", "register"]


def register(linter: PyLinter) -> None:
    """pylint's plugin hook."""
    teach_astroid()  # optional-import fallbacks: see stand_ins
    linter.register_checker(HoneyHiveChecker(linter))
