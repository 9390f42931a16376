"""PB301's fix: an error-analysis entry pre-filled from the predictions file."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from paribus.core.judgement.check import run_rules
from paribus.core.model.project import Project

DEMO = Path(__file__).parents[2] / "examples" / "ecg-af"


def test_error_analysis_entry_counts_the_misclassified_examples(tmp_path: Path) -> None:
    root = tmp_path / "ecg-af"
    shutil.copytree(DEMO, root)
    finding = next(f for f in run_rules(Project(root).context(), select=["PB301"]))
    fix = finding.fixes[0].resolved()
    (edit,) = fix.edits
    assert edit.path == root / "experiments.yaml"
    assert edit.span.line == finding.span.line  # inserted just before the experiment
    assert edit.new_text == (
        "- id: ea2\n"
        "  kind: error-analysis\n"
        f"  date: {dt.date.today().isoformat()}\n"
        "  of: e1\n"
        "  examined: 104\n"
        "  categories: {AF misclassified: 18, noisy misclassified: 9, normal misclassified: 51, other misclassified: 26}\n"
        "  tags: {noise_level: {high: 39, low: 52, medium: 13}, lead: {inverted: 31, normal: 73}}\n"
        "  conclusion: \n"
    )
    path, cursor = fix.show
    assert (path, cursor.line, cursor.column) == (root / "experiments.yaml", finding.span.line + 7, len("  conclusion: ") + 1)
