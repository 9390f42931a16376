"""How noisy each result is, and each comparison of a result with its parent's.

Three sources, added up as independent variances (``core/stats/noise.py``):

1. **Dev-set sampling** — another dev set of the same size would give another number. Its
   size is the number of dev rows in the run's own predictions file, else in the card's
   ``predictions`` file, else the card's ``metric.dev_size``, else ``n_dev`` (or ``n``) in the
   result. An accuracy-like metric has the binomial standard error √(p(1 − p)/n); a metric
   computable from predictions (F1, balanced accuracy, ROC AUC …) is bootstrapped from the
   run's predictions, else from the card's predictions file (runs of similar quality on the
   same dev set have similar noise); any other metric in [0, 1] gets the binomial error at its
   value as a rough stand-in. Two runs evaluated separately are compared with the sum of
   their variances — cautious, since runs on the same examples usually err together; for an
   accuracy-like metric both at the pooled share (the two-proportion z-test).
2. **Pairing** — when both runs kept per-example predictions (``predictions:`` on the entry,
   or the card's ``run_predictions`` pattern), they are compared on the same examples:
   McNemar for accuracy, a paired bootstrap otherwise. This replaces source 1 and is
   usually much tighter.
3. **Run-to-run (seed) noise** — the spread of a state's replicates (runs that differ only
   in the seed). A state without replicates shares the spread of the nearest state it was
   built on that has some. Comparing means of k₁ and k₂ runs adds s²(1/k₁ + 1/k₂), with the
   t distribution's wider quantiles for few runs.

The numbers compared are the recorded results (the mean of a state's runs when it has
replicates); predictions files only say how noisy they are. When no source applies the noise
is unknown and verdicts fall back to comparing the numbers as they are.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paribus.core.judgement.noise_results import (
    CONFIDENCE,
    POWER,
    RESULT_SIZE_KEYS,
    Comparison,
    DevSize,
    Plan,
    RunNoise,
    Sampling,
    ValueNoise,
    count_text,
    show_value,
)
from paribus.core.judgement.verdict import number
from paribus.core.model.replicates import replicate_origins
from paribus.core.model.state import entry_states, resolve_parents
from paribus.core.stats.distributions import normal_quantile
from paribus.core.stats.chance_test import ChanceTest, against_chance, proportion_against_chance
from paribus.core.stats.metrics import MetricSpec, metric_spec
from paribus.core.stats.noise import Component, Noise, Spread, dev_examples_to_reach, pooled_variance, runs_to_reach, z_for
from paribus.core.stats.proportions import standard_error

if TYPE_CHECKING:
    from paribus.core.model.card import Card
    from paribus.core.model.log import Entry
    from paribus.core.model.project import CheckContext, Project

# Comparisons that read no predictions file, kept across checks (a keystroke elsewhere in a long
# log re-judges every experiment) and keyed by every value ``_compare`` reads: see ``_known_key``.
_COMPARISONS_KEPT = 50_000
_comparisons: dict[tuple, Comparison | None] = {}

@dataclass
class NoiseJudge:
    """The noise of every result and comparison of one project, computed on demand."""

    project: Project
    card: Card
    entries: list[Entry]
    parents: dict[str, str | None] = field(default_factory=dict)
    states: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.parents = self.parents or resolve_parents(self.entries)
        self.states = self.states or entry_states(self.entries)
        self.by_id = {entry.id: entry for entry in self.entries if entry.has_state}
        self.origins = replicate_origins(self.entries, self.parents, self.states)
        self.groups: dict[str, list[Entry]] = {}
        for entry in self.entries:
            if entry.id in self.origins:
                self.groups.setdefault(self.origins[entry.id], []).append(entry)
        self._memo: dict[Any, Any] = {}

    @classmethod
    def of(cls, ctx: CheckContext) -> NoiseJudge:
        """The judge of a check, built once and shared by every rule."""
        return ctx.memo("noise", lambda: cls(ctx.project, ctx.card.card, ctx.entries, ctx.parents, ctx.states))

    # -- replicates ---------------------------------------------------------------------------
    def is_replicate(self, entry: Entry) -> bool:
        return self.origins.get(entry.id, entry.id) != entry.id

    def origin(self, entry: Entry) -> Entry:
        return self.by_id.get(self.origins.get(entry.id, entry.id), entry)

    def runs(self, entry: Entry, metric: str) -> list[tuple[Entry, float]]:
        """The entry's state's runs with a value on ``metric``: its origin and its replicates."""
        origin = self.origins.get(entry.id, entry.id)
        key = ("runs", origin, metric)
        if key not in self._memo:
            group = self.groups.get(origin, [entry])
            self._memo[key] = [(run, value) for run in group if (value := number((run.result or {}).get(metric))) is not None]
        return self._memo[key]

    def replicates_of(self, entry: Entry) -> list[Entry]:
        return [run for run in self.groups.get(entry.id, []) if run.id != entry.id]

    def _spreads(self, metric: str) -> dict[str, Spread]:
        """The states with at least two runs on ``metric``, by origin id (computed once)."""
        key = ("spreads", metric)
        if key not in self._memo:
            spreads = {}
            for origin, group in self.groups.items():
                values = tuple(value for run in group if (value := number((run.result or {}).get(metric))) is not None)
                if len(values) > 1:
                    spreads[origin] = Spread(values)
            self._memo[key] = spreads
        return self._memo[key]

    def _spread(self, origin_id: str, metric: str) -> Spread | None:
        return self._spreads(metric).get(origin_id)

    def run_noise(self, entries: list[Entry], metric: str) -> RunNoise | None:
        """The run-to-run variance pooled over these entries' states, else inherited from the
        nearest ancestor state that has replicates."""
        if not self._spreads(metric):
            return None  # no state has replicates on this metric: none to pool, none to inherit
        origins = list(dict.fromkeys(self.origins.get(entry.id, entry.id) for entry in entries))
        spreads = [(origin, spread) for origin in origins if (spread := self._spread(origin, metric))]
        if not spreads:
            ancestor = self._ancestor_with_spread(origins[0] if origins else None, metric)
            if ancestor is None:
                return None
            spreads = [ancestor]
        pooled = pooled_variance([spread for _, spread in spreads])
        if pooled is None:
            return None
        variance, df = pooled
        described = " and ".join(f"{spread.count} runs of {origin}" for origin, spread in spreads)
        return RunNoise(variance, df, f"the spread of {described} (sd {show_value(math.sqrt(variance), self.scale(metric))})")

    def _ancestor_with_spread(self, origin_id: str | None, metric: str) -> tuple[str, Spread] | None:
        """The nearest state above ``origin_id`` with replicates; each state's answer is kept,
        so a long chain of experiments is walked once."""
        spreads = self._spreads(metric)
        if not spreads or origin_id is None:
            return None
        found: dict[str, tuple[str, Spread] | None] = self._memo.setdefault(("ancestor", metric), {})
        path, current, answer = [], self.parents.get(origin_id), None
        while current and current in self.by_id and current not in path:
            current = self.origins.get(current, current)
            if current in found:
                answer = found[current]
                break
            path.append(current)
            if current in spreads:
                answer = (current, spreads[current])
                break
            current = self.parents.get(current)
        for state in path:
            found[state] = answer if state not in spreads else (state, spreads[state])
        return answer

    # -- dev-set sampling ---------------------------------------------------------------------
    def scale(self, metric: str) -> float:
        """100 when the log writes this bounded metric as a percentage."""
        key = ("scale", metric)
        if key not in self._memo:
            values = [value for entry in self.entries if (value := number((entry.result or {}).get(metric))) is not None]
            self._memo[key] = 100.0 if metric_spec(metric).bounded and any(1.0 < abs(v) <= 100.0 for v in values) else 1.0
        return self._memo[key]

    def _read(self, path: Path):
        from paribus.core.analysis import AnalysisError
        from paribus.core.analysis.dev_predictions import read_dev_predictions

        def load(path: Path):
            try:
                return read_dev_predictions(path)
            except (AnalysisError, ValueError, KeyError, IndexError):
                return None

        return self.project.by_file_stamp("dev-predictions", path, load)

    def predictions_path(self, entry: Entry) -> Path | None:
        """The run's own predictions: its `predictions:` key, else the card's `run_predictions`."""
        written = entry.predictions or (self.card.run_predictions.replace("{id}", entry.id) if self.card.run_predictions else None)
        return self.project.root / written if written else None

    def own_predictions(self, entry: Entry):
        if not entry.predictions and not self.card.run_predictions:
            return None
        key = ("own", entry.id)
        if key not in self._memo:
            path = self.predictions_path(entry)
            self._memo[key] = self._read(path) if path is not None else None
        return self._memo[key]

    def card_predictions(self):
        if ("card",) not in self._memo:
            self._memo[("card",)] = self._read(self.project.root / self.card.predictions) if self.card.predictions else None
        return self._memo[("card",)]

    def dev_size(self, entry: Entry | None = None) -> DevSize | None:
        key = ("dev size", entry.id if entry is not None else None)
        if key not in self._memo:
            self._memo[key] = self._dev_size(entry)
        return self._memo[key]

    def _dev_size(self, entry: Entry | None) -> DevSize | None:
        if entry is not None and (own := self.own_predictions(entry)) is not None and own.n:
            return DevSize(own.n, f"the dev rows of {self.project.relative(Path(own.path))}")
        shared = self.card_predictions()
        if shared is not None and shared.n:
            return DevSize(shared.n, f"the dev rows of {self.card.predictions}")
        if self.card.metric is not None and self.card.metric.dev_size:
            return DevSize(self.card.metric.dev_size, "metric.dev_size in the card")
        if entry is not None and entry.result:
            for key in RESULT_SIZE_KEYS:
                if key not in entry.result:
                    continue
                value = number(entry.result[key])
                if value is not None and value >= 1 and float(value).is_integer():
                    return DevSize(int(value), f"{key} in {entry.id}'s result")
        return None

    def sampling(self, entry: Entry, metric: str, value: float, fallback_n: int | None = None) -> Sampling | None:
        """One run's sampling noise at ``value``; ``fallback_n`` is the size of the dev set of the
        run it is compared with, when this one doesn't say (the same dev set is assumed)."""
        spec = metric_spec(metric)
        scale = self.scale(metric)
        own = self.own_predictions(entry)
        size = self.dev_size(entry)
        n = size.n if size is not None else fallback_n
        if not n:
            return None
        if spec.proportion:
            return Sampling((standard_error(value / scale, n) * scale) ** 2, n)
        for predictions in (own, self.card_predictions()):
            if predictions is not None and predictions.n:
                se = self._bootstrap(predictions, spec)
                if se is not None:
                    return Sampling((se * scale) ** 2 * predictions.n / n, n)
        if spec.needs_scores:
            from paribus.core.stats.resampling import hanley_mcneil_standard_error

            positives = n // 2
            return Sampling((hanley_mcneil_standard_error(min(max(value / scale, 0.0), 1.0), positives, n - positives) * scale) ** 2, n)
        if spec.bounded and 0.0 <= value / scale <= 1.0:
            return Sampling((standard_error(value / scale, n) * scale) ** 2, n)
        return None

    def _bootstrap(self, predictions, spec: MetricSpec) -> float | None:
        """The metric's bootstrap standard error on one predictions file (cached per file)."""
        from paribus.core.stats.resampling import auc_bootstrap_standard_error, bootstrap_standard_error

        def compute(path: Path) -> float | None:
            if spec.from_confusion is not None:
                return bootstrap_standard_error(predictions.labels, predictions.preds, spec.from_confusion, len(predictions.class_names))
            scores = predictions.positive_scores()
            return auc_bootstrap_standard_error(predictions.labels == 1, scores) if scores is not None else None

        if not spec.computable:
            return None
        key = ("bootstrap", predictions.path, spec.meaning)
        if key not in self._memo:
            # Across checks the project keeps it until the file changes.
            cached = self.project.by_file_stamp(f"bootstrap:{spec.meaning}", Path(predictions.path), compute)
            self._memo[key] = cached if cached is not None else compute(Path(predictions.path))
        value = self._memo[key]
        return value if value is not None and math.isfinite(value) else None

    def _paired(self, parent: Entry, entry: Entry, metric: str) -> tuple[Component, int] | None:
        """The sampling noise of entry − parent from both runs' predictions on the same examples."""
        spec = metric_spec(metric)
        if not spec.computable:
            return None
        first, second = self.own_predictions(parent), self.own_predictions(entry)
        if first is None or second is None:
            return None
        from paribus.core.analysis.dev_predictions import pair
        from paribus.core.stats.paired import mcnemar
        from paribus.core.stats.resampling import auc_bootstrap_standard_error, paired_bootstrap_standard_error

        paired = pair(first, second)
        if paired is None:
            return None
        scale = self.scale(metric)
        if spec.proportion:
            test = mcnemar(paired.labels == paired.preds_a, paired.labels == paired.preds_b)
            label = (f"on {count_text(paired.n)} paired dev examples (McNemar: {test.only_a_right} vs {test.only_b_right} "
                     f"disagreements, exact p = {test.exact_p_value:.2g})")
            return Component(label, (test.standard_error * scale) ** 2), paired.n
        if spec.from_confusion is not None:
            se = paired_bootstrap_standard_error(paired.labels, paired.preds_a, paired.preds_b, spec.from_confusion, len(paired.class_names))
        elif paired.scores_a is not None and paired.scores_b is not None:
            se = auc_bootstrap_standard_error(paired.labels == 1, paired.scores_a, paired_scores=paired.scores_b)
        else:
            return None
        if not math.isfinite(se):
            return None
        return Component(f"on {count_text(paired.n)} paired dev examples (paired bootstrap)", (se * scale) ** 2), paired.n

    # -- what the rules ask -------------------------------------------------------------------
    def parent_of(self, entry: Entry) -> Entry | None:
        parent = self.by_id.get(self.parents.get(entry.id) or "")
        return parent if parent is not None and parent is not entry else None

    def comparison(self, entry: Entry, metric: str | None = None) -> Comparison | None:
        """The entry's result against its parent's on ``metric`` (its prediction's, else the
        card's); None for a replicate, or when either side has no value."""
        metric = metric or (entry.prediction.metric if entry.prediction else None) or (self.card.metric.name if self.card.metric else None)
        parent = self.parent_of(entry)
        if metric is None or parent is None or self.is_replicate(entry):
            return None
        key = ("comparison", entry.id, metric)
        if key not in self._memo:
            kept = self._known_key(entry, parent, metric)
            if kept is None:
                self._memo[key] = self._compare(entry, parent, metric)
            else:
                found = _comparisons.get(kept, _comparisons)
                if found is _comparisons:
                    found = self._compare(entry, parent, metric)
                    if len(_comparisons) >= _COMPARISONS_KEPT:
                        _comparisons.clear()
                    _comparisons[kept] = found
                self._memo[key] = found
        return self._memo[key]

    def _known_key(self, entry: Entry, parent: Entry, metric: str) -> tuple | None:
        """Everything ``_compare`` reads, as values: both ids, both states' runs, the entry's own
        value, the scale, both dev-set sizes and the run-to-run noise. None (compute every
        check) when a predictions file is read: its content is not part of the key."""
        if self.card_predictions() is not None or self.own_predictions(parent) is not None or self.own_predictions(entry) is not None:
            return None
        # The values compared are means (a sum starts at +0.0), so -0.0 and 0.0 may share a key.
        return (
            entry.id, parent.id, metric, self.scale(metric), self._run_values(parent, metric), self._run_values(entry, metric),
            number((entry.result or {}).get(metric)) is None, self.dev_size(parent), self.dev_size(entry),
            self.run_noise([parent, entry], metric),
        )

    def _run_values(self, entry: Entry, metric: str) -> tuple[float, ...]:
        key = ("run values", self.origins.get(entry.id, entry.id), metric)
        values = self._memo.get(key)
        if values is None:
            values = self._memo[key] = tuple(value for _, value in self.runs(entry, metric))
        return values

    def _compare(self, entry: Entry, parent: Entry, metric: str) -> Comparison | None:
        before_runs, after_runs = self.runs(parent, metric), self.runs(entry, metric)
        if not before_runs or not after_runs or number((entry.result or {}).get(metric)) is None:
            return None
        before = sum(value for _, value in before_runs) / len(before_runs)
        after = sum(value for _, value in after_runs) / len(after_runs)
        components: list[Component] = []
        n, sampling_variance = None, 0.0
        paired = self._paired(parent, entry, metric)
        if paired is not None:
            components.append(paired[0])
            n, sampling_variance = paired[1], paired[0].variance
        else:
            entry_size = self.dev_size(entry)
            # An accuracy-like metric is judged at the pooled share, as the two-proportion z-test does:
            # if the runs were equally good, both would have it.
            pooled = (before + after) / 2 if metric_spec(metric).proportion else None
            first = self.sampling(parent, metric, pooled or before, entry_size.n if entry_size else None)
            second = self.sampling(entry, metric, pooled or after, first.n if first else None)
            if first is not None and second is not None:
                sampling_variance = first.variance + second.variance
                n = second.n
                sizes = count_text(first.n) if first.n == second.n else f"{count_text(first.n)} and {count_text(second.n)}"
                components.append(Component(f"on {sizes} dev examples", sampling_variance))
        run = self.run_noise([parent, entry], metric)
        if run is not None:
            components.append(Component(f"with {run.label}", run.variance * (1 / len(before_runs) + 1 / len(after_runs)), run.df))
        noise = Noise(tuple(components)) if components else None
        return Comparison(entry.id, parent.id, metric, before, after, len(before_runs), len(after_runs), noise, n, sampling_variance, run, self.scale(metric))

    def value_noise(self, entry: Entry, metric: str) -> ValueNoise | None:
        """The state's value (mean of its runs) and its noise: one run's sampling noise (the runs
        share the dev set) plus the run-to-run variance divided by the number of runs."""
        runs = self.runs(entry, metric)
        if not runs:
            return None
        value = statistics.fmean(v for _, v in runs)
        components: list[Component] = []
        sampling = self.sampling(self.origin(entry), metric, value)
        if sampling is not None:
            components.append(Component(f"on {count_text(sampling.n)} dev examples", sampling.variance))
        run = self.run_noise([entry], metric)
        if run is not None:
            components.append(Component(f"with {run.label}", run.variance / len(runs), run.df))
        return ValueNoise(value, len(runs), sampling, run, Noise(tuple(components)) if components else None)

    def run_noise_of_value(self, entry: Entry, metric: str) -> Noise | None:
        """The noise of this one run's value: its dev-set sampling plus one run's seed variance."""
        value = number((entry.result or {}).get(metric))
        if value is None:
            return None
        components: list[Component] = []
        sampling = self.sampling(entry, metric, value)
        if sampling is not None:
            components.append(Component(f"on {count_text(sampling.n)} dev examples", sampling.variance))
        run = self.run_noise([entry], metric)
        if run is not None:
            components.append(Component(f"with {run.label}", run.variance, run.df))
        return Noise(tuple(components)) if components else None

    def sampling_at_chance(self, entry: Entry, metric: str, level: float) -> Sampling | None:
        """The dev-set sampling noise of a model *at chance* on this dev set: what a result must
        stand out from to be above chance. Accuracy-like: the binomial error at the chance level;
        with predictions: the spread of the metric with the predictions shuffled against the
        labels (a permutation test's null); ROC AUC: the Mann–Whitney null; other metrics in
        [0, 1]: the binomial error at the chance level as a rough stand-in."""
        spec = metric_spec(metric)
        scale = self.scale(metric)
        size = self.dev_size(entry)
        if size is None:
            return None
        n, chance = size.n, level / scale
        if spec.proportion and 0 < chance < 1:
            return Sampling((standard_error(chance, n) * scale) ** 2, n)
        if spec.from_confusion is not None:
            for predictions in (self.own_predictions(entry), self.card_predictions()):
                if predictions is not None and predictions.n > 1:
                    se = self._permutation(predictions, spec)
                    return Sampling((se * scale) ** 2 * predictions.n / n, n)
        if spec.needs_scores:
            from paribus.core.stats.resampling import auc_at_chance_standard_error

            positives = max(1, n // 2)
            return Sampling((auc_at_chance_standard_error(positives, max(1, n - positives)) * scale) ** 2, n)
        if spec.bounded and 0 < chance < 1:
            return Sampling((standard_error(chance, n) * scale) ** 2, n)
        return None

    def _permutation(self, predictions, spec: MetricSpec) -> float:
        from paribus.core.stats.resampling import permutation_standard_error

        key = ("permutation", predictions.path, spec.meaning)
        if key not in self._memo:
            def compute(path: Path) -> float:
                return permutation_standard_error(predictions.labels, predictions.preds, spec.from_confusion, len(predictions.class_names))

            cached = self.project.by_file_stamp(f"permutation:{spec.meaning}", Path(predictions.path), compute)
            self._memo[key] = cached if cached is not None else compute(Path(predictions.path))
        return self._memo[key]

    def chance_test(self, entry: Entry, metric: str, level: float, goal: str) -> tuple[ChanceTest, ValueNoise] | None:
        """The one-sided test of the entry's state (the mean of its runs) against chance; None
        when the noise is unknown. The noise is that of a model at chance (``sampling_at_chance``)
        plus the run-to-run variance of the mean; an accuracy-like metric with only dev-set noise
        gets the score test (Wilson's bound)."""
        runs = self.runs(entry, metric)
        if not runs:
            return None
        value = statistics.fmean(v for _, v in runs)
        origin = self.origin(entry)
        components: list[Component] = []
        sampling = self.sampling_at_chance(origin, metric, level)
        if sampling is not None:
            components.append(Component(f"on {count_text(sampling.n)} dev examples", sampling.variance))
        run = self.run_noise([origin], metric)
        if run is not None:
            components.append(Component(f"with {run.label}", run.variance / len(runs), run.df))
        if not components:
            return None
        found = ValueNoise(value, len(runs), sampling, run, Noise(tuple(components)))
        scale = self.scale(metric)
        if metric_spec(metric).proportion and sampling is not None and run is None and 0 < level / scale < 1:
            test = proportion_against_chance(value / scale, sampling.n, level / scale, goal, CONFIDENCE)
            return ChanceTest(value, level, goal, test.bound * scale), found
        return against_chance(value, found.noise, level, goal, CONFIDENCE), found

    def plan(self, entry: Entry) -> Plan | None:
        """For a pending experiment with a predicted size: the gain a run against its parent
        could detect (power 80 %, two-sided 95 %) and what would detect the predicted one."""
        prediction = entry.prediction
        parent = self.parent_of(entry)
        if prediction is None or parent is None or prediction.direction not in ("up", "down") or not prediction.by:
            return None
        runs = self.runs(parent, prediction.metric)
        if not runs:
            return None
        level = statistics.fmean(v for _, v in runs)
        scale = self.scale(prediction.metric)
        sampling = self.sampling(parent, prediction.metric, level)
        run = self.run_noise([parent], prediction.metric)
        components: list[Component] = []
        sampling_variance = 0.0
        if sampling is not None:
            sampling_variance = 2 * sampling.variance
            components.append(Component(f"on {count_text(sampling.n)} dev examples", sampling_variance))
        if run is not None:
            components.append(Component(f"with {run.label}", run.variance * (1 / len(runs) + 1), run.df))
        if not components:
            return None
        noise = Noise(tuple(components))
        by = abs(prediction.by)
        target = by / (z_for(CONFIDENCE) + normal_quantile(POWER))
        options = []
        if sampling is not None:
            examples = dev_examples_to_reach(target, sampling_variance, sampling.n, run.variance * (1 / len(runs) + 1) if run else 0.0)
            options.append(f"enlarge the dev set to ~{count_text(examples)} examples" if examples else "")
        if run is not None:
            seeds = runs_to_reach(target, run.variance, 2, sampling_variance)
            options.append(f"plan ~{seeds} seeds for each state" if seeds else "")
        advice = " or ".join(option for option in options if option) or "no dev set or number of seeds Paribus can compute would resolve it"
        return Plan(by, noise.detectable(CONFIDENCE, POWER), noise.half_width(CONFIDENCE), sampling.n if sampling else None, noise, advice, scale)
