"""Readers of tracker stores (MLflow, W&B, Hydra, DVC) and of git: read-only, no tracker imported.

Public API:

- ``Run`` / ``Scan``: the common run model (``runs``) every reader returns;
- ``read_source(kind, folder, use_dvc=True) -> Scan``: the finished runs of one kind of store
  in ``folder`` (a project folder, or the store itself);
- ``present_kinds(folder) -> list[str]``: the kinds of store ``folder`` holds;
- ``git``: commits that touched files, and file texts at a commit.

Readers never raise on bad stores: what cannot be read is a line in ``Scan.problems``, and
runs that did not finish are counted in ``Scan.skipped``.
"""

from __future__ import annotations

from pathlib import Path

from paribus.core.trackers import dvc, hydra, mlflow, wandb
from paribus.core.trackers.runs import KINDS, TITLES, Run, Scan

__all__ = ["KINDS", "TITLES", "Run", "Scan", "present_kinds", "read_source"]


def read_source(kind: str, folder: Path, *, use_dvc: bool = True) -> Scan:
    folder = Path(folder)
    if kind == "mlflow":
        return mlflow.read_runs(folder)
    if kind == "wandb":
        return wandb.read_runs(folder)
    if kind == "hydra":
        return hydra.read_runs(folder)
    if kind == "dvc":
        return dvc.read_runs(folder, use_dvc=use_dvc)
    raise ValueError(f"unknown tracker {kind!r} (one of {', '.join(KINDS)})")


def present_kinds(folder: Path) -> list[str]:
    folder = Path(folder)
    present = []
    if mlflow.find_stores(folder) and not folder.is_file():
        present.append("mlflow")
    if (folder / wandb.FOLDER).is_dir():
        present.append("wandb")
    if any((folder / name).is_dir() for name in hydra.FOLDERS):
        present.append("hydra")
    if dvc.has_runs(folder):
        present.append("dvc")
    return present
