"""Test projects whose runs are logged by the real trackers (MLflow, W&B offline, Hydra, dvclive).

Each project is a git repository with `train.py` (or Hydra's `conf/config.yaml`) edited and
run four times — a baseline, one change, two changes, one change — the way a researcher
works: edit the values, commit, run. A fifth run crashes half-way (MLflow, W&B, Hydra).
The stores are generated once per test session, in a temporary folder, by the libraries
installed with the `test-trackers` extra; nothing here imitates their files.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

# The four runs, in order. RUN 2 changes one value, RUN 3 two, RUN 4 one.
RUNS = [
    {"learning_rate": 0.001, "batch_size": 32, "dropout": 0.1, "hidden": 64},
    {"learning_rate": 0.0003, "batch_size": 32, "dropout": 0.1, "hidden": 64},
    {"learning_rate": 0.0003, "batch_size": 64, "dropout": 0.3, "hidden": 64},
    {"learning_rate": 0.0003, "batch_size": 64, "dropout": 0.3, "hidden": 128},
]
CHANGES = [None, {"learning_rate"}, {"batch_size", "dropout"}, {"hidden"}]
LIBRARIES = {"mlflow": "mlflow", "mlflow-sqlite": "mlflow", "wandb": "wandb", "hydra": "hydra", "dvc": "dvclive"}


def val_loss(values: dict, epoch: int = 2) -> float:
    """The loss curve every stand-in training script logs (what the tests expect, computed here)."""
    return round(1.0 / (epoch + 1) + abs(values["learning_rate"] * 1000 - 0.3) / 10 + values["dropout"] / 5 + 64 / values["hidden"] / 10 + values["batch_size"] / 1000, 6)


def val_acc(values: dict) -> float:
    return round(1.0 - val_loss(values) / 2, 6)


CARD = """\
task = "Classify sensor windows into four activities"
inputs = "2 s accelerometer windows"
outputs = "walk | run | sit | stand"
data = {{ type = "timeseries", volume = "3,000 windows", quirks = [] }}
status = "iterating"
metric = {{ name = "val_loss", goal = "min" }}
scripts = ["train.py"]
{configs}log = "experiments.yaml"
"""

_CURVE = """\
def curve(values, epoch):
    return round(1.0 / (epoch + 1) + abs(values["learning_rate"] * 1000 - 0.3) / 10 + values["dropout"] / 5 + 64 / values["hidden"] / 10 + values["batch_size"] / 1000, 6)
"""

_CONSTANTS = """\
LEARNING_RATE = @learning_rate@
BATCH_SIZE = @batch_size@
DROPOUT = @dropout@
HIDDEN = @hidden@
SEED = 0
"""

_VALUES = 'VALUES = {"learning_rate": LEARNING_RATE, "batch_size": BATCH_SIZE, "dropout": DROPOUT, "hidden": HIDDEN, "seed": SEED}\n'

TRAIN = {
    "mlflow": "import random\n\nimport mlflow\n\n" + _CONSTANTS + "\nrandom.seed(SEED)\n" + _VALUES + "\n\n" + _CURVE + """

def main():
    with mlflow.start_run(run_name="train"):
        mlflow.log_params(VALUES)
        for epoch in range(3):
            mlflow.log_metric("val_loss", curve(VALUES, epoch), step=epoch)
        mlflow.log_metric("val_acc", round(1.0 - curve(VALUES, 2) / 2, 6))


if __name__ == "__main__":
    main()
""",
    "wandb": "import random\n\nimport wandb\n\n" + _CONSTANTS + "\nrandom.seed(SEED)\n" + _VALUES + "\n\n" + _CURVE + """

def main():
    run = wandb.init(project="adopt", config=VALUES)
    for epoch in range(3):
        run.log({"val_loss": curve(VALUES, epoch), "epoch": epoch})
    run.summary["val_acc"] = round(1.0 - curve(VALUES, 2) / 2, 6)
    run.finish()


if __name__ == "__main__":
    main()
""",
    "dvc": "import random\n\nfrom dvclive import Live\n\n" + _CONSTANTS + "\nrandom.seed(SEED)\n" + _VALUES + "\n\n" + _CURVE + """

def main():
    with Live() as live:
        live.log_params(VALUES)
        for epoch in range(3):
            live.log_metric("val_loss", curve(VALUES, epoch))
            live.next_step()
        live.log_metric("val_acc", round(1.0 - curve(VALUES, 2) / 2, 6))


if __name__ == "__main__":
    main()
""",
    "hydra": "import json\nimport random\n\nimport hydra\nfrom hydra.core.hydra_config import HydraConfig\n\n" + _CURVE + """

@hydra.main(version_base=None, config_path="conf", config_name="config")
def main(cfg):
    random.seed(cfg.seed)
    values = {"learning_rate": cfg.optimizer.lr, "batch_size": cfg.batch_size, "dropout": cfg.model.dropout, "hidden": cfg.model.hidden}
    metrics = {"val_loss": curve(values, 2), "val_acc": round(1.0 - curve(values, 2) / 2, 6)}
    with open(f"{HydraConfig.get().runtime.output_dir}/metrics.json", "w") as handle:
        json.dump(metrics, handle)


if __name__ == "__main__":
    main()
""",
}

HYDRA_CONFIG = """\
optimizer:
  name: adam
  lr: @learning_rate@
model:
  hidden: @hidden@
  dropout: @dropout@
batch_size: @batch_size@
seed: 0
output_dir: ${hydra:runtime.output_dir}
"""

# The driver: edit the values, commit, run the real train.py — four times, in one subprocess
# (or a process per run where the tracker caches the git commit per process, as MLflow does).
# DVC's convention is the other order: run, then commit code and results together; its last
# run stays uncommitted in the working tree.
_DRIVER = """\
import os, runpy, subprocess, sys
{preload}
RUNS, SOURCES, ARGS, COMMIT_AFTER, PROCESS_PER_RUN = {setup!r}

def git(*args):
    subprocess.run(["git", *args], check=True, capture_output=True)

for number, values in enumerate(RUNS, 1):
    for name, template in SOURCES.items():
        text = template
        for key, value in values.items():
            text = text.replace(f"@{{key}}@", repr(value))
        with open(name, "w") as handle:
            handle.write(text)
    if not COMMIT_AFTER:
        git("add", "-A", ".")
        git("commit", "-q", "-m", f"run {{number}}: " + ", ".join(f"{{k}}={{v}}" for k, v in values.items()))
    if PROCESS_PER_RUN:
        child = os.fork()  # the library stays imported; what it caches per process does not
        if child == 0:
            sys.argv = ["train.py", *ARGS]
            runpy.run_path("train.py", run_name="__main__")
            os._exit(0)
        if os.waitpid(child, 0)[1] != 0:
            raise SystemExit(f"run {{number}} failed")
    else:
        sys.argv = ["train.py", *ARGS]
        try:
            runpy.run_path("train.py", run_name="__main__")
        except SystemExit as stop:
            if stop.code not in (0, None):
                raise
    if COMMIT_AFTER and number < len(RUNS):
        git("add", "-A", ".")
        git("commit", "-q", "-m", f"run {{number}}: " + ", ".join(f"{{k}}={{v}}" for k, v in values.items()))
"""

_CRASH = {
    # After the good runs, one that dies half-way: a killed process leaves the run "running".
    "mlflow": "import mlflow\nlog = mlflow.log_metric\ndef dying(*a, **k):\n    log(*a, **k)\n    os._exit(3)\nmlflow.log_metric = dying\n",
    "wandb": "import wandb.sdk.wandb_run as wr\nlog = wr.Run.log\ndef dying(self, *a, **k):\n    log(self, *a, **k)\n    os._exit(3)\nwr.Run.log = dying\n",
    "hydra": "import json\ndef dying(*a, **k):\n    raise RuntimeError('out of memory')\njson.dump = dying\n",
}


def _crash_script(kind: str, hydra_args: list[str]) -> str:
    return "import os, runpy, sys\n" + _CRASH[kind] + f"sys.argv = ['train.py', *{hydra_args!r}]\nrunpy.run_path('train.py', run_name='__main__')\n"


def installed(kind: str) -> bool:
    return importlib.util.find_spec(LIBRARIES[kind]) is not None


def environment(folder: Path, kind: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MLFLOW_", "WANDB_"))}
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        GIT_AUTHOR_NAME="Ada", GIT_AUTHOR_EMAIL="ada@example.org", GIT_COMMITTER_NAME="Ada",
        GIT_COMMITTER_EMAIL="ada@example.org", HOME=str(folder.parent),
        WANDB_MODE="offline", WANDB_SILENT="true", WANDB_DISABLE_CODE="true", WANDB_DIR=str(folder),
        DVC_NO_ANALYTICS="1", DVCLIVE_OPEN="false", HYDRA_FULL_ERROR="1",
    )
    if kind == "mlflow":
        env.update(MLFLOW_TRACKING_URI="file:./mlruns", MLFLOW_ALLOW_FILE_STORE="true")
    elif kind == "mlflow-sqlite":
        env.update(MLFLOW_TRACKING_URI="sqlite:///mlflow.db")
    return env


def build_project(folder: Path, kind: str) -> Path:
    """A project whose runs `kind` really logged; returns its folder."""
    if not installed(kind):
        pytest.skip(f"{LIBRARIES[kind]} is not installed (pip install -e '.[test-trackers]')")
    folder.mkdir(parents=True)
    library = "mlflow" if kind == "mlflow-sqlite" else kind
    configs = 'configs = ["conf/**/*.yaml"]\n' if kind == "hydra" else ""
    (folder / "paribus.toml").write_text(CARD.format(configs=configs))
    (folder / ".gitignore").write_text("wandb/\nmlruns/\nmlflow.db\noutputs/\nmultirun/\nexperiments.yaml\n.paribus/\n")
    env = environment(folder, kind)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=folder, check=True, env=env)
    if kind == "hydra":
        (folder / "conf").mkdir()
        (folder / "train.py").write_text(TRAIN["hydra"])
        sources = {"conf/config.yaml": HYDRA_CONFIG}
        hydra_args = ["hydra.run.dir=outputs/${now:%Y-%m-%d}/${now:%H-%M-%S-%f}"]
    else:
        sources = {"train.py": TRAIN[library]}
        hydra_args = []
    setup = (RUNS, sources, hydra_args, kind == "dvc", library == "mlflow")
    preload = "import mlflow" if library == "mlflow" else ""
    subprocess.run(["git", "add", "-A", "."], cwd=folder, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", "Project card"], cwd=folder, check=True, env=env)
    _python(folder, _DRIVER.format(setup=setup, preload=preload), env)
    if library in _CRASH:
        subprocess.run([sys.executable, "-c", _crash_script(library, hydra_args)], cwd=folder, env=env, capture_output=True, timeout=300)
    return folder


def _python(folder: Path, code: str, env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-c", code], cwd=folder, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise AssertionError(f"generating the store failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


def dedent(text: str) -> str:
    return textwrap.dedent(text)
