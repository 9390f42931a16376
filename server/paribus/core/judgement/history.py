"""The code behind the runs: each commit that changed hyperparameters, and whether the log has it.

From ``git log`` of the card's scripts and configs: for every commit, the hyperparameters
whose value differs from the commit's parent (read with the same extraction as the rules),
whether a log entry covers it (its ``commit`` is this one, or its ``change`` is exactly this
change) and so whether it changed more than one thing at once. Without git, nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from paribus.core.extract import diff_hyperparameters, extract_text, same_value
from paribus.core.model.project import Project
from paribus.core.trackers import git


@dataclass
class ValueChange:
    path: str
    name: str
    old: Any
    new: Any


@dataclass
class CommitChanges:
    sha: str
    date: datetime
    subject: str
    changes: list[ValueChange] = field(default_factory=list)
    created: list[str] = field(default_factory=list)  # files the commit added
    covered_by: list[str] = field(default_factory=list)  # log entries for it

    @property
    def short(self) -> str:
        return self.sha[:10]


@dataclass
class CodeHistory:
    commits: list[CommitChanges] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"commits": [{**asdict(commit), "several": len(commit.changes) > 1} for commit in self.commits], "notes": self.notes}


def code_history(project: Project, since: str | None = None) -> CodeHistory:
    history = CodeHistory()
    ctx = project.context()
    paths = [project.relative(view.path) for view in (*ctx.scripts, *ctx.configs)]
    if not paths:
        history.notes.append("No training script or config file in the card: nothing to follow in git.")
        return history
    try:
        commits = git.commits_touching(project.root, paths, since=since)
        requests = [(rev, path) for commit in commits for rev in (commit.sha, f"{commit.sha}^") for path in paths]
        texts = git.file_texts(project.root, requests)
    except git.GitError as error:
        message = str(error)
        if since and ("unknown revision" in message or "bad revision" in message or "ambiguous argument" in message):
            raise ValueError(f"--since {since}: no such revision") from None
        history.notes.append(f"No git history ({message}).")
        return history
    for commit in commits:
        changed = CommitChanges(commit.sha, commit.date, commit.subject)
        for path in paths:
            before, after = texts.get((f"{commit.sha}^", path)), texts.get((commit.sha, path))
            if after is None or before == after:
                continue
            if before is None:
                changed.created.append(path)
                continue
            options = ctx.options
            old = extract_text(before, Path(path), options)
            new = extract_text(after, Path(path), options)
            changed.changes += [ValueChange(path, change.name, change.old, change.new) for change in diff_hyperparameters(old, new)]
        if changed.changes or changed.created:
            changed.covered_by = _covering_entries(ctx, changed)
            history.commits.append(changed)
    return history


def _covering_entries(ctx, commit: CommitChanges) -> list[str]:
    covering = []
    for item in ctx.log.entries if ctx.log else []:
        recorded = str(item.raw.get("commit") or "")
        if recorded and len(recorded) >= 7 and (commit.sha.startswith(recorded) or recorded.startswith(commit.sha)):
            covering.append(item.id)
            continue
        entry = item.entry
        if entry is None or not entry.change or not commit.changes:
            continue
        new_values = {change.name: change.new for change in commit.changes}
        lowered = {name.lower(): name for name in new_values}
        names = {lowered.get(name.lower(), name) for name in entry.change}
        if names == set(new_values) and all(same_value(entry.change[name][1], new_values[lowered.get(name.lower(), name)]) for name in entry.change):
            covering.append(item.id)
    return covering
