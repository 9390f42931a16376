"""Where the project stands in the diagnostic workflow, and what to do next.

The steps follow the methodology: describe → explore → baseline → error analysis →
choose the intervention (in priority order) → hypothesis and prediction → run and compare.
Each step has a state (done / attention / todo), the entries or files that prove it, and
the actions that move it on. Renderers (HTML, text) and the CLI's JSON all read this model.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from paribus.core.judgement.chance import ChanceJudgement, chance_level, judge_chance
from paribus.core.judgement.interventions import (  # noqa: F401 (re-exported)
    PRIORITY,
    PRIORITY_TEXT,
    TRAIN_SIZE_NAMES,
    is_data_category,
)
from paribus.core.extract import normalize_value
from paribus.core.extract.values import finite_number
from paribus.core.judgement.noise import NoiseJudge
from paribus.core.model.log import Entry
from paribus.core.model.project import CheckContext, Project

StepState = Literal["done", "attention", "todo"]



@dataclass
class Evidence:
    label: str
    path: str | None = None
    line: int | None = None


@dataclass
class Action:
    title: str
    command: str | None = None  # a paribus.* command the editor can run
    arguments: list[Any] = field(default_factory=list)
    path: str | None = None  # or a file to open
    line: int | None = None


@dataclass
class Step:
    key: str
    title: str
    state: StepState
    summary: str
    evidence: list[Evidence] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)


@dataclass
class TimelinePoint:
    id: str
    kind: str
    value: float | None
    change: str
    verdict: str | None
    date: str | None
    line: int | None
    noise: float | None = None  # this result ± noise: the half-width of its 95 % interval
    noise_source: str | None = None  # "on 500 dev examples, with the spread of 3 runs of b1 (sd 0.012)"
    replicate_of: str | None = None  # the state a replicate re-runs (drawn within that state's spread)
    runs: list[float] | None = None  # a state with replicates: the values of all its runs
    comparison: dict[str, Any] | None = None  # against the parent: movement ± noise and the computed verdict


@dataclass
class Recommendation:
    intervention: str | None  # one of PRIORITY, or a workflow step ("baseline", "error-analysis"…)
    title: str
    reasons: list[str]


@dataclass
class Workflow:
    root: str
    project: dict[str, Any]
    steps: list[Step]
    metric: dict[str, Any] | None
    chance: float | None
    timeline: list[TimelinePoint]
    error_analysis: dict[str, Any] | None
    predictions: dict[str, Any] | None
    bias_variance: dict[str, Any] | None
    learning_curve: dict[str, Any] | None
    poc: dict[str, Any]
    recommendation: Recommendation
    findings: list[dict[str, Any]]
    noise: dict[str, Any] = field(default_factory=dict)  # the dev-set size the noise is computed on, and from where

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def metric_value(entry: Entry, metric: str | None) -> float | None:
    if not entry.result or not metric:
        return None
    return entry.result.get(metric)


def change_text(entry: Entry) -> str:
    if entry.kind == "baseline":
        return "baseline"
    if not entry.change:
        return entry.intervention or entry.kind
    return ", ".join(f"{name} {_short(old)}→{_short(new)}" for name, (old, new) in entry.change.items())


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value).lower() if isinstance(value, bool) else str(value)


class _Builder:
    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.card = ctx.card.card
        self.entries = ctx.entries
        self.metric = self.card.metric.name if self.card.metric else None
        self.goal = self.card.metric.goal if self.card.metric else "max"
        self.log_rel = ctx.project.relative(ctx.log_path)
        self.lines = {item.id: item.span.line for item in (ctx.log.entries if ctx.log else [])}
        self.judge = NoiseJudge.of(ctx)

    def evidence(self, entry: Entry, label: str | None = None) -> Evidence:
        return Evidence(label or f"{entry.kind} {entry.id}", self.log_rel, self.lines.get(entry.id))

    # -- the pieces ------------------------------------------------------------------------
    def with_results(self) -> list[Entry]:
        """Results of states: a replicate's result belongs to the state it re-runs."""
        return [e for e in self.entries if e.has_state and e.result and not self.judge.is_replicate(e)]

    def last_result(self) -> Entry | None:
        results = self.with_results()
        return results[-1] if results else None

    def baseline(self) -> Entry | None:
        baselines = [e for e in self.entries if e.kind == "baseline"]
        with_result = [e for e in baselines if e.result]
        return (with_result or baselines or [None])[-1]

    def latest_error_analysis(self) -> Entry | None:
        analyses = [e for e in self.entries if e.kind == "error-analysis"]
        return analyses[-1] if analyses else None

    def analysed_since_last_result(self) -> bool:
        last = self.last_result()
        if last is None:
            return False
        after = self.entries[self.entries.index(last) + 1 :]
        return any(e.kind == "error-analysis" for e in after)

    def chance(self) -> float | None:
        found = chance_level(self.ctx)
        return found[0] if found else None

    def predictions_analysis(self):
        if not self.card.predictions:
            return None
        return self.ctx.project.prediction_analysis(self.ctx.root / self.card.predictions)

    def chance_judgement(self, entry: Entry) -> ChanceJudgement | None:
        if metric_value(entry, self.metric) is None:
            return None
        return judge_chance(self.ctx, entry)

    def above_chance(self, entry: Entry) -> bool | None:
        judgement = self.chance_judgement(entry)
        return None if judgement is None else judgement.beyond

    def timeline_point(self, entry: Entry) -> TimelinePoint:
        point = TimelinePoint(entry.id, entry.kind, metric_value(entry, self.metric), change_text(entry), entry.verdict,
                              str(entry.date) if entry.date else None, self.lines.get(entry.id))
        if self.metric is None:
            return point
        if self.judge.is_replicate(entry):
            point.replicate_of = self.judge.origin(entry).id
        noise = self.judge.run_noise_of_value(entry, self.metric)
        if noise is not None:
            point.noise, point.noise_source = noise.half_width(), noise.described()
        if point.replicate_of is None and self.judge.replicates_of(entry):
            point.runs = [value for _, value in self.judge.runs(entry, self.metric)]
        comparison = self.judge.comparison(entry, entry.prediction.metric if entry.prediction else self.metric)
        if comparison is not None and entry.result:
            point.comparison = {
                "parent": comparison.parent_id, "metric": comparison.metric, "movement": comparison.movement,
                "noise": comparison.half_width, "text": f"{comparison.values_text()}: {comparison.difference_text()}",
                "verdict": comparison.verdict(entry.prediction) if entry.prediction is not None else None,
            }
        return point

    def bias_variance(self):
        last = self.last_result()
        if last is None or self.metric is None:
            return None
        from paribus.core.analysis import bias_variance

        return bias_variance(last.result, self.metric, self.goal, human_level=self.card.human_level, target=self.card.metric.target)

    def learning_curve(self):
        points = self.learning_points()
        if not points:
            return None
        from paribus.core.analysis import learning_curve

        target = self.card.metric.target if self.card.metric else None
        target_error = None if target is None else (1 - target if self.goal == "max" else target)
        return learning_curve(points, target_error)

    def learning_points(self) -> list[tuple[float, float | None, float]]:
        """Results that differ only in a training-set-size hyperparameter."""
        if self.metric is None:
            return []
        states = self.ctx.states
        results = self.with_results()
        for name in {n for e in results for n in states.get(e.id, {}) if TRAIN_SIZE_NAMES.search(n)}:
            groups: dict[tuple, list[Entry]] = {}
            for entry in results:
                state = states.get(entry.id, {})
                if name not in state:
                    continue
                rest = tuple(sorted((k, repr(v)) for k, v in state.items() if k != name))
                groups.setdefault(rest, []).append(entry)
            best = max(groups.values(), key=len, default=[])
            if len({repr(states[e.id][name]) for e in best}) >= 2:
                return [self._point(states[e.id][name], e) for e in best if self._point(states[e.id][name], e)]
        return []

    def _point(self, size: Any, entry: Entry):
        size = finite_number(normalize_value(size))
        if size is None or size <= 0:
            return None
        dev = metric_value(entry, self.metric)
        if dev is None:
            return None
        base = self.metric.split("_", 1)[1] if "_" in self.metric else self.metric
        train = entry.result.get(f"train_{base}")
        to_error = (lambda v: 1 - v) if self.goal == "max" else (lambda v: v)
        return (size, None if train is None else to_error(train), to_error(dev))


def build_workflow(project: Project, ctx: CheckContext | None = None, findings: list | None = None) -> Workflow:
    """The workflow of ``project``; ``findings`` are the check's on ``ctx`` when already made."""
    from paribus.core.judgement.check import run_rules

    ctx = ctx or project.context()
    b = _Builder(ctx)
    findings = run_rules(ctx) if findings is None else findings
    bias = _safe(ctx, "bias/variance", b.bias_variance)
    curve = _safe(ctx, "learning curve", b.learning_curve)
    analysis = _safe(ctx, "predictions analysis", b.predictions_analysis)
    recommendation = recommend(b, bias, analysis)
    steps = [
        _describe(b),
        _explore(b),
        _baseline(b),
        _error_analysis(b, analysis),
        _choose(b, recommendation),
        _hypothesis(b),
        _run_and_compare(b),
    ]
    ea = b.latest_error_analysis()
    error_analysis = None
    if ea is not None and ea.categories and examined_count(ea):
        from paribus.core.analysis import category_ceilings

        examined = examined_count(ea)
        parent = next((e for e in b.entries if e.id == ea.of), None)
        value = metric_value(parent, b.metric) if parent else None
        overall = None if value is None else (1 - value if b.goal == "max" else None)
        ceilings = category_ceilings(ea.categories, examined, overall)
        error_analysis = {"id": ea.id, "of": ea.of, "examined": ea.examined, "conclusion": ea.conclusion, "line": b.lines.get(ea.id), "ceilings": [c.to_json() for c in ceilings]}
    from paribus.core.analysis import poc_progress

    poc = poc_progress(sum(1 for e in b.entries if e.kind == "poc")).to_json()
    timeline = [b.timeline_point(e) for e in b.entries if e.has_state]
    dev_size = b.judge.dev_size()
    card = b.card
    return Workflow(
        root=str(ctx.root),
        project={
            "task": card.task, "inputs": card.inputs, "outputs": card.outputs, "status": card.status,
            "data": card.data.model_dump() if card.data else None,
            "card": ctx.project.relative(ctx.card.path) if ctx.card.path else None,
            "log": b.log_rel, "predictions": card.predictions,
        },
        steps=steps,
        metric=card.metric.model_dump() if card.metric else None,
        chance=b.chance(),
        timeline=timeline,
        error_analysis=error_analysis,
        predictions=analysis.to_json() if analysis is not None else None,
        bias_variance=bias.to_json() if bias is not None else None,
        learning_curve={**curve.to_json(), "points": [list(p) for p in b.learning_points()]} if curve is not None else None,
        noise={"confidence": 0.95, "dev_size": dev_size.n if dev_size else None, "dev_size_source": dev_size.source if dev_size else None},
        poc=poc,
        recommendation=recommendation,
        findings=[{**f.to_json(ctx.root)} for f in findings],
    )


def examined_count(ea: Entry) -> int:
    """The errors an analysis looked at: `examined`, else the sum of its counts (0: none)."""
    return ea.examined or sum(count for count in (ea.categories or {}).values() if count > 0)


def _safe(ctx: CheckContext, name: str, compute):
    from paribus.core.judgement.failures import report_failure

    try:
        return compute()
    except Exception as error:  # noqa: BLE001 - a failed analysis leaves its panel empty, never the page
        ctx.failures.append((f"workflow {name}", error))
        report_failure(f"workflow {name}", error)
        return None


def recommend(b: _Builder, bias, analysis) -> Recommendation:
    """The next move, in the methodology's order: each earlier gap blocks the later ones."""
    if not b.ctx.card.exists:
        return Recommendation("describe", "Describe the project in a card", ["Without the task and the metric no result can be judged."])
    baseline = b.baseline()
    if baseline is None or not baseline.result:
        return Recommendation("baseline", "Build a quick baseline", ["A baseline on 50–100 samples measures how hard the problem is."])
    if b.above_chance(baseline) is False:
        return Recommendation(
            "architecture", "Change the representation, not the data volume",
            [f"Baseline {baseline.id} is not above chance ({b.chance():g}): more data of the same representation won't help."],
        )
    if not b.analysed_since_last_result():
        last = b.last_result()
        return Recommendation("error-analysis", f"Look at what {last.id} gets wrong", ["Tag ≥ 50 misclassified dev examples; each category's share is its ceiling."])
    reasons: list[str] = []
    ea = b.latest_error_analysis()
    top = None
    if ea is not None and ea.categories and examined_count(ea):
        top = max(ea.categories.items(), key=lambda kv: kv[1])
        examined = examined_count(ea)
        reasons.append(f"Largest error category in {ea.id}: {top[0]} ({top[1]}/{examined} = {top[1] / examined:.0%} of errors).")
    if analysis is not None and getattr(analysis.verdict, "kind", None) == "targeted-data":
        reasons.extend(analysis.verdict.reasons)
        return Recommendation("data", "Collect targeted data for the failing classes", reasons)
    if top is not None and is_data_category(top[0]):
        return Recommendation("data", f"Fix the data for “{top[0]}” first", reasons + ["It is a data-quality category: priority 1."])
    dominant = getattr(bias, "dominant", None)
    if dominant == "bias":
        reasons.append(f"Avoidable bias {bias.avoidable_bias:.3f} dominates variance {bias.variance or 0:.3f}: more data won't help.")
        return Recommendation("hyperparameters", "Reduce bias: bigger model, train longer, tune the learning rate", reasons)
    if dominant == "variance":
        reasons.append(f"Variance {bias.variance:.3f} dominates avoidable bias {bias.avoidable_bias or 0:.3f}.")
        return Recommendation("data", "Reduce variance: more data, regularization, augmentation", reasons)
    if dominant == "data-mismatch":
        reasons.append("Dev data differs from training data more than anything else.")
        return Recommendation("data", "Make the training data look like the dev data", reasons)
    return Recommendation("hyperparameters", "Tune hyperparameters: learning rate and network size first", reasons or ["No larger gap is known: priority 2."])


def _describe(b: _Builder) -> Step:
    loaded = b.ctx.card
    if not loaded.exists:
        create = Action("Create project card", command="paribus.createCard", arguments=[{"root": str(b.ctx.root)}])
        return Step("describe", "Describe", "todo", "No project card: task, data and metric are unknown.", actions=[create])
    card_rel = b.ctx.project.relative(loaded.path)
    missing = loaded.card.missing_fields()
    evidence = [Evidence(f"card ({card_rel})", card_rel, loaded.header_line)]
    if missing:
        return Step("describe", "Describe", "attention", f"The card lacks {', '.join(missing)}.", evidence, [Action("Open the card", path=card_rel, line=loaded.header_line)])
    metric = loaded.card.metric
    target = f", target {metric.target:g}" if metric.target is not None else ""
    return Step("describe", "Describe", "done", f"{loaded.card.task} — {metric.goal} {metric.name}{target}.", evidence)


def _explore(b: _Builder) -> Step:
    explorations = [e for e in b.entries if e.kind == "exploration"]
    if explorations:
        e = explorations[-1]
        return Step("explore", "Explore the data", "done", e.conclusion or (getattr(e, "notes", None) or "Data explored."), [b.evidence(e)])
    state = "attention" if b.baseline() is not None else "todo"
    return Step("explore", "Explore the data", state, "Look at class balance, label errors and artifacts before trusting aggregate metrics.", actions=[Action("Open the log", path=b.log_rel)])


def _baseline(b: _Builder) -> Step:
    baseline = b.baseline()
    if baseline is None:
        return Step("baseline", "Baseline", "todo", "No baseline: build the simplest model on 50–100 samples.", actions=[Action("Scaffold baseline", command="paribus.scaffoldBaseline", arguments=[{"root": str(b.ctx.root)}])])
    if not baseline.result:
        return Step("baseline", "Baseline", "attention", f"Baseline {baseline.id} has no result yet: run it and record the result.", [b.evidence(baseline)])
    value = metric_value(baseline, b.metric)
    judgement = b.chance_judgement(baseline)
    if judgement is not None and not judgement.beyond:
        summary = f"{baseline.id}: {judgement.text()} — change the representation or features, not the data volume."
        return Step("baseline", "Baseline", "attention", summary, [b.evidence(baseline)])
    if judgement is not None and judgement.test is not None:
        return Step("baseline", "Baseline", "done", f"{baseline.id}: {judgement.text()}.", [b.evidence(baseline)])
    shown = f"{b.metric} {value:g}" if value is not None else "result recorded"
    chance = b.chance()
    versus = f" vs chance {chance:g}" if chance is not None else ""
    return Step("baseline", "Baseline", "done", f"{baseline.id}: {shown}{versus}.", [b.evidence(baseline)])


def _error_analysis(b: _Builder, analysis) -> Step:
    last = b.last_result()
    ea = b.latest_error_analysis()
    evidence = [b.evidence(ea)] if ea else []
    if b.card.predictions:
        evidence.append(Evidence(f"predictions ({b.card.predictions})", b.card.predictions))
    if last is None:
        return Step("error-analysis", "Error analysis", "todo", "Needs a result to analyse.", evidence)
    if not b.analysed_since_last_result():
        return Step("error-analysis", "Error analysis", "attention", f"No error analysis of {last.id}: tag ≥ 50 misclassified dev examples.", evidence,
                    [Action("Add error-analysis entry", command="paribus.addErrorAnalysis", arguments=[{"root": str(b.ctx.root)}])])
    summary = f"{ea.id}: examined {ea.examined or '?'} errors of {ea.of}."
    if ea.examined is not None and ea.examined < 50:
        summary += " Fewer than 50 examples: the shares are rough."
        return Step("error-analysis", "Error analysis", "attention", summary, evidence)
    return Step("error-analysis", "Error analysis", "done", summary, evidence)


def _choose(b: _Builder, recommendation: Recommendation) -> Step:
    experiments = [e for e in b.entries if e.kind == "experiment"]
    if recommendation.intervention not in PRIORITY:
        return Step("choose", "Choose the intervention", "todo", "Comes after the error analysis.")
    latest = experiments[-1] if experiments else None
    summary = f"Recommended: {recommendation.title} (priority {PRIORITY.index(recommendation.intervention) + 1})."
    if latest is not None and latest.is_pending and latest.intervention and latest.intervention != recommendation.intervention:
        return Step("choose", "Choose the intervention", "attention", summary + f" Pending {latest.id} is a {latest.intervention} change.", [b.evidence(latest)])
    state: StepState = "done" if latest is not None and latest.is_pending else "todo"
    return Step("choose", "Choose the intervention", state, summary, [b.evidence(latest)] if latest and latest.is_pending else [])


def _hypothesis(b: _Builder) -> Step:
    unrecorded = [(p, c) for p, c in b.ctx.comparisons.items() if c.changed and c.pending is None]
    pending = [e for e in b.entries if e.is_pending and e.kind == "experiment"]
    if unrecorded:
        path, comparison = unrecorded[0]
        rel = b.ctx.project.relative(path)
        names = ", ".join(comparison.changed_names)
        state: StepState = "attention"
        summary = f"{rel} changes {names} with no entry saying why" + (" — and that is more than one variable." if len(comparison.changed) > 1 else ".")
        first = comparison.changed[0].hyperparameter.span.line
        return Step("hypothesis", "Hypothesis and prediction", state, summary, [Evidence(rel, rel, first)], [Action("Open the script", path=rel, line=first)])
    if pending:
        e = pending[-1]
        if not e.hypothesis or e.prediction is None:
            return Step("hypothesis", "Hypothesis and prediction", "attention", f"{e.id} lacks its {'hypothesis' if not e.hypothesis else 'prediction'}.", [b.evidence(e)])
        return Step("hypothesis", "Hypothesis and prediction", "done", f"{e.id}: {e.hypothesis}", [b.evidence(e)])
    return Step("hypothesis", "Hypothesis and prediction", "todo", "Change one variable, after writing what you expect.")


def _run_and_compare(b: _Builder) -> Step:
    experiments = [e for e in b.entries if e.kind == "experiment" and not b.judge.is_replicate(e)]
    if not experiments:
        return Step("run", "Run and compare", "todo", "No experiment yet.")
    latest = experiments[-1]
    if latest.is_pending:
        return Step("run", "Run and compare", "todo", f"Run {latest.id} and record its result.", [b.evidence(latest)])
    if latest.verdict is None:
        return Step("run", "Run and compare", "attention", f"{latest.id} has a result but no verdict against its prediction.", [b.evidence(latest)])
    comparison = b.judge.comparison(latest, latest.prediction.metric if latest.prediction else b.metric)
    if comparison is None:
        value = metric_value(latest, b.metric)
        shown = f" ({b.metric} {value:g})" if value is not None else ""
        return Step("run", "Run and compare", "done", f"{latest.id}: {latest.verdict}{shown}.", [b.evidence(latest)])
    numbers = f"{comparison.values_text()}: {comparison.difference_text()}"
    computed = comparison.verdict(latest.prediction) if latest.prediction is not None else latest.verdict
    if computed != latest.verdict:
        return Step("run", "Run and compare", "attention", f"{latest.id} says {latest.verdict}, but {numbers} says {computed}.", [b.evidence(latest)])
    return Step("run", "Run and compare", "done", f"{latest.id}: {latest.verdict} ({numbers}).", [b.evidence(latest)])
