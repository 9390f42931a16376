"""The labelled extraction corpus, measured: names and lines, seeds, and what an edit changes.

``tests/fixtures/extraction`` holds public files (``real/<style>/…``, each with its origin) and a
few written here (``synthetic/…``); every source ``x`` has ``x.expected.json`` with the
hyperparameters a careful researcher would track, labelled by reading ``x`` (README.md there
states the rules). The edits below are built from those labels — the labelled value's text at its
labelled position — never from what the extractor reports.
"""

from __future__ import annotations

import io
import json
import re
import tokenize
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from paribus.core.extract import diff_hyperparameters, extract_file, extract_text

CORPUS = Path(__file__).parent.parent / "fixtures" / "extraction"
SOURCES = sorted(
    p for p in CORPUS.rglob("*") if p.is_file() and p.name != "README.md" and not p.name.endswith(".expected.json")
)
REAL = [p for p in SOURCES if p.relative_to(CORPUS).parts[0] == "real"]
PERMISSIVE = {"MIT", "Apache-2.0", "BSD-3-Clause"}
MIN_PRECISION, MIN_RECALL = 0.95, 0.9


@dataclass(frozen=True)
class Label:
    name: str
    line: int
    kind: str | None = None
    text: str | None = None
    text_line: int | None = None
    column: int | None = None

    @property
    def position(self) -> tuple[int, int] | None:
        """Where the labelled literal starts (line, 1-based column), if it has one."""
        return None if self.text is None else (self.text_line or self.line, self.column)


def labels_of(source: Path) -> list[Label]:
    return [Label(**entry) for entry in _expected(source)["hyperparameters"]]


def _expected(source: Path) -> dict:
    return json.loads(Path(f"{source}.expected.json").read_text())


def style_of(source: Path) -> str:
    parts = source.relative_to(CORPUS).parts
    return f"real/{parts[1]}" if parts[0] == "real" else parts[0]


def _id(source: Path) -> str:
    return str(source.relative_to(CORPUS)) if source.is_relative_to(CORPUS) else source.name


# --- the corpus itself -------------------------------------------------------------------------


def test_corpus_is_large_varied_and_sourced():
    assert len(REAL) >= 40
    assert len({style_of(source) for source in REAL}) >= 20
    assert len(SOURCES) > len(REAL), "the synthetic files are still there"
    assert all(Path(f"{source}.expected.json").exists() for source in SOURCES)
    for source in REAL:
        origin = _expected(source)["origin"]
        assert origin["repository"].startswith("https://github.com/"), source
        assert re.fullmatch(r"[0-9a-f]{40}", origin["commit"]), source
        assert origin["path"] and origin["license"] in PERMISSIVE, source


@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_every_label_points_at_its_value(source: Path):
    lines = source.read_text().split("\n")
    labels = labels_of(source)
    assert len({(label.name, label.line) for label in labels}) == len(labels), "a label is listed twice"
    for label in labels:
        assert 1 <= label.line <= len(lines), label
        if label.position is not None:
            line, column = label.position
            assert lines[line - 1][column - 1 :].startswith(label.text), label


# --- names and lines -------------------------------------------------------------------------


def score(sources: list[Path]) -> tuple[dict[str, list[int]], list[tuple]]:
    """Per style [files, true positives, false positives, false negatives], and every miss."""
    by_style: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    misses = []
    for source in sources:
        expected = {(label.name, label.line) for label in labels_of(source)}
        found = {(p.name, p.span.line) for p in extract_file(source)}
        counts = by_style[style_of(source)]
        counts[0] += 1
        counts[1] += len(found & expected)
        counts[2] += len(found - expected)
        counts[3] += len(expected - found)
        misses += [(_id(source), "unexpected", *pair) for pair in sorted(found - expected)]
        misses += [(_id(source), "missed", *pair) for pair in sorted(expected - found)]
    return dict(by_style), misses


def _ratios(tp: int, fp: int, fn: int) -> tuple[float, float]:
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


def test_corpus_precision_and_recall():
    by_style, misses = score(SOURCES)
    totals = [sum(counts[i] for counts in by_style.values()) for i in range(4)]
    precision, recall = _ratios(*totals[1:])
    print(f"\ncorpus: {totals[0]} files, precision {precision:.3f}, recall {recall:.3f}")
    for style, (files, tp, fp, fn) in sorted(by_style.items()):
        p, r = _ratios(tp, fp, fn)
        print(f"  {style:<28} {files:>3} files  precision {p:.3f}  recall {r:.3f}  (+{fp} unexpected, -{fn} missed)")
    for miss in misses:
        print("  ", *miss)
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL, (precision, recall)


def test_seeds_are_reported_with_kind_seed():
    total, wrong = 0, []
    for source in SOURCES:
        seeds = sorted((label.name, label.line) for label in labels_of(source) if label.kind == "seed")
        reported = {(p.name, p.span.line): p.kind for p in extract_file(source)}
        total += len(seeds)
        wrong += [(_id(source), *seed, reported.get(seed)) for seed in seeds if reported.get(seed) != "seed"]
    print(f"\nseeds reported with kind seed: {total - len(wrong)} of {total}")
    assert not wrong, wrong


# --- edits: what `paribus diff` names ----------------------------------------------------------

_FLIPPED = {"True": "False", "False": "True", "true": "false", "false": "true"}
_UNSET = {"None", "null", "~"}
_NUMBER = re.compile(r"(?<![\w.])(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][-+]?\d+)?(?![\w.])")
_QUOTED = re.compile(r"""(["'])(.*?)\1""")


def changed_literal(text: str) -> str:
    """A different value written the way ``text`` is written."""
    if text in _FLIPPED:
        return _FLIPPED[text]
    if text in _UNSET:
        return "0.5"
    number = _NUMBER.search(text)
    if number:
        old = number.group()
        new = "7777" if re.fullmatch(r"[\d_]+", old) else "0.0123"
        return text[: number.start()] + new + text[number.end() :]
    quoted = _QUOTED.search(text)
    if quoted:
        return text[: quoted.end(2)] + "_edited" + text[quoted.end(2) :]
    return text + "_edited"


def edit(text: str, edits: dict[tuple[int, int], str]) -> str:
    """``text`` with the literal at each (line, column) replaced by a changed one."""
    lines = text.split("\n")
    for (line, column), old in sorted(edits.items(), reverse=True):
        row = lines[line - 1]
        assert row[column - 1 :].startswith(old), (line, column, old)
        lines[line - 1] = row[: column - 1] + changed_literal(old) + row[column - 1 + len(old) :]
    return "\n".join(lines)


def positions(source: Path) -> dict[tuple[int, int], tuple[str, list[Label]]]:
    """Each labelled literal's position, its text, and the labels it sets (a chained or shared
    default sets several)."""
    found: dict[tuple[int, int], tuple[str, list[Label]]] = {}
    for label in labels_of(source):
        if label.position is not None:
            found.setdefault(label.position, (label.text, []))[1].append(label)
    return found


def _check_edit(source: Path, text: str, before, chosen: list[tuple[tuple[int, int], tuple[str, list[Label]]]]):
    """None when the diff names exactly the labels at the edited positions on their lines, else why not."""
    edited = edit(text, {position: literal for position, (literal, _) in chosen})
    changes = diff_hyperparameters(before, extract_text(edited, source))
    expected = sorted((label.name, label.line) for _, (_, labels) in chosen for label in labels)
    named = sorted((change.name, change.line) for change in changes)
    return None if named == expected else (_id(source), [p for p, _ in chosen], "expected", expected, "named", named)


def _pairs(items: list) -> list[tuple]:
    """First with last, neighbours through the file, and two values on one line when there are."""
    if len(items) < 2:
        return []
    pairs = {(0, len(items) - 1)} | {(i, i + 1) for i in range(0, len(items) - 1, 4)}
    by_line = defaultdict(list)
    for index, ((line, _), _) in enumerate(items):
        by_line[line].append(index)
    pairs |= {(group[0], group[1]) for group in by_line.values() if len(group) > 1}
    return sorted(pairs)


def edit_failures(two: bool) -> tuple[int, list]:
    total, failures = 0, []
    for source in SOURCES:
        text = source.read_text()
        before = extract_text(text, source)
        items = sorted(positions(source).items())
        groups = [[items[i], items[j]] for i, j in _pairs(items)] if two else [[item] for item in items]
        for chosen in groups:
            total += 1
            failure = _check_edit(source, text, before, chosen)
            if failure:
                failures.append(failure)
    return total, failures


def assert_every_edit_exact(what: str, total: int, failures: list) -> None:
    print(f"\n{what}: {total - len(failures)} of {total}")
    for failure in failures:
        print("  ", *failure)
    assert not failures


def test_one_variable_edits_name_exactly_that_hyperparameter():
    assert_every_edit_exact("one-variable edits named exactly", *edit_failures(two=False))


def test_two_variable_edits_name_exactly_both():
    assert_every_edit_exact("two-variable edits named exactly", *edit_failures(two=True))


def bookkeeping_numbers(source: Path, text: str) -> list[tuple[int, int, str]]:
    """Numeric literals of the file that no label covers: (line, column, text)."""
    covered = defaultdict(list)
    for (line, column), (literal, _) in positions(source).items():
        covered[line].append((column, column + len(literal)))
    numbers = []
    if source.suffix == ".py":
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.NUMBER:
                numbers.append((token.start[0], token.start[1] + 1, token.string))
    else:
        scalar = re.compile(r"""^\s*(?:"[\w.-]+"|[\w.-]+)\s*[:=]\s*(-?[\d.][\w.+-]*)\s*,?\s*(?:#.*)?$""")
        for number, line in enumerate(text.split("\n"), 1):
            match = scalar.match(line)
            if match and _NUMBER.search(match.group(1)):
                numbers.append((number, match.start(1) + 1, match.group(1)))
    return [
        (line, column, literal)
        for line, column, literal in numbers
        if not any(start <= column < end for start, end in covered[line])
    ]


def test_editing_a_value_that_is_no_hyperparameter_names_nothing():
    total, failures = 0, []
    for source in SOURCES:
        text = source.read_text()
        before = extract_text(text, source)
        for line, column, literal in bookkeeping_numbers(source, text):
            total += 1
            failure = _check_edit(source, text, before, [((line, column), (literal, []))])
            if failure:
                failures.append(failure)
    assert_every_edit_exact("edits of other numbers that name nothing", total, failures)


# --- the checks above can fail ------------------------------------------------------------------


def test_changed_literal_always_changes_the_value():
    for text in ["3e-4", "1.e-6", "[ 1,2,4,4 ]", "20_000", "'linear'", '["q_proj", "v_proj"]', "torch.optim.SGD",
                 "True", "false", "None", "null", "(0.9, 0.999)", "5 * 8", ".0", "-1"]:
        assert changed_literal(text) != text


def test_a_wrong_label_is_caught(tmp_path: Path):
    source = tmp_path / "train.py"
    source.write_text("LR = 3e-4\nEPOCHS = 10\n")
    Path(f"{source}.expected.json").write_text(json.dumps({"hyperparameters": [
        {"name": "LR", "line": 1, "text": "3e-4", "column": 6},
        {"name": "EPOCHS", "line": 2, "text": "10", "column": 10},
    ]}))
    before = extract_text(source.read_text(), source)
    assert _check_edit(source, source.read_text(), before, [((1, 6), ("3e-4", [Label("EPOCHS", 2)]))]) is not None
    assert bookkeeping_numbers(source, source.read_text()) == []
