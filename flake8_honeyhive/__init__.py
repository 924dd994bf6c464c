"""flake8 plugin and ``honeyhive-lint`` command for the HoneyHive rules HH001 and HH002."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flake8_honeyhive.plugin import Plugin

__all__ = ["Plugin", "__version__"]

# The distribution's version (the SDK and the linters ship together); `honeyhive.__version__` is
# this value. It lives here so that the linters report their own version even when another
# `honeyhive` package comes first on sys.path.
__version__ = "1.8.0"


def __getattr__(name: str) -> Any:
    # flake8 reads the entry point `flake8_honeyhive:Plugin`; `honeyhive-lint` imports this package
    # too, and loads the engine only once a file needs parsing.
    if name == "Plugin":
        from flake8_honeyhive.plugin import Plugin  # noqa: PLC0415

        return Plugin
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
