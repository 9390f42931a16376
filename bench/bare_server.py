"""A bare pygls 2 server: publishes one diagnostic when a document opens, nothing else.

The start → first diagnostics of Paribus is measured against this one, started the same way
beside it (``bench_startup.py``): what both share — the interpreter, pygls, lsprotocol — cancels
out of the ratio.

With ``--pydantic`` it also validates its initialization options with a pydantic model, started
as Paribus starts (no collection while modules load, no plugin scan): the least any server pays
that reads its card and log through pydantic before its first diagnostics.
"""

import gc
import os
import sys

WITH_PYDANTIC = "--pydantic" in sys.argv
if WITH_PYDANTIC:
    gc.disable()
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"

from lsprotocol import types as lsp  # noqa: E402
from pygls.lsp.server import LanguageServer  # noqa: E402

server = LanguageServer("bare", "1")

if WITH_PYDANTIC:
    from pydantic import BaseModel

    class Settings(BaseModel):
        severity: dict[str, str] = {}
        lintOnChange: bool = True

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: LanguageServer, params: lsp.InitializeParams) -> None:
        Settings.model_validate(params.initialization_options or {})
        gc.enable()


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
    start = lsp.Position(line=0, character=0)
    diagnostic = lsp.Diagnostic(range=lsp.Range(start=start, end=start), message="opened", severity=lsp.DiagnosticSeverity.Information)
    ls.text_document_publish_diagnostics(
        lsp.PublishDiagnosticsParams(uri=params.text_document.uri, version=params.text_document.version, diagnostics=[diagnostic])
    )


if __name__ == "__main__":
    server.start_io()
