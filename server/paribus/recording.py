"""``record(**metrics)``: the one call a training script makes to log its result.

    from paribus import record
    record(train_f1=0.77, val_f1=0.66)

It finds the project (walking up from the working directory, then from the script's folder,
to the first ``paribus.toml`` or ``pyproject.toml`` with ``[tool.paribus]``), writes the
metrics to ``.paribus/last-run.json`` beside the log (the editor offers *Record result* from
it), then fills the pending log entry — or, when none is pending, creates the entry from the
script's current values (a baseline, else an experiment changing what differs). It prints one line and never raises: a finished
training run must not crash over bookkeeping.

Importing this module costs only the standard library; the YAML machinery loads on call.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

DEFAULT_LOG = "experiments.yaml"
LAST_RUN = Path(".paribus") / "last-run.json"


def record(**metrics: float):
    """Record ``metrics`` as the result of the pending entry; return the outcome or None."""
    project = find_project_root()
    if project is None:
        _say("no paribus.toml or [tool.paribus] found above this folder; result not recorded")
        return None
    root, card = project
    log_path = root / str(card.get("log") or DEFAULT_LOG)
    try:
        write_last_run(log_path.parent, metrics)
    except (OSError, TypeError, ValueError) as error:
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


def write_last_run(folder: Path, metrics: dict) -> Path:
    """Write ``.paribus/last-run.json`` under ``folder`` atomically and return its path."""
    path = folder / LAST_RUN
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "metrics": {name: float(value) for name, value in metrics.items()},
        "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "script": sys.argv[0] if sys.argv and sys.argv[0] else None,
    }
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)
    return path


def _read_card(folder: Path) -> dict | None:
    import tomllib  # small, but only needed once a record is made

    dedicated = folder / "paribus.toml"  # wins over pyproject.toml, as in the design
    pyproject = folder / "pyproject.toml"
    try:
        if dedicated.is_file():
            return tomllib.loads(dedicated.read_text(encoding="utf-8"))
        if pyproject.is_file():
            table = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            card = table.get("tool", {}).get("paribus")
            return card if isinstance(card, dict) else None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    return None


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _say(message: str) -> None:
    print(f"paribus: {message}", flush=True)
