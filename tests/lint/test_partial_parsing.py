"""Partial parsing: the engine parses only the top-level statements the rules read, and finds
exactly what a parse of the whole module finds.

The reference everywhere is `find_violations(ast.parse(source), source)`: the engine's rules on
the full tree. `check_source` (the path `honeyhive-lint` takes) must agree with it on every
fixture, on a sample of the dense benchmark corpus, on sources written to trip a text-level
reading of Python (code inside strings and brackets, continuations, clauses, decorators), and on
generated programs. Where statements start is also checked against the parser's own answer on a
sample of the standard library.
"""

from __future__ import annotations

import ast
import json
import os
import random
import subprocess
import sys
import sysconfig
import textwrap
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from flake8_honeyhive import partial
from flake8_honeyhive.checker import check_source
from flake8_honeyhive.detect import find_violations, hot_lines
from flake8_honeyhive.findings import Finding
from flake8_honeyhive.fixes.model import Fix
from tests.robustness.test_engine_inputs import PYTHON_312

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted(
    path
    for directory in ("fixtures", "fixtures_inference")
    for path in (REPO_ROOT / "tests" / directory).rglob("*.py")
)
HEAD = "from honeyhive import HoneyHiveTracer\n"


def full(source: str | bytes) -> list[Finding]:
    """What the rules find on the whole module's tree."""
    return find_violations(ast.parse(source), source)


def codes(source: str) -> list[tuple[int, str]]:
    """(line, code) of each finding of check_source, after checking it against a full parse."""
    source = textwrap.dedent(source)
    findings = check_source(source.encode())
    assert findings == full(source.encode())
    return [(finding.line, finding.code) for finding in findings]


def is_partial(source: str) -> bool:
    """Whether check_source leaves statements out for this source."""
    source = textwrap.dedent(source)
    return partial.needed_source(source, hot_lines(source)) is not None


def statement_lines(source: str | bytes) -> list[tuple[int, int]]:
    """(first, last) line of each top-level statement, decorators included, from the parser."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # `"\d"` in the standard library's sources
        body = ast.parse(source).body
    return [
        (min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))]),
            node.end_lineno or node.lineno)
        for node in body
    ]  # fmt: skip


def assert_chunks_are_statements(source: str | bytes) -> bool:
    """Each chunk starts where a statement starts and holds whole statements. False: not certain
    (the caller parses everything)."""
    text = partial._text_of(source)
    chunks = None if text is None else partial.top_level_chunks(text)
    if text is None or chunks is None:
        return False
    statements = statement_lines(source)
    starts = {first for first, _ in statements}
    spans = []
    for chunk in chunks:
        body = text[chunk.start : chunk.end].lstrip(" \t\f\r\n")
        if body and not body.startswith("#"):
            assert chunk.first in starts, f"a chunk starts inside a statement: {chunk}"
        spans.append((chunk.first, chunk.first + text.count("\n", chunk.start, chunk.end - 1)))
    for first, last in statements:
        assert any(low <= first and last <= high for low, high in spans), (first, last, spans)
    return True


# --- every fixture, the dense corpus ---------------------------------------------------------


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: path.name)
def test_fixtures_give_the_findings_of_a_full_parse(path: Path) -> None:
    source = path.read_bytes()
    assert check_source(source) == full(source)
    assert_chunks_are_statements(source)


@pytest.fixture(scope="module")
def dense_sample(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("dense")
    generator = str(REPO_ROOT / "benchmarks" / "dense_corpus.py")
    subprocess.run(
        [sys.executable, generator, str(root), "--files", "120", "--seed", "11"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return sorted(path for path in root.rglob("*.py") if path.name != "__init__.py")


def test_dense_corpus_gives_the_findings_of_a_full_parse(dense_sample: list[Path]) -> None:
    reported = kept = total = 0
    for path in dense_sample:
        source = path.read_bytes()
        needed = partial.needed_source(source, hot_lines(source))
        assert needed is not None, f"{path}: parsed whole"  # the comparison means something
        assert needed.count("\n") == source.count(b"\n")  # same lines, some of them emptied
        kept += len(needed) - needed.count("\n")
        total += len(source) - source.count(b"\n")
        findings = check_source(source)
        assert findings == full(source), path
        reported += len(findings)
    assert reported > 10
    assert kept < total * 0.4  # most of it left out


def test_large_sources_are_parsed_in_batches_into_the_same_tree(
    dense_sample: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(partial, "_BATCH_SIZE", 1)  # one batch per kept statement
    for path in [*dense_sample[:20], *FIXTURES]:
        source = path.read_bytes()
        lines = hot_lines(source)
        needed = partial.needed_source(source, lines)
        if needed is None:
            continue
        batched = partial.parse_needed(source, lines)
        assert batched is not None
        whole = ast.parse(needed)
        assert ast.dump(batched, include_attributes=True) == ast.dump(
            whole, include_attributes=True
        )


def test_a_large_source_whose_statements_are_all_read_is_still_parsed_in_batches() -> None:
    source = HEAD + "".join(f"t{n}.create_session()\n" for n in range(20_000))  # 440 KB
    lines = hot_lines(source)
    assert partial.needed_source(source, lines) == source
    batched = partial.parse_needed(source, lines)
    assert batched is not None
    assert ast.dump(batched, include_attributes=True) == ast.dump(
        ast.parse(source), include_attributes=True
    )


# --- where statements start ------------------------------------------------------------------


def _stdlib_sample(count: int) -> list[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    paths = sorted(path for path in root.rglob("*.py") if "site-packages" not in path.parts)
    return paths[:: max(len(paths) // count, 1)]


def test_statements_start_where_the_parser_says_across_the_standard_library() -> None:
    checked = certain = 0
    for path in _stdlib_sample(250):
        source = path.read_bytes()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ast.parse(source)
        except (SyntaxError, ValueError):
            continue  # the test suite's deliberately broken files
        checked += 1
        certain += assert_chunks_are_statements(source)
    assert certain >= checked * 0.95  # doubt is allowed, but must stay rare


def _with_tracer_calls_on_its_names(source: str) -> str | None:
    """The module with the SDK imported, a tracer made, and calls the rules judge made on its
    module-level names: whatever those names hold (an assignment, a def, a class, an import) is
    then resolved, so every statement binding them must be kept. None if it does not parse."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            body = ast.parse(source).body
    except (SyntaxError, ValueError):
        return None
    names = [
        target.id
        for node in body
        for target in getattr(node, "targets", [getattr(node, "target", None)])
        if isinstance(target, ast.Name)
    ]
    names += [node.name for node in body if isinstance(node, ast.FunctionDef | ast.ClassDef)]
    names += [
        (alias.asname or alias.name).partition(".")[0]
        for node in body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    calls = "".join(
        f"{name}.create_session()\n{name}.enrich_session(session_id='s')\n"
        for name in dict.fromkeys(names)
        if name != "*"
    )
    return HEAD + "t0 = HoneyHiveTracer.init()\n" + source + "\n" + calls


def test_the_standard_library_with_calls_on_its_names_gives_the_findings_of_a_full_parse() -> None:
    checked = left_out = reported = 0
    for path in _stdlib_sample(120):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, ValueError):
            continue
        source = _with_tracer_calls_on_its_names(text)
        if source is None:
            continue  # the test suite's deliberately broken files
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            findings = check_source(source)
            assert findings == full(source), path
        checked += 1
        reported += len(findings)
        left_out += partial.needed_source(source, hot_lines(source)) is not None
    assert checked > 100
    assert left_out > checked * 0.9  # the comparison is of partial parses
    assert reported > 100


TRICKY = {
    "code at column 0 inside a string": (
        HEAD
        + 'tracer = HoneyHiveTracer.init()\nHELP = """\ntracer.create_session()\n"""\n'
        + "def handler():\n    tracer.create_session()\n",
        [(7, "HH002")],
    ),
    "code at column 0 inside an f-string": (
        HEAD
        + "tracer = HoneyHiveTracer.init()\n"
        + 'HELP = f"""{tracer!r}\ntracer.create_session()\n"""\n',
        [],
    ),
    "code at column 0 inside brackets": (
        HEAD + "tracer = HoneyHiveTracer.init()\ncalls = [\ntracer.create_session(),\n]\n",
        [(4, "HH002")],
    ),
    "a backslash continuation": (
        HEAD + "tracer = HoneyHiveTracer.init()\nx = 1 + \\\ntracer.create_session()\n",
        [(4, "HH002")],
    ),
    "a string continued with a backslash": (
        HEAD + "tracer = HoneyHiveTracer.init()\nx = 'a\\\ntracer.create_session()'\n",
        [],
    ),
    "clauses at column 0": (
        HEAD
        + "import os\nif os.environ.get('X'):\n    tracer = None\nelse:\n"
        + "    tracer = HoneyHiveTracer.init()\ntry:\n    pass\nexcept ImportError:\n    pass\n"
        + "finally:\n    pass\ntracer.create_session()\n",
        [(13, "HH002")],
    ),
    "a decorator over several lines": (
        HEAD + "from honeyhive import trace\n@trace(\n    session_id='x',\n)\ndef f():\n    pass\n",
        [(3, "HH002")],
    ),
    "a tracer set through `global` in a function": (
        HEAD
        + "tracer = None\n\ndef setup():\n    global tracer\n    tracer = HoneyHiveTracer.init()\n"
        + "\ndef handler():\n    tracer.create_session()\n",
        [(9, "HH002")],
    ),
    "a class defined in a statement without rule tokens": (
        HEAD
        + "class Holder:\n    def __init__(self):\n        self.tracer = HoneyHiveTracer.init()\n"
        + "\ndef handler(holder: Holder):\n    holder.tracer.create_session()\n",
        [(7, "HH002")],
    ),
    "a class named in a string annotation": (
        HEAD
        + "class Holder:\n    def __init__(self):\n        self.tracer = HoneyHiveTracer.init()\n"
        + "\ndef handler(holder: 'Holder'):\n    holder.tracer.create_session()\n",
        [(7, "HH002")],
    ),
    "aliases through statements without rule tokens": (
        HEAD + "t0 = HoneyHiveTracer.init()\nt1 = t0\nt2 = t1\nt2.create_session()\n",
        [(5, "HH002")],
    ),
    "a walrus at the top level": (
        HEAD + "if (tracer := HoneyHiveTracer.init()):\n    pass\ntracer.create_session()\n",
        [(4, "HH002")],
    ),
    "a name bound in fullwidth letters": (
        HEAD + "\uff54racer = HoneyHiveTracer.init()\ntracer.create_session()\n",
        [(3, "HH002")],
    ),
    "a binding after a string and a semicolon": (
        HEAD + "'Docs.'; tracer = HoneyHiveTracer.init()\ntracer.create_session()\n",
        [(3, "HH002")],
    ),
    "a local class shadowing the tracer's name": (
        HEAD + "class HoneyHiveTracer:\n    pass\nt = HoneyHiveTracer()\nt.create_session()\n",
        [],
    ),
    # A plain assignment binds only its name; any other form may bind every word it spells.
    "a class named in fullwidth letters": (
        HEAD
        + "t0 = HoneyHiveTracer.init()\nclass \uff28older:\n    tracer = t0\n"
        + "x = 1\nHolder.tracer.create_session()\n",
        [(6, "HH002")],
    ),
    "an assignment after `try:` on its line": (
        HEAD
        + "t0 = HoneyHiveTracer.init()\ntry: t = t0\nexcept ImportError: pass\n"
        + "t.create_session()\n",
        [(5, "HH002")],
    ),
    "a chained assignment": (
        HEAD + "t0 = HoneyHiveTracer.init()\nx = t = t0\nt.create_session()\n",
        [(4, "HH002")],
    ),
    "a tuple target": (
        HEAD + "t0 = HoneyHiveTracer.init()\nx, t = 1, t0\nt.create_session()\n",
        [(4, "HH002")],
    ),
    "an assignment after another and a semicolon": (
        HEAD + "t0 = HoneyHiveTracer.init()\nx = 1; t = t0\nt.create_session()\n",
        [(4, "HH002")],
    ),
    "an annotated assignment": (
        HEAD + "t0 = HoneyHiveTracer.init()\nt: object = t0\nt.create_session()\n",
        [(4, "HH002")],
    ),
    "CRLF line ends": (
        (HEAD + "t = HoneyHiveTracer.init()\nx = 1\nt.create_session()\n").replace("\n", "\r\n"),
        [(4, "HH002")],
    ),
}


@pytest.mark.parametrize("case", sorted(TRICKY))
def test_sources_that_trip_a_text_reading_give_the_findings_of_a_full_parse(case: str) -> None:
    source, expected = TRICKY[case]
    assert codes(source) == expected
    assert_chunks_are_statements(source)


def test_the_tricky_sources_do_leave_statements_out() -> None:
    left_out = [case for case, (source, _) in TRICKY.items() if is_partial(source + "x = 1\n")]
    assert len(left_out) >= len(TRICKY) - 2, sorted(set(TRICKY) - set(left_out))


def test_an_assignment_that_only_mentions_a_needed_name_is_left_out() -> None:
    source = HEAD + "t = HoneyHiveTracer.init()\nlog = make_logger(t)\nt.create_session()\n"
    needed = partial.needed_source(source, hot_lines(source))
    assert needed is not None
    assert needed.splitlines()[2] == ""  # `log = ...` binds `log`, which nothing reads
    assert codes(source) == [(4, "HH002")]


DOUBTFUL = {
    "a lone CR": HEAD + "t = HoneyHiveTracer.init()\rx = 1\nt.create_session()\n",
    "a form feed in the indentation": HEAD + "t = 1\n  \fx = 2\nt.create_session()\n",
    "another encoding": "# -*- coding: latin-1 -*-\n" + HEAD + "t.create_session()\nx = 1\n",
    "a null byte": HEAD + "t.create_session()\nx = '\0'\n",
    "an f-string with the same quotes inside": HEAD + 'x = f"{d["k"]}"\nt.create_session()\n',
    "brackets nested too deep": HEAD + "x = " + "[" * 12 + "]" * 12 + "\nt.create_session()\n",
    "a decorator over no definition": HEAD + "@dec\nx = 1\nt.create_session()\n",
    "a grammar-changing future import": (
        "from __future__ import barry_as_FLUFL\n" + HEAD + "t.create_session()\nx = 1\n"
    ),
}


@pytest.mark.parametrize("case", sorted(DOUBTFUL))
def test_what_the_text_reading_is_unsure_of_is_parsed_whole(case: str) -> None:
    source = DOUBTFUL[case].encode()
    assert partial.needed_source(source, hot_lines(source)) is None


def test_an_error_in_a_statement_the_rules_read_is_the_full_parse_error() -> None:
    source = HEAD + "t = HoneyHiveTracer.init()\nx = 1\nt.create_session(\n"
    with pytest.raises(SyntaxError) as raised:
        check_source(source)
    with pytest.raises(SyntaxError) as expected:
        ast.parse(source, filename="<stdin>")
    assert raised.value.args == expected.value.args


def test_an_error_in_a_statement_the_rules_never_read_is_not_seen() -> None:
    # The documented trade-off, as for files the pre-filter dismisses: ruff reports it.
    unread = "def unrelated(a b):\n    pass\n"
    source = HEAD + "t = HoneyHiveTracer.init()\n" + unread + "t.create_session()\n"
    assert [finding.code for finding in check_source(source)] == ["HH002"]


# --- generated programs ----------------------------------------------------------------------

BLOCKS = [
    "import os\n",
    "from honeyhive import HoneyHiveTracer, trace\n",
    "import honeyhive as hh\n",
    "tracer = HoneyHiveTracer.init()\n",
    "tracer = None\n",
    "other = hh.HoneyHiveTracer.init(project='p')\n",
    "alias = tracer\n",
    "alias.create_session()\n",
    "tracer.enrich_session(session_id='s')\n",
    "other.session_id = 'x'\n",
    "class Box:\n    def __init__(self):\n        self.t = tracer\n",
    "def use(box: Box):\n    box.t.create_session()\n",
    "def reset():\n    global tracer\n    tracer = HoneyHiveTracer.init()\n",
    "def helper() -> HoneyHiveTracer:\n    return tracer\n",
    "helper().with_session()\n",
    "@trace(session_id='x')\ndef traced():\n    pass\n",
    "TEXT = '''\ntracer.create_session()\n'''\n",
    "values = [\nalias.create_session(),\n1,\n]\n",
    "if os.environ.get('A'):\n    alias = other\nelse:\n    alias = None\n",
    "try:\n    from honeyhive import HoneyHiveTracer as T\nexcept ImportError:\n    T = None\n",
    "t2 = T.init() if T else None\nt2.create_session()\n",
    "x = f'{tracer!r:>{10}}' + \\\n    'y'\n",
    "def unrelated(a, b=(1, [2, {3: 4}])):\n    return a\n",
    "class Plain:\n    def enrich_session(self, session_id):\n        pass\n",
    "Plain().enrich_session(session_id='s')\n",
    "with HoneyHiveTracer.init() as scoped:\n    scoped.create_session()\n",
]


def _programs(count: int) -> Iterator[str]:
    rng = random.Random(10)
    for _ in range(count):
        yield "".join(rng.choice(BLOCKS) for _ in range(rng.randint(3, 14)))


def test_generated_programs_give_the_findings_of_a_full_parse() -> None:
    left_out = 0
    for program in _programs(400):
        findings = check_source(program.encode())
        assert findings == full(program), program
        assert_chunks_are_statements(program)
        left_out += is_partial(program)
    assert left_out > 100


# --- Python 3.12 and later: f-strings that may hold the same quotes -------------------------

PEP_701 = {
    # Read as a plain string, the first line's f-string ends at its second quote, and the call
    # below would be code; Python 3.12 reads a triple-quoted string inside the field instead.
    "a string in a field hiding code": (
        HEAD
        + "tracer = HoneyHiveTracer.init()\n"
        + "x = f\"{'''\"\ntracer.create_session()\n'''}\"\nz = 1  # '''\n"
    ),
    "same quotes": HEAD + 't = HoneyHiveTracer.init()\nx = f"{d["k"]}"\nt.create_session()\n',
    "a newline in a field": (
        HEAD + 't = HoneyHiveTracer.init()\nx = f"{\nt.create_session()\n}"\ny = 1\n'
    ),
    "a comment in a field": (
        HEAD + 't = HoneyHiveTracer.init()\nx = f"""{t # note\n.create_session()}"""\ny = 1\n'
    ),
}
_ON_NEWER_PYTHON = """
import ast, sys, json
from pathlib import Path
from flake8_honeyhive.checker import check_source
from flake8_honeyhive.detect import find_violations
sources = json.loads(sys.stdin.read())
for name, source in sources.items():
    assert check_source(source) == find_violations(ast.parse(source), source), name
print("same")
"""


@pytest.mark.skipif(PYTHON_312 is None, reason="needs Python 3.12 or later")
def test_newer_pythons_give_the_findings_of_a_full_parse() -> None:
    assert PYTHON_312 is not None
    sources = {name: source for name, (source, _) in TRICKY.items()}
    sources |= {f"PEP 701: {name}": source for name, source in PEP_701.items()}
    sources |= {f"program {n}": program for n, program in enumerate(_programs(100))}
    sources |= {str(path): path.read_text(encoding="utf-8") for path in FIXTURES}
    result = subprocess.run(
        [PYTHON_312, "-c", _ON_NEWER_PYTHON],
        input=json.dumps(sources),
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "same"


def test_modules_checked_with_the_project_get_the_findings_of_a_full_parse() -> None:
    """The path of a module checked with other modules' summaries (`honeyhive-lint` on a
    project): the pre-filter lets files without `honeyhive` through, partial parsing keeps the
    imports the rule lines use, and the findings are those of the whole tree."""
    from flake8_honeyhive.cli.modules import ModuleIndex  # noqa: PLC0415
    from flake8_honeyhive.project import Project  # noqa: PLC0415
    from flake8_honeyhive.summary import summarise  # noqa: PLC0415

    root = REPO_ROOT / "tests" / "fixtures_project"
    paths = sorted(str(path) for path in root.rglob("*.py"))
    index = ModuleIndex(paths, lambda _path: (str(root), str(root / "src")))
    summaries = {}
    packages = {}
    for path in paths:
        named = index.name_of(path)
        assert named is not None, path
        source = Path(path).read_bytes()
        summaries[named[0]] = summarise(ast.parse(source), source, *named)
        packages[path] = named[1]
    project = Project(summaries)
    found = 0
    for path in paths:
        source = Path(path).read_bytes()
        package = packages[path]
        findings = check_source(source, path, project=project, package=package)
        whole = find_violations(ast.parse(source), source, project=project, package=package)
        assert findings == whole, path
        found += len(findings)
    assert found == 20  # tests/fixtures_project/expected.txt


def _fixes_from_both_trees(source: bytes) -> tuple[list[Fix | None], list[Fix | None]]:
    """The fixes computed on the engine's tree (what `honeyhive-lint` does) and on a full parse."""
    from flake8_honeyhive.checker import check_module  # noqa: PLC0415
    from flake8_honeyhive.fixes.autofix import compute_fixes  # noqa: PLC0415
    from flake8_honeyhive.fixes.text import SourceMap  # noqa: PLC0415

    text = SourceMap(source.decode("utf-8-sig"))
    findings, tree = check_module(source)
    return compute_fixes(text, findings, tree), compute_fixes(text, findings)


def test_fixes_from_the_engines_tree_are_those_of_a_full_parse(dense_sample: list[Path]) -> None:
    """The fixes read the engine's partial tree: every statement they read is in it (a finding's
    line, the honeyhive imports, what binds a name spelled there), so they are the same edits."""
    examples = sorted((REPO_ROOT / "examples").rglob("*.py"))
    fixed = 0
    for path in [*FIXTURES, *examples, *dense_sample]:
        ours, whole = _fixes_from_both_trees(path.read_bytes())
        assert ours == whole, path
        fixed += sum(fix is not None for fix in whole)
    assert fixed > 40  # the comparison covers many fixes, of every kind the fixtures hold
