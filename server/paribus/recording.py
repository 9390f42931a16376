"""``record(**metrics)``: the one call a training script makes to log its result.

    from paribus import record
    record(train_f1=0.77, val_f1=0.66)

It finds the project (walking up from the working directory, then from the script's folder,
to the first ``paribus.toml`` or ``pyproject.toml`` with ``[tool.paribus]``), writes the
metrics to ``.paribus/last-run.json`` beside the log (the editor offers *Record result* from
it), then fills the pending log entry — or, when none is pending, creates the entry from the
script's current values (a baseline, else an experiment changing what differs). It prints one
line and never raises — not on a broken card, a read-only log or a metric that is no number: a
finished training run must not crash over bookkeeping. It writes only inside the project folder.

Importing this module costs only the standard library; the YAML machinery loads on call.
"""

from __future__ import annotations

import json
import math
import sys
from datetime import datetime, timezone
from pathlib import Path

DEFAULT_LOG = "experiments.yaml"
LAST_RUN = Path(".paribus") / "last-run.json"


def record(**metrics: float):
    """Record ``metrics`` as the result of the pending entry; return the outcome or None."""
    try:
        return _record(metrics)
    except Exception as error:  # noqa: BLE001 - bookkeeping must never end a finished run
        _say(f"result not recorded ({type(error).__name__}: {error})")
        return None


def _record(metrics: dict):
    project = find_project_root()
    if project is None:
        _say("no paribus.toml or [tool.paribus] found above this folder; result not recorded")
        return None
    root, card = project
    log_name = card.get("log") or DEFAULT_LOG
    if not isinstance(log_name, str):
        _say(f"the card's `log` is not a file name: {log_name!r}; result not recorded")
        return None
    log_path = root / log_name

    from paribus.core.model.files import WriteRefused

    if "__unreadable__" in card:
        _say(f"{card['__unreadable__']}; result not recorded")
        return None
    try:
        write_last_run(log_path.parent, metrics, root=root)
    except (OSError, TypeError, ValueError, OverflowError, WriteRefused) as error:
        _say(f"could not write {LAST_RUN}: {error}")

    from paribus.core.actions.record import RecordError
    from paribus.core.actions.record_run import record_run

    script = sys.argv[0] if sys.argv and sys.argv[0].endswith(".py") else None
    try:
        outcome = record_run(root, metrics, script=script)
    except RecordError as error:
        _say(f"result not recorded: {error}")
        return None
    made = f" (new {outcome.kind} from the scripts' values)" if outcome.created else ""
    _say(f"{outcome.summary()}{made} in {_relative(log_path)}")
    return outcome


def find_project_root(start: Path | None = None) -> tuple[Path, dict] | None:
    """The folder holding the project card, with the card's keys; None when there is none."""
    starts = [Path(start)] if start else [Path.cwd()]
    if not start and sys.argv and sys.argv[0]:
        starts.append(Path(sys.argv[0]).resolve().parent)
    for first in starts:
        for folder in [first.resolve(), *first.resolve().parents]:
            card = _read_card(folder)
            if card is not None:
                return folder, card
    return None


def write_last_run(folder: Path, metrics: dict, root: Path | None = None) -> Path:
    """Write ``.paribus/last-run.json`` under ``folder`` atomically and return its path.

    Only inside the project ``root`` (default: ``folder``); raises WriteRefused otherwise.
    """
    from paribus.core.model.files import replace_file, writable_path

    root = Path(root) if root is not None else Path(folder)
    values = {str(name): float(value) for name, value in metrics.items()}
    payload = {
        "metrics": {name: value for name, value in values.items() if math.isfinite(value)},
        "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "script": sys.argv[0] if sys.argv and sys.argv[0] else None,
    }
    path = writable_path(root, Path(folder) / LAST_RUN, make_folders=True)
    replace_file(path, (json.dumps(payload, indent=2) + "\n").encode("utf-8"))
    return path


def _read_card(folder: Path) -> dict | None:
    import tomllib  # small, but only needed once a record is made

    dedicated = folder / "paribus.toml"  # wins over pyproject.toml, as in the design
    pyproject = folder / "pyproject.toml"
    from paribus.core.model.files import read_disk

    try:
        if dedicated.is_file():
            card = tomllib.loads(read_disk(dedicated) or "")
            return card if card else {}
        if pyproject.is_file():
            table = tomllib.loads(read_disk(pyproject) or "")
            tool = table.get("tool")
            card = tool.get("paribus") if isinstance(tool, dict) else None
            return card if isinstance(card, dict) else None
    except (tomllib.TOMLDecodeError, RecursionError) as error:
        if not dedicated.is_file() and "[tool.paribus]" not in (read_disk(pyproject) or ""):
            return None  # someone else's pyproject.toml
        name = dedicated.name if dedicated.is_file() else pyproject.name
        # The project is here, but where its log is can't be known: say so, write nothing.
        return {"__unreadable__": f"{folder / name} is not valid TOML ({error})"}
    return None


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _say(message: str) -> None:
    print(f"paribus: {message}", flush=True)
