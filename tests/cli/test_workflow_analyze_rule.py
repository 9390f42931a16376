"""paribus workflow, analyze and rule: the same content as the editor, as text or JSON."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

WORKFLOW_KEYS = {"root", "project", "steps", "metric", "chance", "timeline", "error_analysis", "predictions",
                 "bias_variance", "learning_curve", "poc", "recommendation", "findings", "noise"}
STEP_KEYS = {"key", "title", "state", "summary", "evidence", "actions"}
HTML_RENDERER = importlib.util.find_spec("paribus.render.html") is not None
PREDICTIONS = """\
id,label,pred,confidence,split
1,walk,walk,0.9,dev
2,walk,run,0.6,dev
3,run,run,0.8,dev
4,sit,stand,0.55,dev
5,stand,stand,0.7,dev
6,sit,sit,0.9,dev
7,walk,walk,0.9,train
8,sit,sit,0.9,train
"""


def test_workflow_json_gives_each_step_its_state(cli, project: Path) -> None:
    run = cli("workflow", "--format", "json", cwd=project)
    assert run.code == 0
    workflow = json.loads(run.out)
    assert set(workflow) == WORKFLOW_KEYS
    assert all(set(step) == STEP_KEYS for step in workflow["steps"])
    assert [(step["key"], step["state"]) for step in workflow["steps"]] == [
        ("describe", "done"), ("explore", "done"), ("baseline", "done"), ("error-analysis", "attention"),
        ("choose", "todo"), ("hypothesis", "attention"), ("run", "todo"),
    ]
    baseline = workflow["steps"][2]
    assert baseline["summary"] == "b1: val_acc 0.74 vs chance 0.25."
    assert baseline["evidence"] == [{"label": "baseline b1", "path": "experiments.yaml", "line": 6}]
    assert workflow["recommendation"]["intervention"] == "error-analysis"
    assert [(f["code"], f["line"]) for f in workflow["findings"]] == [("PB101", 4), ("PB101", 6)]


def test_workflow_text_starts_with_the_task_and_metric(cli, project: Path) -> None:
    run = cli("workflow", cwd=project)
    assert run.code == 0
    assert run.out.splitlines()[:2] == [
        "Paribus — Classify sensor windows into four activities",
        "Metric: val_acc (max, target 0.9, chance 0.25)",
    ]
    assert "2. Baseline" in run.out and "b1: val_acc 0.74 vs chance 0.25." in run.out


def test_workflow_output_file_and_root_from_a_subfolder(cli, project: Path) -> None:
    (project / "notes").mkdir()
    run = cli("workflow", "--root", "notes", "-o", "workflow.txt", cwd=project)
    assert (run.code, run.out) == (0, "Wrote workflow.txt\n")
    assert (project / "workflow.txt").read_text().startswith("Paribus — Classify sensor windows")


@pytest.mark.skipif(not HTML_RENDERER, reason="the HTML renderer is not there yet")
def test_workflow_html_is_one_self_contained_page(cli, project: Path) -> None:
    run = cli("workflow", "--format", "html", cwd=project)
    assert run.code == 0
    assert "<svg" in run.out or "<html" in run.out.lower()
    assert "<script src=" not in run.out


def test_analyze_text_report(cli, tmp_path: Path) -> None:
    (tmp_path / "predictions.csv").write_text(PREDICTIONS)
    run = cli("analyze", "predictions.csv", cwd=tmp_path)
    assert run.code == 0
    lines = run.out.splitlines()
    assert lines[:2] == [
        "Predictions: predictions.csv",
        "6 examples evaluated (dev), 2 errors, error rate 33.3%, accuracy 66.7%",
    ]
    assert "  sit    stand          1            50.0%            4" in lines


def test_analyze_json_counts_errors_per_class_with_train_support(cli, tmp_path: Path) -> None:
    (tmp_path / "predictions.csv").write_text(PREDICTIONS)
    run = cli("analyze", "predictions.csv", "--format", "json", cwd=tmp_path)
    assert run.code == 0
    analysis = json.loads(run.out)
    assert (analysis["n_examples"], analysis["n_errors"], analysis["evaluated_splits"]) == (6, 2, ["dev"])
    by_label = {row["label"]: row for row in analysis["classes"]}
    assert by_label["sit"] == {"label": "sit", "train_support": 1, "n_examples": 2, "n_errors": 1,
                               "error_rate": 0.5, "error_share": 0.5}
    assert analysis["confused_pairs"][0] == {"label": "sit", "pred": "stand", "count": 1,
                                             "error_share": 0.5, "example_ids": ["4"]}


@pytest.mark.skipif(not HTML_RENDERER, reason="the HTML renderer is not there yet")
def test_analyze_html(cli, tmp_path: Path) -> None:
    (tmp_path / "predictions.csv").write_text(PREDICTIONS)
    run = cli("analyze", "predictions.csv", "--format", "html", cwd=tmp_path)
    assert run.code == 0 and "sit" in run.out


def test_analyze_refuses_missing_files_and_columns_with_exit_2(cli, tmp_path: Path) -> None:
    run = cli("analyze", "missing.csv", cwd=tmp_path)
    assert (run.code, run.out, run.err) == (2, "", "paribus: missing.csv: no such file\n")
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n")
    run = cli("analyze", "bad.csv", cwd=tmp_path)
    assert run.code == 2
    assert run.err == (
        "paribus: bad.csv: missing columns 'label', 'pred' (columns found: 'a', 'b'); "
        "a predictions file needs a header row with id,label,pred\n"
    )


def test_rule_lists_every_rule_one_per_line(cli) -> None:
    from paribus.core.judgement.rules import RULES

    run = cli("rule")
    assert run.code == 0
    lines = run.out.splitlines()
    assert [line.split()[0] for line in lines] == list(RULES)
    assert any(line.startswith("PB101  warning  multiple-variables-changed") for line in lines)


def test_rule_shows_the_docs_of_one_code_in_any_case(cli) -> None:
    run = cli("rule", "pb101")
    assert run.code == 0
    assert run.out.startswith("**PB101** `multiple-variables-changed` · default severity warning\n")
    assert "What it does" in run.out


def test_an_unknown_rule_exits_2(cli) -> None:
    run = cli("rule", "PB999")
    assert (run.code, run.out, run.err) == (2, "", "paribus: no rule PB999\n")
