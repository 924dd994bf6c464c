"""The `[tool.honeyhive-lint]` table: finding it, reading it and rejecting anything invalid.

The table comes from the nearest `pyproject.toml` at or above the current directory that has
one, or from `--config PATH` (a `pyproject.toml`, or any other TOML file with the keys at its top
level, like `ruff.toml`). Paths and globs in it are relative to the file's directory. Every
problem is a ConfigError whose message names the file and the key.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flake8_honeyhive.cli.globs import GlobError, compile_glob
from flake8_honeyhive.cli.output import OUTPUT_FORMATS
from flake8_honeyhive.cli.selectors import UnknownSelectorError, parse_selector

__all__ = ["TABLE", "ConfigError", "FileConfig", "find_config", "load_config"]

TABLE = "honeyhive-lint"
PYPROJECT = "pyproject.toml"


class ConfigError(Exception):
    """An unusable configuration; exits with code 2."""


@dataclass(frozen=True, slots=True)
class FileConfig:
    """The settings one configuration file sets; None/empty means "not set"."""

    path: str | None
    root: str
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    force_exclude: bool | None = None
    respect_gitignore: bool | None = None
    output_format: str | None = None
    fix: bool | None = None
    unsafe_fixes: bool | None = None
    show_fixes: bool | None = None


def find_config(start: str) -> str | None:
    """The nearest pyproject.toml at or above `start` that has a `[tool.honeyhive-lint]` table."""
    directory = os.path.abspath(start)
    while True:
        candidate = os.path.join(directory, PYPROJECT)
        if os.path.isfile(candidate) and _table_of(candidate, required=False) is not None:
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def load_config(path: str) -> FileConfig:
    """Read and validate the settings in `path` (given with `--config`, or found)."""
    path = os.path.abspath(path)
    table = _table_of(path, required=True)
    assert table is not None  # required=True raises instead
    return _validate(table, path)


def _table_of(path: str, *, required: bool) -> Mapping[str, Any] | None:
    """The settings table of a TOML file; None for a pyproject.toml without one."""
    is_pyproject = os.path.basename(path) == PYPROJECT
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the configuration file: {error.strerror}") from None
    # Cheap test first: most pyproject.toml files never mention this tool, so skip parsing them.
    if is_pyproject and not required and TABLE.encode() not in data:
        return None
    import tomllib  # noqa: PLC0415 (about 8 ms; only needed when there is a config)

    try:
        # utf-8-sig: a byte order mark, as Windows editors may write, is skipped (ruff does too).
        document = tomllib.loads(data.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    except RecursionError:  # tomllib reads nested arrays and inline tables recursively
        raise ConfigError(f"{path}: invalid TOML: arrays or tables nested too deeply") from None
    if not is_pyproject:
        return document
    tool = document.get("tool")
    table = tool.get(TABLE) if isinstance(tool, dict) else None
    if table is None:
        if required:
            raise ConfigError(f"{path}: no [tool.{TABLE}] table")
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.{TABLE}] must be a table, not {_kind(table)}")
    return table


def _kind(value: object) -> str:
    names = {bool: "a boolean", str: "a string", int: "an integer", float: "a float"}
    names |= {list: "an array", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where} must be an array of strings, not {_kind(value)}")
    return tuple(value)


def _selectors(value: object, where: str) -> tuple[str, ...]:
    selectors = _strings(value, where)
    for selector in selectors:
        try:
            parse_selector(selector, where)
        except UnknownSelectorError as error:
            raise ConfigError(str(error)) from None
    return selectors


def _globs(value: object, where: str) -> tuple[str, ...]:
    patterns = _strings(value, where)
    for pattern in patterns:
        try:
            compile_glob(pattern.removeprefix("!"))
        except GlobError as error:
            raise ConfigError(f"{where}: {error}") from None
    return patterns


def _boolean(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where} must be true or false, not {_kind(value)}")
    return value


def _output_format(value: object, where: str) -> str:
    if not isinstance(value, str) or value not in OUTPUT_FORMATS:
        shown = repr(value) if isinstance(value, str) else _kind(value)
        raise ConfigError(f"{where} must be one of {', '.join(OUTPUT_FORMATS)}, not {shown}")
    return value


def _per_file_ignores(value: object, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table of glob = [selectors], not {_kind(value)}")
    entries = []
    for pattern, selectors in value.items():
        _globs([pattern], f"{where} entry {pattern!r}")
        entries.append((pattern, _selectors(selectors, f"{where} entry {pattern!r}")))
    return tuple(entries)


_KEYS: Mapping[str, tuple[str, Callable[[object, str], object]]] = {
    "select": ("select", _selectors),
    "ignore": ("ignore", _selectors),
    "extend-select": ("extend_select", _selectors),
    "exclude": ("exclude", _globs),
    "extend-exclude": ("extend_exclude", _globs),
    "per-file-ignores": ("per_file_ignores", _per_file_ignores),
    "force-exclude": ("force_exclude", _boolean),
    "respect-gitignore": ("respect_gitignore", _boolean),
    "output-format": ("output_format", _output_format),
    "fix": ("fix", _boolean),
    "unsafe-fixes": ("unsafe_fixes", _boolean),
    "show-fixes": ("show_fixes", _boolean),
}


def _validate(table: Mapping[str, Any], path: str) -> FileConfig:
    section = f"[tool.{TABLE}]" if os.path.basename(path) == PYPROJECT else "the top level"
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in _KEYS:
            raise ConfigError(
                f"{path}: unknown key `{key}` in {section} (known keys: {', '.join(_KEYS)})"
            )
        field, check = _KEYS[key]
        try:
            values[field] = check(value, f"`{key}`")
        except ConfigError as error:
            raise ConfigError(f"{path}: {section} {error}") from None
    return FileConfig(path=path, root=os.path.dirname(path), **values)
