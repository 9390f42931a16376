"""PB5xx: a baseline before anything else."""

from __future__ import annotations

from typing import Iterable

from paribus.core.judgement.findings import Finding, Fix, Severity
from paribus.core.judgement.noise import NoiseJudge
from paribus.core.judgement.rules.base import Example, Rule, register


@register
class NoBaseline(Rule):
    """Experiments, but no baseline.

    ## What it does
    Reports the first `experiment` or `poc` entry of a log that has no `baseline` entry.

    ## Why is this bad?
    A baseline is an instrument: it measures how hard the problem is (above chance? how far
    from the target?) and is the state every experiment is compared with. Without it no
    change can be judged.

    ## Example
    ```yaml
    - id: e1
      kind: experiment
      change: {lr: [0.1, 0.01]}
    ```

    ## Fix
    *Scaffold baseline* writes the simplest model that fits the card's data type and logs it
    as the baseline.
    """

    code = "PB501"
    name = "no-baseline"
    severity = Severity.WARNING
    VALID = [Example({"experiments.yaml": "- id: b1\n  kind: baseline\n- id: e1\n  kind: experiment\n"})]
    INVALID = [Example({"experiments.yaml": "- id: x1\n  kind: exploration\n- id: e1\n  kind: experiment\n"}, expect=(("experiments.yaml", 3),))]

    def check(self, ctx) -> Iterable[Finding]:
        if ctx.log is None or any(entry.kind == "baseline" for entry in ctx.entries):
            return
        judge = NoiseJudge.of(ctx)
        for item in ctx.log.entries:
            if item.entry is not None and item.entry.kind in ("experiment", "poc") and not judge.is_replicate(item.entry):
                message = f"{item.entry.kind} {item.entry.id} has no baseline to be compared with: build a quick baseline first"
                yield self.finding(ctx.log_path, item.span_of("id"), message, [Fix("Scaffold baseline", build=lambda: _scaffold_fix(ctx))])
                return


def _scaffold_fix(ctx) -> Fix:
    from paribus.core.actions.scaffold import scaffold_fix  # templates and data readers: only when asked for

    return scaffold_fix(ctx)
