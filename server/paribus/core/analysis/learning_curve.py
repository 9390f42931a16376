"""How much data would reach the target? A power law fitted to dev error vs training size.

    dev_error(n) ≈ amplitude · n^(−exponent) + floor

``floor`` is 0 by default, a given irreducible error, or ``"min-train"``: the smallest
training error observed. The fit is least squares on log(dev_error − floor) against log(n);
R² is measured on that log scale. At least ``MIN_SIZES`` (3) distinct sizes are needed.

More data cannot bring dev error below the training error, which only rises with n: when
the training error at the largest size already exceeds the target, the curve is a
*plateau* for that target and the fix is less bias, not more data. A curve that does not
fall (exponent below ``MIN_EXPONENT``) is a plateau too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

MIN_SIZES = 3
MIN_EXPONENT = 0.01

CurveStatus = Literal["fitted", "too-few-points", "invalid"]


@dataclass(frozen=True)
class LearningCurve:
    status: CurveStatus
    message: str
    n_points: int
    n_sizes: int
    amplitude: float | None
    exponent: float | None
    floor: float
    r_squared: float | None
    target_error: float | None
    # Training size at which the fitted curve meets the target; None when it never does.
    size_for_target: float | None
    plateau: bool
    plateau_reason: str | None

    def predicted_error(self, size: float) -> float | None:
        if self.amplitude is None or self.exponent is None:
            return None
        return self.amplitude * size ** (-self.exponent) + self.floor

    def to_json(self) -> dict:
        return dict(self.__dict__)


def learning_curve(
    points: Sequence[tuple[float, float | None, float]],
    target_error: float | None,
    *,
    floor: float | Literal["min-train"] = 0.0,
) -> LearningCurve:
    """Fit ``(train_size, train_error or None, dev_error)`` points; see the module docstring."""
    import numpy as np

    sizes = np.array([float(size) for size, _, _ in points])
    dev_errors = np.array([float(dev) for _, _, dev in points])
    train_points = [(float(size), float(train)) for size, train, _ in points if train is not None]
    floor_value = min((train for _, train in train_points), default=0.0) if floor == "min-train" else float(floor)
    n_sizes = len(set(sizes.tolist()))
    plateau_reason = _training_error_above_target(train_points, target_error)

    def result(status: CurveStatus, message: str, **fit: float | None) -> LearningCurve:
        reason = plateau_reason or fit.pop("flat_reason", None)
        return LearningCurve(
            status=status,
            message=message,
            n_points=len(points),
            n_sizes=n_sizes,
            amplitude=fit.get("amplitude"),
            exponent=fit.get("exponent"),
            floor=floor_value,
            r_squared=fit.get("r_squared"),
            target_error=target_error,
            size_for_target=None if reason else fit.get("size_for_target"),
            plateau=reason is not None,
            plateau_reason=reason,
        )

    if n_sizes < MIN_SIZES:
        return result("too-few-points", f"{n_sizes} distinct training sizes: need at least {MIN_SIZES} to fit a curve")
    if (sizes <= 0).any():
        return result("invalid", "training sizes must be positive")
    above_floor = dev_errors - floor_value
    if (above_floor <= 0).any():
        bad = float(sizes[np.argmin(above_floor)])
        return result("invalid", f"dev error at n={bad:g} is not above the floor {floor_value:g}: no power law fits")

    log_sizes, log_errors = np.log(sizes), np.log(above_floor)
    slope, intercept = np.polyfit(log_sizes, log_errors, 1)
    fitted = intercept + slope * log_sizes
    total = float(((log_errors - log_errors.mean()) ** 2).sum())
    r_squared = 1 - float(((log_errors - fitted) ** 2).sum()) / total if total else 1.0
    amplitude, exponent = math.exp(intercept), -float(slope)
    fit: dict[str, float | None] = {"amplitude": amplitude, "exponent": exponent, "r_squared": r_squared}
    message = f"dev error ≈ {amplitude:.4g}·n^(−{exponent:.4g}) + {floor_value:g} (R² {r_squared:.3f})"

    if exponent < MIN_EXPONENT:
        fit["flat_reason"] = f"dev error does not fall with more data (exponent {exponent:.3g})"
    elif target_error is not None:
        if target_error <= floor_value:
            fit["flat_reason"] = f"the target {target_error:g} is at or below the floor {floor_value:g}"
        else:
            fit["size_for_target"] = (amplitude / (target_error - floor_value)) ** (1 / exponent)
    return result("fitted", message, **fit)


def _training_error_above_target(train_points: list[tuple[float, float]], target_error: float | None) -> str | None:
    if target_error is None or not train_points:
        return None
    largest_size, train_error = max(train_points)
    if train_error <= target_error:
        return None
    return (
        f"training error {train_error:g} at n={largest_size:g} is already above the target "
        f"{target_error:g}: more data won't reach it — reduce bias first"
    )
