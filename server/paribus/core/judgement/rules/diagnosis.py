"""PB3xx: look at the errors before choosing what to change."""

from __future__ import annotations

from typing import Iterable

from paribus.core.actions.fixes import next_id, render_entry, today
from paribus.core.judgement.findings import Finding, Fix, Severity, TextEdit
from paribus.core.judgement.noise import NoiseJudge
from paribus.core.judgement.rules.base import Example, Rule, register
from paribus.core.positions import Span

_B1 = "- id: b1\n  kind: baseline\n  params: {lr: 0.1}\n  result: {val_acc: 0.7}\n"
_EA = "- id: ea1\n  kind: error-analysis\n  of: b1\n  examined: 50\n  categories: {blurry: 30, dark: 20}\n"
_E1 = "- id: e1\n  kind: experiment\n  hypothesis: x\n  change: {lr: [0.1, 0.01]}\n"


def error_analysis_fields(ctx, of: str) -> dict:
    """A new error-analysis entry, its categories pre-filled from the predictions when known."""
    fields = {"id": next_id([e.id for e in ctx.log.entries], "ea"), "kind": "error-analysis", "date": today(), "of": of}
    categories, tags, examined = ctx.suggested_categories()
    fields["examined"] = examined
    fields["categories"] = categories or None
    if tags:
        fields["tags"] = tags  # the same errors by tag column: another view, not more errors
    fields["conclusion"] = None
    return fields


def _error_analysis_builder(ctx, item, of: str):
    def build() -> Fix:
        text = render_entry(error_analysis_fields(ctx, of))
        edit = TextEdit(ctx.log_path, Span.point(item.span.line, 1), text)
        cursor = Span.point(item.span.line + len(text.splitlines()) - 1, len("  conclusion: ") + 1)
        return Fix("Add error-analysis entry", (edit,), show=(ctx.log_path, cursor))

    return build


@register
class InterventionWithoutErrorAnalysis(Rule):
    """An intervention with no error analysis since the last result.

    ## What it does
    Reports an `experiment` entry when an entry with a result comes before it and no
    `error-analysis` entry stands between that result and the experiment.

    ## Why is this bad?
    Without looking at the examples the model gets wrong, the next change is chosen from
    intuition or the latest paper. Counting error categories tells what fixing each one
    can gain at most — often that the favoured idea can't matter.

    ## Example
    ```yaml
    - id: b1
      kind: baseline
      result: {val_acc: 0.7}
    - id: e1            # chosen without looking at b1's errors
      kind: experiment
    ```

    ## Fix
    *Add error-analysis entry* inserts one before the experiment, its categories pre-filled
    from the predictions file when the card names one.
    """

    code = "PB301"
    name = "intervention-without-error-analysis"
    severity = Severity.WARNING
    VALID = [Example({"experiments.yaml": _B1 + _EA + _E1})]
    INVALID = [Example({"experiments.yaml": _B1 + _E1}, expect=(("experiments.yaml", 5),))]

    def check(self, ctx) -> Iterable[Finding]:
        if ctx.log is None:
            return
        judge = NoiseJudge.of(ctx)
        last_result: str | None = None
        analysed = False
        for item in ctx.log.entries:
            entry = item.entry
            if entry is None or judge.is_replicate(entry):
                continue  # a replicate re-runs a state: its errors are the state's, already analysed or not
            if entry.kind == "error-analysis":
                analysed = True
            elif entry.kind == "experiment" and last_result is not None and not analysed:
                fix = Fix("Add error-analysis entry", build=_error_analysis_builder(ctx, item, last_result))
                message = f"experiment {entry.id} was chosen with no error analysis of {last_result}: look at what it gets wrong first"
                yield self.finding(ctx.log_path, item.span_of("id"), message, [fix])
            if entry.has_state and entry.result:
                last_result = entry.id
                analysed = False
