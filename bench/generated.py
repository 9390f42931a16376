"""Large training scripts, logs and configs for the benchmarks, generated deterministically.

``training_script(lines)`` grows a script the way long research files grow: module constants
(hyperparameters and bookkeeping), dataclass and dict configs, ``nn.Module`` classes,
training/evaluation functions with loops, ``with``/``try`` blocks, comprehensions and
f-strings, argparse helpers whose defaults name module constants, a comment with non-ASCII
text now and then, and one ``main()`` with the CLI at the end. Every section is numbered, so
names don't repeat and no two top-level statements have the same text.
"""

from __future__ import annotations

HEADER = '''"""Training script (generated for benchmarks)."""
import argparse
import math
import os
import random
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

SEED = 0
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)

LEARNING_RATE = 0.001
BATCH_SIZE = 32
DROPOUT = 0.1
OUT_DIR = "runs/latest"
'''

SECTION = '''

# -----------------------------------------------------------------------------
# Section {i}: block {i} of the model  (λ = {i}e-4 — 学习率 note)
BLOCK_{i}_WIDTH = {width}
BLOCK_{i}_DEPTH = {depth}
BLOCK_{i}_DROPOUT = 0.{digit}
BLOCK_{i}_WEIGHT_DECAY = {i}e-5
BLOCK_{i}_LOG_EVERY = 100
BLOCK_{i}_CHECKPOINT = os.path.join(OUT_DIR, "block_{i}.pt")


@dataclass
class Block{i}Config:
    """Options of block {i}."""

    width: int = {width}
    heads: int = {heads}
    activation: str = "gelu"
    scales: list = field(default_factory=lambda: [1, 2, 4])
    use_bias: bool = True


block_{i}_schedule = dict(
    optimizer=dict(lr={i}e-4, betas=(0.9, 0.999), eps=1e-8),
    warmup_steps={warmup},
    decay="cosine",
)


class Block{i}(nn.Module):
    """Residual block {i}: pre-norm, MLP, dropout."""

    def __init__(self, config: Block{i}Config = Block{i}Config()) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(config.width)
        self.proj = nn.Linear(config.width, 4 * config.width, bias=config.use_bias)
        self.out = nn.Linear(4 * config.width, config.width)
        self.drop = nn.Dropout(BLOCK_{i}_DROPOUT)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        hidden = F.gelu(self.proj(self.norm(x)))
        if self.training and BLOCK_{i}_DROPOUT > 0:
            hidden = self.drop(hidden)
        return x + self.out(hidden)


def add_block_{i}_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("block {i}")
    group.add_argument("--block-{i}-width", type=int, default=BLOCK_{i}_WIDTH)
    group.add_argument("--block-{i}-depth", type=int, default=BLOCK_{i}_DEPTH,
                       help="how many residual blocks of width {width}")
    group.add_argument("--block-{i}-log-every", type=int, default=BLOCK_{i}_LOG_EVERY)


def train_block_{i}(model, loader, optimizer, epochs: int = {epochs}, clip: float = 1.0):
    """Train block {i} for a few epochs; returns the mean loss of the last one."""
    model.train()
    history = []
    for epoch in range(epochs):
        running, seen = 0.0, 0
        for step, (inputs, labels) in enumerate(loader):
            optimizer.zero_grad(set_to_none=True)
            logits = model(inputs)
            loss = F.cross_entropy(logits, labels, label_smoothing=0.{digit})
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
            optimizer.step()
            running += loss.item() * labels.size(0)
            seen += labels.size(0)
            if step % BLOCK_{i}_LOG_EVERY == 0:
                print(f"block {i} epoch {{epoch}} step {{step}}: loss {{running / max(seen, 1):.4f}}")
        history.append(running / max(seen, 1))
    return history[-1] if history else math.nan


def evaluate_block_{i}(model, loader) -> dict:
    model.eval()
    correct, total = 0, 0
    confusion = {{}}
    with torch.no_grad():
        for inputs, labels in loader:
            predictions = model(inputs).argmax(-1)
            correct += (predictions == labels).sum().item()
            total += labels.numel()
            for truth, guess in zip(labels.tolist(), predictions.tolist()):
                confusion[(truth, guess)] = confusion.get((truth, guess), 0) + 1
    try:
        accuracy = correct / total
    except ZeroDivisionError:
        accuracy = float("nan")
    worst = sorted(confusion.items(), key=lambda item: -item[1])[:5]
    return {{"accuracy": accuracy, "worst": [pair for pair, _ in worst]}}


class Block{i}Dataset(Dataset):
    def __init__(self, root: str, split: str = "train", size: int = {size}) -> None:
        self.files = sorted(name for name in os.listdir(root) if name.endswith(".npy"))[:size]
        self.split = split

    def __len__(self) -> int:
        return len(self.files)

    def __getitem__(self, index: int):
        array = np.load(self.files[index])
        if self.split == "train" and random.random() < 0.5:
            array = array[::-1].copy()
        return torch.from_numpy(array), index % {classes}
'''

FOOTER = '''

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lr", type=float, default=LEARNING_RATE)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--out-dir", default=OUT_DIR)
    for add in [value for name, value in globals().items() if name.startswith("add_block_")]:
        add(parser)
    args = parser.parse_args()
    model = nn.Sequential(Block0(), nn.Linear(BLOCK_0_WIDTH, 10))
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    loader = DataLoader(Block0Dataset("data"), batch_size=args.batch_size, shuffle=True)
    train_block_0(model, loader, optimizer, epochs=args.epochs)
    print(evaluate_block_0(model, loader))


if __name__ == "__main__":
    main()
'''


def _section(index: int) -> str:
    return SECTION.format(
        i=index, width=64 + 8 * (index % 57), depth=2 + index % 6, digit=1 + index % 9, heads=4 + index % 4,
        warmup=100 * (1 + index % 20), epochs=3 + index % 7, size=1000 + index, classes=2 + index % 9,
    )


def training_script(lines: int) -> str:
    """A script of about ``lines`` lines (at least the header, one section and the footer)."""
    parts = [HEADER]
    count = HEADER.count("\n") + FOOTER.count("\n")
    index = 0
    while count < lines or index == 0:
        section = _section(index)
        parts.append(section)
        count += section.count("\n")
        index += 1
    parts.append(FOOTER)
    return "".join(parts)


CARD = (
    'task = "Bench"\ninputs = "x"\noutputs = "y"\ndata = { type = "tabular" }\nstatus = "iterating"\n'
    'metric = { name = "val_acc", goal = "max", target = 0.9 }\nscripts = ["train.py"]\n'
)
LOG = (
    "- id: b1\n  kind: baseline\n  params: {LEARNING_RATE: 0.001, BATCH_SIZE: 32, DROPOUT: 0.1}\n"
    "  result: {train_acc: 0.8, val_acc: 0.7}\n"
)


TOML_SECTION = '''
[block_{i}]
width = {width}
depth = {depth}
activation = gelu            # unquoted: not TOML
dropout = 0.{digit}
scales = [
  1, 2,  # a comment ] inside the array
  4,
]
notes = """
lr = 3e-4 was tried in block {i}
"""
schedule = {{ warmup = {warmup}, decay = "cosine" }}
lr = 1e-3,                   # a trailing comma: not TOML
tags = ["a", "b"
'''


def broken_toml(lines: int) -> str:
    """A long TOML config with the mistakes people make: bare strings, trailing commas,
    unclosed arrays, amid valid multi-line arrays and strings."""
    parts = ["# generated for benchmarks\nseed = 0\n"]
    count, index = 2, 0
    while count < lines:
        section = TOML_SECTION.format(i=index, width=64 + index % 57, depth=2 + index % 6, digit=1 + index % 9, warmup=100 * (1 + index % 20))
        parts.append(section)
        count += section.count("\n")
        index += 1
    return "".join(parts)
