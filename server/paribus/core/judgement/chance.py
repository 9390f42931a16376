"""Chance level and "above chance": one judgement for PB403, the workflow and `paribus record`.

A result is above chance when its one-sided 95 % bound is (``core/stats/chance_test.py``):
the pessimistic end of its noise — dev-set sampling on the known dev-set size, and the spread
of its replicate runs — still beats the chance level. When nothing tells the noise, it must
beat chance by one point of the metric's scale (0.01, or 1 for a percentage).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from paribus.core.judgement.noise import NoiseJudge
from paribus.core.stats.chance_test import ChanceTest

if TYPE_CHECKING:
    from paribus.core.model.log import Entry
    from paribus.core.model.project import CheckContext


def chance_level(ctx: CheckContext) -> tuple[float, str] | None:
    """The card's chance, else the predictions' majority-class share for an accuracy metric."""
    card = ctx.card.card
    if card.chance is not None:
        return card.chance, "the card's chance"
    metric = card.metric
    if metric is None or not card.predictions or not re.search(r"acc", metric.name, re.I):
        return None  # a majority-class share is an accuracy: comparing it with F1 or a loss misleads
    analysis = ctx.project.prediction_analysis(ctx.root / card.predictions)
    if analysis is None:
        return None
    return analysis.chance.level, "the majority-class share in the predictions"


def above_chance(value: float, level: float, goal: str) -> bool:
    """Without any noise estimate: better than chance by more than one point of the metric's
    scale (0.01, or 1 for a percentage)."""
    margin = 1.0 if goal == "max" and level > 1 else 0.01
    return value > level + margin if goal == "max" else value < level - margin


@dataclass(frozen=True)
class ChanceJudgement:
    entry_id: str
    metric: str
    value: float  # the state's value: the mean of its runs
    runs: int
    level: float
    source: str  # where the chance level comes from
    goal: str
    beyond: bool  # above chance (below, for a metric to minimise)
    test: ChanceTest | None  # None: the noise is unknown
    noise: str | None  # where the noise comes from: "on 30 dev examples"

    def standing(self) -> str:
        """"above chance (0.5, the card's chance)" or "not above chance …"."""
        word = "above" if self.goal == "max" else "below"
        return f"{'' if self.beyond else 'not '}{word} chance ({self.level:g}, {self.source})"

    def bound_text(self) -> str:
        """How far from chance the result could be: "at 95 % it could be as low as 0.374, 0.126 below chance"."""
        if self.test is None:
            return "the noise is unknown — give the dev-set size (metric.dev_size in the card, or n_dev in the result) to judge it"
        distance = self.test.worst_distance
        if self.beyond:
            word = "at least" if self.goal == "max" else "at most"
            return f"at 95 % it is {word} {self.test.bound:.3g}, {distance:.3g} {'above' if self.goal == 'max' else 'below'} chance"
        side, wrong_side = ("low", "below") if self.goal == "max" else ("high", "above")
        return f"at 95 % it could be as {side} as {self.test.bound:.3g}, {abs(distance):.3g} {wrong_side} chance"

    def text(self) -> str:
        runs = f" (mean of {self.runs} runs)" if self.runs > 1 else ""
        noise = f" {self.noise}" if self.noise else ""
        return f"{self.metric} {self.value:g}{runs}{noise} is {self.standing()}: {self.bound_text()}"


def judge_chance(ctx: CheckContext, entry: Entry) -> ChanceJudgement | None:
    """The entry's state against chance on the card's metric; None without a chance level,
    a metric or a value."""
    metric = ctx.card.card.metric
    chance = chance_level(ctx)
    if metric is None or chance is None:
        return None
    level, source = chance
    judge = NoiseJudge.of(ctx)
    found = judge.chance_test(entry, metric.name, level, metric.goal)
    if found is not None:
        test, value_noise = found
        return ChanceJudgement(entry.id, metric.name, value_noise.value, value_noise.runs, level, source, metric.goal,
                               test.beyond, test, value_noise.noise.described())
    state = judge.value_noise(entry, metric.name)
    if state is None:
        return None
    return ChanceJudgement(entry.id, metric.name, state.value, state.runs, level, source, metric.goal,
                           above_chance(state.value, level, metric.goal), None, None)
