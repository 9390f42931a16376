"""The verdict of an experiment: did the metric move the way its prediction said?

A prediction is ``{metric, direction: up | down | same, by: float (optional)}``; the movement
is the entry's result minus its parent's result, on that metric.

| direction | movement in the predicted direction (``gain``)         | verdict      |
|-----------|--------------------------------------------------------|--------------|
| up / down | gain >= by  (``by`` absent: gain > TOLERANCE)           | confirmed    |
| up / down | otherwise, gain <= TOLERANCE  (no move, or wrong way)   | refuted      |
| up / down | otherwise  (right way, less than predicted)             | inconclusive |
| same      | abs(movement) <= (by or TOLERANCE)                     | confirmed    |
| same      | abs(movement) > (by or TOLERANCE)                      | refuted      |

``by`` is a size (its sign is ignored; 0 counts as absent). Missing data — no metric in the prediction, the metric absent from either result, a parent
without a result, an unknown direction — is ``inconclusive``: the run cannot tell. There is no
verdict at all (``None``) when the entry has no prediction or no result yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

Verdict = Literal["confirmed", "refuted", "inconclusive"]

# Metric moves smaller than this are run-to-run noise, not an effect.
TOLERANCE = 0.005
# Absorbs float error, so 0.66 - 0.61 counts as a move of exactly 0.05.
_EPSILON = 1e-9


def compute_verdict(
    prediction: Mapping | None,
    parent_result: Mapping | None,
    result: Mapping | None,
) -> Verdict | None:
    """Compare the predicted movement of a metric with the one observed (rules above)."""
    if not prediction or not result:
        return None
    metric = prediction.get("metric")
    after = _number(result.get(metric)) if metric else None
    before = _number(parent_result.get(metric)) if metric and parent_result else None
    if after is None or before is None:
        return "inconclusive"
    movement = after - before
    direction = str(prediction.get("direction", "")).lower()
    by = _number(prediction.get("by"))
    if by is not None:
        by = abs(by)

    if direction == "same":
        band = by if by is not None else TOLERANCE
        return "confirmed" if abs(movement) <= band + _EPSILON else "refuted"
    if direction not in ("up", "down"):
        return "inconclusive"
    gain = movement if direction == "up" else -movement
    if by:  # a predicted size: reaching it confirms, even when it is below TOLERANCE
        if gain >= by - _EPSILON:
            return "confirmed"
        return "refuted" if gain <= TOLERANCE + _EPSILON else "inconclusive"
    return "confirmed" if gain > TOLERANCE + _EPSILON else "refuted"


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
