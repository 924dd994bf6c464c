"""The SDK's runtime warnings and errors for the rules HH001 and HH002.

This module imports only the standard library and the rule catalog, so ``import honeyhive`` and
``python -W error::honeyhive.TracerReuseWarning`` stay cheap and never load OpenTelemetry.
"""

from __future__ import annotations

import re
import sys
import warnings
from typing import ClassVar

from honeyhive.rules import HH001, HH002, Rule

__all__ = [
    "HoneyHiveWarning",
    "SessionIdArgumentWarning",
    "SingleSessionError",
    "TracerReuseWarning",
]


class HoneyHiveWarning(UserWarning):
    """Base class of every warning the HoneyHive SDK emits."""

    rule: ClassVar[Rule | None] = None
    code: ClassVar[str] = ""


class SessionIdArgumentWarning(HoneyHiveWarning, DeprecationWarning):
    """HH001: a session id passed to the tracer's own ``enrich_session``.

    Redundant: a tracer enriches only its own session. Deprecated, removed in 2.0.
    """

    rule: ClassVar[Rule | None] = HH001
    code: ClassVar[str] = HH001.code


class TracerReuseWarning(HoneyHiveWarning, FutureWarning):
    """HH002: one tracer made to serve more than one session.

    A ``FutureWarning`` so that it is shown by default: in strict mode, and in 2.0, it is an error.
    """

    rule: ClassVar[Rule | None] = HH002
    code: ClassVar[str] = HH002.code


class SingleSessionError(RuntimeError):
    """Raised where the single-session rule is structural, or when strict mode is on.

    The message starts with the rule code, which is also in ``.code``.
    """

    code: str

    def __init__(self, message: str, *, code: str = HH002.code) -> None:
        super().__init__(message)
        self.code = code


# --- `python -W error::honeyhive.TracerReuseWarning` --------------------------------------------
# CPython reads -W and PYTHONWARNINGS before `site` puts site-packages on sys.path, so a category
# from an installed package cannot be imported then: Python prints "Invalid -W option ignored:
# invalid module name: 'honeyhive'" and drops the filter. Applying those options here, when the
# classes exist, makes them work as users expect.

_ACTIONS = ("default", "always", "ignore", "module", "once", "error")
_CLASSES: dict[str, type[Warning]] = {
    f"{module}.{cls.__name__}": cls
    for cls in (HoneyHiveWarning, SessionIdArgumentWarning, TracerReuseWarning)
    for module in ("honeyhive", __name__)
}


def _apply_warning_options(options: list[str]) -> None:
    for option in options:
        fields = [part.strip() for part in option.split(":")]
        if len(fields) > 5:
            continue
        fields += [""] * (5 - len(fields))
        action_prefix, message, category_name, module, lineno_text = fields
        category = _CLASSES.get(category_name)
        action = next((a for a in _ACTIONS if action_prefix and a.startswith(action_prefix)), None)
        if category is None or action is None:
            continue
        try:
            lineno = int(lineno_text) if lineno_text else 0
        except ValueError:
            continue
        if any(entry[0] == action and entry[2] is category for entry in warnings.filters):
            continue  # Python applied it after all (honeyhive was importable early)
        warnings.filterwarnings(
            action,  # type: ignore[arg-type]  # one of _ACTIONS
            re.escape(message),
            category,
            re.escape(module) + r"\Z" if module else "",
            lineno,
        )


_apply_warning_options(sys.warnoptions)
