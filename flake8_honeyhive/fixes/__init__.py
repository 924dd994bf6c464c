"""Fixes: text edits that resolve a finding, computed from the syntax tree, applied as ruff does.

`model` holds the data (an edit, a fix, its applicability) and applies fixes to a text;
`autofix` computes the fixes of HH001 and HH002 findings from the module's tree.
"""
