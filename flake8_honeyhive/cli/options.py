"""Command-line options, named and shaped like ruff's."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NamedTuple

from flake8_honeyhive import __version__
from flake8_honeyhive.cli.output import DEFAULT_FORMAT, OUTPUT_FORMATS

# Written here rather than in the cache module, which `--version` need not load.
DEFAULT_CACHE_DIR = ".honeyhive_lint_cache"
CACHE_DIR_ENV = "HONEYHIVE_LINT_CACHE_DIR"
OUTPUT_FILE_ENV = "HONEYHIVE_LINT_OUTPUT_FILE"
COLOR_CHOICES = ("auto", "always", "never")

__all__ = [
    "PROG",
    "CheckArguments",
    "CommandLine",
    "RuleArguments",
    "parse_check",
    "parse_rule",
]

PROG = "honeyhive-lint"
_ADD_NOQA = "--add-noqa"
VERSION = f"{PROG} {__version__}"
USAGE = f"""
  {PROG} [check] [OPTIONS] [PATH ...]
  {PROG} rule (CODE | --all) [--output-format {{text,json}}]
  {PROG} server"""
SERVER_HELP = f"""usage: {PROG} server

Run the language server over stdio (LSP): diagnostics as you type, the fixes as code actions
(quick fixes, and `source.fixAll.{PROG}`), settings from the closest configuration file.
Needs pygls: pip install 'honeyhive[lsp]'. Editor setups: docs/editors.md.
"""
DESCRIPTION = (
    "Find HoneyHive tracer misuse (HH001, HH002; HH100, opt-in, for unused noqa directives) in "
    "Python files, and fix it. Runs beside ruff, with ruff's options, configuration model, "
    "output formats, fixes and `# noqa` comments."
)
EPILOG = f"""commands:
  check          check files and directories (the default command)
  rule CODE      show a rule's documentation; `rule --all` shows every rule
  server         run the language server over stdio (needs `honeyhive[lsp]`)

configuration:
  each file's closest .{PROG}.toml, {PROG}.toml or pyproject.toml with [tool.{PROG}]
  (at or above its directory), or --config PATH for every file, or none with --isolated:
  select, ignore, extend-select, exclude, extend-exclude, per-file-ignores, force-exclude,
  respect-gitignore, output-format, fix, unsafe-fixes, show-fixes. Command-line options
  override it.

exit status:
  0 no findings; 1 findings, or files that could not be read or parsed; 2 usage or config error"""


class CommandLine(NamedTuple):
    """The options of `check` that can override the configuration (None: not given)."""

    config: str | None = None
    select: Sequence[str] | None = None
    ignore: Sequence[str] = ()
    extend_select: Sequence[str] = ()
    exclude: Sequence[str] | None = None
    extend_exclude: Sequence[str] = ()
    force_exclude: bool | None = None
    respect_gitignore: bool | None = None
    output_format: str | None = None
    fix: bool | None = None
    unsafe_fixes: bool | None = None
    show_fixes: bool | None = None


class CheckArguments(NamedTuple):
    paths: tuple[str, ...]
    command_line: CommandLine
    stdin_filename: str | None
    statistics: bool
    exit_zero: bool
    quiet: bool
    silent: bool
    show_files: bool
    jobs: int | None
    no_cache: bool = False
    cache_dir: str | None = None
    ignore_noqa: bool = False
    diff: bool = False
    fix_only: bool = False
    exit_non_zero_on_fix: bool = False
    add_noqa: str | None = None  # the reason to write after the codes ("" for none)
    isolated: bool = False
    config_overrides: tuple[str, ...] = ()  # `--config KEY=VALUE`, in order
    config_paths: tuple[str, ...] = ()  # every `--config PATH` given (more than one: an error)
    verbose: bool = False
    output_file: str | None = None
    show_settings: bool = False
    color: str = "auto"


class RuleArguments(NamedTuple):
    code: str | None
    all: bool
    output_format: str


def _comma_list(value: str) -> list[str]:
    """`--exclude a,b`: ruff takes comma-separated lists (and repeated options)."""
    return [item.strip() for item in value.split(",") if item.strip()]


def _selector_list(value: str) -> list[str]:
    """`--select HH001,HH002`. Empty items are kept, so that the selection rejects them as ruff
    does: `--select "$RULES"` with an unset variable must not silently check nothing."""
    return [item.strip() for item in value.split(",")]


def _flatten(groups: list[list[str]] | None) -> list[str] | None:
    return None if groups is None else [item for group in groups for item in group]


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def _terminal_columns() -> int:
    """`shutil.get_terminal_size().columns`: $COLUMNS, else the terminal's width, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    stdout = sys.__stdout__
    try:
        return (os.get_terminal_size(stdout.fileno()).columns if stdout else 0) or 80
    except (ValueError, OSError):
        return 80


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's, as wide as it makes itself, but without importing `shutil` for that: argparse
    makes a formatter for every option added (to check its metavar), and `shutil` brings `bz2`
    and `lzma` (~2 ms of every run, though only `--help` prints)."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        width = _terminal_columns() - 2 if width is None else width
        super().__init__(prog, indent_increment, max_help_position, width)


def _check_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        usage=USAGE,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=VERSION)
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or directories to check (default: .); `-` reads from standard input",
    )
    rules = parser.add_argument_group("rule selection")
    for flag, text in (
        ("--select", "rules to enable, replacing the configured selection (ALL, HH, HH0, HH001)"),
        ("--ignore", "rules to disable"),
        ("--extend-select", "rules to enable on top of the selection"),
    ):
        rules.add_argument(flag, action="append", type=_selector_list, metavar="RULES", help=text)
    files = parser.add_argument_group("file selection")
    files.add_argument(
        "--exclude",
        action="append",
        type=_comma_list,
        metavar="GLOBS",
        help="patterns to exclude, replacing the configured and default excludes",
    )
    files.add_argument(
        "--extend-exclude",
        action="append",
        type=_comma_list,
        metavar="GLOBS",
        help="patterns to exclude in addition to the configured and default excludes",
    )
    files.add_argument(
        "--force-exclude",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="apply excludes to paths named on the command line too (as pre-commit needs)",
    )
    files.add_argument(
        "--respect-gitignore",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="skip files ignored by .gitignore and .git/info/exclude (default: true)",
    )
    files.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="the name of the file read from standard input (for output, per-file-ignores and "
        "excludes)",
    )
    files.add_argument(
        "--config",
        action="append",
        metavar="PATH | KEY=VALUE",
        help="the configuration file to use for every file, or one setting to override "
        "(`--config 'select = [\"HH001\"]'`); repeatable",
    )
    files.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    files.add_argument(
        "--show-settings",
        action="store_true",
        help="print the settings the first file would be checked with, and exit",
    )
    files.add_argument(
        "--show-files", action="store_true", help="list the files that would be checked, and exit"
    )
    fixes = parser.add_argument_group("fixes")
    fixes.add_argument(
        "--fix",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="apply the safe fixes (and with --unsafe-fixes the unsafe ones too)",
    )
    fixes.add_argument(
        "--unsafe-fixes",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="include fixes that may change what the code does (see `rule CODE`)",
    )
    fixes.add_argument(
        "--show-fixes",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="list the fixed findings of each file after --fix",
    )
    fixes.add_argument(
        "--diff",
        action="store_true",
        help="print the fixes as a diff instead of writing them; exit 1 if there are any",
    )
    fixes.add_argument(
        "--fix-only",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="apply fixes, and neither report nor fail for the findings left",
    )
    fixes.add_argument(
        "--exit-non-zero-on-fix",
        action="store_true",
        help="exit 1 when files were fixed, even if no finding is left",
    )
    noqa = parser.add_argument_group("noqa")
    noqa.add_argument("--ignore-noqa", action="store_true", help="ignore every `# noqa` comment")
    noqa.add_argument(
        "--add-noqa",
        action="store_true",
        help="add `# noqa: CODE` to every line with a finding; `--add-noqa=REASON` writes a "
        "reason after the codes",
    )
    out = parser.add_argument_group("output")
    out.add_argument(
        "--output-format",
        choices=OUTPUT_FORMATS,
        help=f"how to print diagnostics (default: {DEFAULT_FORMAT})",
    )
    out.add_argument(
        "--statistics", action="store_true", help="print the number of findings per rule instead"
    )
    out.add_argument(
        "-o",
        "--output-file",
        metavar="PATH",
        default=os.environ.get(OUTPUT_FILE_ENV) or None,
        help=f"write the report to this file instead of standard output (environment: "
        f"{OUTPUT_FILE_ENV})",
    )
    out.add_argument(
        "--color",
        choices=COLOR_CHOICES,
        default="auto",
        help="colour the text formats: auto (on a terminal, unless NO_COLOR is set), always, never",
    )
    out.add_argument(
        "-e", "--exit-zero", action="store_true", help="exit with 0 even when there are findings"
    )
    out.add_argument(
        "-q", "--quiet", action="store_true", help="print diagnostics, but nothing else"
    )
    out.add_argument(
        "-s", "--silent", action="store_true", help="print nothing; only the exit status tells"
    )
    out.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also print, on stderr, how many files were checked, taken from the cache, "
        "summarised for the modules that import them, and read",
    )
    parser.add_argument(
        "--jobs",
        type=_positive,
        metavar="N",
        help="worker processes (default: 1 for small inputs, else one per available core)",
    )
    parser.add_argument(
        "-n",
        "--no-cache",
        action="store_true",
        help="neither read nor write the cache of earlier results",
    )
    parser.add_argument(
        "--cache-dir",
        metavar="PATH",
        default=os.environ.get(CACHE_DIR_ENV) or None,
        help=f"where to keep the cache (default: {DEFAULT_CACHE_DIR} in the project root; "
        f"environment: {CACHE_DIR_ENV})",
    )
    return parser


def _split_config(values: Sequence[str]) -> tuple[list[str], list[str]]:
    """`--config` values: files (an existing file, or a name ending in `.toml`), and `KEY=VALUE`
    overrides, as ruff tells them apart."""
    paths: list[str] = []
    overrides: list[str] = []
    for value in values:
        if os.path.isfile(value) or value.endswith(".toml") or "=" not in value:
            paths.append(value)
        else:
            overrides.append(value)
    return paths, overrides


def parse_check(argv: Sequence[str]) -> CheckArguments:
    # Paths may come between options, as in ruff: `honeyhive-lint src --select HH001 tests`.
    # Everything after `--` is a path; it is split off here because parse_intermixed_args
    # mishandles a leading `--` (Python 3.11 to 3.13).
    arguments = list(argv)
    end = arguments.index("--") if "--" in arguments else len(arguments)
    # `--add-noqa=REASON`, as in ruff: the reason is never a separate argument (it would take a
    # path), so it is split off before parsing.
    reasons = [
        argument.partition("=")[2]
        for argument in arguments[:end]
        if argument.startswith(f"{_ADD_NOQA}=")
    ]
    options = [argument for argument in arguments[:end] if not argument.startswith(f"{_ADD_NOQA}=")]
    if reasons:
        options.append(_ADD_NOQA)
    namespace = _check_parser().parse_intermixed_args(options)
    paths = (*namespace.paths, *arguments[end + 1 :])
    config_paths, overrides = _split_config(namespace.config or [])
    command_line = CommandLine(
        config=config_paths[-1] if config_paths else None,
        select=_flatten(namespace.select),
        ignore=_flatten(namespace.ignore) or (),
        extend_select=_flatten(namespace.extend_select) or (),
        exclude=_flatten(namespace.exclude),
        extend_exclude=_flatten(namespace.extend_exclude) or (),
        force_exclude=namespace.force_exclude,
        respect_gitignore=namespace.respect_gitignore,
        output_format=namespace.output_format,
        fix=namespace.fix,
        unsafe_fixes=namespace.unsafe_fixes,
        show_fixes=namespace.show_fixes,
    )
    return CheckArguments(
        paths=paths,
        command_line=command_line,
        stdin_filename=namespace.stdin_filename,
        statistics=namespace.statistics,
        exit_zero=namespace.exit_zero,
        quiet=namespace.quiet or namespace.silent,
        verbose=namespace.verbose and not (namespace.quiet or namespace.silent),
        silent=namespace.silent,
        show_files=namespace.show_files,
        jobs=namespace.jobs,
        no_cache=namespace.no_cache,
        cache_dir=namespace.cache_dir,
        ignore_noqa=namespace.ignore_noqa,
        diff=namespace.diff,
        fix_only=namespace.fix_only,
        exit_non_zero_on_fix=namespace.exit_non_zero_on_fix,
        add_noqa=(reasons[-1] if reasons else "") if namespace.add_noqa else None,
        isolated=namespace.isolated,
        config_overrides=tuple(overrides),
        output_file=namespace.output_file,
        show_settings=namespace.show_settings,
        color=namespace.color,
        config_paths=tuple(config_paths),
    )


def parse_rule(argv: Sequence[str]) -> RuleArguments:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} rule",
        description="Show a rule's documentation, like `ruff rule`.",
    )
    parser.add_argument("code", nargs="?", metavar="CODE", help="the rule code, such as HH001")
    parser.add_argument("--all", action="store_true", help="show every rule")
    parser.add_argument("--output-format", choices=("text", "json"), default="text")
    namespace = parser.parse_args(argv)
    if (namespace.code is None) == (not namespace.all):
        parser.error("give either a rule code or --all")
    return RuleArguments(namespace.code, namespace.all, namespace.output_format)
