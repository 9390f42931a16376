"""Entry states and the comparison of a script with the log.

The state of an entry is its parent's state plus its ``change``; a baseline's state is its
``params``. P is the latest stateful entry with a result, E a later pending one, and D the
hyperparameters whose value in the script (and its configs) differs from P's state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paribus.core.extract import Hyperparameter, normalize_value, same_value
from paribus.core.model.log import Entry


def resolve_parents(entries: list[Entry]) -> dict[str, str | None]:
    """Each stateful entry's parent id: explicit, else the previous baseline/experiment."""
    parents: dict[str, str | None] = {}
    previous: str | None = None
    for entry in entries:
        if not entry.has_state:
            continue
        if entry.kind == "baseline":
            parents[entry.id] = entry.parent
        else:
            parents[entry.id] = entry.parent or previous
        if entry.kind in ("baseline", "experiment"):
            previous = entry.id
    return parents


def entry_states(entries: list[Entry], parents: dict[str, str | None] | None = None) -> dict[str, dict[str, Any]]:
    """Every stateful entry's full hyperparameter state (cycles and unknown parents are cut).
    ``parents``: ``resolve_parents(entries)`` when the caller has it already.

    Walks each parent chain up to a known state, then folds it back down: no recursion, so a
    chain of thousands of entries costs what its length costs.
    """
    by_id = {entry.id: entry for entry in entries if entry.has_state}
    parents = parents if parents is not None else resolve_parents(entries)
    states: dict[str, dict[str, Any]] = {}
    for entry_id in by_id:
        chain: list[str] = []
        on_chain: set[str] = set()
        current: str | None = entry_id
        while current in by_id and current not in states and current not in on_chain:
            chain.append(current)
            on_chain.add(current)
            current = parents.get(current)
        base = states[current] if current in states else {}  # a cycle or unknown parent starts empty
        for link in reversed(chain):
            entry = by_id[link]
            state = dict(base)
            if entry.params:
                state.update(entry.params)
            for name, (_, new_value) in (entry.change or {}).items():
                state[name] = new_value
            states[link] = state
            base = state
    return states


@dataclass(frozen=True)
class ChangedHyperparameter:
    hyperparameter: Hyperparameter
    path: Path
    state_name: str  # the name as the log writes it
    parent_value: Any

    @property
    def name(self) -> str:
        return self.hyperparameter.name

    @property
    def new_value(self) -> Any:
        """The script's value as a number when it reads as one (YAML's `3e-4` is a string)."""
        return normalize_value(self.hyperparameter.value)


@dataclass
class ScriptComparison:
    """How one script (with its configs) stands against the log."""

    last_with_result: Entry | None = None  # P
    pending: Entry | None = None  # E
    parent_state: dict[str, Any] = field(default_factory=dict)
    changed: list[ChangedHyperparameter] = field(default_factory=list)  # D

    @property
    def changed_names(self) -> list[str]:
        return [item.state_name for item in self.changed]

    def pending_agrees(self) -> bool:
        """E's ``change`` names exactly D, with the script's values."""
        if self.pending is None:
            return False
        recorded = self.pending.change or {}
        if set(recorded) != set(self.changed_names):
            return False
        return all(same_value(recorded[item.state_name][1], item.hyperparameter.value) for item in self.changed)


def entries_for_script(entries: list[Entry], script: str) -> list[Entry]:
    """Entries that speak of this script: those naming it, and those naming no script."""
    name = Path(script).name
    return [e for e in entries if e.script is None or e.script == script or Path(e.script).name == name]


def compare_script(
    entries: list[Entry],
    hyperparameters: list[tuple[Path, Hyperparameter]],
    states: dict[str, dict[str, Any]] | None = None,
) -> ScriptComparison:
    comparison = ScriptComparison()
    stateful = [entry for entry in entries if entry.has_state]
    with_result = [index for index, entry in enumerate(stateful) if entry.result]
    if not with_result:
        return comparison
    last_index = with_result[-1]
    comparison.last_with_result = stateful[last_index]
    later_pending = [entry for entry in stateful[last_index + 1 :] if entry.is_pending]
    comparison.pending = later_pending[-1] if later_pending else None
    states = states if states is not None else entry_states(entries)
    parent_state = states.get(comparison.last_with_result.id, {})
    comparison.parent_state = parent_state
    lowered = {name.lower(): name for name in parent_state}
    seen: set[str] = set()
    for path, hyperparameter in hyperparameters:
        state_name = hyperparameter.name if hyperparameter.name in parent_state else lowered.get(hyperparameter.name.lower())
        if state_name is None or state_name in seen:
            continue  # a snapshot may be partial: names it doesn't hold are not changes
        seen.add(state_name)
        if not same_value(parent_state[state_name], hyperparameter.value):
            parent_value = normalize_value(parent_state[state_name])
            comparison.changed.append(ChangedHyperparameter(hyperparameter, path, state_name, parent_value))
    return comparison
