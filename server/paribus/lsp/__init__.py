"""The language server: converts core findings to LSP and owns the document lifecycle."""
