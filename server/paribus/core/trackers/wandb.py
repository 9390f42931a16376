"""W&B runs, read from the ``wandb/`` folder without wandb.

Each run folder (``run-<time>-<id>`` synced, ``offline-run-<time>-<id>`` offline) holds
``run-<id>.wandb``: W&B's record log, a leveldb-style log (a 7-byte ``:W&B`` header, then
32 KiB blocks of records, each ``crc32 | length | type`` + data, a record split across
blocks as FIRST/MIDDLE/LAST pieces) whose records are ``wandb_internal.Record`` protocol
buffers (see wandb's ``wandb/sdk/internal/datastore.py`` and ``wandb/proto/wandb_internal.proto``).
From it: the run record (id, project, config, sweep, start time, git), config and summary
updates, the environment record (start time, git) and the exit record (finished or not).
Synced runs also keep ``files/config.yaml``, ``files/wandb-summary.json`` and
``files/wandb-metadata.json``; a folder with only those (copied, committed) is read from them.
"""

from __future__ import annotations

import json
import os
import struct
import zlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import yaml
from paribus.core.model.files import read_bytes, read_utf8
from paribus.core.trackers import protowire as wire
from paribus.core.trackers.runs import Run, Scan, clean_metrics, flatten, from_iso, hyperparameters

# A run's binary record log grows with its history: read whole, but never past this.
RECORD_LOG_LIMIT = 2_000_000_000

FOLDER = "wandb"
_HEADER = b":W&B" + struct.pack("<HB", 0xBEE1, 0)
_BLOCK = 32768
_RECORD_HEADER = 7
_FULL, _FIRST, _MIDDLE, _LAST = 1, 2, 3, 4
# wandb_internal.Record fields (wandb/proto/wandb_internal.proto)
_SUMMARY, _CONFIG, _RUN, _EXIT, _ENVIRONMENT = 3, 5, 17, 18, 26
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class RecordLogError(ValueError):
    pass


def find_run_folders(folder: Path) -> list[Path]:
    """Run folders under ``folder`` (a project, its ``wandb/`` or one run folder)."""
    folder = Path(folder)
    if _is_run_folder(folder):
        return [folder]
    base = folder / FOLDER if (folder / FOLDER).is_dir() else folder
    try:
        return sorted(Path(entry.path) for entry in os.scandir(base) if entry.is_dir() and _is_run_folder(Path(entry.path)))
    except OSError:
        return []


def _is_run_folder(path: Path) -> bool:
    return path.name.startswith(("run-", "offline-run-")) and not path.is_symlink()


def read_runs(folder: Path) -> Scan:
    scan = Scan(stores=[f"{FOLDER}/"])
    seen: dict[str, Run] = {}
    for run_folder in find_run_folders(folder):
        run = _read_run_folder(run_folder, scan)
        if run is not None and run.run_id not in seen:  # an offline run synced later is one run
            seen[run.run_id] = run
    scan.runs.extend(seen.values())
    return scan


def _run_id_of(folder: Path) -> str:
    return folder.name.rsplit("-", 1)[-1]


def _read_run_folder(folder: Path, scan: Scan) -> Run | None:
    run_id = _run_id_of(folder)
    record_log = folder / f"run-{run_id}.wandb"
    files = folder / "files"
    if record_log.is_file():
        try:
            state = read_record_log(read_bytes(record_log, limit=RECORD_LOG_LIMIT))
        except (OSError, RecordLogError) as error:
            if not (files / "wandb-summary.json").is_file():
                scan.problems.append(f"{record_log}: {error}; skipped")
                return None
            state = None
        if state is not None:
            if state.exit_code is None:
                scan.skipped["still running or crashed, skipped"] += 1
                return None
            if state.exit_code != 0:
                scan.skipped["failed, skipped"] += 1
                return None
            if (files / "wandb-summary.json").is_file():
                _overlay_files(state, files, scan)  # a synced run's files are its final word
            return state.run(folder)
    if (files / "wandb-summary.json").is_file():
        state = _RunState(run_id=run_id)
        state.exit_code = 0
        _overlay_files(state, files, scan)
        return state.run(folder)
    scan.skipped["still running or crashed, skipped"] += 1
    return None


class _RunState:
    """A run as its records and files describe it."""

    def __init__(self, run_id: str = "") -> None:
        self.run_id = run_id
        self.config: dict[str, Any] = {}
        self.summary: dict[str, Any] = {}
        self.name: str | None = None
        self.project: str | None = None
        self.sweep: str | None = None
        self.started: datetime | None = None
        self.commit: str | None = None
        self.exit_code: int | None = None

    def run(self, folder: Path) -> Run:
        params = {name: value for name, value in flatten(self.config).items() if not name.startswith("_") and name != "wandb_version"}
        media = {key for key, value in self.summary.items() if isinstance(value, dict) and "_type" in value}  # tables, images
        summary = {name: value for name, value in flatten({k: v for k, v in self.summary.items() if k not in media}, separator="/").items() if "/_" not in f"/{name}"}
        return Run(
            kind="wandb",
            run_id=self.run_id or _run_id_of(folder),
            params=hyperparameters(params),
            metrics=clean_metrics(summary),
            started=self.started or _time_of(folder),
            name=self.name,
            commit=self.commit,
            sweep=self.sweep,
            experiment=self.project,
            where=str(folder),
        )


def records(data: bytes) -> Iterator[bytes]:
    """The records of a W&B record log, in order; a torn tail (a run still writing) ends it."""
    if not data.startswith(_HEADER):
        raise RecordLogError("not a W&B record log (bad header)")
    position = len(_HEADER)
    pieces: list[bytes] | None = None
    while position < len(data):
        left_in_block = _BLOCK - position % _BLOCK
        if left_in_block < _RECORD_HEADER:
            position += left_in_block  # the block's zero trailer
            continue
        if position + _RECORD_HEADER > len(data):
            return
        checksum, length, record_type = struct.unpack_from("<IHB", data, position)
        if checksum == 0 and length == 0 and record_type == 0:
            return  # zero-filled tail
        body = data[position + _RECORD_HEADER : position + _RECORD_HEADER + length]
        if len(body) < length:
            return
        if zlib.crc32(body, zlib.crc32(bytes([record_type]))) & 0xFFFFFFFF != checksum:
            raise RecordLogError(f"record at byte {position} fails its checksum (the file is corrupt)")
        position += _RECORD_HEADER + length
        if record_type == _FULL:
            yield body
        elif record_type == _FIRST:
            pieces = [body]
        elif record_type in (_MIDDLE, _LAST) and pieces is not None:
            pieces.append(body)
            if record_type == _LAST:
                yield b"".join(pieces)
                pieces = None
        else:
            raise RecordLogError(f"unexpected record type {record_type} at byte {position}")


def read_record_log(data: bytes) -> _RunState:
    state = _RunState()
    try:
        for record in records(data):
            found = wire.fields(record)
            if _RUN in found:
                _apply_run(state, wire.message(found, _RUN))
            elif _CONFIG in found:
                _apply_items(state.config, wire.message(found, _CONFIG))
            elif _SUMMARY in found:
                _apply_items(state.summary, wire.message(found, _SUMMARY))
            elif _ENVIRONMENT in found:
                _apply_environment(state, wire.message(found, _ENVIRONMENT))
            elif _EXIT in found:
                state.exit_code = wire.integer(wire.message(found, _EXIT), 1)
    except wire.WireError as error:
        raise RecordLogError(f"a record is not a valid protocol buffer ({error})") from None
    return state


def _apply_run(state: _RunState, run: dict) -> None:
    state.run_id = wire.text(run, 1) or state.run_id
    state.project = wire.text(run, 3) or state.project
    state.name = wire.text(run, 8) or state.name
    state.sweep = wire.text(run, 12) or state.sweep
    if 4 in run:
        _apply_items(state.config, wire.message(run, 4))
    if 5 in run:
        _apply_items(state.summary, wire.message(run, 5))
    started = wire.message(run, 17)
    if started is not None:
        state.started = _timestamp(started)
    git = wire.message(run, 21)
    if git is not None:
        state.commit = wire.text(git, 2) or state.commit


def _apply_environment(state: _RunState, environment: dict) -> None:
    started = wire.message(environment, 3)
    if started is not None and state.started is None:
        state.started = _timestamp(started)
    git = wire.message(environment, 9)
    if git is not None and not state.commit:
        state.commit = wire.text(git, 2) or None


def _timestamp(found: dict) -> datetime | None:
    seconds = wire.integer(found, 1)
    if not seconds:
        return None
    return datetime.fromtimestamp(seconds + wire.integer(found, 2) / 1e9, tz=timezone.utc)


def _apply_items(target: dict[str, Any], record: dict) -> None:
    """Config/summary updates (``update = 1``) and removals (``remove = 2``) of ``{key | nested_key, value_json}`` items."""
    for item in wire.messages(record, 1):
        path = wire.texts(item, 2) or [wire.text(item, 1)]
        try:
            value = json.loads(wire.text(item, 16) or "null")
        except ValueError:
            continue
        _set_path(target, path, value)
    for item in wire.messages(record, 2):
        path = wire.texts(item, 2) or [wire.text(item, 1)]
        _set_path(target, path, None, remove=True)


def _set_path(target: dict[str, Any], path: list[str], value: Any, remove: bool = False) -> None:
    for key in path[:-1]:
        child = target.get(key)
        if not isinstance(child, dict):
            if remove:
                return
            child = target[key] = {}
        target = child
    if remove:
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value


def _overlay_files(state: _RunState, files: Path, scan: Scan) -> None:
    config = _load(files / "config.yaml", scan, yaml_file=True)
    if isinstance(config, dict):
        # config.yaml wraps each value: `lr: {value: 0.001, desc: null}`
        state.config = {key: (item.get("value") if isinstance(item, dict) and "value" in item else item) for key, item in config.items()}
    summary = _load(files / "wandb-summary.json", scan)
    if isinstance(summary, dict):
        state.summary = summary
    metadata = _load(files / "wandb-metadata.json", scan)
    if isinstance(metadata, dict):
        state.started = from_iso(metadata.get("startedAt")) or state.started
        git = metadata.get("git")
        if isinstance(git, dict) and git.get("commit"):
            state.commit = str(git["commit"])


def _load(path: Path, scan: Scan, yaml_file: bool = False) -> Any:
    try:
        text = read_utf8(path)
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        scan.problems.append(f"{path}: unreadable ({error})")
        return None
    try:
        return yaml.load(text, Loader=_Loader) if yaml_file else json.loads(text)
    except (yaml.YAMLError, ValueError):
        scan.problems.append(f"{path}: not valid {'YAML' if yaml_file else 'JSON'}; ignored")
        return None


def _time_of(folder: Path) -> datetime | None:
    """``run-20261201_150954-<id>``: the start time wandb wrote into the folder's name (local time)."""
    parts = folder.name.split("-")
    stamp = parts[-2] if len(parts) >= 3 else ""
    try:
        return datetime.strptime(stamp, "%Y%m%d_%H%M%S").astimezone(timezone.utc)
    except ValueError:
        return None
