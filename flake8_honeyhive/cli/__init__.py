"""`honeyhive-lint`: the HH rules as a standalone command that runs beside ruff.

This module stays tiny so that the console script starts fast: the work is imported on demand.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import NoReturn

__all__ = ["console_main", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with `argv` (default: `sys.argv[1:]`) and return its exit status."""
    from flake8_honeyhive.cli.app import main as run  # noqa: PLC0415

    return run(argv)


def console_main() -> NoReturn:
    """The `honeyhive-lint` executable: `main()`, then an exit without the interpreter's teardown.

    Tearing down frees every object of the run one by one (each source read, each finding): about
    20 ms after a large run, which mypy's fast exit skips the same way. By the time `main` returns,
    the cache is saved and the workers have ended; only the standard streams remain to flush.
    """
    status = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass  # a closed pipe: what it took was written, as `flush_at_exit` already said
    os._exit(status)
