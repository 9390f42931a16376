"""PB0xx: the project card that makes every other finding specific."""

from __future__ import annotations

from typing import Iterable

from paribus.core.actions.fixes import end_of
from paribus.core.judgement.findings import Finding, Fix, Severity, TextEdit
from paribus.core.judgement.reach import entry_facts
from paribus.core.judgement.rules.base import Example, Rule, register
from paribus.core.model.card import CARD_FILE, PYPROJECT
from paribus.core.positions import Span, text_lines

CARD_TEMPLATE = """\
# Paribus project card: what this project is, so every finding can be specific.
task = ""          # the exact task, e.g. "Detect atrial fibrillation in 30 s single-lead ECG"
inputs = ""        # what the model sees, e.g. "30 s ECG, 250 Hz"
outputs = ""       # what it predicts, e.g. "AF | normal | other | noisy"
data = { type = "", volume = "", quirks = [] }   # type: tabular | text | image | audio | timeseries | biosignal | other
status = "greenfield"                            # greenfield | baseline | iterating
metric = { name = "val_acc", goal = "max", target = 0.9 }
log = "experiments.yaml"
"""

FIELD_TEMPLATES = {
    "task": 'task = ""',
    "inputs": 'inputs = ""',
    "outputs": 'outputs = ""',
    "data": 'data = { type = "", volume = "", quirks = [] }',
    "status": 'status = "greenfield"   # greenfield | baseline | iterating',
    "metric": 'metric = { name = "val_acc", goal = "max", target = 0.9 }',
}

_GOOD_CARD = CARD_TEMPLATE.replace('task = ""', 'task = "Detect AF"').replace('inputs = ""', 'inputs = "ECG"').replace(
    'outputs = ""', 'outputs = "AF | normal"'
).replace('data = { type = "", volume = "", quirks = [] }', 'data = { type = "biosignal", volume = "420 recordings" }')


def create_card_fix(root) -> Fix:
    """A `paribus.toml` drafted from what the folder shows (data type, volume, chance)."""
    from paribus.core.actions.init_project import init_project

    card_path = root / CARD_FILE
    try:
        text = init_project(root)
    except OSError:
        text = CARD_TEMPLATE
    return Fix("Create project card", (TextEdit(card_path, Span.point(1), text, create=True),), show=(card_path, Span.point(1)), preferred=True)


@register
class NoProjectCard(Rule):
    """No project card: Paribus doesn't know the task, the metric or where the log is.

    ## What it does
    Reports a project with training scripts but neither a `paribus.toml` nor a
    `[tool.paribus]` table in `pyproject.toml` — once, on its first line of the main entry
    script (one named on the command line, else the shallowest script that runs as a program).

    ## Why is this bad?
    The methodology starts by describing the problem: the exact task, the data situation and
    the one optimizing metric with its target. Without them no result can be judged against
    a goal or against chance, and every later decision is made by intuition.

    ## Example
    A folder with `train.py` and nothing else.

    ## Fix
    *Create project card* writes a `paribus.toml` with every field to fill in.
    """

    code = "PB001"
    name = "no-project-card"
    severity = Severity.INFO
    VALID = [Example({"train.py": "LR = 0.1\n", "paribus.toml": _GOOD_CARD})]
    INVALID = [
        Example({"train.py": "LR = 0.1\n"}, expect=(("train.py", 1),)),
        # One finding per project, on the entry script rather than the library module.
        Example({"trainer.py": "def fit():\n    pass\n", "tools/train_lm.py": "from trainer import fit\n\nfit()\n", "tools/train_cls.py": "if __name__ == '__main__':\n    pass\n"}, expect=(("train_cls.py", 1),)),
    ]

    def check(self, ctx) -> Iterable[Finding]:
        if ctx.card.exists or not ctx.scripts:
            return
        script = min(ctx.scripts, key=lambda script: self._rank(ctx, script))
        fix = Fix("Create project card", build=lambda: create_card_fix(ctx.root), preferred=True)
        yield self.finding(script.path, Span.of_line(1, script.line(1)), "No project card: describe the task, data and metric in paribus.toml", [fix])

    @staticmethod
    def _rank(ctx, script) -> tuple:
        relative = ctx.project.relative(script.path)
        is_entry = script.path.suffix == ".py" and entry_facts(ctx, script).is_entry
        return (script.path not in ctx.requested_scripts, not is_entry, relative.count("/"), relative)


@register
class IncompleteProjectCard(Rule):
    """The project card misses a field the diagnosis needs, or holds one of the wrong type.

    ## What it does
    Reports a card without `task`, `inputs`, `outputs`, `data`, `status` or `metric`, and
    card fields whose value has the wrong type (they are ignored until fixed).

    ## Why is this bad?
    Each field drives a part of the workflow: the metric and its target judge every result,
    the data type picks the baseline, the status tells whether a baseline is due.

    ## Example
    ```toml
    [tool.paribus]
    task = "Detect AF"
    metric = { name = "val_f1", goal = "maximize" }   # goal must be max or min
    ```

    ## Fix
    *Add missing fields* inserts each missing key with a placeholder to fill in.
    """

    code = "PB002"
    name = "incomplete-project-card"
    severity = Severity.INFO
    VALID = [Example({"paribus.toml": _GOOD_CARD})]
    INVALID = [
        Example({"paribus.toml": 'task = "Detect AF"\n'}, expect=(("paribus.toml", 1),)),
        Example({"paribus.toml": _GOOD_CARD.replace('goal = "max"', 'goal = "maximize"')}, expect=(("paribus.toml", 7),)),
    ]

    def check(self, ctx) -> Iterable[Finding]:
        loaded = ctx.card
        if not loaded.exists:
            return
        for problem in loaded.problems:
            yield self.finding(loaded.path, problem.span, problem.message, severity=Severity.WARNING)
        if any("not valid TOML" in problem.message for problem in loaded.problems):
            return
        # A field dropped for its type already has its own finding.
        missing = [name for name in loaded.card.missing_fields() if not any(p.message.startswith(f"card field `{name}") for p in loaded.problems)]
        if not missing:
            return
        lines = text_lines(loaded.text)
        header = lines[loaded.header_line - 1] if lines else ""
        span = Span.of_line(loaded.header_line, header)
        insert_after = loaded.header_line if loaded.path.name == PYPROJECT else len(lines)
        new_text = "".join(FIELD_TEMPLATES[name] + "\n" for name in missing)
        if loaded.path.name != PYPROJECT and loaded.text and not loaded.text.endswith("\n"):
            new_text = "\n" + new_text
        where = Span.point(insert_after + 1, 1) if loaded.path.name == PYPROJECT else end_of(loaded.text)
        edit = TextEdit(loaded.path, where, new_text)
        fix = Fix("Add missing card fields", (edit,))
        yield self.finding(loaded.path, span, f"Project card lacks {', '.join(missing)}", [fix])

