"""The typed API: mypy flags exactly the deprecated calls (``session_id=`` and the legacy session
methods), and nothing else."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from honeyhive.rules import FORM_KEYWORD, HH001, HH002, legacy_method_usage, override_usage

# Each line ending in `# HH001` or `# HH002` must be reported as deprecated with that rule's text;
# every other line must pass `mypy --strict`.
SAMPLE = """
from __future__ import annotations

import uuid

import honeyhive
from honeyhive import HoneyHiveTracer, atrace, enrich_session, trace, trace_class

tracer = HoneyHiveTracer.init(project="p", test_mode=True)
other = str(uuid.uuid4())


@trace
def bare() -> int:
    return 1


@trace(event_type="tool", tracer=tracer)
def configured(x: int) -> int:
    return x


@trace(tracer=tracer, session_id=None)
def explicit_none() -> None: ...


@trace(session_id=other)  # HH002 trace
def retargeted() -> None: ...


@atrace(session_id=other)  # HH002 atrace
async def retargeted_async() -> None: ...


@trace_class(session_id=other)  # HH002 trace_class
class Service:
    def handle(self) -> None: ...


@tracer.trace
def bound_bare() -> None: ...


@tracer.trace(event_name="named")
def bound_named() -> None: ...


@tracer.trace(session_id=other)  # HH002 tracer.trace
def bound_retargeted() -> None: ...


def calls() -> None:
    kept: int = configured(2) + bare()
    tracer.enrich_session(metadata={"a": kept})
    tracer.enrich_session({"a": 1}, outputs={"b": 2}, session_id=None)
    tracer.enrich_session(session_id=tracer.session_id)  # HH001
    tracer.enrich_session(metadata={"a": 1}, session_id=other)  # HH001
    enrich_session(other, {"a": 1}, feedback={"ok": True}, tracer=tracer)
    honeyhive.enrich_session(other, metrics={"m": 1})
    with tracer.trace("block") as span:
        span.set_attribute("k", 1)
    session: str = tracer.session_id
    print(session)


def legacy() -> None:
    tracer.create_session(session_name="other")  # HH002 legacy create_session
    tracer.session_start()  # HH002 legacy session_start
    with tracer.with_session() as session_id:  # HH002 legacy with_session
        print(session_id)


async def legacy_async() -> str:
    return await tracer.acreate_session()  # HH002 legacy acreate_session
"""

MYPY_LINE = re.compile(r"^sample\.py:(\d+): error: (.*)  \[(\S+)\]$")


def expected_reports() -> dict[int, str]:
    """The sample's annotated lines (1-based), each with the catalog's text to be flagged with."""
    expected: dict[int, str] = {}
    for number, line in enumerate(SAMPLE.strip("\n").splitlines(), start=1):
        if "# HH001" in line:
            expected[number] = HH001.text(form=FORM_KEYWORD)
        elif "# HH002 legacy " in line:
            method = line.split("# HH002 legacy ", 1)[1]
            expected[number] = HH002.text(usage=legacy_method_usage(method))
        elif "# HH002" in line:
            callee = line.split("# HH002 ", 1)[1]
            expected[number] = HH002.text(usage=override_usage(callee))
    return expected


def write_sample(directory: Path) -> Path:
    sample = directory / "sample.py"
    sample.write_text(textwrap.dedent(SAMPLE).lstrip("\n"))
    return sample


def run_checker(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a type checker from outside the repository, with no search path of our own: it finds
    honeyhive the way it finds any installed package (here, this project's editable install)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MYPYPATH", "PYTHONPATH")}
    return subprocess.run(
        command, capture_output=True, text=True, cwd=cwd, env=env, timeout=300, check=False
    )


def test_mypy_reports_exactly_the_deprecated_calls(tmp_path: Path) -> None:
    write_sample(tmp_path)
    result = run_checker(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--enable-error-code",
            "deprecated",
            "--config-file",
            "",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "--no-error-summary",
            "--hide-error-context",
            "sample.py",
        ],
        tmp_path,
    )
    expected = expected_reports()
    reported: dict[int, str] = {}
    for output in filter(None, result.stdout.splitlines()):
        match = MYPY_LINE.match(output)
        assert match is not None, result.stdout + result.stderr
        number, message, code = int(match[1]), match[2], match[3]
        assert code == "deprecated", output
        reported[number] = message
    assert set(reported) == set(expected), result.stdout
    for number, text in expected.items():
        assert reported[number].endswith(f"is deprecated: {text}"), reported[number]


def test_basedpyright_reports_exactly_the_deprecated_calls(tmp_path: Path) -> None:
    write_sample(tmp_path)
    # pyright's setting for PEP 702 (Pylance strikes the calls through by default).
    (tmp_path / "pyrightconfig.json").write_text(
        json.dumps({"typeCheckingMode": "standard", "reportDeprecated": "error"})
    )
    basedpyright = Path(sys.executable).with_name("basedpyright")
    result = run_checker(
        [str(basedpyright), "--pythonpath", sys.executable, "--outputjson", "sample.py"], tmp_path
    )
    diagnostics = json.loads(result.stdout)["generalDiagnostics"]
    assert {d.get("rule") for d in diagnostics} <= {"reportDeprecated"}, diagnostics
    reported = {d["range"]["start"]["line"] + 1: d["message"] for d in diagnostics}
    expected = expected_reports()
    assert set(reported) == set(expected), diagnostics
    for number, text in expected.items():
        headline, _, detail = reported[number].partition("\n")
        assert headline.endswith("is deprecated"), reported[number]
        assert detail.strip() == text, reported[number]  # indented with no-break spaces
