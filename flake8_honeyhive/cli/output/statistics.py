"""`--statistics`: the number of diagnostics of each kind, as ruff prints it (or its JSON)."""

from __future__ import annotations

import json
from collections import Counter

from flake8_honeyhive.cli.output import Report

__all__ = ["statistics"]


def statistics(report: Report, *, as_json: bool) -> str:
    """One row per code: its count, whether `--fix` fixes some (`[*]`), its name."""
    diagnostics = report.diagnostics
    counts = Counter((d.code or "", d.name) for d in diagnostics)
    fixable = Counter((d.code or "", d.name) for d in diagnostics if report.applicable(d))
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if as_json:
        data = [
            {
                "code": code or None,
                "name": name,
                "count": count,
                "fixable": fixable[code, name] > 0,
                "fixable_count": fixable[code, name],
            }
            for (code, name), count in rows
        ]
        return json.dumps(data, indent=2) + "\n"
    if not rows:
        return ""
    count_width = max(len(str(count)) for _, count in rows)
    code_width = max(len(code) for (code, _), _ in rows)
    # The fix column shows only when something is fixable, as in ruff.
    marks = {key: ("[*] " if fixable[key] else "[ ] ") if fixable else "" for key, _ in rows}
    return "".join(
        f"{count:>{count_width}}\t{code:<{code_width}}\t{marks[code, name]}{name}\n"
        for (code, name), count in rows
    )
