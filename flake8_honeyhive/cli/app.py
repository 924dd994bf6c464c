"""The `honeyhive-lint` command: parse arguments, run a command, return the exit status."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from flake8_honeyhive.cli.options import (
    SERVER_HELP,
    CheckArguments,
    RuleArguments,
    parse_check,
    parse_rule,
)
from flake8_honeyhive.cli.streams import (
    Output,
    OutputError,
    error,
    flush_at_exit,
    protect_standard_descriptors,
)

__all__ = ["EXIT_FINDINGS", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
EXIT_TERMINATED = 143  # 128 + SIGTERM


# ruff's global options, which may also come before the subcommand (`ruff -q check src`).
_GLOBAL_FLAGS = frozenset({"-q", "--quiet", "-s", "--silent", "--isolated"})
_GLOBAL_WITH_VALUE = frozenset({"--config", "--color"})


def _subcommand_index(arguments: Sequence[str]) -> int:
    """Where a subcommand would be: after any leading global options."""
    index = 0
    while index < len(arguments):
        argument = arguments[index]
        if argument in _GLOBAL_FLAGS or argument.partition("=")[0] in _GLOBAL_WITH_VALUE:
            index += 1 if argument in _GLOBAL_FLAGS or "=" in argument else 2
        else:
            break
    return index


def _error(message: str) -> int:
    error(message)
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    protect_standard_descriptors()
    try:
        index = _subcommand_index(arguments)
        if arguments[index : index + 1] == ["rule"]:
            return _rule(parse_rule(arguments[index + 1 :]))  # global options change nothing here
        if arguments[index : index + 1] == ["server"]:
            return _server(arguments[index + 1 :])
        if arguments[index : index + 1] == ["check"]:
            del arguments[index]
        return _check(parse_check(arguments))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except OutputError as failure:
        return _error(str(failure))
    except BaseException as stop:
        runner = sys.modules.get("flake8_honeyhive.cli.runner")  # loaded if workers ran
        if runner is not None and isinstance(stop, runner.Terminated):
            return EXIT_TERMINATED  # SIGTERM while workers ran: they are ended
        raise
    finally:
        flush_at_exit()  # argparse's --help and --version write without flushing


def _rule(arguments: RuleArguments) -> int:
    from flake8_honeyhive.cli.explain import all_rules, explain_json, explain_text  # noqa: PLC0415
    from flake8_honeyhive.rules import RULES  # noqa: PLC0415

    if arguments.all:
        rules = all_rules()
    elif arguments.code is not None and arguments.code in RULES:
        rules = [RULES[arguments.code]]
    else:
        return _error(f"unknown rule code `{arguments.code}` (known: {', '.join(RULES)})")
    if arguments.output_format == "json":
        text = explain_json(rules, many=arguments.all)
    else:
        text = explain_text(rules)
    Output().write(text)
    return EXIT_OK


def _server(arguments: Sequence[str]) -> int:
    """`honeyhive-lint server`: the language server, over stdio."""
    if list(arguments) in (["-h"], ["--help"]):
        Output().write(SERVER_HELP)
        return EXIT_OK
    if arguments:
        return _error(f"`server` takes no arguments, not {' '.join(arguments)}")
    try:
        from flake8_honeyhive.server.lsp import main as serve  # noqa: PLC0415
    except ImportError as missing:
        return _error(f"the language server needs pygls ({missing}): pip install 'honeyhive[lsp]'")
    return serve()


def _check(arguments: CheckArguments) -> int:
    # Imported here so that `--version`, `--help` and `rule` stay fast.
    from flake8_honeyhive.cli.check import run_check  # noqa: PLC0415

    return run_check(arguments, Output())
