"""Which checked modules a file imports, read from its text (`flake8_honeyhive.cli.modules`)."""

from __future__ import annotations

import pytest

from flake8_honeyhive.cli.modules import imported_names

SOURCE_LINES = [
    "import os, app.jobs",
    "from app.tracing import tracer as shared",
    "from .models import (",
    "    Session,",
    "    Deps,",
    ")",
    "from . import handlers",
    "from json import loads  # not a checked package",
    'HELP = "import app.not_a_statement"',
    "def lazy():",
    "    from ..other.sub import thing",
    "    import app.late",
]
EXPECTED = {
    "app",
    "app.jobs",
    "app.tracing",
    "app.tracing.tracer",
    "app.tracing.shared",  # an alias, read as a name too: one module too many costs little
    "app.api.models",
    "app.api.models.Session",
    "app.api.models.Deps",
    "app.api",
    "app.api.handlers",
    "app.other.sub",
    "app.other.sub.thing",
    "app.late",
}


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_imports_are_read_whatever_the_lines_end_with(newline: str) -> None:
    source = newline.join(SOURCE_LINES).encode() + newline.encode()
    assert imported_names(source, "app.api", {"app"}) == EXPECTED


def test_a_statement_after_a_cr_ended_line_in_an_lf_file_is_read() -> None:
    """A lone CR ends a line for Python: the statement after it starts there."""
    source = b"x = 1\rfrom app.tracing import tracer\nimport os\n"
    assert imported_names(source, "", {"app"}) == {"app.tracing", "app.tracing.tracer"}
