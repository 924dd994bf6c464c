"""`honeyhive-lint`: the HH rules as a standalone command that runs beside ruff.

This module stays tiny so that the console script starts fast: the work is imported on demand.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with `argv` (default: `sys.argv[1:]`) and return its exit status."""
    from flake8_honeyhive.cli.app import main as run  # noqa: PLC0415

    return run(argv)
