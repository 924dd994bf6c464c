"""`# noqa: HH001` suppresses the finding in pylint too: one comment for all three front ends.

pylint's own `# pylint: disable=` keeps working exactly as before, `useless-suppression` included.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Final

from flake8_honeyhive.rules import HH001, HH002
from tests.cli.helpers import lint
from tests.pylint.runner import pylint
from tests.pylint.test_e2e import PLUGIN_ONLY, TEMPLATE, reported

SOURCE: Final = f'''\
"""Findings with noqa comments."""

import honeyhive
from honeyhive import HoneyHiveTracer

tracer = HoneyHiveTracer.init(project="app")


def handle(sid: str, other) -> None:
    """Each line says whether it is suppressed."""
    tracer.enrich_session(session_id=sid)  # noqa: HH001
    tracer.session_id = sid  # noqa: HH001
    other.enrich_session(session_id=sid)  # noqa
    tracer.create_session()  # noqa: E501, HH002 the legacy API, on purpose
    tracer.enrich_session(session_id=sid)  # noqa:HH002
    tracer.enrich_session(  # reported: the comment belongs on the statement's first line
        session_id=sid,
    )  # noqa: HH001
    tracer.enrich_session(session_id=sid) \\
        # noqa: HH001
    tracer.enrich_session(session_id=f"""{{
        sid}}""")  # noqa: HH001
    tracer.enrich_session(session_id=sid)  # noqa: hh001
    tracer.enrich_session(session_id=sid)  # noqa: HH001  # pylint: disable={HH001.symbol}


print(honeyhive)
'''
EXPECTED: Final = Counter(
    {(12, HH002.code): 1, (15, HH001.code): 1, (16, HH001.code): 1, (23, HH001.code): 1}
)


def _flake8(path: Path) -> Counter[tuple[int, str]]:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select=HH", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return Counter(
        (int(row), message.split()[0])
        for _, row, _, message in (line.split(":", 3) for line in result.stdout.splitlines())
    )


def test_noqa_comments_suppress_the_same_findings_in_all_three_front_ends(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(SOURCE, encoding="utf-8")
    result = pylint(*PLUGIN_ONLY, TEMPLATE, "app.py", cwd=tmp_path)
    assert reported(result.stdout) == EXPECTED, result.stdout
    assert _flake8(tmp_path / "app.py") == EXPECTED
    run = lint("--output-format", "json", "app.py", cwd=tmp_path)
    assert Counter((d["location"]["row"], d["code"]) for d in run.json()) == EXPECTED


def test_pylint_disable_comments_are_still_pylints(tmp_path: Path) -> None:
    # A line with both comments: pylint's disable is used (not `useless-suppression`).
    (tmp_path / "app.py").write_text(SOURCE, encoding="utf-8")
    result = pylint(
        *PLUGIN_ONLY[:2], f"{PLUGIN_ONLY[2]},useless-suppression", TEMPLATE, "app.py", cwd=tmp_path
    )
    assert "useless-suppression" not in result.stdout, result.stdout
    assert reported(result.stdout) == EXPECTED
    # Without the noqa comment, the disable comment alone still suppresses.
    (tmp_path / "app.py").write_text(SOURCE.replace("  # noqa: HH001  # pylint", "  # pylint"))
    assert reported(pylint(*PLUGIN_ONLY, TEMPLATE, "app.py", cwd=tmp_path).stdout) == EXPECTED
