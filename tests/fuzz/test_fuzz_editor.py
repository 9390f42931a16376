"""Random editor sessions against the in-process server: documents opened, edited (whole and
incremental changes, ranges past the end, versions out of order), saved and closed while checks
run, and requests at any position. Afterwards: every request answered and none with an internal
error, the last diagnostics of an open document are for its current version, a closed document
shows none, and no check survived an exception (tests/conftest.py)."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

from fuzzing import FIXTURES, TOKENS, budget, mutated
from hypothesis import given
from hypothesis import strategies as st
from paribus.lsp.server import create_server

DOCUMENTS = {"train.py": "python", "experiments.yaml": "yaml", "paribus.toml": "toml"}
SEEDS = {name: (FIXTURES / "lsp-project" / name).read_text(encoding="utf-8") for name in DOCUMENTS}
REQUESTS = ["textDocument/hover", "textDocument/codeLens", "textDocument/codeAction", "textDocument/inlayHint",
            "textDocument/documentSymbol", "textDocument/completion"]

position = st.fixed_dictionaries({"line": st.integers(0, 40), "character": st.integers(0, 120)})
operation = st.one_of(
    st.tuples(st.just("open"), st.sampled_from(sorted(DOCUMENTS))),
    st.tuples(st.just("close"), st.sampled_from(sorted(DOCUMENTS))),
    st.tuples(st.just("save"), st.sampled_from(sorted(DOCUMENTS))),
    st.tuples(st.just("edit"), st.sampled_from(sorted(DOCUMENTS)), position, position,
              st.sampled_from(TOKENS) | st.text(max_size=6), st.integers(-2, 3)),
    st.tuples(st.just("replace"), st.sampled_from(sorted(DOCUMENTS)), st.integers(-2, 3)),
    st.tuples(st.just("request"), st.sampled_from(REQUESTS), st.sampled_from(sorted(DOCUMENTS)), position, position),
    st.tuples(st.just("garbage"), st.sampled_from(REQUESTS)),
    st.tuples(st.just("workflow")),
    st.tuples(st.just("pause"), st.sampled_from([0, 0, 0.001, 0.02])),
)


class Wire:
    """The client's end of the connection: every message the server sends, parsed."""

    def __init__(self) -> None:
        self.messages: list[dict] = []

    def write(self, data: bytes) -> None:
        self.messages.append(json.loads(data))

    def close(self) -> None:
        pass


async def session(root: Path, steps: list, texts: dict[str, str]) -> None:
    server = create_server()
    wire = Wire()
    server.protocol.set_writer(wire, include_headers=False)
    next_id = iter(range(1, 10_000))
    asked: list[int] = []
    versions: dict[str, int] = {}
    opened: set[str] = set()

    def send(message: dict) -> None:
        server.protocol.handle_message(json.loads(json.dumps(message), object_hook=server.protocol.structure_message))

    def request(method: str, params) -> None:
        msg_id = next(next_id)
        asked.append(msg_id)
        send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})

    def uri(name: str) -> str:
        return (root / name).as_uri()

    request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {},
                           "workspaceFolders": [{"uri": root.as_uri(), "name": "project"}]})
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    for step in steps:
        kind, name = step[0], step[1] if len(step) > 1 else None
        if kind == "open" and name not in opened:
            opened.add(name)
            versions[name] = 1
            send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
                "uri": uri(name), "languageId": DOCUMENTS[name], "version": 1, "text": texts[name]}}})
        elif kind == "close" and name in opened:
            opened.discard(name)
            send({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": uri(name)}}})
        elif kind == "save" and name in opened:
            send({"jsonrpc": "2.0", "method": "textDocument/didSave", "params": {"textDocument": {"uri": uri(name)}}})
        elif kind in ("edit", "replace") and name in opened:
            versions[name] += step[-1]  # out of order when negative or zero
            if kind == "edit":
                change = {"range": {"start": step[2], "end": step[3]}, "text": step[4]}
            else:
                change = {"text": texts[name][::-1] if step[-1] < 0 else texts[name] + "\n# more\n"}
            send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri(name), "version": versions[name]}, "contentChanges": [change]}})
        elif kind == "request":
            method, name, start, end = step[1], step[2], step[3], step[4]
            params = {"textDocument": {"uri": uri(name)}, "position": start, "range": {"start": start, "end": end},
                      "context": {"diagnostics": [], "triggerKind": 1}}
            request(method, params)
        elif kind == "garbage":
            request(step[1], {"textDocument": 7})
        elif kind == "workflow":
            request("workspace/executeCommand", {"command": "paribus.workflow", "arguments": [{"root": str(root)}]})
        elif kind == "pause":
            await asyncio.sleep(step[1])
    await settle(server, asked, wire)

    answers = {m["id"]: m for m in wire.messages if "id" in m and "method" not in m}
    assert sorted(answers) == sorted(asked), "a request was left unanswered"
    assert all(m.get("error", {}).get("code") != -32603 for m in answers.values()), [m["error"] for m in answers.values() if "error" in m]
    errors_shown = [m for m in wire.messages if m.get("method") == "window/showMessage" and m["params"]["type"] == 1]
    assert errors_shown == []
    published = {}
    for message in wire.messages:
        if message.get("method") == "textDocument/publishDiagnostics":
            published[message["params"]["uri"]] = message["params"]
    for name in DOCUMENTS:
        last = published.get(uri(name))
        if name in opened and last is not None and last.get("version") is not None:
            document = server.workspace.get_text_document(uri(name))
            assert last["version"] == document.version, f"{name}: diagnostics for version {last['version']}, document at {document.version}"
        if name not in opened and last is not None:
            assert last["diagnostics"] == [], f"{name} is closed but shows diagnostics"


async def settle(server, asked: list[int], wire: Wire, timeout: float = 30.0) -> None:
    """Wait until no check runs and every request is answered (or the time is up)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        answered = {m["id"] for m in wire.messages if "id" in m and "method" not in m}
        if not server._running and set(asked) <= answered:
            await asyncio.sleep(0.01)
            if not server._running:
                return
        await asyncio.sleep(0.005)


@budget(normal=20, long=1_500)
@given(steps=st.lists(operation, min_size=1, max_size=30),
       texts=st.fixed_dictionaries({name: mutated([seed]) for name, seed in SEEDS.items()}))
def test_random_editor_sessions(steps: list, texts: dict[str, str], tmp_path_factory) -> None:
    root = tmp_path_factory.mktemp("session") / "project"
    shutil.copytree(FIXTURES / "lsp-project", root)
    asyncio.run(session(root, steps, texts))
