"""A notebook read as a script: its code cells only, magics blanked, positions as cell + line."""

from __future__ import annotations

import pytest
from conftest import notebook

from paribus.core.extract import extract_text
from paribus.core.extract.notebooks import NotebookError, read_notebook
from paribus.core.positions import Span

NOTEBOOK = notebook(
    ("markdown", "# Training\nLEARNING_RATE = 1.0 is prose, not code\n"),
    ("code", "%matplotlib inline\nimport torch\n!pip install timm\n"),
    ("code", "LEARNING_RATE = 3e-4\nBATCH_SIZE = 64\n"),
    ("code", "%%bash\nEPOCHS=10 python train.py\n"),
    ("code", "%%time\nfor epoch in range(20):\n    pass\n"),
)


def test_only_code_cells_are_read_and_magics_are_blank() -> None:
    source = read_notebook(NOTEBOOK)
    assert [cell.number for cell in source.cells] == [2, 3, 4, 5]
    assert source.text.split("\n") == [
        "", "import torch", "", "",             # cell 2 (its magic and shell escape blanked)
        "LEARNING_RATE = 3e-4", "BATCH_SIZE = 64", "",
        "", "", "",                             # cell 4: a bash cell is not Python
        "", "for epoch in range(20):", "    pass", "",  # cell 5: %%time runs its body as Python
    ]


def test_hyperparameters_come_from_code_cells_never_from_markdown_or_outputs() -> None:
    found = {(hp.name, hp.value) for hp in extract_text(NOTEBOOK, "train.ipynb")}
    assert found == {("LEARNING_RATE", 3e-4), ("BATCH_SIZE", 64), ("epochs", 20)}


def test_a_span_is_located_in_its_cell() -> None:
    source = read_notebook(NOTEBOOK)
    batch = next(hp for hp in extract_text(NOTEBOOK, "train.ipynb") if hp.name == "BATCH_SIZE")
    assert source.locate(batch.span) == (3, Span(2, 14, 2, 16))
    assert source.line_in_text(3, 2) == batch.span.line
    assert source.line_in_text(1, 1) is None  # markdown


@pytest.mark.parametrize(
    ("raw", "line"),
    [('{"cells": [\n  {"cell_type": "code",\n  "source": ["x = 1"]\n', 4), ("[1, 2]", 1), ('{"metadata": {}}', 1)],
)
def test_what_is_not_a_notebook_says_where(raw: str, line: int) -> None:
    with pytest.raises(NotebookError) as raised:
        read_notebook(raw)
    assert raised.value.line == line
    assert extract_text(raw, "train.ipynb") == []


def test_help_lines_are_magic_but_questions_in_comments_and_strings_are_code() -> None:
    source = read_notebook(notebook(("code", "model?\nLR = 0.1  # why?\nQ = 'why?'\n")))
    assert source.text.split("\n")[:3] == ["", "LR = 0.1  # why?", "Q = 'why?'"]
