"""A keystroke costs what the edited statement costs: work is counted, never timed.

After a one-value edit, extraction reads one statement again and gives exactly what reading
the whole new text from scratch gives; the incremental cut is the cut of the new text; a
whole check parses each statement once.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from paribus.core.extract import extract_text, python_extract, python_source
from paribus.core.judgement.check import run_rules
from paribus.core.model.project import Project

CORPUS = Path(__file__).parent.parent / "fixtures" / "extraction"
SECTION = '''

BLOCK_{i}_WIDTH = {width}
BLOCK_{i}_DROPOUT = 0.{digit}


@dataclass
class Block{i}Config:
    """Options of block {i}."""

    width: int = {width}
    activation: str = "gelu"


def add_block_{i}_arguments(parser):
    parser.add_argument("--block-{i}-width", type=int, default=BLOCK_{i}_WIDTH)


def train_block_{i}(model, loader, epochs: int = {epochs}):
    optimizer = torch.optim.AdamW(model.parameters(), lr={i}e-5, weight_decay=0.0{digit})
    for epoch in range(epochs):
        for inputs, labels in loader:
            loss = F.cross_entropy(model(inputs), labels, label_smoothing=0.1)
            loss.backward()
            optimizer.step()
'''
HEADER = "import argparse\nfrom dataclasses import dataclass\n\nimport torch\nimport torch.nn.functional as F\n\nLEARNING_RATE = 0.001\nBATCH_SIZE = 32\n"
FOOTER = '''

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float, default=LEARNING_RATE)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    args = parser.parse_args()


if __name__ == "__main__":
    main()
'''


def long_script(sections: int) -> str:
    body = "".join(SECTION.format(i=i, width=64 + i, digit=1 + i % 9, epochs=3 + i % 5) for i in range(sections))
    return HEADER + body + FOOTER


def forget_everything() -> None:
    python_extract._chunk_cache.clear()
    python_extract._last_facts.clear()
    python_extract._last_resolved.clear()
    python_source._last_cuts.clear()


def summary(text: str, path: str) -> list[tuple]:
    return [(p.name, p.value, p.text, p.kind, p.span) for p in extract_text(text, path)]


def from_scratch(text: str) -> list[tuple]:
    """What extracting ``text`` gives with nothing known, the incremental state left as it was."""
    saved = (dict(python_extract._chunk_cache._items), dict(python_extract._last_facts),
             dict(python_extract._last_resolved), dict(python_source._last_cuts))
    forget_everything()
    try:
        return summary(text, "scratch.py")
    finally:
        forget_everything()
        python_extract._chunk_cache._items.update(saved[0])
        python_extract._last_facts.update(saved[1])
        python_extract._last_resolved.update(saved[2])
        python_source._last_cuts.update(saved[3])


@pytest.fixture
def counted_reads(monkeypatch):
    """How many statements extraction reads (``read_chunk`` calls)."""
    reads = []
    real = python_extract.read_chunk
    monkeypatch.setattr(python_extract, "read_chunk", lambda text, module: reads.append(text) or real(text, module))
    forget_everything()
    yield reads
    forget_everything()


@pytest.mark.parametrize("old, new", [
    ("BATCH_SIZE = 32", "BATCH_SIZE = 64"),  # a constant an argparse default names
    ("BLOCK_57_DROPOUT = 0.4", "BLOCK_57_DROPOUT = 0.45"),
    ("width: int = 121", "width: int = 122"),  # a dataclass field
    ("lr=57e-5,", "lr=1e-3,"),  # a training call's keyword
    ("BLOCK_57_WIDTH = 121\n", "BLOCK_57_WIDTH = 121\n\n"),  # a line added: later lines move
])
def test_a_one_value_edit_reads_one_statement_again(counted_reads, old: str, new: str) -> None:
    text = long_script(200)  # about 4,000 lines, 1,000 statements
    assert text.count(old) == 1
    summary(text, "train.py")
    statements = len(counted_reads)
    assert statements > 1000
    counted_reads.clear()
    edited = text.replace(old, new)
    found = summary(edited, "train.py")
    assert len(counted_reads) == 1 and new.split()[0] in counted_reads[0]
    assert found == from_scratch(edited)


def test_a_cold_check_parses_each_statement_once(tmp_path, monkeypatch) -> None:
    forget_everything()
    parses = []
    real = python_source._try_parse
    monkeypatch.setattr(python_source, "_try_parse", lambda text: parses.append(text) or real(text))
    script = long_script(50)
    (tmp_path / "train.py").write_text(script)
    (tmp_path / "experiments.yaml").write_text("- id: b1\n  kind: baseline\n  params: {LEARNING_RATE: 0.001}\n  result: {val_acc: 0.7}\n")
    run_rules(Project(tmp_path).context())
    statements = len(python_source._cut(script).chunks)
    # Each statement once for extraction (and the rules' reading of its tree); the first
    # one again to see that the script holds statements at all.
    assert statements <= len(parses) <= statements + 1
    forget_everything()


def test_value_edits_give_what_a_fresh_reading_gives(monkeypatch) -> None:
    """Random number edits across the extraction corpus: most reuse the last resolution,
    every one gives exactly the hyperparameters a fresh reading of the new text gives."""
    reused = []
    real = python_extract._Resolved.updated
    monkeypatch.setattr(python_extract._Resolved, "updated", lambda *args: reused.append(result := real(*args)) or result)
    number = re.compile(r"(?<![\w.])\d+(\.\d+)?(e-?\d+)?")
    rng = random.Random(7)
    texts = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.rglob("*.py"))] + [long_script(20)]
    checked = 0
    for index, text in enumerate(texts):
        forget_everything()
        path = f"edited_{index}.py"
        summary(text, path)
        for _ in range(6):
            found = list(number.finditer(text))
            if not found:
                break
            match = rng.choice(found)
            value = rng.choice(["0", "7", "0.5", "3e-4", '"text"', "None", "[1, 2]", "12\n"])
            text = text[: match.start()] + value + text[match.end():]
            assert summary(text, path) == from_scratch(text)
            checked += 1
    forget_everything()
    assert checked > 200
    assert sum(result is not None for result in reused) > checked / 4


_PIECES = ['"""', "'''", "\n", " ", "x", "else:", "\nelse:", "\\\n", "@dec\n", "#", ")", "\nfinally:", "\nelif x:",
           "    ", "a = 1\n", "\n\n", "def f():\n    pass\n"]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), st.lists(st.sampled_from(_PIECES), max_size=3)), min_size=1, max_size=12))
def test_the_cut_after_edits_is_the_cut_of_the_new_text(edits) -> None:
    text = long_script(3) + "".join(path.read_text(encoding="utf-8") for path in sorted(CORPUS.rglob("*.py"))[:3])
    python_source._last_cuts.pop("cut.py", None)
    python_source.split_chunks(text, "cut.py")
    for start, length, pieces in edits:
        at = int(start * len(text))
        end = min(len(text), at + int(length * 40))
        text = text[:at] + "".join(pieces) + text[end:]
        assert python_source.split_chunks(text, "cut.py") == python_source._cut(text).chunks


NAMING = '''import torch
import torch.nn as nn

EPOCHS = 5
LEARNING_RATE = 0.001
EPOCHS = 10


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(128, 64)
        self.drop = nn.Dropout(p=0.1)


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 128)
        self.drop = nn.Dropout(p=0.3)


optimizer = torch.optim.SGD(params, lr=LEARNING_RATE, momentum=0.9)
optimizer = torch.optim.SGD(params, lr=0.1, momentum=0.8)
'''


@pytest.mark.parametrize("old, new, expected", [
    # The last binding is the one the run reads, whichever binding is edited.
    ("EPOCHS = 5", "EPOCHS = 6", ("EPOCHS", 10, 6)),
    ("EPOCHS = 10", "EPOCHS = 12", ("EPOCHS", 12, 6)),
    # The same attribute in two classes counts apart (``fc1``, ``fc1#2``), whatever the values.
    ("nn.Linear(64, 128)", "nn.Linear(64, 256)", ("fc1#2.out_features", 256, 19)),
    ("nn.Linear(128, 64)", "nn.Linear(128, 32)", ("fc1.out_features", 32, 12)),
    ("p=0.1", "p=0.2", ("drop", 0.2, 13)),
    ("p=0.3", "p=0.35", ("drop#2", 0.35, 20)),
    # Every call of a callee counts: the second SGD is ``SGD#2``.
    ("lr=0.1", "lr=0.05", ("SGD#2.lr", 0.05, 24)),
])
def test_a_value_edit_keeps_last_bindings_and_numbering(old: str, new: str, expected: tuple) -> None:
    forget_everything()
    assert NAMING.count(old) == 1
    before = {name: (value, line) for name, value, _, _, line in
              ((n, v, t, k, s.line) for n, v, t, k, s in summary(NAMING, "naming.py"))}
    assert before["EPOCHS"] == (10, 6) and before["fc1#2.out_features"] == (128, 19) and before["drop#2"] == (0.3, 20)
    edited = NAMING.replace(old, new)
    found = summary(edited, "naming.py")
    assert found == from_scratch(edited)
    name, value, line = expected
    assert [(n, v, s.line) for n, v, _, _, s in found if n == name] == [(name, value, line)]
    forget_everything()
