"""The plugin over a sample of the installed Python's standard library: no crash, no finding.

The standard library never uses honeyhive, so every candidate there is a false alarm waiting to
happen, and its variety (metaclasses, descriptors, odd annotations) is what breaks inference code.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Final

from astroid import MANAGER, nodes

from flake8_honeyhive.rules import PYLINT_RULES
from pylint_honeyhive.answers import Answer
from pylint_honeyhive.inference import TracerInference

STDLIB: Final = Path(sysconfig.get_paths()["stdlib"])
# Test suites and their data (some of it not Python 3) are not what a project's code looks like.
SKIPPED_PARTS: Final = frozenset({"site-packages", "test", "tests", "idle_test", "lib2to3"})
SAMPLE_SIZE: Final = 200


def stdlib_sample(size: int = SAMPLE_SIZE) -> list[Path]:
    """``size`` modules spread evenly over the standard library, the same ones every run."""
    modules = sorted(
        path
        for path in STDLIB.rglob("*.py")
        if not SKIPPED_PARTS & set(path.relative_to(STDLIB).parts)
    )
    step = len(modules) / size
    return [modules[int(index * step)] for index in range(size)]


def test_pylint_with_the_plugin_is_silent_on_the_standard_library() -> None:
    sample = stdlib_sample()
    assert len(set(sample)) == SAMPLE_SIZE
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pylint",
            "--load-plugins=pylint_honeyhive",
            "--disable=all",
            # A checker that raises is reported as astroid-error: keep it visible.
            f"--enable={','.join(rule.symbol for rule in PYLINT_RULES.values())},astroid-error",
            "--persistent=n",
            "--score=n",
            "--jobs=2",
            *map(str, sample),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_inference_never_crashes_when_forced_on_every_call_and_assignment() -> None:
    """Every receiver and callee in a few varied modules, judged as if it were a candidate."""
    inference = TracerInference()
    judged = 0
    for path in stdlib_sample()[::40]:
        module = MANAGER.ast_from_file(str(path))
        for node in module.nodes_of_class((nodes.Call, nodes.AssignAttr)):
            if isinstance(node, nodes.AssignAttr):
                answers = [inference.is_tracer(node.expr)]
            else:
                answers = [inference.free_decorator(node.func)[0]]
                if isinstance(node.func, nodes.Attribute):
                    answers.append(inference.is_tracer(node.func.expr))
            assert Answer.YES not in answers, (path, node.lineno, node.as_string())
            judged += 1
    assert judged > 300
