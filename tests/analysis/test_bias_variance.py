"""bias_variance on hand-computed metrics."""

from __future__ import annotations

import pytest
from paribus.core.analysis import bias_variance
from paribus.core.analysis.bias_variance import base_metric


@pytest.mark.parametrize(
    ("metric", "base"),
    [("val_f1", "f1"), ("dev_acc", "acc"), ("train_dev_loss", "loss"), ("f1", "f1"), ("test_auc", "auc")],
)
def test_the_split_prefix_is_stripped(metric, base):
    assert base_metric(metric) == base


def test_high_bias_against_human_level():
    diagnosis = bias_variance({"train_f1": 0.71, "val_f1": 0.66}, "val_f1", "max", human_level=0.95)

    assert diagnosis.metric == "f1"
    assert diagnosis.train_error == pytest.approx(0.29)
    assert diagnosis.dev_error == pytest.approx(0.34)
    assert diagnosis.reference == "human-level"
    assert diagnosis.reference_error == pytest.approx(0.05)
    assert diagnosis.avoidable_bias == pytest.approx(0.24)
    assert diagnosis.variance == pytest.approx(0.05)
    assert diagnosis.data_mismatch is None
    assert diagnosis.dominant == "bias"
    assert diagnosis.contradicting_interventions == ("data",)
    assert "more data won't help: the model does not fit the data it has" in diagnosis.interventions


def test_high_variance_against_the_target():
    diagnosis = bias_variance({"train_f1": 0.98, "val_f1": 0.80}, "val_f1", "max", target=0.95)

    assert diagnosis.reference == "target"
    assert diagnosis.avoidable_bias == pytest.approx(-0.03)
    assert diagnosis.variance == pytest.approx(0.18)
    assert diagnosis.dominant == "variance"
    assert diagnosis.fitting_interventions == ("data", "hyperparameters", "architecture")
    assert "more data" in diagnosis.interventions


def test_train_dev_separates_variance_from_data_mismatch():
    result = {"train_acc": 0.99, "train_dev_acc": 0.98, "dev_acc": 0.88}

    diagnosis = bias_variance(result, "dev_acc", "max", human_level=0.995)

    assert diagnosis.avoidable_bias == pytest.approx(0.005)
    assert diagnosis.variance == pytest.approx(0.01)
    assert diagnosis.data_mismatch == pytest.approx(0.10)
    assert diagnosis.dominant == "data-mismatch"
    assert diagnosis.fitting_interventions == ("data",)


def test_loss_is_its_own_error_and_defaults_to_a_perfect_reference():
    diagnosis = bias_variance({"train_loss": 0.40, "val_loss": 0.45}, "val_loss", "min")

    assert diagnosis.train_error == pytest.approx(0.40)
    assert diagnosis.reference == "perfect score"
    assert diagnosis.avoidable_bias == pytest.approx(0.40)
    assert diagnosis.variance == pytest.approx(0.05)
    assert diagnosis.dominant == "bias"


def test_percentages_are_read_on_a_100_scale():
    diagnosis = bias_variance({"train_acc": 92.0, "val_acc": 80.0}, "val_acc", "max", human_level=97.0)

    assert diagnosis.train_error == pytest.approx(8.0)
    assert diagnosis.avoidable_bias == pytest.approx(5.0)
    assert diagnosis.variance == pytest.approx(12.0)
    assert diagnosis.dominant == "variance"
    assert "scores read as percentages" in diagnosis.notes


def test_unknown_scale_keeps_the_gaps():
    diagnosis = bias_variance({"train_reward": 310.0, "val_reward": 250.0}, "val_reward", "max")

    assert diagnosis.train_error is None
    assert diagnosis.avoidable_bias is None
    assert diagnosis.variance == pytest.approx(60.0)
    assert diagnosis.dominant == "variance"


def test_missing_metrics_are_named():
    diagnosis = bias_variance({"val_f1": 0.7}, "val_f1", "max", target=0.85)

    assert diagnosis.missing == ("train_f1",)
    assert diagnosis.avoidable_bias is None
    assert diagnosis.variance is None
    assert diagnosis.dominant is None
    assert diagnosis.interventions == ()


def test_small_gaps_have_no_dominant_cause():
    diagnosis = bias_variance({"train_f1": 0.995, "val_f1": 0.99}, "val_f1", "max", target=0.98)

    assert diagnosis.dominant is None
    assert "dev already meets the target" in diagnosis.notes


def test_to_json_round_trips():
    import json

    payload = bias_variance({"train_f1": 0.71, "val_f1": 0.66}, "val_f1", "max").to_json()

    assert json.loads(json.dumps(payload)) == payload
