"""Find the user's data and guess its columns, by reading names and headers only."""

from __future__ import annotations

import csv
from pathlib import Path

from paribus.core.model.files import check_regular_file

TABLE_SUFFIXES = (".csv", ".parquet")
IMAGE_SUFFIXES = {".npy", ".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff"}
SIGNAL_SUFFIXES = {".npy", ".csv", ".txt", ".wav"}
LABEL_NAMES = ("label", "labels", "target", "class", "y", "category", "outcome", "diagnosis")
TEXT_NAMES = ("text", "sentence", "review", "body", "content", "document", "comment", "message")
# Folders that hold outputs or tooling, never the project's data.
SKIPPED_FOLDERS = {"runs", "outputs", "mlruns", "wandb", "node_modules", "__pycache__", "site-packages"}


def find_table(root: Path) -> Path | None:
    """The first CSV/Parquet file in ``root`` or ``root/data`` (then one level below)."""
    for folder in (root, root / "data"):
        tables = sorted(p for p in _files(folder) if p.suffix.lower() in TABLE_SUFFIXES)
        tables = [p for p in tables if "prediction" not in p.name.lower()]
        if tables:
            return tables[0]
    for folder in sorted(_subfolders(root / "data")):
        tables = sorted(p for p in _files(folder) if p.suffix.lower() in TABLE_SUFFIXES)
        if tables:
            return tables[0]
    return None


def find_class_folder(root: Path, suffixes: set[str]) -> Path | None:
    """A folder with one sub-folder per class holding files of ``suffixes``."""
    candidates = [root / "data", *sorted(_subfolders(root / "data")), *sorted(_subfolders(root))]
    for folder in candidates:
        classes = list(_subfolders(folder))
        if len(classes) >= 2 and all(
            any(p.suffix.lower() in suffixes for p in _files(c)) for c in classes
        ):
            return folder
    return None


def read_columns(path: Path) -> list[str]:
    """Column names of a CSV (its header) or Parquet file (its schema); [] when unreadable."""
    try:
        check_regular_file(path)  # a FIFO or a device would block the reader
        if path.suffix.lower() == ".parquet":
            import pyarrow.parquet as parquet  # optional: only to read a Parquet schema

            return list(parquet.read_schema(path).names)
        with open(path, newline="", encoding="utf-8", errors="replace") as handle:
            return next(csv.reader(handle), [])
    except (OSError, ImportError, ValueError, csv.Error):
        return []


def guess_label_column(columns: list[str]) -> str | None:
    by_lower_name = {column.lower(): column for column in columns}
    for name in LABEL_NAMES:
        if name in by_lower_name:
            return by_lower_name[name]
    return columns[-1] if columns else None


def guess_text_column(columns: list[str]) -> str | None:
    by_lower_name = {column.lower(): column for column in columns}
    for name in TEXT_NAMES:
        if name in by_lower_name:
            return by_lower_name[name]
    return None


def _files(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_file()]
    except OSError:
        return []


def _subfolders(folder: Path) -> list[Path]:
    try:
        return [
            p for p in folder.iterdir()
            if p.is_dir() and not p.name.startswith(".") and p.name not in SKIPPED_FOLDERS
        ]
    except OSError:
        return []
