"""MLflow runs, read from the store's files without MLflow.

Two stores:

- the file store (``mlruns/<experiment id>/<run id>/``): ``meta.yaml`` (status, start time,
  name), one file per param, per metric (``timestamp value step`` lines) and per tag;
- SQLite (``mlflow.db``, current MLflow's default), opened read-only: ``runs``, ``params``,
  ``latest_metrics`` (else ``metrics``), ``tags`` and ``experiments``.

Runs are identified by id (names repeat). Only ``FINISHED`` runs are taken; a run still
marked running is either under way or crashed — both are left out and counted. A run that
is the parent of others (a sweep's container) is left out; its children are the sweep.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import yaml
from paribus.core.model.files import check_regular_file, read_utf8
from paribus.core.trackers.runs import Run, Scan, clean_metrics, from_millis, hyperparameters

FILE_STORE = "mlruns"
DATABASE = "mlflow.db"
# The file store writes RunStatus as a number (RUNNING=1, SCHEDULED=2, FINISHED=3, FAILED=4, KILLED=5).
_STATUS_NAMES = {1: "RUNNING", 2: "SCHEDULED", 3: "FINISHED", 4: "FAILED", 5: "KILLED"}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
GIT_COMMIT_TAG = "mlflow.source.git.commit"
PARENT_TAG = "mlflow.parentRunId"
LOCK_TIMEOUT_SECONDS = 1.0


def find_stores(folder: Path) -> list[Path]:
    """``mlruns/`` and ``mlflow.db`` in ``folder``, or ``folder`` itself when it is one."""
    folder = Path(folder)
    if folder.is_file():
        return [folder]
    if folder.name == FILE_STORE or (folder / "0" / "meta.yaml").is_file():
        return [folder]
    return [path for path in (folder / FILE_STORE, folder / DATABASE) if path.exists()]


def read_runs(folder: Path) -> Scan:
    scan = Scan()
    for store in find_stores(folder):
        scan.merge(read_database(store) if store.is_file() else read_file_store(store))
    _drop_sweep_containers(scan)
    return scan


def _skip(scan: Scan, status: str) -> None:
    reason = {"RUNNING": "still running or crashed", "SCHEDULED": "scheduled, not run"}.get(status, status.lower())
    scan.skipped[f"{reason}, skipped"] += 1


def _drop_sweep_containers(scan: Scan) -> None:
    parents = {run.sweep for run in scan.runs if run.sweep}
    containers = [run for run in scan.runs if run.run_id in parents]
    if containers:
        scan.runs = [run for run in scan.runs if run.run_id not in parents]
        scan.skipped["parent runs of a sweep (their children are imported)"] += len(containers)


# -- the file store -------------------------------------------------------------------------------


def read_file_store(root: Path) -> Scan:
    scan = Scan(stores=[f"{root.name}/"])
    try:
        experiments = sorted(entry.path for entry in os.scandir(root) if entry.is_dir() and entry.name not in (".trash", "models", ".git"))
    except OSError as error:
        scan.problems.append(f"{root}: {error.strerror or error}")
        return scan
    for experiment in experiments:
        experiment_name = _experiment_name(experiment, scan)
        if experiment_name is None:
            continue
        for entry in sorted(os.scandir(experiment), key=lambda e: e.name):
            if entry.is_dir() and entry.name not in ("tags", "datasets", "traces", "logged_models"):
                run = _read_run_folder(entry.path, experiment_name, scan)
                if run is not None:
                    scan.runs.append(run)
    return scan


# Plain strings and os.scandir below: a 1,000-run store is 20,000 small files.
_BaseLoader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # strings only: what meta.yaml needs


# MLflow writes meta.yaml as flat `key: value` lines; those are read directly (YAML costs a
# millisecond a file), anything else goes through the YAML loader.
_FLAT_LINE = re.compile(r"([A-Za-z_][\w]*): ?([^\s'\"\[\]{}&*!|>%@`#][^#]*?|'[^'\n]*'|\[\])?\s*")


def _flat_mapping(text: str) -> dict[str, str] | None:
    data: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        match = _FLAT_LINE.fullmatch(line)
        if match is None:
            return None
        value = match.group(2) or ""
        data[match.group(1)] = "" if value == "[]" else value[1:-1] if value.startswith("'") else value
    return data


def _load_yaml(path: str, scan: Scan) -> dict | None:
    try:
        text = read_utf8(Path(path))
        data = _flat_mapping(text)
        if data is None:
            data = yaml.load(text, Loader=_BaseLoader)
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        scan.problems.append(f"{path}: unreadable ({error}); skipped")
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        scan.problems.append(f"{path}: not valid YAML{where}; skipped")
        return None
    if not isinstance(data, dict):
        scan.problems.append(f"{path}: not a mapping of run fields; skipped")
        return None
    return data


def _experiment_name(folder: str, scan: Scan) -> str | None:
    """The experiment's name, or None when the folder is not an active experiment."""
    data = _load_yaml(os.path.join(folder, "meta.yaml"), scan)
    if data is None or data.get("lifecycle_stage") == "deleted":
        return None
    return str(data.get("name") or os.path.basename(folder))


def _read_run_folder(folder: str, experiment: str, scan: Scan) -> Run | None:
    meta = _load_yaml(os.path.join(folder, "meta.yaml"), scan)
    if meta is None or meta.get("lifecycle_stage") == "deleted":
        return None
    status = str(meta.get("status") or "")
    status = _STATUS_NAMES.get(int(status), status) if status.isdigit() else status.upper()
    if status != "FINISHED":
        _skip(scan, status or "RUNNING")
        return None
    run_id = str(meta.get("run_id") or meta.get("run_uuid") or os.path.basename(folder))
    tags = _read_values(os.path.join(folder, "tags"))
    params = dict(sorted(_read_values(os.path.join(folder, "params")).items()))  # the file system's order is no order
    metrics = {name: value for name, value in ((name, _latest_metric(text)) for name, text in _read_values(os.path.join(folder, "metrics")).items()) if value is not None}
    start = meta.get("start_time")
    return Run(
        kind="mlflow",
        run_id=run_id,
        params=hyperparameters(params),
        metrics=clean_metrics(metrics),
        started=from_millis(start) if start and str(start).isdigit() else None,
        name=next((value for value in (meta.get("run_name"), tags.get("mlflow.runName")) if value and value not in ("null", "~")), None),
        commit=tags.get(GIT_COMMIT_TAG) or None,
        sweep=tags.get(PARENT_TAG) or None,
        experiment=experiment,
        where=folder,
    )


def _read_values(folder: str, prefix: str = "") -> dict[str, str]:
    """Each file's text by name; names with ``/`` (nested folders) kept as MLflow wrote them."""
    values: dict[str, str] = {}
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return values
    for entry in entries:
        if entry.is_dir():
            values.update(_read_values(entry.path, f"{prefix}{entry.name}/"))
            continue
        try:
            values[prefix + entry.name] = read_utf8(Path(entry.path)).strip()
        except (OSError, UnicodeDecodeError):
            continue
    return values


def _latest_metric(text: str) -> float | None:
    """MLflow's latest value: the largest (step, timestamp, value) among ``timestamp value step`` lines."""
    best: tuple | None = None
    for line in text.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        try:
            timestamp, value = int(parts[0]), float(parts[1])
            step = int(parts[2]) if len(parts) > 2 else 0
        except ValueError:
            continue
        key = (step, timestamp, value)
        if best is None or key > best:
            best = key
    return best[2] if best else None


# -- SQLite ---------------------------------------------------------------------------------------


def read_database(path: Path) -> Scan:
    scan = Scan(stores=[path.name])
    try:
        check_regular_file(path)  # SQLite would open a FIFO and wait
    except OSError as error:
        scan.problems.append(f"{path.name}: cannot be opened ({error}); its runs were not read")
        return scan
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=LOCK_TIMEOUT_SECONDS)
    except sqlite3.Error as error:
        scan.problems.append(f"{path.name}: cannot be opened ({error}); its runs were not read")
        return scan
    try:
        _read_database(connection, scan, path.name)
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            scan.problems.append(f"{path.name} is locked by another process (a run still writing?): its runs were not read; try again when it is done")
        else:
            scan.problems.append(f"{path.name}: {error}; its runs were not read")
    except sqlite3.DatabaseError as error:
        scan.problems.append(f"{path.name} is not a readable MLflow database ({error}); its runs were not read")
    finally:
        connection.close()
    return scan


def _read_database(connection: sqlite3.Connection, scan: Scan, where: str) -> None:
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "runs" not in tables:
        raise sqlite3.DatabaseError("no runs table")
    experiments = {}
    if "experiments" in tables:
        experiments = {str(row[0]): row[1] for row in connection.execute("SELECT experiment_id, name FROM experiments")}
    runs = connection.execute("SELECT run_uuid, name, status, start_time, experiment_id, lifecycle_stage FROM runs").fetchall()
    params = _grouped(connection, "SELECT run_uuid, key, value FROM params ORDER BY key")
    tags = _grouped(connection, "SELECT run_uuid, key, value FROM tags") if "tags" in tables else {}
    if "latest_metrics" in tables:
        metrics = _grouped(connection, "SELECT run_uuid, key, value FROM latest_metrics WHERE is_nan = 0")
    else:  # MLflow before 1.9 kept only the full history
        metrics = _grouped(connection, "SELECT run_uuid, key, value FROM metrics m WHERE is_nan = 0 AND NOT EXISTS (SELECT 1 FROM metrics n WHERE n.run_uuid = m.run_uuid AND n.key = m.key AND (n.step > m.step OR (n.step = m.step AND n.timestamp > m.timestamp)))")
    for run_id, name, status, start_time, experiment_id, stage in runs:
        if stage == "deleted":
            continue
        if status != "FINISHED":
            _skip(scan, str(status or "RUNNING"))
            continue
        run_tags = tags.get(run_id, {})
        scan.runs.append(Run(
            kind="mlflow",
            run_id=str(run_id),
            params=hyperparameters(params.get(run_id, {})),
            metrics=clean_metrics(metrics.get(run_id, {})),
            started=from_millis(start_time),
            name=name or run_tags.get("mlflow.runName") or None,
            commit=run_tags.get(GIT_COMMIT_TAG) or None,
            sweep=run_tags.get(PARENT_TAG) or None,
            experiment=experiments.get(str(experiment_id), str(experiment_id)),
            where=where,
        ))


def _grouped(connection: sqlite3.Connection, query: str) -> dict[str, dict[str, object]]:
    grouped: dict[str, dict[str, object]] = {}
    for run_id, key, value in connection.execute(query):
        grouped.setdefault(run_id, {})[key] = value
    return grouped
