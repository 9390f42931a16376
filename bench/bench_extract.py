"""Extraction speed on generated ~300- and ~3,000-line training scripts, hostile input and the
labelled corpus.

Prints, per size, the median and p95 of (a) a keystroke: one value edited, then the whole
file extracted again (the editor's case: unchanged top-level statements come from the
cache), and (b) a cold extraction of a never-seen file; then the robustness cases timed (a YAML
anchor bomb, a 5 MB generated script) and a cold extraction of each corpus file.
Run: ``python bench/bench_extract.py``.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from paribus.core.extract import extract_text

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "extraction"

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


def anchor_bomb(variant: int) -> str:
    """Nine levels of nine-fold YAML aliases: 9**9 leaves if anything expanded them."""
    lines = [f'a: &a ["x{variant}", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for index, letter in enumerate("bcdefghi"):
        lines.append(f"{letter}: &{letter} [" + ", ".join([f"*{'abcdefghi'[index]}"] * 9) + "]")
    return "\n".join(lines) + "\nlr: 0.1\n"


def timed_extraction_ms(text: str, path: str | Path) -> float:
    start = time.perf_counter()
    extract_text(text, path)
    return (time.perf_counter() - start) * 1000


def report(label: str, samples: list[float]) -> None:
    print(f"{label:<34} median {statistics.median(samples):8.2f} ms  p95 {percentile(samples, 0.95):8.2f} ms"
          f"  ({len(samples)} runs)")


def bench_hostile() -> None:
    report("YAML anchor bomb", [timed_extraction_ms(anchor_bomb(run), "conf.yaml") for run in range(20)])
    huge = [
        "".join(f"PARAM{run}_{index} = {index}\n" for index in range(400_000)) for run in range(3)
    ]
    report("5 MB generated script (cold)", [timed_extraction_ms(text, "generated.py") for text in huge])


def bench_corpus() -> None:
    sources = sorted(Path(str(label).removesuffix(".expected.json")) for label in CORPUS.rglob("*.expected.json"))
    samples = {source: timed_extraction_ms(source.read_text(), source) for source in sources}
    slowest = max(samples, key=samples.get)
    report(f"corpus file, cold ({len(sources)} files)", list(samples.values()))
    print(f"{'':<34} slowest {samples[slowest]:.2f} ms: {slowest.relative_to(CORPUS)}")


if __name__ == "__main__":
    bench(300, repeats=100)
    bench(3000, repeats=50)
    bench_hostile()
    bench_corpus()
