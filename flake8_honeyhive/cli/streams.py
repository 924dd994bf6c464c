"""The standard streams, whatever state the command is started in.

A closed standard stream (`2>&-`, `>&-`, `<&-`) leaves Python with `None` for it, and `print` to a
`None` file writes to stdout: warnings would land in the JSON. A full disk (`> /dev/full`) or a
closed pipe fail only when written to. Every write goes through here, so none of these is a
traceback: a closed pipe or stream ends the output quietly, as `head` expects, and a failing
write is an error (exit status 2), as in ruff.
"""

from __future__ import annotations

import io
import os
import sys

__all__ = [
    "ErrorOutput",
    "FileOutput",
    "Output",
    "OutputError",
    "error",
    "info",
    "protect_standard_descriptors",
    "use_color",
    "warn",
]


class OutputError(Exception):
    """The output could not be written (a full disk, an I/O error)."""


def protect_standard_descriptors() -> None:
    """Point closed descriptors 0-2 at /dev/null.

    Otherwise the next file opened (a source file, the cache) would take the number, and whatever
    writes to "stderr" (a worker process's last words) would write into it.
    """
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            opened = os.open(os.devnull, os.O_RDWR)  # the lowest free number: this one
            if opened != descriptor:
                os.close(opened)
    # Python saw them closed and set None: `print` to a None stderr would write to stdout, and
    # argparse's `--version` to a None stdout would write to stderr.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (for the life of the process)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115


def _to_stderr(text: str) -> None:
    stream = sys.stderr
    if stream is None:
        return  # closed: there is nowhere to say it
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError):
        pass


def warn(message: str) -> None:
    _to_stderr(f"warning: {message}\n")


def info(message: str) -> None:
    _to_stderr(f"info: {message}\n")


def error(message: str) -> None:
    _to_stderr(f"error: {message}\n")


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's final flush does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass
    finally:
        os.close(devnull)


class Output:
    """stdout that survives a closed pipe (`honeyhive-lint | head`): later writes are dropped."""

    def __init__(self) -> None:
        self.closed = sys.stdout is None
        if isinstance(sys.stdout, io.TextIOWrapper):
            # Never fail on a path or message the terminal's encoding cannot show.
            sys.stdout.reconfigure(errors="backslashreplace")

    def write(self, text: str) -> None:
        if self.closed or not text:
            return
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            self.closed = True
            _silence_stdout()
        except (OSError, ValueError) as failure:
            self.closed = True
            _silence_stdout()
            detail = failure.strerror if isinstance(failure, OSError) else None
            raise OutputError(f"cannot write the output: {detail or failure}") from None


class ErrorOutput:
    """Standard error as an output: the report, when stdout carries the fixed source."""

    def write(self, text: str) -> None:
        if text:
            _to_stderr(text)


class FileOutput:
    """`--output-file PATH`: the report goes to a file (its directory is created, as ruff does)."""

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            directory = os.path.dirname(os.path.abspath(path))
            os.makedirs(directory, exist_ok=True)
            self._handle = open(path, "w", encoding="utf-8", errors="backslashreplace")  # noqa: SIM115
        except OSError as failure:
            detail = failure.strerror or str(failure)
            raise OutputError(f"cannot write the output to {path}: {detail}") from None

    def write(self, text: str) -> None:
        try:
            self._handle.write(text)
        except OSError as failure:
            detail = failure.strerror or str(failure)
            raise OutputError(f"cannot write the output to {self.path}: {detail}") from None

    def close(self) -> None:
        try:
            self._handle.close()
        except OSError as failure:
            detail = failure.strerror or str(failure)
            raise OutputError(f"cannot write the output to {self.path}: {detail}") from None


def use_color(mode: str, out: object) -> bool:
    """`--color`: always, never, or (auto) on a terminal unless NO_COLOR is set, as ruff's
    colour library decides; FORCE_COLOR turns it on."""
    if mode != "auto":
        return mode == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR") or os.environ.get("CLICOLOR_FORCE"):
        return True
    if not isinstance(out, Output) or sys.stdout is None:
        return False
    try:
        return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
    except (ValueError, OSError):
        return False


def flush_at_exit() -> None:
    """Flush stdout now (argparse's `--help` may still hold text), quietly if that fails."""
    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        _silence_stdout()
