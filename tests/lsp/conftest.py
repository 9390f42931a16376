"""A real server subprocess per test, on a fresh copy of the fixture project."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Union

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

FIXTURE = Path(__file__).parent.parent / "fixtures" / "lsp-project"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "paribus", "lsp"]))
async def client(lsp_client: LanguageClient, project: Path):
    _read_code_actions_like_editors_do(lsp_client)
    lsp_client.set_configuration({"paribus": {"severity": {}, "lintOnChange": True}})
    await lsp_client.initialize_session(
        lsp.InitializeParams(
            capabilities=lsp.ClientCapabilities(
                workspace=lsp.WorkspaceClientCapabilities(
                    configuration=True,
                    workspace_edit=lsp.WorkspaceEditClientCapabilities(document_changes=True, resource_operations=[lsp.ResourceOperationKind.Create]),
                ),
                window=lsp.WindowClientCapabilities(show_document=lsp.ShowDocumentClientCapabilities(support=True)),
            ),
            root_uri=project.as_uri(),
            workspace_folders=[lsp.WorkspaceFolder(uri=project.as_uri(), name="project")],
        )
    )
    yield lsp_client
    await lsp_client.shutdown_session()


def _read_code_actions_like_editors_do(client: LanguageClient) -> None:
    """lsprotocol reads any item with a `command` key as a Command; editors check its type."""
    converter = client.protocol._converter

    def structure(obj, _):
        kind = lsp.Command if isinstance(obj.get("command"), str) else lsp.CodeAction
        return converter.structure(obj, kind)

    converter.register_structure_hook(Union[lsp.Command, lsp.CodeAction], structure)
