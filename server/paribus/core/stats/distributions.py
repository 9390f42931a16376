"""The distributions the noise statistics need: normal and Student-t quantiles, and the exact
binomial tail.

The normal distribution is the standard library's ``statistics.NormalDist``. Student's t is
computed from the regularized incomplete beta function (Lentz's continued fraction, as in
*Numerical Recipes* §6.4), and its quantile by bisection: slow by scipy's standards, but a
check calls it a handful of times. ``df = math.inf`` is the normal distribution.
"""

from __future__ import annotations

import math
from functools import lru_cache
from statistics import NormalDist

_NORMAL = NormalDist()
_CONTINUED_FRACTION_STEPS = 300
_TINY = 1e-300


def normal_quantile(probability: float) -> float:
    return _NORMAL.inv_cdf(probability)


def normal_cdf(x: float) -> float:
    return _NORMAL.cdf(x)


def two_sided_quantile(confidence: float = 0.95, df: float = math.inf) -> float:
    """The multiplier of a standard error for a two-sided interval (1.96 for 95 %, normal)."""
    return t_quantile(0.5 + confidence / 2, df)


def one_sided_quantile(confidence: float = 0.95, df: float = math.inf) -> float:
    """The multiplier of a standard error for a one-sided bound (1.645 for 95 %, normal)."""
    return t_quantile(confidence, df)


def _incomplete_beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of I_x(a, b) (converges fast for x < (a + 1) / (a + b + 2))."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _CONTINUED_FRACTION_STEPS + 1):
        m2 = 2 * m
        for numerator in (m * (b - m) * x / ((qam + m2) * (a + m2)), -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def regularized_incomplete_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b), the cumulative distribution function of the Beta(a, b) distribution at x."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _incomplete_beta_fraction(a, b, x) / a
    return 1.0 - front * _incomplete_beta_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T ≤ t) for Student's t with ``df`` degrees of freedom (any positive real)."""
    if math.isinf(df):
        return normal_cdf(t)
    tail = 0.5 * regularized_incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


@lru_cache(maxsize=4096)
def t_quantile(probability: float, df: float = math.inf) -> float:
    """The t with P(T ≤ t) = ``probability``; ``df = inf`` gives the normal quantile."""
    if not 0.0 < probability < 1.0:
        raise ValueError(f"probability must be in (0, 1), got {probability}")
    if math.isinf(df) or df > 1e7:
        return normal_quantile(probability)
    if df <= 0:
        raise ValueError(f"degrees of freedom must be positive, got {df}")
    if probability < 0.5:
        return -t_quantile(1.0 - probability, df)
    low, high = 0.0, max(1.0, normal_quantile(probability))
    while t_cdf(high, df) < probability:
        high *= 2.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if t_cdf(middle, df) < probability:
            low = middle
        else:
            high = middle
        if high - low < 1e-12 * max(1.0, high):
            break
    return (low + high) / 2.0


def binomial_upper_tail(successes: int, trials: int, probability: float) -> float:
    """P(X ≥ ``successes``) for X ~ Binomial(``trials``, ``probability``), summed exactly."""
    import numpy as np

    if successes <= 0:
        return 1.0
    if successes > trials:
        return 0.0
    if probability <= 0.0:
        return 0.0
    if probability >= 1.0:
        return 1.0
    # log pmf(k + 1) - log pmf(k) = log((n - k) / (k + 1)) + log(p / (1 - p)): one cumulative sum.
    k = np.arange(successes, trials, dtype=float)
    steps = np.log((trials - k) / (k + 1)) + math.log(probability) - math.log1p(-probability)
    first = (
        math.lgamma(trials + 1) - math.lgamma(successes + 1) - math.lgamma(trials - successes + 1)
        + successes * math.log(probability) + (trials - successes) * math.log1p(-probability)
    )
    log_terms = first + np.concatenate(([0.0], np.cumsum(steps)))
    peak = log_terms.max()
    return float(min(1.0, math.exp(peak) * np.exp(log_terms - peak).sum()))
