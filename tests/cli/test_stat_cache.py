"""A warm run trusts an unchanged file's stat signature, as ruff trusts its modification time: it
reads only the files it must check, summarise or show, and still sees every edit."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

from flake8_honeyhive.cli import runner
from flake8_honeyhive.cli.cache import Cache
from flake8_honeyhive.cli.sources import Reader, Sources
from flake8_honeyhive.rules import ENGINE_RULES
from tests.cli.helpers import HH001_SOURCE, HH002_LEGACY_SOURCE, IMPORT, TRACER, Run, lint, write

PROJECT = Path(__file__).parent.parent / "fixtures_project"
_COUNTS = re.compile(
    r"info: (\d+) files? checked, (\d+) from the cache; (\d+) modules? summarised for their "
    r"importers; (\d+) files? read"
)
# Files changed within the last second are read again on the next run (their file system's clock
# may not have ticked since): the tests wait that long before the runs whose reads they count.
_SETTLED = 1.1


def _run(root: Path, *args: str) -> tuple[Run, tuple[int, int, int, int]]:
    """A run with the cache in `root/../cache`: its result, and (checked, from the cache,
    summarised, read) from `--verbose`."""
    run = lint("check", "-v", "--cache-dir", root.parent / "cache", *args, ".", cwd=root)
    assert run.returncode in (0, 1), run.stderr
    found = _COUNTS.search(run.stderr)
    assert found, run.stderr
    checked, cached, summarised, read = map(int, found.groups())
    return run, (checked, cached, summarised, read)


def _small_project(root: Path) -> None:
    write(
        root,
        {
            "app/finding.py": HH001_SOURCE,
            "app/legacy.py": HH002_LEGACY_SOURCE,
            "app/clean.py": IMPORT + TRACER,  # no rule token: never parsed
            "app/plain.py": "x = 1\n",
            "app/tokens.py": IMPORT + TRACER + "t.enrich_session(metadata={})\n",  # no finding
        },
    )


def test_an_unchanged_tree_is_only_read_to_show_its_findings(tmp_path: Path) -> None:
    root = tmp_path / "project"
    _small_project(root)
    time.sleep(_SETTLED)
    cold, counts = _run(root, "--output-format", "full")
    assert counts == (3, 0, 0, 5)
    assert "HH001" in cold.stdout
    assert "HH002" in cold.stdout

    # Nothing to show: nothing read.
    concise_cold = lint("check", "--no-cache", "--output-format", "concise", ".", cwd=root)
    concise, counts = _run(root, "--output-format", "concise")
    assert counts == (0, 3, 0, 0)
    assert concise.stdout == concise_cold.stdout
    # The full format reads the files with findings for their lines: the same snippets.
    warm, counts = _run(root, "--output-format", "full")
    assert counts == (0, 3, 0, 0)
    assert warm.stdout == cold.stdout
    assert 't.enrich_session(session_id="x")' in warm.stdout


def test_an_edit_keeping_the_size_and_modification_time_is_seen(tmp_path: Path) -> None:
    root = tmp_path / "project"
    _small_project(root)
    time.sleep(_SETTLED)
    _run(root)
    _, counts = _run(root)
    assert counts[3] == 0

    # Same size, and the modification time put back as a tool restoring it would: the change
    # time still moves.
    finding = root / "app" / "finding.py"
    before = finding.stat()
    edited = HH001_SOURCE.replace('session_id="x"', 'metadata="xyz"')
    assert len(edited) == len(HH001_SOURCE)
    finding.write_text(edited, encoding="utf-8")
    os.utime(finding, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert finding.stat().st_mtime_ns == before.st_mtime_ns

    run, counts = _run(root, "--output-format", "json")
    assert counts == (1, 2, 0, 1)
    assert sorted(Path(d["filename"]).name for d in run.json()) == ["legacy.py"]


def test_a_file_deleted_between_runs(tmp_path: Path) -> None:
    root = tmp_path / "project"
    _small_project(root)
    time.sleep(_SETTLED)
    _run(root)
    (root / "app" / "finding.py").unlink()
    run, counts = _run(root, "--output-format", "full")
    assert counts == (0, 2, 0, 0)
    assert "finding.py" not in run.stdout
    assert "t.create_session()" in run.stdout  # legacy.py's snippet


def test_an_unchanged_project_is_not_read_and_an_edited_module_rechecks_its_importers(
    tmp_path: Path,
) -> None:
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root)
    time.sleep(_SETTLED)
    first, counts = _run(root, "--output-format", "json")
    assert counts[:3] == (5, 0, 8)
    _, counts = _run(root, "--output-format", "json")
    assert counts == (0, 5, 0, 0)

    # The tracer module, read only to summarise it: its importers are checked again, and lose
    # the findings about its tracer.
    tracing = root / "app" / "tracing.py"
    source = tracing.read_text()
    tracing.write_text(
        source.replace('tracer = HoneyHiveTracer.init(project="chat")', "tracer = 0")
    )
    edited, counts = _run(root, "--output-format", "json")
    # handlers, routes and jobs import it: read to check them; tracing.py read to find it changed,
    # then to summarise it.
    assert counts == (3, 2, 1, 5)
    before = {(d["filename"], d["location"]["row"]) for d in first.json()}
    after = {(d["filename"], d["location"]["row"]) for d in edited.json()}
    assert after < before
    assert not any(name.endswith("tracing.py") for name, _ in before - after)


def test_a_source_changed_after_its_check_is_not_shown(tmp_path: Path) -> None:
    touched, changed = str(tmp_path / "touched.py"), str(tmp_path / "changed.py")
    write(tmp_path, {"touched.py": HH001_SOURCE, "changed.py": HH001_SOURCE})
    cache = Cache(str(tmp_path / "cache"))
    time.sleep(_SETTLED)
    runner.check_files([touched, changed], lambda _: frozenset(ENGINE_RULES), cache=cache)
    # Taken from the cache, unread: read when the report asks for their lines.
    sources = Sources()
    reader = Reader(cache)
    for path in (touched, changed):
        sources.defer(reader.open(path))
    assert reader.files_read == 0
    os.utime(touched)  # another stat, the same bytes (the digest says so)
    Path(changed).write_text(HH001_SOURCE.replace("x", "y"), encoding="utf-8")
    assert sources.get(touched) == HH001_SOURCE.encode()
    # No lines to show, rather than the wrong ones.
    assert sources.get(changed) is None


def test_turning_on_hh100_reads_the_files_whose_noqa_comments_were_never_asked_about(
    tmp_path: Path,
) -> None:
    """Whether a file's `noqa` comments name an HH code is asked only when HH100 is on (it costs a
    search of every file read): a later run with HH100 reads the files not asked about yet."""
    root = tmp_path / "project"
    write(root, {"app/stale.py": "x = 1  # noqa: HH001\n", "app/plain.py": "x = 1\n"})
    time.sleep(_SETTLED)
    without, counts = _run(root)
    assert counts == (0, 0, 0, 2)
    assert "HH100" not in without.stdout
    with_hh100, counts = _run(root, "--extend-select", "HH100")
    assert counts == (1, 0, 0, 2)
    assert "app/stale.py:1:" in with_hh100.stdout
    assert "HH100" in with_hh100.stdout
    # Asked once, the answer is kept with the file's other facts.
    again, counts = _run(root, "--extend-select", "HH100")
    assert counts == (0, 1, 0, 0)  # (as above: the count leaves out reading lines to show)
    assert again.stdout == with_hh100.stdout
