"""PB1xx: one change at a time, each recorded before the run."""

from __future__ import annotations

import ast
import re
from typing import Iterable

from paribus.core.actions.fixes import format_value, insert_lines_after, set_entry_key
from paribus.core.judgement.findings import Finding, Fix, Severity, TextEdit
from paribus.core.judgement.rules.base import Example, Rule, register
from paribus.core.judgement.rules.entry_fixes import add_hypothesis_fix, record_poc_fix
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
            if len(comparison.changed) < 2 or (comparison.pending and comparison.pending.kind == "poc"):
                continue
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

    ## Fix
    *Add hypothesis* appends a pending experiment with the change and a prediction for the
    card's metric, and puts the cursor on its hypothesis.
    """

    code = "PB102"
    name = "unrecorded-change"
    severity = Severity.INFO
    VALID = [Example({"train.py": _SCRIPT.format(lr="0.001", batch=32), "experiments.yaml": _LOG})]
    INVALID = [Example({"train.py": _SCRIPT.format(lr="3e-4", batch=32), "experiments.yaml": _LOG}, expect=(("train.py", 3),))]

    def check(self, ctx) -> Iterable[Finding]:
        for script in ctx.scripts:
            comparison = ctx.comparisons[script.path]
            if len(comparison.changed) != 1 or comparison.pending is not None:
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
            if entry is None or entry.kind == "poc" or not entry.change or len(entry.change) < 2:
                continue
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


# Calls that seed each framework; a framework-wide seeder (Lightning, transformers) seeds all.
_SEEDERS = {
    "random": {"seed"},
    "numpy": {"seed", "default_rng", "RandomState"},
    "torch": {"manual_seed", "manual_seed_all"},
    "tensorflow": {"set_seed"},
}
_SEED_ALL = {"seed_everything", "set_seed", "set_random_seed", "seed_all", "fix_seed", "set_seeds", "seed_torch", "set_global_seed"}
_SEEDING_NAMES = _SEED_ALL.union(*_SEEDERS.values())
# Statements that can't hold these words are never parsed for PB105 (see ScriptView.per_chunk).
_SEEDING_NAME = re.compile("|".join(sorted(_SEEDING_NAMES)))
_IMPORT = re.compile(r"\bimport\b")
_SEED_LINES = {
    "random": "{alias}.seed(SEED)",
    "numpy": "{alias}.random.seed(SEED)",
    "torch": "{alias}.manual_seed(SEED)",
    "tensorflow": "{alias}.random.set_seed(SEED)",
}


@register
class UnseededRandomness(Rule):
    """Randomness is not seeded, so run-to-run noise confounds comparisons.

    ## What it does
    Reports a training script that imports `random`, `numpy`, `torch` or `tensorflow` and
    never seeds it (`random.seed`, `np.random.seed`/`default_rng(seed)`, `torch.manual_seed`,
    `tf.random.set_seed`, or a seed-everything helper).

    ## Why is this bad?
    Unseeded runs differ by chance alone: a 1-point gain may be noise, and one change at a
    time means nothing if the second "change" is the random seed.

    ## Example
    ```python
    import torch
    model = torch.nn.Linear(10, 2)   # initialised differently on every run
    ```

    ## Fix
    *Seed random generators* inserts `SEED = 0` and one seeding call per imported library
    after the imports.
    """

    code = "PB105"
    name = "unseeded-randomness"
    severity = Severity.WARNING
    VALID = [Example({"train.py": "import random\nimport numpy as np\nrandom.seed(0)\nnp.random.seed(0)\n"})]
    INVALID = [Example({"train.py": "import numpy as np\nimport torch\n\ntorch.manual_seed(1)\nx = np.random.rand(3)\n"}, expect=(("train.py", 1),))]

    def check(self, ctx) -> Iterable[Finding]:
        for script in ctx.scripts:
            imported: dict[str, tuple[str, int]] = {}
            for offset, found in script.per_chunk("pb105-imports", _imported_frameworks, mentions=_IMPORT):
                for name, (alias, line) in found.items():
                    imported.setdefault(name, (alias, line + offset))
            if not imported:
                continue
            calls = [call for _, found in script.per_chunk("pb105-calls", _seed_calls, mentions=_SEEDING_NAME) for call in found]
            if any(called in _SEED_ALL for _, called in calls):
                continue
            by_alias = {alias: name for name, (alias, _) in imported.items()}
            seeded = {by_alias[root] for root, called in calls if root in by_alias and called in _SEEDERS[by_alias[root]]}
            unseeded = {name: spot for name, spot in imported.items() if name not in seeded}
            if not unseeded:
                continue
            first_line = min(line for _, line in unseeded.values())
            names = ", ".join(sorted(unseeded))
            message = f"{names} not seeded: run-to-run noise will confound comparisons between runs"
            fix = Fix("Seed random generators", build=lambda script=script, unseeded=unseeded: _seed_fix(script, script.tree, unseeded), preferred=True)
            yield self.finding(script.path, Span.of_line(first_line, script.line(first_line)), message, [fix])


def _imported_frameworks(tree: ast.Module) -> dict[str, tuple[str, int]]:
    found: dict[str, tuple[str, int]] = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                root = alias.name.split(".")[0]
                if root in _SEEDERS and alias.name == root and root not in found:
                    found[root] = (alias.asname or root, node.lineno)
    return found


def _seed_calls(tree: ast.Module) -> list[tuple[str | None, str]]:
    """(root name, called name) of every call that could seed: `np.random.seed(0)` → ("np", "seed")."""
    calls = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name):
            if func.id in _SEEDING_NAMES:
                calls.append((None, func.id))
        elif isinstance(func, ast.Attribute) and func.attr in _SEEDING_NAMES:
            if func.attr == "default_rng" and not (node.args or node.keywords):
                continue  # an unseeded generator
            root = func.value
            while isinstance(root, ast.Attribute):
                root = root.value
            calls.append((root.id if isinstance(root, ast.Name) else None, func.attr))
    return calls


def _seed_fix(script, tree: ast.Module, unseeded: dict[str, tuple[str, int]]) -> Fix:
    last_import = max(node.end_lineno for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom)))
    has_seed = any(
        isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "SEED" for t in node.targets) for node in tree.body
    )
    lines = [] if has_seed else ["", "SEED = 0  # fixed so that runs differ only by what the log says changed"]
    lines += [_SEED_LINES[name].format(alias=alias) for name, (alias, _) in sorted(unseeded.items())]
    return Fix("Seed random generators", (insert_lines_after(script.path, last_import, "\n".join(lines) + "\n"),), preferred=True)


def _show(value) -> str:
    return format_value(value, ".yaml")
