"""`honeyhive-lint check`: settings, discovery, checking, fixes, output and the exit code."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Protocol

from flake8_honeyhive.cli.cache import DEFAULT_CACHE_DIR, Cache
from flake8_honeyhive.cli.config import ConfigError, parse_override
from flake8_honeyhive.cli.diagnostics import Diagnostic
from flake8_honeyhive.cli.discovery import DiscoveryOptions, discover
from flake8_honeyhive.cli.lint import FileJob, FileOutcome, needs_checking
from flake8_honeyhive.cli.options import CheckArguments
from flake8_honeyhive.cli.output import (
    SUMMARY_FORMATS,
    Report,
    fix_summary,
    printable,
    relative_path,
    render,
    summary,
)
from flake8_honeyhive.cli.runner import RunResult, check_files, check_jobs
from flake8_honeyhive.cli.selectors import UnknownSelectorError
from flake8_honeyhive.cli.settings import Resolver, Settings
from flake8_honeyhive.cli.streams import (
    ErrorOutput,
    FileOutput,
    OutputError,
    error,
    info,
    use_color,
    warn,
)
from flake8_honeyhive.fixes.model import SAFE, UNSAFE

if TYPE_CHECKING:
    from flake8_honeyhive.project import Summaries

__all__ = ["STDIN", "run_check"]

STDIN = "-"
_TIMES = "\N{MULTIPLICATION SIGN}"  # as ruff counts fixes: `1 <times> F401`
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class Writer(Protocol):
    def write(self, text: str) -> None: ...


def _resolver(arguments: CheckArguments, cwd: str) -> Resolver:
    """The settings of the run, from the configuration files and the command line."""
    if len(arguments.config_paths) > 1:
        raise ConfigError("give at most one configuration file with --config")
    if arguments.isolated and arguments.config_paths:
        raise ConfigError(f"--config {arguments.config_paths[0]} cannot be used with --isolated")
    overrides: dict[str, object] = {}
    for text in arguments.config_overrides:
        overrides.update(parse_override(text))
    return Resolver(arguments.command_line, cwd, isolated=arguments.isolated, overrides=overrides)


def run_check(arguments: CheckArguments, out: Writer) -> int:
    cwd = os.getcwd()
    try:
        resolver = _resolver(arguments, cwd)
    except (ConfigError, UnknownSelectorError) as invalid:
        error(str(invalid))
        return EXIT_USAGE
    if arguments.output_file is not None:
        try:
            out = FileOutput(arguments.output_file)
        except OutputError as failure:
            error(str(failure))
            return EXIT_USAGE
    try:
        return _run(arguments, resolver, cwd, out)
    except (ConfigError, UnknownSelectorError) as invalid:  # a sub-project's configuration
        error(str(invalid))
        return EXIT_USAGE
    finally:
        if isinstance(out, FileOutput):
            out.close()


def _run(arguments: CheckArguments, resolver: Resolver, cwd: str, out: Writer) -> int:
    settings = resolver.root
    read_stdin = STDIN in arguments.paths or (
        not arguments.paths and arguments.stdin_filename is not None
    )
    fixing = settings.fix or arguments.fix_only or arguments.diff
    if arguments.add_noqa is not None and (fixing or read_stdin):
        other = "standard input" if read_stdin else "--fix, --fix-only or --diff"
        error(f"--add-noqa cannot be used with {other}")
        return EXIT_USAGE
    paths = [path for path in arguments.paths if path != STDIN]
    if not paths and not read_stdin:
        paths = ["."]
    options = DiscoveryOptions(
        excludes=settings.excludes,
        respect_gitignore=settings.respect_gitignore,
        force_exclude=settings.force_exclude,
        project_root=settings.project_root,
        for_directory=resolver.for_directory,
    )
    discovered = discover(paths, options)
    files = discovered.files
    if not arguments.quiet:
        for problem in discovered.problems:
            warn(f"Failed to read {printable(relative_path(problem.path, cwd))}: {problem.detail}")
    if arguments.show_files:
        out.write("".join(f"{path}\n" for path in files))
        return EXIT_OK
    if arguments.show_settings:
        from flake8_honeyhive.cli.show_settings import show_settings  # noqa: PLC0415

        target = files[0] if files else os.path.abspath(paths[0] if paths else ".")
        out.write(show_settings(target, resolver.for_path(target), resolver.root, arguments))
        return EXIT_OK
    fix = (UNSAFE if settings.unsafe_fixes else SAFE) if fixing else None
    cache = None
    # The cache holds results with noqa comments honoured.
    if not arguments.no_cache and not arguments.ignore_noqa:
        directory = arguments.cache_dir or os.path.join(settings.project_root, DEFAULT_CACHE_DIR)
        cache = Cache.load(os.path.abspath(directory))
    result = check_files(
        files,
        resolver.enabled_for,
        jobs=arguments.jobs,
        cache=cache,
        ignore_noqa=arguments.ignore_noqa,
        fix=fix,
        roots_for=resolver.src_for,
    )
    if cache is not None and (failure := cache.save()) and not arguments.quiet:
        warn(failure)
    if arguments.verbose:
        checked = len(result.outcomes) - result.from_cache
        info(
            f"{checked} file{'s' if checked != 1 else ''} checked, {result.from_cache} from the "
            f"cache; {result.summarised} module{'s' if result.summarised != 1 else ''} summarised "
            f"for their importers; {result.files_read} file{'s' if result.files_read != 1 else ''}"
            " read"
        )
    stdin_path = None
    if read_stdin:
        stdin_path = _check_stdin(arguments, resolver, result, fix)
    elif not files and not arguments.quiet:
        warn("No Python files found under the given path(s)")
    originals = {}  # a fixed file was checked, so its bytes were read
    for outcome in result.outcomes:
        if outcome.fixed_source is not None:
            originals[outcome.path] = result.sources[outcome.path]
            result.sources[outcome.path] = outcome.fixed_source
    report = Report(
        diagnostics=sorted(
            (d for outcome in result.outcomes for d in outcome.diagnostics),
            key=lambda diagnostic: diagnostic.sort_key,
        ),
        cwd=cwd,
        sources=result.sources,
        unsafe_fixes=settings.unsafe_fixes,
        color=use_color(arguments.color, out),
    )
    if not arguments.quiet:
        _print_warnings(result, report)
    if arguments.add_noqa is not None:
        from flake8_honeyhive.cli.apply import add_noqa  # noqa: PLC0415

        return add_noqa(report, arguments.add_noqa, quiet=arguments.quiet)
    fixed = sum(count for outcome in result.outcomes for _, count in outcome.fixed)
    failed_writes = False
    if fixing:
        from flake8_honeyhive.cli.apply import print_fixed_stdin, write_fixes  # noqa: PLC0415

        changed = [o for o in result.outcomes if o.fixed_source is not None]
        if arguments.diff:
            return _print_diffs(
                arguments,
                report,
                changed=changed,
                originals=originals,
                stdin_path=stdin_path,
                fixed=fixed,
                out=out,
            )
        failed_writes = not write_fixes(
            [outcome for outcome in changed if outcome.path != stdin_path], report
        )
        if stdin_path is not None:
            # The fixed source goes to stdout, as ruff does; everything else to stderr.
            print_fixed_stdin(result.sources.get(stdin_path, b""), out)
            out = ErrorOutput()
        if arguments.fix_only:
            if not arguments.quiet:
                hidden = sum(map(report.hidden_unsafe, report.diagnostics))
                out.write(fix_summary("Fixed", fixed, hidden))
            status = EXIT_FINDINGS if arguments.exit_non_zero_on_fix and fixed else EXIT_OK
            return EXIT_USAGE if failed_writes else status
    if not arguments.silent:
        _print_report(arguments, settings, report, outcomes=result.outcomes, fixed=fixed, out=out)
    status = EXIT_OK
    if report.diagnostics and not arguments.exit_zero:
        status = EXIT_FINDINGS
    if fixed and arguments.exit_non_zero_on_fix:
        status = EXIT_FINDINGS
    return EXIT_USAGE if failed_writes else status


def _check_stdin(
    arguments: CheckArguments, resolver: Resolver, result: RunResult, fix: str | None
) -> str:
    """Check standard input; the path its outcome has (its source is in `result.sources`)."""
    filename = arguments.stdin_filename
    path = os.path.abspath(filename) if filename else STDIN
    settings = resolver.for_path(path) if filename else resolver.root
    # A closed standard input reads as empty, as in ruff.
    source = sys.stdin.buffer.read() if sys.stdin is not None else b""
    # Excluded (`--force-exclude`, as pre-commit style invocations use): not checked, and with
    # `--fix` printed back unchanged, as ruff does.
    excluded = bool(
        filename
        and settings.force_exclude
        and settings.excludes.excludes(path, settings.project_root)
    )
    enabled = frozenset() if excluded else settings.enabled_for(path)
    project: Summaries = ()
    package = ""
    if filename and enabled:
        from flake8_honeyhive.cli.crossmodule import project_on_disk  # noqa: PLC0415

        project, package = project_on_disk(path, source, settings.src)
    if enabled and needs_checking(source, enabled, anywhere=bool(project)):
        job = FileJob(path, source, enabled, arguments.ignore_noqa, fix, project, package)
        check_jobs([job], result, jobs=1)
    else:
        result.sources[path] = source  # unchanged, for `--fix` to print back
    return path


def _print_warnings(result: RunResult, report: Report) -> None:
    for outcome in sorted(result.outcomes, key=lambda outcome: outcome.path):
        for warning in outcome.warnings:
            location = f"{report.display_path(outcome.path)}:{warning.row}"
            warn(f"{warning.headline} on {location}: {warning.detail}")
        for problem in outcome.problems:
            warn(f"{report.display_path(outcome.path)}: {problem}")


def _print_diffs(
    arguments: CheckArguments,
    report: Report,
    *,
    changed: list[FileOutcome],
    originals: dict[str, bytes],
    stdin_path: str | None,
    fixed: int,
    out: Writer,
) -> int:
    """`--diff`: the fixes as a unified diff; exit 1 if there is one."""
    from flake8_honeyhive.cli.apply import unified_diff  # noqa: PLC0415

    for outcome in sorted(changed, key=lambda outcome: outcome.path):
        assert outcome.fixed_source is not None
        name = None if outcome.path == stdin_path else report.display_path(outcome.path)
        out.write(unified_diff(name, originals[outcome.path], outcome.fixed_source))
    if not arguments.quiet:
        hidden = sum(map(report.hidden_unsafe, report.diagnostics))
        summary_out = ErrorOutput() if stdin_path is not None else out
        summary_out.write(fix_summary("Would fix", fixed, hidden))
    return EXIT_FINDINGS if changed else EXIT_OK


def _fixed_list(report: Report, outcomes: list[FileOutcome]) -> str:
    """`--show-fixes`: the findings fixed in each file, as ruff lists them."""
    from flake8_honeyhive.rules import RULES  # noqa: PLC0415

    lines = []
    total = 0
    for outcome in sorted(outcomes, key=lambda outcome: outcome.path):
        if not outcome.fixed:
            continue
        lines.append(f"- {report.display_path(outcome.path)}:")
        for code, count in sorted(outcome.fixed, key=lambda item: (-item[1], item[0])):
            lines.append(f"    {count} {_TIMES} {code} ({RULES[code].symbol})")
            total += count
    if not total:
        return ""
    return f"\nFixed {total} error{'s' if total != 1 else ''}:\n" + "\n".join(lines) + "\n\n"


def _print_report(
    arguments: CheckArguments,
    settings: Settings,
    report: Report,
    *,
    outcomes: list[FileOutcome],
    fixed: int,
    out: Writer,
) -> None:
    diagnostics: list[Diagnostic] = list(report.diagnostics)
    if arguments.statistics:
        from flake8_honeyhive.cli.output.statistics import statistics  # noqa: PLC0415

        as_json = settings.output_format == "json"
        out.write(statistics(report, as_json=as_json))
        if not as_json and not arguments.quiet and diagnostics:
            out.write(summary(report, fixed))
        return
    out.write(render(settings.output_format, report))
    if settings.output_format in SUMMARY_FORMATS and not arguments.quiet:
        if settings.show_fixes:
            out.write(_fixed_list(report, outcomes))
        out.write(summary(report, fixed))
