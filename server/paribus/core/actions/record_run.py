"""Record a run's metrics: into the pending entry, or into an entry made from the scripts.

An existing project has runs but often no log, or a log whose entries all have results. Its
run is recorded all the same: with no pending entry, the entry is created from what the
scripts (and their configs) hold now —

- a ``baseline`` with the full ``params`` snapshot when the log has no baseline;
- else an ``experiment`` whose ``change`` is every value that differs from the latest result
  (it has no hypothesis: PB201 asks for the one sentence on why the run exists).

When the scripts are exactly at the latest result's state there is nothing new to record
and the caller is told so.

- ``new_entry_fields(ctx, script=None, metrics=None) -> dict``: the entry, for the editor too;
- ``record_run(root, metrics, entry_id=None, script=None) -> RecordOutcome``: fill or create,
  written atomically.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from paribus.core.actions.fixes import end_of, next_id, today
from paribus.core.actions.record import (
    NoPendingEntryError,
    RecordError,
    RecordOutcome,
    _clean_metrics,
    append_entries,
    record_result,
    rewrite_log,
)
from paribus.core.extract import normalize_value
from paribus.core.judgement.findings import Fix, TextEdit
from paribus.core.model.project import CheckContext, Project, ScriptView
from paribus.core.positions import Span


def record_run(root: Path, metrics: Mapping[str, float], *, entry_id: str | None = None, script: str | None = None) -> RecordOutcome:
    ctx = Project(Path(root)).context()
    if entry_id is not None or _has_pending(ctx):
        return record_result(ctx.log_path, metrics, entry_id=entry_id, project=ctx.project)
    result = _clean_metrics(metrics)
    fields = new_entry_fields(ctx, script=script, metrics=result)
    seen = ctx.project.read(ctx.log_path)

    def change(text: str) -> tuple[str, RecordOutcome]:
        return append_entries(text, [fields]), RecordOutcome(
            entry_id=fields["id"], kind=fields["kind"], result=result, verdict=None,
            parent_id=fields.get("parent"), log_path=ctx.log_path, created=True,
        )

    return rewrite_log(ctx.log_path, change, root=ctx.root, expected_text=seen, create=seen is None)


def _has_pending(ctx: CheckContext) -> bool:
    return any(entry.is_pending for entry in ctx.entries)


def choose_script(ctx: CheckContext, script: str | None = None) -> ScriptView:
    """The script the run ran: the one named, else the project's only one."""
    if script is not None:
        wanted = Path(script)
        for view in ctx.scripts:
            if view.path == wanted.resolve() or ctx.project.relative(view.path) == wanted.as_posix() or view.path.name == wanted.name:
                return view
    if len(ctx.scripts) == 1:
        return ctx.scripts[0]
    if not ctx.scripts:
        if ctx.log is None:
            raise RecordError(f"no experiment log at {ctx.log_path}, and no training script to start one from (the card's `scripts`, default train*.py or train*.ipynb)")
        raise NoPendingEntryError("no pending entry: every run entry has a result, and there is no training script to make a new entry from (the card's `scripts`, default train*.py or train*.ipynb)")
    names = ", ".join(ctx.project.relative(view.path) for view in ctx.scripts)
    raise RecordError(f"several training scripts ({names}): name the one that ran with --script")


def snapshot(ctx: CheckContext, view: ScriptView) -> dict[str, Any]:
    """Every hyperparameter of the script and the card's configs, as values (first name wins)."""
    params: dict[str, Any] = {}
    for source in (view, *ctx.configs):
        for hyperparameter in source.hyperparameters:
            value = hyperparameter.value
            params.setdefault(hyperparameter.name, normalize_value(value) if isinstance(value, str) else value)
    return params


def new_entry_fields(ctx: CheckContext, *, script: str | None = None, metrics: Mapping[str, float] | None = None) -> dict[str, Any]:
    """The entry recording the scripts' current state: a baseline, or an experiment from the latest result."""
    view = choose_script(ctx, script)
    ids = [item.id for item in ctx.log.entries] if ctx.log else []
    relative = ctx.project.relative(view.path)
    if not any(entry.kind == "baseline" for entry in ctx.entries):
        fields: dict[str, Any] = {"id": next_id(ids, "b"), "kind": "baseline", "date": today(), "script": relative, "params": snapshot(ctx, view)}
    else:
        comparison = ctx.comparisons[view.path]
        latest = comparison.last_with_result
        if latest is None:
            raise NoPendingEntryError("no pending entry, and no result to compare the scripts with: name the entry to fill with --id")
        if not comparison.changed:
            raise NoPendingEntryError(
                f"no pending entry: {relative} is at the state of {latest.id}, which has a result already: change a value first, "
                f"or replace {latest.id}'s result with --id {latest.id}"
            )
        change = {item.state_name: [item.parent_value, item.new_value] for item in comparison.changed}
        fields = {"id": next_id(ids, "e"), "kind": "experiment", "date": today(), "script": relative, "parent": latest.id, "change": change}
    if metrics:
        fields["result"] = dict(metrics)
    return fields


def entries_edit(log_path: Path, text: str | None, entries: list[Mapping]) -> TextEdit:
    """One edit appending ``entries`` to the log (creating it when there is none)."""
    new_text = append_entries(text or "", entries)
    if text is None:
        return TextEdit(log_path, Span.point(1, 1), new_text, create=True)
    if new_text.startswith(text):
        return TextEdit(log_path, end_of(text), new_text[len(text):])
    return TextEdit(log_path, Span(1, 1, len(text.split("\n")) + 1, 1), new_text)


def record_state_fix(ctx: CheckContext, script: Path) -> Fix:
    """*Record current state as baseline*: the script's values as the log's first entry (with the
    last run's metrics when a script left them in ``.paribus/last-run.json``)."""
    fields = new_entry_fields(ctx, script=str(script), metrics=ctx.last_run_metrics())
    text = ctx.project.read(ctx.log_path)
    edit = entries_edit(ctx.log_path, text, [fields])
    line = (text or "").rstrip("\n").count("\n") + 2 if text and text.strip() else 1
    return Fix(f"Record current state as {fields['kind']}", (edit,), show=(ctx.log_path, Span.point(line)))
