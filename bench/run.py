"""`make bench`: every benchmark, one after the other (medians and ratios, never pass/fail)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
ORDER = ["bench_startup.py", "bench_lsp.py", "bench_scale.py", "bench_notebook.py", "bench_extract.py", "bench_analyze.py", "bench_render.py", "bench_import.py"]

for name in ORDER:
    print(f"\n== {name} ==", flush=True)
    subprocess.run([sys.executable, str(HERE / name)], check=False)
