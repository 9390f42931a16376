"""Scaffold a greenfield baseline: the simplest script that measures how hard the problem is.

Public API:

- ``scaffold_baseline(root, card, data=, label=, samples=, script_name=) -> ScaffoldPlan``:
  pure apart from reading names, headers and the log; returns the script's text and the
  baseline log entry. Nothing is written.
- ``write_scaffold(plan)``: creates the script (never over an existing file) and appends the
  entry to the log atomically — for the CLI; the editor turns a plan into a workspace edit.
- ``append_log_entry(log_text, entry_text) -> str``: the log text with the entry at its end.

The card's ``data.type`` picks the template: tabular (and other), text, image, and one
template for audio / timeseries / biosignal. Generated scripts need numpy, pandas and
scikit-learn; this package imports none of them.

What comes from data (file and column names, labels, the card's metric and paths) enters a
script only as a Python literal made by ``python_literal`` and a log entry only through the
YAML emitter: never spliced into code, comments or docstrings.
"""

from __future__ import annotations

import ast
import os
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

from paribus.core.actions.fixes import yaml_flow
from paribus.core.actions.scaffold import datafiles
from paribus.core.actions.scaffold.metrics import metric_code
from paribus.core.model.files import (
    LOG_SUFFIXES,
    WriteRefused,
    create_file,
    read_bytes,
    read_disk,
    replace_file,
    writable_path,
)

TEMPLATE_BY_DATA_TYPE = {
    "tabular": "tabular",
    "text": "text",
    "image": "image",
    "audio": "signal",
    "timeseries": "signal",
    "time-series": "signal",
    "biosignal": "signal",
    "other": "tabular",
}
DEFAULT_LOG = "experiments.yaml"
DEFAULT_PREDICTIONS = "runs/latest/predictions.csv"
PURPOSE = (
    "The simplest model that could work, on a small stratified subset: an instrument that\n"
    "measures how hard the problem is. Above chance, a learning curve tells how far more data\n"
    "goes; at chance, the representation has to change, not the amount of data."
)


class ScaffoldError(Exception):
    """The baseline cannot be scaffolded or written; the message says why."""


class ScaffoldWriteRefused(ScaffoldError):
    """A file the baseline needs is one Paribus may not write (outside the project, read-only...)."""


@dataclass(frozen=True)
class ScaffoldPlan:
    script_path: Path
    script_text: str
    log_path: Path
    log_entry_text: str
    entry_id: str
    template: str
    params: dict[str, object]
    # What the user should check before running (a guessed data path, a guessed label...).
    notes: tuple[str, ...] = field(default_factory=tuple)


def scaffold_baseline(
    root: Path,
    card: Mapping,
    *,
    data: Path | None,
    label: str | None,
    samples: int = 100,
    script_name: str = "baseline.py",
    today: date | None = None,
) -> ScaffoldPlan:
    """Plan a baseline script for the project at ``root`` described by ``card``."""
    root = Path(root)
    card = _as_mapping(card)
    data_section = _as_mapping(card.get("data") or {})
    data_type = str(data_section.get("type") or "tabular").lower()
    template = TEMPLATE_BY_DATA_TYPE.get(data_type, "tabular")
    metric_section = _as_mapping(card.get("metric") or {})
    metric = str(metric_section.get("name") or "val_f1")
    log_path = root / str(card.get("log") or DEFAULT_LOG)
    predictions = str(card.get("predictions") or DEFAULT_PREDICTIONS)
    notes: list[str] = []

    data_path = Path(data) if data is not None else _guess_data(root, template, notes)
    columns = datafiles.read_columns(_absolute(root, data_path)) if data_path.suffix else []
    if label is None and template != "image":
        label = datafiles.guess_label_column(columns)
        if label is None:
            label = "label"
            notes.append('label column unknown: set LABEL in the script (guessed "label")')
        else:
            notes.append(f'label column guessed: "{label}" (set LABEL to change it)')
    text_column = "text"
    if template == "text":
        candidates = [c for c in columns if c != label]
        text_column = datafiles.guess_text_column(candidates) or (
            candidates[0] if candidates else "text"
        )

    script_path = _free_script_path(root, script_name)
    entry_id = _next_baseline_id(log_path)
    code = metric_code(metric)
    common = _template("common").substitute(metric_doc=code.doc, score_body=code.body)
    script_text = _template(template).substitute(
        purpose=PURPOSE,
        data_literal=python_literal(_display_path(root, data_path)),
        label_literal=python_literal(label or "label"),
        text_literal=python_literal(text_column),
        predictions_literal=python_literal(predictions),
        metric_literal=python_literal(code.metric_name),
        train_metric_literal=python_literal(code.train_metric_name),
        samples=int(samples),
        entry_id=entry_id,  # b1, b2...: made here, never read from data
        metric_import=code.import_line,
        common_helpers=common.rstrip("\n"),
    )
    params = hyperparameters_of(script_text)
    entry_text = _log_entry(entry_id, _relative_script(root, script_path), params, today or date.today())
    return ScaffoldPlan(
        script_path=script_path,
        script_text=script_text,
        log_path=log_path,
        log_entry_text=entry_text,
        entry_id=entry_id,
        template=template,
        params=params,
        notes=tuple(notes),
    )


def write_scaffold(plan: ScaffoldPlan, root: Path | None = None) -> None:
    """Create the script (refusing to overwrite) and append the entry to the log.

    Both must be files Paribus may write inside the project ``root`` (default: the script's
    folder); otherwise ScaffoldWriteRefused, and nothing is written. A linked log is written
    through to its target.
    """
    root = Path(root) if root is not None else plan.script_path.parent
    try:
        script = writable_path(root, plan.script_path)
        log = writable_path(root, plan.log_path, suffixes=LOG_SUFFIXES)
    except WriteRefused as error:
        raise ScaffoldWriteRefused(str(error)) from None
    try:
        existing_bytes = read_bytes(log)
    except FileNotFoundError:
        existing_bytes = None
    except OSError as error:
        raise ScaffoldWriteRefused(f"{plan.log_path.name} could not be read: {error.strerror or error}") from None
    try:
        existing = (existing_bytes or b"").decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScaffoldWriteRefused(f"{plan.log_path.name} is not UTF-8 text; not changed") from None
    try:
        create_file(script, plan.script_text.encode("utf-8"))
    except FileExistsError:
        raise ScaffoldError(f"{plan.script_path.name} already exists; not overwritten") from None
    try:
        replace_file(log, append_log_entry(existing, plan.log_entry_text).encode("utf-8"), expected=existing_bytes)
    except BaseException:
        script.unlink(missing_ok=True)  # all or nothing: no script without its entry
        raise


def append_log_entry(log_text: str, entry_text: str) -> str:
    """``log_text`` with ``entry_text`` as its last entry, one blank line before it."""
    if log_text.strip() in ("", "[]"):
        return entry_text
    return log_text.rstrip("\n") + "\n\n" + entry_text


def hyperparameters_of(script_text: str) -> dict[str, object]:
    """The constants between the ``# Hyperparameters`` and ``# Plumbing`` comments."""
    block = script_text.split("# Hyperparameters", 1)[-1].split("# Plumbing", 1)[0]
    params: dict[str, object] = {}
    for statement in ast.parse("\n".join(block.splitlines()[1:])).body:
        if isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name):
            params[statement.targets[0].id] = ast.literal_eval(statement.value)
    return params


def _log_entry(entry_id: str, script: str, params: dict[str, object], day: date) -> str:
    return (
        f"- id: {entry_id}\n"
        "  kind: baseline\n"
        f"  date: {day.isoformat()}\n"
        f"  script: {yaml_flow(script)}\n"
        f"  params: {yaml_flow(params)}\n"
    )


def _relative_script(root: Path, script_path: Path) -> str:
    try:
        return script_path.relative_to(root).as_posix()
    except ValueError:
        return script_path.as_posix()  # outside the project: writing it will be refused


def python_literal(value: str) -> str:
    """``value`` as a Python string literal (``repr``; double quotes when that changes nothing).

    The one way data enters generated code: a literal can't end early or run anything.
    """
    value = str(value)
    literal = repr(value)
    if literal.startswith("'") and '"' not in value:
        literal = '"' + literal[1:-1] + '"'  # no quote inside at all, so swapping is exact
    assert ast.literal_eval(literal) == value
    return literal


def _next_baseline_id(log_path: Path) -> str:
    text = read_disk(log_path) or ""
    taken = set(re.findall(r"^\s*-?\s*id:\s*['\"]?([\w.-]+)", text, flags=re.MULTILINE))
    number = 1
    while f"b{number}" in taken:
        number += 1
    return f"b{number}"


def _free_script_path(root: Path, script_name: str) -> Path:
    """``root/script_name``, or ``stem_2.py``, ``stem_3.py``... when it exists already."""
    candidate = root / script_name
    stem, suffix = candidate.stem, candidate.suffix or ".py"
    number = 2
    while os.path.lexists(candidate):
        candidate = candidate.parent / f"{stem}_{number}{suffix}"
        number += 1
    return candidate


def _guess_data(root: Path, template: str, notes: list[str]) -> Path:
    if template in ("image", "signal"):
        suffixes = datafiles.IMAGE_SUFFIXES if template == "image" else datafiles.SIGNAL_SUFFIXES
        folder = datafiles.find_class_folder(root, suffixes)
        if folder is not None:
            notes.append(f"data guessed: {_display_path(root, folder)}/ (set DATA to change it)")
            return folder
    if template != "image":
        table = datafiles.find_table(root)
        if table is not None:
            notes.append(f"data guessed: {_display_path(root, table)} (set DATA to change it)")
            return table
    placeholder = Path("data") if template in ("image", "signal") else Path("data.csv")
    notes.append(f"no data found: set DATA in the script (placeholder {placeholder.as_posix()})")
    return placeholder


def _display_path(root: Path, path: Path) -> str:
    """Relative to the project when inside it (scripts run from the project folder)."""
    absolute = _absolute(root, Path(path)).resolve()
    try:
        return absolute.relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(absolute)


def _absolute(root: Path, path: Path) -> Path:
    return path if path.is_absolute() else root / path


def _template(name: str) -> string.Template:
    text = resources.files(__package__).joinpath("templates", f"{name}.py.tmpl").read_text("utf-8")
    return string.Template(text)


def _as_mapping(value: object) -> Mapping:
    if isinstance(value, Mapping):
        return value
    dump = getattr(value, "model_dump", None)  # a pydantic card model
    return dump() if callable(dump) else {}


def scaffold_fix(ctx):
    """A baseline script for the card's data type, and its log entry (raises ScaffoldError)."""
    from paribus.core.actions.fixes import end_of
    from paribus.core.judgement.findings import Fix, TextEdit
    from paribus.core.positions import Span

    plan = scaffold_baseline(ctx.root, ctx.card.card.model_dump(), data=None, label=None)
    edits = [TextEdit(plan.script_path, Span.point(1), plan.script_text, create=True)]
    log_text = ctx.project.read(plan.log_path)
    if log_text is None:
        edits.append(TextEdit(plan.log_path, Span.point(1), plan.log_entry_text, create=True))
    else:
        separator = "" if not log_text or log_text.endswith("\n") else "\n"
        edits.append(TextEdit(plan.log_path, end_of(log_text), separator + plan.log_entry_text))
    return Fix("Scaffold baseline", tuple(edits), show=(plan.script_path, Span.point(1)))
