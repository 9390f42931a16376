"""PB203, PB205: every result is compared with the prediction it was run to test, beyond the noise."""

from __future__ import annotations

from typing import Iterable

from paribus.core.judgement.findings import Finding, Fix, Severity, TextEdit
from paribus.core.judgement.rules.base import Example, Rule, register
from paribus.core.judgement.noise import NoiseJudge
from paribus.core.positions import Span

_B1 = "- id: b1\n  kind: baseline\n  params: {lr: 0.1}\n  result: {val_acc: 0.70}\n"
_DEV_200 = 'metric = { name = "val_acc", goal = "max", dev_size = 200 }\n'
_DEV_5000 = 'metric = { name = "val_acc", goal = "max", dev_size = 5000 }\n'


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


def _predicted(prediction) -> str:
    return f"predicted {prediction.direction}" + (f" by {abs(prediction.by):g}" if prediction.by else "")


def _movement(prediction, comparison) -> str:
    """"val_f1 0.58 → 0.66 (+0.080 ± 0.130 on 500 dev examples), predicted up by 0.05"."""
    if comparison is None:
        return _predicted(prediction)
    return f"{comparison.values_text()} ({comparison.difference_text()}), {_predicted(prediction)}"


def judged_entries(ctx) -> list[tuple]:
    """(log item, entry, comparison with its parent, computed verdict) for each experiment or
    POC with a prediction and a result; replicates are left out (they predict nothing).
    Computed once per check: PB203 and PB205 both read it."""
    return ctx.memo("judged entries", lambda: list(_judged(ctx)))


def _judged(ctx):
    if ctx.log is None:
        return
    judge = NoiseJudge.of(ctx)
    for item in ctx.log.entries:
        entry = item.entry
        if entry is None or entry.kind not in ("experiment", "poc") or entry.prediction is None or not entry.result:
            continue
        if judge.is_replicate(entry):
            continue
        comparison = judge.comparison(entry, entry.prediction.metric)
        computed = comparison.verdict(entry.prediction) if comparison is not None else "inconclusive"
        yield item, entry, comparison, computed


def within_noise(entry, comparison, computed: str) -> bool:
    """A written confirmed/refuted that only the noise makes inconclusive: PB205's case."""
    return computed == "inconclusive" and entry.verdict in ("confirmed", "refuted") and comparison is not None and comparison.noise is not None


def replace_verdict(ctx, item, computed: str) -> TextEdit:
    # A valid verdict is a one-word scalar, so its value span is on one line.
    value_span = item.value_spans.get("verdict") or item.span_of("verdict")
    return TextEdit(ctx.log_path, value_span, computed)


@register
class VerdictMissingOrContradicting(Rule):
    """A result without a verdict, or with one its numbers contradict.

    ## What it does
    For an `experiment` or `poc` entry with a `prediction` and a `result`, computes the
    verdict: the metric's movement from the parent's result (the parent is `parent`, else
    the previous baseline/experiment; a state with replicate runs counts as the mean of its
    runs) against the prediction, beyond the noise of the difference — see PB205 for where
    the noise comes from. `confirmed` needs the 95 % interval of the movement on the
    predicted side of zero and reaching the predicted size; `refuted` needs it clearly on the
    other side, or clearly short of the predicted size; anything else is `inconclusive`.
    Reports an entry with no `verdict`, and one whose `verdict` differs from the computed
    one (a `confirmed` or `refuted` that only the noise makes inconclusive is PB205's).
    When the numbers can't tell (the parent has no result, or either result lacks the
    predicted metric) a written verdict is left alone and a missing one is computed as
    `inconclusive`. Replicates (runs that change only the seed) have no verdict to check.

    ## Why is this bad?
    The verdict closes the loop of hypothesis → prediction → result: it is what the next
    decision builds on. Written by hand after the fact it drifts towards what one hoped —
    a rise of 0.01 recorded as "confirmed" for a predicted 0.05.

    ## Example
    ```yaml
    - id: e1
      kind: experiment
      parent: b1                    # b1: val_acc 0.70, on 5,000 dev examples
      prediction: {metric: val_acc, direction: up, by: 0.05}
      result: {val_acc: 0.71}
      verdict: confirmed            # the numbers say refuted: +0.010 ± 0.018 misses 0.05
    ```

    ## Fix
    *Set verdict to refuted* writes the computed verdict (adding `verdict:` when missing).
    """

    code = "PB203"
    name = "verdict-missing-or-contradicting"
    severity = Severity.INFO
    VALID = [
        Example({"experiments.yaml": _B1 + _experiment("confirmed")}),
        # The parent has no result: the numbers can't tell.
        Example({"experiments.yaml": "- id: b1\n  kind: baseline\n" + _experiment("confirmed")}),
        Example({"experiments.yaml": _B1 + _experiment(None).replace("  result: {val_acc: 0.76}\n", "")}),
        # Within the noise of 200 dev examples: PB205's finding, not this one.
        Example({"paribus.toml": _DEV_200, "experiments.yaml": _B1 + _experiment("confirmed", 0.72)}),
    ]
    INVALID = [
        Example({"experiments.yaml": _B1 + _experiment(None)}, expect=(("experiments.yaml", 9),)),
        Example({"experiments.yaml": _B1 + _experiment("confirmed", 0.71)}, expect=(("experiments.yaml", 10),)),
        # 5,000 dev examples: +0.01 ± 0.018 clearly misses the predicted 0.05.
        Example({"paribus.toml": _DEV_5000, "experiments.yaml": _B1 + _experiment("confirmed", 0.71)}, expect=(("experiments.yaml", 10),)),
    ]

    def check(self, ctx) -> Iterable[Finding]:
        for item, entry, comparison, computed in judged_entries(ctx):
            if entry.verdict == computed or within_noise(entry, comparison, computed):
                continue
            prediction = entry.prediction
            movement = _movement(prediction, comparison)
            if entry.verdict is None:
                fix = Fix(f"Set verdict to {computed}", build=lambda item=item, computed=computed: self._add_verdict(ctx, item, computed), preferred=True)
                if comparison is not None:
                    message = f"{entry.kind} {entry.id} has a result but no verdict: the numbers say {computed} ({movement})"
                else:
                    parent = NoiseJudge.of(ctx).parent_of(entry)
                    message = f"{entry.kind} {entry.id} has a result but no verdict, and its numbers can't tell ({_why_unknown(parent, prediction.metric, entry)}): {computed}"
                yield self.finding(ctx.log_path, item.span_of("result"), message, [fix])
            elif comparison is not None:
                fix = Fix(f"Set verdict to {computed}", (replace_verdict(ctx, item, computed),), preferred=True)
                message = f"{entry.kind} {entry.id} says {entry.verdict}, but the numbers say {computed}: {movement}"
                yield self.finding(ctx.log_path, item.span_of("verdict"), message, [fix])

    @staticmethod
    def _add_verdict(ctx, item, computed: str) -> Fix:
        edit, cursor = add_entry_line(ctx.log_path, ctx.log.text, item, f"verdict: {computed}")
        return Fix(f"Set verdict to {computed}", (edit,), show=(ctx.log_path, cursor), preferred=True)


@register
class VerdictWithinNoise(Rule):
    """A `confirmed` or `refuted` verdict on a difference that is within the noise.

    ## What it does
    Reports an `experiment` or `poc` whose written `verdict` is `confirmed` or `refuted`
    while the 95 % interval of its movement from the parent is too wide to say either: it
    holds zero, or both zero and the predicted size. The message gives the interval and what
    would resolve it — how many dev examples, or how many runs (seeds) of each state.

    What is estimated, and from what (the noise of the *difference* between two results):
    - **dev-set sampling**: the dev-set size comes from the run's own predictions file, else
      the card's `predictions` file (its dev rows), else the card's `metric.dev_size`, else
      `n_dev` (or `n`) in the result. Accuracy-like metrics have the binomial standard error
      √(p(1 − p)/n); F1, balanced accuracy, ROC AUC … are bootstrapped (2,000 resamples,
      seeded) from the predictions; other metrics in [0, 1] get the binomial error at their
      value as a rough stand-in. Two separate evaluations add their variances — cautious,
      since runs on the same examples usually make many of the same errors.
    - **paired predictions**: when both runs kept per-example predictions (a `predictions:`
      key on each entry, or `run_predictions = "runs/{id}/predictions.csv"` in the card),
      they are compared on the same examples — McNemar's test for accuracy (the standard
      error √(b + c)/n from the b and c examples only one of them gets right), a paired
      bootstrap otherwise. This replaces the unpaired dev-set noise.
    - **seed noise**: the spread (sample standard deviation) of a state's replicates — runs
      that differ only in the seed — and, for a state without replicates, of the nearest
      state it was built on that has some. Comparing the means of k₁ and k₂ runs adds
      s²(1/k₁ + 1/k₂); with few runs the interval uses Student's t (Welch–Satterthwaite
      degrees of freedom), so two or three replicates give the wide interval they deserve.
    - assumptions: dev examples are independent draws from the population; the sources are
      independent; the runs compared were evaluated on the same dev set.

    ## Why is this bad?
    "Confirmed" on a difference smaller than the noise is a coin flip written down as a
    finding: the next decisions build on an effect that may not exist. A +0.01 gain on 200
    dev examples, or one smaller than the spread between seeds, says nothing either way.

    ## Example
    ```yaml
    - id: e1                      # 200 dev examples (metric.dev_size in the card)
      kind: experiment
      parent: b1                  # b1: val_acc 0.70
      prediction: {metric: val_acc, direction: up}
      result: {val_acc: 0.72}     # +0.020 ± 0.089: within the noise
      verdict: confirmed
    ```

    ## Fix
    *Set verdict to inconclusive* writes the computed verdict. To get an answer: evaluate on
    more dev examples, keep per-example predictions of both runs, or add replicate runs.
    """

    code = "PB205"
    name = "verdict-within-noise"
    severity = Severity.WARNING
    _SEEDS = (
        "- id: r1\n  kind: replicate\n  parent: b1\n  change: {seed: [0, 1]}\n  result: {val_acc: 0.74}\n"
        "- id: r2\n  kind: replicate\n  parent: b1\n  change: {seed: [0, 2]}\n  result: {val_acc: 0.67}\n"
    )
    VALID = [
        # Nothing tells the noise: the numbers are taken as they are.
        Example({"experiments.yaml": _B1 + _experiment("confirmed")}),
        Example({"paribus.toml": _DEV_200, "experiments.yaml": _B1 + _experiment("inconclusive", 0.72)}),
        # 5,000 dev examples: +0.06 ± 0.018 is real.
        Example({"paribus.toml": _DEV_5000, "experiments.yaml": _B1 + _experiment("confirmed", 0.76)}),
    ]
    INVALID = [
        Example({"paribus.toml": _DEV_200, "experiments.yaml": _B1 + _experiment("confirmed", 0.72)}, expect=(("experiments.yaml", 10),)),
        # b1's three runs spread from 0.67 to 0.74: a single run at 0.76 is within it.
        Example({"experiments.yaml": _B1 + _SEEDS + _experiment("confirmed", 0.76)}, expect=(("experiments.yaml", 20),)),
    ]

    def check(self, ctx) -> Iterable[Finding]:
        for item, entry, comparison, computed in judged_entries(ctx):
            if not within_noise(entry, comparison, computed):
                continue
            fix = Fix(f"Set verdict to {computed}", (replace_verdict(ctx, item, computed),), preferred=True)
            message = (
                f"{entry.kind} {entry.id} says {entry.verdict}, but {comparison.values_text()} "
                f"({comparison.difference_text()}) is within the noise: {computed} ({_predicted(entry.prediction)}); "
                f"{comparison.resolution(entry.prediction)}"
            )
            yield self.finding(ctx.log_path, item.span_of("verdict"), message, [fix])


def _why_unknown(parent, metric: str, entry) -> str:
    if parent is None:
        return "no parent with a result"
    if not parent.result:
        return f"parent {parent.id} has no result"
    if _number(parent.result, metric) is None:
        return f"parent {parent.id}'s result has no {metric}"
    return f"the result has no {metric}"


def _number(mapping, key: str) -> float | None:
    value = (mapping or {}).get(key)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
