"""What every subcommand shares: how paths are shown and how failures are said."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from paribus.core.positions import Span


def display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def split_codes(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [code.strip().upper() for value in values for code in value.split(",") if code.strip()]


def fail(message: str, code: int = 2) -> int:
    """Say what went wrong on one line (never a traceback) and return the exit code."""
    print(f"paribus: {message}", file=sys.stderr)
    return code


class Locations:
    """Where a span is as the user finds it: in a notebook, its cell and the line in the cell."""

    def __init__(self) -> None:
        self._notebooks: dict[Path, object] = {}

    def of(self, path: Path, span: Span) -> tuple[int | None, Span]:
        """(cell number or None, the span in that cell — or the span itself for other files)."""
        from paribus.core.extract.notebooks import (
            NotebookError,
            is_notebook,
            read_notebook,
        )

        if not is_notebook(path):
            return None, span
        if path not in self._notebooks:
            try:
                self._notebooks[path] = read_notebook(path.read_text(encoding="utf-8", errors="replace"))
            except (OSError, NotebookError):
                self._notebooks[path] = None
        notebook = self._notebooks[path]
        located = notebook.locate(span) if notebook is not None else None
        return located if located is not None else (None, span)

    def prefix(self, path: Path, span: Span) -> str:
        """``path:line:column`` — ``path:cell_N:line:column`` in a notebook."""
        cell, where = self.of(path, span)
        shown = display_path(path) + (f":cell_{cell}" if cell is not None else "")
        return f"{shown}:{where.line}:{where.column}"
