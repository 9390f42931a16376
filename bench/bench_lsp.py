"""Language-server budgets: change → publishDiagnostics, start → first diagnostics, RSS,
and a 10,000-entry log checked by the core.

Starts the real server (`python -m paribus lsp`) as a subprocess, opens a generated
~300- and ~3,000-line training script in a small project, edits one hyperparameter value
per round and times each edit until the diagnostics for that version arrive.
Run: ``python bench/bench_lsp.py``.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

ROUNDS = 40
CARD = 'task = "Bench"\ninputs = "x"\noutputs = "y"\ndata = { type = "tabular" }\nstatus = "iterating"\nmetric = { name = "val_acc", goal = "max", target = 0.9 }\nscripts = ["train.py"]\n'
LOG = "- id: b1\n  kind: baseline\n  params: {LEARNING_RATE: 0.001, BATCH_SIZE: 32, DROPOUT: 0.1}\n  result: {train_acc: 0.8, val_acc: 0.7}\n"
HEADER = "import random\nimport numpy as np\nimport torch\nrandom.seed(0)\nnp.random.seed(0)\ntorch.manual_seed(0)\n\nLEARNING_RATE = 0.001\nBATCH_SIZE = 32\nDROPOUT = 0.1\n"
BLOCK = '''

def evaluate_{i}(model, loader, device="cpu"):
    """Evaluate block {i}."""
    model.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for inputs, labels in loader:
            outputs = model(inputs.to(device))
            correct += (outputs.argmax(1) == labels.to(device)).sum().item()
            total += labels.numel()
    return correct / max(total, 1)
'''


def script(lines: int) -> str:
    text = HEADER
    i = 0
    while text.count("\n") < lines:
        text += BLOCK.format(i=i)
        i += 1
    return text


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def measure(lines: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "paribus.toml").write_text(CARD)
        (root / "experiments.yaml").write_text(LOG)
        text = script(lines)
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
        await asyncio.wait_for(got_any.wait(), 30)
        first = arrived[1] - started
        latencies = []
        value_line = text.split("\n").index("LEARNING_RATE = 0.001")
        for version in range(2, ROUNDS + 2):
            new_value = "0.001" if version % 2 else "0.0003"
            sent = time.perf_counter()
            client.text_document_did_change(
                lsp.DidChangeTextDocumentParams(
                    text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[lsp.TextDocumentContentChangePartial(range=lsp.Range(start=lsp.Position(line=value_line, character=16), end=lsp.Position(line=value_line, character=21 if version % 2 == 0 else 22)), text=new_value)],
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


def bench_big_log(entries: int = 10_000, runs: int = 5) -> tuple[float, float]:
    from paribus.core.judgement.check import run_rules
    from paribus.core.model.log import parse_log
    from paribus.core.model.project import Project

    text = long_log(entries)
    timings = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "paribus.toml").write_text(CARD)
        (root / "experiments.yaml").write_text(text)
        (root / "train.py").write_text(script(300))
        for run in range(runs):
            parse_log.cache_clear()
            start = time.perf_counter()
            run_rules(Project(root).context())
            timings.append(time.perf_counter() - start)
    return statistics.median(timings), max(timings)


async def main() -> None:
    print("Language server (real subprocess; each edit timed until its diagnostics arrive)")
    for lines in (300, 3000):
        result = await measure(lines)
        print(f"  {lines:>5}-line script: change → diagnostics median {result['median'] * 1000:6.1f} ms, p95 {result['p95'] * 1000:6.1f} ms"
              f" | start → first diagnostics {result['first'] * 1000:6.0f} ms | server RSS {result['rss_mb']:.0f} MB")
    median, worst = bench_big_log()
    print(f"  10,000-entry log, full check: median {median * 1000:.0f} ms, max {worst * 1000:.0f} ms")


if __name__ == "__main__":
    asyncio.run(main())
