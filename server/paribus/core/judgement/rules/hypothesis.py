"""PB2xx: every experiment says what it expects before it runs."""

from __future__ import annotations

from typing import Iterable

from paribus.core.actions.fixes import insert_entry_line
from paribus.core.judgement.findings import Finding, Fix, Severity
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
            if entry is None or entry.kind != "experiment" or entry.hypothesis:
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
            if entry is None or entry.kind != "experiment" or entry.prediction is not None:
                continue
            fixes = []
            if metric is not None:
                direction = "up" if metric.goal == "max" else "down"
                text = f"prediction: {{metric: {metric.name}, direction: {direction}, by: }}"
                edit, cursor = insert_entry_line(ctx.log_path, item.span, _after(item, "hypothesis", "change", "kind"), text)
                cursor = type(cursor)(cursor.line, cursor.column - 1, cursor.line, cursor.column - 1)
                fixes.append(Fix(f"Add prediction for {metric.name}", (edit,), show=(ctx.log_path, cursor)))
            yield self.finding(ctx.log_path, item.span_of("id"), f"experiment {entry.id} predicts nothing: add the expected effect on the metric", fixes)
