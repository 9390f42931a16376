"""Cost grows with the file only as parsing it does: long scripts and a long broken config.

- A full ``paribus check`` (the CLI as users run it, a subprocess) of a project with a
  30,000- and a 100,000-line ``train.py``, against ``ast.parse`` of the same file in a
  subprocess of its own: medians and their ratio (aim: a small multiple, ≤ 3×).
- A broken TOML config (bare strings, trailing commas, unclosed arrays among valid
  multi-line arrays and strings) of 1,600 and 16,000 lines, read in-process: medians and
  the cost per 1,000 lines, which stays flat when recovery is linear.

Keystrokes in long scripts are timed through the real server in ``bench_lsp.py``.
Run: ``python bench/bench_scale.py``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generated import CARD, LOG, broken_toml, training_script  # noqa: E402

RUNS = 3


def _wall(command: list[str], runs: int = RUNS) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def bench_check(lines: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "paribus.toml").write_text(CARD)
        (root / "experiments.yaml").write_text(LOG)
        script = root / "train.py"
        script.write_text(training_script(lines))
        parse = _wall([sys.executable, "-c", f"import ast; ast.parse(open({str(script)!r}).read())"])
        check = _wall([sys.executable, "-m", "paribus", "check", str(root)])
    print(f"  {lines:>7,}-line script: paribus check median {check:5.2f} s, ast.parse median {parse:5.2f} s,"
          f" ratio {check / parse:4.2f}× (aim ≤ 3×)")


def bench_broken_toml() -> None:
    from paribus.core.extract.configs import toml_candidates

    per_thousand = []
    for lines in (1_600, 16_000):
        text = broken_toml(lines)
        timings = []
        for _ in range(5):
            start = time.perf_counter()
            toml_candidates(text)
            timings.append(time.perf_counter() - start)
        median = statistics.median(timings)
        per_thousand.append(median / lines * 1000)
        print(f"  broken TOML, {lines:>6,} lines: median {median * 1000:7.1f} ms ({per_thousand[-1] * 1000:5.2f} ms per 1,000 lines)")
    print(f"  cost per line, 16,000 vs 1,600 lines: {per_thousand[1] / per_thousand[0]:.2f}× (1× is linear)")


if __name__ == "__main__":
    print("Full check of long scripts (CLI subprocess) against ast.parse (subprocess)")
    for size in (30_000, 100_000):
        bench_check(size)
    print("Broken TOML config (in-process)")
    bench_broken_toml()
