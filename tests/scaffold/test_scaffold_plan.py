"""What scaffold_baseline plans: names, log entry, template choice, metric code; no writing."""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from paribus.core.actions.scaffold import (
    ScaffoldError,
    append_log_entry,
    scaffold_baseline,
    write_scaffold,
)

DAY = date(2026, 11, 20)
CARD = {"data": {"type": "tabular"}, "metric": {"name": "val_f1"}}


def test_the_plan_is_pure_and_its_entry_snapshots_the_script_constants(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("id,age,label\n1,30,yes\n2,40,no\n")
    plan = scaffold_baseline(tmp_path, CARD, data=None, label=None, samples=80, today=DAY)
    assert list(tmp_path.iterdir()) == [tmp_path / "data.csv"]
    assert plan.script_path == tmp_path / "baseline.py"
    assert plan.log_entry_text == (
        "- id: b1\n"
        "  kind: baseline\n"
        "  date: 2026-11-20\n"
        "  script: baseline.py\n"
        "  params: {SAMPLES: 80, TEST_SIZE: 0.3, C: 1.0, MAX_ITER: 1000}\n"
    )
    assert 'DATA = Path("data.csv")' in plan.script_text
    assert 'LABEL = "label"' in plan.script_text
    ast.parse(plan.script_text)


def test_an_existing_script_and_baseline_id_are_never_reused(tmp_path: Path) -> None:
    (tmp_path / "baseline.py").write_text("# mine\n")
    (tmp_path / "experiments.yaml").write_text("- id: b1\n  kind: baseline\n")
    plan = scaffold_baseline(tmp_path, CARD, data=Path("d.csv"), label="y", today=DAY)
    assert plan.script_path.name == "baseline_2.py"
    assert plan.entry_id == "b2"
    write_scaffold(plan)
    assert (tmp_path / "baseline.py").read_text() == "# mine\n"
    assert (tmp_path / "experiments.yaml").read_text() == (
        "- id: b1\n  kind: baseline\n\n" + plan.log_entry_text
    )


def test_writing_refuses_to_overwrite_a_script_created_in_the_meantime(tmp_path: Path) -> None:
    plan = scaffold_baseline(tmp_path, CARD, data=Path("d.csv"), label="y")
    plan.script_path.write_text("# written meanwhile\n")
    with pytest.raises(ScaffoldError, match="already exists"):
        write_scaffold(plan)
    assert plan.script_path.read_text() == "# written meanwhile\n"
    assert not plan.log_path.exists()


@pytest.mark.parametrize(
    ("data_type", "template"),
    [("tabular", "tabular"), ("other", "tabular"), ("text", "text"), ("image", "image"),
     ("audio", "signal"), ("timeseries", "signal"), ("biosignal", "signal"), ("weird", "tabular")],
)
def test_the_data_type_picks_the_template(tmp_path: Path, data_type: str, template: str) -> None:
    plan = scaffold_baseline(tmp_path, {"data": {"type": data_type}}, data=None, label="y")
    assert plan.template == template
    ast.parse(plan.script_text)


@pytest.mark.parametrize(
    ("metric", "call", "train_name"),
    [("val_f1", 'f1_score(labels, predicted, average="macro")', "train_f1"),
     ("val_acc", "accuracy_score(labels, predicted)", "train_acc"),
     ("dev_accuracy", "accuracy_score(labels, predicted)", "train_accuracy"),
     ("val_auc", "roc_auc_score(labels == classes[1], probabilities[:, 1])", "train_auc"),
     ("val_loss", "log_loss(labels, probabilities, labels=classes)", "train_loss"),
     ("f1", 'f1_score(labels, predicted, average="macro")', "train_f1")],
)
def test_the_card_metric_becomes_sklearn_code(
    tmp_path: Path, metric: str, call: str, train_name: str
) -> None:
    card = {"data": {"type": "tabular"}, "metric": {"name": metric}}
    plan = scaffold_baseline(tmp_path, card, data=Path("d.csv"), label="y")
    assert call in plan.script_text
    assert f'TRAIN_METRIC = "{train_name}"' in plan.script_text
    assert f'METRIC = "{metric}"  # the card\'s metric' in plan.script_text
    assert "return {TRAIN_METRIC: round(" in plan.script_text


def test_missing_data_is_a_placeholder_with_a_note(tmp_path: Path) -> None:
    plan = scaffold_baseline(tmp_path, {"data": {"type": "image"}}, data=None, label=None)
    assert 'DATA = Path("data")' in plan.script_text
    assert any("no data found" in note for note in plan.notes)


def test_append_log_entry_handles_empty_logs() -> None:
    entry = "- id: b1\n  kind: baseline\n"
    assert append_log_entry("", entry) == entry
    assert append_log_entry("[]\n", entry) == entry
    assert append_log_entry("- id: x1\n  kind: exploration", entry) == (
        "- id: x1\n  kind: exploration\n\n" + entry
    )


def test_the_scaffold_code_imports_no_ml_library() -> None:
    code = (
        "import sys, paribus.core.actions.scaffold, paribus.core.actions.init_project\n"
        "print(sorted(m for m in ('sklearn', 'numpy', 'pandas') if m in sys.modules))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert output.stdout.strip() == "[]"
