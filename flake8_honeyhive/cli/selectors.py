"""Rule selectors (`ALL`, `HH`, `HH0`, `HH001`) and ruff's way of combining select/ignore lists.

Within one layer of settings (the config file, then the command line), a more specific selector wins
over a less specific one, and at equal specificity `ignore` wins over `select`. A layer that sets
`select` replaces the rules chosen by earlier layers; a layer with only `ignore`/`extend-select`
adjusts them. This is ruff's algorithm, so `select = ["HH0"]` + `ignore = ["HH00"]` +
`extend-select = ["HH001"]` selects HH001 only, as ruff would. Opt-in rules (HH100) are left out
of the starting selection, and enabled only by a selector that covers them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from flake8_honeyhive.rules import RULES

__all__ = [
    "ALL",
    "DEFAULT_SELECTION",
    "LINTER_PREFIX",
    "Selection",
    "UnknownSelectorError",
    "expand",
    "parse_selector",
    "resolve",
]

ALL = "ALL"
# Every code starts with these letters: the "linter" part of a selector, as `B` is for bugbear.
LINTER_PREFIX = "HH"
# What is checked without any selection: every rule but the opt-in ones (HH100).
DEFAULT_SELECTION = frozenset(code for code, rule in RULES.items() if not rule.opt_in)


class UnknownSelectorError(ValueError):
    """A selector that names no rule; the message names the selector and where it came from."""

    def __init__(self, selector: str, origin: str) -> None:
        self.selector = selector
        self.origin = origin
        known = ", ".join(RULES)
        super().__init__(
            f"unknown rule selector `{selector}` in {origin} "
            f"(expected `{ALL}`, `{LINTER_PREFIX}`, a code prefix such as `{LINTER_PREFIX}0`, "
            f"or a code: {known})"
        )


class Selector(NamedTuple):
    """A validated selector: its text and the codes it selects."""

    text: str
    codes: frozenset[str]

    @property
    def specificity(self) -> int:
        # `ALL` is least specific; then the linter prefix; then each longer code prefix.
        return -1 if self.text == ALL else len(self.text)


def parse_selector(text: str, origin: str) -> Selector:
    """Validate one selector; raise UnknownSelectorError naming it and its origin."""
    if text == ALL:
        return Selector(text, frozenset(RULES))
    digits = text.removeprefix(LINTER_PREFIX)
    # Like ruff: the linter letters, then any prefix of a rule's digits; case-sensitive.
    if text.startswith(LINTER_PREFIX) and (digits == "" or (digits.isascii() and digits.isdigit())):
        codes = frozenset(code for code in RULES if code.startswith(text))
        if codes:
            return Selector(text, codes)
    raise UnknownSelectorError(text, origin)


def expand(selectors: Iterable[str], origin: str) -> frozenset[str]:
    """The union of the codes named by the selectors (for per-file-ignores)."""
    codes: set[str] = set()
    for text in selectors:
        codes |= parse_selector(text, origin).codes
    return frozenset(codes)


class Selection(NamedTuple):
    """One layer of rule selection. `select=None` means "not set in this layer"."""

    select: Sequence[str] | None = None
    ignore: Sequence[str] = ()
    extend_select: Sequence[str] = ()
    origin: str = "the command line"


def resolve(layers: Iterable[Selection]) -> frozenset[str]:
    """The codes enabled after applying each layer in order, starting from the default selection
    (every rule but the opt-in ones)."""
    enabled: set[str] = set(DEFAULT_SELECTION)
    for layer in layers:
        chosen = [
            (parse_selector(text, f"`{key}` from {layer.origin}"), key != "ignore")
            for key, texts in (
                ("select", layer.select or ()),
                ("extend-select", layer.extend_select),
                ("ignore", layer.ignore),
            )
            for text in texts
        ]
        updates: dict[str, bool] = {}
        # Stable sort: at equal specificity, ignores (listed last) override selects.
        for selector, selected in sorted(chosen, key=lambda item: item[0].specificity):
            for code in selector.codes:
                updates[code] = selected
        if layer.select is not None:
            enabled = {code for code, selected in updates.items() if selected}
        else:
            enabled |= {code for code, selected in updates.items() if selected}
            enabled -= {code for code, selected in updates.items() if not selected}
    return frozenset(enabled)
