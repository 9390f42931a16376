"""Jupyter notebooks open in a notebook editor (LSP notebook document sync).

The client sends a notebook as its cells (``notebookDocument/*``; each cell a text document
with a ``vscode-notebook-cell:`` URI). The project reads an open notebook as nbformat JSON made
from those cells, so the core checks it exactly as it checks the file. Findings are in the
notebook's Python text (``NotebookSource``); here they are placed in the cells that hold them,
and a request on a cell is placed back in that text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from lsprotocol import types as lsp

from paribus.core.extract.notebooks import (
    NotebookError,
    NotebookSource,
    is_notebook,
    read_notebook,
)
from paribus.core.judgement.findings import Finding
from paribus.core.positions import Span
from paribus.lsp.convert import DocumentLines, path_of, uri_of

# The notebooks VS Code's built-in `.ipynb` support opens; only their Python cells are synced.
JUPYTER = "jupyter-notebook"
SYNC_OPTIONS = lsp.NotebookDocumentSyncOptions(
    notebook_selector=[lsp.NotebookDocumentFilterWithCells(notebook=JUPYTER, cells=[lsp.NotebookCellLanguage(language="python")])],
    save=True,
)
_PYTHON = {"python", "ipython"}


@dataclass(frozen=True)
class OpenCell:
    uri: str  # as the client spells it
    lines: tuple[str, ...]
    version: int | None


@dataclass(frozen=True)
class OpenNotebook:
    path: Path
    version: tuple[int, int]  # the notebook's own version, and how many notifications changed it here
    text: str  # nbformat JSON of the synced cells, in order
    cells: tuple[OpenCell, ...]  # cell number N is cells[N - 1]
    source: NotebookSource

    def document_for(self, span: Span) -> DocumentLines | None:
        """The code cell holding ``span`` (its blank separator line counts as the cell's end)."""
        for cell in self.source.cells:
            last = cell.first_line + cell.line_count  # the separator after the cell
            if cell.first_line <= span.line <= last:
                if span.end_line > last:
                    return None
                open_cell = self.cells[cell.number - 1]
                return DocumentLines(open_cell.uri, self.path, open_cell.lines, cell.first_line - 1)
        return None

    def cell_document(self, cell_uri: str) -> DocumentLines | None:
        """A code cell as a window on the notebook's Python text (None for other cells)."""
        key = unquote(cell_uri)
        number = next((n for n, cell in enumerate(self.cells, start=1) if unquote(cell.uri) == key), None)
        first_line = self.source.line_in_text(number, 1) if number is not None else None
        if first_line is None:
            return None
        cell = self.cells[number - 1]
        return DocumentLines(cell.uri, self.path, cell.lines, first_line - 1)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(text.replace("\r\n", "\n").split("\n"))


def _nbformat(cells: list[tuple[str, str]]) -> str:
    """A notebook file holding these (cell type, source) cells and nothing else."""
    written = [{"cell_type": kind, "metadata": {}, "source": source, **({"outputs": [], "execution_count": None} if kind == "code" else {})} for kind, source in cells]
    return json.dumps({"cells": written, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


class OpenNotebooks:
    """The notebooks the editor has open, read the way the project reads notebook files."""

    def __init__(self, server) -> None:
        self._server = server
        # By notebook URI (unquoted, as pygls keys it): readings until a notification changes
        # the notebook, and how many notifications did.
        self._read: dict[str, OpenNotebook] = {}
        self._changes: dict[str, int] = {}
        self._published: dict[Path, set[str]] = {}  # cells whose diagnostics are not empty, by notebook
        # The cell versions the last diagnostics were for: an opened or edited cell hears back
        # even when it has nothing to show, as a file does.
        self._versions: dict[Path, dict[str, int]] = {}

    def _documents(self):
        return self._server.workspace.text_documents

    def _reading(self, notebook: lsp.NotebookDocument) -> OpenNotebook | None:
        path = path_of(notebook.uri)
        if path is None or not is_notebook(path):
            return None
        key = unquote(notebook.uri)
        known = self._read.get(key)
        if known is not None:
            return known
        documents = self._documents()
        synced = [(cell, documents.get(unquote(cell.document))) for cell in notebook.cells]
        cells, kinds = [], []
        for cell, document in synced:
            source = document.source if document is not None else ""
            cells.append(OpenCell(cell.document, _lines(source), document.version if document else None))
            is_python = document is None or (document.language_id or "python").lower() in _PYTHON
            kind = "markdown" if cell.kind == lsp.NotebookCellKind.Markup else "code" if is_python else "raw"
            kinds.append((kind, source))
        text = _nbformat(kinds)
        version = (notebook.version, self._changes.get(key, 0))
        reading = OpenNotebook(path, version, text, tuple(cells), read_notebook(text))
        self._read[key] = reading
        return reading

    def changed(self, notebook_uri: str) -> None:
        """The client changed the notebook: its cells are read again when next asked for.

        Its cells change only through notebook notifications, so the reading is kept until one.
        """
        key = unquote(notebook_uri)
        self._read.pop(key, None)
        self._changes[key] = self._changes.get(key, 0) + 1

    def all(self) -> dict[Path, OpenNotebook]:
        found = {}
        for notebook in list(self._server.workspace.notebook_documents.values()):
            reading = self._reading(notebook)
            if reading is not None:
                found[reading.path] = reading
        return found

    def get(self, path: Path) -> OpenNotebook | None:
        notebook = self._server.workspace.get_notebook_document(notebook_uri=uri_of(path))
        if notebook is None:  # the client may spell the URI differently
            notebook = next((n for n in self._server.workspace.notebook_documents.values() if path_of(n.uri) == path), None)
        return self._reading(notebook) if notebook is not None else None

    def texts(self) -> dict[Path, tuple[str, tuple[int, int]]]:
        """What the project reads for each open notebook, and the version it was read at."""
        return {path: (reading.text, reading.version) for path, reading in self.all().items()}

    def cell(self, cell_uri: str) -> DocumentLines | None:
        notebook = self._server.workspace.get_notebook_document(cell_uri=cell_uri)
        reading = self._reading(notebook) if notebook is not None else None
        return reading.cell_document(cell_uri) if reading is not None else None

    def source_of(self, path: Path) -> tuple[str | None, NotebookSource | None]:
        """The notebook's text as the project reads it, and its code cells (None: not a notebook)."""
        reading = self.get(path)
        if reading is not None:
            return reading.text, reading.source
        text = self._server.text_of(path)
        try:
            return text, read_notebook(text) if text is not None else None
        except NotebookError:
            return text, None

    def lines_of(self, path: Path) -> list[str]:
        """The lines the core's spans refer to: the Python text, or the file when it isn't a notebook."""
        text, source = self.source_of(path)
        shown = source.text if source is not None else text
        return shown.split("\n") if shown is not None else [""]

    def document_for(self, path: Path, span: Span) -> DocumentLines | None:
        """Where a finding or an edit on a notebook goes: the cell of an open notebook, else the file."""
        reading = self.get(path)
        return reading.document_for(span) if reading is not None else self.file_document(path, uri_of(path))

    def file_document(self, path: Path, uri: str) -> DocumentLines | None:
        """The ``.ipynb`` file as a text document, when the core's spans are its own: only when it
        is not a notebook. A notebook's spans are in its Python text, not in its JSON lines."""
        if self.get(path) is not None:
            return None
        text, source = self.source_of(path)
        return DocumentLines(uri, path, text.split("\n")) if source is None and text is not None else None

    def publish(self, path: Path, findings: list[Finding], codec) -> None:
        """Diagnostics per cell of an open notebook (emptied on cells that had some), or on the file."""
        reading = self.get(path)
        if reading is None:
            self._publish_file(path, findings, codec)
            return
        by_cell: dict[str, list[lsp.Diagnostic]] = {}
        for finding in findings:
            document = reading.document_for(finding.span)
            if document is not None:
                by_cell.setdefault(document.uri, []).append(document.diagnostic(finding, codec))
        versions = {cell.uri: cell.version for cell in reading.cells}
        before = self._versions.get(path)  # none yet: every cell hears back once, as an opened file does
        edited = {uri for uri, version in versions.items() if before is None or before.get(uri) != version}
        for uri in sorted((self._published.get(path, set()) | edited) - set(by_cell)):
            self._send(uri, [], versions.get(uri))
        for uri, diagnostics in by_cell.items():
            self._send(uri, diagnostics, versions.get(uri))
        self._published[path] = set(by_cell)
        self._versions[path] = versions

    def _publish_file(self, path: Path, findings: list[Finding], codec) -> None:
        document = self._server.workspace.text_documents.get(unquote(uri_of(path)))
        placed = [(self.document_for(path, f.span), f) for f in findings]
        diagnostics = [where.diagnostic(f, codec) for where, f in placed if where is not None]
        self._send(uri_of(path), diagnostics, document.version if document is not None else None)

    def closed(self, notebook_uri: str, cell_uris: list[str]) -> None:
        """A notebook closed: its cells show nothing."""
        for uri in cell_uris:
            self._send(uri, [], None)
        self._published.pop(path_of(notebook_uri), None)
        self._versions.pop(path_of(notebook_uri), None)
        self.changed(notebook_uri)

    def closed_cell(self, notebook_uri: str, cell_uri: str) -> None:
        """A cell deleted from an open notebook: its diagnostics go with it."""
        self._send(cell_uri, [], None)
        self._published.get(path_of(notebook_uri), set()).discard(cell_uri)

    def _send(self, uri: str, diagnostics: list[lsp.Diagnostic], version: int | None) -> None:
        self._server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=diagnostics))


def register(server) -> None:
    """Notebook lifecycle: a change in a cell re-checks the project like an edit in a file."""

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_OPEN)
    def did_open(ls, params: lsp.DidOpenNotebookDocumentParams) -> None:
        ls.notebooks.changed(params.notebook_document.uri)
        ls.on_document(params.notebook_document.uri, invalidate_files=True)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def did_change(ls, params: lsp.DidChangeNotebookDocumentParams) -> None:
        ls.notebooks.changed(params.notebook_document.uri)
        structure = params.change.cells.structure if params.change.cells else None
        for removed in (structure.did_close or []) if structure else []:
            ls.notebooks.closed_cell(params.notebook_document.uri, removed.uri)
        if ls.settings.lintOnChange:
            ls.on_document(params.notebook_document.uri)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_SAVE)
    def did_save(ls, params: lsp.DidSaveNotebookDocumentParams) -> None:
        ls.on_document(params.notebook_document.uri, invalidate_files=True)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def did_close(ls, params: lsp.DidCloseNotebookDocumentParams) -> None:
        ls.notebooks.closed(params.notebook_document.uri, [cell.uri for cell in params.cell_text_documents])
        ls.on_document(params.notebook_document.uri, invalidate_files=True)
