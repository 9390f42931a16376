"""The common run model every tracker reader produces, and the value clean-up they share.

A ``Run`` is one finished training run: its hyperparameters under the names the code reads
(dotted paths for nested configs, ``optimizer.lr``), its final metrics, when it started, the
commit it ran and the sweep it belongs to. A ``Scan`` is what one store held: its finished
runs, how many others were left out and why, and the problems met while reading.
"""

from __future__ import annotations

import ast
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping

from paribus.core.extract import normalize_value
from paribus.core.extract.vocabulary import is_hyperparameter, words

KINDS = ("mlflow", "wandb", "hydra", "dvc")
TITLES = {"mlflow": "MLflow", "wandb": "W&B", "hydra": "Hydra", "dvc": "DVC"}
_MAX_LITERAL = 10_000  # longer logged values are kept as text, never parsed
# Counters logged beside the metrics: where the run was, not how well it did.
_COUNTERS = frozenset({"epoch", "epochs", "step", "steps", "global_step", "iteration", "iter", "trainer/global_step"})


@dataclass(frozen=True)
class Run:
    kind: str  # one of KINDS
    run_id: str
    params: dict[str, Any]
    metrics: dict[str, float]
    started: datetime | None = None
    name: str | None = None
    commit: str | None = None
    sweep: str | None = None  # runs sharing it are variants of one sweep
    experiment: str | None = None  # MLflow experiment, W&B project, Hydra job name
    where: str = ""  # the folder or file it was read from, for messages
    sequence: int = 0  # orders runs that started in the same second (a sweep's job number)

    @property
    def source(self) -> str:
        """What the log's ``source`` key says of an imported run."""
        return f"{self.kind}:{self.run_id}"

    @property
    def order_key(self) -> tuple:
        started = self.started or datetime.max.replace(tzinfo=timezone.utc)
        return (started, self.sequence, self.where, self.run_id)


@dataclass
class Scan:
    """What one reading of a store found."""

    runs: list[Run] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # reason → how many runs left out
    problems: list[str] = field(default_factory=list)  # what could not be read, one line each
    stores: list[str] = field(default_factory=list)  # the stores read ("mlruns/", "mlflow.db")

    def merge(self, other: Scan) -> Scan:
        self.runs.extend(other.runs)
        self.skipped.update(other.skipped)
        self.problems.extend(other.problems)
        self.stores.extend(other.stores)
        return self

    def skipped_text(self) -> str:
        return "; ".join(f"{count} {reason}" for reason, count in self.skipped.items() if count)


def parse_logged_value(value: Any) -> Any:
    """A logged value as the script would hold it: MLflow logs ``"0.001"``, ``"[64, 32]"``, ``"True"``."""
    if not isinstance(value, str):
        return list(value) if isinstance(value, tuple) else value
    text = value.strip()
    if text in ("None", "null", "~"):
        return None
    for number in (int, float):  # "0.0" stays a float: the value as the script wrote it
        try:
            return number(text)
        except ValueError:
            pass
    if text[:1] in "[(" and len(text) < _MAX_LITERAL:
        try:
            parsed = ast.literal_eval(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return value
        return normalize_value(list(parsed) if isinstance(parsed, tuple) else parsed)
    return normalize_value(value)


def flatten(mapping: Mapping[str, Any], prefix: str = "", separator: str = ".") -> dict[str, Any]:
    """``{"optimizer": {"lr": 0.1}}`` → ``{"optimizer.lr": 0.1}``; lists stay values."""
    flat: dict[str, Any] = {}
    for key, value in mapping.items():
        name = f"{prefix}{separator}{key}" if prefix else str(key)
        if isinstance(value, Mapping) and value:
            flat.update(flatten(value, name, separator))
        else:
            flat[name] = value
    return flat


def is_seed(name: str) -> bool:
    return any(word in ("seed", "seeds") for word in words(name.split(".")[-1]))


def hyperparameters(params: Mapping[str, Any]) -> dict[str, Any]:
    """The tunable values among what a tracker logged (paths, devices, run names dropped).

    The seed stays: it is part of a run's state even though it is no tuning knob.
    """
    kept: dict[str, Any] = {}
    for name, raw in params.items():
        value = parse_logged_value(raw)
        if is_seed(name) or is_hyperparameter(name, value):
            kept[name] = value
    return kept


def clean_metrics(metrics: Mapping[str, Any]) -> dict[str, float]:
    """Finite numbers only; names starting with ``_`` are the tracker's own (``_runtime``)."""
    cleaned: dict[str, float] = {}
    for name, value in metrics.items():
        if str(name).startswith("_") or str(name).lower() in _COUNTERS or isinstance(value, bool):
            continue
        if isinstance(value, str):
            value = normalize_value(value)
        if isinstance(value, (int, float)) and math.isfinite(value):
            cleaned[str(name)] = int(value) if isinstance(value, int) else float(value)
    return cleaned


def from_millis(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value) / 1000, tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def from_iso(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def only_experiment(runs: Iterable[Run], experiment: str | None) -> list[Run]:
    return [run for run in runs if experiment is None or run.experiment == experiment]
