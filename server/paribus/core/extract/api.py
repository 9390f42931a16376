"""The extraction entry points: dispatch on the file suffix, judge, filter, sort."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from paribus.core.extract import vocabulary
from paribus.core.extract.candidates import Candidate
from paribus.core.extract.configs import toml_candidates, yaml_candidates
from paribus.core.extract.gin_config import gin_candidates
from paribus.core.extract.model import Hyperparameter
from paribus.core.extract.notebooks import (
    NOTEBOOK_SUFFIX,
    NotebookError,
    is_notebook,
    read_notebook,
)
from paribus.core.extract.python_extract import python_candidates

# Beyond this (~100,000 lines of Python), only the first part is read (cut at a line end); below
# the file limit (MAX_FILE_BYTES), so a long file is read in part rather than refused.
MAX_CHARS = 4_000_000
# Plain assignments, whose ``None`` is "unset"; an option, field or config key set to ``None``
# declares a setting left to its default (``--lr`` default ``None``, ``max_steps: null``).
_NONE_IS_UNSET = {"constant", "dict", "namespace"}
_CONFIG_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml", ".gin": "gin"}


@dataclass(frozen=True)
class ExtractOptions:
    """Names from the project card: ``include`` forces a name in, ``exclude`` drops it.

    Patterns are ``fnmatch`` patterns matched case-sensitively against the full name
    (``optimizer.*``, ``AdamW.lr``); exclude wins over include.
    """

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


def _matches(name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatchcase(name, pattern) for pattern in patterns)


def _judge(candidate: Candidate, options: ExtractOptions) -> bool:
    if options.exclude and _matches(candidate.name, options.exclude):
        return False
    if options.include and _matches(candidate.name, options.include):
        return True
    if candidate.kind == "seed":  # a seeding call's argument: ``torch.manual_seed(1337 + rank)``
        return True
    return vocabulary.is_hyperparameter(
        candidate.name,
        candidate.value,
        literal=candidate.literal,
        keyword_only=candidate.keyword_only,
        local=candidate.local,
        declared=candidate.kind not in _NONE_IS_UNSET,
        choice=candidate.choice,
    )


def _kind(candidate: Candidate) -> str:
    """Seeds are reported as such whatever style declared them (see ``vocabulary``)."""
    if candidate.kind == "seed" or vocabulary.is_seed(candidate.name, candidate.value, literal=candidate.literal):
        return "seed"
    return candidate.kind


def unix_newlines(text: str) -> str:
    """CRLF and lone CR (old Mac files) as LF: Python and editors break lines at all three, and
    one kind keeps line numbers the same for every reader (columns don't move)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def readable_text(text: str) -> str:
    """The text extraction reads: line breaks as LF, cut at the last line end before ``MAX_CHARS``."""
    text = unix_newlines(text)
    if len(text) <= MAX_CHARS:
        return text
    cut = text.rfind("\n", 0, MAX_CHARS)
    return text[: cut if cut > 0 else MAX_CHARS]


def extract_text(
    text: str, path: str | Path, options: ExtractOptions | None = None
) -> list[Hyperparameter]:
    """The hyperparameters in ``text`` (the contents of ``path``), sorted by span.

    ``.py`` is read as Python, a notebook's code cells too (spans in ``script_text``'s lines);
    ``.yaml``/``.yml``, ``.json``, ``.toml`` and ``.gin`` as configs; other suffixes give
    nothing. Never raises on bad input: what can be read is returned.
    """
    options = options or ExtractOptions()
    suffix = Path(path).suffix.lower()
    if suffix == NOTEBOOK_SUFFIX:
        text, suffix = script_text(text, path), ".py"
    text = readable_text(text)
    try:
        if suffix in (".py", ".pyi"):
            candidates = python_candidates(text, lambda c: _judge(c, options), str(path), accept_key=options)
        elif suffix in _CONFIG_SUFFIXES:
            fmt = _CONFIG_SUFFIXES[suffix]
            if fmt == "gin":
                raw = gin_candidates(text)
            else:
                raw = toml_candidates(text) if fmt == "toml" else yaml_candidates(text, json_text=fmt == "json", path=path)
            seen: set[str] = set()
            candidates = []
            for candidate in raw:
                if candidate.name not in seen and _judge(candidate, options):
                    seen.add(candidate.name)
                    candidates.append(candidate)
        else:
            return []
    except RecursionError:
        return []
    typed = {section for section, _, last in (c.name.rpartition(".") for c in candidates) if last.lower() == "type"}
    if typed:
        candidates = [c for c in candidates if not _labels_a_typed_section(c.name, typed)]
    return sorted(_hyperparameters(candidates, str(path)), key=_position)


_SOURCES_KEPT = 32
# Per file: candidate id → (candidate, its Hyperparameter). A keystroke's resolution hands back
# the same candidate objects for what didn't change, so they aren't made again.
_made: dict[str, dict[int, tuple[Candidate, Hyperparameter]]] = {}


def _hyperparameters(candidates: list[Candidate], source: str) -> list[Hyperparameter]:
    made = _made.pop(source, {})
    kept: dict[int, tuple[Candidate, Hyperparameter]] = {}
    parameters = []
    for candidate in candidates:
        hit = made.get(id(candidate))
        if hit is None or hit[0] is not candidate:
            hit = (candidate, Hyperparameter(candidate.name, candidate.value, candidate.text, _kind(candidate), candidate.span))
        kept[id(candidate)] = hit
        parameters.append(hit[1])
    _made[source] = kept
    if len(_made) > _SOURCES_KEPT:
        del _made[next(iter(_made))]
    return parameters


def _position(parameter: Hyperparameter) -> tuple:
    span = parameter.span  # compared as numbers: far cheaper than Span's own ordering
    return (span.line, span.column, span.end_line, span.end_column, parameter.name)


def _labels_a_typed_section(name: str, typed: set[str]) -> bool:
    """``MODEL.NAME`` beside ``MODEL.TYPE``: the type is the choice, the name only labels the run."""
    section, _, last = name.rpartition(".")
    return last.lower() == "name" and section in typed


def script_text(text: str, path: str | Path) -> str:
    """The Python a script file holds: the file itself, or a notebook's code cells."""
    if not is_notebook(path):
        return text
    try:
        return read_notebook(text).text
    except NotebookError:
        return ""


def extract_file(path: str | Path, options: ExtractOptions | None = None) -> list[Hyperparameter]:
    """Read ``path`` (UTF-8, undecodable bytes replaced) and extract; a file that can't be read
    (missing, a device or FIFO, too large) gives []."""
    from paribus.core.model.files import read_disk  # the one reader: refuses devices, bounded

    text = read_disk(Path(path))
    return [] if text is None else extract_text(text, path, options)
