"""Record result, Scaffold baseline and Add error analysis: edits the editor applies (and can undo)."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import apply_text_edits, capture_edits, diagnostics_for, open_file
from lsprotocol import types as lsp


async def test_record_result_lens_fills_the_pending_entry(client, project: Path) -> None:
    edits = capture_edits(client)
    log = project / "experiments.yaml"
    pending = "- id: e1\n  kind: experiment\n  parent: b1\n  change: {LEARNING_RATE: [0.001, 0.0003]}\n  hypothesis: Smaller steps settle better.\n  prediction: {metric: val_acc, direction: up, by: 0.02}\n"
    log.write_text(log.read_text(encoding="utf-8") + pending, encoding="utf-8")
    (project / ".paribus").mkdir()
    (project / ".paribus" / "last-run.json").write_text(json.dumps({"metrics": {"train_acc": 0.88, "val_acc": 0.78}}), encoding="utf-8")
    uri = await open_file(client, log, "yaml")
    await diagnostics_for(client, uri)
    lenses = await client.text_document_code_lens_async(lsp.CodeLensParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    record = next(lens for lens in lenses if lens.command.command == "paribus.recordResult")
    assert record.command.title == "Record result (train_acc 0.88, val_acc 0.78)"
    assert record.range.start.line == log.read_text(encoding="utf-8").split("\n").index("- id: e1")
    await client.workspace_execute_command_async(lsp.ExecuteCommandParams(command=record.command.command, arguments=record.command.arguments))
    (change,) = edits[-1].document_changes
    text = apply_text_edits(log.read_text(encoding="utf-8"), change.edits)
    assert text.endswith("  prediction: {metric: val_acc, direction: up, by: 0.02}\n  result: {train_acc: 0.88, val_acc: 0.78}\n  verdict: confirmed\n")
    assert text.startswith("# Experiment log\n")  # the user's comment is kept


async def test_scaffold_baseline_creates_script_and_entry(client, project: Path) -> None:
    edits = capture_edits(client)
    (project / "experiments.yaml").unlink()
    (project / "windows.csv").write_text("id,mean_x,std_x,activity\n" + "".join(f"{i},{i % 7}.0,{i % 3}.5,{'walk' if i % 2 else 'sit'}\n" for i in range(60)), encoding="utf-8")
    await open_file(client, project / "train.py", "python")
    applied = await client.workspace_execute_command_async(lsp.ExecuteCommandParams(command="paribus.scaffoldBaseline", arguments=[{"root": str(project)}]))
    assert applied is True
    operations = edits[-1].document_changes
    created = [op.uri for op in operations if isinstance(op, lsp.CreateFile)]
    assert created == [(project / "baseline.py").as_uri(), (project / "experiments.yaml").as_uri()]
    texts = {op.text_document.uri: op.edits[0].new_text for op in operations if isinstance(op, lsp.TextDocumentEdit)}
    assert "windows.csv" in texts[(project / "baseline.py").as_uri()]
    assert texts[(project / "experiments.yaml").as_uri()].startswith("- id: b1\n  kind: baseline\n")
    assert client.shown_documents[-1].uri == (project / "baseline.py").as_uri()


async def test_a_greenfield_card_offers_to_scaffold_the_baseline(client, project: Path) -> None:
    card = project / "paribus.toml"
    card.write_text(card.read_text(encoding="utf-8").replace('status = "iterating"', 'status = "greenfield"'), encoding="utf-8")
    (project / "experiments.yaml").write_text("# nothing run yet\n", encoding="utf-8")
    uri = await open_file(client, card, "toml")
    await diagnostics_for(client, uri)
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)),
            context=lsp.CodeActionContext(diagnostics=[]),
        )
    )
    scaffold = [a for a in actions if a.title == "Scaffold baseline"]
    assert len(scaffold) == 1 and scaffold[0].command.command == "paribus.scaffoldBaseline"
