"""The pylint checker: HH001 and HH002 with "is it a tracer?" decided by astroid's inference.

Every call and attribute assignment first passes a syntactic filter that costs a few attribute
reads; only the survivors (``enrich_session`` with a session id, the legacy session methods,
calls passing ``session_id``, ``setattr(x, "session_id", ...)``, assignments to ``session_id``
or ``_session_id``, and the same reached through ``getattr``, ``functools.partial`` or the class)
are inferred. Where inference cannot decide, the syntactic engine's verdict on the same node is
reported instead, so pylint finds everything the flake8 plugin proves. Nothing is reported inside
the SDK's own tracer class, whichever copy of the SDK astroid reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from astroid import nodes
from pylint.checkers import BaseChecker
from pylint.checkers.utils import only_required_for_messages
from pylint.interfaces import HIGH, INFERENCE

from flake8_honeyhive.rules import (
    DECORATORS,
    ENRICH_SESSION,
    FORM_DICT_UNPACK,
    HH001,
    HH002,
    LEGACY_SESSION_METHODS,
    SESSION_ATTRIBUTES,
    TRACER_CLASS,
    TRACER_DECORATOR_METHOD,
    Rule,
    legacy_method_usage,
    override_usage,
    rebind_usage,
)
from pylint_honeyhive.answers import Answer
from pylint_honeyhive.call_shapes import PARTIAL, CallShape, call_shape
from pylint_honeyhive.fallback import SyntacticFindings
from pylint_honeyhive.inference import TracerInference, in_sdk_tracer_class
from pylint_honeyhive.messages import MESSAGES, SYMBOLS
from pylint_honeyhive.noqa import NoqaComments
from pylint_honeyhive.syntax import (
    constant_str,
    may_pass_session_id,
    override_form,
    session_id_form,
    unpacked_variables,
)

if TYPE_CHECKING:
    from pylint.lint import PyLinter

__all__ = ["HoneyHiveChecker"]

SETATTR: Final = "setattr"
BUILTIN_SETATTR: Final = "builtins.setattr"
# Names a candidate call's callee ends in: the tracer's methods, the SDK's decorators (as module
# attributes), and functools.partial, which prepares a call to one of them.
CANDIDATE_METHODS: Final = frozenset(
    {ENRICH_SESSION, *LEGACY_SESSION_METHODS, *DECORATORS, PARTIAL}
)
CANDIDATE_FUNCTIONS: Final = frozenset({SETATTR, PARTIAL, *DECORATORS})


class HoneyHiveChecker(BaseChecker):
    """Reports HH001 (W5901) and HH002 (W5902)."""

    name = "honeyhive"
    msgs = MESSAGES

    def __init__(self, linter: PyLinter) -> None:
        super().__init__(linter)
        self._inference = TracerInference()
        self._syntactic: SyntacticFindings | None = None
        self._noqa: NoqaComments | None = None

    @only_required_for_messages(*SYMBOLS)
    def visit_module(self, node: nodes.Module) -> None:
        # Both are built only if a candidate needs them.
        self._syntactic = SyntacticFindings(node)
        self._noqa = NoqaComments(node)

    @only_required_for_messages(*SYMBOLS)
    def leave_module(self, _node: nodes.Module) -> None:
        self._syntactic = None
        self._noqa = None

    @only_required_for_messages(*SYMBOLS)
    def visit_call(self, node: nodes.Call) -> None:
        if not _may_be_a_candidate(node):
            return
        shape = call_shape(node, self._inference)
        if shape is None:
            return
        if shape.method == ENRICH_SESSION:
            self._enrich_session(node, shape)
        elif shape.method in LEGACY_SESSION_METHODS:
            answer, _args = self._receiver(shape)
            self._report(node, HH002, answer, usage=legacy_method_usage(shape.method))
        elif isinstance(shape.callee, nodes.Name) and shape.callee.name == SETATTR:
            self._setattr(node, shape.args)
        else:
            self._session_override(node, shape)

    @only_required_for_messages(HH002.symbol)
    def visit_assignattr(self, node: nodes.AssignAttr) -> None:
        if node.attrname in SESSION_ATTRIBUTES and not _declares_only(node):
            self._rebinding(node, node.expr, node.attrname)

    def _receiver(self, shape: CallShape) -> tuple[Answer, Sequence[Any]]:
        """Whether the method's receiver is a tracer, and the arguments after it: called through
        the class (``HoneyHiveTracer.enrich_session(tracer, ...)``), the tracer comes first."""
        answer = self._inference.is_tracer(shape.receiver)
        args = shape.args
        if (
            answer is Answer.NO
            and args
            and not isinstance(args[0], nodes.Starred)
            and self._inference.is_tracer_class_object(shape.receiver) is Answer.YES
        ):
            return Answer.YES, args[1:]
        return answer, args

    def _enrich_session(self, call: nodes.Call, shape: CallShape) -> None:
        if not may_pass_session_id(shape.args, shape.keywords):
            return
        answer, args = self._receiver(shape)
        form = session_id_form(args, shape.keywords)
        if form is None:
            held = self._inference.holds_session_id(unpacked_variables(shape.keywords))
            if held is Answer.UNKNOWN and answer is not Answer.NO:
                self._report_syntactic(call, HH001)
            if held is not Answer.YES:
                return
            form = FORM_DICT_UNPACK
        self._report(call, HH001, answer, form=form)

    def _rebinding(self, node: Any, receiver: Any, attribute: str) -> None:
        """``tracer.session_id = ...``; on the class itself, it replaces every tracer's."""
        answer = self._inference.is_tracer(receiver)
        if answer is Answer.NO and self._inference.is_tracer_class_object(receiver) is Answer.YES:
            usage = rebind_usage(attribute, owner=TRACER_CLASS)
            self._report(node, HH002, Answer.YES, usage=usage)
        else:
            self._report(node, HH002, answer, usage=rebind_usage(attribute))

    def _setattr(self, call: nodes.Call, args: Sequence[Any]) -> None:
        """``setattr(tracer, "session_id", ...)``, when ``setattr`` is the builtin."""
        if len(args) < 2:
            return
        attribute = constant_str(args[1])
        if attribute not in SESSION_ATTRIBUTES:
            return
        builtin = self._inference.is_builtin(call.func, BUILTIN_SETATTR)
        if builtin is Answer.NO:
            return
        if builtin is Answer.UNKNOWN:
            self._report_syntactic(call, HH002)  # maybe not the builtin: let syntax decide
        else:
            self._rebinding(call, args[0], attribute)

    def _session_override(self, call: nodes.Call, shape: CallShape) -> None:
        """``trace(session_id=...)`` and friends, or a tracer's own ``.trace(session_id=...)``."""
        if override_form(shape.keywords) is None:
            held = Answer.NO
            if _named_like_a_decorator(shape):
                held = self._inference.holds_session_id(unpacked_variables(shape.keywords))
            if held is Answer.UNKNOWN:
                self._report_syntactic(call, HH002)
            if held is not Answer.YES:
                return
        answer, name = self._inference.free_decorator(shape.callee)
        if answer is Answer.YES:
            self._report(call, HH002, answer, usage=override_usage(name))
        elif shape.receiver is not None and shape.method == TRACER_DECORATOR_METHOD:
            receiver, _args = self._receiver(shape)
            if answer is Answer.UNKNOWN and receiver is not Answer.YES:
                receiver = Answer.UNKNOWN  # the callee may still be a free decorator
            usage = override_usage(f"tracer.{TRACER_DECORATOR_METHOD}")
            self._report(call, HH002, receiver, usage=usage)
        elif answer is Answer.UNKNOWN:
            self._report_syntactic(call, HH002)

    def _report(self, node: Any, rule: Rule, answer: Answer, **args: str) -> None:
        """Report ``rule`` at ``node`` when inference says YES; ask syntax when it cannot say."""
        if answer is Answer.UNKNOWN:
            self._report_syntactic(node, rule)
        elif (
            answer is Answer.YES
            and not in_sdk_tracer_class(node)
            and not self._suppressed(node, rule)
        ):
            self.add_message(rule.symbol, node=node, args=args, confidence=INFERENCE)

    def _report_syntactic(self, node: Any, rule: Rule) -> None:
        """The syntactic engine's finding at ``node``, if it made one, with the same text."""
        finding = self._syntactic.at(node, rule) if self._syntactic is not None else None
        if (
            finding is not None
            and not in_sdk_tracer_class(node)
            and not self._suppressed(node, rule)
        ):
            args = dict(finding.args)
            self.add_message(rule.symbol, node=node, args=args, confidence=HIGH)

    def _suppressed(self, node: Any, rule: Rule) -> bool:
        """`# noqa: HH001` (or a blanket `# noqa`) on the line, as flake8 and honeyhive-lint read
        it. Where pylint's own `# pylint: disable=` applies, pylint gets the message as ever, so
        that it counts the disable as used (`useless-suppression` stays right)."""
        return (
            self._noqa is not None
            and self._noqa.suppresses(rule.code, node.lineno)
            and self.linter.is_message_enabled(rule.symbol, node.lineno)
        )


def _may_be_a_candidate(call: nodes.Call) -> bool:
    """A few attribute reads that rule out almost every call before any inference."""
    func = call.func
    if isinstance(func, nodes.Attribute):
        named = func.attrname in CANDIDATE_METHODS
    elif isinstance(func, nodes.Name):
        named = func.name in CANDIDATE_FUNCTIONS
    else:
        named = isinstance(func, nodes.Call)  # `getattr(tracer, "create_session")()`
    # Any callee given a session id may be an SDK decorator under another name.
    return named or override_form(call.keywords or ()) is not None


def _named_like_a_decorator(shape: CallShape) -> bool:
    """Whether a call that unpacks a variable is worth inferring it: the SDK's decorators under
    their own names (``**kwargs`` is everywhere; these are not)."""
    callee = shape.callee
    name = shape.method or (callee.name if isinstance(callee, nodes.Name) else "")
    return name in DECORATORS and bool(unpacked_variables(shape.keywords))


def _declares_only(node: nodes.AssignAttr) -> bool:
    """``tracer.session_id: str``: an annotation without a value assigns nothing."""
    parent = node.parent
    return isinstance(parent, nodes.AnnAssign) and parent.target is node and parent.value is None
