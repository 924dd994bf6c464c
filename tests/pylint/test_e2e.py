"""The real ``pylint`` command with the plugin: loading, suppression, selection and help."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Final

import pytest

from flake8_honeyhive.rules import HH001, HH002
from tests.expectations import EXAMPLES, example_modules, expected_findings
from tests.pylint.runner import CODE_BY_PYLINT_ID, pylint

TEMPLATE: Final = "--msg-template={path}:{line}:{column}:{msg_id}:{symbol}:{msg}"
OURS: Final = re.compile(
    rf"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+):(?P<id>{'|'.join(CODE_BY_PYLINT_ID)}):"
)

APP: Final = f'''\
"""A module with both rules broken, some of the findings suppressed."""

from honeyhive import HoneyHiveTracer

tracer = HoneyHiveTracer.init(project="app")


def handle(sid: str) -> None:
    """Switch the shared tracer to the request's session."""
    tracer.enrich_session(session_id=sid)
    tracer.session_id = sid
    tracer.enrich_session(session_id=sid)  # pylint: disable={HH001.symbol}
    tracer.session_id = sid  # pylint: disable={HH002.pylint_id}
    # pylint: disable-next={HH002.symbol}
    tracer.create_session()
'''
APP_FINDINGS: Final = Counter({(10, HH001.code): 1, (11, HH002.code): 1})
PLUGIN_ONLY: Final = (
    "--load-plugins=pylint_honeyhive",
    "--disable=all",
    f"--enable={HH001.pylint_id},{HH002.pylint_id}",
)


def reported(output: str) -> Counter[tuple[int, str]]:
    """(line, code) of this plugin's messages in pylint's output; other checkers' are ignored."""
    found: Counter[tuple[int, str]] = Counter()
    for line in output.splitlines():
        match = OURS.match(line)
        if match:
            found[int(match["line"]), CODE_BY_PYLINT_ID[match["id"]]] += 1
    return found


@pytest.fixture
def app(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    return tmp_path


def test_plugin_reports_and_honours_disable_comments(app: Path) -> None:
    result = pylint(*PLUGIN_ONLY, TEMPLATE, "app.py", cwd=app)
    assert result.stderr == ""
    assert reported(result.stdout) == APP_FINDINGS
    assert result.returncode == 4  # pylint's "warning issued" bit, and nothing else
    assert f"app.py:10:4:{HH001.pylint_id}:{HH001.symbol}:session id passed to" in result.stdout


def test_from_stdin_as_editors_run_it(tmp_path: Path) -> None:
    """Editors lint unsaved buffers with ``--from-stdin``: the syntactic fallback reads the
    source from there too (these two receivers cannot be inferred)."""
    source = (
        "from honeyhive import HoneyHiveTracer\n"
        "def handle(tracer: 'HoneyHiveTracer', other, sid: str) -> None:\n"
        "    tracer.session_id = sid\n"
        "    other.enrich_session(session_id=sid)\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pylint", *PLUGIN_ONLY, TEMPLATE, "--from-stdin", "app.py"],
        input=source,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert reported(result.stdout) == Counter({(3, HH002.code): 1, (4, HH001.code): 1})


def test_the_messages_come_from_the_plugin(tmp_path: Path) -> None:
    result = pylint(f"--help-msg={HH001.pylint_id}", cwd=tmp_path)
    assert f"No such message id or symbol '{HH001.pylint_id}'" in result.stdout + result.stderr


def only(code: str) -> Counter[tuple[int, str]]:
    return Counter({key: n for key, n in APP_FINDINGS.items() if key[1] == code})


# Each rule is selected once by symbol and once by id, for --disable and for --enable.
SELECTIONS: Final = {
    "disable HH001 by symbol": ([f"--disable={HH001.symbol}"], only(HH002.code)),
    "disable HH002 by id": ([f"--disable={HH002.pylint_id}"], only(HH001.code)),
    "enable HH002 by symbol": (["--disable=all", f"--enable={HH002.symbol}"], only(HH002.code)),
    "enable HH001 by id": (["--disable=all", f"--enable={HH001.pylint_id}"], only(HH001.code)),
}


@pytest.mark.parametrize(("options", "expected"), SELECTIONS.values(), ids=SELECTIONS.keys())
def test_disable_and_enable_by_symbol_and_by_id(
    app: Path, options: list[str], expected: Counter[tuple[int, str]]
) -> None:
    result = pylint("--load-plugins=pylint_honeyhive", *options, TEMPLATE, "app.py", cwd=app)
    assert result.stderr == ""
    assert reported(result.stdout) == expected


def test_help_msg_shows_the_catalog_description(tmp_path: Path) -> None:
    names = f"{HH001.symbol},{HH002.pylint_id}"  # by symbol and by id
    result = pylint("--load-plugins=pylint_honeyhive", f"--help-msg={names}", cwd=tmp_path)
    text = " ".join(result.stdout.split())  # pylint rewraps the description
    for rule in (HH001, HH002):
        assert f":{rule.symbol} ({rule.pylint_id}): *{rule.message}*" in text
        for section in (rule.docs.what_it_does, rule.docs.why_is_this_bad):
            assert " ".join(section.split()) in text
        assert rule.url in text
    assert text.count("This message belongs to the honeyhive checker.") == 2


def test_load_plugins_from_pyproject_on_the_examples(tmp_path: Path) -> None:
    """The acceptance run: a new user adds the plugin to pyproject.toml and lints examples/."""
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pylint.main]\nload-plugins = ["pylint_honeyhive"]\n', encoding="utf-8"
    )
    result = pylint(TEMPLATE, "examples/", cwd=tmp_path)
    assert "pylint_honeyhive" not in result.stderr, result.stderr
    found: Counter[tuple[str, int, str]] = Counter()
    for line in result.stdout.splitlines():
        match = OURS.match(line)
        if match:
            found[Path(match["path"]).name, int(match["line"]), CODE_BY_PYLINT_ID[match["id"]]] += 1
    expected = Counter(
        {
            (path.name, line, code): count
            for path in example_modules()
            for (line, code), count in expected_findings(path, inference=True).items()
        }
    )
    assert found == expected
    # Every finding flake8 reports is among them, and inference adds some.
    flake8_only = sum(sum(expected_findings(path).values()) for path in example_modules())
    assert flake8_only < sum(found.values())


def test_the_plugin_imports_neither_flake8_nor_opentelemetry(tmp_path: Path) -> None:
    """``pip install 'honeyhive[pylint]'`` has no flake8, and linting must not start the SDK."""
    code = (
        "import sys, pylint_honeyhive\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'flake8', 'opentelemetry'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert result.stdout.strip() == "[]"
