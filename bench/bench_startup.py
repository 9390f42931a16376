"""Start → first diagnostics: Paribus beside a bare pygls server, started the same way.

Both are started as subprocesses by a pygls client, in turn, on the same small project
(card, log, 300-line script); the time runs from the spawn to the first publishDiagnostics
for the opened script. Prints the medians and their ratios to the bare server (budget: ≤ 1.2×,
DESIGN §8). A third server, bare pygls that also validates its settings with pydantic, shows
the floor for any server whose first check reads its inputs through pydantic.
Paribus's modules are compiled to bytecode first, as an install does (pygls and lsprotocol
come compiled by pip): otherwise a checkout that never writes ``__pycache__`` compiles them
on every start.
Beside the wall time it reports the server's own CPU time up to that moment (read from
``/proc``): on a shared machine the wall time carries other processes' load, the CPU time
does not.
Run: ``python bench/bench_startup.py``.
"""

from __future__ import annotations

import asyncio
import os
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process so far (0 where ``/proc`` is not there)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def first_diagnostics(command: list[str], root: Path) -> tuple[float, float]:
    """Seconds from spawning ``command`` to the first diagnostics of the opened script: wall
    time, and the server's CPU time."""
    client = LanguageClient("bench", "1")
    arrived = asyncio.Event()
    cpu: list[float] = []

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        if not arrived.is_set():
            cpu.append(cpu_seconds(client._server.pid))
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
    return elapsed, cpu[0]


SERVERS = {"bare pygls": BARE, "bare pygls + pydantic": [*BARE, "--pydantic"], "Paribus": PARIBUS}


async def measure(rounds: int = ROUNDS) -> dict[str, tuple[float, float]]:
    """Medians of (wall, CPU) seconds per server, started in turn, round after round."""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in SERVERS}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "paribus.toml").write_text(CARD)
        (root / "experiments.yaml").write_text(LOG)
        (root / "train.py").write_text(training_script(300))
        for command in SERVERS.values():  # compiled bytecode and a warm file cache for each
            await first_diagnostics(command, root)
        for _ in range(rounds):
            for name, command in SERVERS.items():
                samples[name].append(await first_diagnostics(command, root))
    return {name: medians(timings) for name, timings in samples.items()}


def medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(wall for wall, _ in samples), statistics.median(cpu for _, cpu in samples)


def main() -> None:
    import compileall

    import paribus

    compileall.compile_dir(Path(paribus.__file__).parent, quiet=1)
    results = asyncio.run(measure())
    bare_wall, bare_cpu = results["bare pygls"]
    print(f"Start → first diagnostics (medians of {ROUNDS}, servers in turn; budget ≤ 1.2× bare pygls):")
    for name, (wall, cpu) in results.items():
        print(f"  {name:<22} {wall * 1000:5.0f} ms ({wall / bare_wall:.2f}×)   server CPU {cpu * 1000:5.0f} ms ({cpu / bare_cpu:.2f}×)")


if __name__ == "__main__":
    main()
