"""Render the rule catalog as documentation: one page per rule, and the README's rules table.

``python -m flake8_honeyhive.ruledocs`` rewrites ``docs/rules/*.md`` and the README's rules section;
``--check`` exits 1 when they have drifted from the catalog (the test suite runs the same check).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from flake8_honeyhive.rules import RULES, Rule

GENERATED_NOTE: Final = (
    "<!-- Generated from flake8_honeyhive/rules.py by `python -m flake8_honeyhive.ruledocs`. "
    "Do not edit by hand. -->"
)
README_SECTION: Final = re.compile(
    r"(<!-- section:rules -->\n)(.*?)(<!-- /section:rules -->)", re.DOTALL
)


def _runtime_category(warning_class: str) -> str:
    return f"honeyhive.{warning_class}"


def _code(value: str | None) -> str:
    return f"`{value}`" if value else "-"


_FIX_WORDS: Final = {"None": "none", "Sometimes": "sometimes", "Always": "always"}


def _fix_cell(rule: Rule) -> str:
    word = _FIX_WORDS[rule.fix_availability]
    return word if rule.fix_availability == "None" else f"{word} (`honeyhive-lint --fix`)"


def _suppression(rule: Rule) -> str:
    """The page's "How to suppress" items, for the front ends that run the rule."""
    if rule.pylint_id is None:
        return f"""- `# noqa: {rule.code}` on the reported line, `per-file-ignores`
  (`[tool.honeyhive-lint] per-file-ignores = {{"tests/*" = ["{rule.code}"]}}`), or leave the rule
  unselected: it is opt-in."""
    lines = f"""\
Fix the code if you can. Where a finding is intended (a migration shim, a test of the legacy
behaviour), suppress it on its line:

- flake8, `honeyhive-lint` and pylint: `# noqa: {rule.code}` on the reported line (pylint honours
  the HH codes of `# noqa` comments too, so one comment serves all three). Or `per-file-ignores`
  (`[tool.honeyhive-lint] per-file-ignores = {{"tests/*" = ["{rule.code}"]}}`; flake8's own
  `per-file-ignores` option for flake8).
- pylint: `# pylint: disable={rule.symbol}` (or `{rule.pylint_id}`) on the line or in the scope, or
  `disable = ["{rule.symbol}"]` in `[tool.pylint."messages control"]`."""
    if rule.warning_class is not None:
        category = _runtime_category(rule.warning_class)
        lines += f"""
- At run time the SDK emits `{rule.warning_class}`, whose text starts with `{rule.code}`. Silence it
  with `warnings.filterwarnings("ignore", category={category})`, or turn it into an
  error with `python -W error::{category}` or pytest's
  `filterwarnings = ["error::{category}"]`."""
    return lines


def rule_page(rule: Rule) -> str:
    """The Markdown page of one rule, in the section order ruff uses for its rule pages."""
    message = re.sub(r"%\((\w+)\)s", r"<\1>", rule.message)
    opt_in = (
        f"\n\nOpt-in: checked only when selected (`--extend-select {rule.code}`, or "
        f'`extend-select = ["{rule.code}"]`).'
        if rule.opt_in
        else ""
    )
    fix_safety = f"\n## Fix safety\n\n{rule.docs.fix_safety}\n" if rule.docs.fix_safety else ""
    return f"""# {rule.code}: {rule.symbol}

{GENERATED_NOTE}

{rule.title}.{opt_in}

| Code | Name (pylint symbol) | Front ends | pylint id | Runtime warning | Fix |
|---|---|---|---|---|---|
| `{rule.code}` | `{rule.symbol}` | {", ".join(rule.front_ends)} | {_code(rule.pylint_id)} | \
{_code(rule.warning_class)} | {_fix_cell(rule)} |

Message:

```text
{rule.code} {message}
```

## What it does

{rule.docs.what_it_does}

## Why is this bad?

{rule.docs.why_is_this_bad}

## Example

```python
{rule.docs.example.rstrip()}
```

## Use instead

```python
{rule.docs.use_instead.rstrip()}
```
{fix_safety}
## How to suppress

{_suppression(rule)}

## References

- [Design discussion: one tracer, one session](../design/multi-session-analysis.md)
- [Fixes](../fixes.md)
- [All rules](../../README.md#rules)
"""


def rules_table() -> str:
    """The README's table of rules, linking each rule to its page."""
    rows = [
        "| Code | pylint id | pylint symbol | What it reports | Runtime warning |",
        "|---|---|---|---|---|",
    ]
    for rule in RULES.values():
        rows.append(
            f"| [`{rule.code}`](docs/rules/{rule.code}.md) | {_code(rule.pylint_id)} | "
            f"`{rule.symbol}` | {rule.summary[0].upper()}{rule.summary[1:]} | "
            f"{_code(rule.warning_class)} |"
        )
    return "\n".join(rows) + "\n"


def readme_section() -> str:
    return f"## Rules\n\n{GENERATED_NOTE}\n\n{rules_table()}"


def render(root: Path) -> dict[Path, str]:
    """Every generated file under ``root`` with the content it must have."""
    outputs = {
        root / "docs" / "rules" / f"{code}.md": rule_page(rule) for code, rule in RULES.items()
    }
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8")
    if not README_SECTION.search(text):
        raise SystemExit(f"{readme}: no <!-- section:rules --> block to fill")
    outputs[readme] = README_SECTION.sub(lambda m: m[1] + readme_section() + m[3], text, count=1)
    return outputs


def stale_files(root: Path) -> list[Path]:
    return [
        path
        for path, content in render(root).items()
        if not path.exists() or path.read_text(encoding="utf-8") != content
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m flake8_honeyhive.ruledocs", description=__doc__
    )
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository root")
    parser.add_argument("--check", action="store_true", help="exit 1 if anything is stale")
    options = parser.parse_args(argv)
    if options.check:
        stale = stale_files(options.root)
        for path in stale:
            print(f"stale: {path} (run python -m flake8_honeyhive.ruledocs)", file=sys.stderr)
        return 1 if stale else 0
    for path, content in render(options.root).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
