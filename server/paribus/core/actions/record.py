"""Write a run's result into the experiment log without disturbing anything else in it.

The log is edited as a ruamel.yaml round-trip document, so the user's comments, blank lines,
key order and flow/block styles survive; only ``result`` (and ``verdict`` when the entry has
a prediction) change. The file is replaced atomically, and never over an edit made since it
was read.

- ``fill_result(text, metrics, entry_id=None) -> (new_text, RecordOutcome)``: pure, for the
  editor (which turns the new text into a workspace edit).
- ``record_result(log_path, metrics, root=, entry_id=None, expected_text=None) -> RecordOutcome``:
  read, fill, check nobody changed the file meanwhile, replace.
- ``append_entries(text, entries) -> new_text``: the log with new entries at its end, in its
  own indentation (imports and entries created from the scripts use it).
- ``rewrite_log(log_path, change, root=, expected_text=None, create=False)``: the read, check
  and atomic replace around any ``change(text) -> (new_text, outcome)`` — only where Paribus
  may write (inside ``root``, a writable YAML file, through a link to its target).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.tokens import CommentToken
from ruamel.yaml.util import load_yaml_guess_indent

from paribus.core.judgement.failures import report_failure
from paribus.core.judgement.noise import NoiseJudge
from paribus.core.judgement.verdict import Verdict, compute_verdict
from paribus.core.model.files import (
    LOG_SUFFIXES,
    FileChanged,
    WriteRefused,
    create_file,
    read_bytes,
    replace_file,
    writable_path,
)
from paribus.core.model.log import parse_log
from paribus.core.model.project import Project

T = TypeVar("T")

# Entries that describe a run of the script, and so can hold a result.
RUN_KINDS = ("baseline", "experiment", "poc")


class RecordError(Exception):
    """A result could not be recorded; the message says why and what to do."""


class LogNotFoundError(RecordError):
    pass


class LogNotWritableError(RecordError):
    """Paribus may not write the log: outside the project, not YAML, read-only, not a file."""


class InvalidLogError(RecordError):
    pass


class NoPendingEntryError(RecordError):
    pass


class UnknownEntryError(RecordError):
    pass


class LogChangedError(RecordError):
    """The log changed on disk after it was read: writing would lose that edit."""


@dataclass(frozen=True)
class RecordOutcome:
    entry_id: str
    kind: str
    result: dict[str, float]
    verdict: Verdict | None
    parent_id: str | None
    log_path: Path | None = None
    difference: str | None = None  # "+0.010 ± 0.039 on 200 dev examples", when the noise is known
    created: bool = False  # the entry was made from the scripts, not filled

    def summary(self) -> str:
        metrics = ", ".join(f"{name} {value:g}" for name, value in self.result.items())
        verdict = f" ({self.verdict}{': ' + self.difference if self.difference else ''})" if self.verdict else ""
        return f"recorded {self.entry_id}: {metrics}{verdict}"


def record_result(
    log_path: Path,
    metrics: Mapping[str, float],
    *,
    root: Path | None = None,
    entry_id: str | None = None,
    expected_text: str | None = None,
    project: Project | None = None,
) -> RecordOutcome:
    """Fill the result of ``entry_id`` (default: the pending run entry) in the log file.

    ``root`` is the project folder the log must lie in (default: ``project``'s, else the log's
    own folder). ``expected_text`` is the log as the caller last saw it (an editor buffer); if
    the file on disk differs, nothing is written. With ``project`` the verdict is judged against
    the noise (dev-set size, replicates, paired predictions); without, the numbers are taken as
    they are.
    """
    log_path = Path(log_path)
    outcome = rewrite_log(
        log_path, lambda text: fill_result(text, metrics, entry_id=entry_id, project=project),
        root=root if root is not None else project.root if project is not None else None, expected_text=expected_text,
    )
    return replace(outcome, log_path=log_path)


def rewrite_log(
    log_path: Path,
    change: Callable[[str], tuple[str, T]],
    *,
    root: Path | None = None,
    expected_text: str | None = None,
    create: bool = False,
) -> T:
    """Apply ``change`` to the log's text and replace the file atomically; return its outcome.

    The log must be a file Paribus may write inside the project ``root`` (default: the log's
    own folder), else LogNotWritableError and nothing is read or written. With ``create``, a
    missing log is changed from empty text and created (never over a file that appeared meanwhile).
    """
    log_path = Path(log_path)
    try:
        target = writable_path(root if root is not None else log_path.parent, log_path, suffixes=LOG_SUFFIXES)
    except WriteRefused as error:
        raise LogNotWritableError(str(error)) from None
    try:
        original_bytes = read_bytes(target)
    except FileNotFoundError:
        if not create:
            raise LogNotFoundError(f"no experiment log at {log_path}") from None
        new_text, outcome = change("")
        if new_text:
            try:
                create_file(target, new_text.encode("utf-8"))
            except FileExistsError:
                raise LogChangedError(f"{log_path.name} was created meanwhile; nothing written, try again") from None
            except OSError as error:
                raise LogNotWritableError(f"could not write {log_path.name}: {error.strerror or error}") from None
        return outcome
    except OSError as error:
        raise LogNotWritableError(f"{log_path.name} could not be read: {error.strerror or error}") from None
    original_text = _decode(original_bytes, log_path)
    if expected_text is not None and _normalize(expected_text) != _normalize(original_text):
        raise LogChangedError(
            f"{log_path.name} on disk differs from the text being edited; save or reload it first"
        )
    new_text, outcome = change(original_text)
    if new_text != original_text:
        try:
            replace_file(target, new_text.encode("utf-8"), expected=original_bytes)
        except FileChanged:
            raise LogChangedError(
                f"{log_path.name} changed while the result was being recorded; nothing written, record again"
            ) from None
        except OSError as error:
            raise LogNotWritableError(f"could not write {log_path.name}: {error.strerror or error}") from None
    return outcome


def fill_result(
    text: str, metrics: Mapping[str, float], *, entry_id: str | None = None, project: Project | None = None
) -> tuple[str, RecordOutcome]:
    """Return the log text with the entry's result (and verdict) filled, and what was done;
    ``project`` lets the verdict weigh the noise."""
    result_values = _clean_metrics(metrics)
    newline = "\r\n" if "\r\n" in text else "\n"
    text = _normalize(text)
    yaml, entries = _load_round_trip(text)

    position = _target_position(entries, entry_id)
    entry = entries[position]
    parent = _parent_entry(entries, position)
    prediction, parent_result = entry.get("prediction"), parent.get("result") if parent else None
    verdict = compute_verdict(
        prediction if isinstance(prediction, Mapping) else None,
        parent_result if isinstance(parent_result, Mapping) else None,
        result_values,
    )
    parent_id = str(parent.get("id")) if parent else None
    difference = None
    if verdict is not None and project is not None:
        try:
            judged = _judge_against_noise(project, text, str(entry.get("id")), result_values)
        except Exception as error:  # noqa: BLE001 - a noise estimate that fails must not lose the result
            report_failure("the noise estimate of a recorded result", error)
            judged = None
        if judged is not None:
            verdict, difference, parent_id = judged

    _set_key(entry, "result", _flow_mapping(result_values), before="verdict")
    if verdict is not None:
        _set_key(entry, "verdict", verdict)

    new_text = _dump_round_trip(yaml, entries, text)
    outcome = RecordOutcome(
        entry_id=str(entry.get("id", f"#{position + 1}")),
        kind=str(entry.get("kind")),
        result=result_values,
        verdict=verdict,
        parent_id=parent_id,
        difference=difference,
    )
    return new_text.replace("\n", newline), outcome


def _judge_against_noise(project: Project, text: str, entry_id: str, result: dict[str, float]) -> tuple[Verdict, str | None, str] | None:
    """The verdict, the difference with its noise (None when unknown) and the parent, as PB203
    will judge the entry once its result is in; None when the log can't say."""
    entries = parse_log(text).valid_entries
    if sum(entry.id == entry_id for entry in entries) != 1:
        return None
    updated = [entry.model_copy(update={"result": result}) if entry.id == entry_id else entry for entry in entries]
    target = next(entry for entry in updated if entry.id == entry_id)
    if target.prediction is None:
        return None
    comparison = NoiseJudge(project, project.card().card, updated).comparison(target, target.prediction.metric)
    if comparison is None:
        return None
    difference = comparison.difference_text() if comparison.noise is not None else None
    return comparison.verdict(target.prediction), difference, comparison.parent_id


def append_entries(text: str, new_entries: list[Mapping]) -> str:
    """``text`` with ``new_entries`` at its end: the existing text kept byte for byte, the new
    entries written in the log's own indentation, block keys and flow values
    (``change: {lr: [0.1, 0.01]}``), one blank line apart when the log's entries are."""
    newline = "\r\n" if "\r\n" in text else "\n"
    text = _normalize(text)
    head = text.rstrip("\n") if text.strip() not in ("", "[]") else ""
    dash = _block_list_indent(head) if head else 0
    if dash is None:  # a flow-style list, or a layout only a full round trip can continue
        yaml, entries = _load_round_trip(text)
        entries.extend(_entry_map(fields) for fields in new_entries)
        return _dump_round_trip(yaml, entries, text).replace("\n", newline)
    separator = "\n" if re.search(r"\n[ \t]*\n[ \t]*- ", text) else ""
    body = separator.join(_render_entry(fields, dash) for fields in new_entries)
    combined = f"{head}\n{separator}{body}" if head else body
    return combined.replace("\n", newline)


def _block_list_indent(text: str) -> int | None:
    """The column of the log's ``- `` (0 for ``- id:``), or None when it is no block list of entries."""
    from paribus.core.model.log import parse_log

    log = parse_log(text)
    if any(problem.code == "PB601" or "must be a YAML list" in problem.message for problem in log.problems):
        raise InvalidLogError(f"the experiment log is not a YAML list of entries: {log.problems[0].message}")
    body = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if body and (body[0].lstrip().startswith("[") or body[-1].strip() in ("...", "---")):
        return None
    if not log.entries:
        return 0
    return max(log.entries[0].span.column - 3, 0)


class _FastDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """libyaml's dumper, quoting strings a YAML 1.2 reader (ruamel, above) would take for numbers."""


_YAML12_NUMBER = re.compile(r"[-+]?(\.\d+|\d+(\.\d*)?)([eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+")


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "'" if _YAML12_NUMBER.fullmatch(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_FastDumper.add_representer(str, _represent_text)


class _FlowMap(dict):
    pass


class _FlowList(list):
    pass


_FastDumper.add_representer(_FlowMap, lambda dumper, value: dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True))
_FastDumper.add_representer(_FlowList, lambda dumper, value: dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True))


def _as_flow(value: object) -> object:
    if isinstance(value, Mapping):
        return _FlowMap((key, _as_flow(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return _FlowList(_as_flow(item) for item in value)
    return value


def _render_entry(fields: Mapping, dash: int) -> str:
    """One entry, block keys and flow values, its ``- `` at column ``dash``."""
    entry = {key: _as_flow(value) for key, value in fields.items()}
    text = yaml.dump([entry], Dumper=_FastDumper, default_flow_style=False, width=1_000_000, allow_unicode=True, sort_keys=False)
    return "".join(" " * dash + line for line in text.splitlines(keepends=True)) if dash else text


def _entry_map(fields: Mapping) -> CommentedMap:
    entry = CommentedMap()
    for key, value in fields.items():
        entry[key] = _flow(value)
    return entry


def _flow(value: object) -> object:
    """Nested mappings and lists as flow collections, the way log entries write them."""
    if isinstance(value, Mapping):
        mapping = CommentedMap((key, _flow(item)) for key, item in value.items())
        mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, (list, tuple)):
        sequence = CommentedSeq(_flow(item) for item in value)
        sequence.fa.set_flow_style()
        return sequence
    return value


def _load_round_trip(text: str) -> tuple[YAML, CommentedSeq]:
    try:
        yaml = _round_trip_yaml(text)
        entries = yaml.load(text)
    except YAMLError as error:
        raise InvalidLogError(f"the experiment log is not valid YAML: {_first_line(error)}") from None
    except RecursionError:
        raise InvalidLogError("the experiment log nests too deeply to be edited") from None
    except (ValueError, TypeError, OverflowError) as error:  # e.g. a date that does not exist
        raise InvalidLogError(f"the experiment log holds a value that can't be read: {error}") from None
    if entries is None:
        entries = CommentedSeq()
    if not isinstance(entries, CommentedSeq) or not all(
        isinstance(entry, CommentedMap) for entry in entries
    ):
        raise InvalidLogError("the experiment log must be a YAML list of entries (mappings)")
    return yaml, entries


def _dump_round_trip(yaml: YAML, entries: CommentedSeq, original: str) -> str:
    buffer = io.StringIO()
    try:
        yaml.dump(entries, buffer)
    except RecursionError:
        raise InvalidLogError("the experiment log nests too deeply to be edited") from None
    return _restore_document_start(original, buffer.getvalue())


def _target_position(entries: CommentedSeq, entry_id: str | None) -> int:
    if entry_id is not None:
        for position, entry in enumerate(entries):
            if str(entry.get("id")) == entry_id:
                return position
        known = ", ".join(str(entry.get("id")) for entry in entries) or "none"
        raise UnknownEntryError(f"no entry with id {entry_id!r} in the log (ids: {known})")
    for position in reversed(range(len(entries))):
        entry = entries[position]
        if entry.get("kind") in RUN_KINDS and entry.get("result") is None:
            return position
    raise NoPendingEntryError(
        "no pending entry: every baseline/experiment/poc entry already has a result; "
        "add an entry for this run (with its hypothesis) or name one with --id"
    )


def _parent_entry(entries: CommentedSeq, position: int) -> CommentedMap | None:
    """The entry named by ``parent``, else the previous run entry in the log."""
    parent_id = entries[position].get("parent")
    if parent_id is not None:
        return next((e for e in entries if str(e.get("id")) == str(parent_id)), None)
    for earlier in reversed(range(position)):
        if entries[earlier].get("kind") in RUN_KINDS:
            return entries[earlier]
    return None


def _clean_metrics(metrics: Mapping[str, float]) -> dict[str, float]:
    # Training code hands over numpy scalars and tensors' .item()s; YAML wants plain numbers.
    cleaned: dict[str, float] = {}
    for name, value in metrics.items():
        if isinstance(value, bool):
            raise RecordError(f"metric {name!r} is a boolean, not a number")
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            raise RecordError(f"metric {name!r} is not a number: {_shown(value)}") from None
        if not math.isfinite(number):
            raise RecordError(f"metric {name!r} is {number}: nothing to record")
        cleaned[str(name)] = int(number) if isinstance(value, int) else number
    if not cleaned:
        raise RecordError("no metrics given: pass them as name=value (e.g. val_f1=0.71)")
    return cleaned


def _round_trip_yaml(text: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the user's long lines
    try:
        _, mapping_indent, sequence_offset = load_yaml_guess_indent(text)
    except YAMLError:
        mapping_indent, sequence_offset = 2, 0
    mapping_indent = mapping_indent or 2
    sequence_offset = sequence_offset or 0
    yaml.indent(
        mapping=mapping_indent,
        sequence=max(mapping_indent, sequence_offset + 2),
        offset=sequence_offset,
    )
    return yaml


def _flow_mapping(values: Mapping[str, float]) -> CommentedMap:
    mapping = CommentedMap(values)
    mapping.fa.set_flow_style()  # `result: {train_f1: 0.77, val_f1: 0.66}`, as people write it
    return mapping


def _set_key(mapping: CommentedMap, key: str, value: object, *, before: str = "") -> None:
    """Set ``key`` in place if present, else insert it before ``before`` or at the end."""
    if key in mapping:
        mapping[key] = value
    elif before and before in mapping:
        mapping.insert(list(mapping).index(before), key, value)
    else:
        _append_key(mapping, key, value)


def _append_key(mapping: CommentedMap, key: str, value: object) -> None:
    # Blank lines and comments after an entry's last line belong to what follows (usually
    # the next entry): they must stay after the new last key, not end up above it.
    trailing = _detach_trailing_lines(mapping)
    mapping[key] = value
    if trailing:
        token = CommentToken("\n" + trailing, CommentMark(0), None)
        mapping.ca.items[key] = [None, None, token, None]


def _detach_trailing_lines(node: object) -> str:
    moved = ""
    for holder, index in _tail_comment_slots(node):
        token = holder[index]
        cut = token.value.find("\n")
        if cut < 0:
            continue
        same_line, following = token.value[: cut + 1], token.value[cut + 1 :]
        if following:
            token.value = same_line
            moved = moved or following
    return moved


def _tail_comment_slots(node: object) -> list[tuple[list, int]]:
    """Where ruamel may keep the text that follows the last value of ``node``."""
    slots: list[tuple[list, int]] = []
    if isinstance(node, CommentedMap) and node:
        last_key = list(node)[-1]
        slot = node.ca.items.get(last_key)
        if slot and slot[2] is not None:
            slots.append((slot, 2))
        slots += _tail_comment_slots(node[last_key])
    elif isinstance(node, CommentedSeq) and node:
        slot = node.ca.items.get(len(node) - 1)
        if slot and slot[0] is not None:
            slots.append((slot, 0))
        slots += _tail_comment_slots(node[-1])
    if isinstance(node, (CommentedMap, CommentedSeq)):
        comment = node.ca.comment
        if comment and comment[0] is not None:
            slots.append((comment, 0))
    return slots


def _restore_document_start(original: str, dumped: str) -> str:
    # ruamel drops an explicit `---` unless told; keep whatever the user had.
    if original.lstrip().startswith("---") and not dumped.lstrip().startswith("---"):
        head = original[: original.index("---") + 3]
        return head + "\n" + dumped
    return dumped


def _shown(value: object) -> str:
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a training script's object may fail even to print
        text = f"a {type(value).__name__}"
    return text if len(text) <= 60 else text[:59] + "…"


def _first_line(error: Exception) -> str:
    return " ".join(str(error).split("\n")[:3])


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidLogError(f"{path.name} is not UTF-8 text") from None


def _normalize(text: str) -> str:
    return text.replace("\r\n", "\n")
