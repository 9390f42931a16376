"""A bare pygls 2 server: publishes one diagnostic when a document opens, nothing else.

The start → first diagnostics of Paribus is measured against this one, started the same way
beside it (``bench_startup.py``): what both share — the interpreter, pygls, lsprotocol — cancels
out of the ratio.
"""

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

server = LanguageServer("bare", "1")


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
    start = lsp.Position(line=0, character=0)
    diagnostic = lsp.Diagnostic(range=lsp.Range(start=start, end=start), message="opened", severity=lsp.DiagnosticSeverity.Information)
    ls.text_document_publish_diagnostics(
        lsp.PublishDiagnosticsParams(uri=params.text_document.uri, version=params.text_document.version, diagnostics=[diagnostic])
    )


if __name__ == "__main__":
    server.start_io()
