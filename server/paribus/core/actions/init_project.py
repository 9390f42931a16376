"""``paribus init``: a ``paribus.toml`` card pre-filled from what the folder shows.

Only names, CSV headers and row counts are read. What cannot be seen (the task, inputs,
outputs, quirks) is left as an empty string with a TODO comment. The caller writes the text,
never over an existing card.
"""

from __future__ import annotations

import csv
import tomllib
from collections import Counter
from pathlib import Path

from paribus.core.actions.scaffold import datafiles
from paribus.core.model.files import check_regular_file

# Counting labels streams the file; past this many rows the chance level is left to the user.
MAX_ROWS_FOR_CHANCE = 2_000_000


def init_project(folder: Path) -> str:
    """The text of a ``paribus.toml`` for ``folder``, status ``greenfield``."""
    folder = Path(folder)
    data = _describe_data(folder)
    scripts = sorted(p.relative_to(folder).as_posix() for p in folder.glob("train*.py"))
    lines = [
        "# Paribus project card: what the project is, so findings can be judged against it.",
        "# Fill every TODO; see `paribus check` for what is still missing.",
        'task = ""                      # TODO: the exact task, e.g. "Detect AF in 30 s ECG"',
        'inputs = ""                    # TODO: what one example is, e.g. "30 s ECG, 250 Hz"',
        'outputs = ""                   # TODO: what the model outputs, e.g. "AF | normal"',
        f"data = {{ type = {_toml(data['type'])}, volume = {_toml(data['volume'])}, "
        "quirks = [] }  # TODO: known quirks (imbalance, label noise...)",
        'status = "greenfield"          # greenfield | baseline | iterating',
        'metric = { name = "val_f1", goal = "max", target = 0.0 }  # TODO: your metric and target',
    ]
    if data["chance"] is not None:
        # The card's metric is macro F1: guessing by the class shares scores 1/K on it, while
        # the majority-class share would be the chance level of accuracy.
        lines.append(
            f"chance = {data['chance']:.3f}                # macro F1 of guessing by the class shares "
            f"of {data['label']!r} in {_comment_text(data['file'])} (1/{data['classes']})"
        )
    else:
        lines.append("# chance = 0.5                 # optional; derived from predictions when absent")
    if scripts:
        lines.append(f"scripts = {_toml(scripts)}")
    else:
        lines.append('# scripts = ["train.py"]       # default: train*.py anywhere in the workspace')
    lines.append('log = "experiments.yaml"')
    lines.append('predictions = "runs/latest/predictions.csv"   # per-example output, for error analysis')
    return "\n".join(lines) + "\n"


def _describe_data(folder: Path) -> dict:
    description = {"type": "other", "volume": "", "chance": None, "label": None, "file": None}
    table = datafiles.find_table(folder)
    if table is not None:
        columns = datafiles.read_columns(table)
        text_column = datafiles.guess_text_column(columns)
        label = datafiles.guess_label_column(columns)
        description["type"] = "text" if text_column and text_column != label else "tabular"
        description["file"] = table.relative_to(folder).as_posix()
        if table.suffix.lower() == ".csv" and label:
            rows, classes = _count_rows_and_classes(table, label)
            description["volume"] = f"{rows} rows in {description['file']}"
            description.update(chance=1 / classes if classes else None, classes=classes, label=label)
        return description
    if datafiles.find_class_folder(folder, {".wav", ".flac", ".mp3"}):
        description["type"] = "audio"
    elif datafiles.find_class_folder(folder, datafiles.IMAGE_SUFFIXES - {".npy"}):
        description["type"] = "image"
    elif datafiles.find_class_folder(folder, {".npy", ".csv", ".txt"}):
        description["type"] = "timeseries"
    return description


def _count_rows_and_classes(table: Path, label: str) -> tuple[int, int | None]:
    counts: Counter[str] = Counter()
    rows = 0
    check_regular_file(table)  # a FIFO or a device would block the reader
    with open(table, newline="", encoding="utf-8", errors="replace") as handle:
        for row in csv.DictReader(handle):
            rows += 1
            if rows <= MAX_ROWS_FOR_CHANCE:
                counts[row.get(label) or ""] += 1
    if not counts or rows > MAX_ROWS_FOR_CHANCE:
        return rows, None
    return rows, len(counts)


def _comment_text(text: str) -> str:
    """Text for a comment: as is when it holds nothing that could end the line, else its repr."""
    return text if text.isprintable() else repr(text)


def _toml(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return toml_string(str(value))


_TOML_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: one line whatever it holds (file and column names can
    hold quotes and line breaks), characters TOML can't hold replaced by U+FFFD."""
    out = []
    for char in str(text):
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif "\ud800" <= char <= "\udfff":
            out.append("\ufffd")  # a file name's undecodable byte: not Unicode, not TOML
        elif ord(char) < 0x20 or char == "\x7f" or not char.isprintable():
            out.append(f"\\u{ord(char):04X}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08X}")
        else:
            out.append(char)
    literal = '"' + "".join(out) + '"'
    assert tomllib.loads(f"x = {literal}")["x"] == str(text).translate(_SURROGATES)
    return literal


_SURROGATES = {code: "\ufffd" for code in range(0xD800, 0xE000)}
