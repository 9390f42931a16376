"""A project on disk (or in editor buffers): its card, log, scripts and configs, parsed once.

``Project`` caches every parse by the file's text, so the editor can re-check the whole
project on each keystroke for the cost of the file that changed.
"""

from __future__ import annotations

import ast
import bisect
import os
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Callable

from wcmatch import glob

from paribus.core.extract import ExtractOptions, Hyperparameter, extract_text, script_text
from paribus.core.extract.api import MAX_CHARS as MAX_EXTRACTED_CHARS
from paribus.core.extract.api import unix_newlines
from paribus.core.extract.python_extract import chunk_memos, kept_memo
from paribus.core.extract.python_source import Chunk, ChunkCache, may_mention, parse_alone, split_chunks
from paribus.core.extract.values import finite_number
from paribus.core.model.card import DEFAULT_SCRIPT_GLOB, LoadedCard, load_card
from paribus.core.model.files import ReadIssue, ReadResult, read_disk, read_text
from paribus.core.model.log import Entry, ParsedLog, parse_log
from paribus.core.positions import text_lines
from paribus.core.model.state import (
    ScriptComparison,
    compare_script,
    entries_for_script,
    entry_states,
    resolve_parents,
)

Reader = Callable[[Path], "str | None"]
Source = Callable[[Path], ReadResult]
SKIPPED_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".mypy_cache", ".pytest_cache", "site-packages", "wandb", "mlruns", "outputs", "multirun"}

__all__ = ["CheckContext", "Project", "ScriptView", "find_project_root", "read_disk"]


_REPOSITORY_MARKERS = (".git", "pyproject.toml", "setup.py", "setup.cfg")


def find_project_root(start: Path) -> Path:
    """The nearest folder holding a card or a log; else the nearest repository or package root
    (`.git`, `pyproject.toml`, `setup.py`, `setup.cfg`), so a script's project modules are inside it;
    else ``start`` itself."""
    start = start if start.is_dir() else start.parent
    repository = None
    for folder in (start, *start.parents):
        if (folder / "paribus.toml").exists() or (folder / "experiments.yaml").exists():
            return folder
        pyproject = folder / "pyproject.toml"
        if pyproject.exists() and "[tool.paribus]" in (read_disk(pyproject) or ""):
            return folder
        if repository is None and any((folder / marker).exists() for marker in _REPOSITORY_MARKERS):
            repository = folder
    return repository or start


def _walk_files(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.startswith(".")]
        found.extend(Path(folder) / name for name in files)
        if len(found) > 50_000:
            break
    return found


_GLOB_FLAGS = glob.GLOBSTAR | glob.BRACE
_TEST_FILES = ("**/test/**", "**/tests/**", "**/test_*.py", "**/*_test.py")  # `train_test.py` tests a script


@lru_cache(maxsize=64)
def _matcher(patterns: tuple[str, ...]):
    """Path globs: `*` stays within a folder, `**/` spans any folders or none
    (`**/train*.py` ∋ `train.py`, `tools/train_x.py`, ∌ `training/augment.py`)."""
    return glob.compile([pattern.removeprefix("./") for pattern in patterns], flags=_GLOB_FLAGS)


def _matches(relative: str, patterns: tuple[str, ...]) -> bool:
    return _matcher(patterns).match(relative)


# Rule facts per top-level statement, by statement text, kept across checks.
DERIVED_CACHE_CHARS = 32_000_000
_derived = ChunkCache(DERIVED_CACHE_CHARS)
_MISSING = object()
_SKIPPED = object()  # the statement doesn't parse, or can't mention what the rule looks for
_PYTHON_SUFFIXES = (".py", ".pyi", ".ipynb")  # a notebook's view holds its code cells


def _memo_of(chunk: Chunk) -> dict[str, Any]:
    """Where a statement's rule facts are kept: with its extracted facts (where trees read while
    extracting already are), else in a cache of their own."""
    memo = kept_memo(chunk.text)
    if memo is not None:
        return memo
    memo = _derived.get(chunk.text)
    if memo is None:
        memo = {}
        _derived.put(chunk.text, memo)
    return memo


def _chunk_value(chunk: Chunk, memo: dict[str, Any], key: str, compute: Callable[[ast.Module], Any], mentions: re.Pattern | None) -> Any:
    value = memo.get(key, _MISSING)
    if value is _MISSING:
        if mentions is not None and not may_mention(chunk.text, mentions):
            value = _SKIPPED
        else:
            module = parse_alone(chunk)
            value = _SKIPPED if module is None else compute(module)
        memo[key] = value
    return value


@dataclass
class ScriptView:
    path: Path
    text: str
    hyperparameters: list[Hyperparameter]

    @cached_property
    def tree(self) -> ast.Module | None:
        """The whole file parsed: for building fixes, not on the per-keystroke path."""
        try:
            return ast.parse(self.text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):  # MemoryError: the parser's, on deep nesting
            return None

    @cached_property
    def chunks(self) -> list[Chunk]:
        """The top-level statements of a Python script (none for configs): the cut extraction
        made; past extraction's limit, all of the file all the same."""
        if self.path.suffix.lower() not in _PYTHON_SUFFIXES:
            return []
        text = unix_newlines(self.text)
        if len(text) > MAX_EXTRACTED_CHARS:  # not the text extraction read: don't replace its cut
            return split_chunks(text)
        return split_chunks(text, str(self.path))

    def per_chunk(self, key: str, compute: Callable[[ast.Module], Any], mentions: re.Pattern | None = None) -> list[tuple[int, Any]]:
        """(line offset, ``compute(tree)``) per top-level statement that parses, cached by its text.

        With ``mentions``, a statement whose names and strings can't match it is skipped
        unparsed: ``compute`` must find nothing in a statement that mentions none of them.
        """
        results = []
        for chunk, memo in zip(self.chunks, self._memos):
            value = memo.get(key, _MISSING)
            if value is _MISSING:
                value = _chunk_value(chunk, memo, key, compute, mentions)
            if value is not _SKIPPED:
                results.append((chunk.first_line - 1, value))
        return results

    @cached_property
    def _memos(self) -> list[dict[str, Any]]:
        """Each statement's rule facts (looked up once per check, whatever the number of rules):
        those extraction kept with the statements it just read, else looked up one by one."""
        return chunk_memos(str(self.path), self.chunks) or [_memo_of(chunk) for chunk in self.chunks]

    def has_statements(self) -> bool:
        """Whether any top-level statement of the script parses to something."""
        return any(_chunk_value(chunk, _memo_of(chunk), "has-statements", _has_body, None) is True for chunk in self.chunks)

    def line(self, number: int) -> str:
        """Line ``number`` (1-based) without its line break, '' beyond the end.

        A script's line is found in its statement: no need to split a long file.
        """
        chunks = self.chunks
        if not chunks:
            lines = self.lines
            return lines[number - 1] if 0 < number <= len(lines) else ""
        position = bisect.bisect_right(chunks, number, key=_first_line) - 1
        if position < 0:
            return ""
        chunk = chunks[position]
        lines = chunk.text.split("\n")
        index = number - chunk.first_line
        return lines[index] if index < len(lines) else ""

    @cached_property
    def lines(self) -> list[str]:
        return text_lines(self.text)


def _has_body(module: ast.Module) -> bool:
    return bool(module.body)


def _first_line(chunk: Chunk) -> int:
    return chunk.first_line


@dataclass
class Project:
    root: Path
    # Where texts come from: the disk, or (in the editor) the open buffers first.
    source: Source = read_text
    _parsed: dict[tuple[str, Path], tuple[str, Any]] = field(default_factory=dict, repr=False)
    _files: list[Path] | None = field(default=None, repr=False)
    _tracker_scans: dict | None = field(default=None, repr=False)
    _globbed: dict[tuple[str, ...], list[Path]] = field(default_factory=dict, repr=False)

    def invalidate_files(self) -> None:
        """Forget the file listing (a file was created, deleted or renamed) and the tracker runs."""
        self._files = None
        self._tracker_scans = None
        self._globbed.clear()

    def tracker_scans(self) -> dict:
        """Each tracker store's finished runs (kind → Scan), read once until files change.

        ``dvc exp show`` is not run here: it starts a heavy process; ``paribus import dvc`` does.
        """
        if self._tracker_scans is None:
            from paribus.core.trackers import present_kinds, read_source

            self._tracker_scans = {kind: read_source(kind, self.root, use_dvc=False) for kind in present_kinds(self.root)}
        return self._tracker_scans

    def files(self) -> list[Path]:
        if self._files is None:
            self._files = _walk_files(self.root)
        return self._files

    def _cached(self, kind: str, path: Path, text: str, compute: Callable[[str], Any]) -> Any:
        key = (kind, path)
        hit = self._parsed.get(key)
        if hit is not None and hit[0] == text:
            return hit[1]
        value = compute(text)
        self._parsed[key] = (text, value)
        return value

    def read(self, path: Path) -> str | None:
        return self.source(path).text

    def card(self, read: Reader | None = None) -> LoadedCard:
        return load_card(self.root, read or self.read)

    def relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def _glob(self, patterns: list[str]) -> list[Path]:
        """Files matching any pattern; kept until the listing changes (not redone per keystroke)."""
        wanted = tuple(patterns)
        if wanted not in self._globbed or self._files is None:
            self._globbed[wanted] = sorted(p for p in self.files() if _matches(self.relative(p), wanted))
        return list(self._globbed[wanted])

    def script_paths(self, card: LoadedCard, named_by_log: list[str] = ()) -> list[Path]:
        """The card's scripts (default `train*.py` and `train*.ipynb`, tests aside), and any script a log entry ran."""
        if card.card.scripts:
            paths = self._glob(card.card.scripts)
        else:
            paths = [path for path in self._glob([DEFAULT_SCRIPT_GLOB]) if not _matches(self.relative(path), _TEST_FILES)]
        for name in named_by_log:
            path = Path(os.path.normpath(self.root / name))
            if path not in paths and path.suffix in (".py", ".ipynb") and path.is_file():
                paths.append(path)
        return paths

    def config_paths(self, card: LoadedCard) -> list[Path]:
        return self._glob(card.card.configs) if card.card.configs else []

    def log_path(self, card: LoadedCard) -> Path:
        return self.root / card.card.log

    def log(self, card: LoadedCard, read: Reader | None = None) -> ParsedLog | None:
        text = (read or self.read)(self.log_path(card))
        return None if text is None else parse_log(text)

    def hyperparameters(self, path: Path, options: ExtractOptions, read: Reader | None = None) -> tuple[str, list[Hyperparameter]] | None:
        text = (read or self.read)(path)
        if text is None:
            return None
        found = self._cached(f"hp:{options}", path, text, lambda t: extract_text(t, path, options))
        return script_text(text, path), found

    def by_file_stamp(self, kind: str, path: Path, compute: Callable[[Path], Any]) -> Any:
        """``compute(path)``, cached until the file's size or modification time changes;
        None when the file is missing."""
        try:
            stat = path.stat()
        except OSError:
            return None
        key = (kind, path)
        stamp = f"{stat.st_mtime_ns}:{stat.st_size}"
        hit = self._parsed.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        value = compute(path)
        self._parsed[key] = (stamp, value)
        return value

    def prediction_analysis(self, path: Path):
        """The analysis of a predictions file, cached by its size and modification time."""
        from paribus.core.analysis import AnalysisError, analyze_predictions

        def analyse(path: Path):
            try:
                return analyze_predictions(path)
            except AnalysisError:
                return None

        return self.by_file_stamp("predictions", path, analyse)

    def context(self, extra_scripts: list[Path] = ()) -> CheckContext:
        return CheckContext(self, extra_scripts=list(extra_scripts))


def _partly_read(text: str) -> ReadIssue:
    """Extraction reads whole lines up to its limit: the finding sits on the first line it skips."""
    read_lines = text.count("\n", 0, MAX_EXTRACTED_CHARS)
    message = (f"only the first {read_lines:,} of {text.count(chr(10)) + 1:,} lines are read for hyperparameters "
               f"(a file past {MAX_EXTRACTED_CHARS:,} characters is read in part)")
    return ReadIssue("partly-read", message, read_lines + 1, 1)


class CheckContext:
    """Everything the rules look at, computed once per check."""

    def __init__(self, project: Project, extra_scripts: list[Path]) -> None:
        self.project = project
        self.root = project.root
        self._memo: dict[str, Any] = {}
        # Files that could not be read as they are (PB604), by path.
        self.read_issues: dict[Path, ReadIssue] = {}
        # What raised during the check and was survived (a rule, an analysis): for the output channel.
        self.failures: list[tuple[str, BaseException]] = []
        self.card = project.card(self.read)
        self.options = ExtractOptions(include=tuple(self.card.card.include), exclude=tuple(self.card.card.exclude))
        self.log_path = project.log_path(self.card)
        self.log = project.log(self.card, self.read)
        named = sorted({e.script for e in (self.log.valid_entries if self.log else []) if e.script})
        script_paths = project.script_paths(self.card, named)
        self.requested_scripts = list(extra_scripts)  # named on the command line
        for path in extra_scripts:
            if path not in script_paths:
                script_paths.append(path)
        self.scripts: list[ScriptView] = []
        for path in script_paths:
            loaded = project.hyperparameters(path, self.options, self.read)
            if loaded is not None:
                self.scripts.append(ScriptView(path, loaded[0], loaded[1]))
        self.configs: list[ScriptView] = []
        for path in project.config_paths(self.card):
            loaded = project.hyperparameters(path, self.options, self.read)
            if loaded is not None:
                self.configs.append(ScriptView(path, loaded[0], loaded[1]))
        for view in (*self.scripts, *self.configs):
            if len(view.text) > MAX_EXTRACTED_CHARS and view.path not in self.read_issues:
                self.read_issues[view.path] = _partly_read(view.text)

    def read(self, path: Path) -> str | None:
        """A file's text through the project's source, remembering why one was not read as is."""
        result = self.project.source(path)
        if result.issue is not None:
            self.read_issues[path] = result.issue
        return result.text

    @cached_property
    def entries(self) -> list[Entry]:
        return self.log.valid_entries if self.log else []

    @cached_property
    def states(self) -> dict[str, dict[str, Any]]:
        return entry_states(self.entries, self.parents)

    @cached_property
    def parents(self) -> dict[str, str | None]:
        return resolve_parents(self.entries)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """A value several rules need, computed once per check."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def comparison(self, script: ScriptView) -> ScriptComparison:
        relevant = entries_for_script(self.entries, self.project.relative(script.path))
        pairs = [(script.path, hp) for hp in script.hyperparameters]
        pairs += [(config.path, hp) for config in self.configs for hp in config.hyperparameters]
        states = self.states if len(relevant) == len(self.entries) else None
        return compare_script(relevant, pairs, states)

    @cached_property
    def comparisons(self) -> dict[Path, ScriptComparison]:
        return {script.path: self.comparison(script) for script in self.scripts}

    def suggested_categories(self) -> tuple[dict[str, int], dict[str, dict[str, int]], int | None]:
        """From the card's predictions file: misclassified dev examples per true class (a
        partition of the errors), per value of each tag column, and how many errors there are."""
        if not self.card.card.predictions:
            return {}, {}, None
        analysis = self.project.prediction_analysis(self.root / self.card.card.predictions)
        if analysis is None:
            return {}, {}, None
        by_class = {f"{label} misclassified": count for label, count in analysis.misclassified_counts_by_class().items() if count}
        by_tag: dict[str, dict[str, int]] = {}
        for name, count in analysis.misclassified_counts_by_tag().items():
            tag, _, value = name.partition("=")
            by_tag.setdefault(tag, {})[value] = count
        return by_class, by_tag, analysis.n_errors

    def last_run_metrics(self) -> dict[str, float] | None:
        """Metrics a training script left in `.paribus/last-run.json` beside the log."""
        import json

        for folder in (self.log_path.parent, self.root):
            text = read_disk(folder / ".paribus" / "last-run.json")
            if text is None:
                continue
            try:
                metrics = json.loads(text).get("metrics")
            except (ValueError, AttributeError, RecursionError):
                return None
            if not isinstance(metrics, dict):
                return None
            # Anyone can write the file: only names with finite numbers are metrics.
            numbers = {str(name): value for name, value in metrics.items() if finite_number(value) is not None}
            return numbers or None
        return None

    def view(self, path: Path) -> ScriptView | None:
        for view in (*self.scripts, *self.configs):
            if view.path == path:
                return view
        return None
