"""Each unreadable input gets an AnalysisError that says what is wrong."""

from __future__ import annotations

import pandas as pd
import pytest
from paribus.core.analysis import AnalysisError, analyze_predictions


def test_missing_file(tmp_path):
    with pytest.raises(AnalysisError, match=r"missing\.csv: no such file$"):
        analyze_predictions(tmp_path / "missing.csv")


def test_missing_column_names_it_and_lists_the_columns_found(tmp_path):
    path = tmp_path / "predictions.csv"
    path.write_text("id,label,prediction\n1,a,a\n")

    with pytest.raises(AnalysisError) as raised:
        analyze_predictions(path)

    assert "missing column 'pred' (columns found: 'id', 'label', 'prediction')" in raised.value.message


def test_two_missing_columns(tmp_path):
    path = tmp_path / "predictions.csv"
    path.write_text("id,score\n1,0.5\n")

    with pytest.raises(AnalysisError, match=r"missing columns 'label', 'pred' \(columns found: 'id', 'score'\)"):
        analyze_predictions(path)


def test_empty_file(tmp_path):
    path = tmp_path / "predictions.csv"
    path.write_text("")

    with pytest.raises(AnalysisError, match="the file is empty"):
        analyze_predictions(path)


def test_header_without_rows(tmp_path):
    path = tmp_path / "predictions.csv"
    path.write_text("id,label,pred\n")

    with pytest.raises(AnalysisError, match="has a header but no rows"):
        analyze_predictions(path)


def test_binary_garbage(tmp_path):
    path = tmp_path / "predictions.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))

    with pytest.raises(AnalysisError, match=r"not a CSV or Parquet file \(binary content\)"):
        analyze_predictions(path)


def test_corrupt_parquet(tmp_path):
    path = tmp_path / "predictions.parquet"
    path.write_bytes(b"PAR1 this is not really parquet")

    with pytest.raises(AnalysisError, match="not a readable Parquet file"):
        analyze_predictions(path)


def test_text_that_is_not_a_predictions_table(tmp_path):
    path = tmp_path / "experiments.yaml"
    path.write_text("- id: b1\n  kind: baseline\n")

    with pytest.raises(AnalysisError, match="missing columns 'label', 'pred'.*header row with id,label,pred"):
        analyze_predictions(path)


def test_text_labels_against_numeric_predictions_cannot_be_compared(tmp_path):
    path = tmp_path / "predictions.csv"
    pd.DataFrame({"id": [1, 2, 3], "label": ["AF", "normal", "AF"], "pred": [0, 1, 1]}).to_csv(path, index=False)

    with pytest.raises(AnalysisError) as raised:
        analyze_predictions(path)

    assert raised.value.message == (
        "labels and predictions cannot be compared: label holds text ('AF', 'normal'); "
        "pred holds numbers ('0', '1') — no value in common; "
        "save predictions as the same class names or indices as the labels"
    )


def test_only_training_rows(tmp_path):
    path = tmp_path / "predictions.csv"
    path.write_text("id,label,pred,split\n1,a,a,train\n2,b,b,train\n")

    with pytest.raises(AnalysisError, match="every row has split == 'train'"):
        analyze_predictions(path)


def test_non_numeric_confidence(tmp_path):
    path = tmp_path / "predictions.csv"
    path.write_text("id,label,pred,confidence\n1,a,a,high\n")

    with pytest.raises(AnalysisError, match="column 'confidence' must hold numbers"):
        analyze_predictions(path)


def test_train_labels_file_without_a_label_column(tmp_path):
    predictions = tmp_path / "predictions.csv"
    predictions.write_text("id,label,pred\n1,a,a\n")
    train_labels = tmp_path / "train.csv"
    train_labels.write_text("id,class\n1,a\n")

    with pytest.raises(AnalysisError, match=r"train\.csv: missing column 'label'"):
        analyze_predictions(predictions, train_labels=train_labels)
