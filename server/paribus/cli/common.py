"""What every subcommand shares: how paths are shown, read and written, and how failures are said."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from paribus.core.positions import Span


class CliError(Exception):
    """A failure the user can act on: ``main`` prints ``paribus: <message>`` and exits with ``code``."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


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
    print(f"paribus: {one_line(message)}", file=sys.stderr)
    return code


def one_line(message: str) -> str:
    return " ".join(str(message).split())


@contextmanager
def said_on(shown: str | Path) -> Iterator[None]:
    """Failures to read or inspect a named file as one CliError line (exit 2) naming it."""
    from paribus.core.model.files import FileRefused

    try:
        yield
    except FileNotFoundError:
        raise CliError(f"no such file: {shown}") from None
    except FileRefused as error:  # its message starts with the file's name: say the path given instead
        message, name = str(error), Path(shown).name
        raise CliError(f"{shown}{message[len(name):]}" if message.startswith(name) else f"{shown}: {message}") from None
    except OSError as error:
        raise CliError(f"{shown}: {error.strerror or error}") from None


def input_text(path: str | Path, *, utf8_only: bool = False, note: bool = True) -> str:
    """The text of a file named on the command line, or CliError (exit 2) saying why not:
    missing, a folder or a device, empty, binary, too large, unreadable — or, with
    ``utf8_only``, not UTF-8. Otherwise undecodable bytes are replaced, with a note."""
    from paribus.core.model.files import decode, is_binary, read_bytes

    shown = str(path)
    with said_on(shown):
        data = read_bytes(Path(path))
    if not data.strip():
        raise CliError(f"{shown} is empty")
    if is_binary(data):
        raise CliError(f"{shown} is a binary file, not text")
    result = decode(data)
    if result.issue is not None:
        if utf8_only:
            raise CliError(f"{shown} is not UTF-8 text (line {result.issue.line})")
        if note:
            print(f"paribus: note: {shown}: {result.issue.message}", file=sys.stderr)
    return result.text


def data_file(path: str | Path) -> Path:
    """A data file named on the command line (CSV, Parquet, arrays: any size, binary or not):
    a regular file with something in it, or CliError (exit 2)."""
    from paribus.core.model.files import check_regular_file

    with said_on(path):
        check_regular_file(Path(path))
        empty = Path(path).stat().st_size == 0
    if empty:
        raise CliError(f"{path} is empty")
    return Path(path)


def output_path(path: str | Path) -> Path:
    """Where an output file named on the command line may be written, or CliError (exit 2)."""
    from paribus.core.model.files import WriteRefused, writable_path

    target = Path(path).absolute()
    if target.is_dir():
        raise CliError(f"{path} is a folder: name a file to write")
    try:
        real = target.resolve()
        return writable_path(real.parent, real)
    except WriteRefused as error:
        raise CliError(str(error).replace(str(target), str(path))) from None
    except OSError as error:
        raise CliError(f"{path}: {error.strerror or error}") from None


def write_output(path: str | Path, text: str) -> None:
    """Write an output file atomically (its mode kept), or CliError (exit 2)."""
    from paribus.core.model.files import replace_file

    target = output_path(path)
    try:
        replace_file(target, text.encode("utf-8"))
    except OSError as error:
        raise CliError(f"could not write {path}: {error.strerror or error}") from None


# Findings placed on a file's own bytes (what could not be read), never on a notebook cell.
RAW_FILE_CODES = frozenset({"PB604", "PB605"})


class Locations:
    """Where a span is as the user finds it: in a notebook, its cell and the line in the cell."""

    def __init__(self) -> None:
        self._notebooks: dict[Path, object] = {}
        self._raw: dict[Path, str | None] = {}
        self._places: dict[Path, object] = {}

    def of(self, path: Path, span: Span, code: str = "") -> tuple[int | None, Span]:
        """(cell number or None, the span in that cell — or the span itself for other files and
        for findings on the file's own bytes)."""
        from paribus.core.extract.notebooks import NotebookError, is_notebook, read_notebook

        if code in RAW_FILE_CODES or not is_notebook(path):
            return None, span
        if path not in self._notebooks:
            try:
                text = self._raw_text(path)
                self._notebooks[path] = read_notebook(text) if text is not None else None
            except NotebookError:
                self._notebooks[path] = None
        notebook = self._notebooks[path]
        located = notebook.locate(span) if notebook is not None else None
        return located if located is not None else (None, span)

    def in_file(self, path: Path, span: Span, code: str = "") -> tuple[int | None, Span]:
        """(cell number or None, the span in the file's own lines): a notebook cell's line is
        placed on the JSON string that holds it, as SARIF viewers and GitHub annotations read
        the file; the span in the cell where that can't be told."""
        from paribus.core.extract.notebooks import RawPlaces

        cell, in_cell = self.of(path, span, code)
        if cell is None:
            return None, span
        if path not in self._places:
            self._places[path] = RawPlaces(self._raw_text(path) or "")
        places = self._places[path]
        start = places.place(cell, in_cell.line, in_cell.column)
        if start is None:
            return cell, in_cell
        end = places.place(cell, in_cell.end_line, in_cell.end_column) or start
        return cell, Span(start[0], start[1], end[0], end[1])

    def _raw_text(self, path: Path) -> str | None:
        from paribus.core.model.files import read_disk

        if path not in self._raw:
            self._raw[path] = read_disk(path)
        return self._raw[path]

    def prefix(self, path: Path, span: Span, code: str = "") -> str:
        """``path:line:column`` — ``path:cell_N:line:column`` in a notebook."""
        cell, where = self.of(path, span, code)
        shown = display_path(path) + (f":cell_{cell}" if cell is not None else "")
        return f"{shown}:{where.line}:{where.column}"
