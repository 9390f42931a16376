"""Core values → LSP types. The one place that knows about UTF-16 columns."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

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


def uri_of(path: Path) -> str:
    return from_fs_path(str(path)) or path.as_uri()


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


def to_workspace_edit(fix: Fix, lines_of, codec: PositionCodec, document_changes: bool = True) -> lsp.WorkspaceEdit:
    """Group a fix's edits per file; files that don't exist yet are created first."""
    by_path: dict[Path, list[TextEdit]] = {}
    for edit in fix.edits:
        by_path.setdefault(edit.path, []).append(edit)
    if not document_changes:
        changes = {uri_of(p): [_text_edit(e, lines_of(p), codec) for e in edits] for p, edits in by_path.items()}
        return lsp.WorkspaceEdit(changes=changes)
    operations: list = []
    for path, edits in by_path.items():
        uri = uri_of(path)
        if any(e.create for e in edits):
            operations.append(lsp.CreateFile(uri=uri, options=lsp.CreateFileOptions(ignore_if_exists=True)))
        operations.append(
            lsp.TextDocumentEdit(
                text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                edits=[_text_edit(e, lines_of(path), codec) for e in edits],
            )
        )
    return lsp.WorkspaceEdit(document_changes=operations)


def _text_edit(edit: TextEdit, lines: Sequence[str], codec: PositionCodec) -> lsp.TextEdit:
    if edit.create:
        return lsp.TextEdit(range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)), new_text=edit.new_text)
    return lsp.TextEdit(range=to_range(edit.span, lines, codec), new_text=edit.new_text)
