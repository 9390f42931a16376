"""PB201, PB202, PB206: every experiment says what it expects before it runs, and can measure it."""

from __future__ import annotations

from typing import Iterable

from paribus.core.actions.fixes import insert_entry_line
from paribus.core.judgement.findings import Finding, Fix, Severity
from paribus.core.judgement.noise import NoiseJudge
from paribus.core.judgement.rules.base import Example, Rule, register

_B1 = "- id: b1\n  kind: baseline\n  params: {lr: 0.1}\n  result: {val_acc: 0.7}\n"
_CARD = 'metric = { name = "val_acc", goal = "max", target = 0.9 }\n'


def _after(item, *keys):
    for key in keys:
        if key in item.key_spans:
            return item.value_spans.get(key, item.key_spans[key])
    return None


@register
class MissingHypothesis(Rule):
    """An experiment without a hypothesis.

    ## What it does
    Reports an `experiment` entry whose `hypothesis` is missing or empty.

    ## Why is this bad?
    Without a written expectation every result looks plausible afterwards; the hypothesis is
    what the run tests, and what the next decision builds on.

    ## Example
    ```yaml
    - id: e2
      kind: experiment
      change: {lr: [0.001, 0.0003]}
    ```

    ## Fix
    *Add hypothesis* inserts `hypothesis:` and puts the cursor there.
    """

    code = "PB201"
    name = "missing-hypothesis"
    severity = Severity.WARNING
    VALID = [Example({"experiments.yaml": _B1 + "- id: e1\n  kind: experiment\n  hypothesis: Lower lr helps\n  change: {lr: [0.1, 0.01]}\n"})]
    INVALID = [
        Example({"experiments.yaml": _B1 + "- id: e1\n  kind: experiment\n  change: {lr: [0.1, 0.01]}\n"}, expect=(("experiments.yaml", 5),)),
        Example({"experiments.yaml": _B1 + "- id: e1\n  kind: experiment\n  hypothesis:\n"}, expect=(("experiments.yaml", 7),)),
    ]

    def check(self, ctx) -> Iterable[Finding]:
        if ctx.log is None:
            return
        for item in ctx.log.entries:
            entry = item.entry
            if entry is None or entry.kind != "experiment" or entry.hypothesis or NoiseJudge.of(ctx).is_replicate(entry):
                continue
            fixes = []
            if "hypothesis" in item.key_spans:
                message = f"experiment {entry.id} has an empty hypothesis: write what you expect and why"
            else:
                edit, cursor = insert_entry_line(ctx.log_path, item.span, _after(item, "change", "targets", "intervention", "kind"), "hypothesis: ")
                fixes.append(Fix("Add hypothesis", (edit,), show=(ctx.log_path, cursor), preferred=True))
                message = f"experiment {entry.id} has no hypothesis: write what you expect and why"
            yield self.finding(ctx.log_path, item.span_of("hypothesis"), message, fixes)


@register
class MissingPrediction(Rule):
    """An experiment without a prediction.

    ## What it does
    Reports an `experiment` entry with no `prediction` (`{metric, direction, by}`).

    ## Why is this bad?
    A prediction turns the hypothesis into something the result can confirm or refute; the
    verdict is computed from it.

    ## Example
    ```yaml
    - id: e2
      kind: experiment
      hypothesis: A lower learning rate stops the divergence.
    ```

    ## Fix
    *Add prediction* inserts one for the card's metric, in the direction of its goal.
    """

    code = "PB202"
    name = "missing-prediction"
    severity = Severity.INFO
    VALID = [Example({"experiments.yaml": _B1 + "- id: e1\n  kind: experiment\n  prediction: {metric: val_acc, direction: up}\n"})]
    INVALID = [Example({"experiments.yaml": _B1 + "- id: e1\n  kind: experiment\n  hypothesis: x\n", "paribus.toml": _CARD}, expect=(("experiments.yaml", 5),))]

    def check(self, ctx) -> Iterable[Finding]:
        if ctx.log is None:
            return
        metric = ctx.card.card.metric
        for item in ctx.log.entries:
            entry = item.entry
            if entry is None or entry.kind != "experiment" or entry.prediction is not None or NoiseJudge.of(ctx).is_replicate(entry):
                continue
            fixes = []
            if metric is not None:
                direction = "up" if metric.goal == "max" else "down"
                text = f"prediction: {{metric: {metric.name}, direction: {direction}, by: }}"
                edit, cursor = insert_entry_line(ctx.log_path, item.span, _after(item, "hypothesis", "change", "kind"), text)
                cursor = type(cursor)(cursor.line, cursor.column - 1, cursor.line, cursor.column - 1)
                fixes.append(Fix(f"Add prediction for {metric.name}", (edit,), show=(ctx.log_path, cursor)))
            yield self.finding(ctx.log_path, item.span_of("id"), f"experiment {entry.id} predicts nothing: add the expected effect on the metric", fixes)


@register
class UnmeasurablePrediction(Rule):
    """A predicted gain smaller than the dev set (and the seeds) can detect.

    ## What it does
    For a pending `experiment` (no result yet) whose `prediction` gives a size (`by`) for an
    `up` or `down` move, estimates the noise of the comparison its result will face — its
    parent's value on the same dev set, two runs evaluated separately, plus the spread of
    replicate runs where known (see PB205 for the sources) — and the smallest gain that
    comparison detects reliably: (1.96 + 0.84) standard errors, found by a two-sided 95 %
    test four times out of five (80 % power). Reports a `by` below it, with the dev-set size
    or number of seeds per state that would detect it.

    ## Why is this bad?
    An experiment whose predicted effect is smaller than the noise can't answer its question:
    whatever the run gives, the verdict will be inconclusive (or, worse, a lucky draw read as
    a confirmation). Before the run is the cheapest moment to notice: enlarge the dev set,
    plan replicate runs, or aim for a bigger effect.

    ## Example
    ```yaml
    - id: e2                      # 200 dev examples, b1 at val_acc 0.70
      kind: experiment
      parent: b1
      prediction: {metric: val_acc, direction: up, by: 0.005}   # detectable: ≈ 0.13
    ```

    ## Fix
    None automatic: enlarge the dev set to the size the message gives, plan that many seeds
    for each state, or predict (and aim for) a larger effect.
    """

    code = "PB206"
    name = "unmeasurable-prediction"
    severity = Severity.INFO
    _DEV_200 = 'metric = { name = "val_acc", goal = "max", dev_size = 200 }\n'
    _DEV_50000 = 'metric = { name = "val_acc", goal = "max", dev_size = 50000 }\n'
    _PENDING = "- id: e1\n  kind: experiment\n  parent: b1\n  change: {lr: [0.1, 0.01]}\n  prediction: {metric: val_acc, direction: up, by: 0.02}\n"
    VALID = [
        Example({"paribus.toml": _DEV_50000, "experiments.yaml": _B1 + _PENDING}),
        # Nothing tells the noise.
        Example({"experiments.yaml": _B1 + _PENDING}),
        # Run already: its verdict speaks (PB203, PB205).
        Example({"paribus.toml": _DEV_200, "experiments.yaml": _B1 + _PENDING + "  result: {val_acc: 0.71}\n"}),
    ]
    INVALID = [Example({"paribus.toml": _DEV_200, "experiments.yaml": _B1 + _PENDING}, expect=(("experiments.yaml", 9),))]

    def check(self, ctx) -> Iterable[Finding]:
        if ctx.log is None:
            return
        judge = NoiseJudge.of(ctx)
        for item in ctx.log.entries:
            entry = item.entry
            if entry is None or entry.kind != "experiment" or entry.result or judge.is_replicate(entry):
                continue
            plan = judge.plan(entry)
            if plan is None or plan.by >= plan.detectable:
                continue
            metric = entry.prediction.metric
            message = (
                f"{entry.id} predicts a {plan.by:g} {'gain' if entry.prediction.direction == 'up' else 'drop'} in {metric}, "
                f"which is not measurable {plan.noise.described()} (±{plan.half_width:.3g}; the smallest change found reliably "
                f"is {plan.detectable:.3g}): {plan.advice}"
            )
            yield self.finding(ctx.log_path, item.span_of("prediction"), message)
