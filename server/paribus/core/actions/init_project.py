"""``paribus init``: a ``paribus.toml`` card pre-filled from what the folder shows.

Only names, CSV headers, row counts, training scripts (read statically) and tracker stores
are read. A folder with a training script is past greenfield: ``baseline`` with no recorded
run, ``iterating`` once a tracker holds finished runs, whose metric names give the metric and
its goal (``val_loss`` → min; else the names the script mentions). What cannot be seen (the
task, inputs, outputs, quirks, a target) is left with a TODO comment. The caller writes the
text, never over an existing card.

- ``survey(folder) -> Survey``: scripts, configs, tracker runs, git — what was found;
- ``init_project(folder, found=None) -> str``: the card's text.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from paribus.core.actions.scaffold import datafiles
from paribus.core.extract import ExtractOptions
from paribus.core.model.card import DEFAULT_SCRIPT_GLOB, Card, LoadedCard
from paribus.core.model.files import check_regular_file
from paribus.core.model.project import Project
from paribus.core.trackers import TITLES, git, present_kinds, read_source

# Counting labels streams the file; past this many rows the chance level is left to the user.
MAX_ROWS_FOR_CHANCE = 2_000_000


# Metric-name words that say which way is better.
_LOWER_IS_BETTER = {"loss", "error", "err", "mse", "mae", "rmse", "nll", "perplexity", "ppl", "wer", "cer", "bpc", "bpb", "distance", "mape"}
_HIGHER_IS_BETTER = {"acc", "accuracy", "f1", "auc", "auroc", "precision", "recall", "score", "iou", "miou", "map", "bleu", "rouge", "r2", "dice", "ap", "top1", "top5"}
_HELD_OUT = ("val", "valid", "validation", "dev", "eval", "test")
_METRIC_IN_CODE = re.compile(r"(?<![a-z0-9])(val|valid|validation|dev|eval|test)[_/ ]?(loss|acc|accuracy|f1|auc|auroc|mse|mae|rmse|perplexity|ppl|bleu|iou|error|wer|cer)\b", re.I)
_CONFIG_GLOBS = ("conf/**/*.yaml", "configs/**/*.yaml", "config/**/*.yaml", "params.yaml")
_CONFIG_FOLDERS = {"conf", "config", "configs"}
_IMPORT_HINTS = {"torchvision": "image", "timm": "image", "torchaudio": "audio", "librosa": "audio", "transformers": "text", "tokenizers": "text", "tiktoken": "text"}


@dataclass
class Survey:
    """What an existing project already has."""

    scripts: list[str] = field(default_factory=list)  # training scripts with hyperparameters
    configs: list[str] = field(default_factory=list)  # config globs that match files
    runs: dict[str, int] = field(default_factory=dict)  # tracker kind → finished runs
    metric_names: Counter = field(default_factory=Counter)  # across the runs
    script_text: str = ""
    commits: int | None = None  # None: no git repository
    logged_results: int = 0  # results already in an experiments.yaml

    @property
    def adopted(self) -> bool:
        return bool(self.scripts or self.runs or self.logged_results)

    def lines(self) -> list[str]:
        found = []
        if self.scripts:
            found.append(f"  scripts     {', '.join(self.scripts)}")
        if self.configs:
            found.append(f"  configs     {', '.join(self.configs)}")
        for kind, count in self.runs.items():
            found.append(f"  {TITLES[kind]:<11} {count} finished run{'s' if count != 1 else ''}")
        if self.logged_results:
            found.append(f"  log         {self.logged_results} result{'s' if self.logged_results != 1 else ''} in experiments.yaml")
        if self.commits is not None:
            found.append(f"  git         {self.commits} commit{'s' if self.commits != 1 else ''}")
        return found


def survey(folder: Path) -> Survey:
    folder = Path(folder)
    found = Survey()
    project = Project(folder)
    options = ExtractOptions()
    found.configs = [pattern for pattern in _CONFIG_GLOBS if project.config_paths(LoadedCard(card=Card(configs=[pattern])))]
    for kind in present_kinds(folder):
        scan = read_source(kind, folder, use_dvc=False)
        if scan.runs:
            found.runs[kind] = len(scan.runs)
            found.metric_names.update(name for run in scan.runs for name in run.metrics)
    for path in project.script_paths(LoadedCard(card=Card(scripts=[DEFAULT_SCRIPT_GLOB]))):
        if set(Path(project.relative(path)).parts[:-1]) & _CONFIG_FOLDERS:
            continue  # nanoGPT's config/train_gpt2.py: values another script reads, not a script
        loaded = project.hyperparameters(path, options)
        # A script counts when it holds values, or reads them from configs or trackers' runs.
        if loaded and (loaded[1] or (loaded[0].strip() and (found.configs or found.runs))):
            found.scripts.append(project.relative(path))
            found.script_text += loaded[0]
    log = project.log(LoadedCard())
    found.logged_results = sum(1 for entry in (log.valid_entries if log else []) if entry.has_state and entry.result)
    if git.repository_root(folder) is not None:
        found.commits = git.commit_count(folder)
    return found


def guess_metric(found: Survey) -> tuple[str, str | None, str, list[str]] | None:
    """(name, goal or None, where it was seen, other candidates): a held-out metric of the runs, else of the script."""
    names = found.metric_names or Counter(match.group(0).replace("/", "_").replace(" ", "_").lower() for match in _METRIC_IN_CODE.finditer(found.script_text))
    if not names:
        return None
    where = "the runs' metrics" if found.metric_names else "the script"

    def rank(item: tuple[str, int]) -> tuple:
        name, count = item
        words = set(re.split(r"[^a-z0-9]+", name.lower()))
        # held out, then a known direction, then logged by most runs, then the loss (what training optimizes)
        return (bool(words & set(_HELD_OUT)), _goal(name) is not None, count, "loss" in words, -len(name))

    ranked = sorted(names.items(), key=rank, reverse=True)
    return ranked[0][0], _goal(ranked[0][0]), where, [name for name, _ in ranked[1:4]]


def _goal(name: str) -> str | None:
    words = set(re.split(r"[^a-z0-9]+", name.lower()))
    if words & _LOWER_IS_BETTER:
        return "min"
    if words & _HIGHER_IS_BETTER:
        return "max"
    return None


def init_project(folder: Path, found: Survey | None = None) -> str:
    """The text of a ``paribus.toml`` for ``folder``: greenfield, or what the project already has."""
    folder = Path(folder)
    found = found if found is not None else survey(folder)
    data = _describe_data(folder)
    if data["type"] == "other":
        data["type"] = next((kind for module, kind in _IMPORT_HINTS.items() if re.search(rf"^\s*(import|from)\s+{module}\b", found.script_text, re.M)), "other")
    scripts = found.scripts or sorted(p.relative_to(folder).as_posix() for suffix in ("py", "ipynb") for p in folder.glob(f"train*.{suffix}"))
    lines = [
        "# Paribus project card: what the project is, so findings can be judged against it.",
        "# Fill every TODO; see `paribus check` for what is still missing.",
        'task = ""                      # TODO: the exact task, e.g. "Detect AF in 30 s ECG"',
        'inputs = ""                    # TODO: what one example is, e.g. "30 s ECG, 250 Hz"',
        'outputs = ""                   # TODO: what the model outputs, e.g. "AF | normal"',
        f"data = {{ type = {_toml(data['type'])}, volume = {_toml(data['volume'])}, "
        "quirks = [] }  # TODO: known quirks (imbalance, label noise...)",
        _status_line(found),
        _metric_line(found),
    ]
    if data["chance"] is not None:
        # The card's metric is macro F1: guessing by the class shares scores 1/K on it, while
        # the majority-class share would be the chance level of accuracy.
        lines.append(
            f"chance = {data['chance']:.3f}                # macro F1 of guessing by the class shares "
            f"of {data['label']!r} in {_comment_text(data['file'])} (1/{data['classes']})"
        )
    else:
        lines.append("# chance = 0.5                 # optional; derived from predictions when absent")
    if scripts:
        lines.append(f"scripts = {_toml(scripts)}")
    else:
        lines.append('# scripts = ["train.py"]       # default: train*.py and train*.ipynb anywhere in the workspace')
    if found.configs:
        lines.append(f"configs = {_toml(found.configs)}   # their values are hyperparameters too")
    lines.append('log = "experiments.yaml"')
    lines.append('predictions = "runs/latest/predictions.csv"   # per-example output, for error analysis')
    return "\n".join(lines) + "\n"


def _status_line(found: Survey) -> str:
    if found.logged_results and not found.runs:
        return f'status = "iterating"           # greenfield | baseline | iterating ({found.logged_results} results in the log)'
    if found.runs:
        runs = ", ".join(f"{count} {TITLES[kind]}" for kind, count in found.runs.items())
        return f'status = "iterating"           # greenfield | baseline | iterating ({runs} runs found)'
    if found.scripts:
        return 'status = "baseline"            # greenfield | baseline | iterating (a training script, no run recorded)'
    return 'status = "greenfield"          # greenfield | baseline | iterating'


def _metric_line(found: Survey) -> str:
    guess = guess_metric(found) if found.adopted else None
    if guess is None:
        return 'metric = { name = "val_f1", goal = "max", target = 0.0 }  # TODO: your metric and target'
    name, goal, where, others = guess
    also = f"; also logged: {', '.join(others)}" if others else ""
    # Names and places come from tracker runs and scripts: a comment must not end early.
    if goal is None:
        return f'metric = {{ name = {_toml(name)}, goal = "max" }}  # TODO: max or min? and the target ' + _comment_text(f"(name from {where}{also})")
    return f'metric = {{ name = {_toml(name)}, goal = "{goal}" }}  # TODO: the target, e.g. target = … ' + _comment_text(f"(guessed from {where}{also})")


def _describe_data(folder: Path) -> dict:
    description = {"type": "other", "volume": "", "chance": None, "label": None, "file": None}
    table = datafiles.find_table(folder)
    if table is not None:
        columns = datafiles.read_columns(table)
        text_column = datafiles.guess_text_column(columns)
        label = datafiles.guess_label_column(columns)
        description["type"] = "text" if text_column and text_column != label else "tabular"
        description["file"] = table.relative_to(folder).as_posix()
        if table.suffix.lower() == ".csv" and label:
            rows, classes = _count_rows_and_classes(table, label)
            description["volume"] = f"{rows} rows in {description['file']}"
            description.update(chance=1 / classes if classes else None, classes=classes, label=label)
        return description
    if datafiles.find_class_folder(folder, {".wav", ".flac", ".mp3"}):
        description["type"] = "audio"
    elif datafiles.find_class_folder(folder, datafiles.IMAGE_SUFFIXES - {".npy"}):
        description["type"] = "image"
    elif datafiles.find_class_folder(folder, {".npy", ".csv", ".txt"}):
        description["type"] = "timeseries"
    return description


def _count_rows_and_classes(table: Path, label: str) -> tuple[int, int | None]:
    counts: Counter[str] = Counter()
    rows = 0
    check_regular_file(table)  # a FIFO or a device would block the reader
    with open(table, newline="", encoding="utf-8", errors="replace") as handle:
        for row in csv.DictReader(handle):
            rows += 1
            if rows <= MAX_ROWS_FOR_CHANCE:
                counts[row.get(label) or ""] += 1
    if not counts or rows > MAX_ROWS_FOR_CHANCE:
        return rows, None
    return rows, len(counts)


def _comment_text(text: str) -> str:
    """Text for a comment: as is when it holds nothing that could end the line, else its repr."""
    return text if text.isprintable() else repr(text)


def _toml(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return toml_string(str(value))


_TOML_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: one line whatever it holds (file and column names can
    hold quotes and line breaks), characters TOML can't hold replaced by U+FFFD."""
    out = []
    for char in str(text):
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif "\ud800" <= char <= "\udfff":
            out.append("\ufffd")  # a file name's undecodable byte: not Unicode, not TOML
        elif ord(char) < 0x20 or char == "\x7f" or not char.isprintable():
            out.append(f"\\u{ord(char):04X}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08X}")
        else:
            out.append(char)
    literal = '"' + "".join(out) + '"'
    assert tomllib.loads(f"x = {literal}")["x"] == str(text).translate(_SURROGATES)
    return literal


_SURROGATES = {code: "\ufffd" for code in range(0xD800, 0xE000)}
