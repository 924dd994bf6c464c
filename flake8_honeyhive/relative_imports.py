"""Resolving a relative import to an absolute module name.

Its own module, importing nothing: `honeyhive-lint` reads the imports of every file with it (see
`cli.modules`) without loading the engine's scopes and `ast`, which a run served from the cache
never needs.
"""

from __future__ import annotations

__all__ = ["relative_module"]


def relative_module(package: str | None, level: int, module: str | None) -> str | None:
    """The absolute name ``from <level dots><module> import ...`` reads in ``package``; None when
    the package is unknown or the dots climb above its top."""
    if not package:  # unknown, or a top-level module: no package to be relative to
        return None
    parts = package.split(".")
    if level - 1 > len(parts) or (level - 1 == len(parts) and not module):
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, module] if module else base)
