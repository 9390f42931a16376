"""Fixes shared by several rules: the log entries that record a change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from paribus.core.actions.fixes import append_entry, next_id, today
from paribus.core.judgement.findings import Fix
from paribus.core.model.replicates import is_seed_name

if TYPE_CHECKING:
    from paribus.core.model.project import CheckContext, ScriptView
    from paribus.core.model.state import ScriptComparison


def _change_of(comparison: ScriptComparison) -> dict[str, list[Any]]:
    return {item.state_name: [item.parent_value, item.new_value] for item in comparison.changed}


def _existing_ids(ctx: CheckContext) -> list[str | None]:
    return [item.id for item in ctx.log.entries] if ctx.log else []


def _log_text(ctx: CheckContext) -> str | None:
    return ctx.project.read(ctx.log_path)


def _prediction(ctx: CheckContext) -> dict[str, Any] | None:
    metric = ctx.card.card.metric
    if metric is None:
        return None
    return {"metric": metric.name, "direction": "up" if metric.goal == "max" else "down"}


def guess_intervention(names: list[str]) -> str:
    """Most edits to a training script are hyperparameters; data switches name themselves."""
    data_words = ("data", "augment", "flip", "filter", "clean", "train_size", "samples", "subset", "balance", "oversample")
    if any(word in name.lower() for name in names for word in data_words):
        return "data"
    return "hyperparameters"


def add_hypothesis_fix(ctx: CheckContext, script: ScriptView, comparison: ScriptComparison) -> Fix:
    """Append a pending experiment recording the script's change, cursor on its hypothesis."""
    change = _change_of(comparison)
    fields: dict[str, Any] = {
        "id": next_id(_existing_ids(ctx), "e"),
        "kind": "experiment",
        "date": today(),
        "script": ctx.project.relative(script.path),
        "parent": comparison.last_with_result.id if comparison.last_with_result else None,
        "intervention": guess_intervention(list(change)),
        "change": change,
        "hypothesis": None,
    }
    prediction = _prediction(ctx)
    if prediction:
        fields["prediction"] = prediction
    edit, focus = append_entry(ctx.log_path, _log_text(ctx), fields, focus="hypothesis")
    return Fix("Add hypothesis", (edit,), show=(ctx.log_path, focus) if focus else None, preferred=len(change) == 1)


def _run_entry_fix(ctx: CheckContext, script: ScriptView, comparison: ScriptComparison, kind: str, prefix: str, title: str, preferred: bool) -> Fix:
    """Append an entry of ``kind`` recording the script's change from the last result."""
    fields = {
        "id": next_id(_existing_ids(ctx), prefix),
        "kind": kind,
        "date": today(),
        "script": ctx.project.relative(script.path),
        "parent": comparison.last_with_result.id if comparison.last_with_result else None,
        "change": _change_of(comparison),
    }
    edit, focus = append_entry(ctx.log_path, _log_text(ctx), fields, focus="change")
    return Fix(title, (edit,), show=(ctx.log_path, focus) if focus else None, preferred=preferred)


def record_poc_fix(ctx: CheckContext, script: ScriptView, comparison: ScriptComparison) -> Fix:
    """Append a proof-of-concept entry: quick variants may change several things at once."""
    return _run_entry_fix(ctx, script, comparison, "poc", "p", "Record as POC variant", preferred=False)


def is_seed_change(item) -> bool:
    """A changed hyperparameter that is a seed: extracted as one, or named like one."""
    return item.hyperparameter.kind == "seed" or is_seed_name(item.state_name)


def only_seeds_changed(comparison: ScriptComparison) -> bool:
    return bool(comparison.changed) and all(is_seed_change(item) for item in comparison.changed)


def record_replicate_fix(ctx: CheckContext, script: ScriptView, comparison: ScriptComparison) -> Fix:
    """Append a replicate of the last result's state: only the seed differs."""
    return _run_entry_fix(ctx, script, comparison, "replicate", "r", "Record as replicate", preferred=True)


def log_run_fix(ctx: CheckContext, script: ScriptView, comparison: ScriptComparison) -> Fix:
    """The entry for the run about to start: a replicate when only seeds changed, else an experiment."""
    if only_seeds_changed(comparison):
        return record_replicate_fix(ctx, script, comparison)
    return add_hypothesis_fix(ctx, script, comparison)
