"""Accuracy-like metrics: the share of dev examples a model gets right (or wrong).

On a dev set of n examples drawn independently from the population the model will meet, the
number it gets right is binomial, so an observed accuracy p̂ has the standard error
√(p̂(1 − p̂)/n). That is the *sampling* noise of the dev set: another dev set of the same size
would give another p̂, about this far away. It says nothing of run-to-run (seed) noise.

- ``wilson_interval``: the score interval (Wilson 1927) — unlike p̂ ± 1.96·SE it stays inside
  [0, 1] and keeps its coverage for small n or p̂ near 0 or 1.
- ``above_level``: the one-sided score test of "the true accuracy is above (below) ``level``",
  the test whose acceptance region the one-sided Wilson bound is the edge of.
- ``examples_needed``: how large a dev set must be for a difference of two accuracies of this
  size to be detected (two-sided test, given power), two independent evaluations assumed.
"""

from __future__ import annotations

import math

from paribus.core.stats.distributions import normal_quantile, one_sided_quantile, two_sided_quantile


def standard_error(proportion: float, n: int) -> float:
    """√(p(1 − p)/n): the binomial standard error of a share of ``n`` examples."""
    if n <= 0:
        raise ValueError("n must be positive")
    clipped = min(max(proportion, 0.0), 1.0)
    return math.sqrt(clipped * (1.0 - clipped) / n)


def wilson_interval(proportion: float, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The two-sided Wilson score interval of a share observed on ``n`` examples."""
    return _wilson(proportion, n, two_sided_quantile(confidence))


def wilson_bound(proportion: float, n: int, confidence: float = 0.95, side: str = "lower") -> float:
    """The one-sided Wilson bound: the true share is above it (``lower``) with ``confidence``."""
    low, high = _wilson(proportion, n, one_sided_quantile(confidence))
    return low if side == "lower" else high


def _wilson(proportion: float, n: int, z: float) -> tuple[float, float]:
    if n <= 0:
        raise ValueError("n must be positive")
    p = min(max(proportion, 0.0), 1.0)
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def score_statistic(proportion: float, n: int, level: float) -> float:
    """z = (p̂ − level)/√(level(1 − level)/n): the share's distance from ``level`` in standard
    errors of a model whose true share *is* ``level``."""
    if not 0.0 < level < 1.0:
        return math.inf if proportion > level else -math.inf if proportion < level else 0.0
    return (proportion - level) / math.sqrt(level * (1 - level) / n)


def above_level(proportion: float, n: int, level: float, confidence: float = 0.95) -> bool:
    """One-sided score test: is the true share above ``level``?"""
    return score_statistic(proportion, n, level) > one_sided_quantile(confidence)


def difference_standard_error(p1: float, n1: int, p2: float, n2: int) -> float:
    """Standard error of p̂2 − p̂1 from two independent evaluations (no pairing used)."""
    return math.hypot(standard_error(p1, n1), standard_error(p2, n2))


def examples_needed(proportion: float, difference: float, confidence: float = 0.95, power: float = 0.8) -> int:
    """Dev-set size at which two runs of accuracy about ``proportion`` that truly differ by
    ``difference`` are told apart (two-sided ``confidence``) with probability ``power``:
    n = 2p(1 − p)(z₁₋α/₂ + z_power)² / difference²."""
    if difference == 0:
        return math.inf
    z = two_sided_quantile(confidence) + normal_quantile(power)
    p = min(max(proportion, 0.01), 0.99)
    return math.ceil(2 * p * (1 - p) * z * z / (difference * difference))
