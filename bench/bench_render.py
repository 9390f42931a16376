"""Time the workflow view of examples/ecg-af: build_workflow + HTML render, and render alone.

Each run starts from a fresh Project (nothing cached between runs), as a refresh of the
editor's view does after a file changed. Run: ``.venv/bin/python bench/bench_render.py``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from paribus.core.judgement.workflow import build_workflow
from paribus.core.model.project import Project
from paribus.render import render_workflow

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ecg-af"


def percentile(timings: list[float], fraction: float) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(label: str, timings: list[float]) -> None:
    print(f"{label:<28} median {statistics.median(timings) * 1000:7.2f} ms   p95 {percentile(timings, 0.95) * 1000:7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--root", type=Path, default=EXAMPLE)
    args = parser.parse_args()

    build_workflow(Project(args.root))  # warm imports (pandas, numpy) once, as a running server has
    total, render_only = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        workflow = build_workflow(Project(args.root))
        built = time.perf_counter()
        page = render_workflow(workflow, "html")
        finished = time.perf_counter()
        total.append(finished - started)
        render_only.append(finished - built)
    print(f"{args.root.name}: {args.runs} runs, page {len(page) / 1024:.0f} KiB")
    report("build_workflow + render", total)
    report("render (HTML) alone", render_only)


if __name__ == "__main__":
    main()
