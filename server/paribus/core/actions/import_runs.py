"""Turn tracker runs into log entries: a project's history becomes its Paribus history.

In run start order, the first run becomes a ``baseline`` (its full ``params`` and ``result``)
unless the log has one; every later run an ``experiment`` whose ``parent`` is the nearest
earlier run in parameter space (fewest differing values; ties → the most recent), with
``change`` = every differing value, ``result``, ``date``, ``commit`` when known and
``source: "<kind>:<run id>"``. Runs of one sweep become ``poc`` entries. A run whose
``source`` is already in the log is not imported again.

- ``plan_import(runs, log_text) -> ImportPlan``: pure — what would be appended;
- ``import_runs(log_path, runs, dry_run=False) -> ImportPlan``: the same, appended to the log
  atomically (comments and formatting kept), creating the log when there is none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paribus.core.actions.fixes import next_id
from paribus.core.actions.record import append_entries, rewrite_log
from paribus.core.model.files import read_disk
from paribus.core.extract import normalize_value, same_value
from paribus.core.model.log import parse_log
from paribus.core.model.replicates import changes_only_seeds
from paribus.core.model.state import entry_states
from paribus.core.trackers import Run


@dataclass
class _Candidate:
    """A possible parent: an entry of the log, or a run imported before this one."""

    entry_id: str
    state: dict[str, Any]
    complete: bool  # a tracker's full snapshot: a name it lacks is a name the run didn't have


@dataclass
class PlannedEntry:
    run: Run
    fields: dict[str, Any]

    @property
    def entry_id(self) -> str:
        return self.fields["id"]

    @property
    def kind(self) -> str:
        return self.fields["kind"]

    @property
    def change(self) -> dict[str, list[Any]]:
        return self.fields.get("change") or {}


@dataclass
class ImportPlan:
    entries: list[PlannedEntry] = field(default_factory=list)
    already_imported: int = 0
    without_metrics: int = 0
    log_path: Path | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "imported": [{**{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in e.fields.items()}} for e in self.entries],
            "already_imported": self.already_imported,
            "without_metrics": self.without_metrics,
        }


def imported_sources(log_text: str | None) -> set[str]:
    """The ``source`` of every entry already in the log."""
    if not log_text:
        return set()
    return {str(item.raw["source"]) for item in parse_log(log_text).entries if item.raw.get("source")}


def plan_import(runs: list[Run], log_text: str | None) -> ImportPlan:
    log = parse_log(log_text) if log_text and log_text.strip() else None
    entries = log.valid_entries if log else []
    raw_by_id = {item.id: item.raw for item in (log.entries if log else []) if item.id}
    ids: list[str | None] = list(raw_by_id)
    known = imported_sources(log_text)
    states = entry_states(entries)
    candidates = [
        _Candidate(entry.id, states.get(entry.id, {}), bool(raw_by_id.get(entry.id, {}).get("source")))
        for entry in entries
        if entry.has_state and (entry.result or entry.kind == "baseline")
    ]
    has_baseline = any(entry.kind == "baseline" for entry in entries)
    names = {name for run in runs for name in run.params} | {name for candidate in candidates for name in candidate.state}
    space = _ParameterSpace(names, len(candidates) + len(runs))
    for candidate in candidates:
        space.add(candidate)
    new_id = _Ids(ids)
    plan = ImportPlan()
    for run in sorted(runs, key=lambda run: run.order_key):
        if run.source in known:
            plan.already_imported += 1
            continue
        if not run.metrics:
            plan.without_metrics += 1
            continue
        known.add(run.source)
        if not has_baseline:
            entry_id = new_id.new("b")
            fields = {"id": entry_id, "kind": "baseline", **_date(run), "params": dict(run.params)}
            has_baseline = True
        else:
            parent, change = space.nearest(run.params)
            # A run at its parent's state, but for the seed, measures noise: a replicate.
            kind = "poc" if run.sweep else ("replicate" if not change or changes_only_seeds(change) else "experiment")
            entry_id = new_id.new({"poc": "p", "replicate": "r"}.get(kind, "e"))
            fields = {"id": entry_id, "kind": kind, **_date(run), "parent": parent.entry_id if parent else None, "change": change}
            if parent is None:
                fields.pop("parent")
        fields["result"] = dict(run.metrics)
        if run.commit:
            fields["commit"] = run.commit
        fields["source"] = run.source
        if run.name and run.kind in ("mlflow", "wandb"):
            fields["run_name"] = run.name
        space.add(_Candidate(entry_id, dict(run.params), True))
        plan.entries.append(PlannedEntry(run, fields))
    return plan


def import_runs(log_path: Path, runs: list[Run], *, dry_run: bool = False, root: Path | None = None) -> ImportPlan:
    """Append the plan for ``runs`` to the log (created when missing; only inside the project
    ``root``, default the log's folder); ``dry_run`` writes nothing."""
    log_path = Path(log_path)
    if dry_run:
        text = read_disk(log_path)
        plan = plan_import(runs, text)
    else:
        def change(text: str) -> tuple[str, ImportPlan]:
            planned = plan_import(runs, text)
            if not planned.entries:
                return text, planned
            return append_entries(text, [entry.fields for entry in planned.entries]), planned

        plan = rewrite_log(log_path, change, root=root, create=True)
    plan.log_path = log_path
    return plan


class _Ids:
    """New entry ids, ``prefix`` + one more than its highest number in use (as ``next_id``)."""

    def __init__(self, existing: list[str | None]) -> None:
        self.taken = {entry_id for entry_id in existing if entry_id}
        self.following: dict[str, int] = {}

    def new(self, prefix: str) -> str:
        number = self.following.get(prefix) or int(next_id(list(self.taken), prefix)[len(prefix):])
        while f"{prefix}{number}" in self.taken:
            number += 1
        self.following[prefix] = number + 1
        self.taken.add(f"{prefix}{number}")
        return f"{prefix}{number}"


def _date(run: Run) -> dict[str, Any]:
    return {"date": run.started.astimezone().date()} if run.started else {}


def _difference(state: dict[str, Any], params: dict[str, Any], complete: bool) -> dict[str, list[Any]]:
    """Every value of ``params`` that ``state`` holds otherwise (or, when complete, lacks)."""
    change = {}
    for name, value in params.items():
        if name in state:
            if not same_value(state[name], value):
                change[name] = [state[name], value]
        elif complete:
            change[name] = [None, value]
    return change


def _value_key(value: Any) -> Any:
    """A hashable stand-in equal for values ``same_value`` calls equal (5e-4 and 0.0005)."""
    value = normalize_value(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return ("n", float(f"{value:.12g}")) if value == value else ("n", "nan")
    if isinstance(value, list):
        return ("l", tuple(_value_key(item) for item in value))
    if isinstance(value, dict):
        return ("d", tuple(sorted((key, _value_key(item)) for key, item in value.items())))
    return ("s", str(value))


class _ParameterSpace:
    """Every candidate parent as a row of value codes, so finding the nearest one to a run is
    one vectorised comparison with all of them (1,000 runs: a million pairs)."""

    def __init__(self, names: set[str], capacity: int) -> None:
        import numpy as np

        self.np = np
        self.columns = {name: index for index, name in enumerate(sorted(names))}
        self.codes: dict[tuple[int, Any], int] = {}
        self.matrix = np.full((max(capacity, 1), max(len(self.columns), 1)), -1, dtype=np.int32)
        self.complete = np.zeros(max(capacity, 1), dtype=bool)
        self.candidates: list[_Candidate] = []

    def _code(self, column: int, value: Any) -> int:
        return self.codes.setdefault((column, _value_key(value)), len(self.codes))

    def add(self, candidate: _Candidate) -> None:
        row = len(self.candidates)
        for name, value in candidate.state.items():
            if name in self.columns:
                column = self.columns[name]
                self.matrix[row, column] = self._code(column, value)
        self.complete[row] = candidate.complete
        self.candidates.append(candidate)

    def nearest(self, params: dict[str, Any]) -> tuple[_Candidate | None, dict[str, list[Any]]]:
        """Fewest differing values, then most names in common; ties → the most recent."""
        count = len(self.candidates)
        if count == 0:
            return None, {}
        np = self.np
        columns = [self.columns[name] for name in params]
        wanted = np.array([self._code(column, value) for column, value in zip(columns, params.values())], dtype=np.int32)
        known = self.matrix[:count, columns]
        present = known != -1
        differ = ((known != wanted) & (present | self.complete[:count, None])).sum(axis=1)
        score = differ.astype(np.int64) * (len(columns) + 1) - present.sum(axis=1)
        best = count - 1 - int(np.argmin(score[::-1]))
        parent = self.candidates[best]
        return parent, _difference(parent.state, params, parent.complete)


def fill_from_run(text: str, entry_id: str, run: Run) -> str:
    """The log with ``entry_id``'s result (and verdict) filled from ``run``, marked with its source."""
    from paribus.core.actions.fixes import format_value
    from paribus.core.actions.record import fill_result

    filled, _ = fill_result(text, run.metrics, entry_id=entry_id)
    newline = "\r\n" if "\r\n" in filled else "\n"
    item = parse_log(filled.replace("\r\n", "\n")).by_id(entry_id)
    where = item.key_spans["result"]
    indent = " " * (where.column - 1)
    added = [] if run.commit is None or "commit" in item.raw else [f"{indent}commit: {format_value(run.commit, '.yaml')}"]
    added.append(f"{indent}source: {format_value(run.source, '.yaml')}")
    lines = filled.split(newline)
    lines[where.end_line : where.end_line] = added
    return newline.join(lines)


def matching_run(state: dict[str, Any], runs: list[Run]) -> Run | None:
    """The latest run that ran ``state``: every value both name is the same (at least one)."""
    found = None
    for run in sorted(runs, key=lambda run: run.order_key):
        shared = [name for name in state if name in run.params]
        if run.metrics and shared and all(same_value(state[name], run.params[name]) for name in shared):
            found = run
    return found
