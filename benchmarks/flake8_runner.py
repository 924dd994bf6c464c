"""Run flake8 as its console script does, with or without the HH plugin, in the same environment.

    python benchmarks/flake8_runner.py with-hh [FLAKE8 ARGS]
    python benchmarks/flake8_runner.py without-hh [FLAKE8 ARGS]

flake8 runs every installed plugin whatever `--select` says, so "without" has to hide the plugin
from discovery. flake8 7 discovers plugins in `flake8.plugins.finder.find_plugins`, which
`flake8.options.parse_args` looks up on the module at call time; wrapping it there drops the `HH`
entry point before flake8 loads any plugin. `-j` workers are forked after that (or, with spawn,
re-run the same lookup), so they see the same plugin set. Both modes go through this script, so
they pay the same start-up.
"""

from __future__ import annotations

import sys
from typing import Any

from flake8.main.cli import main as flake8_main
from flake8.plugins import finder

MODES = ("with-hh", "without-hh")
HH_ENTRY_POINT = "HH"
HH_DISTRIBUTION = "honeyhive"


def _is_hh(plugin: Any) -> bool:
    return bool(plugin.package == HH_DISTRIBUTION and plugin.entry_point.name == HH_ENTRY_POINT)


def hide_hh_plugin() -> None:
    find_plugins = finder.find_plugins

    def find_plugins_without_hh(*args: Any, **kwargs: Any) -> list[Any]:
        return [plugin for plugin in find_plugins(*args, **kwargs) if not _is_hh(plugin)]

    finder.find_plugins = find_plugins_without_hh


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in MODES:
        print(f"usage: flake8_runner.py {{{','.join(MODES)}}} [FLAKE8 ARGS]", file=sys.stderr)
        return 2
    if argv[0] == "without-hh":
        hide_hh_plugin()
    return int(flake8_main(argv[1:]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
