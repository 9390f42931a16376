"""The verdict of an experiment: did the metric move the way its prediction said, beyond the noise?

A prediction is ``{metric, direction: up | down | same, by: float (optional)}``; the movement
is the entry's result minus its parent's result on that metric (each the mean of its state's
replicate runs when there are several), and ``gain`` is the movement in the predicted
direction (``-movement`` for ``down``). ``h`` is the half-width of the two-sided 95 % interval
of the movement (``core/judgement/noise.py`` says where it comes from): the movement is
``gain ± h``.

When the noise is known:

| direction | interval of the gain                                         | verdict      |
|-----------|--------------------------------------------------------------|--------------|
| up / down | above 0 (gain − h > 0) and reaching ``by`` (gain + h ≥ by)   | confirmed    |
| up / down | below 0 (gain + h < 0), or below ``by`` (gain + h < by)      | refuted      |
| up / down | otherwise: it contains 0, or ``by`` and more                 | inconclusive |
| same      | inside ±band (abs(gain) + h ≤ band)                          | confirmed    |
| same      | outside ±band (abs(gain) − h > band)                         | refuted      |
| same      | otherwise                                                    | inconclusive |

``band`` is ``by``, else ``TOLERANCE``. So *confirmed* means the metric went the predicted
way beyond the noise and the predicted size is within what the data allow; *refuted* means it
clearly went the other way, or clearly fell short of the predicted size.

When nothing tells the noise (no dev-set size, no predictions, no replicates), the point
values are compared as they are:

| direction | gain                                                    | verdict      |
|-----------|---------------------------------------------------------|--------------|
| up / down | gain ≥ by  (``by`` absent: gain > TOLERANCE)             | confirmed    |
| up / down | otherwise, gain ≤ TOLERANCE  (no move, or wrong way)    | refuted      |
| up / down | otherwise  (right way, less than predicted)             | inconclusive |
| same      | abs(gain) ≤ band                                        | confirmed    |
| same      | abs(gain) > band                                        | refuted      |

``by`` is a size (its sign is ignored; 0 counts as absent). Missing data — no metric in the
prediction, the metric absent from either result, a parent without a result, an unknown
direction — is ``inconclusive``: the run cannot tell. There is no verdict at all (``None``)
when the entry has no prediction or no result yet.
"""

from __future__ import annotations

import math

from collections.abc import Mapping
from typing import Literal

Verdict = Literal["confirmed", "refuted", "inconclusive"]

# Without any estimate of the noise, metric moves smaller than this are not counted as effects.
TOLERANCE = 0.005
# Absorbs float error, so 0.66 - 0.61 counts as a move of exactly 0.05.
_EPSILON = 1e-9


def compute_verdict(
    prediction: Mapping | None,
    parent_result: Mapping | None,
    result: Mapping | None,
    noise: float | None = None,
) -> Verdict | None:
    """Compare the predicted movement of a metric with the one observed (tables above);
    ``noise`` is the 95 % half-width of the movement, None when unknown."""
    if not prediction or not result:
        return None
    metric = prediction.get("metric")
    after = number(result.get(metric)) if metric else None
    before = number(parent_result.get(metric)) if metric and parent_result else None
    if after is None or before is None:
        return "inconclusive"
    return verdict_for_movement(prediction, after - before, noise)


def verdict_for_movement(prediction: Mapping, movement: float, noise: float | None = None) -> Verdict:
    direction = str(prediction.get("direction", "")).lower()
    by = number(prediction.get("by"))
    by = abs(by) if by else None
    if direction == "same":
        band = by if by is not None else TOLERANCE
        if noise is None:
            return "confirmed" if abs(movement) <= band + _EPSILON else "refuted"
        if abs(movement) + noise <= band + _EPSILON:
            return "confirmed"
        return "refuted" if abs(movement) - noise > band + _EPSILON else "inconclusive"
    if direction not in ("up", "down"):
        return "inconclusive"
    gain = movement if direction == "up" else -movement
    if noise is None:
        return _point_verdict(gain, by)
    reaches_size = by is None or gain + noise >= by - _EPSILON
    if gain - noise > _EPSILON and reaches_size:
        return "confirmed"
    if gain + noise < -_EPSILON or not reaches_size:
        return "refuted"
    return "inconclusive"


def _point_verdict(gain: float, by: float | None) -> Verdict:
    if by:  # a predicted size: reaching it confirms, even when it is below TOLERANCE
        if gain >= by - _EPSILON:
            return "confirmed"
        return "refuted" if gain <= TOLERANCE + _EPSILON else "inconclusive"
    return "confirmed" if gain > TOLERANCE + _EPSILON else "refuted"


def number(value: object) -> float | None:
    """A finite number, else None: text, booleans, NaN, infinities and ints past float range."""
    if isinstance(value, bool):
        return None
    try:
        result = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return result if math.isfinite(result) else None
