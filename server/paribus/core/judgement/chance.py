"""Chance level and "above chance": one judgement for the workflow and for PB403."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
    """Better than chance by more than one point of the metric's scale (0.01, or 1 for a percentage)."""
    margin = 1.0 if goal == "max" and level > 1 else 0.01
    return value > level + margin if goal == "max" else value < level - margin
