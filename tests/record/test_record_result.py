"""record_result: fills the pending entry, keeps the user's text, writes atomically, refuses races."""

from __future__ import annotations

import os
from pathlib import Path

import paribus.core.actions.record as record_module
import paribus.core.model.files as files_module
import pytest
from paribus.core.actions.record import (
    InvalidLogError,
    LogChangedError,
    LogNotFoundError,
    NoPendingEntryError,
    RecordError,
    UnknownEntryError,
    fill_result,
    record_result,
)

LOG = """\
# Experiment log: one entry per question.

- id: b1
  kind: baseline
  params: {LEARNING_RATE: 0.001, BATCH_SIZE: 32}
  result: {train_f1: 0.71, val_f1: 0.58}   # above chance (0.25)

- id: e1
  kind: experiment
  parent: b1
  change: {FLIP_INVERTED: [false, true]}
  hypothesis: Flipping inverted leads removes most inverted-lead errors.
  prediction: {metric: val_f1, direction: up, by: 0.05}   # my guess

# next: the learning rate, once e1 is in
- id: x2
  kind: exploration
  notes: "quoted 'note'"
"""

RECORDED = LOG.replace(
    "  prediction: {metric: val_f1, direction: up, by: 0.05}   # my guess\n",
    "  prediction: {metric: val_f1, direction: up, by: 0.05}   # my guess\n"
    "  result: {train_f1: 0.77, val_f1: 0.66}\n"
    "  verdict: confirmed\n",
)


def write_log(tmp_path: Path, text: str = LOG) -> Path:
    path = tmp_path / "experiments.yaml"
    path.write_text(text)
    return path


def test_the_pending_entry_gets_result_and_verdict_and_nothing_else_changes(tmp_path: Path) -> None:
    path = write_log(tmp_path)
    outcome = record_result(path, {"train_f1": 0.77, "val_f1": 0.66})
    assert path.read_text() == RECORDED
    assert (outcome.entry_id, outcome.verdict, outcome.parent_id) == ("e1", "confirmed", "b1")
    assert outcome.result == {"train_f1": 0.77, "val_f1": 0.66}
    assert outcome.summary() == "recorded e1: train_f1 0.77, val_f1 0.66 (confirmed)"


def test_a_named_entry_has_its_result_replaced_in_place(tmp_path: Path) -> None:
    path = write_log(tmp_path)
    record_result(path, {"train_f1": 0.7, "val_f1": 0.6}, entry_id="b1")
    # The end-of-line comment keeps its column.
    assert path.read_text() == LOG.replace(
        "result: {train_f1: 0.71, val_f1: 0.58}   # above",
        "result: {train_f1: 0.7, val_f1: 0.6}     # above",
    )


def test_an_existing_verdict_is_recomputed_and_result_goes_before_it() -> None:
    text = "- id: e1\n  kind: experiment\n  prediction: {metric: f1, direction: up}\n  verdict: confirmed\n"
    parent = "- id: b1\n  kind: baseline\n  result: {f1: 0.5}\n"
    new_text, outcome = fill_result(parent + text, {"f1": 0.4})
    assert new_text == parent + (
        "- id: e1\n  kind: experiment\n  prediction: {metric: f1, direction: up}\n"
        "  result: {f1: 0.4}\n  verdict: refuted\n"
    )
    assert outcome.parent_id == "b1"  # the previous run entry, no `parent` key needed


def test_an_entry_without_prediction_gets_no_verdict() -> None:
    new_text, outcome = fill_result("- id: b1\n  kind: baseline\n", {"val_f1": 0.5, "epochs": 3})
    assert new_text == "- id: b1\n  kind: baseline\n  result: {val_f1: 0.5, epochs: 3}\n"
    assert outcome.verdict is None


def test_numpy_scalars_are_written_as_plain_numbers() -> None:
    numpy = pytest.importorskip("numpy")
    new_text, _ = fill_result("- id: b1\n  kind: baseline\n", {"val_f1": numpy.float64(0.5)})
    assert new_text.endswith("  result: {val_f1: 0.5}\n")


def test_crlf_line_endings_and_document_start_survive() -> None:
    text = "---\r\n- id: b1\r\n  kind: baseline\r\n"
    new_text, _ = fill_result(text, {"val_f1": 0.5})
    assert new_text == "---\r\n- id: b1\r\n  kind: baseline\r\n  result: {val_f1: 0.5}\r\n"


def test_the_write_is_atomic_and_keeps_the_file_mode(tmp_path: Path, monkeypatch) -> None:
    path = write_log(tmp_path)
    os.chmod(path, 0o640)
    replaced: list[tuple[str, str]] = []
    real_replace = os.replace
    monkeypatch.setattr(
        files_module.os, "replace",
        lambda source, target: (replaced.append((str(source), str(target))), real_replace(source, target)),
    )
    record_result(path, {"val_f1": 0.66})
    [(source, target)] = replaced
    assert Path(source).parent == tmp_path and target == str(path)
    assert oct(path.stat().st_mode & 0o777) == oct(0o640)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["experiments.yaml"]  # no temp left


def test_a_log_changed_during_the_record_is_not_overwritten(tmp_path: Path, monkeypatch) -> None:
    path = write_log(tmp_path)
    real_fill = record_module.fill_result

    def fill_while_someone_saves(*args, **kwargs):
        result = real_fill(*args, **kwargs)
        path.write_text(LOG + "# saved from the editor meanwhile\n")
        return result

    monkeypatch.setattr(record_module, "fill_result", fill_while_someone_saves)
    with pytest.raises(LogChangedError, match="changed while"):
        record_result(path, {"val_f1": 0.66})
    assert path.read_text() == LOG + "# saved from the editor meanwhile\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["experiments.yaml"]


def test_the_editor_text_must_match_the_file(tmp_path: Path) -> None:
    path = write_log(tmp_path)
    with pytest.raises(LogChangedError, match="differs"):
        record_result(path, {"val_f1": 0.66}, expected_text=LOG + "- id: e2\n")
    assert path.read_text() == LOG
    record_result(path, {"train_f1": 0.77, "val_f1": 0.66}, expected_text=LOG)
    assert path.read_text() == RECORDED


@pytest.mark.parametrize(
    ("text", "kwargs", "error", "message"),
    [
        ("- id: b1\n  kind: baseline\n  result: {f1: 1}\n", {}, NoPendingEntryError, "no pending"),
        (LOG, {"entry_id": "e9"}, UnknownEntryError, "e9"),
        ("- id: b1\n  kind: [unclosed\n", {}, InvalidLogError, "not valid YAML"),
        ("id: b1\nkind: baseline\n", {}, InvalidLogError, "list of entries"),
        ("", {}, NoPendingEntryError, "no pending"),
    ],
)
def test_clear_errors(tmp_path: Path, text: str, kwargs: dict, error: type, message: str) -> None:
    path = write_log(tmp_path, text)
    with pytest.raises(error, match=message):
        record_result(path, {"val_f1": 0.5}, **kwargs)
    assert path.read_text() == text


def test_missing_log_and_bad_metrics_are_record_errors(tmp_path: Path) -> None:
    with pytest.raises(LogNotFoundError):
        record_result(tmp_path / "experiments.yaml", {"val_f1": 0.5})
    path = write_log(tmp_path)
    for metrics in ({}, {"val_f1": "high"}, {"val_f1": float("nan")}, {"ok": True}):
        with pytest.raises(RecordError):
            record_result(path, metrics)
    assert path.read_text() == LOG
