"""Small helpers for driving the server like an editor does."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient


def utf16_column(line: str, index: int) -> int:
    return len(line[:index].encode("utf-16-le")) // 2


async def open_file(client: LanguageClient, path: Path, language: str) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(uri=uri, language_id=language, version=1, text=path.read_text(encoding="utf-8")))
    )
    return uri


async def diagnostics_for(client: LanguageClient, uri: str, timeout: float = 10.0, where=None):
    """Wait until diagnostics for ``uri`` arrive (and satisfy ``where`` when given)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        found = client.diagnostics.get(uri)
        if found is not None and (where is None or where(found)):
            return found
        await asyncio.sleep(0.02)
    raise AssertionError(f"no matching diagnostics for {uri}; last: {client.diagnostics.get(uri)}")


def replace_all(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def apply_text_edits(text: str, edits: list[lsp.TextEdit]) -> str:
    """Apply LSP edits (UTF-16 positions) to text, last first."""
    lines = text.split("\n")

    def offset(position: lsp.Position) -> int:
        if position.line >= len(lines):
            return len(text)
        before = sum(len(line) + 1 for line in lines[: position.line])
        line = lines[position.line]
        units = 0
        for index, char in enumerate(line):
            if units >= position.character:
                return before + index
            units += 2 if ord(char) > 0xFFFF else 1
        return before + len(line)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


def capture_edits(client: LanguageClient) -> list[lsp.WorkspaceEdit]:
    """Answer the server's workspace/applyEdit as an editor that applies it; keep each edit."""
    edits: list[lsp.WorkspaceEdit] = []

    @client.feature(lsp.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: lsp.ApplyWorkspaceEditParams) -> lsp.ApplyWorkspaceEditResult:
        edits.append(params.edit)
        return lsp.ApplyWorkspaceEditResult(applied=True)

    return edits
