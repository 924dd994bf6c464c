"""The HH rule catalog: the one definition of every rule and of the API facts the rules rely on.

The flake8 plugin, the pylint plugin, ``honeyhive-lint``, the SDK's runtime warnings and the
generated docs all read this module. It imports only the standard library, so that flake8 and the
SDK can load it in well under a millisecond.

It lives in the linters' package, not in ``honeyhive``: another ``honeyhive`` first on ``sys.path``
(an older SDK under ``PYTHONPATH=src``, a ``honeyhive/`` folder in the current directory) must
not break the linters. The SDK imports it as ``honeyhive.rules``, which re-exports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, NamedTuple

__all__ = [
    "DECORATORS",
    "DECORATORS_MODULE",
    "DECORATOR_QUALNAMES",
    "DOCS_URL",
    "ENGINE_RULES",
    "ENRICH_MODULE",
    "ENRICH_SESSION",
    "FIX_ENRICH_BY_ID",
    "FIX_NEW_TRACER",
    "FIX_REMOVE_IGNORED_SESSION_ID",
    "FIX_REMOVE_NOQA",
    "FIX_REMOVE_OWN_SESSION_ID",
    "FORM_DICT_UNPACK",
    "FORM_KEYWORD",
    "FORM_POSITIONAL",
    "FRONT_ENDS",
    "HH001",
    "HH002",
    "HH100",
    "LEGACY_SESSION_METHODS",
    "PROJECT_URL",
    "PUBLIC_MODULES",
    "PUBLIC_NAMES",
    "PYLINT_RULES",
    "RETIRED_CODES",
    "RULES",
    "RULE_TOKENS",
    "SESSION_ATTRIBUTES",
    "SESSION_ID_NAMES",
    "SESSION_ID_NAME_SUFFIX",
    "SESSION_ID_PARAMETER",
    "TRACER_CLASS",
    "TRACER_CLASS_QUALNAMES",
    "TRACER_DECORATOR_METHOD",
    "TRACER_FACTORIES",
    "TRACER_MODULE",
    "UNUSED_NOQA_DETAILS",
    "USAGE_ENRICH_OTHER_SESSION",
    "Rule",
    "RuleDocs",
    "is_session_id_name",
    "legacy_method_usage",
    "override_usage",
    "rebind_usage",
    "rule_for",
]

PROJECT_URL: Final = "https://github.com/honeyhiveai/python-sdk"
DOCS_URL: Final = PROJECT_URL + "/blob/main/docs/rules/{code}.md"
# The front ends a rule can run in, in the order the docs list them.
FRONT_ENDS: Final = ("flake8", "honeyhive-lint", "pylint")


class RuleDocs(NamedTuple):
    """The sections of a rule's page, in the order ruff uses for its rule pages."""

    what_it_does: str
    why_is_this_bad: str
    example: str
    use_instead: str
    # What the fixes do and when they are safe (ruff's "Fix safety" section); "" without fixes.
    fix_safety: str = ""


class Rule(NamedTuple):
    """One rule, as every front end sees it."""

    code: str
    # None for a rule pylint does not run (HH100 judges noqa comments, which pylint leaves alone).
    pylint_id: str | None
    # pylint's symbol, and the rule's name in ruff-style output (JSON `name`, SARIF `name`).
    symbol: str
    title: str
    summary: str
    # A ``%(name)s`` template: pylint formats ``msg % args``, and a dict serves every front end.
    message: str
    # The SDK's runtime warning for the same mistake, if there is one.
    warning_class: str | None
    docs: RuleDocs
    front_ends: tuple[str, ...] = FRONT_ENDS
    # Opt-in rules are checked only when selected explicitly (by code, prefix, `HH` or `ALL`).
    opt_in: bool = False
    # As `ruff rule --output-format json` says it: "None", "Sometimes" or "Always".
    fix_availability: str = "None"

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
        fix_safety=(
            "`honeyhive-lint --fix` removes a redundant `session_id=t.session_id` (the receiver's "
            "own id, spelled as its `session_id` attribute) from `t.enrich_session(...)`: a safe "
            "fix, since the call already enriches that session, unless the module also calls a "
            "legacy session method (`create_session()` makes a tracer's own calls follow the new "
            "session), where it is unsafe. For a tracer known to the module, the unsafe fix "
            "(`--unsafe-fixes`) rewrites any other id, in the keyword, `**{...}` or positional "
            "form, to the free function: `t.enrich_session(sid, feedback=f)` becomes "
            "`honeyhive.enrich_session(sid, feedback=f, tracer=t)`, reusing the module's "
            "`import honeyhive` or `from honeyhive import ...` (extended, or added). It is unsafe "
            "because the positional form raised `TypeError` before and now sends, and the "
            "receiver is evaluated after the arguments. No fix is offered for a receiver of "
            "unknown origin, for extra positional arguments after a positional id, or for "
            "keywords that the free function does not take."
        ),
    ),
    fix_availability="Sometimes",
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
        fix_safety=(
            "`honeyhive-lint --fix` removes a redundant `session_id=` from "
            "`@t.trace(session_id=t.session_id)` and `trace(tracer=t, session_id=t.session_id)`: "
            "a safe fix. Any other `session_id=` in a decorator is removed by an unsafe fix "
            "(`--unsafe-fixes`): the SDK keeps the spans in the tracer's own session whatever id "
            "is given, so the code behaves as before, but the intent to file them elsewhere is "
            "dropped (and strict mode no longer raises). Where the module creates the receiver "
            "itself (`t = HoneyHiveTracer.init(...)` with literal or module-level arguments), "
            "the legacy methods are rewritten to a new tracer by an unsafe fix: `with "
            "t.with_session(session_name=n):` becomes `with HoneyHiveTracer.init(<t's "
            "arguments>, session_name=n):`, and `t.create_session(...)`, `await "
            "t.acreate_session(...)` and `t.session_start()` whose value is used become "
            "`HoneyHiveTracer.init(...).session_id`. Unsafe, because the new tracer is not made "
            "active the way the legacy methods made theirs. No fix is offered for assignments "
            "to `session_id`, a legacy call whose value is discarded, `with ... as name`, "
            "`user_properties` or `skip_api_call`, or a receiver the module does not create."
        ),
    ),
    fix_availability="Sometimes",
)

HH100: Final = Rule(
    code="HH100",
    pylint_id=None,
    symbol="unused-noqa",
    title="Unused `noqa` directive for an HH code",
    summary=(
        "a `# noqa` directive naming an HH code that suppresses nothing "
        "(opt-in, `honeyhive-lint` only)"
    ),
    message="Unused `noqa` directive (%(detail)s)",
    warning_class=None,
    front_ends=("honeyhive-lint",),
    opt_in=True,
    fix_availability="Always",
    docs=RuleDocs(
        what_it_does=(
            "Finds `# noqa` directives whose HH codes suppress nothing on their line: the "
            "finding is no longer there (`unused`), the directive names another rule than the "
            "line's finding (`# noqa: HH002` on an HH001 line: `unused`, and the HH001 finding "
            "is still reported), the rule is not enabled for the file (`non-enabled`), the code "
            "is not a rule (`unknown`), or it is listed twice (`duplicated`). Only HH codes are "
            "judged: other tools' codes in the same comment, and blanket `# noqa` comments, "
            "belong to those tools. It is opt-in: select it with `--extend-select HH100`, or "
            '`extend-select = ["HH100"]` in the configuration.'
        ),
        why_is_this_bad=(
            "ruff's RUF100 does this for ruff's own codes, but with `external = "
            '["HH"]` it must leave HH codes alone, and flake8 does not report unused '
            "directives at all. A directive that suppresses nothing misleads the reader, and a "
            "stale one silently hides the finding if the mistake comes back."
        ),
        example=(
            "from honeyhive import HoneyHiveTracer\n"
            "\n"
            'tracer = HoneyHiveTracer.init(project="support-bot")\n'
            'tracer.enrich_session(metadata={"resolved": True})  # noqa: HH001\n'
        ),
        use_instead=(
            "from honeyhive import HoneyHiveTracer\n"
            "\n"
            'tracer = HoneyHiveTracer.init(project="support-bot")\n'
            'tracer.enrich_session(metadata={"resolved": True})\n'
        ),
        fix_safety=(
            "The fix removes the unused HH codes from the directive, or the whole directive "
            "(and the text after it) when it names no other code. It is safe: a directive that "
            "suppresses nothing changes no result."
        ),
    ),
)

# Every rule, in code order.
RULES: Final[Mapping[str, Rule]] = {rule.code: rule for rule in (HH001, HH002, HH100)}
# The rules the engine finds in source code, in every front end.
ENGINE_RULES: Final[Mapping[str, Rule]] = {
    code: rule for code, rule in RULES.items() if rule.front_ends == FRONT_ENDS
}
# The rules pylint reports, by pylint id.
PYLINT_RULES: Final[Mapping[str, Rule]] = {
    rule.pylint_id: rule for rule in RULES.values() if rule.pylint_id is not None
}

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


# --- Fix titles: what `--fix` does, as ruff's `help:` line says it ------------------------------

FIX_REMOVE_OWN_SESSION_ID: Final = "Remove the redundant `session_id=` (the tracer's own id)"
FIX_REMOVE_IGNORED_SESSION_ID: Final = (
    "Remove `session_id=`: the spans stay in the tracer's own session"
)
FIX_ENRICH_BY_ID: Final = "Enrich the session by id: `{function}(..., tracer={receiver})`"
FIX_NEW_TRACER: Final = "Start a new tracer for the session: `{factory}(...)`"
FIX_REMOVE_NOQA: Final = "Remove unused `noqa` directive"

# HH100's details, in ruff's words and order: `unused: `HH001`; non-enabled: `HH002``.
UNUSED_NOQA_DETAILS: Final = ("unused", "non-enabled", "unknown", "duplicated")


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
        "aflush",
        "shutdown",
        "ashutdown",
        "delivery_stats",
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
