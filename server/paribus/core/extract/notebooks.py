"""Jupyter notebooks (``.ipynb``) read as training scripts: their code cells, one after another.

A notebook becomes one Python text — each code cell's source followed by a blank line — so
every reader of scripts works on it unchanged, and ``NotebookSource.locate`` maps a span of
that text back to a cell and a span inside it. Cells are numbered from 1 over all cells
(markdown included), as a notebook shows them. Outputs and metadata are never read; IPython
magics and shell escapes (``%time``, ``!pip install``, a ``%%bash`` cell) are blanked, never
read as Python.
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
import re
from dataclasses import dataclass
from functools import lru_cache

from paribus.core.positions import Span

NOTEBOOK_SUFFIX = ".ipynb"
# Cell magics whose body is Python that runs (timed or captured); any other cell magic runs
# something else (a shell, HTML, a file write) and its cell is not code.
_PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug"}


class NotebookError(ValueError):
    """Not a notebook: invalid JSON or not nbformat. ``line``/``column`` say where (1-based)."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line, self.column = line, column


@dataclass(frozen=True)
class CodeCell:
    number: int  # 1-based, over all cells
    first_line: int  # 1-based line of the cell's first line in the notebook's Python text
    line_count: int


@dataclass(frozen=True)
class NotebookSource:
    text: str
    cells: tuple[CodeCell, ...]

    def locate(self, span: Span) -> tuple[int, Span] | None:
        """The cell holding ``span``'s start, and the span relative to that cell."""
        starts = [cell.first_line for cell in self.cells]
        index = bisect.bisect_right(starts, span.line) - 1
        if index < 0:
            return None
        cell = self.cells[index]
        if span.line >= cell.first_line + max(cell.line_count, 1):
            return None  # the blank separator after a cell
        shift = cell.first_line - 1
        last_line = cell.first_line + max(cell.line_count, 1) - 1
        end_line, end_column = (span.end_line, span.end_column) if span.end_line <= last_line else (last_line, span.end_column)
        return cell.number, Span(span.line - shift, span.column, end_line - shift, end_column)

    def line_in_text(self, cell_number: int, line_in_cell: int) -> int | None:
        """The line of the Python text for a cell's line (None when the cell is not code)."""
        for cell in self.cells:
            if cell.number == cell_number:
                return cell.first_line + line_in_cell - 1
        return None


def is_notebook(path) -> bool:
    return str(path).lower().endswith(NOTEBOOK_SUFFIX)


@lru_cache(maxsize=32)
def read_notebook(raw: str) -> NotebookSource:
    """The code cells of an nbformat 4 (or 3) notebook as one Python text (raises NotebookError)."""
    try:
        document = json.loads(raw)
    except json.JSONDecodeError as error:
        raise NotebookError(f"notebook is not valid JSON: {error.msg}", error.lineno, error.colno) from None
    except RecursionError:
        raise NotebookError("notebook is nested too deeply to read") from None
    cells = _cells(document)
    lines: list[str] = []
    code_cells: list[CodeCell] = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", cell.get("input", ""))
        text = "".join(source) if isinstance(source, list) and all(isinstance(part, str) for part in source) else source
        if not isinstance(text, str):
            continue
        cell_lines = _python_lines(text.replace("\r\n", "\n"))
        code_cells.append(CodeCell(number, len(lines) + 1, len(cell_lines)))
        lines.extend(cell_lines)
        lines.append("")  # a blank line between cells
    return NotebookSource("\n".join(lines), tuple(code_cells))


def _cells(document) -> list:
    if not isinstance(document, dict):
        raise NotebookError("not a notebook: the JSON document is not an object")
    if isinstance(document.get("cells"), list):  # nbformat 4
        return document["cells"]
    worksheets = document.get("worksheets")  # nbformat 3
    if isinstance(worksheets, list) and worksheets and isinstance(worksheets[0], dict):
        return worksheets[0].get("cells", []) if isinstance(worksheets[0].get("cells"), list) else []
    raise NotebookError("not a notebook: no `cells` list")


def _python_lines(text: str) -> list[str]:
    """The cell's lines with magics and shell escapes blanked (line count unchanged)."""
    lines = text.split("\n")
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        magic = first[2:].split(None, 1)[0] if len(first) > 2 else ""
        if magic not in _PYTHON_CELL_MAGICS:
            return [""] * len(lines)
        lines[0] = ""
    return ["" if _is_magic(line) else line for line in lines]


_HELP = re.compile(r"^\?{1,2}[\w.]*$|^[\w.]+\?{1,2}$")  # `?obj`, `obj??`: IPython help


def _is_magic(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(("%", "!")) or bool(_HELP.match(stripped))


class _Placed(str):
    """A JSON string value that knows where its text starts in the document (0-based offset)."""

    offset: int


def _read_placed(raw: str):
    """The JSON document with every string value a ``_Placed`` (keys stay plain)."""
    def parse_string(text: str, end: int, strict: bool = True) -> tuple[str, int]:
        value, after = json.decoder.scanstring(text, end, strict)
        placed = _Placed(value)
        placed.offset = end
        return placed, after

    decoder = json.JSONDecoder()
    decoder.parse_string = parse_string
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # the C scanner would not call it
    return decoder.decode(raw)


class RawPlaces:
    """Where a cell's line and column are written in the ``.ipynb`` file itself, for reports
    read against the file (SARIF, GitHub annotations): the JSON string holding that source line."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        try:
            self._sources = {number: cell.get("source", cell.get("input", ""))
                             for number, cell in enumerate(_cells(_read_placed(raw)), start=1) if isinstance(cell, dict)}
        except (ValueError, RecursionError):
            self._sources = {}

    def place(self, cell_number: int, line: int, column: int) -> tuple[int, int] | None:
        """1-based (line, column) in the file of a cell's 1-based (line, column); None if unknown."""
        source = self._sources.get(cell_number)
        parts = source if isinstance(source, list) else [source]
        if not all(isinstance(part, _Placed) for part in parts):
            return None
        current = 1
        for part in parts:
            start = 0
            while current < line:
                newline = part.find("\n", start)
                if newline < 0:
                    break
                current, start = current + 1, newline + 1
            if current == line and (start < len(part) or part is parts[-1]):
                prefix = part[start:start + column - 1]
                escaped = json.dumps(part[:start] + prefix, ensure_ascii=False)[1:-1]  # as written in the file
                return self._line_and_column(part.offset + len(escaped))
        return None

    def _line_and_column(self, offset: int) -> tuple[int, int]:
        return self.raw.count("\n", 0, offset) + 1, offset - self.raw.rfind("\n", 0, offset)
