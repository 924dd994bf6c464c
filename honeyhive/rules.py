"""The HH rule catalog: the one definition of every rule and of the API facts the rules rely on.

The flake8 plugin, the pylint plugin, ``honeyhive-lint``, the SDK's runtime warnings and the
generated docs all read this module. It imports only the standard library, so that flake8 and the
SDK can load it in well under a millisecond.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

__all__ = [
    "DOCS_URL",
    "HH001",
    "HH002",
    "PROJECT_URL",
    "RETIRED_CODES",
    "RULES",
    "Rule",
    "RuleDocs",
    "rule_for",
]

PROJECT_URL: Final = "https://github.com/honeyhiveai/python-sdk"
DOCS_URL: Final = PROJECT_URL + "/blob/main/docs/rules/{code}.md"


@dataclass(frozen=True, slots=True)
class RuleDocs:
    """The sections of a rule's page, in the order ruff uses for its rule pages."""

    what_it_does: str
    why_is_this_bad: str
    example: str
    use_instead: str


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule, as every front end sees it."""

    code: str
    pylint_id: str
    symbol: str
    title: str
    summary: str
    # A ``%(name)s`` template: pylint formats ``msg % args``, and a dict serves every front end.
    message: str
    warning_class: str
    docs: RuleDocs

    @property
    def url(self) -> str:
        return DOCS_URL.format(code=self.code)

    def format(self, **args: str) -> str:
        """The message body, without the leading code."""
        return self.message % args

    def text(self, **args: str) -> str:
        """The message as flake8 and the SDK's warnings print it: the code first."""
        return f"{self.code} {self.format(**args)}"


HH001: Final = Rule(
    code="HH001",
    pylint_id="W5901",
    symbol="session-id-on-tracer-method",
    title="Session id passed to the tracer's enrich_session",
    summary="a session id passed to the tracer's instance method `enrich_session`",
    message=(
        "session id passed to `tracer.enrich_session()` as %(form)s; a tracer enriches only its "
        "own session: drop the argument, or call `honeyhive.enrich_session(session_id=...)` to "
        "enrich another session by id"
    ),
    warning_class="SessionIdArgumentWarning",
    docs=RuleDocs(
        what_it_does=(
            "Finds calls of the tracer's instance method `enrich_session` that pass a session id: "
            'the `session_id=` keyword, a dict unpacked as `**{"session_id": ...}` (written in the '
            "call or kept in a variable), or a first positional argument that is evidently a "
            "session id (a string, an f-string, or a name such as `session_id`, `sid`, "
            "`SESSION_ID` or `user_session_id`). Calls made through `functools.partial`, "
            '`getattr(tracer, "enrich_session")` or the class '
            "(`HoneyHiveTracer.enrich_session(tracer, ...)`) count too. It never reports the "
            "free function `honeyhive.enrich_session(session_id, ...)`, whose purpose is to "
            "enrich a session by id."
        ),
        why_is_this_bad=(
            "A HoneyHive tracer is bound to exactly one session. Passing that session's id again "
            "is redundant, and passing another id treats the tracer as a manager of many "
            "sessions: the enrichment lands on a session whose spans this tracer never produced. "
            "Older SDKs took "
            "the session id as the first positional argument; honeyhive 1.7 binds such a string to "
            "`metadata` and silently sends nothing. At run time the SDK raises `TypeError` for the "
            "positional form, and warns with `SessionIdArgumentWarning` (HH001) or, for another "
            "session's id, `TracerReuseWarning` (HH002)."
        ),
        example=(
            "from honeyhive import HoneyHiveTracer\n"
            "\n"
            'tracer = HoneyHiveTracer.init(project="support-bot")\n'
            "\n"
            "\n"
            "def record_feedback(session_id: str, rating: int) -> None:\n"
            '    tracer.enrich_session(session_id=session_id, feedback={"rating": rating})\n'
        ),
        use_instead=(
            "import honeyhive\n"
            "from honeyhive import HoneyHiveTracer\n"
            "\n"
            'tracer = HoneyHiveTracer.init(project="support-bot")\n'
            "\n"
            "\n"
            "def record_feedback(session_id: str, rating: int) -> None:\n"
            "    # Enrich any session by id, for example with feedback that arrives later.\n"
            '    honeyhive.enrich_session(session_id, feedback={"rating": rating})\n'
            "\n"
            "\n"
            "def finish() -> None:\n"
            "    # Enrich the tracer's own session: no id needed.\n"
            '    tracer.enrich_session(metadata={"resolved": True})\n'
        ),
    ),
)

HH002: Final = Rule(
    code="HH002",
    pylint_id="W5902",
    symbol="tracer-reused-across-sessions",
    title="One tracer reused across sessions",
    summary="one tracer used for more than one session",
    message=(
        "%(usage)s reuses one tracer across sessions; create one tracer per session with "
        "`HoneyHiveTracer.init(session_id=...)`"
    ),
    warning_class="TracerReuseWarning",
    docs=RuleDocs(
        what_it_does=(
            "Finds code that makes one tracer serve several sessions: a `session_id=` override in "
            "`trace`, `atrace`, `trace_class` or a tracer's own `trace` (as a decorator or a plain "
            "call), assigning `session_id` or `_session_id` on a tracer or on the tracer class "
            "(including augmented, annotated and tuple assignments and `setattr`), and calls of "
            "the legacy session-switching methods `create_session`, `acreate_session`, "
            "`with_session` and `session_start`, also through `functools.partial`, `getattr` or "
            "the class."
        ),
        why_is_this_bad=(
            "A tracer owns one session for its whole life, and its spans, enrichments and session "
            "id must stay together. In honeyhive 1.7, `@trace(session_id=...)` did not move the "
            "span to the other session, rebinding `tracer.session_id` split one trace across "
            "sessions, and `create_session()` left the new session attached to the context. Each "
            "of these scatters data across sessions without an error. At run time, assigning "
            "`session_id` or `_session_id` raises `SingleSessionError`; the other forms warn with "
            "`TracerReuseWarning` (HH002), and raise `SingleSessionError` in strict mode."
        ),
        example=(
            "from honeyhive import HoneyHiveTracer, trace\n"
            "\n"
            'tracer = HoneyHiveTracer.init(project="support-bot")\n'
            "\n"
            "\n"
            "def handle(request_session_id: str, question: str) -> str:\n"
            "    tracer.session_id = request_session_id\n"
            "    return answer(question)\n"
            "\n"
            "\n"
            '@trace(session_id="3f0c6a52-1b7e-4c1e-9a53-5d2f0f8f2a11")\n'
            "def answer(question: str) -> str:\n"
            "    return question.upper()\n"
        ),
        use_instead=(
            "from honeyhive import HoneyHiveTracer, trace\n"
            "\n"
            "\n"
            "def handle(request_session_id: str, question: str) -> str:\n"
            "    # One cheap tracer per session, bound at creation and ended on exit.\n"
            '    with HoneyHiveTracer.init(project="support-bot", '
            "session_id=request_session_id):\n"
            "        return answer(question)\n"
            "\n"
            "\n"
            "@trace\n"
            "def answer(question: str) -> str:\n"
            "    return question.upper()\n"
        ),
    ),
)

RULES: Final[Mapping[str, Rule]] = {rule.code: rule for rule in (HH001, HH002)}

# Codes that were once used and must never be given to another rule.
RETIRED_CODES: Final[Mapping[str, str]] = {}


def rule_for(code: str) -> Rule:
    """The rule with this code; a clear KeyError for unknown codes."""
    try:
        return RULES[code]
    except KeyError:
        raise KeyError(f"unknown HoneyHive rule code {code!r}; known: {', '.join(RULES)}") from None


# --- HH001 forms: how a session id reached `tracer.enrich_session()` -----------------------------

FORM_KEYWORD: Final = "the `session_id=` keyword"
FORM_DICT_UNPACK: Final = '`**{"session_id": ...}`'
FORM_POSITIONAL: Final = "the first positional argument"


# --- HH002 usages: how one tracer was made to serve another session ----------------------------


def override_usage(callee: str) -> str:
    """``trace(session_id=...)``, ``tracer.trace(session_id=...)`` and friends."""
    return f"`{callee}(session_id=...)`"


def rebind_usage(attribute: str, owner: str = "tracer") -> str:
    """Assigning ``tracer.session_id`` or ``tracer._session_id``; on the class itself, ``owner``
    is ``HoneyHiveTracer`` (it then replaces every tracer's session id)."""
    return f"assigning `{owner}.{attribute}`"


def legacy_method_usage(method: str) -> str:
    """Calling one of the legacy session-switching methods."""
    return f"`tracer.{method}()`"


USAGE_ENRICH_OTHER_SESSION: Final = "`tracer.enrich_session()` with another session's id"


# --- API facts the rules rely on ------------------------------------------------------------------
# A test checks each of these against the SDK itself, so that adding a method updates both linters.

# Modules whose attributes are the public API (`honeyhive.trace`, `hh.tracer.trace`).
PUBLIC_MODULES: Final = frozenset({"honeyhive", "honeyhive.tracer"})
# Where the SDK defines its public objects: inference (pylint) reports these qualified names.
TRACER_MODULE: Final = "honeyhive.tracer.core"
DECORATORS_MODULE: Final = "honeyhive.tracer.decorators"
ENRICH_MODULE: Final = "honeyhive.tracer.enrich"

TRACER_CLASS: Final = "HoneyHiveTracer"
TRACER_CLASS_QUALNAMES: Final = frozenset(
    f"{module}.{TRACER_CLASS}" for module in (*PUBLIC_MODULES, TRACER_MODULE)
)
# Class methods that build a tracer, as `HoneyHiveTracer.init(...)` does.
TRACER_FACTORIES: Final = frozenset({"init"})

# Free decorators that take a `session_id=` override (HH002), and the tracer's own decorator method.
DECORATORS: Final = frozenset({"trace", "atrace", "trace_class"})
DECORATOR_QUALNAMES: Final = frozenset(
    f"{module}.{name}" for module in (*PUBLIC_MODULES, DECORATORS_MODULE) for name in DECORATORS
)
TRACER_DECORATOR_METHOD: Final = "trace"


# Any version of the SDK, installed or checked out, defines its tracer class and decorators at the
# top level of `honeyhive` or of a module under `honeyhive.tracer` (1.7:
# `honeyhive.tracer.core.tracer` and `honeyhive.tracer.instrumentation.decorators`; 0.2:
# `honeyhive.tracer` and `honeyhive.tracer.custom`). The linters recognise them by that, not by
# this version's qualified names alone.
def _sdk_module(module: str) -> bool:
    return module in PUBLIC_MODULES or module.startswith("honeyhive.tracer.")


def is_sdk_tracer_class(module: str, name: str) -> bool:
    """Whether the class ``name`` defined in ``module`` is HoneyHive's tracer, in any version."""
    return name == TRACER_CLASS and _sdk_module(module)


def is_sdk_decorator(module: str, name: str) -> bool:
    """Whether the function ``name`` defined in ``module`` is one of the SDK's free decorators."""
    return name in DECORATORS and _sdk_module(module)


# The tracer method HH001 is about, and the free function of the same name that is always fine.
ENRICH_SESSION: Final = "enrich_session"
SESSION_ID_PARAMETER: Final = "session_id"
# Attributes whose assignment rebinds a tracer to another session (HH002).
SESSION_ATTRIBUTES: Final = frozenset({"session_id", "_session_id"})
# Methods that make one tracer start or switch to another session (HH002).
LEGACY_SESSION_METHODS: Final = frozenset(
    {"create_session", "acreate_session", "with_session", "session_start"}
)
# Names that evidently hold a session id when passed first to `tracer.enrich_session()` (HH001).
SESSION_ID_NAMES: Final = frozenset({"session_id", "sid"})
SESSION_ID_NAME_SUFFIX: Final = "_session_id"


def is_session_id_name(name: str) -> bool:
    """A variable or attribute name that evidently holds a session id; constants too (``SID``)."""
    lowered = name.lower()
    return lowered in SESSION_ID_NAMES or lowered.endswith(SESSION_ID_NAME_SUFFIX)


# The names a `from honeyhive import *` binds.
PUBLIC_NAMES: Final = frozenset(
    {
        TRACER_CLASS,
        *DECORATORS,
        ENRICH_SESSION,
        "enrich_span",
        "flush",
        "HoneyHiveWarning",
        "SessionIdArgumentWarning",
        "TracerReuseWarning",
        "SingleSessionError",
    }
)

# Every identifier that can appear in a finding. A source without any of them has no findings.
RULE_TOKENS: Final = frozenset(
    {ENRICH_SESSION, SESSION_ID_PARAMETER, *SESSION_ATTRIBUTES, *LEGACY_SESSION_METHODS}
)
