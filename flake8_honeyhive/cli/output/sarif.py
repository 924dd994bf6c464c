"""SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.

Paths inside the current directory are relative URIs against `%SRCROOT%` (the current directory,
given in `originalUriBaseIds`), which is what code scanning expects when the tool runs at the
repository root. Rules are described from the catalog.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flake8_honeyhive import __version__
from flake8_honeyhive.cli.diagnostics import Diagnostic
from flake8_honeyhive.cli.explain import PROJECT_URL, rule_markdown
from flake8_honeyhive.cli.output import Report
from flake8_honeyhive.cli.output.json_formats import fix_json
from flake8_honeyhive.fixes.text import SourceMap
from flake8_honeyhive.rules import RULES, Rule

__all__ = ["SARIF_SCHEMA", "SARIF_VERSION", "sarif"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SOURCE_ROOT = "%SRCROOT%"
TOOL = "honeyhive-lint"


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.symbol,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.docs.what_it_does},
        "help": {"text": rule.summary, "markdown": rule_markdown(rule)},
        "helpUri": rule.url,
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["honeyhive", "correctness"]}
        | ({"pylint_id": rule.pylint_id} if rule.pylint_id else {}),
    }


def _artifact_location(report: Report, path: str) -> dict[str, str]:
    shown = report.relative_path(path)
    if shown != path or not os.path.isabs(path):
        # surrogateescape: a file name that is not UTF-8 keeps its original bytes.
        uri = quote(shown.replace(os.sep, "/"), errors="surrogateescape")
        return {"uri": uri, "uriBaseId": SOURCE_ROOT}
    return {"uri": Path(path).as_uri()}


def _fixes(
    report: Report, diagnostic: Diagnostic, maps: dict[str, SourceMap]
) -> list[dict[str, Any]]:
    """SARIF's `fixes`: the fix's edits as replacements (regions 1-based, in characters, as the
    run's `columnKind` says), its message, and ruff's applicability as a property."""
    fixed = fix_json(report, diagnostic, maps)
    if fixed is None:
        return []
    replacements = [
        {
            "deletedRegion": {
                "startLine": edit["location"]["row"],
                "startColumn": edit["location"]["column"],
                "endLine": edit["end_location"]["row"],
                "endColumn": edit["end_location"]["column"],
            },
            "insertedContent": {"text": edit["content"]},
        }
        for edit in fixed["edits"]
    ]
    change = {
        "artifactLocation": _artifact_location(report, diagnostic.path),
        "replacements": replacements,
    }
    return [
        {
            "description": {"text": fixed["message"]},
            "artifactChanges": [change],
            "properties": {"applicability": fixed["applicability"]},
        }
    ]


def _result(
    report: Report,
    diagnostic: Diagnostic,
    rule_index: dict[str, int],
    maps: dict[str, SourceMap],
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": diagnostic.code or diagnostic.name,
        "level": "error",
        "message": {"text": diagnostic.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact_location(report, diagnostic.path),
                    "region": {
                        "startLine": diagnostic.line,
                        "startColumn": diagnostic.column,
                        "endLine": diagnostic.end_line,
                        "endColumn": diagnostic.end_column,
                    },
                }
            }
        ],
    }
    if diagnostic.code in rule_index:
        result["ruleIndex"] = rule_index[diagnostic.code]
    fixes = _fixes(report, diagnostic, maps)
    if fixes:
        result["fixes"] = fixes
    return result


def _directory_uri(directory: str) -> str:
    uri = Path(directory).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def sarif(report: Report) -> str:
    rules = list(RULES.values())
    rule_index = {rule.code: index for index, rule in enumerate(rules)}
    maps: dict[str, SourceMap] = {}
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL,
                        "version": __version__,
                        "informationUri": PROJECT_URL,
                        "rules": [_rule_descriptor(rule) for rule in rules],
                    }
                },
                "originalUriBaseIds": {SOURCE_ROOT: {"uri": _directory_uri(report.cwd)}},
                "columnKind": "unicodeCodePoints",
                "results": [_result(report, d, rule_index, maps) for d in report.diagnostics],
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
