"""The command as a whole: exit codes, quiet/silent, statistics, stdin, `rule`, pipes, Ctrl-C."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_honeyhive import __version__
from flake8_honeyhive.cli import check as check_module
from flake8_honeyhive.cli import main
from flake8_honeyhive.cli.explain import rule_markdown
from flake8_honeyhive.rules import FORM_KEYWORD, HH001, HH002, RULES
from tests.cli.helpers import (
    HH001_SOURCE,
    HH002_LEGACY_SOURCE,
    HH002_REBIND_SOURCE,
    IMPORT,
    SCRIPT,
    TRACER,
    lint,
    write,
)


@pytest.fixture
def findings(tmp_path: Path) -> Path:
    write(
        tmp_path,
        {
            "a.py": HH001_SOURCE,
            "b.py": HH002_REBIND_SOURCE,
            "c.py": HH002_LEGACY_SOURCE,
        },
    )
    return tmp_path


def test_exit_codes(findings: Path, tmp_path: Path) -> None:
    assert lint(cwd=findings).returncode == 1
    assert lint("--exit-zero", cwd=findings).returncode == 0
    assert lint("-e", cwd=findings).returncode == 0
    clean = tmp_path / "clean"
    write(clean, {"ok.py": IMPORT + TRACER})
    assert lint(cwd=clean).returncode == 0
    assert lint("--output-format", "yaml", cwd=findings).returncode == 2
    assert lint("--no-such-option", cwd=findings).returncode == 2
    assert lint("--jobs", "0", cwd=findings).returncode == 2


def test_check_subcommand_is_the_default(findings: Path) -> None:
    assert lint("check", cwd=findings).stdout == lint(cwd=findings).stdout
    concise = ("--output-format", "concise")
    assert lint("check", *concise, "a.py", cwd=findings).lines[0].startswith("a.py:3:1: HH001 ")
    # ruff's global options may come first: `ruff -q check`, `ruff --config FILE check`.
    write(findings, {"only_hh002.toml": 'select = ["HH002"]\n'})
    quiet = lint("-q", "check", *concise, "a.py", cwd=findings)
    assert quiet.lines[0].startswith("a.py:3:1: HH001 ")
    configured = lint("--config", "only_hh002.toml", "-s", "check", "a.py", cwd=findings)
    assert (configured.returncode, configured.stderr) == (0, "")
    isolated = lint("--isolated", "--color", "never", "check", *concise, "a.py", cwd=findings)
    assert isolated.lines[0].startswith("a.py:3:1: HH001 ")


def test_paths_may_come_between_options(findings: Path) -> None:
    # As in ruff, whose command line parser takes positionals anywhere.
    run = lint(
        "--output-format",
        "concise",
        "-q",
        "a.py",
        "--select",
        "HH002",
        "b.py",
        "--exit-zero",
        "c.py",
        cwd=findings,
    )
    assert run.returncode == 0, run.stderr
    assert [line.split(":")[0] for line in run.lines] == ["b.py", "c.py"]
    # After `--`, everything is a path, even where it looks like an option.
    write(findings, {"-d.py": HH001_SOURCE})
    dashed = lint(
        "--output-format", "concise", "-q", "--select", "HH001", "a.py", "--", "-d.py", cwd=findings
    )
    assert [line.split(":")[0] for line in dashed.lines] == ["-d.py", "a.py"]


def test_quiet_and_silent(findings: Path) -> None:
    quiet = lint("--output-format", "concise", "-q", cwd=findings)
    assert quiet.returncode == 1
    assert len(quiet.lines) == 3  # no "Found 3 errors." line
    silent = lint("--output-format", "concise", "--silent", cwd=findings)
    assert (silent.returncode, silent.stdout, silent.stderr) == (1, "", "")
    assert lint("-s", "--statistics", cwd=findings).stdout == ""


def test_statistics(findings: Path) -> None:
    run = lint("--statistics", cwd=findings)
    assert run.returncode == 1
    # The HH001 here has an unsafe fix: hinted at, as ruff does, and no fix column without it.
    assert run.stdout == (
        f"2\tHH002\t{HH002.symbol}\n1\tHH001\t{HH001.symbol}\nFound 3 errors.\n"
        "1 unsafe fix available with `--fix --unsafe-fixes`.\n"
    )
    as_json = lint("--statistics", "--output-format", "json", cwd=findings).json()
    assert as_json == [
        {"code": "HH002", "name": HH002.symbol, "count": 2, "fixable": False, "fixable_count": 0},
        {"code": "HH001", "name": HH001.symbol, "count": 1, "fixable": False, "fixable_count": 0},
    ]
    unsafe = lint("--statistics", "--unsafe-fixes", cwd=findings)
    assert unsafe.stdout == (
        f"2\tHH002\t[ ] {HH002.symbol}\n1\tHH001\t[*] {HH001.symbol}\nFound 3 errors.\n"
        "[*] 1 fixable with `--fix`.\n"
    )
    as_json = lint("--statistics", "--unsafe-fixes", "--output-format", "json", cwd=findings)
    assert as_json.json()[1] == {
        "code": "HH001",
        "name": HH001.symbol,
        "count": 1,
        "fixable": True,
        "fixable_count": 1,
    }


def test_statistics_count_files_that_do_not_parse(tmp_path: Path) -> None:
    write(tmp_path, {"bad.py": "import honeyhive\nt.session_id = (\n", "a.py": HH001_SOURCE})
    assert lint("--statistics", "-q", cwd=tmp_path).stdout == (
        f"1\t     \tinvalid-syntax\n1\tHH001\t{HH001.symbol}\n"
    )


def test_version_and_help(tmp_path: Path) -> None:
    version = lint("--version", cwd=tmp_path)
    assert (version.returncode, version.stdout) == (0, f"honeyhive-lint {__version__}\n")
    help_text = lint("--help", cwd=tmp_path)
    assert help_text.returncode == 0
    for option in ("--select", "--extend-exclude", "--output-format", "--stdin-filename", "rule"):
        assert option in help_text.stdout


def test_module_entry_point(findings: Path) -> None:
    module = subprocess.run(
        [sys.executable, "-m", "flake8_honeyhive.cli", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (module.returncode, module.stdout) == (0, f"honeyhive-lint {__version__}\n")


def test_rule_command(tmp_path: Path) -> None:
    run = lint("rule", "HH001", cwd=tmp_path)
    assert (run.returncode, run.stdout) == (0, rule_markdown(HH001))
    assert HH001.docs.what_it_does in run.stdout
    assert "Generated from" not in run.stdout
    every = lint("rule", "--all", cwd=tmp_path)
    assert every.stdout == "\n".join(rule_markdown(rule) for rule in RULES.values())
    as_json = lint("rule", "HH002", "--output-format", "json", cwd=tmp_path).json()
    assert (as_json["code"], as_json["name"], as_json["linter"]) == (
        "HH002",
        HH002.symbol,
        "honeyhive",
    )
    assert [
        r["code"] for r in lint("rule", "--all", "--output-format", "json", cwd=tmp_path).json()
    ] == list(RULES)
    unknown = lint("rule", "HH999", cwd=tmp_path)
    assert (unknown.returncode, unknown.stdout) == (2, "")
    assert "unknown rule code `HH999`" in unknown.stderr
    assert lint("rule", cwd=tmp_path).returncode == 2
    # ruff's global options may come first here too: `ruff -q rule F401`.
    quiet = lint("-q", "rule", "HH001", cwd=tmp_path)
    assert (quiet.returncode, quiet.stdout) == (0, rule_markdown(HH001))


def test_stdin(tmp_path: Path) -> None:
    source = HH001_SOURCE.encode()
    run = lint("--output-format", "concise", "-", cwd=tmp_path, stdin=source)
    assert (run.returncode, run.lines[0]) == (1, f"-:3:1: HH001 {HH001.format(form=FORM_KEYWORD)}")
    named = lint(
        "--output-format", "concise", "--stdin-filename", "src/app.py", cwd=tmp_path, stdin=source
    )
    assert named.lines[0].startswith("src/app.py:3:1: HH001 ")
    as_json = lint(
        "-", "--stdin-filename", "src/app.py", "--output-format", "json", cwd=tmp_path, stdin=source
    )
    assert as_json.json()[0]["filename"] == str(tmp_path / "src" / "app.py")
    # Files and stdin together.
    write(tmp_path, {"b.py": HH002_LEGACY_SOURCE})
    both = lint(
        "--output-format",
        "concise",
        "-q",
        "b.py",
        "-",
        "--stdin-filename",
        "src/app.py",
        cwd=tmp_path,
        stdin=source,
    )
    assert [line.split(":")[0] for line in both.lines] == ["b.py", "src/app.py"]


def test_stdin_filename_drives_per_file_ignores_and_force_exclude(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": "[tool.honeyhive-lint]\n"
            'per-file-ignores = {"tests/*" = ["HH001"]}\n'
            'extend-exclude = ["generated"]\n'
        },
    )
    source = HH001_SOURCE.encode()
    ignored = lint(
        "--output-format",
        "concise",
        "--stdin-filename",
        "tests/test_x.py",
        cwd=tmp_path,
        stdin=source,
    )
    assert (ignored.returncode, ignored.stdout) == (0, "All checks passed!\n")
    excluded_args = ["--stdin-filename", "generated/x.py"]
    assert lint(*excluded_args, cwd=tmp_path, stdin=source).returncode == 1
    forced = lint(*excluded_args, "--force-exclude", cwd=tmp_path, stdin=source)
    assert (forced.returncode, forced.stdout) == (0, "All checks passed!\n")


UNPARSABLE: dict[str, tuple[bytes, str]] = {
    "unclosed.py": (
        b"import honeyhive\nt.session_id = (\n",
        "unclosed.py:2:16: SyntaxError: '(' was never closed",
    ),
    "indent.py": (
        b"import honeyhive\nif t:\nt.session_id = 1\n",
        "indent.py:3:1: IndentationError: expected",
    ),
    "nul.py": (
        b"import honeyhive\nx = 1\x00\nt.session_id = 1\n",
        "nul.py:2:6: SyntaxError: source code",
    ),
    "undecodable.py": (
        b'import honeyhive\nx = "\xff"\nt.session_id = 1\n',
        "undecodable.py:2:6: SyntaxError: (unicode error)",
    ),
    "cookie.py": (
        b"# coding: klingon\nimport honeyhive\nt.session_id = 1\n",
        "cookie.py:1:1: SyntaxError: unknown encoding",
    ),
    "nested.py": (
        b"import honeyhive\nx = " + b"(" * 250 + b")" * 250 + b"\nt.session_id = 1\n",
        "nested.py:2:",
    ),
}


@pytest.mark.parametrize("name", UNPARSABLE)
def test_a_file_that_does_not_parse_is_reported_where_it_fails(name: str, tmp_path: Path) -> None:
    content, expected = UNPARSABLE[name]
    write(tmp_path, {name: content, "z.py": HH001_SOURCE})
    run = lint("--output-format", "concise", cwd=tmp_path)
    assert run.returncode == 1
    assert run.lines[0].startswith(expected), run.lines[0]
    assert run.lines[1].startswith("z.py:3:1: HH001 ")  # the run goes on


def test_files_that_do_not_parse_in_every_output_format(tmp_path: Path) -> None:
    write(tmp_path, {name: content for name, (content, _) in UNPARSABLE.items()})
    write(tmp_path, {"z.py": HH001_SOURCE})
    for output_format in ("concise", "full", "json", "json-lines", "github", "pylint", "sarif"):
        run = lint("--output-format", output_format, cwd=tmp_path)
        assert (run.returncode, run.stderr) == (1, ""), output_format
        for name in UNPARSABLE:
            assert name in run.stdout, (output_format, name)
        assert "HH001" in run.stdout  # z.py is still checked
    codes = [d["code"] for d in lint("--output-format", "json", cwd=tmp_path).json()]
    assert codes == [None] * len(UNPARSABLE) + ["HH001"]


def test_encodings_python_accepts_are_checked(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "bom.py": b"\xef\xbb\xbf" + HH002_LEGACY_SOURCE.encode(),
            "latin.py": b"# -*- coding: latin-1 -*-\n"
            + IMPORT.encode()
            + TRACER.encode()
            + b'x = "\xe9\xe9"; t.create_session()\n',
            "crlf.py": HH001_SOURCE.replace("\n", "\r\n").encode(),
        },
    )
    run = lint("--output-format", "concise", "-q", cwd=tmp_path)
    assert [line.split(" ")[0] for line in run.lines] == [
        "bom.py:3:1:",
        "crlf.py:3:1:",
        "latin.py:4:11:",
    ]


def test_a_file_without_honeyhive_is_never_parsed(tmp_path: Path) -> None:
    """The documented trade-off: the pre-filter skips it, so its syntax error goes unreported."""
    write(tmp_path, {"broken.py": "def f(:\n    session_id = 1\n"})
    assert lint(cwd=tmp_path).stdout == "All checks passed!\n"


def test_broken_pipe_exits_quietly(tmp_path: Path) -> None:
    calls = "".join(f't.enrich_session(session_id="{n}")\n' for n in range(3000))
    write(tmp_path, {"many.py": IMPORT + TRACER + calls})
    process = subprocess.Popen(
        [str(SCRIPT), "--output-format", "concise"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # like `| head -1`
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 1
    assert first.startswith(b"many.py:3:1: HH001 ")
    assert stderr == b""


def test_the_whole_report_arrives_before_the_command_exits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command exits without the interpreter's teardown (`console_main`): what it buffered
    must be written first, however much it is, by the script and by `python -m` alike."""
    calls = "".join(f't.enrich_session(session_id="{n}")\n' for n in range(2000))
    write(tmp_path, {"many.py": IMPORT + TRACER + calls})
    # Buffered, as for a user (a test runner may set PYTHONUNBUFFERED).
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    runs = [
        subprocess.run(
            [*command, "--output-format", "concise"],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        for command in ([str(SCRIPT)], [sys.executable, "-m", "flake8_honeyhive.cli"])
    ]
    monkeypatch.chdir(tmp_path)
    assert main(["--output-format", "concise"]) == 1
    in_process = capsys.readouterr().out
    lines = runs[0].stdout.splitlines()
    assert sum(line.startswith("many.py:") for line in lines) == 2000
    assert "Found 2000 errors." in lines  # the summary, written last
    assert [run.returncode for run in runs] == [1, 1]
    assert runs[0].stdout == runs[1].stdout == in_process


def test_ctrl_c_exits_130_without_a_traceback(
    findings: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*args: object, **kwargs: object) -> list[str]:
        raise KeyboardInterrupt

    monkeypatch.chdir(findings)
    monkeypatch.setattr(check_module, "discover", interrupted)
    assert main([]) == 130
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err


def test_main_runs_in_process(
    findings: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(findings)
    assert main(["--output-format", "json", "a.py"]) == 1
    assert [d["code"] for d in json.loads(capsys.readouterr().out)] == ["HH001"]


def test_never_imports_opentelemetry(findings: Path) -> None:
    """Every command path, in one interpreter: no OpenTelemetry module gets loaded."""
    script = (
        "import sys\n"
        "from flake8_honeyhive.cli import main\n"
        "for output_format in ('concise', 'full', 'json', 'json-lines', 'github', 'sarif',"
        " 'pylint'):\n"
        "    main(['-s', '--output-format', output_format, '--jobs', '2', '.'])\n"
        "main(['-s', '--statistics', '.'])\n"
        "main(['rule', '--all'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('opentelemetry')), file=sys.stderr)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=findings,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (run.returncode, run.stderr) == (0, "[]\n")
