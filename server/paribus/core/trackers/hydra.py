"""Hydra runs: the folders Hydra writes under ``outputs/`` (single runs) and ``multirun/`` (sweeps).

Each run folder holds ``.hydra/config.yaml`` (the composed config: its values, flattened to
dotted names, are the run's hyperparameters — the names the extractor gives the config
files), ``.hydra/overrides.yaml`` and ``.hydra/hydra.yaml`` (job name and number, mode).
Hydra records no metrics: a run's metrics are a JSON or YAML file it wrote into its folder
(``metrics.json``, ``results.yaml``…). A folder without one has not finished (or crashed).
The jobs of one multirun folder are one sweep.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml
from paribus.core.model.files import read_utf8
from paribus.core.trackers.runs import Run, Scan, clean_metrics, flatten, hyperparameters

FOLDERS = ("outputs", "multirun")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_METRIC_WORDS = ("metric", "result", "score", "eval", "summary", "test", "val")
_MAX_METRICS_BYTES = 1_000_000
_MAX_DEPTH = 6
_DATE_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[/_ T-]+(\d{2}-\d{2}-\d{2})")


def find_run_folders(folder: Path) -> list[Path]:
    """Folders holding ``.hydra/config.yaml`` under ``folder`` (a project, ``outputs/``, ``multirun/``)."""
    folder = Path(folder)
    roots = [folder / name for name in FOLDERS if (folder / name).is_dir()] or [folder]
    found: list[Path] = []
    for root in roots:
        base_depth = len(root.parts)
        for current, dirs, _ in os.walk(root):
            if ".hydra" in dirs and (Path(current) / ".hydra" / "config.yaml").is_file():
                found.append(Path(current))
            dirs[:] = [d for d in dirs if not d.startswith(".") and len(Path(current).parts) - base_depth < _MAX_DEPTH]
    return sorted(found)


def read_runs(folder: Path) -> Scan:
    folder = Path(folder)
    scan = Scan(stores=[f"{name}/" for name in FOLDERS if (folder / name).is_dir()] or [folder.name + "/"])
    for run_folder in find_run_folders(folder):
        run = _read_run_folder(run_folder, folder, scan)
        if run is not None:
            scan.runs.append(run)
    return scan


def _load_yaml(path: Path, scan: Scan) -> Any:
    try:
        return yaml.load(read_utf8(path), Loader=_Loader)
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        scan.problems.append(f"{path}: not readable YAML ({type(error).__name__}); skipped")
        return False


def _read_run_folder(folder: Path, base: Path, scan: Scan) -> Run | None:
    config = _load_yaml(folder / ".hydra" / "config.yaml", scan)
    if config is False:
        return None
    if not isinstance(config, dict):
        config = {}
    metrics = _metrics_in(folder, scan)
    if not metrics:
        scan.skipped["without a metrics file (crashed or still running?), skipped"] += 1
        return None
    hydra = _load_yaml(folder / ".hydra" / "hydra.yaml", scan)
    job = hydra.get("hydra", {}).get("job", {}) if isinstance(hydra, dict) and isinstance(hydra.get("hydra"), dict) else {}
    mode = str(hydra["hydra"].get("mode") or "") if job else ""
    number = job.get("num") if isinstance(job, dict) else None
    relative = _relative(folder, base)
    in_sweep = mode.upper() == "MULTIRUN" or (mode == "" and relative.startswith("multirun/"))
    return Run(
        kind="hydra",
        run_id=relative,
        params=hyperparameters(flatten(config)),
        metrics=metrics,
        started=_started(folder, relative),
        name=str(job.get("override_dirname") or "") or None if isinstance(job, dict) else None,
        sweep=_relative(folder.parent, base) if in_sweep else None,
        experiment=str(job.get("name")) if isinstance(job, dict) and job.get("name") else None,
        where=str(folder),
        sequence=number if isinstance(number, int) else 0,
    )


def _relative(folder: Path, base: Path) -> str:
    try:
        return folder.relative_to(base).as_posix()
    except ValueError:
        return folder.as_posix()


def _metrics_in(folder: Path, scan: Scan) -> dict[str, float]:
    """The numbers of the metrics file the run wrote: metric-like names first, else any JSON/YAML."""
    candidates = []
    for entry in os.scandir(folder):
        name = entry.name.lower()
        if entry.is_file() and name.endswith((".json", ".yaml", ".yml")) and entry.stat().st_size <= _MAX_METRICS_BYTES:
            candidates.append((not any(word in name for word in _METRIC_WORDS), name, Path(entry.path)))
    for _, _, path in sorted(candidates):
        try:
            text = read_utf8(path)
            if not text.strip():
                continue  # opened, never written: the run died first
            data = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_Loader)
        except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError):
            scan.problems.append(f"{path}: not readable JSON/YAML; ignored")
            continue
        if isinstance(data, dict):
            metrics = clean_metrics(flatten(data, separator="/"))
            if metrics:
                return metrics
    return {}


def _started(folder: Path, relative: str) -> datetime | None:
    """The time in Hydra's folder names (``outputs/2026-12-01/15-10-32``), else when the config was written."""
    match = _DATE_TIME.search(relative)
    if match:
        try:
            return datetime.strptime(" ".join(match.groups()), "%Y-%m-%d %H-%M-%S").astimezone(timezone.utc)
        except ValueError:
            pass
    try:
        return datetime.fromtimestamp((folder / ".hydra" / "config.yaml").stat().st_mtime, tz=timezone.utc)
    except OSError:
        return None
