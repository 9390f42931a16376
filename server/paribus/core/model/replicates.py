"""Replicates: runs of one state that differ only in the random seed.

An entry is a replicate when it says so (``kind: replicate``), when its ``change`` names only
seeds, or when it is a baseline whose ``params`` differ from its parent's state only in
seeds. It measures run-to-run noise, not an idea: it needs no hypothesis, prediction or error
analysis. A replicate's *origin* is the first ancestor that is not one; the origin and its
replicates form the state's group, whose spread is that state's seed noise.
"""

from __future__ import annotations

from typing import Any

from paribus.core.extract.values import same_value
from paribus.core.extract.vocabulary import is_seed
from paribus.core.model.log import Entry


def is_seed_name(name: str) -> bool:
    """A name the extraction would report as a seed (`seed`, `SEED`, `training.seed`,
    `data_seed`, `random_state` …, but not `num_seeds` or `seed_dir`), whatever its value."""
    return is_seed(str(name).replace("/", "."), 0)


def changes_only_seeds(change: dict[str, Any] | None) -> bool:
    return bool(change) and all(is_seed_name(name) for name in change)


def is_replicate(entry: Entry, parent_state: dict[str, Any] | None = None) -> bool:
    """Does this entry only re-run its parent's state with another seed?"""
    if entry.kind == "replicate":
        return True
    if not entry.has_state:
        return False
    if entry.change:
        return changes_only_seeds(entry.change)
    if entry.kind == "baseline" and entry.params and entry.parent and parent_state:
        differing = [name for name, value in entry.params.items() if name in parent_state and not same_value(parent_state[name], value)]
        return changes_only_seeds(dict.fromkeys(differing))
    return False


def replicate_origins(entries: list[Entry], parents: dict[str, str | None], states: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Every stateful entry's origin: itself, or for a replicate the first ancestor that isn't one."""
    by_id = {entry.id: entry for entry in entries if entry.has_state}
    replicate = {
        entry_id: is_replicate(entry, states.get(parents.get(entry_id) or "")) for entry_id, entry in by_id.items()
    }
    origins: dict[str, str] = {}
    for entry_id in by_id:
        current, seen = entry_id, {entry_id}
        while replicate[current]:
            parent = parents.get(current)
            if parent not in by_id or parent in seen:
                break
            seen.add(parent)
            current = parent
        origins[entry_id] = current
    return origins
