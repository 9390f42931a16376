"""Adding up independent sources of noise, and the spread of replicate runs.

The noise of a result (or of the difference between two results) is a sum of independent
variances: the dev set's sampling noise (binomial, bootstrap or McNemar; its variance is
known, so it has infinite degrees of freedom) and the run-to-run noise estimated from
replicates (a sample variance with k − 1 degrees of freedom). The interval uses Student's t
with the Welch–Satterthwaite degrees of freedom of the sum, so two or three replicates give
the wide interval they deserve rather than a normal one.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from paribus.core.stats.distributions import normal_quantile, one_sided_quantile, t_quantile, two_sided_quantile


@dataclass(frozen=True)
class Component:
    """One independent source of noise, as a variance in the metric's units²."""

    label: str  # for messages: "200 dev examples", "the spread of 3 runs of b1"
    variance: float
    df: float = math.inf  # degrees of freedom of the estimate; inf when the variance is known


@dataclass(frozen=True)
class Noise:
    components: tuple[Component, ...]

    @property
    def variance(self) -> float:
        return sum(component.variance for component in self.components)

    @property
    def standard_error(self) -> float:
        return math.sqrt(self.variance)

    @property
    def df(self) -> float:
        """Welch–Satterthwaite: (Σ vᵢ)² / Σ (vᵢ²/dfᵢ)."""
        spread = sum(c.variance**2 / c.df for c in self.components if not math.isinf(c.df) and c.df > 0)
        return self.variance**2 / spread if spread > 0 else math.inf

    def half_width(self, confidence: float = 0.95) -> float:
        """Half the width of the two-sided interval: the estimate ± this."""
        return two_sided_quantile(confidence, self.df) * self.standard_error if self.variance > 0 else 0.0

    def one_sided_margin(self, confidence: float = 0.95) -> float:
        return one_sided_quantile(confidence, self.df) * self.standard_error if self.variance > 0 else 0.0

    def detectable(self, confidence: float = 0.95, power: float = 0.8) -> float:
        """The smallest true effect a two-sided test at ``confidence`` detects with ``power``:
        (t₁₋α/₂ + t_power)·SE, the "minimum detectable difference"."""
        df = self.df
        return (two_sided_quantile(confidence, df) + t_quantile(power, df)) * self.standard_error

    def described(self) -> str:
        return ", ".join(component.label for component in self.components)


@dataclass(frozen=True)
class Spread:
    """The values one state reached over replicate runs (only the seed differed)."""

    values: tuple[float, ...]

    @property
    def count(self) -> int:
        return len(self.values)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.values)

    @property
    def sd(self) -> float:
        return statistics.stdev(self.values) if self.count > 1 else 0.0

    @property
    def df(self) -> int:
        return self.count - 1


def pooled_variance(spreads: list[Spread]) -> tuple[float, int] | None:
    """The run-to-run variance pooled over states with ≥ 2 runs (weighted by their degrees
    of freedom), and its degrees of freedom; None without any such state."""
    usable = [s for s in spreads if s.count > 1]
    df = sum(s.df for s in usable)
    if df == 0:
        return None
    return sum(s.df * s.sd**2 for s in usable) / df, df


def dev_examples_to_reach(target_se: float, sampling_variance: float, n: int, other_variance: float = 0.0) -> int | None:
    """Dev-set size at which the sampling variance (∝ 1/n) plus ``other_variance`` falls to
    ``target_se``²; None when the other sources alone are already too noisy."""
    room = target_se**2 - other_variance
    if room <= 0 or sampling_variance <= 0:
        return None
    return max(n + 1, math.ceil(sampling_variance * n / room))


def runs_to_reach(target_se: float, run_variance: float, arms: int = 2, other_variance: float = 0.0) -> int | None:
    """Runs (seeds) per state at which the run-to-run variance of a comparison of ``arms``
    means, arms·s²/k, plus ``other_variance`` falls to ``target_se``²."""
    room = target_se**2 - other_variance
    if room <= 0 or run_variance <= 0:
        return None
    return max(2, math.ceil(arms * run_variance / room))


def z_for(confidence: float = 0.95) -> float:
    """The normal two-sided multiplier, for planning where degrees of freedom are unknown."""
    return normal_quantile(0.5 + confidence / 2)
