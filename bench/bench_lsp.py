"""Language-server budgets: change → publishDiagnostics on 300- to 100,000-line scripts,
start → first diagnostics, RSS, and a 10,000-entry log checked by the core (cold and warm).

Starts the real server (`python -m paribus lsp`) as a subprocess, opens a generated training
script (``generated.training_script``) in a small project, edits one hyperparameter value per
round (an incremental change, as editors send them) and times each edit until the
diagnostics for that version arrive. Prints medians and p95s; budgets are in DESIGN §8.
Run: ``python bench/bench_lsp.py [--sizes 300,3000,30000,100000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).parent))
from generated import CARD, LOG, training_script  # noqa: E402

ROUNDS = 40  # edits timed per script (fewer on the long ones: their first check takes seconds)
ROUNDS_BY_SIZE = {30_000: 20, 100_000: 15}
EDITED_LINE = "LEARNING_RATE = 0.001"
script = training_script  # the scripts bench_notebook.py opens too


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def measure(lines: int, rounds: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "paribus.toml").write_text(CARD)
        (root / "experiments.yaml").write_text(LOG)
        text = training_script(lines)
        path = root / "train.py"
        path.write_text(text)
        client = LanguageClient("bench", "1")
        arrived: dict[int, float] = {}
        got_any = asyncio.Event()

        @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
            arrived[params.version or 0] = time.perf_counter()
            got_any.set()

        started = time.perf_counter()
        await client.start_io(sys.executable, "-m", "paribus", "lsp")
        await client.initialize_async(lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), root_uri=root.as_uri()))
        client.initialized(lsp.InitializedParams())
        uri = path.as_uri()
        client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)))
        await asyncio.wait_for(got_any.wait(), 300)
        first = arrived[1] - started
        latencies = []
        value_line = text.split("\n").index(EDITED_LINE)
        for version in range(2, rounds + 2):
            new_value = "0.001" if version % 2 else "0.0003"
            old_end = 21 if version % 2 == 0 else 22
            sent = time.perf_counter()
            client.text_document_did_change(
                lsp.DidChangeTextDocumentParams(
                    text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[lsp.TextDocumentContentChangePartial(range=lsp.Range(start=lsp.Position(line=value_line, character=16), end=lsp.Position(line=value_line, character=old_end)), text=new_value)],
                )
            )
            while version not in arrived:
                await asyncio.sleep(0.0005)
            latencies.append(arrived[version] - sent)
            await asyncio.sleep(0.05)  # a typing pause, so every edit is measured on its own
        rss_kb = _rss_kb(client._server.pid)
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()
        return {"first": first, "median": statistics.median(latencies), "p95": percentile(latencies, 0.95), "rss_mb": rss_kb / 1024}


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def long_log(entries: int) -> str:
    """A disciplined long log: every experiment after an error analysis of its parent."""
    parts = [LOG]
    previous = "b1"
    for i in range(1, entries // 2):
        lr_from, lr_to = 0.001 + (i - 1) * 1e-6, 0.001 + i * 1e-6
        parts.append(f"- id: ea{i}\n  kind: error-analysis\n  of: {previous}\n  examined: 60\n  categories: {{blurry: 30, dark: 20, mislabeled: 10}}\n")
        parts.append(
            f"- id: e{i}\n  kind: experiment\n  parent: {previous}\n  intervention: hyperparameters\n  targets: blurry\n"
            f"  change: {{LEARNING_RATE: [{lr_from:.6f}, {lr_to:.6f}]}}\n  hypothesis: step {i} helps\n"
            f"  prediction: {{metric: val_acc, direction: up, by: 0.001}}\n  result: {{train_acc: 0.8, val_acc: 0.7}}\n  verdict: refuted\n"
        )
        previous = f"e{i}"
    return "".join(parts)


def _forget_parsed_logs() -> None:
    """Cold: nothing of the log is known (the text, its entries, their lines and scalars, the
    comparisons of its experiments)."""
    from paribus.core.judgement import noise
    from paribus.core.model import log, plain_yaml

    log.parse_log.cache_clear()
    log._entry_cache.clear()
    plain_yaml._lines.clear()
    plain_yaml._scalars.clear()
    noise._comparisons.clear()


def bench_big_log(entries: int = 10_000, runs: int = 5) -> dict[str, float]:
    """Median seconds of a whole check (all rules) of a project with a long log, with the
    garbage collector set as the CLI and the server set it: cold (nothing cached) and warm
    (the entries known, as on a keystroke elsewhere in the log)."""
    from paribus.core.judgement.check import run_rules
    from paribus.core.model.log import parse_log
    from paribus.core.model.project import Project
    from paribus.process import collect_garbage_less_often

    collect_garbage_less_often()
    text = long_log(entries)
    cold, warm = [], []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "paribus.toml").write_text(CARD)
        (root / "experiments.yaml").write_text(text)
        (root / "train.py").write_text(training_script(300))
        for _ in range(runs):
            _forget_parsed_logs()
            start = time.perf_counter()
            run_rules(Project(root).context())
            cold.append(time.perf_counter() - start)
            parse_log.cache_clear()  # the text is read again; its entries are known
            start = time.perf_counter()
            run_rules(Project(root).context())
            warm.append(time.perf_counter() - start)
    return {"cold": statistics.median(cold), "warm": statistics.median(warm)}


async def main(sizes: list[int]) -> None:
    print("Language server (real subprocess; each edit timed until its diagnostics arrive)")
    small = None
    for lines in sizes:
        result = await measure(lines, ROUNDS_BY_SIZE.get(lines, ROUNDS))
        small = small or result["median"]
        print(f"  {lines:>7,}-line script: change → diagnostics median {result['median'] * 1000:7.1f} ms, p95 {result['p95'] * 1000:7.1f} ms"
              f" ({result['median'] / small:4.1f}× the {sizes[0]:,}-line one) | start → first diagnostics {result['first'] * 1000:6.0f} ms"
              f" | server RSS {result['rss_mb']:.0f} MB")
    log = bench_big_log()
    print(f"  10,000-entry log, full check: cold median {log['cold'] * 1000:.0f} ms, warm median {log['warm'] * 1000:.0f} ms (budget ≤ 500 ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="300,3000,30000,100000", help="script lengths in lines, comma-separated")
    arguments = parser.parse_args()
    asyncio.run(main([int(size) for size in arguments.sizes.split(",")]))
