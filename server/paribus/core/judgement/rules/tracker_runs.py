"""PB204 / PB207: the runs a tracker already holds belong in the log."""

from __future__ import annotations

from typing import Iterable

from paribus.core.judgement.findings import Finding, Fix, Severity, TextEdit
from paribus.core.judgement.rules.base import Example, Rule, register
from paribus.core.positions import Span
from paribus.core.trackers import TITLES

_HYDRA_RUN = "outputs/2026-11-21/10-04-55/"
_RUN_FILES = {
    _HYDRA_RUN + ".hydra/config.yaml": "optimizer:\n  lr: 0.0003\nbatch_size: 32\n",
    _HYDRA_RUN + "metrics.json": '{"val_loss": 1.92}\n',
}
_LOG = "- id: b1\n  kind: baseline\n  params: {optimizer.lr: 0.001, batch_size: 32}\n  result: {val_loss: 2.1}\n"
_PENDING = "- id: e1\n  kind: experiment\n  hypothesis: A lower rate stops the loss from bouncing.\n  change: {optimizer.lr: [0.001, 0.0003]}\n"


def _unimported(ctx) -> dict[str, list]:
    """Per tracker kind, its finished runs with metrics whose source the log doesn't name."""
    def compute() -> dict[str, list]:
        known = {str(item.raw["source"]) for item in (ctx.log.entries if ctx.log else []) if item.raw.get("source")}
        return {kind: [run for run in scan.runs if run.metrics and run.source not in known] for kind, scan in ctx.project.tracker_scans().items()}

    return ctx.memo("unimported-runs", compute)


@register
class ResultFromTrackerRun(Rule):
    """A pending entry has no result, but a tracker holds the run it planned.

    ## What it does
    Compares the state of each entry without a result (its parent's state plus its `change`)
    with the finished runs of MLflow, W&B, Hydra and DVC that the log does not name yet, and
    reports the entry when a run ran exactly that state.

    ## Why is this bad?
    The result exists, only not where the hypothesis is: until it is recorded the verdict is
    missing and the next decision is made without it.

    ## Example
    `e1` changes `optimizer.lr` to `0.0003`; Hydra's `outputs/2026-11-21/10-04-55` ran with
    `optimizer.lr: 0.0003` and wrote `val_loss: 1.92`.

    ## Fix
    *Fill result from run* writes the run's metrics as the entry's `result` (with the verdict
    its prediction implies) and its `source`, so it is never imported a second time.
    """

    code = "PB204"
    name = "result-from-tracker-run"
    severity = Severity.INFO
    VALID = [Example({"experiments.yaml": _LOG + _PENDING})]
    INVALID = [Example({"experiments.yaml": _LOG + _PENDING, **_RUN_FILES}, expect=(("experiments.yaml", 5),))]

    def check(self, ctx) -> Iterable[Finding]:
        if ctx.log is None:
            return
        runs = [run for found in _unimported(ctx).values() for run in found]
        if not runs:
            return
        from paribus.core.actions.import_runs import matching_run  # writes YAML: loaded when a run is there

        for item in ctx.log.entries:
            entry = item.entry
            if entry is None or not entry.is_pending:
                continue
            run = matching_run(ctx.states.get(entry.id, {}), runs)
            if run is None:
                continue
            when = f" on {run.started.astimezone().date().isoformat()}" if run.started else ""
            message = f"{entry.id} has no result, but {TITLES[run.kind]} run {run.run_id}{when} ran its state: fill it from the run"
            fix = Fix("Fill result from run", build=lambda entry_id=entry.id, run=run: _fill_fix(ctx, entry_id, run), preferred=True)
            yield self.finding(ctx.log_path, item.span_of("id"), message, [fix])


def _fill_fix(ctx, entry_id: str, run) -> Fix:
    from paribus.core.actions.import_runs import fill_from_run

    text = ctx.project.read(ctx.log_path) or ""
    whole = Span(1, 1, len(text.split("\n")) + 1, 1)
    return Fix("Fill result from run", (TextEdit(ctx.log_path, whole, fill_from_run(text, entry_id, run)),), preferred=True)


@register
class RunsNotInLog(Rule):
    """A tracker holds finished runs the log doesn't have.

    ## What it does
    Counts the finished runs in `mlruns/`, `mlflow.db`, `wandb/`, Hydra's `outputs/` and
    `multirun/`, and DVC's metrics (working tree and git history) whose `source` no log
    entry names, and reports them on the log (or the card when there is no log yet).

    ## Why is this bad?
    Runs outside the log are history Paribus can't compare with: a script is judged against
    an older result, and changes of several things at once go unseen.

    ## Example
    `mlruns/` holds four finished runs; `experiments.yaml` has none of them.

    ## Fix
    *Import N runs from MLflow* appends them in run order — the first a baseline, each later
    one an experiment changing what differs from its nearest earlier run — in one edit.
    """

    code = "PB207"
    name = "runs-not-in-log"
    severity = Severity.INFO
    VALID = [Example({"experiments.yaml": _LOG})]
    INVALID = [Example({"experiments.yaml": _LOG, **_RUN_FILES}, expect=(("experiments.yaml", 1),))]

    def check(self, ctx) -> Iterable[Finding]:
        where = ctx.log_path if ctx.log is not None else ctx.card.path
        if where is None:
            return
        span = Span.point(1) if ctx.log is not None else ctx.card.key_span("log")
        for kind, runs in _unimported(ctx).items():
            if not runs:
                continue
            title = f"Import {len(runs)} run{'s' if len(runs) != 1 else ''} from {TITLES[kind]}"
            message = f"{len(runs)} finished {TITLES[kind]} run{'s are' if len(runs) != 1 else ' is'} not in the log: import {'them' if len(runs) != 1 else 'it'} to compare the scripts with their history"
            fix = Fix(title, build=lambda runs=runs, title=title: _import_fix(ctx, runs, title))
            yield self.finding(where, span, message, [fix])


def _import_fix(ctx, runs: list, title: str) -> Fix:
    from paribus.core.actions.import_runs import plan_import
    from paribus.core.actions.record_run import entries_edit

    text = ctx.project.read(ctx.log_path)
    plan = plan_import(runs, text)
    edit = entries_edit(ctx.log_path, text, [entry.fields for entry in plan.entries])
    return Fix(title, (edit,), show=(ctx.log_path, Span.point(max(1, (text or "").count("\n") + 1))))
