"""Configuration files: finding them, reading them and rejecting anything invalid.

As ruff finds `.ruff.toml`, `ruff.toml` and `pyproject.toml`: in each directory, the first of
`.honeyhive-lint.toml`, `honeyhive-lint.toml` (keys at the top level) and a `pyproject.toml` with
a `[tool.honeyhive-lint]` table is that directory's configuration, and a file is checked with the
closest one at or above its directory. `--config PATH` names one file for everything, and
`--config KEY=VALUE` overrides one setting. Paths and globs in a file are relative to its
directory. Every problem is a ConfigError whose message names the file and the key.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping
from typing import Any, NamedTuple

from flake8_honeyhive.cli.globs import GlobError, compile_glob
from flake8_honeyhive.cli.output import OUTPUT_FORMATS
from flake8_honeyhive.cli.selectors import UnknownSelectorError, parse_selector

__all__ = [
    "CONFIG_FILES",
    "TABLE",
    "ConfigError",
    "FileConfig",
    "config_in",
    "find_config",
    "load_config",
    "parse_override",
]

TABLE = "honeyhive-lint"
PYPROJECT = "pyproject.toml"
# In each directory, the first of these that exists (a pyproject.toml only with our table) wins.
CONFIG_FILES = (f".{TABLE}.toml", f"{TABLE}.toml", PYPROJECT)


class ConfigError(Exception):
    """An unusable configuration; exits with code 2."""


class FileConfig(NamedTuple):
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
    src: tuple[str, ...] | None = None  # source roots, relative to `root`


def config_in(directory: str, names: Collection[str] | None = None) -> str | None:
    """The configuration file of `directory`, if it has one (`names`: its entries, if known)."""
    for name in CONFIG_FILES:
        if names is not None and name not in names:
            continue
        candidate = os.path.join(directory, name)
        if not os.path.isfile(candidate):
            continue
        if name != PYPROJECT or _table_of(candidate, required=False) is not None:
            return candidate
    return None


def find_config(start: str) -> str | None:
    """The configuration file closest to `start`: in it, or in the nearest directory above."""
    directory = os.path.abspath(start)
    while True:
        found = config_in(directory)
        if found is not None:
            return found
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
    "src": ("src", _strings),
}


def _fields(table: Mapping[str, Any], where: str, section: str) -> dict[str, Any]:
    """The FileConfig fields a table sets, each validated."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in _KEYS:
            raise ConfigError(
                f"{where}unknown key `{key}` in {section} (known keys: {', '.join(_KEYS)})"
            )
        field, check = _KEYS[key]
        try:
            values[field] = check(value, f"`{key}`")
        except ConfigError as error:
            raise ConfigError(f"{where}{section} {error}") from None
    return values


def _validate(table: Mapping[str, Any], path: str) -> FileConfig:
    section = f"[tool.{TABLE}]" if os.path.basename(path) == PYPROJECT else "the top level"
    values = _fields(table, f"{path}: ", section)
    return FileConfig(path=path, root=os.path.dirname(path), **values)


def parse_override(text: str) -> dict[str, Any]:
    """`--config KEY=VALUE`: one setting in TOML (`select = ["HH001"]`), as FileConfig fields."""
    import tomllib  # noqa: PLC0415

    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            f"invalid --config option `{text}`: not a path to a configuration file, nor a TOML "
            f"`KEY = VALUE` pair ({error})"
        ) from None
    if len(table) != 1:
        raise ConfigError(f"invalid --config option `{text}`: give one `KEY = VALUE` pair")
    return _fields(table, "", f"--config option `{text}`:")
