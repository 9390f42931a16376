"""Workflow pages to render: the ecg-af example, an empty project and synthetic workflows."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from paribus.core.judgement.workflow import (
    Action,
    Evidence,
    Recommendation,
    Step,
    TimelinePoint,
    Workflow,
    build_workflow,
)
from paribus.core.model.project import Project

REPO = Path(__file__).resolve().parents[2]
ECG_AF = REPO / "examples" / "ecg-af"
STEP_TITLES = (
    "Describe the project",
    "Explore the data",
    "Baseline",
    "Error analysis",
    "Choose the intervention",
    "Hypothesis and prediction",
    "Run and compare",
)
SVG_PATTERN = re.compile(r"<svg\b.*?</svg>", re.S)


@pytest.fixture(scope="session")
def ecg_workflow() -> Workflow:
    return build_workflow(Project(ECG_AF))


def svg_elements(page: str) -> list[ElementTree.Element]:
    """Every inline SVG of the page, parsed as XML (raises on malformed markup)."""
    return [ElementTree.fromstring(match) for match in SVG_PATTERN.findall(page)]


def synthetic_workflow(
    *,
    task: str = "Classify things",
    n_points: int = 3,
    learning_points: list[list[float | None]] | None = None,
    curve_status: str = "fitted",
    intervention: str | None = "data",
) -> Workflow:
    states = ("done", "attention", "todo", "done", "attention", "todo", "done")
    steps = [
        Step(
            key=f"step{number}",
            title=title,
            state=states[number],  # type: ignore[arg-type]
            summary=f"summary of {title}",
            evidence=[Evidence("log entry", "experiments.yaml", number + 1)],
            actions=[Action("Scaffold baseline", command="paribus.scaffoldBaseline", arguments=[{"root": "/tmp/x"}])] if number == 2 else [],
        )
        for number, title in enumerate(STEP_TITLES)
    ]
    kinds = ["baseline"] + ["experiment" if i % 3 else "poc" for i in range(1, n_points)]
    verdicts = [None, "confirmed", "refuted", "inconclusive"]
    timeline = [
        TimelinePoint(
            id=f"e{i}",
            kind=kinds[i],
            value=None if i == n_points - 1 and n_points > 2 else 0.5 + 0.3 * i / max(n_points, 1),
            change="baseline" if i == 0 else f"lr 0.001→0.000{i % 9 + 1}",
            verdict=verdicts[i % 4] if kinds[i] == "experiment" else None,
            date="2026-01-01",
            line=i + 1,
        )
        for i in range(n_points)
    ]
    curve = {
        "status": curve_status,
        "message": "dev error ≈ 2·n^(−0.3) + 0 (R² 0.990)" if curve_status == "fitted" else "2 distinct training sizes: need at least 3 to fit a curve",
        "n_points": len(learning_points or []),
        "n_sizes": len(learning_points or []),
        "amplitude": 2.0 if curve_status == "fitted" else None,
        "exponent": 0.3 if curve_status == "fitted" else None,
        "floor": 0.0,
        "r_squared": 0.99 if curve_status == "fitted" else None,
        "target_error": 0.15,
        "size_for_target": (2.0 / 0.15) ** (1 / 0.3) if curve_status == "fitted" else None,
        "plateau": False,
        "plateau_reason": None,
    }
    if learning_points is not None:
        curve["points"] = learning_points
    return Workflow(
        root="/tmp/synthetic",
        project={"task": task, "inputs": "images", "outputs": "labels", "status": "iterating", "data": {"type": "image", "volume": "1k", "quirks": ["<b>bold</b>"]},
                 "card": "paribus.toml", "log": "experiments.yaml", "predictions": None},
        steps=steps,
        metric={"name": "val_acc", "goal": "max", "target": 0.85},
        chance=0.3,
        timeline=timeline,
        error_analysis={"id": "ea1", "of": "e0", "examined": 40, "conclusion": "Noise <dominates>.", "line": 3,
                        "ceilings": [{"category": "noise", "count": 20, "share": 0.5, "max_error_reduction": 0.1},
                                     {"category": "<blur>", "count": 10, "share": 0.25, "max_error_reduction": None}]},
        predictions=None,
        bias_variance={"metric": "acc", "goal": "max", "train_error": 0.2, "train_dev_error": None, "dev_error": 0.3, "reference": "target",
                       "reference_error": 0.15, "avoidable_bias": 0.05, "variance": 0.1, "data_mismatch": None, "dominant": "variance",
                       "interventions": ["more data"], "fitting_interventions": ["data"], "contradicting_interventions": [], "missing": [], "notes": []},
        learning_curve=curve,
        poc={"n_poc": 4, "recommended": 20, "remaining": 16, "done": False, "message": "4 of ~20 proof-of-concept variants tried"},
        recommendation=Recommendation(intervention, "Fix the data", ["Largest category: noise."]),
        findings=[{"path": "train.py", "line": 3, "column": 1, "end_line": 3, "end_column": 2, "code": "PB101", "severity": "warning", "message": "two <changes>"}],
    )
