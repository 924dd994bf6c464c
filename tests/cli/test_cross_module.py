"""The CLI sees the whole project: the same findings as pylint on a multi-module project, flake8's
per-module subset, and a cache that re-checks only the importers of an edited module."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_honeyhive.rules import PYLINT_RULES
from tests.cli.helpers import lint, write
from tests.lint.test_flake8_e2e import flake8

PROJECT = Path(__file__).parent.parent / "fixtures_project"
Finding = tuple[str, int, str]  # path relative to the project, line, code
_CODE_BY_SYMBOL = {rule.symbol: rule.code for rule in PYLINT_RULES.values()}
_VERBOSE = re.compile(
    r"info: (\d+) files? checked, (\d+) from the cache; (\d+) modules? summarised"
)


def expected(name: str) -> set[Finding]:
    found = set()
    for line in (PROJECT / name).read_text().splitlines():
        if line and not line.startswith("#"):
            path, row, code = line.split(":")
            found.add((path, int(row), code))
    return found


def cli_findings(root: Path, *args: str) -> tuple[set[Finding], str]:
    run = lint("check", "--output-format", "json", "--exit-zero", *args, ".", cwd=root)
    assert run.returncode == 0, run.stderr
    findings = {
        (str(Path(d["filename"]).relative_to(root)), d["location"]["row"], d["code"])
        for d in run.json()
    }
    return findings, run.stderr


def counts(stderr: str) -> tuple[int, int, int]:
    """(files checked, files from the cache, modules summarised), from `--verbose`."""
    match = _VERBOSE.search(stderr)
    assert match, stderr
    checked, cached, summarised = map(int, match.groups())
    return checked, cached, summarised


def test_the_cli_finds_what_pylint_finds_across_modules() -> None:
    cli, _ = cli_findings(PROJECT, "--no-cache")
    template = "--msg-template={path}:{line}:{symbol}"
    pylint = subprocess.run(
        [
            *(sys.executable, "-m", "pylint", "--persistent=n", "--score=n"),
            *("--load-plugins=pylint_honeyhive", "--disable=all"),
            *(f"--enable={','.join(_CODE_BY_SYMBOL)}", template, "app", "src/worker"),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=300,
        check=False,
    )
    reported = set()
    for line in pylint.stdout.splitlines():
        if line.startswith("*" * 13):
            continue
        path, row, symbol = line.split(":")
        reported.add((path, int(row), _CODE_BY_SYMBOL[symbol]))
    assert cli == expected("expected.txt")
    assert reported == cli


def test_flake8_stays_per_module() -> None:
    result = flake8("--select=HH", "--format=%(path)s:%(row)d:%(code)s", ".", cwd=PROJECT)
    reported = {
        (path.removeprefix("./"), int(row), code)
        for path, row, code in (line.split(":") for line in result.stdout.splitlines())
    }
    assert reported == expected("expected_flake8.txt")


def test_module_names_follow_the_src_setting(tmp_path: Path) -> None:
    """Run from above the project, the project's own configuration names its modules; without
    `src/` as a root, `worker.setup` is not found and src/worker/jobs.py stays silent."""
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root)
    from_above, _ = cli_findings(tmp_path, "--no-cache")
    assert {(path.removeprefix("project/"), row, code) for path, row, code in from_above} == (
        expected("expected.txt")
    )
    (root / "pyproject.toml").write_text('[tool.honeyhive-lint]\nsrc = ["."]\n')
    without_src, _ = cli_findings(root, "--no-cache")
    assert without_src == {f for f in expected("expected.txt") if not f[0].startswith("src/")}


def test_editing_a_module_rechecks_its_importers_only(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root)
    cache = ("--cache-dir", str(tmp_path / "cache"), "--verbose")
    first, stderr = cli_findings(root, *cache)
    assert first == expected("expected.txt")
    checked, _, summarised = counts(stderr)
    assert checked == 5
    assert summarised == 8
    again, stderr = cli_findings(root, *cache)
    assert again == first
    assert counts(stderr) == (0, 5, 0)

    # A file no other module imports: only it is checked again, and nothing is summarised.
    routes = root / "app" / "api" / "routes.py"
    routes.write_text(routes.read_text() + "\n# edited\n")
    again, stderr = cli_findings(root, *cache)
    assert again == first
    assert counts(stderr) == (1, 4, 0)

    # The tracer module: the modules that import it, directly or through re-exports, are checked
    # again and lose the findings about its tracer; the module summary is all that is parsed.
    tracing = root / "app" / "tracing.py"
    source = tracing.read_text()
    tracing.write_text(
        source.replace('tracer = HoneyHiveTracer.init(project="chat")', "tracer = 0")
    )
    edited, stderr = cli_findings(root, *cache)
    gone = {
        ("app/handlers.py", 25, "HH001"),
        ("app/handlers.py", 26, "HH002"),
        ("app/handlers.py", 27, "HH002"),
        ("app/handlers.py", 28, "HH001"),
        ("app/handlers.py", 32, "HH001"),
        ("app/api/routes.py", 12, "HH001"),
        ("app/api/routes.py", 13, "HH002"),
        ("src/worker/jobs.py", 7, "HH001"),
        ("src/worker/jobs.py", 8, "HH002"),
    }
    assert edited == first - gone
    # handlers, routes and jobs import it; lookalikes.py and plain.py do not.
    assert counts(stderr) == (3, 2, 1)


@pytest.mark.parametrize(
    ("importer", "findings"),
    [
        ("from app.tracing import tracer\ntracer.create_session()\n", [2]),
        # A name that is not a module of the project, or not a tracer there: unknown, silent.
        ("from elsewhere.tracing import tracer\ntracer.create_session()\n", []),
        ("from app.tracing import other\nother.create_session()\n", []),
        # The import shadowed by a local binding.
        ("from app.tracing import tracer\ntracer = object()\ntracer.create_session()\n", []),
    ],
)
def test_only_names_resolved_to_a_tracer_are_reported(
    tmp_path: Path, importer: str, findings: list[int]
) -> None:
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/tracing.py": "from honeyhive import HoneyHiveTracer\n"
            "tracer = HoneyHiveTracer.init()\nother = object()\n",
            "app/main.py": importer,
        },
    )
    found, _ = cli_findings(tmp_path, "--no-cache")
    assert sorted(row for path, row, _ in found if path == "app/main.py") == findings


def test_standard_input_sees_the_modules_on_disk() -> None:
    handlers = PROJECT / "app" / "handlers.py"
    run = lint(
        "check",
        "--output-format",
        "json",
        "--stdin-filename",
        "app/handlers.py",
        "-",
        cwd=PROJECT,
        stdin=handlers.read_bytes(),
    )
    rows = {(d["location"]["row"], d["code"]) for d in run.json()}
    assert rows == {(row, code) for path, row, code in expected("expected.txt") if "handl" in path}
