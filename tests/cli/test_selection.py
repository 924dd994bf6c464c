"""Rule selectors: ruff's specificity rules (unit), and `--select`/`--ignore` end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_honeyhive.cli.selectors import (
    Selection,
    UnknownSelectorError,
    expand,
    parse_selector,
    resolve,
)
from flake8_honeyhive.rules import ENGINE_RULES, RULES
from tests.cli.helpers import IMPORT, TRACER, lint, write

EVERY_CODE = frozenset(RULES)
# HH001 and HH002; also the default selection (HH100 is opt-in).
ENGINE_CODES = frozenset(ENGINE_RULES)


@pytest.mark.parametrize(
    ("selector", "selected"),
    [
        ("ALL", EVERY_CODE),
        ("HH", EVERY_CODE),
        ("HH0", ENGINE_CODES),
        ("HH00", ENGINE_CODES),
        ("HH001", {"HH001"}),
        ("HH002", {"HH002"}),
        ("HH1", {"HH100"}),
        ("HH100", {"HH100"}),
    ],
)
def test_valid_selectors(selector: str, selected: frozenset[str]) -> None:
    assert parse_selector(selector, "test").codes == selected


@pytest.mark.parametrize(
    "selector", ["H", "HH9", "HH003", "HH0010", "hh001", "E501", "all", "", "HHx", "HH\u0660"]
)
def test_unknown_selectors_are_named_in_the_error(selector: str) -> None:
    with pytest.raises(UnknownSelectorError) as caught:
        parse_selector(selector, "`select` from the command line")
    assert f"`{selector}` in `select` from the command line" in str(caught.value)


def layer(
    select: list[str] | None = None, ignore: tuple[str, ...] = (), extend: tuple[str, ...] = ()
) -> Selection:
    return Selection(select, ignore, extend)


@pytest.mark.parametrize(
    ("layers", "enabled"),
    [
        # The default selection leaves out the opt-in HH100; naming it, `HH` or `ALL` adds it.
        ([], ENGINE_CODES),
        ([layer(extend=("HH100",))], EVERY_CODE),
        ([layer(["HH"])], EVERY_CODE),
        ([layer(["HH001"])], {"HH001"}),
        ([layer(ignore=("HH001",))], {"HH002"}),
        ([layer([])], set()),
        # More specific wins within a layer, whichever list it is in.
        ([layer(["HH"], ignore=("HH0",), extend=("HH001",))], {"HH001", "HH100"}),
        ([layer(["HH001"], ignore=("HH",))], {"HH001"}),
        ([layer(["ALL"], ignore=("HH002",))], {"HH001", "HH100"}),
        # At equal specificity, ignore wins.
        ([layer(["HH001"], ignore=("HH001",))], set()),
        # A later layer's `select` replaces the earlier choice, ignores included (as in ruff,
        # where `--select` on the command line overrides `ignore` in the configuration).
        ([layer(ignore=("HH001",)), layer(["HH001"])], {"HH001"}),
        # A later layer's ignore or extend-select adjusts the earlier choice.
        ([layer(["HH001"]), layer(extend=("HH002",))], ENGINE_CODES),
        ([layer(["HH0"]), layer(ignore=("HH002",))], {"HH001"}),
        ([layer(["HH001"]), layer(ignore=("HH0",), extend=("HH002",))], {"HH002"}),
    ],
)
def test_resolution(layers: list[Selection], enabled: set[str]) -> None:
    assert resolve(layers) == frozenset(enabled)


def test_expand_unions_the_selected_codes() -> None:
    assert expand(["HH001", "HH002"], "test") == ENGINE_CODES
    with pytest.raises(UnknownSelectorError):
        expand(["HH001", "X1"], "test")


# --- end to end -----------------------------------------------------------------------------------


@pytest.fixture
def both(tmp_path: Path) -> Path:
    write(tmp_path, {"app.py": IMPORT + TRACER + 't.enrich_session(session_id="x")\nt.sid = 1\n'})
    write(tmp_path, {"other.py": IMPORT + TRACER + "t.create_session()\n"})
    return tmp_path


def _codes(*args: str, cwd: Path) -> list[str]:
    return [d["code"] for d in lint("--output-format", "json", *args, cwd=cwd).json()]


def test_select_ignore_and_extend_select_on_the_command_line(both: Path) -> None:
    assert _codes(cwd=both) == ["HH001", "HH002"]
    assert _codes("--select", "HH001", cwd=both) == ["HH001"]
    assert _codes("--select", "HH001,HH002", cwd=both) == ["HH001", "HH002"]
    assert _codes("--select", "HH001", "--select", "HH002", cwd=both) == ["HH001", "HH002"]
    assert _codes("--ignore", "HH001", cwd=both) == ["HH002"]
    assert _codes("--select", "ALL", "--ignore", "HH0", cwd=both) == []
    assert _codes("--select", "HH001", "--extend-select", "HH002", cwd=both) == ["HH001", "HH002"]


def test_nothing_selected_means_nothing_reported(both: Path) -> None:
    run = lint("--ignore", "HH", cwd=both)
    assert (run.returncode, run.stdout) == (0, "All checks passed!\n")


@pytest.mark.parametrize("option", ["--select", "--ignore", "--extend-select"])
def test_unknown_selector_on_the_command_line_is_a_usage_error(option: str, both: Path) -> None:
    run = lint(option, "HH001,E501", cwd=both)
    assert run.returncode == 2
    assert run.stdout == ""
    name = option.removeprefix("--")
    assert run.stderr.startswith(f"error: unknown rule selector `E501` in `{name}` from ")


@pytest.mark.parametrize("value", ["", ",", "HH001,", "HH001,,HH002"])
def test_an_empty_selector_on_the_command_line_is_a_usage_error(value: str, both: Path) -> None:
    # As in ruff: `--select "$RULES"` with an unset variable must not silently check nothing.
    run = lint("--select", value, cwd=both)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr.startswith("error: unknown rule selector `` in `select` from ")
