"""The experiment log (``experiments.yaml``, schema v1) with a position for every entry and field.

The YAML is composed with the safe loader (libyaml when available) so every node keeps its
marks; values are constructed only from safe tags. An entry that fails the schema is kept
with its problems, so one typo never hides the rest of the log.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
from collections import OrderedDict
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Annotated, Any, Literal

import yaml
from paribus.core.model.plain_yaml import Position, read_plain_entry
from paribus.core.positions import Span, offset_to_line_column
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError, field_validator

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_LIBYAML = _Loader is not yaml.SafeLoader

KINDS = ("exploration", "baseline", "error-analysis", "experiment", "poc", "replicate")
STATEFUL_KINDS = ("baseline", "experiment", "poc", "replicate")
INTERVENTIONS = ("data", "hyperparameters", "architecture", "pretrained", "compute")
VERDICTS = ("confirmed", "refuted", "inconclusive")
DIRECTIONS = ("up", "down", "same")
# Past these, an entry is not read (and says so): aliases can make a small text expand to
# billions of values, and every later step walks the values it holds.
MAX_ENTRY_VALUES = 100_000
MAX_ENTRY_DEPTH = 64


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError(f"{value} is not a finite number")
    return value


FiniteFloat = Annotated[float, AfterValidator(_finite)]


class Prediction(BaseModel):
    model_config = ConfigDict(extra="forbid")
    metric: str
    direction: Literal["up", "down", "same"]
    by: FiniteFloat | None = None


class Entry(BaseModel):
    """One log entry. Unknown keys are kept (researchers annotate freely)."""

    model_config = ConfigDict(extra="allow")

    id: str
    kind: Literal["exploration", "baseline", "error-analysis", "experiment", "poc", "replicate"]
    date: dt.date | str | None = None
    script: str | None = None
    params: dict[str, Any] | None = None
    result: dict[str, FiniteFloat] | None = None
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
    severity: str | None = None  # None: the rule's own


class _ParsedEntry:
    """One entry parsed on its own, positions relative to the text it was cut from.

    An entry read by the plain reader keeps its positions as numbers: the spans of its keys
    and values are made when first asked for (most never are). ``inner_key_spans`` are the
    keys one level down (`categories: {noisy: 3}` → ("categories", "noisy")), to locate
    problems; the plain reader only reads entries that have none.
    """

    def __init__(self, span: Span, raw: dict[str, Any], key_spans: dict[str, Span] | None = None,
                 value_spans: dict[str, Span] | None = None, entry: Entry | None = None,
                 problems: list[LogProblem] | None = None, inner_key_spans: dict[tuple[str, str], Span] | None = None,
                 positions: list[Position] = ()) -> None:
        self.span = span
        self.raw = raw
        self.entry = entry
        self.problems = problems if problems is not None else []
        self.inner_key_spans = inner_key_spans if inner_key_spans is not None else {}
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
        return str(value) if isinstance(value, (str, int, float)) else None

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


class _Positions:
    """Marks as the editor counts lines: YAML also breaks lines at U+0085, U+2028 and U+2029,
    the editor only at CR, LF and CRLF. When the text holds any of those, positions come from
    the marks' character offsets instead of their line numbers."""

    _ODD = re.compile(r"[\r\x85\u2028\u2029]")
    _LONE_CR = re.compile(r"\r(?!\n)")
    _BREAK = re.compile(r"\r\n|\r|\n")

    def __init__(self, text: str) -> None:
        self.starts = [0, *(match.end() for match in self._BREAK.finditer(text))] if self._ODD.search(text) else None

    def point(self, mark) -> tuple[int, int]:
        if self.starts is None:
            return mark.line + 1, mark.column + 1
        line = bisect.bisect_right(self.starts, mark.index)
        return line, mark.index - self.starts[line - 1] + 1


_positions: ContextVar[_Positions | None] = ContextVar("paribus_log_positions", default=None)


def _span(node: yaml.Node) -> Span:
    positions = _positions.get()
    if positions is None:
        start, end = node.start_mark, node.end_mark
        return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)
    return Span(*positions.point(node.start_mark), *positions.point(node.end_mark))


class _Constructor(yaml.constructor.SafeConstructor):
    """Constructs python values from already-composed nodes, safe tags only."""


def _construct(node: yaml.Node) -> Any:
    constructor = _Constructor()
    return constructor.construct_object(node, deep=True)


_ENTRY_START = re.compile(r"^-(?=[ \t\r\n]|$)", re.M)
# Anything at column 1 but an entry, a comment or a blank line means an unusual layout.
_UNUSUAL_TOP_LEVEL = re.compile(r"^(?=[^\s#])(?!-(?:[ \t\r\n]|$))", re.M)
# Line breaks YAML knows and `re`'s ``^`` doesn't: an entry after one is found only by composing.
_BREAK_RE_MISSES = re.compile(r"\r(?!\n)|[\x85\u2028\u2029]")
_ENTRY_CACHE_SIZE = 50_000
_entry_cache: OrderedDict[str, list[_ParsedEntry] | LogProblem] = OrderedDict()


@lru_cache(maxsize=8)
def parse_log(text: str) -> ParsedLog:
    """Parse the log text. Cached by text, and entry by entry: a keystroke re-reads one entry."""
    starts = [match.start() for match in _ENTRY_START.finditer(text)]
    if (not starts or _UNUSUAL_TOP_LEVEL.search(text, starts[0]) or _UNUSUAL_TOP_LEVEL.search(text[: starts[0]])
            or _BREAK_RE_MISSES.search(text[: starts[0]])):
        return _parse_whole(text)
    log = ParsedLog(text=text)
    line = _line_breaks(text[: starts[0]])
    starts.append(len(text))
    only_line_feeds = "\r" not in text
    entries = log.entries
    for start, end in zip(starts, starts[1:]):
        chunk = text[start:end]
        parsed = _parse_chunk(chunk)
        if isinstance(parsed, LogProblem):
            log.problems.append(replace(parsed, span=_shift(parsed.span, line)))
        else:
            for item in parsed:
                entries.append(LogEntry(len(entries), item, line))
                if item.problems:
                    log.problems.extend(replace(p, span=_shift(p.span, line)) for p in item.problems)
        line += chunk.count("\n") if only_line_feeds else _line_breaks(chunk)
    return log


def _line_breaks(text: str) -> int:
    """Line breaks as the editor counts them (a lone CR is one too)."""
    return text.count("\n") + (len(_Positions._LONE_CR.findall(text)) if "\r" in text else 0)


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
    """Most entries: read without composing YAML nodes. None when the entry isn't plain, or has
    a problem: the composer then reads it and locates each problem as it does for any entry."""
    plain = read_plain_entry(chunk, libyaml_marks=_LIBYAML)
    if plain is None:
        return None
    try:
        entry = Entry.model_validate(plain.raw)
    except ValidationError:
        return None
    if (entry.examined is not None or entry.categories) and next(_inconsistencies(entry), None) is not None:
        return None  # (without `examined` or categories there is nothing to be inconsistent)
    (line, column), (end_line, end_column) = plain.start, plain.end
    span = Span(line + 1, column + 1, end_line + 1, end_column + 1)
    return [_ParsedEntry(span, plain.raw, entry=entry, positions=plain.positions)]


def _compose_chunk(chunk: str) -> list[_ParsedEntry] | LogProblem:
    token = _positions.set(_Positions(chunk))
    try:
        root = _compose(chunk)
        if isinstance(root, LogProblem):
            return root
        has_aliases = "*" in chunk
        return [_parse_entry(item, has_aliases) for item in root.value] if isinstance(root, yaml.SequenceNode) else []
    finally:
        _positions.reset(token)


def _compose(text: str) -> yaml.Node | None | LogProblem:
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        positions = _positions.get() or _Positions("")
        line, column = positions.point(mark) if mark else (1, 1)
        detail = error.problem or str(error)
        return LogProblem("PB601", f"experiments log is not valid YAML: {detail}", Span.point(line, column))
    except (yaml.YAMLError, RecursionError) as error:
        return LogProblem("PB601", f"experiments log is not valid YAML: {error}", Span.point(1))
    except UnicodeEncodeError as error:  # a lone surrogate, which only an editor buffer can hold
        line, column = offset_to_line_column(text, error.start)
        return LogProblem("PB601", "experiments log is not valid YAML: it holds a lone surrogate, not Unicode text", Span.point(line, column))


def _parse_whole(text: str) -> ParsedLog:
    token = _positions.set(_Positions(text))
    try:
        return _parse_whole_text(text)
    finally:
        _positions.reset(token)


def _parse_whole_text(text: str) -> ParsedLog:
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
    has_aliases = "*" in text
    for item in root.value:
        parsed = _parse_entry(item, has_aliases)
        log.entries.append(LogEntry(len(log.entries), parsed))
        log.problems.extend(parsed.problems)
    return log


def _first_line(node: yaml.Node) -> Span:
    span = _span(node)
    return Span(span.line, span.column, span.line, span.column + 1)


def _expanded_size(node: yaml.Node) -> int:
    """How many values ``node`` stands for once aliases are expanded (stops counting past the cap)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, children_done = stack.pop()
        if id(current) in sizes:
            continue
        children = _children(current)
        if children_done or not children:
            sizes[id(current)] = min(1 + sum(sizes[id(child)] for child in children), MAX_ENTRY_VALUES + 1)
            continue
        stack.append((current, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(node)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _deeper_than(node: yaml.Node, limit: int) -> bool:
    stack = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in _children(current) if not isinstance(child, yaml.ScalarNode))
    return False


def _construct_problem(key: str, node: yaml.Node, error: Exception) -> str:
    if isinstance(error, RecursionError):
        return f"`{key}` is nested too deeply to read"
    detail = getattr(error, "problem", None) or str(error)
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":timestamp"):
        return f"`{key}`: {node.value} is not a valid date ({detail})"
    if isinstance(node, yaml.ScalarNode):
        return f"`{key}`: {node.value} can't be read ({detail})"
    return f"`{key}` holds a value that can't be read ({detail})"


def _parse_entry(node: yaml.Node, has_aliases: bool = True) -> _ParsedEntry:
    problems: list[LogProblem] = []
    if not isinstance(node, yaml.MappingNode):
        problems.append(LogProblem("PB602", "a log entry must be a mapping with `id` and `kind`", _first_line(node)))
        return _ParsedEntry(_span(node), {}, {}, {}, None, problems)
    too_big = None
    if has_aliases and _expanded_size(node) > MAX_ENTRY_VALUES:
        too_big = f"expands to more than {MAX_ENTRY_VALUES:,} values (through aliases)"
    elif _deeper_than(node, MAX_ENTRY_DEPTH):
        too_big = f"nests more than {MAX_ENTRY_DEPTH} levels deep"
    if too_big:
        problems.append(LogProblem("PB602", f"entry {_entry_id(node)} {too_big}: not read", _first_line(node)))
        return _ParsedEntry(_span(node), {}, {}, {}, None, problems)
    raw: dict[str, Any] = {}
    key_spans: dict[str, Span] = {}
    value_spans: dict[str, Span] = {}
    inner_key_spans: dict[tuple[str, str], Span] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        key = str(key_node.value)
        try:
            raw[key] = _construct(value_node)
        except Exception as error:  # noqa: BLE001 - the library's errors vary; each becomes a located PB602
            problems.append(LogProblem("PB602", f"entry {_entry_id(node)}: {_construct_problem(key, value_node, error)}", _span(key_node)))
            continue
        key_spans[key] = _span(key_node)
        value_spans[key] = _span(value_node)
        if isinstance(value_node, yaml.MappingNode):
            for inner_key, _ in value_node.value:
                if isinstance(inner_key, yaml.ScalarNode):
                    inner_key_spans.setdefault((key, str(inner_key.value)), _span(inner_key))
    parsed = _ParsedEntry(_span(node), raw, key_spans, value_spans, None, problems, inner_key_spans)

    def where(loc: tuple) -> Span:
        key = str(loc[0]) if loc else "id"
        if len(loc) > 1 and (key, str(loc[1])) in inner_key_spans:
            return inner_key_spans[(key, str(loc[1]))]
        return key_spans.get(key) or key_spans.get("id") or Span.point(parsed.span.line, parsed.span.column)

    try:
        entry = Entry.model_validate(raw)
    except ValidationError as error:
        # A value that fits no member of a union fails once per member: one problem per place.
        by_place: dict[tuple, list[dict]] = {}
        for problem in error.errors():
            by_place.setdefault(_data_loc(raw, problem["loc"]), []).append(problem)
        for loc, group in by_place.items():
            dotted = ".".join(str(part) for part in loc)
            problems.append(LogProblem("PB602", _schema_message(dotted, group, raw), where(loc)))
        return parsed
    inconsistent = list(_inconsistencies(entry))
    for loc, message, severity in inconsistent:
        problems.append(LogProblem("PB602", f"entry {entry.id}: {message}", where(loc), severity))
    if not any(severity is None for _, _, severity in inconsistent):
        parsed.entry = entry
    return parsed


def _entry_id(node: yaml.MappingNode) -> str:
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "id" and isinstance(value, yaml.ScalarNode):
            return str(value.value)
    return "?"


def _inconsistencies(entry: Entry):
    """Cross-field checks of an error analysis: (where, message, severity or None for an error)."""
    examined, categories = entry.examined, entry.categories or {}
    if examined is not None and examined < 1:
        yield ("examined",), f"`examined` is {examined}: it counts the misclassified examples looked at, so at least 1", None
    for name, count in categories.items():
        if count < 0:
            yield ("categories", name), f"category `{name}` counts {count} errors: a count can't be negative", None
        elif examined is not None and examined >= 1 and count > examined:
            yield ("categories", name), f"category `{name}` counts {count} errors but only {examined} were examined", None
    total = sum(count for count in categories.values() if count > 0)
    if examined is not None and examined >= 1 and total > examined and all(0 <= c <= examined for c in categories.values()):
        message = (f"the categories count {total} errors in all but {examined} were examined: "
                   "right only when an example carries several tags, else a count is off")
        yield ("categories",), message, "info"


def _data_loc(raw: dict[str, Any], loc: tuple) -> tuple:
    """The part of a pydantic location that names keys and indices of the data (union member
    names such as `str` or `list[str]` are dropped)."""
    kept, value = [], raw
    for part in loc:
        if isinstance(value, dict) and part in value or isinstance(value, (list, tuple)) and isinstance(part, int) and part < len(value):
            kept.append(part)
            value = value[part]
        elif not kept:
            kept.append(part)  # a required key that is missing
            value = None
    return tuple(kept)


def _schema_message(where: str, problems: list[dict], raw: dict[str, Any]) -> str:
    entry_id = "?" if raw.get("id") is None else _short(raw["id"])  # `id:` left empty is no name
    problem = problems[0]
    kind = problem.get("type")
    if kind == "missing":
        return f"entry {entry_id}: `{'.'.join(str(part) for part in problem['loc'])}` is required"
    if kind == "literal_error":
        return f"entry {entry_id}: `{where}` {problem['msg'][0].lower()}{problem['msg'][1:]}"
    messages = list(dict.fromkeys(p["msg"].removeprefix("Value error, ") for p in problems))
    return f"entry {entry_id}: `{where}`: {'; or '.join(messages)}"


def _short(value: Any, limit: int = 40) -> str:
    """An id as shown in a message: one line, not a whole structure."""
    text = value if isinstance(value, str) else repr(value) if isinstance(value, (int, float, bool)) or value is None else type(value).__name__
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
