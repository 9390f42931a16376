"""Damaged stores: a clear message, the rest imported, and nothing imported twice afterwards."""

from __future__ import annotations

import sqlite3

import yaml


def read_log(folder):
    return yaml.safe_load((folder / "experiments.yaml").read_text())


def run_folders(folder):
    """The four good runs' folders in the file store, in start order."""
    runs = []
    for meta in (folder / "mlruns").glob("*/*/meta.yaml"):
        data = yaml.safe_load(meta.read_text())
        if data.get("status") == 3:
            runs.append((data["start_time"], meta.parent))
    return [path for _, path in sorted(runs)]


def test_a_corrupt_meta_yaml_is_named_the_other_runs_imported_and_nothing_twice_once_fixed(project, cli) -> None:
    folder = project("mlflow")
    second = run_folders(folder)[1]
    meta = second / "meta.yaml"
    good = meta.read_text()
    meta.write_text("run_id: [unclosed\nstatus: 3\n")
    code, out, _ = cli("import", "mlflow", cwd=folder)
    assert code == 1
    assert f"not read: {meta}: not valid YAML (line 2); skipped" in out
    entries = read_log(folder)
    assert [e["id"] for e in entries] == ["b1", "e1", "e2"]
    assert f"mlflow:{second.name}" not in {e["source"] for e in entries}

    meta.write_text(good)
    code, out, _ = cli("import", "mlflow", cwd=folder)
    assert code == 0
    assert "already in the log: 3" in out and "Imported 1 run" in out
    entries = read_log(folder)
    assert len(entries) == 4 and len({e["source"] for e in entries}) == 4
    assert entries[3]["source"] == f"mlflow:{second.name}"


def test_a_locked_mlflow_db_says_so_writes_nothing_and_imports_once_released(project, cli) -> None:
    folder = project("mlflow-sqlite")
    holder = sqlite3.connect(folder / "mlflow.db")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, out, _ = cli("import", "mlflow", cwd=folder)
    finally:
        holder.rollback()
        holder.close()
    assert code == 1
    assert "mlflow.db is locked by another process (a run still writing?): its runs were not read; try again when it is done" in out
    assert not (folder / "experiments.yaml").exists()
    code, out, _ = cli("import", "mlflow", cwd=folder)
    assert code == 0 and "Imported 4 runs" in out


def test_a_corrupt_mlflow_db_beside_a_file_store_is_named_and_the_file_store_imported(project, cli) -> None:
    folder = project("mlflow")
    (folder / "mlflow.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    code, out, _ = cli("import", "mlflow", cwd=folder)
    assert code == 1
    assert "mlflow.db is not a readable MLflow database" in out
    assert len(read_log(folder)) == 4


def test_a_wandb_record_log_with_a_corrupt_record_is_named_and_the_other_runs_imported(project, cli) -> None:
    folder = project("wandb")
    logs = sorted((folder / "wandb").glob("offline-run-*/run-*.wandb"))
    damaged = logs[0]
    data = bytearray(damaged.read_bytes())
    data[60] ^= 0xFF  # inside the run record: its checksum no longer matches
    damaged.write_bytes(bytes(data))
    code, out, _ = cli("import", "wandb", cwd=folder)
    assert code == 1
    assert f"not read: {damaged}: record at byte 7 fails its checksum (the file is corrupt); skipped" in out
    entries = read_log(folder)
    assert [e["kind"] for e in entries] == ["baseline", "experiment", "experiment"]


def test_a_wandb_run_cut_off_mid_record_counts_as_not_finished(project, cli) -> None:
    folder = project("wandb")
    record_log = sorted((folder / "wandb").glob("offline-run-*/run-*.wandb"))[-2]  # the fourth good run
    data = record_log.read_bytes()
    record_log.write_bytes(data[: len(data) - 20])  # a run still writing: its exit record is torn
    code, out, _ = cli("import", "wandb", "--dry-run", cwd=folder)
    assert code == 0
    assert "left out: 2 still running or crashed, skipped" in out
    assert "Would import 3 runs" in out
