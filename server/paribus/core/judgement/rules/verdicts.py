"""PB203: every result is compared with the prediction it was run to test."""

from __future__ import annotations

from typing import Iterable

from paribus.core.judgement.findings import Finding, Fix, Severity, TextEdit
from paribus.core.judgement.rules.base import Example, Rule, register
from paribus.core.judgement.verdict import compute_verdict
from paribus.core.positions import Span

_B1 = "- id: b1\n  kind: baseline\n  params: {lr: 0.1}\n  result: {val_acc: 0.70}\n"


def _experiment(verdict: str | None, val_acc: float = 0.76) -> str:
    text = (
        "- id: e1\n  kind: experiment\n  change: {lr: [0.1, 0.01]}\n"
        "  prediction: {metric: val_acc, direction: up, by: 0.05}\n"
        f"  result: {{val_acc: {val_acc}}}\n"
    )
    return text + (f"  verdict: {verdict}\n" if verdict else "")


def entry_last_line(lines: list[str], item) -> int:
    """The entry's last line that holds content (not a blank or a comment before the next entry)."""
    last = item.span.end_line - 1 if item.span.end_column == 1 else item.span.end_line
    last = min(last, len(lines))
    for number in range(last, item.span.line, -1):
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return item.span.line


def add_entry_line(log_path, log_text: str, item, text: str) -> tuple[TextEdit, Span]:
    """Append ``key: value`` as the entry's last line, at its keys' indentation."""
    lines = log_text.split("\n")
    indent = " " * max(item.span.column - 1, 0)
    last = entry_last_line(lines, item)
    if last >= len(lines):  # the entry ends the file, which has no final newline
        edit = TextEdit(log_path, Span.point(last, len(lines[last - 1]) + 1), f"\n{indent}{text}")
    else:
        edit = TextEdit(log_path, Span.point(last + 1, 1), f"{indent}{text}\n")
    return edit, Span.point(last + 1, len(indent) + len(text) + 1)


def _movement(prediction, metric: str, before: float | None, after: float | None) -> str:
    predicted = f"predicted {prediction.direction}" + (f" by {abs(prediction.by):g}" if prediction.by else "")
    if before is None or after is None:
        return predicted
    return f"{metric} {before:g} → {after:g} ({after - before:+.3g}), {predicted}"


def _number(mapping, key: str) -> float | None:
    value = (mapping or {}).get(key)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


@register
class VerdictMissingOrContradicting(Rule):
    """A result without a verdict, or with one its numbers contradict.

    ## What it does
    For an `experiment` or `poc` entry with a `prediction` and a `result`, computes the
    verdict (the metric's movement from the parent's result against the prediction; the
    parent is `parent`, else the previous baseline/experiment). Reports an entry with no
    `verdict`, and one whose `verdict` differs from the computed one. When the numbers
    can't tell (the parent has no result, or either result lacks the predicted metric) a
    written verdict is left alone and a missing one is computed as `inconclusive`.

    ## Why is this bad?
    The verdict closes the loop of hypothesis → prediction → result: it is what the next
    decision builds on. Written by hand after the fact it drifts towards what one hoped —
    a rise of 0.01 recorded as "confirmed" for a predicted 0.05.

    ## Example
    ```yaml
    - id: e1
      kind: experiment
      parent: b1                    # b1: val_acc 0.70
      prediction: {metric: val_acc, direction: up, by: 0.05}
      result: {val_acc: 0.71}
      verdict: confirmed            # the numbers say refuted
    ```

    ## Fix
    *Set verdict to refuted* writes the computed verdict (adding `verdict:` when missing).
    """

    code = "PB203"
    name = "verdict-missing-or-contradicting"
    severity = Severity.INFO
    VALID = [
        Example({"experiments.yaml": _B1 + _experiment("confirmed")}),
        # The parent has no result: the numbers can't contradict what was written.
        Example({"experiments.yaml": "- id: b1\n  kind: baseline\n" + _experiment("confirmed")}),
        Example({"experiments.yaml": _B1 + _experiment(None).replace("  result: {val_acc: 0.76}\n", "")}),
    ]
    INVALID = [
        Example({"experiments.yaml": _B1 + _experiment(None)}, expect=(("experiments.yaml", 9),)),
        Example({"experiments.yaml": _B1 + _experiment("confirmed", 0.71)}, expect=(("experiments.yaml", 10),)),
    ]

    def check(self, ctx) -> Iterable[Finding]:
        if ctx.log is None:
            return
        by_id = {entry.id: entry for entry in ctx.entries if entry.has_state}
        parents = ctx.parents
        for item in ctx.log.entries:
            entry = item.entry
            if entry is None or entry.kind not in ("experiment", "poc") or entry.prediction is None or not entry.result:
                continue
            parent = by_id.get(parents.get(entry.id) or "")
            parent_result = parent.result if parent is not None and parent.id != entry.id else None
            prediction = entry.prediction
            computed = compute_verdict({"metric": prediction.metric, "direction": prediction.direction, "by": prediction.by}, parent_result, entry.result)
            if computed is None:
                continue
            if entry.verdict == computed:
                continue
            before, after = _number(parent_result, prediction.metric), _number(entry.result, prediction.metric)
            numbers_known = before is not None and after is not None
            movement = _movement(prediction, prediction.metric, before, after)
            if entry.verdict is None:
                fix = Fix(f"Set verdict to {computed}", build=lambda item=item, computed=computed: self._add_verdict(ctx, item, computed), preferred=True)
                if numbers_known:
                    message = f"{entry.kind} {entry.id} has a result but no verdict: the numbers say {computed} ({movement})"
                else:
                    message = f"{entry.kind} {entry.id} has a result but no verdict, and its numbers can't tell ({_why_unknown(parent, prediction.metric, before, after)}): {computed}"
                yield self.finding(ctx.log_path, item.span_of("result"), message, [fix])
            elif numbers_known:
                fix = Fix(f"Set verdict to {computed}", (self._replace_verdict(ctx, item, computed),), preferred=True)
                message = f"{entry.kind} {entry.id} says {entry.verdict}, but the numbers say {computed}: {movement}"
                yield self.finding(ctx.log_path, item.span_of("verdict"), message, [fix])

    @staticmethod
    def _add_verdict(ctx, item, computed: str) -> Fix:
        edit, cursor = add_entry_line(ctx.log_path, ctx.log.text, item, f"verdict: {computed}")
        return Fix(f"Set verdict to {computed}", (edit,), show=(ctx.log_path, cursor), preferred=True)

    @staticmethod
    def _replace_verdict(ctx, item, computed: str) -> TextEdit:
        # A valid verdict is a one-word scalar, so its value span is on one line.
        value_span = item.value_spans.get("verdict") or item.span_of("verdict")
        return TextEdit(ctx.log_path, value_span, computed)


def _why_unknown(parent, metric: str, before: float | None, after: float | None) -> str:
    if parent is None:
        return "no parent with a result"
    if not parent.result:
        return f"parent {parent.id} has no result"
    if before is None:
        return f"parent {parent.id}'s result has no {metric}"
    return f"the result has no {metric}"
