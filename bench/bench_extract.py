"""Extraction speed on generated ~300- and ~3,000-line training scripts.

Prints, per size, the median and p95 of (a) a keystroke: one value edited, then the whole
file extracted again (the editor's case: unchanged top-level statements come from the
cache), and (b) a cold extraction of a never-seen file.
Run: ``python bench/bench_extract.py``.
"""

from __future__ import annotations

import statistics
import time

from paribus.core.extract import extract_text

HEADER = '''"""A generated training script."""
import argparse
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

LEARNING_RATE = 3e-4
BATCH_SIZE = 64
DROPOUT = 0.1
out_dir = "runs/exp"
'''

BLOCK = '''

def add_block_{i}_args(parser):
    group = parser.add_argument_group("block {i}")
    group.add_argument("--block-{i}-width", type=int, default={width})
    group.add_argument("--block-{i}-log-interval", type=int, default=100)


class Block{i}(nn.Module):
    """Residual block {i}."""

    def __init__(self, width: int = {width}) -> None:
        super().__init__()
        self.proj = nn.Linear(width, 4 * width)
        self.out = nn.Linear(4 * width, width)
        self.drop = nn.Dropout(DROPOUT)

    def forward(self, x):
        hidden = torch.relu(self.proj(x))
        return x + self.drop(self.out(hidden))


def evaluate_{i}(model, loader):
    total, correct = 0, 0
    with torch.no_grad():
        for inputs, labels in loader:
            predictions = model(inputs).argmax(-1)
            correct += (predictions == labels).sum().item()
            total += labels.numel()
    return correct / max(total, 1)
'''

FOOTER = '''

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float, default=LEARNING_RATE)
    parser.add_argument("--epochs", type=int, default=10)
    args = parser.parse_args()
    model = nn.Sequential(nn.Linear(128, 256), nn.ReLU(), nn.Linear(256, 10))
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.1)
    loader = DataLoader(dataset, batch_size=BATCH_SIZE, num_workers=4)


if __name__ == "__main__":
    main()
'''


def generated_script(lines: int, variant: int = 0) -> str:
    parts = [HEADER, f"# variant {variant}\n"]
    index = 0
    while sum(part.count("\n") for part in parts) < lines - FOOTER.count("\n"):
        parts.append(BLOCK.format(i=index, width=64 + index))
        index += 1
    parts.append(FOOTER)
    return "".join(parts)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def bench(lines: int, repeats: int) -> None:
    script = generated_script(lines)
    extract_text(script, "train.py")  # warm the cache as an open editor would
    keystrokes = []
    for repeat in range(repeats):
        edited = script.replace("BATCH_SIZE = 64", f"BATCH_SIZE = {65 + repeat}")
        start = time.perf_counter()
        extract_text(edited, "train.py")
        keystrokes.append((time.perf_counter() - start) * 1000)
    cold = []
    for repeat in range(max(5, repeats // 10)):
        fresh = generated_script(lines, variant=1000 + repeat + lines).replace("width", f"width{repeat}")
        start = time.perf_counter()
        extract_text(fresh, "train.py")
        cold.append((time.perf_counter() - start) * 1000)
    actual = script.count("\n") + 1
    print(
        f"{actual:>5} lines  keystroke median {statistics.median(keystrokes):6.2f} ms"
        f"  p95 {percentile(keystrokes, 0.95):6.2f} ms   |  cold median"
        f" {statistics.median(cold):6.2f} ms  p95 {percentile(cold, 0.95):6.2f} ms"
    )


if __name__ == "__main__":
    bench(300, repeats=100)
    bench(3000, repeats=50)
