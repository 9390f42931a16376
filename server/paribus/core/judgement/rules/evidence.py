"""PB302–PB305: enough evidence behind each decision — examples looked at, predictions kept,
the data explored, and the largest error category addressed first."""

from __future__ import annotations

import ast
import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from paribus.core.actions.fixes import next_id, render_entry, today
from paribus.core.extract.python_source import walk
from paribus.core.judgement.findings import Finding, Fix, Severity, TextEdit
from paribus.core.judgement.rules.base import Example, Rule, register
from paribus.core.model.log import Entry
from paribus.core.model.state import resolve_parents
from paribus.core.positions import Span

ROUGH_EXAMINED = 20
GOOD_EXAMINED = 50
# A category must hold this many times the targeted one's errors to call the target small:
# a near tie is a fair choice on cost.
LARGER_FACTOR = 1.5
DEFAULT_PREDICTIONS_PATH = "runs/latest/predictions.csv"

_B1 = "- id: b1\n  kind: baseline\n  params: {lr: 0.1}\n  result: {val_acc: 0.7}\n"


# -- the diagnosis an experiment was chosen from ---------------------------------------------


@dataclass(frozen=True)
class Diagnosis:
    """An error analysis as it stood when an experiment was chosen."""

    analysis: Entry
    examined: int
    remaining: dict[str, int]  # categories not yet targeted by an experiment since the analysis

    def shown(self, category: str) -> str:
        count = self.remaining[category]
        return f"{category} ({count}/{self.examined} = {count / self.examined:.0%})"

    def largest(self) -> tuple[str, int] | None:
        if not self.remaining:
            return None
        return max(self.remaining.items(), key=lambda kv: (kv[1], kv[0]))


_SEPARATORS = re.compile(r"[\s_-]+")


@lru_cache(maxsize=4096)
def normalized(name: str) -> str:
    """Category names compare without case or separator differences."""
    return _SEPARATORS.sub("-", name.strip().lower())


def targets_of(entry: Entry) -> list[str]:
    if isinstance(entry.targets, str):
        return [entry.targets] if entry.targets.strip() else []
    return [str(target) for target in entry.targets or [] if str(target).strip()]


class Diagnoses:
    """The error analysis behind every experiment, found in one pass over the log.

    For an entry it is the latest analysis before it of an entry in its parent chain (nearest
    ancestor first), else the latest analysis before it. Categories that experiments or POCs
    between that analysis and the entry already targeted are set aside.
    """

    def __init__(self, entries: list[Entry], parents: dict[str, str | None] | None = None) -> None:
        self.entries = entries
        self.parents = parents if parents is not None else resolve_parents(entries)
        self._analysis_at: dict[int, int] = {}  # entry position → position of its analysis
        self._targeted_at: dict[str, list[int]] = {}  # normalized category → positions targeting it
        latest_of: dict[str, int] = {}  # entry id → its latest analysis so far
        from_ancestors: dict[str, int | None] = {}  # entry id → its nearest ancestor's analysis, when it was written
        latest: int | None = None
        for position, entry in enumerate(entries):
            if entry.kind == "error-analysis" and _counts(entry):
                latest = position
                if entry.of is not None:
                    latest_of[entry.of] = position
            elif entry.has_state:
                parent = self.parents.get(entry.id)
                found = latest_of.get(parent) if parent in latest_of else from_ancestors.get(parent) if parent else None
                from_ancestors[entry.id] = found
                if found is not None or latest is not None:
                    self._analysis_at[position] = found if found is not None else latest
            if entry.kind in ("experiment", "poc"):
                for target in targets_of(entry):
                    self._targeted_at.setdefault(normalized(target), []).append(position)

    def _targeted_between(self, name: str, start: int, end: int) -> bool:
        positions = self._targeted_at.get(normalized(name), [])
        return bisect.bisect_right(positions, start) < bisect.bisect_left(positions, end)

    def before(self, position: int) -> Diagnosis | None:
        analysis_position = self._analysis_at.get(position)
        if analysis_position is None:
            return None
        analysis, examined, counts = self._analysis(analysis_position)
        remaining = {name: count for name, count in counts.items() if not self._targeted_between(name, analysis_position, position)}
        return Diagnosis(analysis, examined, remaining)

    def may_outweigh(self, position: int, targets: list[str]) -> bool:
        """A cheap bound: can any category of the entry's analysis outweigh its targets?"""
        analysis_position = self._analysis_at.get(position)
        if analysis_position is None:
            return False
        _, _, counts = self._analysis(analysis_position)
        wanted = {normalized(target) for target in targets}
        targeted = [count for name, count in counts.items() if normalized(name) in wanted]
        return bool(targeted) and max(counts.values()) >= LARGER_FACTOR * max(targeted)

    @lru_cache(maxsize=None)  # noqa: B019 - one Diagnoses lives for one check
    def _analysis(self, position: int) -> tuple[Entry, int, dict[str, int]]:
        analysis = self.entries[position]
        counts = _counts(analysis)
        examined = analysis.examined if analysis.examined and analysis.examined > 0 else sum(counts.values())
        return analysis, max(examined, max(counts.values())), counts


def _counts(analysis: Entry) -> dict[str, int]:
    return {name: count for name, count in (analysis.categories or {}).items() if isinstance(count, int) and count > 0}


# -- PB302 ------------------------------------------------------------------------------------


@register
class TooFewExamplesExamined(Rule):
    """An error analysis built on too few examples.

    ## What it does
    Reports an `error-analysis` entry whose `examined` count is below 20 (warning) or below
    50 (info). When `examined` is missing, the category counts are summed instead; fewer
    than 20 is reported (categories may overlap, so the sum is at most the examples seen).

    ## Why is this bad?
    Shares of a handful of examples are noise: with 12 examples one category at 5 and
    another at 3 say nothing about which is larger. About 20 give a rough picture, 50 a good
    one and 100 a very good one — and the shares are the ceilings the next intervention is
    chosen by.

    ## Example
    ```yaml
    - id: ea1
      kind: error-analysis
      of: b1
      examined: 12
      categories: {blurry: 7, dark: 5}
    ```

    ## Fix
    None automatic: tag more misclassified dev examples and update the counts.
    """

    code = "PB302"
    name = "too-few-examples-examined"
    severity = Severity.WARNING
    VALID = [
        Example({"experiments.yaml": _B1 + "- id: ea1\n  kind: error-analysis\n  of: b1\n  examined: 60\n  categories: {blurry: 40, dark: 20}\n"}),
        Example({"experiments.yaml": _B1 + "- id: ea1\n  kind: error-analysis\n  of: b1\n  categories: {blurry: 20, dark: 12}\n"}),
    ]
    INVALID = [
        Example({"experiments.yaml": _B1 + "- id: ea1\n  kind: error-analysis\n  of: b1\n  examined: 12\n  categories: {blurry: 7, dark: 5}\n"}, expect=(("experiments.yaml", 8),)),
        Example({"experiments.yaml": _B1 + "- id: ea1\n  kind: error-analysis\n  of: b1\n  examined: 30\n  categories: {blurry: 20, dark: 10}\n"}, expect=(("experiments.yaml", 8),)),
        Example({"experiments.yaml": _B1 + "- id: ea1\n  kind: error-analysis\n  of: b1\n  categories: {blurry: 9, dark: 4}\n"}, expect=(("experiments.yaml", 8),)),
    ]

    def check(self, ctx) -> Iterable[Finding]:
        if ctx.log is None:
            return
        for item in ctx.log.entries:
            entry = item.entry
            if entry is None or entry.kind != "error-analysis":
                continue
            if entry.examined is not None:
                if entry.examined >= GOOD_EXAMINED:
                    continue
                severity = Severity.WARNING if entry.examined < ROUGH_EXAMINED else Severity.INFO
                quality = "too few for shares to mean anything" if severity is Severity.WARNING else "the shares are rough"
                message = f"error analysis {entry.id} examined {entry.examined} examples: {quality}; look at ≥ {GOOD_EXAMINED} (~100 is very good)"
                yield self.finding(ctx.log_path, item.span_of("examined"), message, severity=severity)
            elif entry.categories:
                counted = sum(count for count in entry.categories.values() if isinstance(count, int))
                if counted < ROUGH_EXAMINED:
                    message = (
                        f"error analysis {entry.id} tags only {counted} examples and doesn't say how many it examined: "
                        f"look at ≥ {GOOD_EXAMINED} and record `examined`"
                    )
                    yield self.finding(ctx.log_path, item.span_of("categories"), message, severity=Severity.WARNING)


# -- PB303 ------------------------------------------------------------------------------------


@register
class TargetsSmallCategory(Rule):
    """An intervention aimed at a small error category while a much larger one is open.

    ## What it does
    For an `experiment` with `targets`, finds the error analysis it was chosen from (the
    latest one, written before it, of its nearest ancestor that has one; else the latest
    one before it) and
    reports it when another category holds at least 1.5 times as many errors as the
    targeted one. Categories that earlier experiments since that analysis already
    targeted are set aside; a target missing from the categories is not judged.

    ## Why is this bad?
    A category's share of the errors is the ceiling of what fixing it can gain. Working
    on a 15% category while another holds 37% caps the experiment at less than half of
    what is available — worth it only when the small one is much cheaper, and then worth
    saying so in the hypothesis.

    ## Example
    ```yaml
    - id: ea1
      kind: error-analysis
      examined: 60
      categories: {noisy-signal: 22, short-episode: 9}
    - id: e1
      kind: experiment
      targets: short-episode      # 15% ceiling while noisy-signal holds 37%
    ```

    ## Fix
    None automatic: target the larger category, or say in the hypothesis why the smaller one
    comes first.
    """

    code = "PB303"
    name = "targets-small-category"
    severity = Severity.INFO
    _EA = "- id: ea1\n  kind: error-analysis\n  of: b1\n  examined: 60\n  categories: {noisy-signal: 22, inverted-lead: 17, short-episode: 9}\n"
    VALID = [
        Example({"experiments.yaml": _B1 + _EA + "- id: e1\n  kind: experiment\n  intervention: data\n  targets: noisy-signal\n"}),
        # A near tie (17 vs 22) is a fair choice on cost.
        Example({"experiments.yaml": _B1 + _EA + "- id: e1\n  kind: experiment\n  intervention: data\n  targets: inverted-lead\n"}),
        # noisy-signal was targeted by e1 already: inverted-lead is the largest one left.
        Example({"experiments.yaml": _B1 + _EA + "- id: e1\n  kind: experiment\n  targets: noisy-signal\n  result: {val_acc: 0.8}\n- id: e2\n  kind: experiment\n  targets: inverted-lead\n"}),
    ]
    INVALID = [
        Example({"experiments.yaml": _B1 + _EA + "- id: e1\n  kind: experiment\n  intervention: data\n  targets: short-episode\n"}, expect=(("experiments.yaml", 13),)),
    ]

    def check(self, ctx) -> Iterable[Finding]:
        if ctx.log is None:
            return
        diagnoses = ctx.memo("diagnoses", lambda: Diagnoses(ctx.entries, ctx.parents))
        position = {id(entry): index for index, entry in enumerate(ctx.entries)}
        for item in ctx.log.entries:
            entry = item.entry
            if entry is None or entry.kind != "experiment":
                continue
            targets = targets_of(entry)
            if not targets or not diagnoses.may_outweigh(position[id(entry)], targets):
                continue
            diagnosis = diagnoses.before(position[id(entry)])
            if diagnosis is None:
                continue
            by_name = {normalized(name): name for name in diagnosis.remaining}
            targeted = [by_name[normalized(t)] for t in targets if normalized(t) in by_name]
            if not targeted:
                continue
            best_target = max(targeted, key=lambda name: diagnosis.remaining[name])
            largest = diagnosis.largest()
            if largest is None or largest[0] in targeted or largest[1] < LARGER_FACTOR * diagnosis.remaining[best_target]:
                continue
            target_count, examined = diagnosis.remaining[best_target], diagnosis.examined
            message = (
                f"{entry.id} targets {best_target} ({target_count}/{examined} = {target_count / examined:.0%} ceiling) "
                f"while {largest[0]} holds {largest[1] / examined:.0%} ({largest[1]}/{examined}) in {diagnosis.analysis.id}: "
                f"fixing the larger category can gain more"
            )
            yield self.finding(ctx.log_path, item.span_of("targets"), message)


# -- PB304 ------------------------------------------------------------------------------------

_SAVE_METHODS = {
    "to_csv", "to_parquet", "to_json", "to_feather", "to_pickle", "savetxt", "save", "savez",
    "savez_compressed", "dump", "writerow", "writerows", "write", "write_csv", "write_parquet",
}
_PREDICTION_NAME = re.compile(r"pred", re.I)
_SAVER_NAME = re.compile(r"^(save|write|dump|log|export|store)_?\w*pred", re.I)
_FILE_LIKE = re.compile(r"(/|\.(csv|tsv|parquet|npy|npz|json|jsonl|txt|pkl|pickle|pt|feather)$)", re.I)


def _names_in(node: ast.AST) -> Iterable[str]:
    for child in walk(node):
        if isinstance(child, ast.Name):
            yield child.id
        elif isinstance(child, ast.Attribute):
            yield child.attr
        elif isinstance(child, ast.Constant) and isinstance(child.value, str):
            yield child.value


def saves_predictions(tree: ast.Module) -> bool:
    """Signs that a script writes per-example predictions somewhere (each needs "pred" written)."""
    for node in walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if _PREDICTION_NAME.search(node.value) and _FILE_LIKE.search(node.value.strip()):
                return True
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        called = function.attr if isinstance(function, ast.Attribute) else function.id if isinstance(function, ast.Name) else ""
        if _SAVER_NAME.search(called):
            return True
        if called in _SAVE_METHODS and any(_PREDICTION_NAME.search(name) for name in _names_in(node)):
            return True
    return False


def _pandas_alias(tree: ast.Module) -> str | None:
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "pandas":
                    return alias.asname or "pandas"
    return None


def _main_guard_line(tree: ast.Module, lines: list[str]) -> int | None:
    """The first line of a top-level ``if __name__ == "__main__":`` block (with comments above it)."""
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Compare):
            names = [n for n in ast.walk(node.test) if isinstance(n, ast.Name) and n.id == "__name__"]
            constants = [n for n in ast.walk(node.test) if isinstance(n, ast.Constant) and n.value == "__main__"]
            if names and constants:
                line = node.lineno
                while line > 1 and lines[line - 2].lstrip().startswith("#"):
                    line -= 1
                return line
    return None


def prediction_dump_snippet(function_name: str, path: str, pandas_alias: str | None) -> str:
    """A function writing ``id,label,pred,confidence``, and a commented call to adapt."""
    head = [
        "# Per-example predictions are what error analysis reads (Paribus PB304).",
        f"# Call {function_name}(...) where the dev predictions are computed, replacing the",
        "# PLACEHOLDER names below with your own variables.",
        f"def {function_name}(ids, labels, preds, confidences=None, path={path!r}):",
        '    """Write one row per dev example: id, label, pred, confidence."""',
        "    from pathlib import Path",
        "",
        "    Path(path).parent.mkdir(parents=True, exist_ok=True)",
        "    confidences = confidences if confidences is not None else [None] * len(ids)",
    ]
    if pandas_alias:
        body = [
            f"    {pandas_alias}.DataFrame({{\"id\": ids, \"label\": labels, \"pred\": preds, \"confidence\": confidences}}).to_csv(path, index=False)",
        ]
    else:
        body = [
            "    import csv",
            "",
            '    with open(path, "w", newline="") as out:',
            "        writer = csv.writer(out)",
            '        writer.writerow(["id", "label", "pred", "confidence"])',
            "        writer.writerows(zip(ids, labels, preds, confidences))",
        ]
    call = [
        "",
        "",
        f"# {function_name}(PLACEHOLDER_IDS, PLACEHOLDER_LABELS, PLACEHOLDER_PREDS, PLACEHOLDER_CONFIDENCES)",
    ]
    return "\n".join(head + body + call) + "\n"


def _function_name(tree: ast.Module) -> str:
    defined = {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    for name in ("save_predictions", "save_dev_predictions", "write_predictions_csv"):
        if name not in defined:
            return name
    return "paribus_save_predictions"


def prediction_dump_fix(ctx, script) -> Fix:
    tree = script.tree or ast.Module(body=[], type_ignores=[])  # a half-typed script: append at the end
    lines = script.text.split("\n")
    name = _function_name(tree)
    snippet = prediction_dump_snippet(name, ctx.card.card.predictions or DEFAULT_PREDICTIONS_PATH, _pandas_alias(tree))
    guard = _main_guard_line(tree, lines)
    if guard is not None:
        edit = TextEdit(script.path, Span.point(guard, 1), snippet + "\n\n")
        call_line = guard + snippet.count("\n") - 1
    else:
        body = script.text
        trailing_newlines = len(body) - len(body.rstrip("\n"))
        separator = "\n" * max(3 - trailing_newlines, 0) if body.strip() else ""
        last_line, last_column = len(lines), len(lines[-1]) + 1
        edit = TextEdit(script.path, Span.point(last_line, last_column), separator + snippet)
        call_line = last_line + separator.count("\n") + snippet.count("\n") - 1
    return Fix("Insert prediction dump", (edit,), show=(script.path, Span.point(call_line, 3)))


@register
class NoPredictionsSaved(Rule):
    """A training script that keeps no per-example predictions.

    ## What it does
    Reports a training script (the card's `scripts`, else `train*.py` or `train*.ipynb`) with no sign of
    writing per-example predictions — no call to `to_csv`, `savetxt`, `np.save`,
    `json.dump`, a csv writer … on something named `pred…`, no `save_predictions`-like
    function call, no file path containing "pred" — once the card names a `predictions`
    file or the log holds a result.

    ## Why is this bad?
    Error analysis needs the examples the model gets wrong. An aggregate metric says how
    much is wrong, never what: without `id,label,pred` per example there is nothing to tag,
    no per-class error and no category ceiling.

    ## Example
    ```python
    model.fit(x_train, y_train)
    print("val_acc", accuracy_score(y_dev, model.predict(x_dev)))   # and nothing kept
    ```

    ## Fix
    *Insert prediction dump* adds a `save_predictions(ids, labels, preds, confidences)`
    function (pandas when the script imports it, else the csv module) writing to the card's
    `predictions` path, before the `if __name__ == "__main__":` block or at the end, with a
    commented call whose PLACEHOLDER names you replace with your variables.
    """

    code = "PB304"
    name = "no-predictions-saved"
    severity = Severity.INFO
    _SCRIPT = "import numpy as np\n\nLR = 0.1\nmodel = fit(LR)\nprint(score(model))\n"
    VALID = [
        Example({"train.py": _SCRIPT + "np.save('runs/preds.npy', model.predict(x_dev))\n", "experiments.yaml": _B1}),
        Example({"train.py": _SCRIPT + "import pandas as pd\npd.DataFrame({'id': ids, 'pred': preds}).to_csv(OUT)\n", "experiments.yaml": _B1}),
        Example({"train.py": _SCRIPT + "save_predictions(ids, preds, OUT)\n", "experiments.yaml": _B1}),
        # No result yet and no predictions file named: nothing to analyse.
        Example({"train.py": _SCRIPT}),
    ]
    INVALID = [Example({"train.py": _SCRIPT, "experiments.yaml": _B1}, expect=(("train.py", 1),))]

    def check(self, ctx) -> Iterable[Finding]:
        if not ctx.scripts:
            return
        has_result = any(entry.has_state and entry.result for entry in ctx.entries)
        if not ctx.card.card.predictions and not has_result:
            return
        for script in ctx.scripts:
            if script.path.suffix != ".py" or not script.has_statements():
                continue  # nothing readable to judge
            if any(saves for _, saves in script.per_chunk("pb304-saves-predictions", saves_predictions, mentions=_PREDICTION_NAME)):
                continue
            message = f"{ctx.project.relative(script.path)} keeps no per-example predictions: error analysis needs `id,label,pred` for each dev example"
            fix = Fix("Insert prediction dump", build=lambda script=script: prediction_dump_fix(ctx, script))
            yield self.finding(script.path, Span.of_line(1, script.line(1)), message, [fix])


# -- PB305 ------------------------------------------------------------------------------------


def exploration_fix(ctx, item) -> Fix:
    """Insert an exploration entry before the baseline (above comments attached to it)."""
    lines = ctx.log.text.split("\n")
    dash_line = item.span.line
    dash_column = item.span.column - 2  # `- ` before the entry's first key
    line_text = lines[dash_line - 1] if dash_line <= len(lines) else ""
    if dash_column < 1 or line_text[dash_column - 1 : dash_column] != "-":
        dash_column = 1
    indent = " " * (dash_column - 1)
    insert_line = dash_line
    while insert_line > 1 and lines[insert_line - 2].lstrip().startswith("#"):
        insert_line -= 1
    fields = {"id": next_id([e.id for e in ctx.log.entries], "x"), "kind": "exploration", "date": today(), "conclusion": None}
    entry_lines = [indent + line for line in render_entry(fields).splitlines()]
    separated = insert_line > 1 and not lines[insert_line - 2].strip()
    text = "\n".join(entry_lines) + "\n" + ("\n" if separated else "")
    cursor = Span.point(insert_line + len(entry_lines) - 1, len(entry_lines[-1]) + 1)
    return Fix("Add exploration entry", (TextEdit(ctx.log_path, Span.point(insert_line, 1), text),), show=(ctx.log_path, cursor), preferred=True)


@register
class NoExplorationBeforeBaseline(Rule):
    """No data exploration before the baseline.

    ## What it does
    Reports the log's first `baseline` entry when no `exploration` entry comes before it.
    Later baselines are covered by the first one's exploration, and an exploration logged
    only after the baseline does not count: the baseline's numbers were read without it.

    ## Why is this bad?
    Aggregate metrics hide what the data is like: a 1:9 class imbalance makes 90% accuracy
    worthless, duplicated recordings leak between splits, inverted or mislabelled examples
    cap every model. A look at class balance, a few dozen examples per class and the
    obvious artifacts tells which metric to trust and what the baseline's errors will be.

    ## Example
    ```yaml
    - id: b1              # the first entry: nobody looked at the data
      kind: baseline
      result: {val_acc: 0.91}
    ```

    ## Fix
    *Add exploration entry* inserts an `exploration` entry before the baseline and puts the
    cursor on its `conclusion`.
    """

    code = "PB305"
    name = "no-exploration-before-baseline"
    severity = Severity.INFO
    VALID = [
        Example({"experiments.yaml": "- id: x1\n  kind: exploration\n  conclusion: balanced classes\n" + _B1}),
        Example({"experiments.yaml": "- id: e1\n  kind: experiment\n"}),
    ]
    INVALID = [
        Example({"experiments.yaml": _B1 + "- id: x1\n  kind: exploration\n" + _B1.replace("b1", "b2")}, expect=(("experiments.yaml", 1),)),
    ]

    def check(self, ctx) -> Iterable[Finding]:
        if ctx.log is None:
            return
        for item in ctx.log.entries:
            entry = item.entry
            if entry is None:
                continue
            if entry.kind == "exploration":
                return
            if entry.kind == "baseline":
                message = f"baseline {entry.id} has no data exploration before it: look at class balance, label errors and artifacts first"
                fix = Fix("Add exploration entry", build=lambda item=item: exploration_fix(ctx, item), preferred=True)
                yield self.finding(ctx.log_path, item.span_of("id"), message, [fix])
                return
