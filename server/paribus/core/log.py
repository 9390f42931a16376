"""The experiment log (``experiments.yaml``, schema v1) with a position for every entry and field.

The YAML is composed with the safe loader (libyaml when available) so every node keeps its
marks; values are constructed only from safe tags. An entry that fails the schema is kept
with its problems, so one typo never hides the rest of the log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from paribus.core.positions import Span

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

KINDS = ("exploration", "baseline", "error-analysis", "experiment", "poc")
STATEFUL_KINDS = ("baseline", "experiment", "poc")
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
    kind: Literal["exploration", "baseline", "error-analysis", "experiment", "poc"]
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


@dataclass
class LogEntry:
    """An entry with where it is written. ``entry`` is None when it fails the schema."""

    index: int
    span: Span
    raw: dict[str, Any]
    key_spans: dict[str, Span]
    value_spans: dict[str, Span]
    entry: Entry | None = None

    @property
    def id(self) -> str | None:
        value = self.raw.get("id")
        return None if value is None else str(value)

    def span_of(self, key: str) -> Span:
        """The key's span when written, else the entry's first line."""
        return self.key_spans.get(key) or self.key_spans.get("id") or Span.point(self.span.line, self.span.column)


@dataclass
class ParsedLog:
    text: str
    entries: list[LogEntry] = field(default_factory=list)
    problems: list[LogProblem] = field(default_factory=list)

    @property
    def valid_entries(self) -> list[Entry]:
        return [item.entry for item in self.entries if item.entry is not None]

    def by_id(self, entry_id: str) -> LogEntry | None:
        for item in self.entries:
            if item.id == entry_id:
                return item
        return None


def _span(node: yaml.Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _key_span(node: yaml.Node) -> Span:
    return _span(node)


class _Constructor(yaml.constructor.SafeConstructor):
    """Constructs python values from already-composed nodes, safe tags only."""


def _construct(node: yaml.Node) -> Any:
    constructor = _Constructor()
    return constructor.construct_object(node, deep=True)


@lru_cache(maxsize=8)
def parse_log(text: str) -> ParsedLog:
    """Parse the log text. Cached by text: the editor asks for it on every keystroke."""
    log = ParsedLog(text=text)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = error.problem or str(error)
        log.problems.append(LogProblem("PB601", f"experiments log is not valid YAML: {detail}", Span.point(line, column)))
        return log
    except yaml.YAMLError as error:
        log.problems.append(LogProblem("PB601", f"experiments log is not valid YAML: {error}", Span.point(1)))
        return log
    if root is None:
        return log
    if not isinstance(root, yaml.SequenceNode):
        log.problems.append(
            LogProblem("PB602", "experiments log must be a YAML list of entries (`- id: …`)", _first_line(root))
        )
        return log
    for index, item in enumerate(root.value):
        log.entries.append(_parse_entry(index, item, log))
    return log


def _first_line(node: yaml.Node) -> Span:
    span = _span(node)
    return Span(span.line, span.column, span.line, span.column + 1)


def _parse_entry(index: int, node: yaml.Node, log: ParsedLog) -> LogEntry:
    if not isinstance(node, yaml.MappingNode):
        log.problems.append(LogProblem("PB602", "a log entry must be a mapping with `id` and `kind`", _first_line(node)))
        return LogEntry(index, _span(node), {}, {}, {})
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
            log.problems.append(LogProblem("PB602", f"`{key}`: {error}", _key_span(key_node)))
            continue
        key_spans[key] = _key_span(key_node)
        value_spans[key] = _span(value_node)
    item = LogEntry(index, _span(node), raw, key_spans, value_spans)
    try:
        item.entry = Entry.model_validate(raw)
    except ValidationError as error:
        for problem in error.errors():
            key = str(problem["loc"][0]) if problem["loc"] else "id"
            where = ".".join(str(part) for part in problem["loc"])
            message = _schema_message(where, problem, raw)
            log.problems.append(LogProblem("PB602", message, item.span_of(key)))
    return item


def _schema_message(where: str, problem: dict, raw: dict[str, Any]) -> str:
    entry_id = raw.get("id", "?")
    kind = problem.get("type")
    if kind == "missing":
        return f"entry {entry_id}: `{where}` is required"
    if kind == "literal_error":
        return f"entry {entry_id}: `{where}` {problem['msg'][0].lower()}{problem['msg'][1:]}"
    return f"entry {entry_id}: `{where}`: {problem['msg']}"
