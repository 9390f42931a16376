"""Two runs on the same dev examples: McNemar's comparison of their accuracies.

Only the examples the runs disagree on carry information about which is better: ``b``
examples run A gets right and run B wrong, ``c`` the other way round. The accuracy
difference is (c − b)/n. If the runs were equally good, each disagreement would go either
way with probability ½; McNemar's test asks whether c − b is larger than that allows.

The standard error used, √(b + c)/n, is the one McNemar's statistic z = (c − b)/√(b + c)
divides by, so "the 95 % interval of the difference excludes 0" and "McNemar's test rejects
at 5 %" are the same statement. ``exact_p_value`` is the exact (binomial) form of the test,
reported beside it for small counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from paribus.core.stats.distributions import binomial_upper_tail


@dataclass(frozen=True)
class McNemar:
    n: int  # examples both runs were evaluated on
    only_a_right: int  # b
    only_b_right: int  # c

    @property
    def difference(self) -> float:
        """Accuracy of B minus accuracy of A."""
        return (self.only_b_right - self.only_a_right) / self.n

    @property
    def standard_error(self) -> float:
        return math.sqrt(self.only_a_right + self.only_b_right) / self.n

    @property
    def statistic(self) -> float:
        """McNemar's chi-square without continuity correction, (c − b)²/(b + c)."""
        discordant = self.only_a_right + self.only_b_right
        return (self.only_b_right - self.only_a_right) ** 2 / discordant if discordant else 0.0

    @property
    def exact_p_value(self) -> float:
        """Two-sided exact test: min(b, c) against Binomial(b + c, ½)."""
        discordant = self.only_a_right + self.only_b_right
        if discordant == 0:
            return 1.0
        smaller = min(self.only_a_right, self.only_b_right)
        return min(1.0, 2.0 * binomial_upper_tail(discordant - smaller, discordant, 0.5))


def mcnemar(correct_a: np.ndarray, correct_b: np.ndarray) -> McNemar:
    """Count the disagreements of two runs (boolean arrays: was each example right?)."""
    correct_a = np.asarray(correct_a, dtype=bool)
    correct_b = np.asarray(correct_b, dtype=bool)
    return McNemar(len(correct_a), int((correct_a & ~correct_b).sum()), int((~correct_a & correct_b).sum()))
