"""The workflow's timeline with the noise: each result ± its noise, the comparison with its
parent, replicates drawn as their state's spread — the same numbers in JSON, text and SVG."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from paribus.core.judgement.workflow import build_workflow
from paribus.core.model.project import Project
from paribus.render import render_workflow
from scipy import stats

from conftest import svg_elements

SVG = "{http://www.w3.org/2000/svg}"
CARD = 'task = "t"\nmetric = { name = "val_acc", goal = "max", target = 0.9, dev_size = 200 }\nchance = 0.5\n'
LOG = (
    "- id: b1\n  kind: baseline\n  params: {lr: 0.1, seed: 0}\n  result: {val_acc: 0.70}\n"
    "- id: r1\n  kind: replicate\n  parent: b1\n  change: {seed: [0, 1]}\n  result: {val_acc: 0.74}\n"
    "- id: r2\n  kind: replicate\n  parent: b1\n  change: {seed: [0, 2]}\n  result: {val_acc: 0.67}\n"
    "- id: ea1\n  kind: error-analysis\n  of: b1\n  examined: 50\n  categories: {blurry: 30, dark: 20}\n"
    "- id: e1\n  kind: experiment\n  parent: b1\n  change: {lr: [0.1, 0.01]}\n  hypothesis: x\n"
    "  prediction: {metric: val_acc, direction: up}\n  result: {val_acc: 0.76}\n  verdict: confirmed\n"
)


@pytest.fixture
def workflow(tmp_path: Path):
    (tmp_path / "paribus.toml").write_text(CARD)
    (tmp_path / "experiments.yaml").write_text(LOG)
    return build_workflow(Project(tmp_path))


def test_json_gives_each_result_its_noise_and_each_replicate_its_state(workflow) -> None:
    points = {point["id"]: point for point in workflow.to_json()["timeline"]}
    assert workflow.to_json()["noise"] == {"confidence": 0.95, "dev_size": 200, "dev_size_source": "metric.dev_size in the card"}
    runs = [0.70, 0.74, 0.67]
    assert points["b1"]["runs"] == runs
    assert (points["r1"]["replicate_of"], points["r2"]["replicate_of"], points["b1"]["replicate_of"]) == ("b1", "b1", None)
    # One run of b1: binomial at 0.70 on 200 examples, plus one run's seed variance (t with 2 df).
    sampling, seeds = 0.7 * 0.3 / 200, stats.tvar(runs)
    degrees = (sampling + seeds) ** 2 / (seeds**2 / 2)
    assert points["b1"]["noise"] == pytest.approx(stats.t.ppf(0.975, degrees) * math.sqrt(sampling + seeds))
    assert points["b1"]["noise_source"] == f"on 200 dev examples, with the spread of 3 runs of b1 (sd {math.sqrt(seeds):.3f})"
    comparison = points["e1"]["comparison"]
    assert (comparison["parent"], comparison["verdict"]) == ("b1", "inconclusive")
    assert comparison["movement"] == pytest.approx(0.76 - sum(runs) / 3)
    assert comparison["text"].startswith(f"val_acc 0.7033 (mean of 3 runs) → 0.76: +0.057 ± {comparison['noise']:.3f} on 200 dev examples, with the spread")


def test_text_carries_the_same_numbers(workflow) -> None:
    text = render_workflow(workflow, "text")
    points = {point.id: point for point in workflow.timeline}
    assert "Timeline (val_acc; ± the 95 % noise of each result) — 200 dev examples (metric.dev_size in the card)" in text
    assert f"  b1     baseline    0.700 ± {points['b1'].noise:.3f}  baseline" in text
    assert f"  r1     replicate   0.740 ± {points['r1'].noise:.3f}  run of b1 (seed 0→1)" in text
    assert f"vs b1: {points['e1'].comparison['text']} → inconclusive" in text
    assert "  b1 over 3 runs: 0.700, 0.740, 0.670 — mean 0.703, sd 0.035" in text


def test_the_chart_draws_noise_bars_and_the_replicates_spread(workflow) -> None:
    page = render_workflow(workflow, "html")
    [timeline] = [svg for svg in svg_elements(page) if "per log entry" in svg.get("aria-label", "")]
    bars = [path for path in timeline.iter(f"{SVG}path") if path.get("class") == "noise-bar"]
    assert sorted(bar.find(f"{SVG}title").text.split(":")[0] for bar in bars) == ["b1", "e1", "r1", "r2"]
    [spread] = [rect for rect in timeline.iter(f"{SVG}rect") if rect.get("class") == "spread"]
    assert spread.find(f"{SVG}title").text == "b1 over 3 runs: 0.67–0.74"
    replicates = [circle for circle in timeline.iter(f"{SVG}circle") if "replicate" in (circle.get("class") or "")]
    assert len(replicates) == 2
    # Replicates sit in their state's column: the same x as the spread's centre.
    centre = float(spread.get("x")) + float(spread.get("width")) / 2
    assert all(float(circle.get("cx")) == pytest.approx(centre) for circle in replicates)
    assert "± 95 % noise" in page and "spread of a state" in page
    assert "vs b1:</span> val_acc 0.7033 (mean of 3 runs) → 0.76: +0.057 ±" in page
