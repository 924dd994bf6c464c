"""`--statistics`: the number of diagnostics of each kind, as ruff prints it (or its JSON)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from flake8_honeyhive.cli.diagnostics import Diagnostic

__all__ = ["statistics"]


def statistics(diagnostics: Sequence[Diagnostic], *, as_json: bool) -> str:
    counts = Counter((d.code or "", d.name) for d in diagnostics)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if as_json:
        data = [
            {"code": code or None, "name": name, "count": count, "fixable": False}
            | {"fixable_count": 0}
            for (code, name), count in rows
        ]
        return json.dumps(data, indent=2) + "\n"
    if not rows:
        return ""
    count_width = max(len(str(count)) for _, count in rows)
    code_width = max(len(code) for (code, _), _ in rows)
    return "".join(
        f"{count:>{count_width}}\t{code:<{code_width}}\t{name}\n" for (code, name), count in rows
    )
