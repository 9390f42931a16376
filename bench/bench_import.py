"""Time `paribus import mlflow` of 1,000 runs, file store and SQLite (budget: median ≤ 2 s, DESIGN §8).

The stores are laid out as MLflow writes them (the tests check the readers against stores
MLflow itself wrote): ``mlruns/0/<run id>/`` with ``meta.yaml``, one file per param, per
metric (``timestamp value step`` lines, 20 steps each) and per tag; ``mlflow.db`` with the
``runs``, ``params``, ``latest_metrics``, ``tags`` and ``experiments`` tables. Each run is
a variant of a 10-value config — a sweep-like history where the nearest-parent search has
many near ties. Each timing reads the store, plans the entries and writes a fresh log.
Run: ``.venv/bin/python bench/bench_import.py``.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from paribus.core.actions.import_runs import import_runs
from paribus.core.trackers import read_source

BUDGET_SECONDS = 2.0
START_MS = 1_790_000_000_000
GRID = {
    "learning_rate": [1e-4, 3e-4, 1e-3, 3e-3],
    "batch_size": [16, 32, 64, 128],
    "dropout": [0.0, 0.1, 0.2, 0.3],
    "hidden": [64, 128, 256],
    "layers": [2, 4, 6],
    "weight_decay": [0.0, 0.01, 0.1],
    "warmup_steps": [0, 100, 500],
    "optimizer": ["adam", "adamw", "sgd"],
    "label_smoothing": [0.0, 0.1],
    "seed": [0, 1, 2],
}


def runs(count: int, rng: random.Random):
    config = {name: values[0] for name, values in GRID.items()}
    for index in range(count):
        name = rng.choice(list(GRID))
        config = {**config, name: rng.choice(GRID[name])}  # one change at a time, mostly
        yield uuid.UUID(int=rng.getrandbits(128)).hex, START_MS + index * 60_000, dict(config)


def write_file_store(root: Path, count: int) -> None:
    experiment = root / "mlruns" / "0"
    experiment.mkdir(parents=True)
    (experiment / "meta.yaml").write_text("artifact_location: file:///srv/mlruns/0\nexperiment_id: '0'\nlifecycle_stage: active\nname: Default\n")
    for run_id, start, config in runs(count, random.Random(0)):
        folder = experiment / run_id
        for part in ("params", "metrics", "tags"):
            (folder / part).mkdir(parents=True)
        (folder / "meta.yaml").write_text(
            f"artifact_uri: file:///srv/mlruns/0/{run_id}/artifacts\nend_time: {start + 50_000}\nentry_point_name: ''\n"
            f"experiment_id: '0'\nlifecycle_stage: active\nrun_id: {run_id}\nrun_name: run-{run_id[:6]}\n"
            f"source_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: {start}\nstatus: 3\ntags: []\nuser_id: ada\n"
        )
        for name, value in config.items():
            (folder / "params" / name).write_text(str(value))
        for metric in ("val_loss", "train_loss", "val_acc"):
            (folder / "metrics" / metric).write_text("".join(f"{start + step} {1 / (step + 1):.6f} {step}\n" for step in range(20)))
        for tag, value in (("mlflow.runName", f"run-{run_id[:6]}"), ("mlflow.user", "ada"), ("mlflow.source.name", "train.py"), ("mlflow.source.git.commit", run_id + run_id[:8])):
            (folder / "tags" / tag).write_text(value)


def write_database(path: Path, count: int) -> None:
    connection = sqlite3.connect(path)
    connection.executescript(
        "CREATE TABLE experiments (experiment_id INTEGER PRIMARY KEY, name VARCHAR(256), lifecycle_stage VARCHAR(32));"
        "CREATE TABLE runs (run_uuid VARCHAR(32) PRIMARY KEY, name VARCHAR(250), status VARCHAR(9), start_time BIGINT, end_time BIGINT, lifecycle_stage VARCHAR(20), experiment_id INTEGER);"
        "CREATE TABLE params (key VARCHAR(250), value VARCHAR(8000), run_uuid VARCHAR(32), PRIMARY KEY (key, run_uuid));"
        "CREATE TABLE tags (key VARCHAR(250), value VARCHAR(8000), run_uuid VARCHAR(32), PRIMARY KEY (key, run_uuid));"
        "CREATE TABLE latest_metrics (key VARCHAR(250), value FLOAT, timestamp BIGINT, step BIGINT, is_nan BOOLEAN, run_uuid VARCHAR(32), PRIMARY KEY (key, run_uuid));"
        "INSERT INTO experiments VALUES (0, 'Default', 'active');"
    )
    for run_id, start, config in runs(count, random.Random(0)):
        connection.execute("INSERT INTO runs VALUES (?, ?, 'FINISHED', ?, ?, 'active', 0)", (run_id, f"run-{run_id[:6]}", start, start + 50_000))
        connection.executemany("INSERT INTO params VALUES (?, ?, ?)", [(name, str(value), run_id) for name, value in config.items()])
        connection.executemany("INSERT INTO latest_metrics VALUES (?, ?, ?, 19, 0, ?)", [(metric, 0.05, start + 19, run_id) for metric in ("val_loss", "train_loss", "val_acc")])
        connection.execute("INSERT INTO tags VALUES ('mlflow.source.git.commit', ?, ?)", (run_id + run_id[:8], run_id))
    connection.commit()
    connection.close()


def time_import(where: Path, log: Path, repeats: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each import (on a shared machine the two differ)."""
    wall, cpu = [], []
    for _ in range(repeats):
        log.unlink(missing_ok=True)
        started, started_cpu = time.perf_counter(), time.process_time()
        plan = import_runs(log, read_source("mlflow", where).runs)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        assert len(plan.entries) == expected, len(plan.entries)
    return wall, cpu


def report(label: str, timings: tuple[list[float], list[float]]) -> None:
    wall, cpu = timings
    median = statistics.median(wall)
    p95 = sorted(wall)[max(0, round(0.95 * len(wall)) - 1)]
    print(f"{label:<32} median {median:.3f} s  p95 {p95:.3f} s  (cpu median {statistics.median(cpu):.3f} s)  "
          f"budget {BUDGET_SECONDS:.1f} s  ratio {median / BUDGET_SECONDS:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    options = parser.parse_args()
    expected = options.runs
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "files").mkdir()
        write_file_store(root / "files", options.runs)
        report(f"{options.runs} runs, mlruns/ file store", time_import(root / "files", root / "files" / "experiments.yaml", options.repeats))
        (root / "sqlite").mkdir()
        write_database(root / "sqlite" / "mlflow.db", options.runs)
        report(f"{options.runs} runs, mlflow.db (SQLite)", time_import(root / "sqlite", root / "sqlite" / "experiments.yaml", options.repeats))
