"""A keystroke in a notebook cell → that cell's diagnostics, beside the same code as `train.py`.

Starts the real server, opens the ~300- and ~3,000-line scripts of `bench_lsp.py` once as a
file and once as a notebook (one cell per top-level block, synced as VS Code syncs it: Python
cells over `notebookDocument/*`), edits the learning rate each round and times each edit until
the diagnostics of that version arrive. Reports medians, p95s and the notebook/file ratio.
Run: ``python bench/bench_notebook.py``.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_lsp import CARD, LOG, ROUNDS, percentile, script
from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

WAIT_SECONDS = 30  # a version that never hears back ends the bench with a message, not a hang
NOTEBOOK_CARD = CARD.replace('scripts = ["train.py"]', 'scripts = ["train.ipynb"]')


def cells_of(text: str) -> list[str]:
    """The script cut before each top-level `def`, as a notebook author keeps one step per cell."""
    cells, current = [], []
    for line in text.split("\n"):
        if line.startswith("def ") and current:
            cells.append("\n".join(current).strip("\n"))
            current = []
        current.append(line)
    cells.append("\n".join(current).strip("\n"))
    return cells


def _edit(line: int, version: int) -> tuple[lsp.Range, str]:
    new_value = "0.001" if version % 2 else "0.0003"
    end = 21 if version % 2 == 0 else 22
    return lsp.Range(start=lsp.Position(line=line, character=16), end=lsp.Position(line=line, character=end)), new_value


async def measure(lines: int, as_notebook: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "paribus.toml").write_text(NOTEBOOK_CARD if as_notebook else CARD)
        (root / "experiments.yaml").write_text(LOG)
        text = script(lines)
        cells = cells_of(text)
        path = root / ("train.ipynb" if as_notebook else "train.py")
        if as_notebook:
            document = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": c} for c in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            path.write_text(json.dumps(document))
        else:
            path.write_text(text)
        client = LanguageClient("bench", "1")
        arrived: dict[tuple[str, int], float] = {}

        @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
            arrived[(params.uri, params.version or 0)] = time.perf_counter()

        await client.start_io(sys.executable, "-m", "paribus", "lsp")
        await client.initialize_async(lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), root_uri=root.as_uri()))
        client.initialized(lsp.InitializedParams())
        if as_notebook:
            uris = [f"vscode-notebook-cell:{path.as_posix()}#W{i}sZmlsZQ%3D%3D" for i in range(len(cells))]
            client.notebook_document_did_open(
                lsp.DidOpenNotebookDocumentParams(
                    notebook_document=lsp.NotebookDocument(uri=path.as_uri(), notebook_type="jupyter-notebook", version=0, cells=[lsp.NotebookCell(kind=lsp.NotebookCellKind.Code, document=u) for u in uris]),
                    cell_text_documents=[lsp.TextDocumentItem(uri=u, language_id="python", version=1, text=c) for u, c in zip(uris, cells)],
                )
            )
            uri, edited = uris[0], cells[0]
        else:
            uri, edited = path.as_uri(), text
            client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)))
        value_line = edited.split("\n").index("LEARNING_RATE = 0.001")
        latencies = []
        for version in range(2, ROUNDS + 2):
            where, new_value = _edit(value_line, version)
            sent = time.perf_counter()
            change = [lsp.TextDocumentContentChangePartial(range=where, text=new_value)]
            if as_notebook:
                content = lsp.NotebookDocumentCellContentChanges(document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version), changes=change)
                client.notebook_document_did_change(
                    lsp.DidChangeNotebookDocumentParams(
                        notebook_document=lsp.VersionedNotebookDocumentIdentifier(version=version, uri=path.as_uri()),
                        change=lsp.NotebookDocumentChangeEvent(cells=lsp.NotebookDocumentCellChanges(text_content=[content])),
                    )
                )
            else:
                client.text_document_did_change(lsp.DidChangeTextDocumentParams(text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=change))
            while (uri, version) not in arrived:
                if time.perf_counter() - sent > WAIT_SECONDS:
                    raise SystemExit(f"no diagnostics for version {version} of {uri} after {WAIT_SECONDS} s")
                await asyncio.sleep(0.0005)
            latencies.append(arrived[(uri, version)] - sent)
            await asyncio.sleep(0.05)  # a typing pause, so every edit is measured on its own
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()
        return {"median": statistics.median(latencies), "p95": percentile(latencies, 0.95), "cells": len(cells)}


async def main() -> None:
    print("Notebook cell edit → that cell's diagnostics (real subprocess), beside the same code as a file")
    for lines in (300, 3000):
        file = await measure(lines, as_notebook=False)
        notebook = await measure(lines, as_notebook=True)
        print(f"  {lines:>5} lines: file median {file['median'] * 1000:6.1f} ms (p95 {file['p95'] * 1000:5.1f})"
              f" | notebook of {notebook['cells']} cells median {notebook['median'] * 1000:6.1f} ms (p95 {notebook['p95'] * 1000:5.1f})"
              f" | ratio {notebook['median'] / file['median']:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
