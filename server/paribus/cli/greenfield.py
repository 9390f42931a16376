"""The greenfield commands: ``paribus init``, ``paribus scaffold baseline``, ``paribus record``.

They close the first loop of the workflow: describe the project in a card, scaffold the
simplest baseline, run it, and have its result land in the experiment log. Exit codes follow
the rest of the CLI: 0 done, 1 refused (the message says why: a card already there, no
pending entry...), 2 a bad argument or a path that can't be used (missing, not a file, empty
or binary, read-only, outside the project).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from pathlib import Path

from paribus.cli.common import data_file, input_text

LAST_RUN = Path(".paribus") / "last-run.json"


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _fail(message: str, code: int = 1) -> int:
    print(f"paribus: {message}", file=sys.stderr)
    return code


# -- paribus init ------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from paribus.core.actions.init_project import init_project, survey
    from paribus.core.model.card import load_card
    from paribus.core.model.files import WriteRefused, create_file, writable_path

    folder = Path(args.folder).resolve()
    if not folder.is_dir():
        return _fail(f"no such folder: {args.folder}" if not folder.exists() else f"{args.folder} is not a folder", 2)
    existing = load_card(folder)
    if existing.exists:
        return _fail(f"{_shown(existing.path)} already holds a project card; not overwritten")
    card_path = folder / "paribus.toml"
    try:
        target = writable_path(folder, card_path)
    except WriteRefused as error:
        return _fail(str(error), 2)
    try:
        found = survey(folder)
        text = init_project(folder, found)
    except OSError as error:
        return _fail(f"could not read the data to describe it: {error}", 2)
    try:
        create_file(target, text.encode("utf-8"))
    except FileExistsError:  # present but unreadable as a card: still never overwritten
        return _fail(f"{_shown(card_path)} already exists; not overwritten")
    except OSError as error:
        return _fail(f"could not write {_shown(card_path)}: {error.strerror or error}", 2)
    print(f"Wrote {_shown(card_path)}.")
    if found.adopted:
        print("Found:")
        for line in found.lines():
            print(line)
    for line in _detected(tomllib.loads(text), text, found.adopted):
        print(line)
    print("\nFill in:")
    for line in _todo_lines(text):
        print(line)
    if found.runs:
        print("\nThen: " + " · ".join(f"paribus import {kind}" for kind in found.runs) + "   (the runs become the log's history)")
    elif found.scripts:
        print(f"\nThen: run {found.scripts[0]} and `paribus record name=value …` (its values become the baseline)")
    else:
        print("\nThen: paribus scaffold baseline")
    return 0


def _detected(card: dict, text: str, adopted: bool = False) -> list[str]:
    data = card.get("data", {})
    lines = ["Detected:", f"  data type   {data.get('type')}"]
    if adopted:
        metric = card.get("metric", {})
        lines += [f"  status      {card.get('status')}", f"  metric      {metric.get('name')} ({metric.get('goal')})"]
    if data.get("volume"):
        lines.append(f"  volume      {data['volume']}")
    if "chance" in card:
        reason = _comment_of(text, "chance")
        lines.append(f"  chance      {card['chance']:g}" + (f" ({reason})" if reason else ""))
    if card.get("scripts") and not adopted:
        lines.append(f"  scripts     {', '.join(card['scripts'])}")
    return lines


def _todo_lines(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        if "# TODO:" in line and "=" in line and not line.lstrip().startswith("#"):
            key = line.split("=", 1)[0].strip()
            lines.append(f"  {key:<10}  {line.split('# TODO:', 1)[1].strip()}")
    return lines


def _comment_of(text: str, key: str) -> str:
    for line in text.splitlines():
        if line.startswith(f"{key} =") and "#" in line:
            return line.split("#", 1)[1].strip()
    return ""


# -- paribus scaffold baseline -------------------------------------------------------------------


def cmd_scaffold_baseline(args: argparse.Namespace) -> int:
    from paribus.core.actions.scaffold import (
        ScaffoldError,
        ScaffoldWriteRefused,
        scaffold_baseline,
        write_scaffold,
    )
    from paribus.core.model.card import load_card
    from paribus.core.model.project import Project, find_project_root

    if args.samples < 0:
        return _fail("--samples must be 0 (all rows) or more", 2)
    root = find_project_root(Path(args.root).resolve())
    loaded = load_card(root)
    if not loaded.exists:
        return _fail(f"no project card in {_shown(root)}: run `paribus init` and fill it in first")
    data = Path(args.data).resolve() if args.data else None  # as typed, from the working folder
    if data is not None and not data.exists():
        return _fail(f"no such data file or folder: {args.data}", 2)
    if data is not None and not data.is_dir():
        data_file(args.data)  # CliError (exit 2) for a device, a FIFO or an empty file
    try:
        plan = scaffold_baseline(
            root, loaded.card, data=data, label=args.label, samples=args.samples,
            script_name=args.name,
        )
        write_scaffold(plan, root)
    except ScaffoldWriteRefused as error:
        return _fail(str(error), 2)
    except ScaffoldError as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"could not write the baseline: {error.strerror or error}", 2)

    script = _shown(plan.script_path)
    print(f"Created {script} ({plan.template} baseline) and entry {plan.entry_id} in {_shown(plan.log_path)}.")
    params = ", ".join(f"{name}={value!r}" for name, value in plan.params.items())
    print(f"  hyperparameters  {params}")
    for problem in loaded.problems:
        print(f"  card: {problem.message}")
    for note in plan.notes:
        print(f"  note: {note}")
    if plan.script_path not in Project(root).script_paths(loaded):
        print(f"  note: {plan.script_path.name} is not among the card's scripts: add it to "
              "`scripts` so `paribus check` compares it with the log")
    print(f"\nRun it:  python {script}")
    print(f"It records its result in {plan.entry_id} (through paribus.record); "
          "otherwise: paribus record name=value ...")
    return 0


# -- paribus record ------------------------------------------------------------------------------


def cmd_record(args: argparse.Namespace) -> int:
    from paribus.core.actions.record import LogNotFoundError, LogNotWritableError, RecordError
    from paribus.core.actions.record_run import record_run
    from paribus.core.model.card import load_card
    from paribus.core.model.project import find_project_root

    folder = Path(args.root)
    if not folder.is_dir():
        return _fail(f"no such folder: {args.root}" if not folder.exists() else f"{args.root} is not a folder", 2)
    root = find_project_root(folder.resolve())
    card = load_card(root).card
    log_path = root / card.log
    try:
        metrics = _metrics_from_file(args.metrics_file) if args.metrics_file else {}
        metrics.update(_parse_assignments([*(args.metric or []), *args.assignments]))
    except ValueError as error:
        return _fail(str(error), 2)
    if not metrics:
        last_run = log_path.parent / LAST_RUN
        try:
            metrics, described = _last_run(last_run)
        except FileNotFoundError:
            return _fail(f"no metrics given and no {_shown(last_run)}: pass name=value, "
                         "or run a script that calls paribus.record()")
        except ValueError as error:
            return _fail(f"{_shown(last_run)}: {error}")
        print(f"No metrics given: using the last run ({_shown(last_run)}{described}).")
    try:
        outcome = record_run(root, metrics, entry_id=args.entry, script=args.script)
    except (LogNotFoundError, LogNotWritableError) as error:
        return _fail(str(error), 2)
    except RecordError as error:
        return _fail(str(error))
    if outcome.created:
        made = "a baseline with the scripts' values" if outcome.kind == "baseline" else f"an experiment: what changed since {outcome.parent_id}"
        print(f"No pending entry: created {outcome.entry_id}, {made}.")
    print(f"{outcome.summary()[0].upper()}{outcome.summary()[1:]} in {_shown(log_path)}.")
    if outcome.created and outcome.kind == "experiment":
        print(f"{outcome.entry_id} has no hypothesis yet: add the one sentence on why this run exists (PB201).")
    if outcome.verdict is not None:
        difference = f" ({outcome.difference})" if outcome.difference else ""
        print(f"Verdict against its prediction (parent {outcome.parent_id}): {outcome.verdict}{difference}.")
    if outcome.kind == "baseline":
        comparison = _against_chance(root, outcome.entry_id)
        if comparison:
            print(comparison)
    print("Next: paribus workflow")
    return 0


def _parse_assignments(assignments: list[str]) -> dict[str, float]:
    metrics: dict[str, float] = {}
    for assignment in assignments:
        name, equals, value = assignment.partition("=")
        if not equals or not name.strip():
            raise ValueError(f"expected name=value, got {assignment!r}")
        try:
            metrics[name.strip()] = float(value)
        except ValueError:
            raise ValueError(f"metric {name.strip()!r} is not a number: {value!r}") from None
    return metrics


def _metrics_from_file(path: str) -> dict:
    """``{"val_f1": 0.7}``, or a last-run file's ``{"metrics": {...}}``."""
    text = input_text(path, utf8_only=True)  # CliError (exit 2) when missing, binary, a folder...
    try:
        payload = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise ValueError(f"{path} is not JSON: {error}") from None
    if isinstance(payload, dict) and isinstance(payload.get("metrics"), dict):
        payload = payload["metrics"]
    if not isinstance(payload, dict):
        raise ValueError(f"{path} must hold a JSON object of metric names and numbers")
    return dict(payload)


def _last_run(path: Path) -> tuple[dict, str]:
    from paribus.core.model.files import read_text

    read = read_text(path)
    if read.text is None:
        if read.issue is None:
            raise FileNotFoundError(path)
        raise ValueError(read.issue.message)
    try:
        payload = json.loads(read.text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise ValueError(f"not JSON: {error}") from None
    metrics = payload.get("metrics") if isinstance(payload, dict) else None
    if not isinstance(metrics, dict) or not metrics:
        raise ValueError("holds no metrics")
    details = [str(payload[key]) for key in ("script", "timestamp") if payload.get(key)]
    return metrics, "".join(f", {detail}" for detail in details)


def _against_chance(root: Path, entry_id: str) -> str | None:
    """The recorded baseline against chance: the judgement PB403 and the workflow make."""
    from paribus.core.judgement.chance import judge_chance
    from paribus.core.model.project import Project

    ctx = Project(root).context()
    entry = next((e for e in ctx.entries if e.id == entry_id), None)
    judgement = judge_chance(ctx, entry) if entry is not None else None
    if judgement is None:
        return None
    if judgement.beyond:
        return f"{judgement.text()}. The problem is learnable: a learning curve tells how far more data goes."
    return f"{judgement.text()}. Change the representation or features, not the data volume."


# -- registration --------------------------------------------------------------------------------


def add_greenfield_commands(sub: argparse._SubParsersAction) -> None:
    init = sub.add_parser("init", help="write a paribus.toml card drafted from what the folder shows")
    init.add_argument("folder", nargs="?", default=".", help="project folder (default: .)")
    init.set_defaults(func=cmd_init)

    scaffold = sub.add_parser("scaffold", help="generate a starting point (baseline)")
    kinds = scaffold.add_subparsers(dest="kind", required=True)
    baseline = kinds.add_parser("baseline", help="the simplest model on a small subset, with its log entry")
    baseline.add_argument("--data", help="data file or class folder (default: guessed)")
    baseline.add_argument("--label", help="label column (default: guessed)")
    baseline.add_argument("--samples", type=int, default=100, help="training subset size; 0 = all rows (default: 100)")
    baseline.add_argument("--name", default="baseline.py", help="script name (default: baseline.py)")
    baseline.add_argument("--root", default=".", help="project folder (default: the one holding the card)")
    baseline.set_defaults(func=cmd_scaffold_baseline)

    record = sub.add_parser("record", help="record a run's metrics: in the pending entry, else in one made from the scripts")
    record.add_argument("assignments", nargs="*", metavar="NAME=VALUE", help="metrics, e.g. val_f1=0.71")
    record.add_argument("--metric", action="append", metavar="NAME=VALUE", help="a metric (repeatable)")
    record.add_argument("--metrics", dest="metrics_file", metavar="FILE.json", help="metrics as a JSON object")
    record.add_argument("--entry", "--id", dest="entry", help="the entry id to fill (default: the pending one; with none, one is made from the scripts)")
    record.add_argument("--script", help="the script that ran, when the card has several")
    record.add_argument("--root", default=".", help="project folder (default: the one holding the card)")
    record.set_defaults(func=cmd_record)
