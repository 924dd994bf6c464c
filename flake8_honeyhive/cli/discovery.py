"""Which files to check: ruff's discovery rules.

Directories are walked for `*.py` and `*.pyi` files, skipping excluded and git-ignored entries and
virtualenvs. A path named on the command line is always checked (even with another extension, and
even if a pattern excludes it) unless `--force-exclude` is given; `.gitignore` never removes a path
named on the command line, as in ruff.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable
from typing import NamedTuple, Protocol

from flake8_honeyhive.cli.gitignore import GIT, GITIGNORE, IgnoreRules, rules_for_directory
from flake8_honeyhive.cli.globs import PathPatterns

__all__ = [
    "DEFAULT_EXCLUDES",
    "PYTHON_SUFFIXES",
    "DirectorySettings",
    "Discovered",
    "DiscoveryOptions",
    "Problem",
    "discover",
]

# ruff's default `exclude`, plus `build` and `__pycache__`, which this tool also skips by default.
DEFAULT_EXCLUDES = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pyenv",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    ".vscode",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
)
PYTHON_SUFFIXES = (".py", ".pyi")
# Any directory holding this file is a virtualenv (PEP 405), whatever its name.
VIRTUALENV_MARKER = "pyvenv.cfg"


class DirectorySettings(Protocol):
    """What discovery needs of a directory's settings (cli.settings.Settings has it)."""

    @property
    def excludes(self) -> PathPatterns: ...
    @property
    def force_exclude(self) -> bool: ...
    @property
    def project_root(self) -> str: ...


class DiscoveryOptions(NamedTuple):
    excludes: PathPatterns
    respect_gitignore: bool = True
    force_exclude: bool = False
    project_root: str = "."
    # The settings of each directory (hierarchical configuration), given its entries if read;
    # None: the fields above apply everywhere.
    for_directory: Callable[[str, Collection[str] | None], DirectorySettings] | None = None

    def settings(self, directory: str, names: Collection[str] | None = None) -> DirectorySettings:
        if self.for_directory is None:
            return self
        return self.for_directory(directory, names)


class Problem(NamedTuple):
    """An entry the walk could not look into (a loop of links, no permission, a path too long).

    Reported as a warning, as ruff does; the other files are checked.
    """

    path: str
    detail: str


class Discovered(NamedTuple):
    files: list[str]  # absolute, sorted, without duplicates
    problems: list[Problem]


def discover(paths: Iterable[str], options: DiscoveryOptions) -> Discovered:
    """The files to check, and the entries that could not be looked into."""
    found: set[str] = set()
    problems: list[Problem] = []
    for given in paths:
        path = os.path.abspath(given)
        settings = options.settings(os.path.dirname(path))
        if settings.force_exclude and settings.excludes.excludes(path, settings.project_root):
            continue
        if os.path.isdir(path):
            found.update(_walk(path, options, problems))
        else:
            # Checked even if it does not exist: reading it then reports the error.
            found.add(path)
    return Discovered(sorted(found), sorted(problems, key=lambda problem: problem.path))


def _problem(path: str, error: OSError) -> Problem:
    return Problem(path, error.strerror or str(error))


def _walk(root: str, options: DiscoveryOptions, problems: list[Problem]) -> list[str]:
    files: list[str] = []
    start_rules = IgnoreRules()
    if options.respect_gitignore:
        start_rules = rules_for_directory(root).for_named_directory(root)
    pending: list[tuple[str, IgnoreRules]] = [(root, start_rules)]
    while pending:
        directory, rules = pending.pop()
        try:
            with os.scandir(directory) as iterator:
                entries = list(iterator)
        except FileNotFoundError:
            continue  # vanished since its parent was read
        except OSError as error:  # no permission, a path longer than the system allows
            problems.append(_problem(directory, error))
            continue
        names = {entry.name for entry in entries}
        excludes = options.settings(directory, names).excludes
        if directory != root:
            if VIRTUALENV_MARKER in names:
                continue
            if options.respect_gitignore:
                rules = rules.enter(directory, GITIGNORE in names, GIT in names)
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                if not is_dir and not name.endswith(PYTHON_SUFFIXES):
                    continue
                path = entry.path
                if excludes.matches(path, name) or (rules.levels and rules.ignores(path, is_dir)):
                    continue
                if is_dir:
                    pending.append((path, rules))
                elif entry.is_file() or (entry.is_symlink() and not os.path.exists(path)):
                    # Regular files and links to them; a dangling link too, to report it. Not a
                    # FIFO or socket that happens to end in .py: reading one could block forever.
                    files.append(path)
            except OSError as error:  # a loop of links, a link into a directory we cannot read
                problems.append(_problem(entry.path, error))
    return files
