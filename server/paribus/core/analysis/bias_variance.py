"""Bias, variance and data mismatch from an entry's train/dev metrics (DESIGN §2 step 3).

Scores become errors: a ``min`` metric (loss) is its own error; a ``max`` metric in [0, 1] is
``1 - score``, in [0, 100] ``100 - score`` (a percentage). For a ``max`` metric on another
scale only the gaps are known, since they do not depend on where a perfect score lies.

    avoidable bias = train error - reference error   (human-level, else target, else 0)
    variance       = train-dev error (else dev error) - train error
    data mismatch  = dev error - train-dev error     (only with a train-dev metric)

The largest gap dominates when it exceeds ``DOMINANCE_TOLERANCE`` (one point on the metric's
scale); the interventions that fit it follow DESIGN §2 step 4.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

DOMINANCE_TOLERANCE = 0.01
SPLIT_PREFIXES = ("train_dev_", "train-dev_", "val_", "dev_", "valid_", "validation_", "test_", "train_")
DEV_PREFIXES = ("val_", "dev_", "valid_", "validation_")
TRAIN_DEV_PREFIXES = ("train_dev_", "train-dev_", "traindev_")

Gap = Literal["bias", "variance", "data-mismatch"]

ADVICE: dict[str, tuple[str, ...]] = {
    "bias": (
        "bigger model (more layers or units)",
        "train longer or with a better optimizer / learning rate",
        "less regularization",
        "an architecture matched to the data type",
        "more data won't help: the model does not fit the data it has",
    ),
    "variance": (
        "more data",
        "regularization (weight decay, dropout, early stopping)",
        "data augmentation",
        "a smaller or better-suited architecture if regularization is not enough",
    ),
    "data-mismatch": (
        "make training data more like dev (collect or synthesize dev-like examples)",
        "error-analyse dev examples against train-dev to find what differs",
    ),
}
# In the log's `intervention` vocabulary, for checking an experiment against the diagnosis.
FITTING_INTERVENTIONS: dict[str, tuple[str, ...]] = {
    "bias": ("hyperparameters", "architecture", "pretrained", "compute"),
    "variance": ("data", "hyperparameters", "architecture"),
    "data-mismatch": ("data",),
}
CONTRADICTING_INTERVENTIONS: dict[str, tuple[str, ...]] = {
    "bias": ("data",),
    "variance": ("compute",),
    "data-mismatch": (),
}


@dataclass(frozen=True)
class BiasVariance:
    metric: str  # the base name, e.g. "f1" for "val_f1"
    goal: str
    train_error: float | None
    train_dev_error: float | None
    dev_error: float | None
    reference: str | None  # "human-level" | "target" | "perfect score"
    reference_error: float | None
    avoidable_bias: float | None
    variance: float | None
    data_mismatch: float | None
    dominant: Gap | None
    interventions: tuple[str, ...]
    fitting_interventions: tuple[str, ...]
    contradicting_interventions: tuple[str, ...]
    missing: tuple[str, ...]
    notes: tuple[str, ...]

    def to_json(self) -> dict:
        return {
            **self.__dict__,
            "interventions": list(self.interventions),
            "fitting_interventions": list(self.fitting_interventions),
            "contradicting_interventions": list(self.contradicting_interventions),
            "missing": list(self.missing),
            "notes": list(self.notes),
        }


def base_metric(metric: str) -> str:
    """``val_f1`` → ``f1``; a name without a split prefix is its own base."""
    for prefix in SPLIT_PREFIXES:
        if metric.startswith(prefix) and len(metric) > len(prefix):
            return metric[len(prefix) :]
    return metric


def bias_variance(
    result: Mapping[str, float],
    metric: str,
    goal: Literal["max", "min"],
    human_level: float | None = None,
    target: float | None = None,
) -> BiasVariance:
    """Diagnose from ``result`` (an entry's metrics); ``human_level``/``target`` are scores."""
    if goal not in ("max", "min"):
        raise ValueError(f"goal must be 'max' or 'min', not {goal!r}")
    base = base_metric(metric)
    own_prefix = metric[: len(metric) - len(base)]
    # The card's own split (val_, test_…) is looked up first, then the usual dev names.
    own_dev = (own_prefix,) if own_prefix and own_prefix not in ("train_", *TRAIN_DEV_PREFIXES) else ()
    dev_keys = tuple(dict.fromkeys(prefix + base for prefix in (*own_dev, *DEV_PREFIXES)))
    if not own_prefix:
        dev_keys += (metric,)
    train_key = "train_" + base
    train_score = _number(result, (train_key,))
    dev_score = _number(result, dev_keys)
    train_dev_score = _number(result, tuple(p + base for p in TRAIN_DEV_PREFIXES))

    notes: list[str] = []
    missing = []
    if train_score is None:
        missing.append(train_key)
    if dev_score is None:
        missing.append(dev_keys[0])

    reference, reference_score = None, None
    if human_level is not None:
        reference, reference_score = "human-level", float(human_level)
    elif target is not None:
        reference, reference_score = "target", float(target)
        notes.append("no human-level given: avoidable bias is measured against the target")

    scores = [s for s in (train_score, dev_score, train_dev_score, reference_score) if s is not None]
    scale = _scale(goal, scores)
    if goal == "max" and scale == 100.0:
        notes.append("scores read as percentages")
    if goal == "max" and scale is None:
        notes.append("scores outside [0, 100]: only gaps between them are known")

    def error(score: float | None) -> float | None:
        if score is None:
            return None
        if goal == "min":
            return score
        return scale - score if scale is not None else None

    def gap(worse: float | None, better: float | None) -> float | None:
        # Score differences equal error differences on any scale with error = best - score.
        if worse is None or better is None:
            return None
        return better - worse if goal == "max" else worse - better

    if reference is None and (goal == "min" or scale is not None):
        reference = "perfect score"
        reference_score = scale if goal == "max" else 0.0
        notes.append("no human-level or target: avoidable bias is measured against a perfect score")

    avoidable_bias = gap(train_score, reference_score)
    variance = gap(train_dev_score if train_dev_score is not None else dev_score, train_score)
    data_mismatch = gap(dev_score, train_dev_score)
    if train_dev_score is None and dev_score is not None:
        notes.append(f"no train-dev metric ({TRAIN_DEV_PREFIXES[0]}{base}): variance includes any data mismatch")

    tolerance = DOMINANCE_TOLERANCE * (scale or 1.0) if goal == "max" else DOMINANCE_TOLERANCE
    gaps: dict[Gap, float | None] = {"bias": avoidable_bias, "variance": variance, "data-mismatch": data_mismatch}
    known = {name: value for name, value in gaps.items() if value is not None}
    dominant: Gap | None = None
    if known:
        name, value = max(known.items(), key=lambda item: item[1])
        if value > tolerance:
            dominant = name
        else:
            notes.append(f"no gap exceeds {tolerance:g}: neither bias nor variance stands out")
    if target is not None and dev_score is not None and gap(dev_score, float(target)) <= 0:
        notes.append("dev already meets the target")

    return BiasVariance(
        metric=base,
        goal=goal,
        train_error=error(train_score),
        train_dev_error=error(train_dev_score),
        dev_error=error(dev_score),
        reference=reference,
        reference_error=error(reference_score),
        avoidable_bias=avoidable_bias,
        variance=variance,
        data_mismatch=data_mismatch,
        dominant=dominant,
        interventions=ADVICE[dominant] if dominant else (),
        fitting_interventions=FITTING_INTERVENTIONS[dominant] if dominant else (),
        contradicting_interventions=CONTRADICTING_INTERVENTIONS[dominant] if dominant else (),
        missing=tuple(missing),
        notes=tuple(notes),
    )


def _number(result: Mapping[str, float], keys: tuple[str, ...]) -> float | None:
    for key in keys:
        value = result.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    return None


def _scale(goal: str, scores: list[float]) -> float | None:
    if goal == "min":
        return None
    if all(0.0 <= score <= 1.0 for score in scores):
        return 1.0
    if all(0.0 <= score <= 100.0 for score in scores):
        return 100.0
    return None
