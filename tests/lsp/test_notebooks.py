"""A notebook open in a notebook editor, against the real server: findings, fixes, hover, inlay
hints and CodeLens on its cells (LSP notebook document sync, cells as `vscode-notebook-cell:`
documents, as VS Code sends them)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import apply_text_edits, diagnostics_for, open_file, utf16_column
from lsprotocol import types as lsp

FIXTURE = Path(__file__).parent.parent / "fixtures" / "lsp-notebook"
# Cell 3 of the fixture notebook, as the notebook editor holds it (no final newline).
CELL_3 = (
    "# λ: learning rate, 学习率\n"
    "LEARNING_RATE = 3e-4\n"
    "parser = argparse.ArgumentParser()\n"
    'parser.add_argument("--hidden", help="隐藏层 🚀", default=128, type=int)\n'
    "args = parser.parse_args([])"
)
HIDDEN_LINE = CELL_3.split("\n")[3]
HIDDEN_START = utf16_column(HIDDEN_LINE, HIDDEN_LINE.index("128"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    return root


def _cell_uri(notebook: Path, index: int) -> str:
    """How VS Code names a cell: the notebook's path and a fragment for the cell (percent-encoded)."""
    return f"vscode-notebook-cell:{notebook.as_posix()}#W{index}sZmlsZQ%3D%3D"


def _cell(uri: str, kind: str, text: str, version: int = 1) -> tuple[lsp.NotebookCell, lsp.TextDocumentItem]:
    cell_kind = lsp.NotebookCellKind.Code if kind == "code" else lsp.NotebookCellKind.Markup
    language = "python" if kind == "code" else "markdown"
    return lsp.NotebookCell(kind=cell_kind, document=uri), lsp.TextDocumentItem(uri=uri, language_id=language, version=version, text=text)


def open_notebook(client, path: Path, python_only: bool = False) -> list[str]:
    """Open the notebook file in the notebook editor: every cell in order (VS Code sends only the
    cells the server's selector names: Python ones). Returns the URIs of all the file's cells."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    every = [_cell(_cell_uri(path, index), cell["cell_type"], "".join(cell["source"])) for index, cell in enumerate(cells)]
    opened = [(cell, document) for cell, document in every if document.language_id == "python" or not python_only]
    client.notebook_document_did_open(
        lsp.DidOpenNotebookDocumentParams(
            notebook_document=lsp.NotebookDocument(uri=path.as_uri(), notebook_type="jupyter-notebook", version=0, cells=[cell for cell, _ in opened]),
            cell_text_documents=[document for _, document in opened],
        )
    )
    return [document.uri for _, document in every]


def _change(client, path: Path, version: int, cells: lsp.NotebookDocumentCellChanges) -> None:
    client.notebook_document_did_change(
        lsp.DidChangeNotebookDocumentParams(
            notebook_document=lsp.VersionedNotebookDocumentIdentifier(version=version, uri=path.as_uri()),
            change=lsp.NotebookDocumentChangeEvent(cells=cells),
        )
    )


def _range(line: int, start: int, end: int) -> lsp.Range:
    return lsp.Range(start=lsp.Position(line=line, character=start), end=lsp.Position(line=line, character=end))


def _edits_for(action: lsp.CodeAction, uri: str) -> list[lsp.TextEdit]:
    return [e for change in action.edit.document_changes if isinstance(change, lsp.TextDocumentEdit) and change.text_document.uri == uri for e in change.edits]


async def _actions_at(client, uri: str, line: int) -> list[lsp.CodeAction]:
    result = await client.text_document_code_action_async(
        lsp.CodeActionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), range=_range(line, 0, 0), context=lsp.CodeActionContext(diagnostics=[]))
    )
    return list(result or [])


@pytest.mark.parametrize("python_only", [False, True], ids=["all cells", "python cells as VS Code syncs them"])
async def test_two_changed_values_in_one_cell_warn_on_that_cell(client, project: Path, python_only: bool) -> None:
    cells = open_notebook(client, project / "train.ipynb", python_only)
    found = await diagnostics_for(client, cells[2], where=lambda d: len(d) == 2)
    assert [(d.code, d.severity, d.range) for d in found] == [
        ("PB101", lsp.DiagnosticSeverity.Warning, _range(1, 16, 20)),
        ("PB101", lsp.DiagnosticSeverity.Warning, _range(3, HIDDEN_START, HIDDEN_START + 3)),
    ]
    assert HIDDEN_START == HIDDEN_LINE.index("128") + 1  # the rocket before it is two UTF-16 units
    assert found[0].message.startswith("LEARNING_RATE changed (0.001 → 0.0003) together with hidden since b1")
    assert found[1].message.startswith("hidden changed (64 → 128) together with LEARNING_RATE since b1")
    # Only the cell that holds them; never the notebook file itself.
    assert not any(client.diagnostics.get(uri) for uri in (cells[0], cells[1], cells[3], cells[4]))
    assert (project / "train.ipynb").as_uri() not in client.diagnostics


async def test_revert_edits_the_cell(client, project: Path) -> None:
    cells = open_notebook(client, project / "train.ipynb", python_only=True)
    await diagnostics_for(client, cells[2], where=lambda d: len(d) == 2)
    actions = await _actions_at(client, cells[2], 1)
    assert [a.title for a in actions] == ["Revert LEARNING_RATE to 0.001", "Record as POC variant", "Add hypothesis", "Ignore PB101 on this line"]
    revert, ignore = actions[0], actions[3]
    assert revert.diagnostics[0].range == _range(1, 16, 20)
    assert [change.text_document.uri for change in revert.edit.document_changes] == [cells[2]]
    assert apply_text_edits(CELL_3, _edits_for(revert, cells[2])) == CELL_3.replace("LEARNING_RATE = 3e-4", "LEARNING_RATE = 0.001")
    assert apply_text_edits(CELL_3, _edits_for(ignore, cells[2])) == CELL_3.replace("LEARNING_RATE = 3e-4", "LEARNING_RATE = 3e-4  # paribus: ignore[PB101]")
    # The log's fixes still edit the log.
    log_uri = (project / "experiments.yaml").as_uri()
    assert [change.text_document.uri for change in actions[2].edit.document_changes] == [log_uri]
    # The other cells offer nothing.
    assert await _actions_at(client, cells[1], 5) == []


async def test_editing_a_cell_rechecks_and_new_cells_count(client, project: Path) -> None:
    path = project / "train.ipynb"
    cells = open_notebook(client, path)
    await diagnostics_for(client, cells[2], where=lambda d: len(d) == 2)

    # Type the baseline's learning rate back: one change is left (PB102 on `hidden`).
    edit = lsp.NotebookDocumentCellContentChanges(
        document=lsp.VersionedTextDocumentIdentifier(uri=cells[2], version=2),
        changes=[lsp.TextDocumentContentChangePartial(range=_range(1, 16, 20), text="0.001")],
    )
    _change(client, path, 1, lsp.NotebookDocumentCellChanges(text_content=[edit]))
    found = await diagnostics_for(client, cells[2], where=lambda d: [x.code for x in d] == ["PB102"])
    assert found[0].range == _range(3, HIDDEN_START, HIDDEN_START + 3)

    # A new code cell after the constants sets the batch size again (the run reads that binding):
    # two changes again, each on its own cell, and the cells below it keep their own positions.
    new_uri = _cell_uri(path, 9)
    new_cell, new_document = _cell(new_uri, "code", "# a bigger batch\nBATCH_SIZE = 64")
    structure = lsp.NotebookDocumentCellChangeStructure(array=lsp.NotebookCellArrayChange(start=2, delete_count=0, cells=[new_cell]), did_open=[new_document])
    _change(client, path, 2, lsp.NotebookDocumentCellChanges(structure=structure))
    on_new = await diagnostics_for(client, new_uri, where=lambda d: len(d) == 1)
    assert [(d.code, d.range) for d in on_new] == [("PB101", _range(1, 13, 15))]
    assert on_new[0].message.startswith("BATCH_SIZE changed (32 → 64) together with hidden since b1")
    found = await diagnostics_for(client, cells[2], where=lambda d: [x.code for x in d] == ["PB101"])
    assert found[0].range == _range(3, HIDDEN_START, HIDDEN_START + 3)

    # Deleting that cell takes its diagnostics with it.
    removed = lsp.NotebookDocumentCellChangeStructure(array=lsp.NotebookCellArrayChange(start=2, delete_count=1), did_close=[lsp.TextDocumentIdentifier(uri=new_uri)])
    _change(client, path, 3, lsp.NotebookDocumentCellChanges(structure=removed))
    await diagnostics_for(client, new_uri, where=lambda d: len(d) == 0)
    await diagnostics_for(client, cells[2], where=lambda d: [x.code for x in d] == ["PB102"])


async def test_closing_the_notebook_clears_its_cells(client, project: Path) -> None:
    path = project / "train.ipynb"
    cells = open_notebook(client, path)
    await diagnostics_for(client, cells[2], where=lambda d: len(d) == 2)
    client.notebook_document_did_close(
        lsp.DidCloseNotebookDocumentParams(
            notebook_document=lsp.NotebookDocumentIdentifier(uri=path.as_uri()),
            cell_text_documents=[lsp.TextDocumentIdentifier(uri=uri) for uri in cells],
        )
    )
    await diagnostics_for(client, cells[2], where=lambda d: len(d) == 0)


async def test_log_edit_rechecks_the_open_notebook(client, project: Path) -> None:
    cells = open_notebook(client, project / "train.ipynb")
    await diagnostics_for(client, cells[2], where=lambda d: len(d) == 2)
    log_path = project / "experiments.yaml"
    log_uri = await open_file(client, log_path, "yaml")
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=log_uri, version=2),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=log_path.read_text(encoding="utf-8").replace("hidden: 64", "hidden: 128"))],
        )
    )
    found = await diagnostics_for(client, cells[2], where=lambda d: [x.code for x in d] == ["PB102"])
    assert found[0].range == _range(1, 16, 20)


async def test_hover_inlay_hints_and_lenses_on_cells(client, project: Path) -> None:
    cells = open_notebook(client, project / "train.ipynb")
    await diagnostics_for(client, cells[2], where=lambda d: len(d) == 2)

    hover = await client.text_document_hover_async(lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=cells[2]), position=lsp.Position(line=1, character=17)))
    assert hover.range == _range(1, 16, 20)
    assert "**LEARNING_RATE** across runs" in hover.contents.value
    assert "| b1 | baseline | `0.001` ✎ | 0.74 |" in hover.contents.value

    whole = lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=5, character=0))
    hints = await client.text_document_inlay_hint_async(lsp.InlayHintParams(text_document=lsp.TextDocumentIdentifier(uri=cells[2]), range=whole))
    assert [(h.position, h.label) for h in hints] == [
        (lsp.Position(line=1, character=20), " b1: 0.001"),
        (lsp.Position(line=3, character=HIDDEN_START + 3), " b1: 64"),
    ]
    other = await client.text_document_inlay_hint_async(lsp.InlayHintParams(text_document=lsp.TextDocumentIdentifier(uri=cells[1]), range=whole))
    assert list(other) == []

    # The script's lenses sit over the first code cell, once.
    lenses = await client.text_document_code_lens_async(lsp.CodeLensParams(text_document=lsp.TextDocumentIdentifier(uri=cells[1])))
    assert [(lens.range.start.line, lens.command.title) for lens in lenses] == [
        (0, "Last result b1: val_acc 0.74"),
        (0, "Pending change: LEARNING_RATE, hidden — add hypothesis"),
    ]
    assert list(lenses[1].command.arguments) == [(project / "train.ipynb").as_uri()]
    assert list(await client.text_document_code_lens_async(lsp.CodeLensParams(text_document=lsp.TextDocumentIdentifier(uri=cells[2])))) == []


async def test_notebook_opened_as_json_text_shows_no_python_positions(client, project: Path) -> None:
    """Its findings are in the Python of its cells, not in the JSON lines on screen."""
    uri = await open_file(client, project / "train.ipynb", "json")
    assert list(await diagnostics_for(client, uri)) == []


async def test_notebook_that_is_not_json_gets_one_located_error(client, project: Path) -> None:
    path = project / "train.ipynb"
    text = path.read_text(encoding="utf-8")
    conflicted = text.replace('    "LEARNING_RATE = 3e-4\\n",\n', '<<<<<<< HEAD\n    "LEARNING_RATE = 3e-4\\n",\n=======\n    "LEARNING_RATE = 1e-3\\n",\n>>>>>>> tune-lr\n')
    path.write_text(conflicted, encoding="utf-8")
    marker_line = conflicted.split("\n").index("<<<<<<< HEAD")
    uri = await open_file(client, path, "json")
    found = await diagnostics_for(client, uri, where=lambda d: len(d) > 0)
    assert [(d.code, d.severity, d.range) for d in found] == [("PB605", lsp.DiagnosticSeverity.Error, _range(marker_line, 0, 0))]
    assert found[0].message == "notebook is not valid JSON: Expecting value: none of its cells is checked"


async def test_an_edited_cell_with_nothing_to_show_hears_back(client, project: Path) -> None:
    """As an edited file does: the client knows the cell's (empty) diagnostics are current."""
    path = project / "train.ipynb"
    cells = open_notebook(client, path, python_only=True)
    await diagnostics_for(client, cells[2], where=lambda d: len(d) == 2)
    assert len(client.diagnostics.pop(cells[4])) == 0  # opened with nothing to show: said once
    edit = lsp.NotebookDocumentCellContentChanges(
        document=lsp.VersionedTextDocumentIdentifier(uri=cells[4], version=2),
        changes=[lsp.TextDocumentContentChangePartial(range=_range(0, 0, 0), text="# the values the run used\n")],
    )
    _change(client, path, 1, lsp.NotebookDocumentCellChanges(text_content=[edit]))
    assert len(await diagnostics_for(client, cells[4], where=lambda d: len(d) == 0)) == 0
    assert len(client.diagnostics[cells[2]]) == 2  # the cell with findings keeps them
