"""`honeyhive-lint server`: the rules and their fixes in any editor, over the Language Server
Protocol (stdio), on pygls.

`analysis` lints and fixes an editor's buffer (no LSP in it); `lsp` speaks the protocol. pygls
is an optional dependency: `pip install 'honeyhive[lsp]'`.
"""
