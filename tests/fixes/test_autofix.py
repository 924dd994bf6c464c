"""Each fix, form by form: the exact text it produces, its safety, and the forms it leaves alone.

Every case is also checked to parse after fixing and to be idempotent (a second `--fix` pass
changes nothing).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import pytest

from flake8_honeyhive.cli.lint import FileJob, lint_file
from flake8_honeyhive.fixes.model import SAFE, UNSAFE
from flake8_honeyhive.rules import ENGINE_RULES

IMPORT = "from honeyhive import HoneyHiveTracer\n"
TRACER = 't = HoneyHiveTracer.init(project="p", source="prod")\n'
HEAD = IMPORT + TRACER
BOT = (
    IMPORT
    + "class Bot:\n"
    + "    def __init__(self) -> None:\n"
    + "        self.tracer = HoneyHiveTracer.init()\n"
    + "    def done(self) -> None:\n"
    + "        self.tracer.enrich_session(\n"
    + "            metadata={},  # why\n"
    + "            session_id=self.tracer.session_id,\n"
    + "        )\n"
)


@dataclass(frozen=True)
class Case:
    source: str
    fixed: str | None  # None: no fix is offered
    applicability: str = UNSAFE


def _lint(source: str, fix: str | None) -> tuple[str, list[str | None]]:
    job = FileJob("app.py", source.encode(), frozenset(ENGINE_RULES), fix=fix)
    outcome = lint_file(job)
    fixed = (outcome.fixed_source or source.encode()).decode()
    return fixed, [d.fix.applicability if d.fix else None for d in outcome.diagnostics]


CASES: dict[str, Case] = {
    # --- HH001: the tracer's own id is redundant: a safe fix drops it ----------------------------
    "own id keyword": Case(
        HEAD + 't.enrich_session(session_id=t.session_id, metadata={"a": 1})\n',
        HEAD + 't.enrich_session(metadata={"a": 1})\n',
        SAFE,
    ),
    "own id in a dict": Case(
        HEAD + 't.enrich_session(**{"session_id": t.session_id}, outputs={})\n',
        HEAD + "t.enrich_session(outputs={})\n",
        SAFE,
    ),
    "own id among other keys of a dict": Case(
        HEAD + 't.enrich_session(**{"metadata": {}, "session_id": t.session_id})\n',
        HEAD + 't.enrich_session(**{"metadata": {}})\n',
        SAFE,
    ),
    "own id of self.tracer": Case(
        BOT,
        BOT.replace("            session_id=self.tracer.session_id,\n", ""),
        SAFE,
    ),
    # --- HH001: another id goes to the free function, by id (unsafe) -----------------------------
    "keyword, import honeyhive": Case(
        "import honeyhive\n" + HEAD + "t.enrich_session(session_id=sid, metadata={})\n",
        "import honeyhive\n"
        + HEAD
        + "honeyhive.enrich_session(session_id=sid, metadata={}, tracer=t)\n",
    ),
    "keyword, import honeyhive as hh": Case(
        "import honeyhive as hh\n" + HEAD + "t.enrich_session(session_id=sid)\n",
        "import honeyhive as hh\n" + HEAD + "hh.enrich_session(session_id=sid, tracer=t)\n",
    ),
    "keyword, the function imported under another name": Case(
        "from honeyhive import enrich_session as by_id\n"
        + HEAD
        + "t.enrich_session(session_id=sid)\n",
        "from honeyhive import enrich_session as by_id\n"
        + HEAD
        + "by_id(session_id=sid, tracer=t)\n",
    ),
    "keyword, the import extended in isort's order": Case(
        "from honeyhive import HoneyHiveTracer, trace\n"
        + TRACER
        + "t.enrich_session(session_id=sid)\n",
        "from honeyhive import HoneyHiveTracer, enrich_session, trace\n"
        + TRACER
        + "enrich_session(session_id=sid, tracer=t)\n",
    ),
    "keyword, an import added before a submodule's": Case(
        "import os\n\nfrom honeyhive.tracer import HoneyHiveTracer\n\n"
        + TRACER
        + "t.enrich_session(session_id=os.environ['SID'])\n",
        "import os\n\nfrom honeyhive import enrich_session\nfrom honeyhive.tracer import "
        "HoneyHiveTracer\n\n" + TRACER + "enrich_session(session_id=os.environ['SID'], tracer=t)\n",
    ),
    "keyword with positional metadata": Case(
        HEAD + 't.enrich_session({"a": 1}, session_id=sid)\n',
        "from honeyhive import HoneyHiveTracer, enrich_session\n"
        + TRACER
        + 'enrich_session(metadata={"a": 1}, session_id=sid, tracer=t)\n',
    ),
    "positional id": Case(
        HEAD + 't.enrich_session(sid, feedback={"score": 1})\n',
        "from honeyhive import HoneyHiveTracer, enrich_session\n"
        + TRACER
        + 'enrich_session(sid, feedback={"score": 1}, tracer=t)\n',
    ),
    "dict() form": Case(
        HEAD + "t.enrich_session(**dict(session_id=sid))\n",
        "from honeyhive import HoneyHiveTracer, enrich_session\n"
        + TRACER
        + "enrich_session(**dict(session_id=sid), tracer=t)\n",
    ),
    "one argument per line": Case(
        HEAD + "t.enrich_session(\n    session_id=sid,\n    metadata={},\n)\n",
        "from honeyhive import HoneyHiveTracer, enrich_session\n"
        + TRACER
        + "enrich_session(\n    session_id=sid,\n    metadata={},\n    tracer=t,\n)\n",
    ),
    # --- HH001: no fix ---------------------------------------------------------------------------
    "receiver of unknown origin": Case(
        IMPORT + "def f(x, sid):\n    x.enrich_session(session_id=sid)\n", None
    ),
    "positional id followed by more positional arguments": Case(
        HEAD + "t.enrich_session(sid, {})\n", None
    ),
    "a keyword the free function does not take": Case(
        HEAD + "t.enrich_session(session_id=sid, tags=[])\n", None
    ),
    "unpacked keywords of unknown names": Case(
        HEAD + "t.enrich_session(session_id=sid, **extra)\n", None
    ),
    "the name enrich_session taken": Case(
        HEAD + "enrich_session = print\nt.enrich_session(session_id=sid)\n", None
    ),
    "a comment inside the receiver": Case(
        HEAD + "(t  # the tracer\n).enrich_session(session_id=sid)\n", None
    ),
    # --- HH002: session_id= in a decorator -------------------------------------------------------
    "own id in the tracer's decorator": Case(
        HEAD + "@t.trace(session_id=t.session_id)\ndef f() -> None: ...\n",
        HEAD + "@t.trace()\ndef f() -> None: ...\n",
        SAFE,
    ),
    "own id in trace(tracer=t)": Case(
        "from honeyhive import HoneyHiveTracer, trace\n"
        + TRACER
        + '@trace(tracer=t, session_id=t.session_id, event_type="tool")\ndef f() -> None: ...\n',
        "from honeyhive import HoneyHiveTracer, trace\n"
        + TRACER
        + '@trace(tracer=t, event_type="tool")\ndef f() -> None: ...\n',
        SAFE,
    ),
    "another id in a decorator": Case(
        "from honeyhive import trace\n" + "@trace(session_id=SID)\ndef f() -> None: ...\n",
        "from honeyhive import trace\n" + "@trace()\ndef f() -> None: ...\n",
    ),
    # --- HH002: the legacy methods become a new tracer (unsafe) ---------------------------------
    "create_session whose id is used": Case(
        HEAD + "def f(name):\n    return t.create_session(session_name=name)\n",
        HEAD
        + "def f(name):\n"
        + '    return HoneyHiveTracer.init(project="p", source="prod", '
        + "session_name=name).session_id\n",
    ),
    "create_session's positional arguments, a source and the defaults": Case(
        HEAD + 'new = t.create_session("n", sid, source="dev", skip_api_call=False)\n',
        HEAD
        + 'new = HoneyHiveTracer.init(project="p", session_name="n", session_id=sid, '
        + 'source="dev").session_id\n',
    ),
    "acreate_session awaited": Case(
        HEAD + "async def f():\n    return await t.acreate_session()\n",
        HEAD
        + "async def f():\n"
        + '    return HoneyHiveTracer.init(project="p", source="prod").session_id\n',
    ),
    "session_start whose id is used": Case(
        HEAD + "print(t.session_start())\n",
        HEAD + 'print(HoneyHiveTracer.init(project="p", source="prod").session_id)\n',
    ),
    "with_session as a block": Case(
        HEAD + 'with t.with_session(session_name="replay"):\n    run()\n',
        HEAD
        + 'with HoneyHiveTracer.init(project="p", source="prod", session_name="replay"):\n'
        + "    run()\n",
    ),
    "module-level names in the tracer's arguments": Case(
        IMPORT
        + "PROJECT = 'p'\n"
        + "t = HoneyHiveTracer.init(project=PROJECT, session_name='x', session_id=SID)\n"
        + "def f():\n    return t.create_session()\n",
        IMPORT
        + "PROJECT = 'p'\n"
        + "t = HoneyHiveTracer.init(project=PROJECT, session_name='x', session_id=SID)\n"
        + "def f():\n    return HoneyHiveTracer.init(project=PROJECT).session_id\n",
    ),
    # --- HH002: no fix ---------------------------------------------------------------------------
    "assigning session_id": Case(HEAD + 't.session_id = "x"\n', None),
    "create_session whose id is discarded": Case(HEAD + "t.create_session()\n", None),
    "with_session as sid": Case(HEAD + "with t.with_session() as sid:\n    print(sid)\n", None),
    "with_session whose block uses the tracer": Case(
        HEAD + "with t.with_session():\n    t.enrich_session(metadata={})\n", None
    ),
    "user_properties, which init does not take": Case(
        HEAD + "x = t.create_session(user_properties={'a': 1})\n", None
    ),
    "a tracer made by a call in its arguments": Case(
        IMPORT + "t = HoneyHiveTracer.init(exporter=make())\nx = t.create_session()\n", None
    ),
    "a tracer bound twice": Case(
        HEAD + "if flag:\n    t = HoneyHiveTracer.init()\nx = t.create_session()\n", None
    ),
    "a name shadowed where the new tracer would be made": Case(
        IMPORT
        + "P = 'p'\n"
        + "t = HoneyHiveTracer.init(project=P)\n"
        + "def f(P):\n    return t.create_session()\n",
        None,
    ),
    "a tracer passed in": Case(
        IMPORT + "def f(t: HoneyHiveTracer):\n    return t.create_session()\n", None
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_fix(name: str) -> None:
    case = CASES[name]
    fixed, _ = _lint(case.source, fix=UNSAFE)
    offered = _lint(case.source, fix=None)[1]
    if case.fixed is None:
        assert fixed == case.source
        assert set(offered) == {None}
        return
    assert fixed == case.fixed
    assert case.applicability in offered
    ast.parse(fixed)
    assert _lint(fixed, fix=UNSAFE)[0] == fixed  # idempotent
    if case.applicability == SAFE:
        assert _lint(case.source, fix=SAFE)[0] == case.fixed
    else:
        assert _lint(case.source, fix=SAFE)[0] == case.source


def test_own_id_is_unsafe_where_the_module_calls_a_legacy_method() -> None:
    source = HEAD + "t.create_session()\nt.enrich_session(session_id=t.session_id)\n"
    assert _lint(source, fix=None)[1] == [None, UNSAFE]


def test_overlapping_fixes_are_applied_over_several_passes() -> None:
    # Both add `enrich_session` to the same import: one per pass, the second with the import
    # already there.
    source = HEAD + "t.enrich_session(session_id=a)\nt.enrich_session(session_id=b)\n"
    fixed, remaining = _lint(source, fix=UNSAFE)
    assert remaining == []
    assert fixed == (
        "from honeyhive import HoneyHiveTracer, enrich_session\n"
        + TRACER
        + "enrich_session(session_id=a, tracer=t)\nenrich_session(session_id=b, tracer=t)\n"
    )


def test_crlf_line_endings_and_a_coding_cookie_are_kept() -> None:
    source = "# -*- coding: latin-1 -*-\r\n" + HEAD.replace("\n", "\r\n")
    source += (
        "x = 'é'\r\nt.enrich_session(\r\n    session_id=t.session_id,\r\n    metadata={},\r\n)\r\n"
    )
    job = FileJob("app.py", source.encode("latin-1"), frozenset(ENGINE_RULES), fix=SAFE)
    outcome = lint_file(job)
    assert outcome.fixed_source == source.replace("    session_id=t.session_id,\r\n", "").encode(
        "latin-1"
    )
