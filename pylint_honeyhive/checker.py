"""The pylint checker: HH001 and HH002 with "is it a tracer?" decided by astroid's inference.

Every call and attribute assignment first passes a syntactic filter that costs a few attribute
reads; only the survivors (``enrich_session`` with a session id, the legacy session methods,
calls passing ``session_id``, ``setattr(x, "session_id", ...)``, assignments to ``session_id``
or ``_session_id``) are inferred. Where inference cannot decide, the syntactic engine's verdict on
the same node is reported instead, so pylint finds everything the flake8 plugin proves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from astroid import nodes
from pylint.checkers import BaseChecker
from pylint.checkers.utils import only_required_for_messages
from pylint.interfaces import HIGH, INFERENCE

from flake8_honeyhive.rules import (
    ENRICH_SESSION,
    HH001,
    HH002,
    LEGACY_SESSION_METHODS,
    SESSION_ATTRIBUTES,
    TRACER_DECORATOR_METHOD,
    Rule,
    legacy_method_usage,
    override_usage,
    rebind_usage,
)
from pylint_honeyhive.answers import Answer
from pylint_honeyhive.fallback import SyntacticFindings
from pylint_honeyhive.inference import TracerInference
from pylint_honeyhive.messages import MESSAGES, SYMBOLS
from pylint_honeyhive.noqa import NoqaComments
from pylint_honeyhive.syntax import constant_str, override_form, session_id_form

if TYPE_CHECKING:
    from pylint.lint import PyLinter

__all__ = ["HoneyHiveChecker"]

SETATTR = "setattr"
BUILTIN_SETATTR = "builtins.setattr"


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
        func = node.func
        if isinstance(func, nodes.Attribute):
            method = func.attrname
            if method == ENRICH_SESSION:
                form = session_id_form(node)
                if form is not None:
                    self._report(node, HH001, self._inference.is_tracer(func.expr), form=form)
                return
            if method in LEGACY_SESSION_METHODS:
                answer = self._inference.is_tracer(func.expr)
                self._report(node, HH002, answer, usage=legacy_method_usage(method))
                return
        elif isinstance(func, nodes.Name) and func.name == SETATTR:
            self._setattr(node)
            return
        if override_form(node) is not None:
            self._session_override(node)

    @only_required_for_messages(HH002.symbol)
    def visit_assignattr(self, node: nodes.AssignAttr) -> None:
        if node.attrname in SESSION_ATTRIBUTES and not _declares_only(node):
            answer = self._inference.is_tracer(node.expr)
            self._report(node, HH002, answer, usage=rebind_usage(node.attrname))

    def _setattr(self, call: nodes.Call) -> None:
        """``setattr(tracer, "session_id", ...)``, when ``setattr`` is the builtin."""
        if len(call.args) < 2:
            return
        attribute = constant_str(call.args[1])
        if attribute not in SESSION_ATTRIBUTES:
            return
        builtin = self._inference.is_builtin(call.func, BUILTIN_SETATTR)
        if builtin is Answer.NO:
            return
        answer = self._inference.is_tracer(call.args[0])
        if builtin is Answer.UNKNOWN and answer is Answer.YES:
            answer = Answer.UNKNOWN  # a tracer, but maybe not the builtin: let syntax decide
        self._report(call, HH002, answer, usage=rebind_usage(attribute))

    def _session_override(self, call: nodes.Call) -> None:
        """``trace(session_id=...)`` and friends, or a tracer's own ``.trace(session_id=...)``."""
        func = call.func
        answer, name = self._inference.free_decorator(func)
        if answer is Answer.YES:
            self._report(call, HH002, answer, usage=override_usage(name))
        elif isinstance(func, nodes.Attribute) and func.attrname == TRACER_DECORATOR_METHOD:
            receiver = self._inference.is_tracer(func.expr)
            if answer is Answer.UNKNOWN and receiver is not Answer.YES:
                receiver = Answer.UNKNOWN  # the callee may still be a free decorator
            usage = override_usage(f"tracer.{TRACER_DECORATOR_METHOD}")
            self._report(call, HH002, receiver, usage=usage)
        elif answer is Answer.UNKNOWN:
            self._report_syntactic(call, HH002)

    def _report(self, node: Any, rule: Rule, answer: Answer, **args: str) -> None:
        """Report ``rule`` at ``node`` when inference says YES; ask syntax when it cannot say."""
        if answer is Answer.YES:
            if not self._suppressed(node, rule):
                self.add_message(rule.symbol, node=node, args=args, confidence=INFERENCE)
        elif answer is Answer.UNKNOWN:
            self._report_syntactic(node, rule)

    def _report_syntactic(self, node: Any, rule: Rule) -> None:
        """The syntactic engine's finding at ``node``, if it made one, with the same text."""
        finding = self._syntactic.at(node, rule) if self._syntactic is not None else None
        if finding is not None and not self._suppressed(node, rule):
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


def _declares_only(node: nodes.AssignAttr) -> bool:
    """``tracer.session_id: str``: an annotation without a value assigns nothing."""
    parent = node.parent
    return isinstance(parent, nodes.AnnAssign) and parent.target is node and parent.value is None
