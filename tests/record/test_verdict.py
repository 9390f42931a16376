"""The verdict table of paribus.core.judgement.verdict, row by row."""

from __future__ import annotations

import pytest
from paribus.core.judgement.verdict import compute_verdict

PARENT = {"val_f1": 0.60}


@pytest.mark.parametrize(
    ("prediction", "val_f1", "verdict"),
    [
        ({"metric": "val_f1", "direction": "up", "by": 0.05}, 0.66, "confirmed"),
        ({"metric": "val_f1", "direction": "up", "by": 0.05}, 0.65, "confirmed"),  # exactly by
        ({"metric": "val_f1", "direction": "up", "by": 0.05}, 0.62, "inconclusive"),
        ({"metric": "val_f1", "direction": "up", "by": 0.05}, 0.603, "refuted"),  # within noise
        ({"metric": "val_f1", "direction": "up", "by": 0.05}, 0.55, "refuted"),
        ({"metric": "val_f1", "direction": "up"}, 0.61, "confirmed"),
        ({"metric": "val_f1", "direction": "up"}, 0.602, "refuted"),
        ({"metric": "val_f1", "direction": "down", "by": 0.05}, 0.50, "confirmed"),
        ({"metric": "val_f1", "direction": "down", "by": 0.05}, 0.70, "refuted"),
        ({"metric": "val_f1", "direction": "up", "by": 0.002}, 0.603, "confirmed"),
        ({"metric": "val_f1", "direction": "same"}, 0.603, "confirmed"),
        ({"metric": "val_f1", "direction": "same", "by": 0.02}, 0.615, "confirmed"),
        ({"metric": "val_f1", "direction": "same", "by": 0.02}, 0.65, "refuted"),
        ({"metric": "val_f1", "direction": "sideways"}, 0.65, "inconclusive"),
        ({"metric": "val_acc", "direction": "up"}, 0.65, "inconclusive"),  # metric not in results
        ({"direction": "up"}, 0.65, "inconclusive"),
    ],
)
def test_verdict_table(prediction: dict, val_f1: float, verdict: str) -> None:
    assert compute_verdict(prediction, PARENT, {"val_f1": val_f1}) == verdict


def test_no_prediction_or_no_result_means_no_verdict() -> None:
    assert compute_verdict(None, PARENT, {"val_f1": 0.7}) is None
    assert compute_verdict({"metric": "val_f1", "direction": "up"}, PARENT, None) is None


def test_a_parent_without_result_is_inconclusive() -> None:
    prediction = {"metric": "val_f1", "direction": "up"}
    assert compute_verdict(prediction, None, {"val_f1": 0.7}) == "inconclusive"
    assert compute_verdict(prediction, {"train_f1": 0.8}, {"val_f1": 0.7}) == "inconclusive"
