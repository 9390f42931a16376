"""What the noise judge finds: dev-set sizes, noise per run, comparisons with their interval,
and the plan for a pending experiment — with the words messages use for them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from paribus.core.judgement.verdict import Verdict, number, verdict_for_movement
from paribus.core.stats.noise import Noise, dev_examples_to_reach, runs_to_reach, z_for

RESULT_SIZE_KEYS = ("n_dev", "n_val", "n_valid", "n_eval", "dev_size", "n")
CONFIDENCE = 0.95
POWER = 0.8


@dataclass(frozen=True)
class DevSize:
    n: int
    source: str  # for messages: "the dev rows of runs/latest/predictions.csv"


@dataclass(frozen=True)
class Sampling:
    """One run's dev-set sampling noise on a metric."""

    variance: float
    n: int


@dataclass(frozen=True)
class RunNoise:
    """Run-to-run variance of one run, from replicate spreads."""

    variance: float
    df: int
    label: str


def show_value(value: float, scale: float) -> str:
    return f"{value:.2f}" if scale > 1 else f"{value:.3f}"


def count_text(number: int) -> str:
    return f"{number:,}"


@dataclass(frozen=True)
class Comparison:
    """An entry's result against its parent's, with the noise of the difference."""

    entry_id: str
    parent_id: str
    metric: str
    before: float
    after: float
    before_runs: int
    after_runs: int
    noise: Noise | None
    n: int | None  # dev examples, when known
    sampling_variance: float  # the part of the noise that shrinks with more dev examples
    run: RunNoise | None
    scale: float = 1.0  # 100 for a metric written as a percentage
    # Verdicts by (direction, by): a comparison kept across checks is judged once.
    _verdicts: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def movement(self) -> float:
        return self.after - self.before

    @property
    def half_width(self) -> float | None:
        return self.noise.half_width(CONFIDENCE) if self.noise is not None else None

    def verdict(self, prediction: Any) -> Verdict:
        if prediction is None or isinstance(prediction, dict):
            return verdict_for_movement(_prediction_mapping(prediction), self.movement, self.half_width)
        key = (prediction.direction, prediction.by)  # all that verdict_for_movement reads of it
        found = self._verdicts.get(key)
        if found is None:
            found = self._verdicts[key] = verdict_for_movement(_prediction_mapping(prediction), self.movement, self.half_width)
        return found

    def difference_text(self) -> str:
        """"+0.010 ± 0.039 on 200 dev examples", or "+0.010, noise unknown"."""
        moved = f"{self.movement:+.2f}" if self.scale > 1 else f"{self.movement:+.3f}"
        if self.noise is None:
            return f"{moved}, noise unknown"
        return f"{moved} ± {show_value(self.half_width, self.scale)} {self.noise.described()}"

    def values_text(self) -> str:
        """"val_acc 0.7 → 0.72", with the number of runs behind a mean."""
        before = f"{self.before:.4g}" + (f" (mean of {self.before_runs} runs)" if self.before_runs > 1 else "")
        after = f"{self.after:.4g}" + (f" (mean of {self.after_runs} runs)" if self.after_runs > 1 else "")
        return f"{self.metric} {before} → {after}"

    def resolution(self, prediction: Any) -> str:
        """What would turn an inconclusive comparison into a verdict, in dev examples or runs."""
        if self.noise is None:
            return ""
        mapping = _prediction_mapping(prediction)
        gain = self.movement if str(mapping.get("direction")) != "down" else -self.movement
        by = abs(number(mapping.get("by")) or 0.0)
        distance = max(abs(gain), abs(by - gain)) if by else abs(gain)
        if distance == 0:
            return "a difference of exactly zero can't be told from noise at any size"
        target = distance / z_for(CONFIDENCE)
        run_part = self.run.variance * (1 / self.before_runs + 1 / self.after_runs) if self.run else 0.0
        options = []
        if self.n and self.sampling_variance > 0:
            examples = dev_examples_to_reach(target, self.sampling_variance, self.n, run_part)
            if examples:
                options.append(f"~{count_text(examples)} dev examples (now {count_text(self.n)})")
        if self.run is not None:
            runs = runs_to_reach(target, self.run.variance, 2, self.sampling_variance)
            if runs:
                options.append(f"~{runs} runs (seeds) of each state")
        if not options:
            return "neither more dev examples nor more seeds alone would resolve a difference this small"
        return f"a difference this size would be resolved by {' or '.join(options)}"


def _prediction_mapping(prediction: Any) -> dict:
    if prediction is None:
        return {}
    if isinstance(prediction, dict):
        return prediction
    return {"metric": prediction.metric, "direction": prediction.direction, "by": prediction.by}


@dataclass(frozen=True)
class ValueNoise:
    """A state's value (the mean of its runs) and the noise of that value."""

    value: float
    runs: int
    sampling: Sampling | None
    run: RunNoise | None
    noise: Noise | None


@dataclass(frozen=True)
class Plan:
    """Can a comparison at the parent's level resolve the predicted gain?"""

    by: float
    detectable: float  # the smallest gain detected with POWER at CONFIDENCE
    half_width: float
    n: int | None
    noise: Noise
    advice: str
    scale: float = 1.0
