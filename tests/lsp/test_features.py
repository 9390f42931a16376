"""Hover, CodeLens, inlay hints, completion and symbols."""

from __future__ import annotations

from pathlib import Path

from helpers import diagnostics_for, open_file
from lsprotocol import types as lsp


async def test_hover_on_a_hyperparameter_shows_its_history(client, project: Path) -> None:
    uri = await open_file(client, project / "train.py", "python")
    await diagnostics_for(client, uri, where=lambda d: len(d) == 2)
    hover = await client.text_document_hover_async(lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=8, character=17)))
    assert hover.contents.kind == lsp.MarkupKind.Markdown
    assert "| b1 | baseline | `0.001` ✎ | 0.74 |  |" in hover.contents.value
    assert hover.range == lsp.Range(start=lsp.Position(line=8, character=16), end=lsp.Position(line=8, character=20))


async def test_hover_on_a_suppression_code_shows_the_rule_docs(client, project: Path) -> None:
    script = project / "train.py"
    script.write_text(script.read_text(encoding="utf-8").replace("EPOCHS = 10", "EPOCHS = 10  # paribus: ignore[PB105]"), encoding="utf-8")
    uri = await open_file(client, script, "python")
    await diagnostics_for(client, uri)
    line = script.read_text(encoding="utf-8").split("\n")[11]
    hover = await client.text_document_hover_async(lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=11, character=line.index("PB105") + 2)))
    assert hover.contents.value.startswith("**PB105** `unseeded-randomness`")
    assert "## Why is this bad?" in hover.contents.value


async def test_code_lens_over_the_script(client, project: Path) -> None:
    uri = await open_file(client, project / "train.py", "python")
    await diagnostics_for(client, uri, where=lambda d: len(d) == 2)
    lenses = await client.text_document_code_lens_async(lsp.CodeLensParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert [lens.command.title for lens in lenses] == ["Last result b1: val_acc 0.74", "Pending change: LEARNING_RATE, hidden — add hypothesis"]
    assert lenses[1].command.command == "paribus.addHypothesis"


async def test_inlay_hint_shows_the_parent_value(client, project: Path) -> None:
    uri = await open_file(client, project / "train.py", "python")
    await diagnostics_for(client, uri, where=lambda d: len(d) == 2)
    hints = await client.text_document_inlay_hint_async(
        lsp.InlayHintParams(text_document=lsp.TextDocumentIdentifier(uri=uri), range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=30, character=0)))
    )
    assert [(h.position.line, h.position.character, h.label) for h in hints] == [(8, 20, " b1: 0.001"), (14, 58, " b1: 64")]


async def test_log_completion_and_symbols(client, project: Path) -> None:
    log = project / "experiments.yaml"
    log.write_text(log.read_text(encoding="utf-8") + "- id: e1\n  kind: experiment\n  parent: \n", encoding="utf-8")
    uri = await open_file(client, log, "yaml")
    await diagnostics_for(client, uri)
    lines = log.read_text(encoding="utf-8").split("\n")
    parent_line = lines.index("  parent: ")
    items = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=parent_line, character=len("  parent: ")))
    )
    assert [i.label for i in items.items] == ["e1", "b1"]
    kind_line = lines.index("  kind: experiment")
    items = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=kind_line, character=len("  kind: ")))
    )
    assert [i.label for i in items.items] == ["exploration", "baseline", "error-analysis", "experiment", "poc", "replicate"]
    symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert [(s.name, s.detail) for s in symbols] == [("x1", "exploration: exploration"), ("b1", "baseline: baseline"), ("e1", "experiment: experiment")]
