"""Code actions, commands and showDocument against the real server."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from helpers import apply_text_edits, diagnostics_for, open_file, replace_all
from lsprotocol import types as lsp


async def _actions_at(client, uri: str, line: int) -> list[lsp.CodeAction]:
    result = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=lsp.Range(start=lsp.Position(line=line, character=0), end=lsp.Position(line=line, character=0)),
            context=lsp.CodeActionContext(diagnostics=[]),
        )
    )
    return list(result or [])


def _edits_for(action: lsp.CodeAction, uri: str) -> list[lsp.TextEdit]:
    return [e for change in action.edit.document_changes if isinstance(change, lsp.TextDocumentEdit) and change.text_document.uri == uri for e in change.edits]


async def test_pb101_offers_revert_poc_and_hypothesis(client, project: Path) -> None:
    uri = await open_file(client, project / "train.py", "python")
    await diagnostics_for(client, uri, where=lambda d: len(d) == 2)
    actions = await _actions_at(client, uri, 8)
    titles = [a.title for a in actions]
    assert titles == ["Revert LEARNING_RATE to 0.001", "Record as POC variant", "Add hypothesis", "Ignore PB101 on this line"]
    revert = actions[0]
    assert revert.kind == lsp.CodeActionKind.QuickFix
    assert revert.diagnostics[0].code == "PB101"
    text = (project / "train.py").read_text(encoding="utf-8")
    assert "LEARNING_RATE = 0.001\n" in apply_text_edits(text, _edits_for(revert, uri))


async def test_add_hypothesis_appends_entry_and_shows_its_hypothesis_line(client, project: Path) -> None:
    uri = await open_file(client, project / "train.py", "python")
    await diagnostics_for(client, uri, where=lambda d: len(d) == 2)
    add = next(a for a in await _actions_at(client, uri, 8) if a.title == "Add hypothesis")
    log_path = project / "experiments.yaml"
    log_uri = log_path.as_uri()
    before = log_path.read_text(encoding="utf-8")
    after = apply_text_edits(before, _edits_for(add, log_uri))
    today = dt.date.today().isoformat()
    assert after == before + (
        "- id: e1\n"
        "  kind: experiment\n"
        f"  date: {today}\n"
        "  script: train.py\n"
        "  parent: b1\n"
        "  intervention: hyperparameters\n"
        "  change: {LEARNING_RATE: [0.001, 0.0003], hidden: [64, 128]}\n"
        "  hypothesis: \n"
        "  prediction: {metric: val_acc, direction: up}\n"
    )
    assert add.command is not None and add.command.command == "paribus.reveal"
    await client.workspace_execute_command_async(lsp.ExecuteCommandParams(command=add.command.command, arguments=add.command.arguments))
    shown = client.shown_documents[-1]
    hypothesis_line = after.split("\n").index("  hypothesis: ")
    assert shown.uri == log_uri
    assert shown.selection.start == lsp.Position(line=hypothesis_line, character=len("  hypothesis: "))

    # The user types a hypothesis: PB201 goes, the two-variable warning stays honest.
    log_doc = await open_file(client, log_path, "yaml")
    replace_all(client, log_doc, 2, after)
    found = await diagnostics_for(client, log_doc, where=lambda d: any(x.code == "PB201" for x in d))
    assert sorted(x.code for x in found) == ["PB103", "PB201", "PB301", "PB402"]  # hidden grows capacity while variance dominates
    typed = after.replace("  hypothesis: \n", "  hypothesis: A smaller learning rate stops the late-epoch oscillation.\n")
    replace_all(client, log_doc, 3, typed)
    found = await diagnostics_for(client, log_doc, where=lambda d: not any(x.code == "PB201" for x in d))
    assert sorted(x.code for x in found) == ["PB103", "PB301", "PB402"]


async def test_seed_fix_inserts_seeding_after_imports(client, project: Path) -> None:
    script = project / "train.py"
    text = script.read_text(encoding="utf-8").replace("random.seed(0)\nnp.random.seed(0)\ntorch.manual_seed(0)\n", "")
    script.write_text(text, encoding="utf-8")
    uri = await open_file(client, script, "python")
    found = await diagnostics_for(client, uri, where=lambda d: any(x.code == "PB105" for x in d))
    seed = next(d for d in found if d.code == "PB105")
    # `import torch`: random and numpy are imported, but their global generators are never called.
    assert (seed.range.start.line, seed.message) == (5, "torch not seeded: run-to-run noise will confound comparisons between runs")
    action = next(a for a in await _actions_at(client, uri, 5) if a.title == "Seed random generators")
    fixed = apply_text_edits(text, _edits_for(action, uri))
    assert "import torch\n\nSEED = 0  # fixed so that runs differ only by what the log says changed\ntorch.manual_seed(SEED)\n\n# λ" in fixed


async def test_create_card_when_there_is_none(client, project: Path) -> None:
    (project / "paribus.toml").unlink()
    uri = await open_file(client, project / "train.py", "python")
    found = await diagnostics_for(client, uri, where=lambda d: any(x.code == "PB001" for x in d))
    assert [(d.code, d.range.start.line) for d in found] == [("PB001", 0), ("PB101", 8), ("PB101", 14)]
    action = next(a for a in await _actions_at(client, uri, 0) if a.title == "Create project card")
    create, edit = action.edit.document_changes
    card_uri = (project / "paribus.toml").as_uri()
    assert isinstance(create, lsp.CreateFile) and create.uri == card_uri
    card = edit.edits[0].new_text
    assert 'status = "iterating"' in card and 'scripts = ["train.py"]' in card  # drafted from the folder: its log has a result


async def test_ignore_comment_silences_the_line(client, project: Path) -> None:
    uri = await open_file(client, project / "train.py", "python")
    await diagnostics_for(client, uri, where=lambda d: len(d) == 2)
    ignore = next(a for a in await _actions_at(client, uri, 8) if a.title == "Ignore PB101 on this line")
    text = apply_text_edits((project / "train.py").read_text(encoding="utf-8"), _edits_for(ignore, uri))
    assert "LEARNING_RATE = 3e-4  # paribus: ignore[PB101]\n" in text
    replace_all(client, uri, 2, text)
    found = await diagnostics_for(client, uri, where=lambda d: len(d) == 1)
    assert found[0].range.start.line == 14


async def test_workflow_command_returns_html_json_and_text(client, project: Path) -> None:
    await open_file(client, project / "train.py", "python")
    result = await client.workspace_execute_command_async(lsp.ExecuteCommandParams(command="paribus.workflow", arguments=[{"root": str(project)}]))
    assert [step["state"] for step in result["json"]["steps"]] == ["done", "done", "done", "attention", "todo", "attention", "todo"]
    assert result["json"]["project"]["task"] == "Classify sensor windows into four activities"
    assert "Look at what b1 gets wrong" in result["text"]
    assert "<html" in result["html"].lower() and "<script" not in result["html"].lower()
