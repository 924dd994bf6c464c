"""`honeyhive-lint check`: settings, discovery, checking, output and the exit code."""

from __future__ import annotations

import os
import sys
from typing import Protocol

from flake8_honeyhive.cli.cache import DEFAULT_CACHE_DIR, Cache
from flake8_honeyhive.cli.config import ConfigError
from flake8_honeyhive.cli.diagnostics import Diagnostic
from flake8_honeyhive.cli.discovery import DiscoveryOptions, discover
from flake8_honeyhive.cli.lint import FileJob, needs_checking
from flake8_honeyhive.cli.options import CheckArguments
from flake8_honeyhive.cli.output import (
    SUMMARY_FORMATS,
    Report,
    printable,
    relative_path,
    render,
    summary,
)
from flake8_honeyhive.cli.runner import RunResult, check_files, check_jobs
from flake8_honeyhive.cli.selectors import UnknownSelectorError
from flake8_honeyhive.cli.settings import Settings, build_settings
from flake8_honeyhive.cli.streams import error, warn

__all__ = ["STDIN", "run_check"]

STDIN = "-"
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class Writer(Protocol):
    def write(self, text: str) -> None: ...


def run_check(arguments: CheckArguments, out: Writer) -> int:
    cwd = os.getcwd()
    try:
        settings = build_settings(arguments.command_line, cwd)
    except (ConfigError, UnknownSelectorError) as invalid:
        error(str(invalid))
        return EXIT_USAGE
    read_stdin = STDIN in arguments.paths or (
        not arguments.paths and arguments.stdin_filename is not None
    )
    paths = [path for path in arguments.paths if path != STDIN]
    if not paths and not read_stdin:
        paths = ["."]
    options = DiscoveryOptions(
        excludes=settings.excludes,
        respect_gitignore=settings.respect_gitignore,
        force_exclude=settings.force_exclude,
        project_root=settings.project_root,
    )
    discovered = discover(paths, options)
    files = discovered.files
    if not arguments.quiet:
        for problem in discovered.problems:
            warn(f"Failed to read {printable(relative_path(problem.path, cwd))}: {problem.detail}")
    if arguments.show_files:
        out.write("".join(f"{path}\n" for path in files))
        return EXIT_OK
    cache = None
    if (
        not arguments.no_cache and not arguments.ignore_noqa
    ):  # the cache holds results with noqa comments honoured
        directory = arguments.cache_dir or os.path.join(settings.project_root, DEFAULT_CACHE_DIR)
        cache = Cache.load(os.path.abspath(directory))
    result = check_files(
        files,
        settings.enabled_for,
        jobs=arguments.jobs,
        cache=cache,
        ignore_noqa=arguments.ignore_noqa,
    )
    if cache is not None and (failure := cache.save()) and not arguments.quiet:
        warn(failure)
    if read_stdin:
        _check_stdin(arguments.stdin_filename, settings, result, arguments.ignore_noqa)
    elif not files and not arguments.quiet:
        warn("No Python files found under the given path(s)")
    report = Report(
        diagnostics=sorted(
            (d for outcome in result.outcomes for d in outcome.diagnostics),
            key=lambda diagnostic: diagnostic.sort_key,
        ),
        cwd=cwd,
        sources=result.sources,
    )
    if not arguments.quiet:
        _print_warnings(result, report)
    if not arguments.silent:
        _print_report(arguments, settings, report, out)
    findings = bool(report.diagnostics)
    return EXIT_FINDINGS if findings and not arguments.exit_zero else EXIT_OK


def _check_stdin(
    filename: str | None, settings: Settings, result: RunResult, ignore_noqa: bool
) -> None:
    path = os.path.abspath(filename) if filename else STDIN
    if (
        filename
        and settings.force_exclude
        and settings.excludes.excludes(path, settings.project_root)
    ):
        return  # excluded, as ruff does for pre-commit style invocations
    # A closed standard input reads as empty, as in ruff.
    source = sys.stdin.buffer.read() if sys.stdin is not None else b""
    enabled = settings.enabled_for(path)
    if enabled and needs_checking(source, enabled):
        check_jobs([FileJob(path, source, enabled, ignore_noqa)], result, jobs=1)


def _print_warnings(result: RunResult, report: Report) -> None:
    for outcome in sorted(result.outcomes, key=lambda outcome: outcome.path):
        for warning in outcome.warnings:
            location = f"{report.display_path(outcome.path)}:{warning.row}"
            warn(f"{warning.headline} on {location}: {warning.detail}")


def _print_report(
    arguments: CheckArguments, settings: Settings, report: Report, out: Writer
) -> None:
    diagnostics: list[Diagnostic] = list(report.diagnostics)
    if arguments.statistics:
        from flake8_honeyhive.cli.output.statistics import statistics  # noqa: PLC0415

        as_json = settings.output_format == "json"
        out.write(statistics(diagnostics, as_json=as_json))
        if not as_json and not arguments.quiet and diagnostics:
            out.write(summary(len(diagnostics)))
        return
    out.write(render(settings.output_format, report))
    if settings.output_format in SUMMARY_FORMATS and not arguments.quiet:
        out.write(summary(len(diagnostics)))
