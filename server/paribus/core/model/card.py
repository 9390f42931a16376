"""The project card: ``paribus.toml`` at the root, else ``[tool.paribus]`` in pyproject.toml.

Loading never fails: a field with the wrong type is dropped (with a message naming it) so
the rest of the card still drives the rules.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal

from paribus.core.model.files import LOG_SUFFIXES, read_disk
from paribus.core.positions import Span, text_lines
from pydantic import BaseModel, ConfigDict, PositiveInt, ValidationError, field_validator

CARD_FILE = "paribus.toml"
PYPROJECT = "pyproject.toml"
REQUIRED_FIELDS = ("task", "inputs", "outputs", "data", "status", "metric")
DEFAULT_SCRIPT_GLOB = "**/train*.{py,ipynb}"  # a notebook named like a training script is one
DEFAULT_LOG = "experiments.yaml"

Reader = Callable[[Path], "str | None"]


class DataInfo(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str | None = None
    volume: str | int | None = None
    quirks: list[str] = []


def _finite(value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


class Metric(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str
    goal: Literal["max", "min"] = "max"
    target: float | None = None
    dev_size: PositiveInt | None = None  # examples the metric is computed on, when no predictions file says

    _target_is_finite = field_validator("target")(_finite)


class Card(BaseModel):
    model_config = ConfigDict(extra="allow")
    task: str | None = None
    inputs: str | None = None
    outputs: str | None = None
    data: DataInfo | None = None
    status: Literal["greenfield", "baseline", "iterating"] | None = None
    metric: Metric | None = None
    chance: float | None = None
    human_level: float | None = None
    scripts: list[str] | None = None
    configs: list[str] = []
    log: str = DEFAULT_LOG
    predictions: str | None = None
    run_predictions: str | None = None  # each run's predictions, `{id}` standing for the entry id
    select: list[str] | None = None
    ignore: list[str] = []
    include: list[str] = []
    exclude: list[str] = []

    @field_validator("scripts", "configs", "select", "ignore", "include", "exclude", mode="before")
    @classmethod
    def _one_string_is_a_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    _levels_are_finite = field_validator("chance", "human_level")(_finite)

    def missing_fields(self) -> list[str]:
        return [name for name in REQUIRED_FIELDS if getattr(self, name) in (None, "")]


@dataclass
class CardProblem:
    message: str
    span: Span


@dataclass
class LoadedCard:
    """The card as found: ``path`` is None when the project has none."""

    card: Card = field(default_factory=Card)
    path: Path | None = None
    text: str = ""
    header_line: int = 1  # the `[tool.paribus]` line in pyproject.toml, else 1
    problems: list[CardProblem] = field(default_factory=list)

    @property
    def exists(self) -> bool:
        return self.path is not None

    def key_span(self, key: str) -> Span:
        """Where ``key = …`` is written in the card (its whole line), else the header."""
        lines = text_lines(self.text)
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for index in range(self.header_line - 1, len(lines)):
            if index >= self.header_line and lines[index].lstrip().startswith("[") and self.path and self.path.name == PYPROJECT:
                break
            if pattern.match(lines[index]):
                return Span.of_line(index + 1, lines[index])
        header = lines[self.header_line - 1] if lines else ""
        return Span.of_line(self.header_line, header)


def load_card(root: Path, read: Reader = read_disk) -> LoadedCard:
    card_text = read(root / CARD_FILE)
    if card_text is not None:
        return _parse(root / CARD_FILE, card_text, section=None)
    pyproject_text = read(root / PYPROJECT)
    if pyproject_text is not None and re.search(r"^\[tool\.paribus\]", pyproject_text, re.M):
        return _parse(root / PYPROJECT, pyproject_text, section="tool.paribus")
    return LoadedCard()


def _parse(path: Path, text: str, section: str | None) -> LoadedCard:
    loaded = LoadedCard(path=path, text=text)
    if section:
        match = re.search(rf"^\[{re.escape(section)}\]", text, re.M)
        loaded.header_line = text.count("\n", 0, match.start()) + 1 if match else 1
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = _toml_error_line(error)
        loaded.problems.append(CardProblem(f"{path.name} is not valid TOML: {error}", Span.point(line)))
        return loaded
    except RecursionError:
        loaded.problems.append(CardProblem(f"{path.name} is not valid TOML: arrays or tables nested too deeply to read", Span.point(1)))
        return loaded
    tool = document.get("tool", {}) if section else None
    raw = tool.get("paribus", {}) if isinstance(tool, dict) else document
    if not isinstance(raw, dict):
        loaded.problems.append(CardProblem("[tool.paribus] must be a table", loaded.key_span("tool")))
        return loaded
    loaded.card = _validate_dropping_bad_fields(raw, loaded)
    _check_log_location(path.parent, loaded)
    return loaded


def _check_log_location(root: Path, loaded: LoadedCard) -> None:
    """A log Paribus may not write (outside the project, not YAML) is read but never changed."""
    log = loaded.card.log
    if not log:
        return
    if Path(log).suffix.lower() not in LOG_SUFFIXES:
        reason = "is not a .yaml or .yml file"
    else:
        written = Path(os.path.normpath(root / log))
        if written == root or root not in written.parents:
            reason = "is outside the project folder"
        else:
            return
    message = f"card field `log`: {log} {reason}: Paribus reads it but never writes to it (recording and fixes that add entries are off)"
    loaded.problems.append(CardProblem(message, loaded.key_span("log")))


def _validate_dropping_bad_fields(raw: dict[str, Any], loaded: LoadedCard) -> Card:
    fields = dict(raw)
    for _ in range(len(fields) + 1):
        try:
            return Card.model_validate(fields)
        except ValidationError as error:
            bad_keys = {str(problem["loc"][0]) for problem in error.errors() if problem["loc"]}
            for problem in error.errors():
                key = str(problem["loc"][0]) if problem["loc"] else "card"
                where = ".".join(str(part) for part in problem["loc"])
                loaded.problems.append(
                    CardProblem(f"card field `{where}`: {problem['msg'].removeprefix('Value error, ')} (ignored)", loaded.key_span(key))
                )
            if not bad_keys:
                break
            for key in bad_keys:
                fields.pop(key, None)
    return Card()


def _toml_error_line(error: tomllib.TOMLDecodeError) -> int:
    match = re.search(r"line (\d+)", str(error))
    return int(match.group(1)) if match else 1
