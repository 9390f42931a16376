"""Time analyze_predictions on 1,000,000 rows (budget: median ≤ 2 s, DESIGN §8).

Writes a predictions CSV once into a temporary directory, then reports the median and p95
over several runs, each including reading the CSV. Run: ``.venv/bin/python bench/bench_analyze.py``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from paribus.core.analysis import analyze_predictions

BUDGET_SECONDS = 2.0
CLASSES = np.array(["AF", "normal", "other", "noisy"])


def write_predictions(path: Path, n_rows: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    labels = rng.choice(len(CLASSES), size=n_rows, p=[0.1, 0.6, 0.2, 0.1])
    # The rare class errs more often, so the verdict has something to find.
    error_probability = np.where(labels == 0, 0.4, 0.1)
    wrong = rng.random(n_rows) < error_probability
    preds = np.where(wrong, (labels + rng.integers(1, len(CLASSES), size=n_rows)) % len(CLASSES), labels)
    pd.DataFrame(
        {
            "id": np.arange(n_rows),
            "label": CLASSES[labels],
            "pred": CLASSES[preds],
            "confidence": rng.random(n_rows).round(3),
            "split": np.where(rng.random(n_rows) < 0.3, "train", "dev"),
            "noise_level": rng.choice(["low", "mid", "high"], size=n_rows),
            "lead": rng.choice(["I", "II", "inverted"], size=n_rows),
        }
    ).to_csv(path, index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "predictions.csv"
        started = time.perf_counter()
        write_predictions(path, args.rows)
        print(f"wrote {args.rows:,} rows ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.1f} s")

        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            analysis = analyze_predictions(path)
            timings.append(time.perf_counter() - started)

    first = timings[0]
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    within = "within" if median <= BUDGET_SECONDS else "OVER"
    print(f"verdict: {analysis.verdict.kind} {list(analysis.verdict.classes)}; {analysis.n_errors:,} errors")
    print(
        f"analyze_predictions, {args.runs} runs: median {median:.3f} s, p95 {p95:.3f} s, "
        f"first {first:.3f} s ({within} the {BUDGET_SECONDS:g} s budget)"
    )

if __name__ == "__main__":
    main()
