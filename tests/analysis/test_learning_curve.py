"""learning_curve on curves with a known law."""

from __future__ import annotations

import pytest
from paribus.core.analysis import learning_curve


def power_law(size: float) -> float:
    return 0.5 * size ** -0.3


def test_a_power_law_is_recovered_and_extrapolated():
    points = [(size, None, power_law(size)) for size in (100, 300, 1000, 3000)]

    curve = learning_curve(points, target_error=power_law(100_000))

    assert curve.status == "fitted"
    assert curve.exponent == pytest.approx(0.3, abs=1e-9)
    assert curve.amplitude == pytest.approx(0.5, abs=1e-9)
    assert curve.r_squared == pytest.approx(1.0)
    assert curve.size_for_target == pytest.approx(100_000, rel=1e-9)
    assert curve.plateau is False
    assert curve.predicted_error(10_000) == pytest.approx(power_law(10_000))


def test_a_floor_is_subtracted_before_fitting():
    points = [(size, 0.05, power_law(size) + 0.05) for size in (100, 1000, 10_000)]

    curve = learning_curve(points, target_error=power_law(50_000) + 0.05, floor="min-train")

    assert curve.floor == 0.05
    assert curve.exponent == pytest.approx(0.3, abs=1e-9)
    assert curve.size_for_target == pytest.approx(50_000, rel=1e-9)


def test_training_error_above_target_is_a_plateau():
    points = [(100, 0.12, 0.30), (200, 0.15, 0.26), (400, 0.18, 0.23)]

    curve = learning_curve(points, target_error=0.10)

    assert curve.status == "fitted"
    assert curve.plateau is True
    assert curve.size_for_target is None
    assert curve.plateau_reason == (
        "training error 0.18 at n=400 is already above the target 0.1: "
        "more data won't reach it — reduce bias first"
    )


def test_a_flat_curve_is_a_plateau():
    points = [(100, None, 0.2), (1000, None, 0.2), (10_000, None, 0.2)]

    curve = learning_curve(points, target_error=0.1)

    assert curve.plateau is True
    assert curve.plateau_reason.startswith("dev error does not fall with more data")
    assert curve.size_for_target is None


def test_too_few_sizes_is_a_status_not_a_fit():
    points = [(100, None, 0.3), (100, None, 0.31), (200, None, 0.25)]

    curve = learning_curve(points, target_error=0.1)

    assert curve.status == "too-few-points"
    assert curve.message == "2 distinct training sizes: need at least 3 to fit a curve"
    assert curve.exponent is None
    assert curve.size_for_target is None


def test_dev_error_at_the_floor_is_invalid():
    curve = learning_curve([(100, None, 0.2), (200, None, 0.1), (400, None, 0.0)], target_error=None)

    assert curve.status == "invalid"
    assert "dev error at n=400 is not above the floor 0" in curve.message


def test_no_target_still_fits():
    curve = learning_curve([(size, None, power_law(size)) for size in (10, 100, 1000)], target_error=None)

    assert curve.status == "fitted"
    assert curve.size_for_target is None
    assert curve.plateau is False
