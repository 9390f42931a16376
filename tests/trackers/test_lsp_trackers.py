"""In the editor: PB207 with *Import N runs from MLflow*, and *Record current state as baseline*."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Union

import pytest_lsp
import yaml
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

sys.path.insert(0, str(Path(__file__).parents[1] / "lsp"))
from helpers import apply_text_edits, diagnostics_for, open_file  # noqa: E402


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "paribus", "lsp"]))
async def client(lsp_client: LanguageClient, mlflow_project: Path):
    converter = lsp_client.protocol._converter
    converter.register_structure_hook(
        Union[lsp.Command, lsp.CodeAction],
        lambda obj, _: converter.structure(obj, lsp.Command if isinstance(obj.get("command"), str) else lsp.CodeAction),
    )
    await lsp_client.initialize_session(
        lsp.InitializeParams(
            capabilities=lsp.ClientCapabilities(
                workspace=lsp.WorkspaceClientCapabilities(
                    workspace_edit=lsp.WorkspaceEditClientCapabilities(document_changes=True, resource_operations=[lsp.ResourceOperationKind.Create]),
                ),
            ),
            root_uri=mlflow_project.as_uri(),
        )
    )
    yield lsp_client
    await lsp_client.shutdown_session()


import pytest  # noqa: E402


@pytest.fixture
def mlflow_project(project) -> Path:
    return project("mlflow")


async def _actions(client, uri: str, line: int = 0, only=None) -> list[lsp.CodeAction]:
    result = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=lsp.Range(start=lsp.Position(line=line, character=0), end=lsp.Position(line=line, character=0)),
            context=lsp.CodeActionContext(diagnostics=[], only=only),
        )
    )
    return list(result or [])


def _created_text(action: lsp.CodeAction, path: Path) -> str:
    changes = action.edit.document_changes
    assert any(isinstance(change, lsp.CreateFile) and change.uri == path.as_uri() for change in changes)
    edits = [e for change in changes if isinstance(change, lsp.TextDocumentEdit) and change.text_document.uri == path.as_uri() for e in change.edits]
    return apply_text_edits("", edits)


async def test_the_card_says_which_runs_the_log_lacks_and_imports_them_in_one_edit(client, mlflow_project: Path) -> None:
    card_uri = await open_file(client, mlflow_project / "paribus.toml", "toml")
    found = await diagnostics_for(client, card_uri, where=lambda d: any(x.code == "PB207" for x in d))
    (diagnostic,) = [x for x in found if x.code == "PB207"]
    assert diagnostic.severity == lsp.DiagnosticSeverity.Information
    assert diagnostic.message == "4 finished MLflow runs are not in the log: import them to compare the scripts with their history"
    (action,) = [a for a in await _actions(client, card_uri, diagnostic.range.start.line) if a.title == "Import 4 runs from MLflow"]
    entries = yaml.safe_load(_created_text(action, mlflow_project / "experiments.yaml"))
    assert [(e["id"], e["kind"], e.get("parent")) for e in entries] == [("b1", "baseline", None), ("e1", "experiment", "b1"), ("e2", "experiment", "e1"), ("e3", "experiment", "e2")]


async def test_a_script_with_no_log_offers_record_current_state_as_baseline(client, mlflow_project: Path) -> None:
    uri = await open_file(client, mlflow_project / "train.py", "python")
    await diagnostics_for(client, uri)
    (action,) = [a for a in await _actions(client, uri, only=[lsp.CodeActionKind.Source]) if a.title == "Record current state as baseline"]
    assert action.kind == "source.paribus.recordBaseline"
    (entry,) = yaml.safe_load(_created_text(action, mlflow_project / "experiments.yaml"))
    assert (entry["id"], entry["kind"], entry["script"]) == ("b1", "baseline", "train.py")
    assert entry["params"] == {"LEARNING_RATE": 0.0003, "BATCH_SIZE": 64, "DROPOUT": 0.3, "HIDDEN": 128, "SEED": 0, "epochs": 3}  # `for epoch in range(3)`
    lenses = await client.text_document_code_lens_async(lsp.CodeLensParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert "Record current state as baseline" in [lens.command.title for lens in lenses if lens.command]
