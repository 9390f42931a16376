"""Start → first diagnostics: Paribus beside a bare pygls server, started the same way.

Both are started as subprocesses by a pygls client, alternately, on the same small project
(card, log, 300-line script); the time runs from the spawn to the first publishDiagnostics
for the opened script. Prints both medians and their ratio (budget: ≤ 1.2×, DESIGN §8).
Paribus's modules are compiled to bytecode first, as an install does (pygls and lsprotocol
come compiled by pip): otherwise a checkout that never writes ``__pycache__`` compiles them
on every start.
Run: ``python bench/bench_startup.py``.
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

sys.path.insert(0, str(Path(__file__).parent))
from generated import CARD, LOG, training_script  # noqa: E402

ROUNDS = 9
BARE = [sys.executable, str(Path(__file__).parent / "bare_server.py")]
PARIBUS = [sys.executable, "-m", "paribus", "lsp"]


async def first_diagnostics(command: list[str], root: Path) -> float:
    """Seconds from spawning ``command`` to the first diagnostics of the opened script."""
    client = LanguageClient("bench", "1")
    arrived = asyncio.Event()

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        arrived.set()

    path = root / "train.py"
    started = time.perf_counter()
    await client.start_io(*command, cwd=str(root))
    await client.initialize_async(lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), root_uri=root.as_uri()))
    client.initialized(lsp.InitializedParams())
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=path.as_uri(), language_id="python", version=1, text=path.read_text())))
    await asyncio.wait_for(arrived.wait(), 60)
    elapsed = time.perf_counter() - started
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return elapsed


async def measure(rounds: int = ROUNDS) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "paribus.toml").write_text(CARD)
        (root / "experiments.yaml").write_text(LOG)
        (root / "train.py").write_text(training_script(300))
        await first_diagnostics(PARIBUS, root)  # compiled bytecode and a warm file cache for both
        await first_diagnostics(BARE, root)
        bare, paribus = [], []
        for _ in range(rounds):
            bare.append(await first_diagnostics(BARE, root))
            paribus.append(await first_diagnostics(PARIBUS, root))
    return statistics.median(bare), statistics.median(paribus)


def main() -> None:
    import compileall

    import paribus

    compileall.compile_dir(Path(paribus.__file__).parent, quiet=1)
    bare, paribus_median = asyncio.run(measure())
    print(f"Start → first diagnostics (median of {ROUNDS}, alternated): bare pygls {bare * 1000:.0f} ms,"
          f" Paribus {paribus_median * 1000:.0f} ms, ratio {paribus_median / bare:.2f}× (budget ≤ 1.2×)")


if __name__ == "__main__":
    main()
