"""The effective settings of a run: the configuration file, overridden by the command line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from flake8_honeyhive.cli.config import ConfigError, FileConfig, find_config, load_config
from flake8_honeyhive.cli.discovery import DEFAULT_EXCLUDES
from flake8_honeyhive.cli.globs import GlobError, PathPatterns, PatternSpec, PerFileIgnore
from flake8_honeyhive.cli.options import CommandLine
from flake8_honeyhive.cli.output import DEFAULT_FORMAT
from flake8_honeyhive.cli.selectors import Selection, expand, resolve

__all__ = ["Settings", "build_settings"]

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Settings:
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

    def enabled_for(self, path: str) -> frozenset[str]:
        """The rules to check in `path`, after `per-file-ignores`."""
        enabled = self.enabled
        for entry in self.per_file_ignores:
            if entry.applies_to(path):
                enabled = enabled - entry.codes
        return enabled


def _first(*values: _T | None, default: _T) -> _T:
    return next((value for value in values if value is not None), default)


def build_settings(command_line: CommandLine, cwd: str) -> Settings:
    """Merge the configuration file (found from `cwd`, or `--config`) with the command line."""
    config_path = command_line.config or find_config(cwd)
    config = load_config(config_path) if config_path else FileConfig(path=None, root=cwd)
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
    )
