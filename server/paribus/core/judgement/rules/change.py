"""PB1xx: one change at a time, each recorded before the run."""

from __future__ import annotations

from typing import Iterable

from paribus.core.actions.fixes import format_value, set_entry_key
from paribus.core.judgement.findings import Finding, Fix, Severity, TextEdit
from paribus.core.judgement.rules.base import Example, Rule, register
from paribus.core.judgement.rules.entry_fixes import (
    add_hypothesis_fix,
    only_seeds_changed,
    record_poc_fix,
    record_replicate_fix,
)
from paribus.core.model.replicates import changes_only_seeds
from paribus.core.positions import Span

_LOG = """\
- id: b1
  kind: baseline
  params: {LR: 0.001, BATCH: 32, DROPOUT: 0.1}
  result: {train_acc: 0.8, val_acc: 0.7}
"""
_SCRIPT = "import torch\ntorch.manual_seed(0)\nLR = {lr}\nBATCH = {batch}\nDROPOUT = 0.1\n"



@register
class MultipleVariablesChanged(Rule):
    """The script differs from its parent state in more than one variable.

    ## What it does
    Compares the hyperparameters in the script (and its config files) with the state of the
    latest log entry that has a result, and reports each changed value when more than one
    differs — unless a pending `poc` entry records the change.

    ## Why is this bad?
    When two things change between runs, the result can't be attributed to either: a gain
    from one may hide a loss from the other, and nothing is learned about either variable.

    ## Example
    The log's last result ran with `LR = 0.001, BATCH = 32`; the script now says
    `LR = 3e-4` and `BATCH = 64`.

    ## Fix
    *Revert LR to 0.001* keeps one change; *Record as POC variant* logs a quick
    proof-of-concept run, where several changes at once are expected.
    """

    code = "PB101"
    name = "multiple-variables-changed"
    severity = Severity.WARNING
    VALID = [Example({"train.py": _SCRIPT.format(lr="3e-4", batch=32), "experiments.yaml": _LOG})]
    INVALID = [
        Example({"train.py": _SCRIPT.format(lr="3e-4", batch=64), "experiments.yaml": _LOG}, expect=(("train.py", 3), ("train.py", 4))),
    ]

    def check(self, ctx) -> Iterable[Finding]:
        for script in ctx.scripts:
            comparison = ctx.comparisons[script.path]
            if len(comparison.changed) < 2 or (comparison.pending and comparison.pending.kind == "poc") or only_seeds_changed(comparison):
                continue  # several seeds at once still only re-run the state: PB102 offers a replicate
            shared = [record_poc_fix(ctx, script, comparison)]
            if comparison.pending is None:
                shared.append(add_hypothesis_fix(ctx, script, comparison))
            parent = comparison.last_with_result.id
            for item in comparison.changed:
                others = [other.name for other in comparison.changed if other is not item]
                hp = item.hyperparameter
                message = (
                    f"{hp.name} changed ({_show(item.parent_value)} → {_show(item.new_value)}) together with "
                    f"{', '.join(others)} since {parent}: the result can't be attributed to one change"
                )
                revert = Fix(
                    f"Revert {hp.name} to {_show(item.parent_value)}",
                    (TextEdit(item.path, hp.span, format_value(item.parent_value, item.path.suffix)),),
                )
                yield self.finding(item.path, hp.span, message, [revert, *shared])


@register
class UnrecordedChange(Rule):
    """One variable changed, and no pending log entry says why.

    ## What it does
    Reports the single hyperparameter that differs from the latest result's state when no
    pending entry (an experiment without a result yet) follows that result.

    ## Why is this bad?
    A run without a written hypothesis and prediction can't confirm or refute anything:
    afterwards every outcome looks expected. Writing it down first takes one sentence.

    ## Example
    The last result ran with `LR = 0.001`; the script now says `LR = 3e-4`, and the log has
    no entry for the run about to start.

    When the only change is the seed (a hyperparameter extracted as a seed, or named like one:
    `seed`, `SEED`, `random_state` …), the run re-runs the same state: it is reported as a
    replicate to record.

    ## Fix
    *Add hypothesis* appends a pending experiment with the change and a prediction for the
    card's metric, and puts the cursor on its hypothesis. For a seed-only change, *Record as
    replicate* appends a `kind: replicate` entry instead: it needs no hypothesis, and its
    result joins the spread that measures the state's run-to-run noise.
    """

    code = "PB102"
    name = "unrecorded-change"
    severity = Severity.INFO
    VALID = [Example({"train.py": _SCRIPT.format(lr="0.001", batch=32), "experiments.yaml": _LOG})]
    INVALID = [Example({"train.py": _SCRIPT.format(lr="3e-4", batch=32), "experiments.yaml": _LOG}, expect=(("train.py", 3),))]

    def check(self, ctx) -> Iterable[Finding]:
        for script in ctx.scripts:
            comparison = ctx.comparisons[script.path]
            if comparison.pending is not None or not (len(comparison.changed) == 1 or only_seeds_changed(comparison)):
                continue
            if only_seeds_changed(comparison):
                parent = comparison.last_with_result.id
                fixes = [record_replicate_fix(ctx, script, comparison), add_hypothesis_fix(ctx, script, comparison)]
                for item in comparison.changed:
                    hp = item.hyperparameter
                    message = (
                        f"{hp.name} changed ({_show(item.parent_value)} → {_show(item.new_value)}) and nothing else since {parent}: "
                        f"record the run as a replicate of {parent} — the spread of replicates is the seed noise results are judged against"
                    )
                    yield self.finding(item.path, hp.span, message, fixes)
                continue
            item = comparison.changed[0]
            hp = item.hyperparameter
            message = f"{hp.name} changed ({_show(item.parent_value)} → {_show(item.new_value)}) with no hypothesis recorded for the run"
            yield self.finding(item.path, hp.span, message, [add_hypothesis_fix(ctx, script, comparison)])


@register
class EntryChangesSeveralVariables(Rule):
    """A log entry changes more than one variable.

    ## What it does
    Reports an `experiment` (or baseline) entry whose `change` names more than one
    variable. Proof-of-concept entries (`kind: poc`) may change several.

    ## Why is this bad?
    The verdict of such an entry can't say which change caused the difference.

    ## Example
    ```yaml
    - id: e2
      kind: experiment
      change: {lr: [0.001, 0.0003], dropout: [0.1, 0.3]}
    ```

    ## Fix
    *Split into entries* (for an entry without a result) keeps the first change and adds one
    pending entry per other change.
    """

    code = "PB103"
    name = "entry-changes-several-variables"
    severity = Severity.WARNING
    VALID = [Example({"experiments.yaml": _LOG + "- id: p1\n  kind: poc\n  change: {LR: [0.001, 0.01], BATCH: [32, 64]}\n"})]
    INVALID = [Example({"experiments.yaml": _LOG + "- id: e1\n  kind: experiment\n  hypothesis: x\n  change: {LR: [0.001, 0.01], BATCH: [32, 64]}\n"}, expect=(("experiments.yaml", 8),))]

    def check(self, ctx) -> Iterable[Finding]:
        if ctx.log is None:
            return
        for item in ctx.log.entries:
            entry = item.entry
            if entry is None or entry.kind == "poc" or not entry.change or len(entry.change) < 2 or changes_only_seeds(entry.change):
                continue  # several seeds at once still only re-run the state
            names = list(entry.change)
            fixes = []
            if not entry.result:
                fixes.append(self._split_fix(ctx, item, names))
            message = f"entry {entry.id} changes {len(names)} variables ({', '.join(names)}): its verdict can't say which one mattered"
            yield self.finding(ctx.log_path, item.span_of("change"), message, fixes)

    def _split_fix(self, ctx, item, names: list[str]) -> Fix:
        from paribus.core.actions.fixes import next_id, render_entry

        entry = item.entry
        log_text = ctx.project.read(ctx.log_path) or ""
        keep = {names[0]: list(entry.change[names[0]])}
        first = set_entry_key(ctx.log_path, log_text, item.span, item.key_spans.get("change"), item.value_spans.get("change"), "change", keep)
        ids = [other.id for other in ctx.log.entries]
        previous = entry.id
        added = ""
        for name in names[1:]:
            new_id = next_id(ids, "e")
            ids.append(new_id)
            added += render_entry({"id": new_id, "kind": entry.kind, "parent": previous, "change": {name: list(entry.change[name])}, "hypothesis": None})
            previous = new_id
        end_line = item.span.end_line if item.span.end_column == 1 else item.span.end_line + 1
        return Fix("Split into one entry per change", (first, TextEdit(ctx.log_path, Span.point(end_line, 1), added)))


@register
class PendingEntryDisagrees(Rule):
    """The pending entry's `change` is not what the script changed.

    ## What it does
    Compares the `change` of the pending entry (no result yet) with the variables that
    differ between the script and the latest result's state.

    ## Why is this bad?
    The run will be recorded under a hypothesis about a different change: its verdict
    would be about the wrong variable.

    ## Example
    The pending entry says `change: {LR: [0.001, 0.0003]}` but the script changed `BATCH`.

    ## Fix
    *Update entry from script* rewrites the entry's `change` to what the script holds.
    """

    code = "PB104"
    name = "pending-entry-disagrees"
    severity = Severity.WARNING
    _PENDING = "- id: e1\n  kind: experiment\n  hypothesis: faster\n  change: {LR: [0.001, 0.0003]}\n"
    VALID = [Example({"train.py": _SCRIPT.format(lr="3e-4", batch=32), "experiments.yaml": _LOG + _PENDING})]
    INVALID = [
        Example({"train.py": _SCRIPT.format(lr="0.001", batch=64), "experiments.yaml": _LOG + _PENDING}, expect=(("train.py", 4), ("experiments.yaml", 8))),
    ]

    def check(self, ctx) -> Iterable[Finding]:
        if ctx.log is None:
            return
        for script in ctx.scripts:
            comparison = ctx.comparisons[script.path]
            pending = comparison.pending
            if pending is None or comparison.pending_agrees():
                continue
            item = ctx.log.by_id(pending.id)
            actual = {c.state_name: [c.parent_value, c.new_value] for c in comparison.changed}
            recorded = ", ".join(pending.change or {}) or "nothing"
            changed = ", ".join(actual) or "nothing"
            log_text = ctx.project.read(ctx.log_path) or ""
            update = Fix(
                f"Update entry {pending.id} from script",
                (set_entry_key(ctx.log_path, log_text, item.span, item.key_spans.get("change"), item.value_spans.get("change"), "change", actual),),
                preferred=True,
            )
            message = f"pending entry {pending.id} records a change of {recorded}, but {self._script_name(ctx, script)} changes {changed}"
            yield self.finding(ctx.log_path, item.span_of("change"), message, [update])
            if comparison.changed:
                first = comparison.changed[0]
                yield self.finding(first.path, first.hyperparameter.span, message, [update])

    @staticmethod
    def _script_name(ctx, script) -> str:
        return ctx.project.relative(script.path)


def _show(value) -> str:
    return format_value(value, ".yaml")
