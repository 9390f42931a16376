"""DVC and dvclive runs: the working tree holds the last run, git history the earlier ones.

A run is a metrics file (``dvclive/metrics.json``, else ``metrics.json``) with the params
beside it (``params.yaml``, ``dvclive/params.yaml`` — what ``Live.log_params`` wrote). Earlier
runs are the commits that changed the metrics file, read through git; experiments kept by
``dvc exp`` come from ``dvc exp show --json`` when ``dvc`` is on PATH and the caller allows it
(it starts a heavy process). A run is identified by what it holds (params and metrics), so
the same run found twice — the working tree and its commit, a commit and ``exp show`` — is
one run.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml
from paribus.core.model.files import read_utf8
from paribus.core.trackers import git
from paribus.core.trackers.runs import Run, Scan, clean_metrics, flatten, hyperparameters

METRICS_FILES = ("dvclive/metrics.json", "metrics.json")
PARAMS_FILES = ("params.yaml", "dvclive/params.yaml")
EXP_SHOW_TIMEOUT_SECONDS = 120
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def has_runs(folder: Path) -> bool:
    return any((Path(folder) / name).is_file() for name in METRICS_FILES)


def read_runs(folder: Path, *, use_dvc: bool = True) -> Scan:
    folder = Path(folder)
    metrics_file = next((name for name in METRICS_FILES if (folder / name).is_file()), None)
    scan = Scan(stores=[metrics_file or METRICS_FILES[0]])
    found: list[Run] = []
    if metrics_file is not None:
        found += _from_git(folder, metrics_file, scan)
        workspace = _workspace_run(folder, metrics_file, scan)
        if workspace is not None:
            found.append(workspace)
    if use_dvc and (folder / ".dvc").is_dir() and shutil.which("dvc"):
        found += _from_exp_show(folder, scan)
    unique: dict[str, Run] = {}
    for run in found:
        known = unique.get(run.run_id)
        if known is None or (known.commit is None and run.commit is not None):
            unique[run.run_id] = run
    scan.runs.extend(unique.values())
    return scan


def _run(params: dict[str, Any], metrics: dict[str, Any], started: datetime | None, commit: str | None, where: str, name: str | None = None, sequence: int = 0) -> Run | None:
    params, metrics = hyperparameters(params), clean_metrics(metrics)
    if not metrics:
        return None
    identity = json.dumps([params, metrics], sort_keys=True, default=str).encode("utf-8")
    return Run(
        kind="dvc",
        run_id=hashlib.sha1(identity).hexdigest()[:12],
        params=params,
        metrics=metrics,
        started=started,
        name=name,
        commit=commit,
        where=where,
        sequence=sequence,  # commits made in the same second keep their order
    )


def _parse(text: str | None, name: str, scan: Scan, where: str) -> dict[str, Any]:
    if text is None:
        return {}
    try:
        data = json.loads(text) if name.endswith(".json") else yaml.load(text, Loader=_Loader)
    except (ValueError, yaml.YAMLError):
        scan.problems.append(f"{where}: {name} is not valid {'JSON' if name.endswith('.json') else 'YAML'}; ignored")
        return {}
    return data if isinstance(data, dict) else {}


def _params_from(texts: dict[str, str | None], scan: Scan, where: str) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for name in PARAMS_FILES:
        params.update(flatten(_parse(texts.get(name), name, scan, where)))
    return params


def _workspace_run(folder: Path, metrics_file: str, scan: Scan) -> Run | None:
    texts = {}
    for name in (metrics_file, *PARAMS_FILES):
        try:
            texts[name] = read_utf8(folder / name)
        except (OSError, UnicodeDecodeError):
            texts[name] = None
    metrics = flatten(_parse(texts[metrics_file], metrics_file, scan, "working tree"), separator="/")
    try:
        started = datetime.fromtimestamp((folder / metrics_file).stat().st_mtime, tz=timezone.utc)
    except OSError:
        started = None
    return _run(_params_from(texts, scan, "working tree"), metrics, started, None, str(folder / metrics_file))


def _from_git(folder: Path, metrics_file: str, scan: Scan) -> list[Run]:
    try:
        commits = git.commits_touching(folder, [metrics_file])
        requests = [(commit.sha, name) for commit in commits for name in (metrics_file, *PARAMS_FILES)]
        texts = git.file_texts(folder, requests)
    except git.GitError as error:
        if "not a git repository" not in str(error) and "not installed" not in str(error):
            scan.problems.append(f"git history of {metrics_file} not read: {error}")
        return []
    runs = []
    for number, commit in enumerate(commits):
        at = {name: texts.get((commit.sha, name)) for name in (metrics_file, *PARAMS_FILES)}
        where = f"commit {commit.short}"
        metrics = flatten(_parse(at[metrics_file], metrics_file, scan, where), separator="/")
        run = _run(_params_from(at, scan, where), metrics, commit.date.astimezone(timezone.utc), commit.sha, where, commit.subject, number)
        if run is not None:
            runs.append(run)
    return runs


def _from_exp_show(folder: Path, scan: Scan) -> list[Run]:
    try:
        done = subprocess.run(["dvc", "exp", "show", "--json", "-A"], cwd=folder, capture_output=True, timeout=EXP_SHOW_TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        scan.problems.append(f"dvc exp show: {error}")
        return []
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        scan.problems.append(f"dvc exp show failed: {message[-1] if message else done.returncode}")
        return []
    try:
        rows = json.loads(done.stdout.decode("utf-8", errors="replace") or "[]")
    except ValueError:
        scan.problems.append("dvc exp show printed no JSON")
        return []
    runs = []
    for row in _exp_rows(rows):
        data = row.get("data") or {}
        params = {}
        for document in (data.get("params") or {}).values():
            params.update(flatten((document or {}).get("data") or {}))
        metrics = {}
        for document in (data.get("metrics") or {}).values():
            metrics.update(flatten((document or {}).get("data") or {}, separator="/"))
        rev = str(row.get("rev") or data.get("rev") or "")
        started = _from_timestamp(data.get("timestamp"))
        run = _run(params, metrics, started, rev if len(rev) == 40 else None, f"dvc exp {row.get('name') or rev[:10]}", row.get("name"))
        if run is not None:
            runs.append(run)
    return runs


def _exp_rows(node: Any) -> list[dict]:
    """Every row of ``dvc exp show --json``: commits and, nested under them, their experiments."""
    rows = []
    if isinstance(node, list):
        for item in node:
            rows += _exp_rows(item)
    elif isinstance(node, dict):
        if "rev" in node and isinstance(node.get("data"), dict) and node.get("rev") != "workspace":
            rows.append(node)
        for key in ("experiments", "revs"):
            rows += _exp_rows(node.get(key))
    return rows


def _from_timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.astimezone(timezone.utc)
