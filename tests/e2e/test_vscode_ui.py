"""The issue's scenario in VS Code (code-server in Chromium), driven through the UI.

vscode/ui.mjs runs every step once per session and records what the page showed; each test
below asserts one behaviour on that record. Screenshots go to test-output/e2e/."""

from __future__ import annotations

import pytest
from e2e_support import DriverRun, run_vscode_driver
from e2e_support import driver_step as step

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def ui(editors_installed, python, vsix, tmp_path_factory) -> DriverRun:
    return run_vscode_driver("ui.mjs", tmp_path_factory.mktemp("vscode-ui"), python, vsix, timeout=480)


def test_changed_hyperparameters_are_flagged_in_editor_and_problems_panel(ui):
    record = step(ui, "diagnostics")
    assert record["squiggles"] == [10, 12], record
    assert "Warnings: 2" in (record["statusProblems"] or ""), record["statusProblems"]
    pb101 = [row for row in record["problems"] if "PB101" in row]
    assert len(pb101) == 2, record["problems"]
    learning_rate, dropout = sorted(pb101, key=lambda row: "DROPOUT" in row)
    assert learning_rate.startswith("LEARNING_RATE changed (0.001 → 0.0003)"), learning_rate
    assert learning_rate.endswith("[Ln 10, Col 17]"), learning_rate
    assert dropout.startswith("DROPOUT changed (0.1 → 0.3)"), dropout
    assert dropout.endswith("[Ln 12, Col 11]"), dropout
    assert not any("PB105" in row for row in record["problems"]), record["problems"]


def test_codelens_over_the_script_shows_last_result_and_pending_change(ui):
    lenses = " | ".join(step(ui, "codeLens")["codeLenses"])
    assert "Last result b1: val_acc 0.7" in lenses, lenses
    assert "Pending change: LEARNING_RATE, DROPOUT" in lenses, lenses


def test_add_hypothesis_opens_the_new_entry_and_typing_clears_pb201(ui):
    record = step(ui, "addHypothesis")
    assert record["activeTab"].startswith("experiments.yaml"), record["activeTab"]
    cursor_line = str(record["cursorLine"])
    assert record["linesAfterFix"][cursor_line].strip() == "hypothesis:", record["linesAfterFix"]
    assert record["linesAfterTyping"][cursor_line].strip() == f"hypothesis: {record['typed']}"
    assert "LEARNING_RATE: [0.001, 0.0003]" in record["savedLog"], record["savedLog"]
    assert f"hypothesis: {record['typed']}" in record["savedLog"], record["savedLog"]
    on_hypothesis = f"[Ln {record['cursorLine']}, Col 3]"
    assert any("PB201" in row and on_hypothesis in row for row in record["problemsBeforeTyping"]), record["problemsBeforeTyping"]
    assert not any("PB201" in row or "PB102" in row for row in record["problemsAfterTyping"]), record["problemsAfterTyping"]


def test_workflow_webview_shows_the_steps_and_this_project(ui):
    record = step(ui, "workflow")
    assert record["tab"].startswith("Paribus workflow"), record["tab"]
    text = record["webviewText"]
    for name in ("Describe", "Explore the data", "Baseline", "Error analysis",
                 "Choose the intervention", "Hypothesis", "Run and compare"):
        assert name in text, f"{name!r} not in the webview text:\n{text}"
    assert "Classify noisy 2-D points into two classes" in text, text
    # This project's state: the baseline's result and the hypothesis typed in the step before.
    assert "b1: val_acc 0.7" in text, text
    assert f"e1: {step(ui, 'addHypothesis')['typed']}" in text, text


def test_hover_shows_the_history_of_the_changed_value(ui):
    hover = step(ui, "hover")["hover"]
    assert "LEARNING_RATE across runs" in hover, hover
    assert "b1\tbaseline\t0.001" in hover, hover  # a row of the rendered table


def test_codelens_shows_the_pending_entry_once_recorded(ui):
    lenses = " | ".join(step(ui, "hover")["codeLenses"])
    assert "Last result b1: val_acc 0.7" in lenses, lenses
    assert "Pending e1: LEARNING_RATE, DROPOUT" in lenses, lenses
