"""A seed is part of a run's state: compared like any other value by the PB1xx rules."""

from __future__ import annotations

from pathlib import Path

from paribus.core.judgement.check import run_rules
from paribus.core.model.project import Project

CARD = 'metric = { name = "val_acc", goal = "max" }\nscripts = ["train.py"]\n'
LOG = "- id: b1\n  kind: baseline\n  params: {manual_seed.seed: 0, LR: 0.001}\n  result: {train_acc: 0.8, val_acc: 0.7}\n"


def _findings(tmp_path: Path, script: str):
    (tmp_path / "paribus.toml").write_text(CARD, encoding="utf-8")
    (tmp_path / "experiments.yaml").write_text(LOG, encoding="utf-8")
    (tmp_path / "train.py").write_text(script, encoding="utf-8")
    return run_rules(Project(tmp_path).context(), select=["PB1"])


def test_a_seed_changed_with_the_learning_rate_is_two_changes(tmp_path: Path) -> None:
    findings = _findings(tmp_path, "import torch\ntorch.manual_seed(1)\nLR = 3e-4\n")
    assert [(f.code, f.span.line) for f in findings] == [("PB101", 2), ("PB101", 3)]
    assert findings[0].message.startswith("manual_seed.seed changed (0 → 1) together with LR")


def test_a_seed_only_change_is_one_change(tmp_path: Path) -> None:
    findings = _findings(tmp_path, "import torch\ntorch.manual_seed(1)\nLR = 0.001\n")
    assert [(f.code, f.span.line) for f in findings] == [("PB102", 2)]


def test_the_logged_seed_unchanged_is_no_change(tmp_path: Path) -> None:
    assert _findings(tmp_path, "import torch\ntorch.manual_seed(0)\nLR = 0.001\n") == []
