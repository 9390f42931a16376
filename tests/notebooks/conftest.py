"""Notebooks written the way Jupyter writes them (nbformat 4, sources as lists of lines)."""

from __future__ import annotations

import json


def notebook(*cells: tuple[str, str]) -> str:
    """An .ipynb text from (cell type, source) pairs as Jupyter saves them: no final newline in a
    cell, outputs and metadata beside the source."""
    written = []
    for kind, source in cells:
        cell = {"cell_type": kind, "metadata": {}, "source": source.rstrip("\n").splitlines(keepends=True)}
        if kind == "code":
            cell.update(execution_count=1, outputs=[{"output_type": "stream", "name": "stdout", "text": ["LR = 99\n"]}])
        written.append(cell)
    document = {"cells": written, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
                "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(document, indent=1) + "\n"
