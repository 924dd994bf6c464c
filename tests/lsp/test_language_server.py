"""`honeyhive-lint server`, driven over stdio by a real LSP client (pygls's), as an editor drives
it: initialize, open an unsaved buffer, receive its diagnostics, ask for code actions and apply
them, change the buffer, see the diagnostics go, shut down and exit."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

from flake8_honeyhive.rules import FIX_REMOVE_OWN_SESSION_ID, FORM_KEYWORD, HH001, HH002
from tests.cli.helpers import SCRIPT, write

TIMEOUT = 60
# Before the finding, a character outside the BMP: two UTF-16 code units, one character.
SOURCE = (
    "from honeyhive import HoneyHiveTracer\n"
    "t = HoneyHiveTracer.init()\n"
    'x = "\N{GRINNING FACE}"; t.enrich_session(session_id=t.session_id)\n'
)
FIXED = SOURCE.replace("session_id=t.session_id", "")


class Session:
    """A client connected to a server process, collecting what the server publishes."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()

    async def diagnostics(self, uri: str) -> list[types.Diagnostic]:
        while True:
            params = await asyncio.wait_for(self.published.get(), TIMEOUT)
            if params.uri == uri:
                return list(params.diagnostics)

    def open(self, path: Path, text: str) -> str:
        uri: str | None = from_fs_path(str(path))
        assert uri is not None
        item = types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
        return uri

    def change(self, uri: str, version: int, text: str) -> None:
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    async def actions(
        self, uri: str, shown: list[types.Diagnostic], only: Sequence[str] | None = None
    ) -> list[types.CodeAction]:
        result = await asyncio.wait_for(
            self.client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    range=shown[0].range
                    if shown
                    else types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
                    context=types.CodeActionContext(diagnostics=shown, only=only),
                )
            ),
            TIMEOUT,
        )
        return [action for action in result or [] if isinstance(action, types.CodeAction)]


@asynccontextmanager
async def session(root: Path) -> AsyncIterator[Session]:
    client = LanguageClient("test-editor", "1.0")
    connected = Session(client)

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)  # type: ignore[untyped-decorator]
    def publish(params: types.PublishDiagnosticsParams) -> None:
        connected.published.put_nowait(params)

    await client.start_io(str(SCRIPT), "server", cwd=str(root))
    root_uri = from_fs_path(str(root))
    result = await asyncio.wait_for(
        client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(),  # UTF-16 positions, the LSP default
                root_uri=root_uri,
                workspace_folders=[types.WorkspaceFolder(uri=root_uri or "", name="project")],
            )
        ),
        TIMEOUT,
    )
    assert result.server_info is not None
    assert result.server_info.name == "honeyhive-lint"
    client.initialized(types.InitializedParams())
    try:
        yield connected
    finally:
        await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
        client.exit(None)
        server = client._server  # the process pygls started (no public name for it)
        assert server is not None
        assert await asyncio.wait_for(server.wait(), TIMEOUT) == 0
        await client.stop()  # type: ignore[no-untyped-call]  # pygls leaves it unannotated


def _offset(text: str, position: types.Position) -> int:
    """A UTF-16 LSP position as an offset into `text`."""
    lines = text.splitlines(keepends=True)
    line = lines[position.line] if position.line < len(lines) else ""
    units = 0
    column = 0
    for char in line:
        if units >= position.character:
            break
        units += 2 if ord(char) > 0xFFFF else 1
        column += 1
    return sum(len(each) for each in lines[: position.line]) + column


def _apply(text: str, edits: list[types.TextEdit]) -> str:
    for edit in sorted(edits, key=lambda e: _offset(text, e.range.start), reverse=True):
        start, end = _offset(text, edit.range.start), _offset(text, edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


def _edits(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    assert action.edit is not None
    assert action.edit.changes is not None
    return list(action.edit.changes[uri])


def test_a_real_session_from_diagnostics_to_fixes(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with session(tmp_path) as editor:
            # The buffer is not saved: the file on disk does not even exist.
            uri = editor.open(tmp_path / "app.py", SOURCE)
            (shown,) = await editor.diagnostics(uri)
            assert shown.message == HH001.format(form=FORM_KEYWORD)
            assert (shown.code, shown.source) == ("HH001", "honeyhive-lint")
            assert shown.code_description is not None
            assert shown.code_description.href == HH001.url
            assert shown.severity == types.DiagnosticSeverity.Warning
            # Character 9 of the line, 10 in UTF-16 (the default): the emoji takes two units.
            assert (shown.range.start.line, shown.range.start.character) == (2, 10)
            actions = await editor.actions(uri, [shown])
            titles = [action.title for action in actions]
            assert titles[:2] == [
                f"honeyhive-lint (HH001): {FIX_REMOVE_OWN_SESSION_ID}",
                "honeyhive-lint: Disable HH001 for this line",
            ]
            quick_fix = actions[0]
            assert quick_fix.kind == types.CodeActionKind.QuickFix
            assert quick_fix.is_preferred
            fixed = _apply(SOURCE, _edits(quick_fix, uri))
            assert fixed == FIXED
            noqa = _apply(SOURCE, _edits(actions[1], uri))
            assert noqa.splitlines()[2].endswith("  # noqa: HH001")
            # Fix all, as editors ask on save.
            (fix_all,) = await editor.actions(uri, [], only=[types.CodeActionKind.SourceFixAll])
            assert fix_all.kind == "source.fixAll.honeyhive-lint"
            assert _apply(SOURCE, _edits(fix_all, uri)) == FIXED
            # The edited buffer is checked again: nothing left.
            editor.change(uri, 2, fixed)
            assert await editor.diagnostics(uri) == []
            editor.change(uri, 3, SOURCE)
            assert len(await editor.diagnostics(uri)) == 1

    asyncio.run(scenario())


def test_settings_come_from_the_closest_configuration_and_follow_its_edits(
    tmp_path: Path,
) -> None:
    legacy = (
        "from honeyhive import HoneyHiveTracer\nt = HoneyHiveTracer.init()\nt.create_session()\n"
    )
    write(
        tmp_path,
        {
            "pyproject.toml": "[tool.honeyhive-lint]\nextend-exclude = ['generated']\n",
            "api/.honeyhive-lint.toml": "ignore = ['HH002']\n",
        },
    )

    async def scenario() -> None:
        async with session(tmp_path) as editor:
            root_file = editor.open(tmp_path / "root.py", legacy)
            assert [d.code for d in await editor.diagnostics(root_file)] == [HH002.code]
            api_file = editor.open(tmp_path / "api" / "app.py", legacy)
            assert await editor.diagnostics(api_file) == []
            generated = editor.open(tmp_path / "generated" / "out.py", legacy)
            assert await editor.diagnostics(generated) == []
            # Saving the sub-project's configuration re-checks the open buffers.
            config = tmp_path / "api" / ".honeyhive-lint.toml"
            config.write_text("select = ['HH002']\n")
            config_uri = from_fs_path(str(config))
            assert config_uri is not None
            editor.client.text_document_did_save(
                types.DidSaveTextDocumentParams(
                    text_document=types.TextDocumentIdentifier(uri=config_uri)
                )
            )
            found: dict[str, list[types.Diagnostic]] = {}
            while api_file not in found or root_file not in found:
                params = await asyncio.wait_for(editor.published.get(), TIMEOUT)
                found[params.uri] = list(params.diagnostics)
            assert [d.code for d in found[api_file]] == [HH002.code]

    asyncio.run(scenario())


def test_an_invalid_configuration_is_shown_as_an_error_message(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.honeyhive-lint]\nselect = ['E501']\n"})

    async def scenario() -> None:
        async with session(tmp_path) as editor:
            messages: asyncio.Queue[types.ShowMessageParams] = asyncio.Queue()

            @editor.client.feature(types.WINDOW_SHOW_MESSAGE)  # type: ignore[untyped-decorator]
            def show(params: types.ShowMessageParams) -> None:
                messages.put_nowait(params)

            uri = editor.open(tmp_path / "app.py", SOURCE)
            message = await asyncio.wait_for(messages.get(), TIMEOUT)
            assert message.type == types.MessageType.Error
            assert "unknown rule selector `E501`" in message.message
            assert await editor.diagnostics(uri) == []

    asyncio.run(scenario())


def test_without_pygls_the_command_says_what_to_install(tmp_path: Path) -> None:
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    blocker = tmp_path / "pygls.py"
    blocker.write_text("raise ImportError('No module named pygls (blocked by the test)')\n")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from flake8_honeyhive.cli import main; raise SystemExit(main())",
            "server",
        ],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT,
    )
    assert result.returncode == 2
    assert "pip install 'honeyhive[lsp]'" in result.stderr


@pytest.mark.parametrize("arguments", [["server", "--stdio"], ["server", "x.py"]])
def test_server_takes_no_arguments(arguments: list[str], tmp_path: Path) -> None:
    from tests.cli.helpers import lint  # noqa: PLC0415

    run = lint(*arguments, cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.startswith("error: `server` takes no arguments")


def test_a_buffer_sees_the_tracers_of_the_modules_it_imports(tmp_path: Path) -> None:
    """The buffer never imports honeyhive; its tracer comes from another module, as saved."""
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/tracing.py": "from honeyhive import HoneyHiveTracer\n"
            "tracer = HoneyHiveTracer.init()\n",
        },
    )
    buffer = "from app.tracing import tracer\n\ntracer.create_session()\n"

    async def scenario() -> None:
        async with session(tmp_path) as editor:
            uri = editor.open(tmp_path / "app" / "main.py", buffer)
            shown = await editor.diagnostics(uri)
            assert [(d.code, d.range.start.line) for d in shown] == [(HH002.code, 2)]
            # Not a tracer any more, once that module is saved so.
            (tmp_path / "app" / "tracing.py").write_text("tracer = object()\n")
            editor.change(uri, 2, buffer + "\n")
            assert await editor.diagnostics(uri) == []

    asyncio.run(scenario())
