"""Core values → LSP types. The one place that knows about UTF-16 columns."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

from lsprotocol import types as lsp
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace.position_codec import PositionCodec

from paribus.core.judgement.findings import Finding, Fix, Severity, TextEdit
from paribus.core.positions import Span

SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
    Severity.HINT: lsp.DiagnosticSeverity.Hint,
}
SOURCE = "paribus"


@lru_cache(maxsize=4096)  # asked for every open document on every check
def uri_of(path: Path) -> str:
    return from_fs_path(str(path)) or path.as_uri()


@lru_cache(maxsize=4096)
def path_of(uri: str) -> Path | None:
    fs_path = to_fs_path(uri)
    return Path(fs_path) if fs_path else None


def to_range(span: Span, lines: Sequence[str], codec: PositionCodec) -> lsp.Range:
    """A core span (1-based, code points, exclusive end) as an LSP range in client units."""
    server_range = lsp.Range(
        start=lsp.Position(line=max(span.line - 1, 0), character=max(span.column - 1, 0)),
        end=lsp.Position(line=max(span.end_line - 1, 0), character=max(span.end_column - 1, 0)),
    )
    return codec.range_to_client_units(lines, server_range)


def from_position(position: lsp.Position, lines: Sequence[str], codec: PositionCodec) -> tuple[int, int]:
    """An LSP position as a core (1-based line, 1-based code-point column)."""
    server = codec.position_from_client_units(lines, position)
    return server.line + 1, server.character + 1


@dataclass(frozen=True)
class DocumentLines:
    """A document the client names by ``uri`` and where its lines sit in the text the core read
    for ``path``: a file is that text; a notebook cell is a window ``offset`` lines into its
    notebook's Python text."""

    uri: str
    path: Path
    lines: Sequence[str]
    offset: int = 0

    def holds(self, span: Span) -> bool:
        """Whether ``span`` lies in this document (or on the line just after it)."""
        return self.offset < span.line and span.end_line <= self.offset + len(self.lines) + 1

    def local(self, span: Span) -> Span:
        """``span`` in this document's own lines; past the last line is the end of the last line."""

        def point(line: int, column: int) -> tuple[int, int]:
            line -= self.offset
            if line > len(self.lines):
                return len(self.lines), len(self.lines[-1]) + 1 if self.lines else 1
            return line, column

        start, end = point(span.line, span.column), point(span.end_line, span.end_column)
        return Span(*start, *end)

    def position(self, position: lsp.Position, codec: PositionCodec) -> tuple[int, int]:
        """A client position in this document as a core (line, column)."""
        line, column = from_position(position, self.lines, codec)
        return line + self.offset, column

    def range(self, span: Span, codec: PositionCodec) -> lsp.Range:
        return to_range(self.local(span), self.lines, codec)

    def diagnostic(self, finding: Finding, codec: PositionCodec) -> lsp.Diagnostic:
        return to_diagnostic(replace(finding, span=self.local(finding.span)), self.lines, codec)

    def text_edit(self, edit: TextEdit, codec: PositionCodec) -> lsp.TextEdit:
        new_text = edit.new_text
        if edit.span.line - self.offset > len(self.lines):  # lines added after a cell's last line
            new_text = "\n" + new_text.removesuffix("\n")
        return lsp.TextEdit(range=self.range(edit.span, codec), new_text=new_text)


DocumentFor = Callable[[Path, Span], "DocumentLines | None"]


def to_diagnostic(finding: Finding, lines: Sequence[str], codec: PositionCodec) -> lsp.Diagnostic:
    return lsp.Diagnostic(
        range=to_range(finding.span, lines, codec),
        message=finding.message,
        severity=SEVERITY[finding.severity],
        code=finding.code,
        code_description=None,
        source=SOURCE,
        data={"fixes": [fix.title for fix in finding.fixes]},
    )


def to_workspace_edit(fix: Fix, document_for: DocumentFor, codec: PositionCodec, document_changes: bool = True) -> lsp.WorkspaceEdit | None:
    """Group a fix's edits per document; files that don't exist yet are created first.

    None when an edit has no place in an open document (it would straddle notebook cells).
    """
    by_uri: dict[str, list[lsp.TextEdit]] = {}
    created: set[str] = set()
    for edit in fix.edits:
        if edit.create:
            uri = uri_of(edit.path)
            created.add(uri)
            by_uri.setdefault(uri, []).append(lsp.TextEdit(range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)), new_text=edit.new_text))
            continue
        document = document_for(edit.path, edit.span)
        if document is None:
            return None
        by_uri.setdefault(document.uri, []).append(document.text_edit(edit, codec))
    if not document_changes:
        return lsp.WorkspaceEdit(changes=by_uri)
    operations: list = []
    for uri, edits in by_uri.items():
        if uri in created:
            operations.append(lsp.CreateFile(uri=uri, options=lsp.CreateFileOptions(ignore_if_exists=True)))
        operations.append(lsp.TextDocumentEdit(text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None), edits=edits))
    return lsp.WorkspaceEdit(document_changes=operations)
