"""Builders for the text edits that fixes are made of: log entries, values, inserted lines."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import yaml
from paribus.core.extract.notebooks import NOTEBOOK_SUFFIX
from paribus.core.judgement.findings import TextEdit
from paribus.core.positions import Span

_FOCUS_MARK = "\0focus\0"


class _OneLineDumper(yaml.SafeDumper):
    """Text with line breaks or unprintable characters goes double-quoted, escaped: the emitter
    would otherwise fold it over lines that break the entry it is written into."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = '"' if not value.isprintable() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_OneLineDumper.add_representer(str, _represent_text)


def yaml_flow(value: Any) -> str:
    """A value as one line of YAML flow style, quoted and escaped by the emitter as needed."""
    text = yaml.dump(value, Dumper=_OneLineDumper, default_flow_style=True, width=float("inf"), allow_unicode=True, sort_keys=False)
    return text.strip().removesuffix("...").strip()


def render_entry(fields: dict[str, Any]) -> str:
    """One log entry in the style of the log: block keys, flow values, ``key: `` left open
    when its value is None (for the user to fill)."""
    lines = []
    for index, (key, value) in enumerate(fields.items()):
        lead = "- " if index == 0 else "  "
        if value is None:
            lines.append(f"{lead}{key}: ")
        else:
            lines.append(f"{lead}{key}: {yaml_flow(value)}")
    return "\n".join(lines) + "\n"


def next_id(existing: list[str | None], prefix: str) -> str:
    numbers = [int(m.group(1)) for i in existing if i and (m := re.fullmatch(rf"{re.escape(prefix)}(\d+)", i))]
    return f"{prefix}{max(numbers, default=0) + 1}"


def end_of(text: str) -> Span:
    lines = text.split("\n")
    return Span.point(len(lines), len(lines[-1]) + 1)


def append_entry(log_path: Path, log_text: str | None, fields: dict[str, Any], focus: str | None = None) -> tuple[TextEdit, Span | None]:
    """Append an entry to the log (creating it when missing).

    Returns the edit and, when ``focus`` names a key, where that key's value starts after
    the edit is applied (so the editor can put the cursor there).
    """
    entry = render_entry(fields)
    if log_text is None:
        edit = TextEdit(log_path, Span.point(1, 1), entry, create=True)
        prefix_lines = 0
    else:
        separator = "" if log_text == "" or log_text.endswith("\n") else "\n"
        edit = TextEdit(log_path, end_of(log_text), separator + entry)
        prefix_lines = log_text.count("\n") + (1 if separator else 0)
    focus_span = None
    if focus is not None:
        for offset, line in enumerate(entry.splitlines()):
            if line[2:].startswith(f"{focus}:"):
                column = len(line) + 1
                focus_span = Span.point(prefix_lines + offset + 1, column)
                break
    return edit, focus_span


def format_value(value: Any, suffix: str) -> str:
    """A value as source text of the file it goes into."""
    if suffix in (".py", NOTEBOOK_SUFFIX, ".gin"):  # a notebook's code cells and gin values are Python
        if isinstance(value, float) and (abs(value) < 1e-3 or abs(value) >= 1e6) and value != 0:
            return f"{value:g}"
        return repr(value)
    if suffix == ".json":
        return json.dumps(value)
    if suffix == ".toml":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return json.dumps(value)
        return repr(value)
    return yaml_flow(value)


def today() -> dt.date:
    """A date object, so entries show `date: 2026-11-29` unquoted."""
    return dt.date.today()


def insert_lines_after(path: Path, line: int, text: str) -> TextEdit:
    """Insert whole lines after 1-based ``line`` (0 = at the top)."""
    return TextEdit(path, Span.point(line + 1, 1), text if text.endswith("\n") else text + "\n")


def set_entry_key(log_path: Path, log_text: str, entry_span: Span, key_span: Span | None, value_span: Span | None, key: str, value: Any) -> TextEdit:
    """Write ``key: value`` (flow style) into an entry, replacing the key's current value.

    A block value's span ends where the next key starts, so the replacement restores that
    key's indentation; a missing key is added as the entry's last line.
    """
    rendered = f"{key}: {yaml_flow(value)}"
    if key_span is None or value_span is None:
        if entry_span.end_column == 1:
            return TextEdit(log_path, Span.point(entry_span.end_line, 1), f"  {rendered}\n")
        return TextEdit(log_path, Span.point(entry_span.end_line, entry_span.end_column), f"\n  {rendered}")
    if value_span.end_line > key_span.line:
        trailing = "\n" + " " * (value_span.end_column - 1)
        if value_span.end_line > len(log_text.split("\n")):
            trailing = "\n"
        return TextEdit(log_path, Span(key_span.line, key_span.column, value_span.end_line, value_span.end_column), rendered + trailing)
    return TextEdit(log_path, Span(key_span.line, key_span.column, value_span.end_line, value_span.end_column), rendered)


def insert_entry_line(log_path: Path, entry_span: Span, after_span: Span | None, text: str) -> tuple[TextEdit, Span]:
    """Insert ``  text`` as a new line of an entry, after ``after_span``'s line (else at its end)."""
    if after_span is not None:
        line = after_span.end_line + 1
    elif entry_span.end_column == 1:
        line = entry_span.end_line
    else:
        line = entry_span.end_line + 1
    return TextEdit(log_path, Span.point(line, 1), f"  {text}\n"), Span.point(line, len(text) + 3)
