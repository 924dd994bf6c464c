"""`--show-settings`: the settings a file is checked with, laid out as `ruff --show-settings`."""

from __future__ import annotations

import os
from collections.abc import Iterable

from flake8_honeyhive.cli.cache import DEFAULT_CACHE_DIR
from flake8_honeyhive.cli.options import CheckArguments
from flake8_honeyhive.cli.settings import Settings
from flake8_honeyhive.rules import RULES

__all__ = ["show_settings"]


def _string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _boolean(value: bool) -> str:
    return "true" if value else "false"


def _list(items: Iterable[str]) -> str:
    shown = [f"\t{item},\n" for item in items]
    return "[\n" + "".join(shown) + "]" if shown else "[]"


def show_settings(path: str, settings: Settings, run: Settings, arguments: CheckArguments) -> str:
    """`path`'s settings (`settings`), and the run's own (`run`: output, fixes, cache)."""
    cache_dir = arguments.cache_dir or os.path.join(run.project_root, DEFAULT_CACHE_DIR)
    unsafe = {True: "enabled", False: "disabled", None: "hint"}[run.unsafe_fixes]
    enabled = [f"{RULES[code].symbol} ({code})" for code in sorted(settings.enabled)]
    ignores = [
        f"{_string(pattern)} = [{', '.join(codes)}]"
        for pattern, codes in settings.per_file_ignore_patterns
    ]
    per_file = "{\n" + "".join(f"\t{entry},\n" for entry in ignores) + "}" if ignores else "{}"
    source = _string(settings.config_path) if settings.config_path else "none (the defaults)"
    return f"""Resolved settings for: {_string(path)}
Settings path: {source}

# General Settings
cache_dir = {_string(os.path.abspath(cache_dir))}
cache = {_boolean(not arguments.no_cache)}
fix = {_boolean(run.fix)}
output_format = {run.output_format}
show_fixes = {_boolean(run.show_fixes)}
unsafe_fixes = {unsafe}

# File Resolver Settings
file_resolver.exclude = {_list(_string(item) for item in settings.exclude)}
file_resolver.extend_exclude = {_list(_string(item) for item in settings.extend_exclude)}
file_resolver.force_exclude = {_boolean(settings.force_exclude)}
file_resolver.project_root = {_string(settings.project_root)}
file_resolver.respect_gitignore = {_boolean(run.respect_gitignore)}

# Linter Settings
linter.rules.enabled = {_list(enabled)}
linter.per_file_ignores = {per_file}
linter.src = {_list(_string(item) for item in settings.src)}
"""
