"""The formats of CI systems, in ruff's shapes: `junit`, `gitlab`, `rdjson` (reviewdog) and
`azure` (Azure Pipelines logging commands)."""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from flake8_honeyhive.cli.diagnostics import Diagnostic
from flake8_honeyhive.cli.output import Report, printable
from flake8_honeyhive.cli.output.json_formats import fix_json
from flake8_honeyhive.fixes.text import SourceMap
from flake8_honeyhive.rules import PROJECT_URL

__all__ = ["azure", "gitlab", "junit", "rdjson"]

TOOL = "honeyhive-lint"
# GitLab runs jobs in the project's directory and names it so; paths are relative to it.
GITLAB_PROJECT_DIR = "CI_PROJECT_DIR"


def junit(report: Report) -> str:
    """JUnit XML: one test suite per file, one failing test case per diagnostic."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    total = len(report.diagnostics)
    if not total:
        lines += [
            f'<testsuites name="{TOOL}" tests="1" skipped="0" failures="0" errors="0">',
            f'    <testsuite name="{TOOL}" tests="1" skipped="0" errors="0" failures="0" '
            f'package="org.{TOOL}">',
            f'        <testcase name="No errors found" classname="{TOOL}"/>',
            "    </testsuite>",
            "</testsuites>",
        ]
        return "\n".join(lines) + "\n"
    lines.append(
        f'<testsuites name="{TOOL}" tests="{total}" skipped="0" failures="{total}" errors="0">'
    )
    by_path: dict[str, list[Diagnostic]] = {}
    for diagnostic in report.diagnostics:
        by_path.setdefault(diagnostic.path, []).append(diagnostic)
    for path, diagnostics in by_path.items():
        name = printable(path)
        count = len(diagnostics)
        lines.append(
            f'    <testsuite name={quoteattr(name)} tests="{count}" skipped="0" errors="0" '
            f'failures="{count}" package="org.{TOOL}">'
        )
        classname = quoteattr(os.path.splitext(name)[0])
        for d in diagnostics:
            lines += [
                f"        <testcase name={quoteattr(f'org.{TOOL}.{d.label}')} "
                f'classname={classname} line="{d.line}" column="{d.column}">',
                "            <properties>",
                '                <property name="severity" value="error"/>',
                "            </properties>",
                f"            <failure message={quoteattr(d.message)}>line {d.line}, col "
                f"{d.column}, {escape(d.message)}</failure>",
                "        </testcase>",
            ]
        lines.append("    </testsuite>")
    lines.append("</testsuites>")
    return "\n".join(lines) + "\n"


def gitlab(report: Report) -> str:
    """GitLab Code Quality: paths relative to the project directory, stable fingerprints."""
    root = os.environ.get(GITLAB_PROJECT_DIR) or report.cwd
    seen: Counter[tuple[str, str, str]] = Counter()
    entries = []
    for d in report.diagnostics:
        path = printable(os.path.relpath(d.path, root) if os.path.isabs(d.path) else d.path)
        key = (d.label, path, d.message)
        # Identical findings in one file differ by their occurrence, not by their (moving) line.
        fingerprint = hashlib.blake2b(
            "\0".join((*key, str(seen[key]))).encode("utf-8", "surrogateescape"), digest_size=8
        ).hexdigest()
        seen[key] += 1
        entries.append(
            {
                "check_name": d.label,
                "description": f"{d.label}: {d.message}",
                "severity": "major",
                "fingerprint": fingerprint,
                "location": {
                    "path": path,
                    "positions": {
                        "begin": {"line": d.line, "column": d.column},
                        "end": {"line": d.end_line, "column": d.end_column},
                    },
                },
            }
        )
    return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"


def _rdjson_range(start: dict[str, int], end: dict[str, int]) -> dict[str, Any]:
    return {
        "end": {"column": end["column"], "line": end["row"]},
        "start": {"column": start["column"], "line": start["row"]},
    }


def rdjson(report: Report) -> str:
    """reviewdog's Diagnostic Format, with each fix's edits as suggestions."""
    maps: dict[str, SourceMap] = {}
    diagnostics = []
    for d in report.diagnostics:
        entry: dict[str, Any] = {
            "code": {"value": d.label} | ({"url": d.url} if d.url else {}),
            "location": {
                "path": printable(d.path),
                "range": _rdjson_range(
                    {"column": d.column, "row": d.line},
                    {"column": d.end_column, "row": d.end_line},
                ),
            },
            "message": d.message,
        }
        fix = fix_json(report, d, maps)
        if fix is not None:
            entry["suggestions"] = [
                {
                    "range": _rdjson_range(edit["location"], edit["end_location"]),
                    "text": edit["content"],
                }
                for edit in fix["edits"]
            ]
        diagnostics.append(entry)
    document = {
        "diagnostics": diagnostics,
        "severity": "WARNING",
        "source": {"name": TOOL, "url": PROJECT_URL},
    }
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _azure_data(text: str) -> str:
    # Azure Pipelines logging commands (azure-pipelines-agent, CommandStringConvertor).
    return text.replace("%", "%AZP25").replace("\r", "%0D").replace("\n", "%0A")


def _azure_property(text: str) -> str:
    return _azure_data(text).replace(";", "%3B").replace("]", "%5D")


def azure(report: Report) -> str:
    """Azure Pipelines: one `##vso[task.logissue ...]` command per diagnostic."""
    return "".join(
        f"##vso[task.logissue type=error;sourcepath={_azure_property(printable(d.path))};"
        f"linenumber={d.line};columnnumber={d.column};code={_azure_property(d.label)};]"
        f"{_azure_data(d.message)}\n"
        for d in report.diagnostics
    )
