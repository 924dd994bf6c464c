"""The Language Server Protocol side: pygls handlers that publish diagnostics and offer fixes.

- Diagnostics on open, change and save, from the editor's buffer (unsaved text included), with
  the catalog's text, the rule's page as `codeDescription`, and `honeyhive-lint` as source.
- Code actions: each finding's fix as a quick fix (marked when unsafe), "Disable HHxxx for this
  line" (a `# noqa` comment, as `--add-noqa` writes it), and "fix all" as the source actions
  `source.fixAll.honeyhive-lint` and `source.fixAll` (safe fixes; the unsafe ones too where the
  configuration sets `unsafe-fixes = true`), as ruff's server offers them.
- Settings from the configuration closest to each file, read again when one is saved.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from flake8_honeyhive import __version__
from flake8_honeyhive.cli.config import ConfigError
from flake8_honeyhive.cli.diagnostics import Diagnostic
from flake8_honeyhive.cli.selectors import UnknownSelectorError
from flake8_honeyhive.fixes.model import UNSAFE, Edit
from flake8_honeyhive.fixes.text import SourceMap
from flake8_honeyhive.rules import HH100
from flake8_honeyhive.server.analysis import Buffer, Linter, is_configuration

__all__ = ["FIX_ALL_KIND", "SOURCE", "create_server"]

SOURCE = "honeyhive-lint"
FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.{SOURCE}"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class HoneyHiveServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            SOURCE, __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental
        )
        self.linter = Linter(os.getcwd())

    # --- positions --------------------------------------------------------------------------

    def _position(self, lines: Sequence[str], row: int, column: int) -> types.Position:
        """A 1-based row and a 0-based character column, in the client's position encoding."""
        position = types.Position(line=max(row - 1, 0), character=max(column, 0))
        return self.workspace.position_codec.position_to_client_units(lines, position)

    def _range(self, buffer: Buffer, diagnostic: Diagnostic) -> types.Range:
        lines = buffer.text.lines
        return types.Range(
            start=self._position(lines, diagnostic.line, diagnostic.column - 1),
            end=self._position(lines, diagnostic.end_line, diagnostic.end_column - 1),
        )

    def _edit(self, buffer: Buffer, source: SourceMap, edit: Edit) -> types.TextEdit:
        lines = buffer.text.lines
        start, end = source.position(edit.start), source.position(edit.end)
        return types.TextEdit(
            range=types.Range(
                start=self._position(lines, start[0], start[1] - 1),
                end=self._position(lines, end[0], end[1] - 1),
            ),
            new_text=edit.content,
        )

    # --- diagnostics ------------------------------------------------------------------------

    def lint(self, uri: str) -> Buffer:
        document = self.workspace.get_text_document(uri)
        return self.linter.lint(_path(uri), document.source)

    def lsp_diagnostic(self, buffer: Buffer, diagnostic: Diagnostic) -> types.Diagnostic:
        rule = diagnostic.rule
        return types.Diagnostic(
            range=self._range(buffer, diagnostic),
            message=diagnostic.message,
            severity=types.DiagnosticSeverity.Warning
            if diagnostic.code
            else types.DiagnosticSeverity.Error,
            code=diagnostic.code or diagnostic.name,
            code_description=types.CodeDescription(href=rule.url) if rule else None,
            source=SOURCE,
            tags=[types.DiagnosticTag.Unnecessary] if diagnostic.code == HH100.code else None,
        )

    def publish(self, uri: str) -> None:
        document = self.workspace.get_text_document(uri)
        try:
            buffer = self.lint(uri)
        except (ConfigError, UnknownSelectorError) as invalid:
            # As the command would exit 2: say why in the editor, and show nothing stale.
            self.window_show_message(
                types.ShowMessageParams(
                    type=types.MessageType.Error, message=f"{SOURCE}: {invalid}"
                )
            )
            diagnostics = []
        else:
            diagnostics = [self.lsp_diagnostic(buffer, d) for d in buffer.diagnostics]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, diagnostics=diagnostics, version=document.version
            )
        )

    # --- code actions -----------------------------------------------------------------------

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        only = params.context.only
        try:
            buffer = self.lint(uri)
        except (ConfigError, UnknownSelectorError):
            return []  # already said when the diagnostics were published
        source = buffer.text.source_map
        actions: list[types.CodeAction] = []
        if _wanted(only, types.CodeActionKind.QuickFix.value):
            by_place: dict[tuple[str, int, int], Diagnostic] = {}
            for diagnostic in buffer.diagnostics:
                start = self._range(buffer, diagnostic).start
                by_place[diagnostic.code or diagnostic.name, start.line, start.character] = (
                    diagnostic
                )
            for shown in params.context.diagnostics:
                if shown.source != SOURCE:
                    continue
                key = (str(shown.code), shown.range.start.line, shown.range.start.character)
                found = by_place.get(key)
                if found is not None:
                    actions += self._quick_fixes(uri, buffer, source, found, shown)
        if _wanted(only, FIX_ALL_KIND):
            fixed = self.linter.fix_all(_path(uri), buffer.text.text)
            if fixed is not None:
                actions.append(self._fix_all(uri, buffer, fixed))
        return actions

    def _quick_fixes(
        self,
        uri: str,
        buffer: Buffer,
        source: SourceMap,
        diagnostic: Diagnostic,
        shown: types.Diagnostic,
    ) -> list[types.CodeAction]:
        actions = []
        fix = diagnostic.fix
        if fix is not None:
            unsafe = fix.applicability == UNSAFE
            actions.append(
                types.CodeAction(
                    title=f"{SOURCE} ({diagnostic.code}): {fix.message}"
                    + (" (unsafe)" if unsafe else ""),
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[shown],
                    is_preferred=not unsafe,
                    edit=types.WorkspaceEdit(
                        changes={uri: [self._edit(buffer, source, edit) for edit in fix.edits]}
                    ),
                )
            )
        noqa = self.linter.noqa_edit(buffer, diagnostic)
        if noqa is not None:
            actions.append(
                types.CodeAction(
                    title=f"{SOURCE}: Disable {diagnostic.code} for this line",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[shown],
                    edit=types.WorkspaceEdit(changes={uri: [self._edit(buffer, source, noqa)]}),
                )
            )
        return actions

    def _fix_all(self, uri: str, buffer: Buffer, fixed: str) -> types.CodeAction:
        lines = buffer.text.lines
        # The whole buffer, replaced: its last line, to its end.
        edit = types.TextEdit(
            range=types.Range(
                start=types.Position(line=0, character=0),
                end=self._position(lines, len(lines), len(lines[-1]) if lines else 0),
            ),
            new_text=fixed,
        )
        return types.CodeAction(
            title=f"{SOURCE}: Fix all auto-fixable problems",
            kind=FIX_ALL_KIND,
            edit=types.WorkspaceEdit(changes={uri: [edit]}),
        )


def _path(uri: str) -> str | None:
    return to_fs_path(uri) if uri.startswith("file:") else None


def _wanted(only: Sequence[str] | None, kind: str) -> bool:
    """Whether the client asked for actions of `kind` (none named: every kind)."""
    if not only:
        return True
    return any(kind == requested or kind.startswith(f"{requested}.") for requested in only)


def create_server() -> HoneyHiveServer:
    server = HoneyHiveServer()

    @server.feature(types.INITIALIZED)
    def initialized(ls: HoneyHiveServer, _params: types.InitializedParams) -> None:
        folders = ls.workspace.folders
        root = next(iter(folders.values())).uri if folders else ls.workspace.root_uri
        path = _path(root) if root else None
        ls.linter = Linter(path or os.getcwd())

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: HoneyHiveServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: HoneyHiveServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: HoneyHiveServer, params: types.DidSaveTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        if path and is_configuration(path):
            ls.linter.invalidate()
            for uri in list(ls.workspace.text_documents):
                ls.publish(uri)
        else:
            ls.publish(params.text_document.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched(ls: HoneyHiveServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(is_configuration(_path(change.uri) or "") for change in params.changes):
            ls.linter.invalidate()
            for uri in list(ls.workspace.text_documents):
                ls.publish(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: HoneyHiveServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[
                types.CodeActionKind.QuickFix,
                types.CodeActionKind.SourceFixAll,
                FIX_ALL_KIND,
            ]
        ),
    )
    def code_action(ls: HoneyHiveServer, params: types.CodeActionParams) -> Any:
        return ls.code_actions(params)

    return server


def main() -> int:
    """Serve over stdio until the client says `exit` (pygls ends the process)."""
    create_server().start_io()
    return 0
