"""The effective settings of a run: configuration files, overridden by the command line.

As in ruff, each file is checked with the configuration closest to it: a sub-project's
`pyproject.toml` applies to its files even when the command runs from the repository root. A
directory without one above it uses the configuration found from the current directory. The
command line (`--select`, `--config KEY=VALUE`, ...) overrides every file's settings; `--config
PATH` uses one file for everything and `--isolated` none.

What is about the run as a whole rather than a file (output format, fixes, the cache, which
`.gitignore` rules apply) comes from the configuration of the current directory.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar

from flake8_honeyhive.cli.config import (
    ConfigError,
    FileConfig,
    config_in,
    find_config,
    load_config,
)
from flake8_honeyhive.cli.discovery import DEFAULT_EXCLUDES
from flake8_honeyhive.cli.globs import GlobError, PathPatterns, PatternSpec, PerFileIgnore
from flake8_honeyhive.cli.modules import DEFAULT_SRC
from flake8_honeyhive.cli.options import CommandLine
from flake8_honeyhive.cli.output import DEFAULT_FORMAT
from flake8_honeyhive.cli.selectors import Selection, expand, resolve

__all__ = ["Resolver", "Settings", "build_settings"]

_T = TypeVar("_T")


class Settings(NamedTuple):
    project_root: str  # the configuration file's directory, else the current directory
    enabled: frozenset[str]
    excludes: PathPatterns
    per_file_ignores: tuple[PerFileIgnore, ...]
    force_exclude: bool
    respect_gitignore: bool
    output_format: str
    fix: bool = False
    # ruff's three states: True (apply them), False (never mention them), None (hint at them).
    unsafe_fixes: bool | None = None
    show_fixes: bool = False
    config_path: str | None = None  # the file these settings come from
    # What the configuration and the command line said, for --show-settings.
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    per_file_ignore_patterns: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Where module names start (absolute paths), as ruff's `src`: `from app.tracing import ...`
    # is `<root>/app/tracing.py` for one of these roots.
    src: tuple[str, ...] = ()

    def enabled_for(self, path: str) -> frozenset[str]:
        """The rules to check in `path`, after `per-file-ignores`."""
        enabled = self.enabled
        for entry in self.per_file_ignores:
            if entry.applies_to(path):
                enabled = enabled - entry.codes
        return enabled


def _first(*values: _T | None, default: _T) -> _T:
    return next((value for value in values if value is not None), default)


def settings_from(config: FileConfig, command_line: CommandLine, cwd: str) -> Settings:
    """One configuration file's settings (or the defaults'), with the command line on top."""
    where = f"{config.path}: " if config.path else ""
    enabled = resolve(
        [
            Selection(config.select, config.ignore, config.extend_select, f"{where}configuration"),
            Selection(command_line.select, command_line.ignore, command_line.extend_select),
        ]
    )
    per_file_ignores = tuple(
        PerFileIgnore.build(pattern, config.root, expand(selectors, "`per-file-ignores`"))
        for pattern, selectors in config.per_file_ignores
    )
    user_excludes: list[PatternSpec] = []
    builtin_excludes: Sequence[str] = ()
    if command_line.exclude is not None:
        user_excludes += [PatternSpec(pattern, cwd) for pattern in command_line.exclude]
    elif config.exclude is not None:
        user_excludes += [PatternSpec(pattern, config.root) for pattern in config.exclude]
    else:
        builtin_excludes = DEFAULT_EXCLUDES
    user_excludes += [PatternSpec(pattern, config.root) for pattern in config.extend_exclude]
    user_excludes += [PatternSpec(pattern, cwd) for pattern in command_line.extend_exclude]
    try:
        excludes = PathPatterns(user_excludes, builtin_excludes)
    except GlobError as error:
        raise ConfigError(f"invalid exclude pattern: {error}") from None
    return Settings(
        project_root=config.root,
        enabled=enabled,
        excludes=excludes,
        per_file_ignores=per_file_ignores,
        force_exclude=_first(command_line.force_exclude, config.force_exclude, default=False),
        respect_gitignore=_first(
            command_line.respect_gitignore, config.respect_gitignore, default=True
        ),
        output_format=_first(
            command_line.output_format, config.output_format, default=DEFAULT_FORMAT
        ),
        fix=_first(command_line.fix, config.fix, default=False),
        unsafe_fixes=_first(command_line.unsafe_fixes, config.unsafe_fixes, default=None),
        show_fixes=_first(command_line.show_fixes, config.show_fixes, default=False),
        config_path=config.path,
        exclude=tuple(
            command_line.exclude
            if command_line.exclude is not None
            else config.exclude
            if config.exclude is not None
            else DEFAULT_EXCLUDES
        ),
        extend_exclude=(*config.extend_exclude, *command_line.extend_exclude),
        per_file_ignore_patterns=config.per_file_ignores,
        src=tuple(
            os.path.normpath(os.path.join(config.root, root))
            for root in (DEFAULT_SRC if config.src is None else config.src)
        ),
    )


class Resolver:
    """Which settings apply to each file: those of the closest configuration file."""

    def __init__(
        self,
        command_line: CommandLine,
        cwd: str,
        *,
        isolated: bool = False,
        overrides: Mapping[str, Any] | None = None,
    ) -> None:
        self.command_line = command_line
        self.cwd = cwd
        self.overrides = dict(overrides or {})
        # One file for everything (`--config PATH`), or none (`--isolated`): no hierarchy.
        self.hierarchical = not isolated and command_line.config is None
        root_path = None if isolated else command_line.config or find_config(cwd)
        self._by_config: dict[str | None, Settings] = {}
        self._by_directory: dict[str, Settings] = {}
        self.root = self._settings_of(root_path)

    def _settings_of(self, path: str | None) -> Settings:
        settings = self._by_config.get(path)
        if settings is None:
            config = load_config(path) if path else FileConfig(path=None, root=self.cwd)
            if self.overrides:
                config = config._replace(**self.overrides)
            settings = settings_from(config, self.command_line, self.cwd)
            self._by_config[path] = settings
        return settings

    def for_directory(self, directory: str, names: Collection[str] | None = None) -> Settings:
        """The settings of files in `directory` (`names`: its entries, when already read)."""
        if not self.hierarchical:
            return self.root
        known = self._by_directory.get(directory)
        if known is not None:
            return known
        # Walk up to the first directory with a configuration file or already resolved; every
        # directory on the way gets the same settings.
        unresolved: list[str] = []
        current = directory
        settings = self.root
        while True:
            known = self._by_directory.get(current)
            if known is not None:
                settings = known
                break
            unresolved.append(current)
            found = config_in(current, names if current == directory else None)
            if found is not None:
                settings = self._settings_of(found)
                break
            parent = os.path.dirname(current)
            if parent == current:
                break  # none above: the current directory's settings, as ruff falls back
            current = parent
        for each in unresolved:
            self._by_directory[each] = settings
        return settings

    def for_path(self, path: str) -> Settings:
        return self.for_directory(os.path.dirname(os.path.abspath(path)))

    def enabled_for(self, path: str) -> frozenset[str]:
        return self.for_path(path).enabled_for(path)

    def src_for(self, path: str) -> tuple[str, ...]:
        return self.for_path(path).src


def build_settings(command_line: CommandLine, cwd: str) -> Settings:
    """The settings found from `cwd` (or `--config`), with the command line on top."""
    return Resolver(command_line, cwd).root
