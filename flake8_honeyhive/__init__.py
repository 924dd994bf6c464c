"""flake8 plugin and ``honeyhive-lint`` command for the HoneyHive rules HH001 and HH002."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flake8_honeyhive.plugin import Plugin

__all__ = ["Plugin"]


def __getattr__(name: str) -> Any:
    # flake8 reads the entry point `flake8_honeyhive:Plugin`; `honeyhive-lint` imports this package
    # too, and loads the engine only once a file needs parsing.
    if name == "Plugin":
        from flake8_honeyhive.plugin import Plugin  # noqa: PLC0415

        return Plugin
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
