"""Inputs that used to lose findings silently: fullwidth identifiers, hundreds of aliases, and
(Python 3.12) type parameters that shadow a tracer's name."""

from __future__ import annotations

import glob
import os
import subprocess
from pathlib import Path

import pytest

from flake8_honeyhive.checker import check_source, could_have_findings
from tests.cli.helpers import lint, write

REPO_ROOT = Path(__file__).resolve().parents[2]
HEAD = "from honeyhive import HoneyHiveTracer\ntracer = HoneyHiveTracer.init()\n"


def _fullwidth(name: str) -> str:
    """`name` in fullwidth letters (U+FF41...), which Python reads as the ASCII name."""
    return "".join(chr(ord(c) - ord("a") + 0xFF41) if c.islower() else c for c in name)


FULLWIDTH = HEAD + f"tracer.{_fullwidth('enrich_session')}({_fullwidth('session_id')}='x')\n"


def test_fullwidth_identifiers_are_the_names_python_reads() -> None:
    assert could_have_findings(FULLWIDTH.encode())
    assert [f.code for f in check_source(FULLWIDTH.encode())] == ["HH001"]
    assert [f.code for f in check_source(FULLWIDTH)] == ["HH001"]


def test_fullwidth_identifiers_through_the_command(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": FULLWIDTH})
    run = lint("--output-format", "concise", cwd=tmp_path)
    assert run.returncode == 1
    assert run.lines[0].startswith("app.py:3:1: HH001 ")


def test_a_tracer_through_hundreds_of_aliases_is_followed() -> None:
    aliases = "t0 = tracer\n" + "".join(f"t{n + 1} = t{n}\n" for n in range(400))
    source = HEAD + aliases + "t400.session_id = 'x'\nt400.create_session()\n"
    assert [f.code for f in check_source(source)] == ["HH002", "HH002"]


def _python_312_or_later() -> str | None:
    """An interpreter of Python 3.12 or later, if the machine has one (pyenv's, say)."""
    home = os.path.expanduser("~")
    candidates = sorted(glob.glob(f"{home}/.pyenv/versions/3.1[2-9]*/bin/python3"))
    candidates += ["/usr/bin/python3.13", "/usr/bin/python3.12"]
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    return None


PYTHON_312 = _python_312_or_later()
TYPE_PARAMETERS = {
    "type alias": HEAD + "def f():\n    type tracer = int\n    tracer.session_id = 1\n",
    "function": HEAD + "def g[tracer](x: tracer) -> None:\n    tracer.session_id = 1\n",
    "class": HEAD + "class C[tracer]:\n    def m(self) -> None:\n        tracer.session_id = 1\n",
}


@pytest.mark.skipif(PYTHON_312 is None, reason="needs Python 3.12 or later")
@pytest.mark.parametrize("case", sorted(TYPE_PARAMETERS))
def test_type_parameters_shadow_the_tracer(case: str) -> None:
    # The engine is pure standard library: run it from this checkout under the newer Python.
    assert PYTHON_312 is not None
    script = (
        "import sys; from flake8_honeyhive.checker import check_source; "
        "print([f.code for f in check_source(sys.stdin.read())])"
    )
    for source, expected in (
        (TYPE_PARAMETERS[case], "[]"),
        (TYPE_PARAMETERS[case].replace("tracer]", "T]").replace("type tracer", "type T"), None),
    ):
        result = subprocess.run(
            [PYTHON_312, "-c", script],
            input=source,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
            check=True,
        )
        if expected is not None:
            assert result.stdout.strip() == expected
        else:  # with another parameter name, `tracer` is the module's tracer again
            assert result.stdout.strip() == "['HH002']"
