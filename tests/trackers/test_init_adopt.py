"""`paribus init` on an existing project: an honest card from its scripts, configs, runs and git."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

from paribus.core.actions.init_project import init_project

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_a_script_without_runs_is_a_baseline_project_with_the_metric_the_script_tracks(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "extraction" / "real" / "nanogpt" / "train.py", tmp_path / "train.py")  # prints "val loss"
    card = tomllib.loads(init_project(tmp_path))
    assert card["status"] == "baseline"
    assert card["metric"] == {"name": "val_loss", "goal": "min"}
    assert card["scripts"] == ["train.py"]


def test_config_files_named_like_scripts_are_not_scripts(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "repos" / "nanogpt", tmp_path / "nanogpt")  # config/train_gpt2.py sets values train.py reads
    card = tomllib.loads(init_project(tmp_path / "nanogpt"))
    assert card["scripts"] == ["train.py"]
    assert card["status"] == "baseline"


def test_a_project_with_mlflow_runs_is_iterating_on_the_runs_metric_and_says_what_it_found(project, cli) -> None:
    folder = project("mlflow")
    (folder / "paribus.toml").unlink()
    code, out, _ = cli("init", cwd=folder)
    assert code == 0
    card = tomllib.loads((folder / "paribus.toml").read_text())
    assert card["status"] == "iterating"
    assert card["metric"] == {"name": "val_loss", "goal": "min"}
    assert card["scripts"] == ["train.py"]
    assert out.startswith("Wrote paribus.toml.\nFound:\n  scripts     train.py\n  MLflow      4 finished runs\n  git         5 commits\n")
    assert "  metric      the target, e.g. target = … (guessed from the runs' metrics; also logged: val_acc)\n" in out
    assert out.endswith("Then: paribus import mlflow   (the runs become the log's history)\n")


def test_a_hydra_project_names_its_configs(project, cli) -> None:
    folder = project("hydra")
    (folder / "paribus.toml").unlink()
    assert cli("init", cwd=folder)[0] == 0
    card = tomllib.loads((folder / "paribus.toml").read_text())
    assert card["configs"] == ["conf/**/*.yaml"]
    assert (card["status"], card["scripts"]) == ("iterating", ["train.py"])
