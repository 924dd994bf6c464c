"""flake8 plugin and ``honeyhive-lint`` command for the HoneyHive rules HH001 and HH002."""

from flake8_honeyhive.plugin import Plugin

__all__ = ["Plugin"]
