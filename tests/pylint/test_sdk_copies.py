"""pylint over a checkout of an older HoneyHive SDK, with application modules beside it.

astroid then resolves `honeyhive` to the checkout, whose tracer class lives at another qualified
name than ours. The plugin recognises it all the same (a `HoneyHiveTracer` of the `honeyhive`
package), never reports inside that class's own methods, and reports in the application modules
exactly what the flake8 plugin's engine reports there.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Final

import pytest

from tests.pylint.runner import CODE_BY_PYLINT_ID, PLUGIN_ONLY, Reported, flake8_engine, pylint

# {path}, then the fields of runner.Reported, then the confidence; the message comes last since
# it holds colons of its own.
TEMPLATE: Final = (
    "--msg-template={path}|{line}|{column}|{end_line}|{end_column}|{msg_id}|{confidence}|{msg}"
)

TRACER_CLASS: Final = '''\
class HoneyHiveTracer(HoneyHiveTracerBase):
    """The SDK's own tracer: its methods start and switch sessions, as older SDKs did."""

    @classmethod
    def init(cls, project=None, session_id=None):
        return cls(project=project, session_id=session_id)

    def __init__(self, project=None, session_id=None):
        super().__init__(session_id)
        self.project = project
        self.session_id = session_id or self.session_start()

    def session_start(self):
        self._session_id = "0b5e8e0e-2c53-4d7c-8a8e-2d7f3f0d9c41"
        return self._session_id

    def create_session(self, session_id=None):
        self.session_id = session_id or self.session_start()
        self.enrich_session(session_id=self.session_id)
        return self.session_id

    def enrich_session(self, metadata=None, session_id=None):
        return metadata, session_id

    def restart(self):
        setattr(self, "session_id", self.session_start())
        type(self).create_session(self)
'''
BASE_CLASS: Final = '''\
class HoneyHiveTracerBase:
    """Where an older SDK kept the session state."""

    def __init__(self, session_id=None):
        self.session_id = session_id
'''
IMPORT_BASE: Final = "from .base import HoneyHiveTracerBase\n"
DECORATORS: Final = """\
def trace(function=None, session_id=None, **options):
    return function if function is not None else (lambda wrapped: wrapped)


atrace = trace
"""
# Application code beside the checkout, in forms that one module's syntax decides, so that both
# front ends must report exactly the same.
APPLICATION: Final = """\
from honeyhive import HoneyHiveTracer, trace
from honeyhive.tracer import HoneyHiveTracer as TracerFromSubmodule

SID = "0b5e8e0e-2c53-4d7c-8a8e-2d7f3f0d9c41"
tracer = HoneyHiveTracer.init(project="chat")


class SessionStore:
    def create_session(self):
        return SID


def handle(request_session_id):
    tracer.enrich_session(session_id=request_session_id)
    tracer.session_id = request_session_id
    tracer.create_session()
    TracerFromSubmodule(project="chat").session_start()
    SessionStore().create_session()


@trace(session_id=SID)
def step():
    return None
"""

# Two layouts: 1.7's, where the class lives in `honeyhive.tracer.core.tracer`, and 0.2's, where
# `honeyhive.tracer` itself defines it (a qualified name the plugin always knew).
LAYOUTS: Final = {
    "1.7": {
        "honeyhive/__init__.py": "from honeyhive.tracer import HoneyHiveTracer, atrace, trace\n",
        "honeyhive/tracer/__init__.py": (
            "from honeyhive.tracer.core import HoneyHiveTracer\n"
            "from honeyhive.tracer.instrumentation.decorators import atrace, trace\n"
        ),
        "honeyhive/tracer/core/__init__.py": "from .tracer import HoneyHiveTracer\n",
        "honeyhive/tracer/core/base.py": BASE_CLASS,
        "honeyhive/tracer/core/tracer.py": f"{IMPORT_BASE}\n\n{TRACER_CLASS}",
        "honeyhive/tracer/instrumentation/__init__.py": "",
        "honeyhive/tracer/instrumentation/decorators.py": DECORATORS,
    },
    "0.2": {
        "honeyhive/__init__.py": "from honeyhive.tracer import HoneyHiveTracer\n"
        "from honeyhive.tracer.custom import atrace, trace\n",
        "honeyhive/tracer/__init__.py": f"{BASE_CLASS}\n\n{TRACER_CLASS}",
        "honeyhive/tracer/custom.py": DECORATORS,
    },
}


def checkout(root: Path, layout: str) -> Path:
    for name, text in {
        **LAYOUTS[layout],
        "app/__init__.py": "",
        "app/handlers.py": APPLICATION,
    }.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def pylint_subprocess(paths: list[Path], cwd: Path) -> dict[Path, list[tuple[Reported, str]]]:
    """pylint in its own process, so that astroid resolves `honeyhive` afresh: to the checkout,
    which pylint puts first on its path as the root of the linted packages."""
    result = pylint(*PLUGIN_ONLY, TEMPLATE, *map(str, paths), cwd=cwd)
    assert result.stderr == ""
    found: dict[Path, list[tuple[Reported, str]]] = {}
    for line in result.stdout.splitlines():
        if line.startswith("*" * 13):
            continue  # pylint's "Module ..." header
        path, row, col, end_row, end_col, msg_id, confidence, message = line.split("|", 7)
        reported = Reported(
            int(row), int(col), int(end_row), int(end_col), CODE_BY_PYLINT_ID[msg_id], message
        )
        # pylint prints the confidence as its repr: Confidence(name='INFERENCE', ...)
        name = confidence.split("'")[1]
        found.setdefault((cwd / path).resolve(), []).append((reported, name))
    return found


@pytest.mark.parametrize("layout", LAYOUTS)
def test_an_older_sdk_checkout_is_recognised_and_never_reported_inside(
    tmp_path: Path, layout: str
) -> None:
    root = checkout(tmp_path / "checkout", layout)
    application = root / "app" / "handlers.py"
    # From outside the checkout: this interpreter's own `honeyhive` loads the plugin.
    found = pylint_subprocess([root / "honeyhive", root / "app"], cwd=tmp_path)
    assert set(found) == {application.resolve()}, "nothing inside the SDK copy"
    pylint = sorted(reported for reported, _confidence in found[application.resolve()])
    flake8 = flake8_engine(application)
    assert len(flake8) == 5
    assert pylint == flake8
    # Inference decided them: astroid read the checkout's own class and decorator.
    assert {confidence for _reported, confidence in found[application.resolve()]} == {"INFERENCE"}
