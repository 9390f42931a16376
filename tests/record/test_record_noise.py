"""Recording a result judges its verdict against the noise, as PB203 and PB205 do."""

from __future__ import annotations

import math
from pathlib import Path

from paribus.cli import main
from paribus.core.actions.record import fill_result, record_result
from paribus.core.model.project import Project
from scipy import stats
from statsmodels.stats.proportion import proportions_ztest

CARD = 'metric = { name = "val_acc", goal = "max", dev_size = 200 }\nchance = 0.5\n'
LOG = (
    "- id: b1\n  kind: baseline\n  result: {val_acc: 0.70}\n"
    "- id: e1\n  kind: experiment\n  parent: b1\n  change: {lr: [0.1, 0.01]}\n"
    "  hypothesis: smaller steps\n  prediction: {metric: val_acc, direction: up}\n"
)


def project(tmp_path: Path, card: str = CARD) -> Project:
    (tmp_path / "paribus.toml").write_text(card)
    (tmp_path / "experiments.yaml").write_text(LOG)
    return Project(tmp_path)


def test_a_gain_within_the_noise_is_recorded_inconclusive_with_its_interval(tmp_path: Path) -> None:
    new_text, outcome = fill_result(LOG, {"val_acc": 0.72}, project=project(tmp_path))
    z, _ = proportions_ztest([144, 140], [200, 200])
    half_width = stats.norm.ppf(0.975) * 0.02 / abs(z)
    assert new_text == LOG + "  result: {val_acc: 0.72}\n  verdict: inconclusive\n"
    assert outcome.difference == f"+0.020 ± {half_width:.3f} on 200 dev examples"
    assert outcome.summary() == f"recorded e1: val_acc 0.72 (inconclusive: +0.020 ± {half_width:.3f} on 200 dev examples)"
    # Without the project, the numbers are taken as they are.
    assert fill_result(LOG, {"val_acc": 0.72})[1].verdict == "confirmed"


def test_a_real_gain_is_confirmed(tmp_path: Path) -> None:
    path = tmp_path / "experiments.yaml"
    outcome = record_result(path, {"val_acc": 0.82}, project=project(tmp_path))
    assert outcome.verdict == "confirmed"
    assert path.read_text().endswith("  result: {val_acc: 0.82}\n  verdict: confirmed\n")


def test_paribus_record_says_the_verdict_with_its_noise(tmp_path: Path, capsys, monkeypatch) -> None:
    project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["record", "val_acc=0.72"]) == 0
    out = capsys.readouterr().out
    assert "Verdict against its prediction (parent b1): inconclusive (+0.020 ± 0.089 on 200 dev examples).\n" in out


def test_record_from_a_training_script_weighs_the_noise_too(tmp_path: Path, monkeypatch, capsys) -> None:
    from paribus import record

    project(tmp_path)
    monkeypatch.chdir(tmp_path)
    outcome = record(val_acc=0.72)
    assert outcome.verdict == "inconclusive"
    assert "paribus: recorded e1: val_acc 0.72 (inconclusive: +0.020 ± 0.089 on 200 dev examples) in experiments.yaml" in capsys.readouterr().out


def test_replicate_runs_are_averaged_before_the_comparison(tmp_path: Path) -> None:
    log = LOG.replace("- id: e1", "- id: r1\n  kind: replicate\n  parent: b1\n  result: {val_acc: 0.76}\n- id: e1")
    (tmp_path / "paribus.toml").write_text('metric = { name = "val_acc", goal = "max" }\n')
    _, outcome = fill_result(log, {"val_acc": 0.75}, project=Project(tmp_path))
    # b1 and r1: mean 0.73, sd 0.0424 over 2 runs; e1 one run: ± t(1) · sd · √(1/2 + 1).
    half_width = stats.t.ppf(0.975, 1) * stats.tstd([0.70, 0.76]) * math.sqrt(1 / 2 + 1)
    assert outcome.verdict == "inconclusive"
    assert outcome.difference == f"+0.020 ± {half_width:.3f} with the spread of 2 runs of b1 (sd 0.042)"
