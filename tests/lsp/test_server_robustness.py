"""The real server never leaves a request unanswered, reports a broken rule once and still
publishes the other findings, and writes nothing a command names outside the workspace."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
import pytest_lsp
from helpers import capture_edits, diagnostics_for, open_file, replace_all
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

BROKEN_RULE_SERVER = Path(__file__).parent / "broken_rule_server.py"


class RawServer:
    """The server as a subprocess spoken to in JSON-RPC bytes, as a misbehaving client would."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "paribus", "lsp"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.buffer = b""

    def send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def response(self, msg_id: int, timeout: float = 10.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            while b"\r\n\r\n" in self.buffer:
                header, rest = self.buffer.split(b"\r\n\r\n", 1)
                length = int(header.split(b"\r\n")[0].split(b":")[1])
                if len(rest) < length:
                    break
                self.buffer = rest[length:]
                message = json.loads(rest[:length])
                if message.get("id") == msg_id and "method" not in message:
                    return message
            ready, _, _ = select.select([self.process.stdout], [], [], 0.1)
            if ready:
                self.buffer += os.read(self.process.stdout.fileno(), 65536)
        raise AssertionError(f"no response to request {msg_id}")

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture
def raw_server():
    server = RawServer()
    server.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
    assert "result" in server.response(1)
    server.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    yield server
    server.close()


@pytest.mark.parametrize(("method", "params", "named"), [
    ("textDocument/hover", {"textDocument": 5, "position": {"line": "x"}}, "text_document.uri"),
    ("textDocument/codeAction", {"textDocument": {"uri": "file:///x.py"}}, "range"),
    ("textDocument/codeLens", [], "text_document"),
    ("workspace/executeCommand", {"command": "paribus.addHypothesis", "arguments": ["a", "b", "c"]}, "Expected 1 arguments"),
])
def test_a_request_with_invalid_params_gets_an_error_response(raw_server, method: str, params, named: str) -> None:
    raw_server.send({"jsonrpc": "2.0", "id": 7, "method": method, "params": params})
    answer = raw_server.response(7)
    assert answer["error"]["code"] == -32602
    assert named in answer["error"]["message"]
    raw_server.send({"jsonrpc": "2.0", "id": 8, "method": "shutdown"})
    assert raw_server.response(8)["result"] is None  # still serving


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, str(BROKEN_RULE_SERVER)]))
async def broken_client(lsp_client: LanguageClient, project: Path):
    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=lsp.ClientCapabilities(), root_uri=project.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(uri=project.as_uri(), name="project")],
    ))
    yield lsp_client
    await lsp_client.shutdown_session()


async def test_a_broken_rule_is_reported_once_and_the_other_findings_still_arrive(broken_client, project: Path) -> None:
    uri = await open_file(broken_client, project / "train.py", "python")
    found = await diagnostics_for(broken_client, uri, where=lambda d: len(d) == 2)
    assert [d.code for d in found] == ["PB101", "PB101"]
    text = (project / "train.py").read_text(encoding="utf-8")
    for version in range(2, 6):  # keystrokes: each one re-checks, and PB999 raises each time
        text += "\n"
        replace_all(broken_client, uri, version, text)
        await diagnostics_for(broken_client, uri, where=lambda d: len(d) == 2)
    reports = [m for m in broken_client.log_messages if "rule PB999 failed" in m.message]
    assert len(reports) == 1
    assert reports[0].type == lsp.MessageType.Error
    assert "ZeroDivisionError: PB999 divides by zero on purpose" in reports[0].message


async def test_commands_naming_another_root_write_nothing_and_say_why(client, project: Path, tmp_path: Path) -> None:
    edits = capture_edits(client)
    other = tmp_path / "other"
    other.mkdir()
    (other / "paribus.toml").write_text('task = "t"\ndata = { type = "tabular" }\nstatus = "greenfield"\n')
    (other / "d.csv").write_text("a,label\n1,x\n2,y\n")
    await open_file(client, project / "train.py", "python")
    for command, arguments in (("paribus.scaffoldBaseline", [{"root": str(other)}]),
                               ("paribus.createCard", [{"root": str(tmp_path)}]),
                               ("paribus.addErrorAnalysis", [{"root": str(other)}]),
                               ("paribus.addHypothesis", [(other / "train.py").as_uri()])):
        applied = await client.workspace_execute_command_async(lsp.ExecuteCommandParams(command=command, arguments=arguments))
        assert applied is False
        assert "is not in a folder of this workspace" in client.messages[-1].message or \
            "is not a folder of this workspace" in client.messages[-1].message
        assert client.messages[-1].message.endswith("; nothing written")
    assert edits == []
    assert sorted(p.name for p in other.iterdir()) == ["d.csv", "paribus.toml"]


async def test_a_card_log_outside_the_project_gets_no_fix_that_writes_it(client, project: Path, tmp_path: Path) -> None:
    edits = capture_edits(client)
    outside = tmp_path / "outside.yaml"
    outside.write_text((project / "experiments.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    card = project / "paribus.toml"
    card.write_text(card.read_text(encoding="utf-8").replace('log = "experiments.yaml"', f'log = "{outside}"'), encoding="utf-8")
    uri = await open_file(client, project / "train.py", "python")
    found = await diagnostics_for(client, uri, where=lambda d: len(d) == 2)
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=found[0].range,
        context=lsp.CodeActionContext(diagnostics=list(found)),
    ))
    titles = [action.title for action in actions]
    assert "Record as POC variant" not in titles and "Add hypothesis" not in titles
    assert any(title.startswith("Revert") for title in titles)  # edits of train.py itself stay
    applied = await client.workspace_execute_command_async(lsp.ExecuteCommandParams(command="paribus.addHypothesis", arguments=[uri]))
    assert applied is False and "outside the project folder" in client.messages[-1].message
    assert edits == []


async def test_an_impossible_date_in_the_log_is_a_diagnostic_and_the_script_is_still_checked(client, project: Path) -> None:
    log = project / "experiments.yaml"
    log.write_text(log.read_text(encoding="utf-8").replace("date: 2026-11-03", "date: 2026-13-01"), encoding="utf-8")
    script_uri = await open_file(client, project / "train.py", "python")
    log_uri = await open_file(client, log, "yaml")
    on_log = await diagnostics_for(client, log_uri, where=lambda d: len(d) == 1)
    line = log.read_text(encoding="utf-8").split("\n").index("  date: 2026-13-01")
    assert [(d.code, d.range) for d in on_log] == [
        ("PB602", lsp.Range(start=lsp.Position(line=line, character=2), end=lsp.Position(line=line, character=6))),
    ]
    assert on_log[0].message == "entry b1: `date`: 2026-13-01 is not a valid date (month must be in 1..12)"
    assert [d.code for d in await diagnostics_for(client, script_uri, where=lambda d: len(d) == 2)] == ["PB101", "PB101"]
