"""The experiment log (``experiments.yaml``, schema v1) with a position for every entry and field.

The YAML is composed with the safe loader (libyaml when available) so every node keeps its
marks; values are constructed only from safe tags. An entry that fails the schema is kept
with its problems, so one typo never hides the rest of the log.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Literal

import yaml
from paribus.core.model.plain_yaml import Position, read_plain_entry
from paribus.core.positions import Span
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_LIBYAML = _Loader is not yaml.SafeLoader

KINDS = ("exploration", "baseline", "error-analysis", "experiment", "poc", "replicate")
STATEFUL_KINDS = ("baseline", "experiment", "poc", "replicate")
INTERVENTIONS = ("data", "hyperparameters", "architecture", "pretrained", "compute")
VERDICTS = ("confirmed", "refuted", "inconclusive")
DIRECTIONS = ("up", "down", "same")


class Prediction(BaseModel):
    model_config = ConfigDict(extra="forbid")
    metric: str
    direction: Literal["up", "down", "same"]
    by: float | None = None


class Entry(BaseModel):
    """One log entry. Unknown keys are kept (researchers annotate freely)."""

    model_config = ConfigDict(extra="allow")

    id: str
    kind: Literal["exploration", "baseline", "error-analysis", "experiment", "poc", "replicate"]
    date: dt.date | str | None = None
    script: str | None = None
    params: dict[str, Any] | None = None
    result: dict[str, float] | None = None
    of: str | None = None
    examined: int | None = None
    categories: dict[str, int] | None = None
    conclusion: str | None = None
    parent: str | None = None
    intervention: Literal["data", "hyperparameters", "architecture", "pretrained", "compute"] | None = None
    targets: str | list[str] | None = None
    change: dict[str, tuple[Any, Any]] | None = None
    hypothesis: str | None = None
    prediction: Prediction | None = None
    verdict: Literal["confirmed", "refuted", "inconclusive"] | None = None
    predictions: str | None = None  # this run's per-example predictions file, for paired comparisons

    @field_validator("id", "parent", "of", mode="before")
    @classmethod
    def _ids_are_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value

    @field_validator("hypothesis", "conclusion", mode="before")
    @classmethod
    def _blank_is_missing(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def has_state(self) -> bool:
        return self.kind in STATEFUL_KINDS

    @property
    def is_pending(self) -> bool:
        return self.has_state and not self.result


@dataclass
class LogProblem:
    code: str  # PB601 (YAML), PB602 (schema)
    message: str
    span: Span


class _ParsedEntry:
    """One entry parsed on its own, positions relative to the text it was cut from.

    An entry read by the plain reader keeps its positions as numbers: the spans of its keys
    and values are made when first asked for (most never are).
    """

    def __init__(self, span: Span, raw: dict[str, Any], key_spans: dict[str, Span] | None = None,
                 value_spans: dict[str, Span] | None = None, problems: list[LogProblem] | None = None,
                 positions: list[Position] = ()) -> None:
        self.span = span
        self.raw = raw
        self.entry: Entry | None = None
        self.problems = problems if problems is not None else []
        self._key_spans = key_spans
        self._value_spans = value_spans
        self._positions = positions

    @property
    def key_spans(self) -> dict[str, Span]:
        if self._key_spans is None:
            self._key_spans = {read.key: Span(line + 1, read.indent + 1, line + 1, read.colon + 1) for read, line in self._positions}
        return self._key_spans

    @property
    def value_spans(self) -> dict[str, Span]:
        if self._value_spans is None:
            self._value_spans = {read.key: Span(line + 1, read.value_start + 1, line + 1, read.value_end + 1) for read, line in self._positions}
        return self._value_spans


def _shift(span: Span, lines: int) -> Span:
    return Span(span.line + lines, span.column, span.end_line + lines, span.end_column) if lines else span


class LogEntry:
    """An entry with where it is written. ``entry`` is None when it fails the schema.

    Positions are shifted from the entry's own text lazily: on a keystroke in a long log
    most entries come unchanged from the cache and most positions are never asked for.
    """

    def __init__(self, index: int, parsed: _ParsedEntry, line_offset: int = 0) -> None:
        self.index = index
        self._parsed = parsed
        self._offset = line_offset
        self.raw = parsed.raw
        self.entry = parsed.entry

    @cached_property
    def span(self) -> Span:
        return _shift(self._parsed.span, self._offset)

    @cached_property
    def key_spans(self) -> dict[str, Span]:
        return {key: _shift(span, self._offset) for key, span in self._parsed.key_spans.items()}

    @cached_property
    def value_spans(self) -> dict[str, Span]:
        return {key: _shift(span, self._offset) for key, span in self._parsed.value_spans.items()}

    @property
    def id(self) -> str | None:
        value = self.raw.get("id")
        return None if value is None else str(value)

    def span_of(self, key: str) -> Span:
        """The key's span when written, else the entry's first line."""
        local = self._parsed.key_spans.get(key) or self._parsed.key_spans.get("id")
        return _shift(local, self._offset) if local else Span.point(self.span.line, self.span.column)


@dataclass
class ParsedLog:
    text: str
    entries: list[LogEntry] = field(default_factory=list)
    problems: list[LogProblem] = field(default_factory=list)

    @cached_property
    def valid_entries(self) -> list[Entry]:
        return [item.entry for item in self.entries if item.entry is not None]

    @cached_property
    def _by_id(self) -> dict[str, LogEntry]:
        index: dict[str, LogEntry] = {}
        for item in self.entries:
            if item.id is not None:
                index.setdefault(item.id, item)
        return index

    def by_id(self, entry_id: str) -> LogEntry | None:
        return self._by_id.get(entry_id)


def _span(node: yaml.Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


class _Constructor(yaml.constructor.SafeConstructor):
    """Constructs python values from already-composed nodes, safe tags only."""


def _construct(node: yaml.Node) -> Any:
    constructor = _Constructor()
    return constructor.construct_object(node, deep=True)


_ENTRY_START = re.compile(r"^-(?=[ \t\r\n]|$)", re.M)
# Anything at column 1 but an entry, a comment or a blank line means an unusual layout.
_UNUSUAL_TOP_LEVEL = re.compile(r"^(?=[^\s#])(?!-(?:[ \t\r\n]|$))", re.M)
_ENTRY_CACHE_SIZE = 50_000
_entry_cache: OrderedDict[str, list[_ParsedEntry] | LogProblem] = OrderedDict()


@lru_cache(maxsize=8)
def parse_log(text: str) -> ParsedLog:
    """Parse the log text. Cached by text, and entry by entry: a keystroke re-reads one entry."""
    starts = [match.start() for match in _ENTRY_START.finditer(text)]
    if not starts or _UNUSUAL_TOP_LEVEL.search(text, starts[0]) or _UNUSUAL_TOP_LEVEL.search(text[: starts[0]]):
        return _parse_whole(text)
    log = ParsedLog(text=text)
    line = text.count("\n", 0, starts[0])
    starts.append(len(text))
    for start, end in zip(starts, starts[1:]):
        chunk = text[start:end]
        parsed = _parse_chunk(chunk)
        if isinstance(parsed, LogProblem):
            log.problems.append(LogProblem(parsed.code, parsed.message, _shift(parsed.span, line)))
        else:
            for item in parsed:
                log.entries.append(LogEntry(len(log.entries), item, line))
                log.problems.extend(LogProblem(p.code, p.message, _shift(p.span, line)) for p in item.problems)
        line += chunk.count("\n")
    return log


def _parse_chunk(chunk: str) -> list[_ParsedEntry] | LogProblem:
    cached = _entry_cache.get(chunk)
    if cached is not None:
        _entry_cache.move_to_end(chunk)
        return cached
    parsed = _read_plain(chunk)
    if parsed is None:
        parsed = _compose_chunk(chunk)
    _entry_cache[chunk] = parsed
    if len(_entry_cache) > _ENTRY_CACHE_SIZE:
        _entry_cache.popitem(last=False)
    return parsed


def _read_plain(chunk: str) -> list[_ParsedEntry] | None:
    """Most entries: read without composing YAML nodes (None when the entry isn't plain)."""
    plain = read_plain_entry(chunk, libyaml_marks=_LIBYAML)
    if plain is None:
        return None
    (line, column), (end_line, end_column) = plain.start, plain.end
    span = Span(line + 1, column + 1, end_line + 1, end_column + 1)
    return [_validated(_ParsedEntry(span, plain.raw, positions=plain.positions))]


def _compose_chunk(chunk: str) -> list[_ParsedEntry] | LogProblem:
    root = _compose(chunk)
    if isinstance(root, LogProblem):
        return root
    return [_parse_entry(item) for item in root.value] if isinstance(root, yaml.SequenceNode) else []


def _compose(text: str) -> yaml.Node | None | LogProblem:
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = error.problem or str(error)
        return LogProblem("PB601", f"experiments log is not valid YAML: {detail}", Span.point(line, column))
    except (yaml.YAMLError, RecursionError) as error:
        return LogProblem("PB601", f"experiments log is not valid YAML: {error}", Span.point(1))


def _parse_whole(text: str) -> ParsedLog:
    log = ParsedLog(text=text)
    root = _compose(text)
    if isinstance(root, LogProblem):
        log.problems.append(root)
        return log
    if root is None:
        return log
    if not isinstance(root, yaml.SequenceNode):
        log.problems.append(LogProblem("PB602", "experiments log must be a YAML list of entries (`- id: …`)", _first_line(root)))
        return log
    for item in root.value:
        parsed = _parse_entry(item)
        log.entries.append(LogEntry(len(log.entries), parsed))
        log.problems.extend(parsed.problems)
    return log


def _first_line(node: yaml.Node) -> Span:
    span = _span(node)
    return Span(span.line, span.column, span.line, span.column + 1)


def _parse_entry(node: yaml.Node) -> _ParsedEntry:
    problems: list[LogProblem] = []
    if not isinstance(node, yaml.MappingNode):
        problems.append(LogProblem("PB602", "a log entry must be a mapping with `id` and `kind`", _first_line(node)))
        return _ParsedEntry(_span(node), {}, {}, {}, problems)
    raw: dict[str, Any] = {}
    key_spans: dict[str, Span] = {}
    value_spans: dict[str, Span] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        key = str(key_node.value)
        try:
            raw[key] = _construct(value_node)
        except (yaml.YAMLError, RecursionError, TypeError) as error:
            problems.append(LogProblem("PB602", f"`{key}`: {error}", _span(key_node)))
            continue
        key_spans[key] = _span(key_node)
        value_spans[key] = _span(value_node)
    return _validated(_ParsedEntry(_span(node), raw, key_spans, value_spans, problems))


def _validated(parsed: _ParsedEntry) -> _ParsedEntry:
    """The entry checked against the schema, with a located problem per error."""
    raw = parsed.raw
    try:
        parsed.entry = Entry.model_validate(raw)
    except ValidationError as error:
        key_spans = parsed.key_spans
        for problem in error.errors():
            key = str(problem["loc"][0]) if problem["loc"] else "id"
            where = ".".join(str(part) for part in problem["loc"])
            span = key_spans.get(key) or key_spans.get("id") or Span.point(parsed.span.line, parsed.span.column)
            parsed.problems.append(LogProblem("PB602", _schema_message(where, problem, raw), span))
    return parsed


def _schema_message(where: str, problem: dict, raw: dict[str, Any]) -> str:
    entry_id = raw.get("id", "?")
    kind = problem.get("type")
    if kind == "missing":
        return f"entry {entry_id}: `{where}` is required"
    if kind == "literal_error":
        return f"entry {entry_id}: `{where}` {problem['msg'][0].lower()}{problem['msg'][1:]}"
    return f"entry {entry_id}: `{where}`: {problem['msg']}"
