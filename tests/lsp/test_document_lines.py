"""Placing the core's spans and edits in a document: a file, or a notebook cell (a window on
the notebook's Python text, where the blank line after a cell is the cell's end)."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import apply_text_edits
from lsprotocol import types as lsp
from paribus.core.extract.notebooks import read_notebook
from paribus.core.judgement.findings import TextEdit
from paribus.core.positions import Span
from paribus.lsp.convert import DocumentLines
from pygls.workspace.position_codec import PositionCodec

CODEC = PositionCodec(encoding=lsp.PositionEncodingKind.Utf16)
NOTEBOOK = Path("/project/train.ipynb")
CELLS = ["import torch\nimport numpy as np", "# 🚀 λ\nLR = 3e-4\nfit(LR)"]


def _cell(number: int) -> DocumentLines:
    """Cell ``number`` (1-based over code cells here) as the LSP layer places it."""
    source = read_notebook(json.dumps({"cells": [{"cell_type": "code", "source": text} for text in CELLS], "nbformat": 4}))
    cell = source.cells[number - 1]
    return DocumentLines(f"vscode-notebook-cell:{NOTEBOOK}#W{number}", NOTEBOOK, CELLS[number - 1].split("\n"), cell.first_line - 1)


def _apply(document: DocumentLines, text: str, edit: TextEdit) -> str:
    return apply_text_edits(text, [document.text_edit(edit, CODEC)])


def test_a_span_in_the_python_text_is_a_range_in_its_cell() -> None:
    cell = _cell(2)  # Python text: cell 1 on lines 1-2, a blank line, cell 2 on lines 4-6
    assert cell.offset == 3
    assert cell.range(Span(5, 6, 5, 10), CODEC) == lsp.Range(start=lsp.Position(line=1, character=5), end=lsp.Position(line=1, character=9))
    # The rocket is two UTF-16 units: what follows it moves one to the right.
    assert cell.range(Span(4, 5, 4, 6), CODEC).start == lsp.Position(line=0, character=5)
    assert cell.position(lsp.Position(line=2, character=4), CODEC) == (6, 5)


def test_lines_inserted_after_a_cell_end_the_cell() -> None:
    """Seeding inserted after the imports lands on the blank line that ends cell 1."""
    cell = _cell(1)
    insertion = TextEdit(NOTEBOOK, Span.point(3, 1), "torch.manual_seed(0)\n")
    assert cell.holds(insertion.span)
    assert _apply(cell, CELLS[0], insertion) == "import torch\nimport numpy as np\ntorch.manual_seed(0)"


def test_an_edit_in_a_cell_replaces_only_its_text() -> None:
    cell = _cell(2)
    assert _apply(cell, CELLS[1], TextEdit(NOTEBOOK, Span(5, 6, 5, 10), "0.001")) == "# 🚀 λ\nLR = 0.001\nfit(LR)"
    assert not cell.holds(Span(1, 1, 1, 5)) and not _cell(1).holds(Span(5, 1, 5, 3))


def test_in_a_file_lines_added_past_the_end_start_a_new_line() -> None:
    text = "LR = 0.1\nfit(LR)"  # no final newline
    document = DocumentLines("file:///project/train.py", Path("/project/train.py"), text.split("\n"))
    assert _apply(document, text, TextEdit(document.path, Span.point(3, 1), "save()\n")) == "LR = 0.1\nfit(LR)\nsave()"
    assert _apply(document, text, TextEdit(document.path, Span.point(2, 1), "seed()\n")) == "LR = 0.1\nseed()\nfit(LR)"
