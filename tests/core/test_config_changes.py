"""A change in a config file the script reads is a change of the run, like one in the script."""

from __future__ import annotations

from pathlib import Path

from paribus.core.judgement.check import run_rules
from paribus.core.model.project import Project

CARD = 'metric = { name = "val_acc", goal = "max" }\nscripts = ["train.py"]\nconfigs = ["conf/**/*.yaml"]\n'
LOG = "- id: b1\n  kind: baseline\n  params: {optimizer.lr: 0.001, data.batch_size: 32, epochs: 10}\n  result: {train_acc: 0.8, val_acc: 0.7}\n"
SCRIPT = "import hydra\n\n@hydra.main(config_path='conf', config_name='config')\ndef main(cfg):\n    pass\n"


def _project(tmp_path: Path, config: str) -> Path:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "config.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "paribus.toml").write_text(CARD, encoding="utf-8")
    (tmp_path / "experiments.yaml").write_text(LOG, encoding="utf-8")
    (tmp_path / "train.py").write_text(SCRIPT, encoding="utf-8")
    return tmp_path


def test_two_changed_config_values_warn_on_their_yaml_lines(tmp_path: Path) -> None:
    root = _project(tmp_path, "optimizer:\n  lr: 3e-4   # was 1e-3\ndata:\n  batch_size: 64\nepochs: 10\n")
    findings = run_rules(Project(root).context(), select=["PB1"])
    assert [(f.code, f.path.name, f.span.line, f.span.column) for f in findings] == [
        ("PB101", "config.yaml", 2, 7),
        ("PB101", "config.yaml", 4, 15),
    ]
    assert findings[0].message.startswith("optimizer.lr changed (0.001 → 0.0003) together with data.batch_size")
    revert = findings[0].fixes[0]
    assert revert.title == "Revert optimizer.lr to 0.001" and revert.edits[0].new_text == "0.001"


def test_yaml_5e_4_equals_the_logged_0_0005(tmp_path: Path) -> None:
    root = _project(tmp_path, "optimizer:\n  lr: 1e-3\ndata:\n  batch_size: 32\nepochs: 10\n")
    assert run_rules(Project(root).context(), select=["PB1"]) == []


def test_gin_configs_named_by_the_card_count_like_yaml(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "dqn.gin").write_text("DQNAgent.gamma = 0.9\ncreate_optimizer.learning_rate = 1e-4\n", encoding="utf-8")
    (tmp_path / "paribus.toml").write_text(CARD.replace("conf/**/*.yaml", "conf/*.gin"), encoding="utf-8")
    log = "- id: b1\n  kind: baseline\n  params: {DQNAgent.gamma: 0.99, create_optimizer.learning_rate: 0.0001}\n  result: {train_acc: 0.8, val_acc: 0.7}\n"
    (tmp_path / "experiments.yaml").write_text(log, encoding="utf-8")
    (tmp_path / "train.py").write_text(SCRIPT, encoding="utf-8")
    findings = run_rules(Project(tmp_path).context(), select=["PB1"])
    assert [(f.code, f.path.name, f.span.line, f.span.column) for f in findings] == [("PB102", "dqn.gin", 1, 18)]
    assert findings[0].message.startswith("DQNAgent.gamma changed (0.99 → 0.9)")
