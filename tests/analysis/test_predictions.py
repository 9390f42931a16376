"""analyze_predictions on files whose right answer is known by construction."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from paribus.core.analysis import analyze_predictions

# AF is rare in training (100 vs 600 and 900) and fails half the time; the others rarely fail.
RARE_CLASS_FAILS = [
    {"label": "AF", "pred": "AF", "count": 50, "split": "dev", "noise_level": "low"},
    {"label": "AF", "pred": "normal", "count": 50, "split": "dev", "noise_level": "high"},
    {"label": "normal", "pred": "normal", "count": 855, "split": "dev", "noise_level": "low"},
    {"label": "normal", "pred": "other", "count": 45, "split": "dev", "noise_level": "high"},
    {"label": "other", "pred": "other", "count": 570, "split": "dev", "noise_level": "low"},
    {"label": "other", "pred": "normal", "count": 30, "split": "dev", "noise_level": "low"},
    {"label": "AF", "pred": "AF", "count": 100, "split": "train", "noise_level": "low"},
    {"label": "normal", "pred": "normal", "count": 900, "split": "train", "noise_level": "low"},
    {"label": "other", "pred": "other", "count": 600, "split": "train", "noise_level": "low"},
]


def test_counts_per_class_use_dev_rows_and_train_support(write_csv, frame_of):
    analysis = analyze_predictions(write_csv(frame_of(RARE_CLASS_FAILS)))

    assert (analysis.n_examples, analysis.n_errors) == (1600, 125)
    assert analysis.error_rate == pytest.approx(125 / 1600)
    assert analysis.evaluated_splits == ("dev",)
    assert analysis.support_source == "train split"
    by_label = {stats.label: stats for stats in analysis.classes}
    assert [stats.label for stats in analysis.classes] == ["AF", "normal", "other"]
    assert by_label["AF"].train_support == 100
    assert by_label["AF"].n_examples == 100
    assert by_label["AF"].n_errors == 50
    assert by_label["AF"].error_rate == pytest.approx(0.5)
    assert by_label["AF"].error_share == pytest.approx(50 / 125)
    assert by_label["normal"].error_rate == pytest.approx(45 / 900)
    assert analysis.misclassified_counts_by_class() == {"AF": 50, "normal": 45, "other": 30}


def test_errors_concentrated_in_a_rare_class_call_for_targeted_data(write_csv, frame_of):
    verdict = analyze_predictions(write_csv(frame_of(RARE_CLASS_FAILS))).verdict

    assert verdict.kind == "targeted-data"
    assert verdict.classes == ("AF",)
    # AF: 40 % of the errors, 6.25 % of the examples.
    assert "hold 40% of the errors but 6% of the examples (6.4×" in verdict.reasons[0]
    # Support ranks (1, 3, 2) against error-rate ranks (3, 1.5, 1.5).
    assert verdict.support_error_correlation == pytest.approx(-math.sqrt(3) / 2)


def test_uniform_errors_with_enough_examples_point_at_the_model(write_csv):
    rng = np.random.default_rng(7)
    classes = np.array(["AF", "normal", "other", "noisy"])
    labels = rng.choice(4, size=4000, p=[0.2, 0.4, 0.25, 0.15])
    wrong = rng.random(4000) < 0.1
    preds = np.where(wrong, (labels + rng.integers(1, 4, size=4000)) % 4, labels)
    frame = pd.DataFrame({"id": range(4000), "label": classes[labels], "pred": classes[preds]})

    analysis = analyze_predictions(write_csv(frame))

    assert analysis.verdict.kind == "model"
    assert analysis.verdict.classes == ()
    assert analysis.support_source is None
    assert analysis.n_errors == int(wrong.sum())
    expected_errors = frame[frame.label != frame.pred].groupby("label").size().to_dict()
    assert analysis.misclassified_counts_by_class() == expected_errors
    assert analysis.verdict.reasons[0].startswith("every class has at least 30 evaluated examples")


def test_a_hard_class_with_plenty_of_data_is_named_under_the_model_verdict(write_csv, frame_of):
    frame = frame_of(
        [
            {"label": "cat", "pred": "cat", "count": 400},
            {"label": "cat", "pred": "dog", "count": 100},
            {"label": "dog", "pred": "dog", "count": 490},
            {"label": "dog", "pred": "cat", "count": 10},
        ]
    )
    verdict = analyze_predictions(write_csv(frame)).verdict

    assert verdict.kind == "model"
    assert verdict.classes == ("cat",)


def test_too_few_errors_is_inconclusive(write_csv, frame_of):
    frame = frame_of(
        [
            {"label": "a", "pred": "a", "count": 300},
            {"label": "a", "pred": "b", "count": 10},
            {"label": "b", "pred": "b", "count": 300},
        ]
    )
    verdict = analyze_predictions(write_csv(frame)).verdict

    assert verdict.kind == "inconclusive"
    assert verdict.reasons == ("only 10 errors (need at least 20 to judge where they fall)",)


def test_a_thin_class_without_concentrated_errors_is_inconclusive(write_csv, frame_of):
    frame = frame_of(
        [
            {"label": "a", "pred": "a", "count": 270},
            {"label": "a", "pred": "b", "count": 30},
            {"label": "b", "pred": "b", "count": 18},
            {"label": "b", "pred": "a", "count": 2},
            {"label": "c", "pred": "c", "count": 270},
            {"label": "c", "pred": "a", "count": 30},
        ]
    )
    verdict = analyze_predictions(write_csv(frame)).verdict

    assert verdict.kind == "inconclusive"
    assert verdict.classes == ("b",)
    assert verdict.reasons[0].startswith("b has fewer than 30 evaluated examples")


def test_always_predicting_the_majority_class_is_not_above_chance(write_csv, frame_of):
    frame = frame_of(
        [{"label": "normal", "pred": "normal", "count": 700}, {"label": "AF", "pred": "normal", "count": 300}]
    )
    chance = analyze_predictions(write_csv(frame)).chance

    assert chance.level == pytest.approx(0.7)
    assert chance.majority_class == "normal"
    assert chance.source == "evaluated labels"
    assert chance.accuracy == pytest.approx(0.7)
    assert chance.margin == pytest.approx(0.0)
    assert chance.above_chance is False


def test_random_guessing_is_not_above_chance(write_csv):
    rng = np.random.default_rng(3)
    labels = rng.choice(["AF", "normal"], size=2000, p=[0.3, 0.7])
    frame = pd.DataFrame({"id": range(2000), "label": labels, "pred": rng.choice(["AF", "normal"], size=2000)})

    chance = analyze_predictions(write_csv(frame)).chance

    assert chance.margin < 0
    assert chance.above_chance is False


def test_chance_comes_from_training_support_when_present(write_csv, frame_of):
    chance = analyze_predictions(write_csv(frame_of(RARE_CLASS_FAILS))).chance

    assert chance.source == "training support"
    assert chance.level == pytest.approx(900 / 1600)
    assert chance.accuracy == pytest.approx(1 - 125 / 1600)
    assert chance.margin == pytest.approx(1 - 125 / 1600 - 900 / 1600)
    assert chance.above_chance is True


def test_most_confused_pairs_with_example_ids_in_file_order(write_csv, frame_of):
    frame = frame_of(RARE_CLASS_FAILS)
    analysis = analyze_predictions(write_csv(frame))

    assert [(pair.name, pair.count) for pair in analysis.confused_pairs] == [
        ("AF→normal", 50),
        ("normal→other", 45),
        ("other→normal", 30),
    ]
    first = analysis.confused_pairs[0]
    assert first.error_share == pytest.approx(0.4)
    expected_ids = frame[(frame.label == "AF") & (frame.pred == "normal") & (frame.split == "dev")].id.head(5)
    assert first.example_ids == tuple(expected_ids)


def test_max_confused_limits_the_pairs(write_csv, frame_of):
    analysis = analyze_predictions(write_csv(frame_of(RARE_CLASS_FAILS)), max_confused=1)

    assert [pair.name for pair in analysis.confused_pairs] == ["AF→normal"]


def test_tag_values_get_error_rate_and_share(write_csv, frame_of):
    analysis = analyze_predictions(write_csv(frame_of(RARE_CLASS_FAILS)))

    by_value = {stats.name: stats for stats in analysis.tags}
    assert set(by_value) == {"noise_level=high", "noise_level=low"}
    high = by_value["noise_level=high"]
    assert (high.n_examples, high.n_errors) == (95, 95)
    assert high.error_rate == pytest.approx(1.0)
    assert high.error_share == pytest.approx(95 / 125)
    assert by_value["noise_level=low"].n_errors == 30


def test_suggested_categories_prefill_an_error_analysis_entry(write_csv, frame_of):
    analysis = analyze_predictions(write_csv(frame_of(RARE_CLASS_FAILS)))

    assert analysis.suggested_categories == {
        "AF→normal": 50,
        "normal→other": 45,
        "other→normal": 30,
        "noise_level=high": 95,
        "noise_level=low": 30,
    }


def test_a_separate_train_labels_file_gives_support(write_csv, tmp_path, frame_of):
    dev_only = frame_of([block for block in RARE_CLASS_FAILS if block["split"] == "dev"]).drop(columns="split")
    train_labels = pd.DataFrame({"label": ["AF"] * 10 + ["normal"] * 70 + ["other"] * 20})
    train_path = tmp_path / "train_labels.csv"
    train_labels.to_csv(train_path, index=False)

    analysis = analyze_predictions(write_csv(dev_only), train_labels=train_path)

    assert analysis.support_source == "train labels file"
    assert [stats.train_support for stats in analysis.classes] == [10, 70, 20]
    assert analysis.chance.level == pytest.approx(0.7)


def test_integer_labels_match_float_and_text_predictions(tmp_path):
    frame = pd.DataFrame({"id": range(6), "label": [0, 1, 2, 0, 1, 2], "pred": ["0", "1", "2", "1", "1", "2.0"]})
    path = tmp_path / "predictions.parquet"
    frame.to_parquet(path)

    analysis = analyze_predictions(path)

    assert [stats.label for stats in analysis.classes] == ["0", "1", "2"]
    assert analysis.n_errors == 1
    assert analysis.confused_pairs[0].name == "0→1"


def test_parquet_gives_the_same_analysis_as_csv(write_csv, tmp_path, frame_of):
    frame = frame_of(RARE_CLASS_FAILS)
    parquet_path = tmp_path / "predictions.parquet"
    frame.to_parquet(parquet_path)

    from_csv = analyze_predictions(write_csv(frame)).to_json()
    from_parquet = analyze_predictions(parquet_path).to_json()

    assert {**from_parquet, "path": None} == {**from_csv, "path": None}


def test_rows_without_label_or_prediction_are_skipped_and_reported(tmp_path):
    path = tmp_path / "predictions.csv"
    path.write_text("id,label,pred\n1,a,a\n2,,a\n3,b,\n4,b,a\n")

    analysis = analyze_predictions(path)

    assert (analysis.n_examples, analysis.n_errors, analysis.n_skipped) == (2, 1, 2)
    assert "2 evaluated rows without a label or a prediction were skipped" in analysis.notes


def test_confidence_separates_right_and_wrong_answers(tmp_path):
    path = tmp_path / "predictions.csv"
    path.write_text("id,label,pred,confidence\n1,a,a,0.8\n2,a,a,0.6\n3,b,a,0.95\n4,b,a,0.5\n")

    summary = analyze_predictions(path).confidence

    assert summary.mean_correct == pytest.approx(0.7)
    assert summary.mean_errors == pytest.approx(0.725)
    assert summary.n_confident_errors == 1


def test_a_column_with_too_many_values_is_not_a_tag(tmp_path):
    path = tmp_path / "predictions.csv"
    rows = "\n".join(f"{index},a,{'a' if index % 2 else 'b'},{index * 0.37}" for index in range(120))
    path.write_text("id,label,pred,snr\n" + rows + "\n")

    analysis = analyze_predictions(path)

    assert analysis.tags == ()
    assert "column 'snr' has 120 distinct values: not treated as a tag" in analysis.notes


def test_to_json_is_plain_data(write_csv, frame_of):
    import json

    payload = analyze_predictions(write_csv(frame_of(RARE_CLASS_FAILS))).to_json()

    assert json.loads(json.dumps(payload)) == payload
    assert payload["verdict"]["kind"] == "targeted-data"


def test_integer_labels_match_integral_float_predictions_in_csv(tmp_path):
    path = tmp_path / "predictions.csv"
    path.write_text("id,label,pred\n1,0,0.0\n2,1,1.0\n3,1,0.0\n")

    analysis = analyze_predictions(path)

    assert [stats.label for stats in analysis.classes] == ["0", "1"]
    assert analysis.suggested_categories == {"1→0": 1}


def test_every_non_training_split_is_evaluated(tmp_path):
    path = tmp_path / "predictions.csv"
    path.write_text("id,label,pred,split\n1,a,a,train\n2,a,b,val\n3,b,b,test\n4,b,a,Train\n")

    analysis = analyze_predictions(path)

    assert analysis.evaluated_splits == ("test", "val")
    assert (analysis.n_examples, analysis.n_errors) == (2, 1)
    assert [stats.train_support for stats in analysis.classes] == [1, 1]
