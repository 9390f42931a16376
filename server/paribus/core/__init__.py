"""The analysis core: pure functions over text, paths and the project card.

Nothing here imports pygls or lsprotocol (a test enforces it); the LSP layer and the CLI
are thin renderers of what this package computes.
"""
