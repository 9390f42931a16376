"""Is a result above chance? A one-sided test at 95 %.

"Above chance" means: even at the pessimistic end of its noise — the one-sided 95 % bound —
the result still beats the chance level. For an accuracy-like metric on n dev examples the
bound is Wilson's (the score test: the result is compared with what a model truly *at*
chance would score on n examples). For other metrics the bound is value − t·SE with the
standard error of the result (bootstrap, dev-set size, replicate spread). For a metric to
minimise (a loss, an error rate) everything is mirrored: the bound is the upper one and it
must be *below* chance.
"""

from __future__ import annotations

from dataclasses import dataclass

from paribus.core.stats.noise import Noise
from paribus.core.stats.proportions import wilson_bound


@dataclass(frozen=True)
class ChanceTest:
    value: float
    level: float
    goal: str  # "max" | "min"
    bound: float  # the one-sided 95 % bound on the side of chance

    @property
    def beyond(self) -> bool:
        """Above chance (goal max) or below it (goal min), beyond the noise."""
        return self.bound > self.level if self.goal == "max" else self.bound < self.level

    @property
    def worst_distance(self) -> float:
        """How far beyond chance the result could be at worst (negative: on chance's side)."""
        return self.bound - self.level if self.goal == "max" else self.level - self.bound


def proportion_against_chance(value: float, n: int, level: float, goal: str = "max", confidence: float = 0.95) -> ChanceTest:
    """A share of ``n`` examples (accuracy, error rate) against a chance share."""
    side = "lower" if goal == "max" else "upper"
    return ChanceTest(value, level, goal, wilson_bound(value, n, confidence, side))


def against_chance(value: float, noise: Noise, level: float, goal: str = "max", confidence: float = 0.95) -> ChanceTest:
    """Any metric with a known noise against a chance level."""
    margin = noise.one_sided_margin(confidence)
    return ChanceTest(value, level, goal, value - margin if goal == "max" else value + margin)
