"""`paribus import` and `paribus history`: the runs a project already has, and the code behind them.

Exit codes: 0 done, 1 some of a store could not be read (the rest was imported), 2 a bad
argument or no store where one was looked for.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from paribus.cli.common import display_path, fail


def cmd_import(args: argparse.Namespace) -> int:
    from paribus.core.actions.import_runs import import_runs
    from paribus.core.actions.record import LogNotFoundError, LogNotWritableError, RecordError
    from paribus.core.model.card import load_card
    from paribus.core.model.project import find_project_root
    from paribus.core.trackers import TITLES, read_source
    from paribus.core.trackers.runs import only_experiment

    root = find_project_root(Path(args.root).resolve())
    where = Path(args.path).resolve() if args.path else root
    if not where.exists():
        return fail(f"no such file or folder: {args.path}")
    if args.experiment and args.source == "dvc":
        return fail("--experiment names an MLflow experiment, a W&B project or a Hydra job; DVC runs have none")
    title = TITLES[args.source]
    scan = read_source(args.source, where)
    if not scan.runs and not scan.skipped and not scan.problems:
        return fail(f"no {title} runs found in {display_path(where)} (looked for {_looked_for(args.source)})")
    runs = only_experiment(scan.runs, args.experiment)
    log_path = root / load_card(root).card.log
    try:
        plan = import_runs(log_path, runs, dry_run=args.dry_run, root=root)
    except (LogNotFoundError, LogNotWritableError) as error:
        return fail(str(error), 2)
    except RecordError as error:
        return fail(str(error))
    if args.format == "json":
        from paribus.render import json_text

        print(json_text({**plan.to_json(), "skipped": dict(scan.skipped), "problems": scan.problems}))
        return 1 if scan.problems else 0
    stores = ", ".join(scan.stores)
    filtered = f" in experiment {args.experiment!r}" if args.experiment else ""
    print(f"{title}: {len(runs)} finished run{'s' if len(runs) != 1 else ''}{filtered} in {stores}.")
    if scan.skipped:
        print(f"  left out: {scan.skipped_text()}")
    for problem in scan.problems:
        print(f"  not read: {problem}")
    if plan.already_imported:
        print(f"  already in the log: {plan.already_imported}")
    if plan.without_metrics:
        print(f"  without metrics (nothing to compare), not imported: {plan.without_metrics}")
    if not plan.entries:
        print(f"Nothing new to import into {display_path(log_path)}.")
        return 1 if scan.problems else 0
    verb = "Would import" if args.dry_run else "Imported"
    print(f"{verb} {len(plan.entries)} run{'s' if len(plan.entries) != 1 else ''} into {display_path(log_path)}:")
    for entry in plan.entries:
        print("  " + _entry_line(entry))
    several = [entry.entry_id for entry in plan.entries if entry.kind != "poc" and len(entry.change) > 1]
    if several:
        print(f"Changed several things at once: {', '.join(several)} (PB103: their results can't be attributed to one change).")
    if not args.dry_run:
        print("Next: paribus check (each imported experiment still needs its one-sentence hypothesis)")
    return 1 if scan.problems else 0


def _entry_line(entry) -> str:
    fields = entry.fields
    result = ", ".join(f"{name} {value:g}" for name, value in list(fields["result"].items())[:3])
    if entry.kind == "baseline":
        what = f"{len(fields['params'])} params"
    else:
        what = f"from {fields.get('parent', '—')}: " + (", ".join(f"{name} {_short(old)} → {_short(new)}" for name, (old, new) in entry.change.items()) or "same values")
    date = fields.get("date")
    return f"{entry.entry_id:<4} {entry.kind:<10} {date.isoformat() if date else '':<10}  {fields['source']:<24}  {what}  ⇒ {result}"


def _short(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, bool):
        return str(value).lower()
    return "—" if value is None else str(value)


def _looked_for(source: str) -> str:
    return {
        "mlflow": "mlruns/ and mlflow.db",
        "wandb": "wandb/run-* and wandb/offline-run-*",
        "hydra": "outputs/ and multirun/ folders with .hydra/config.yaml",
        "dvc": "dvclive/metrics.json or metrics.json",
    }[source]


def cmd_history(args: argparse.Namespace) -> int:
    from paribus.core.judgement.history import code_history
    from paribus.core.model.project import Project, find_project_root

    root = find_project_root(Path(args.root).resolve())
    try:
        history = code_history(Project(root), since=args.since)
    except ValueError as error:
        return fail(str(error))
    if args.format == "json":
        from paribus.render import json_text

        print(json_text(history.to_json()))
        return 0
    for note in history.notes:
        print(note)
    if not history.commits:
        if not history.notes:
            print("No commit changed a hyperparameter of the card's scripts and configs.")
        return 0
    for commit in history.commits:
        flag = f"  ⚠ {len(commit.changes)} changes at once" if len(commit.changes) > 1 else ""
        covered = f"logged as {', '.join(commit.covered_by)}" if commit.covered_by else "no log entry"
        print(f"{commit.date.date().isoformat()}  {commit.short}  {commit.subject}  [{covered}]{flag}")
        for path in commit.created:
            print(f"    {path}: created")
        for change in commit.changes:
            print(f"    {change.path}: {change.name} {_short(change.old)} → {_short(change.new)}")
    several = sum(1 for commit in history.commits if len(commit.changes) > 1)
    uncovered = sum(1 for commit in history.commits if not commit.covered_by)
    print(f"\n{len(history.commits)} commits changed hyperparameters; {several} changed more than one; {uncovered} have no log entry.")
    return 0


def add_tracker_commands(sub: argparse._SubParsersAction) -> None:
    importer = sub.add_parser("import", help="import the runs of MLflow, W&B, Hydra or DVC as log entries")
    importer.add_argument("source", choices=["mlflow", "wandb", "hydra", "dvc"])
    importer.add_argument("path", nargs="?", help="where the runs are (default: the project folder)")
    importer.add_argument("--dry-run", action="store_true", help="say what would be imported, write nothing")
    importer.add_argument("--experiment", metavar="NAME", help="only this MLflow experiment / W&B project / Hydra job")
    importer.add_argument("--root", default=".", help="project folder (default: the one holding the card)")
    importer.add_argument("--format", choices=["text", "json"], default="text")
    importer.set_defaults(func=cmd_import)

    history = sub.add_parser("history", help="commits that changed hyperparameters, and whether the log covers them")
    history.add_argument("--since", metavar="REV", help="only commits after this revision")
    history.add_argument("--root", default=".", help="project folder (default: the one holding the card)")
    history.add_argument("--format", choices=["text", "json"], default="text")
    history.set_defaults(func=cmd_history)
