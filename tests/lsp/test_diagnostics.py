"""Diagnostics from the real server: codes, exact UTF-16 ranges, cross-file re-checks."""

from __future__ import annotations

from pathlib import Path

from helpers import diagnostics_for, open_file, replace_all, utf16_column
from lsprotocol import types as lsp


async def test_two_changed_hyperparameters_warn_on_each_line(client, project: Path) -> None:
    uri = await open_file(client, project / "train.py", "python")
    found = await diagnostics_for(client, uri, where=lambda d: len(d) == 2)
    lines = (project / "train.py").read_text(encoding="utf-8").split("\n")
    hidden_line = lines[14]
    start = utf16_column(hidden_line, hidden_line.index("128"))
    assert start == hidden_line.index("128") + 1  # the rocket before it is two UTF-16 units
    assert [(d.code, d.severity, d.range) for d in found] == [
        ("PB101", lsp.DiagnosticSeverity.Warning, lsp.Range(start=lsp.Position(line=8, character=16), end=lsp.Position(line=8, character=20))),
        ("PB101", lsp.DiagnosticSeverity.Warning, lsp.Range(start=lsp.Position(line=14, character=start), end=lsp.Position(line=14, character=start + 3))),
    ]
    assert found[0].message.startswith("LEARNING_RATE changed (0.001 → 0.0003) together with hidden")
    assert all(d.source == "paribus" for d in found)


async def test_revert_one_leaves_a_single_change(client, project: Path) -> None:
    uri = await open_file(client, project / "train.py", "python")
    await diagnostics_for(client, uri, where=lambda d: len(d) == 2)
    text = (project / "train.py").read_text(encoding="utf-8").replace("default=128", "default=64")
    replace_all(client, uri, 2, text)
    found = await diagnostics_for(client, uri, where=lambda d: [x.code for x in d] == ["PB102"])
    assert found[0].range.start.line == 8
    assert found[0].severity == lsp.DiagnosticSeverity.Information


async def test_log_edit_rechecks_the_open_script(client, project: Path) -> None:
    script = await open_file(client, project / "train.py", "python")
    await diagnostics_for(client, script, where=lambda d: len(d) == 2)
    log_uri = await open_file(client, project / "experiments.yaml", "yaml")
    text = (project / "experiments.yaml").read_text(encoding="utf-8").replace("hidden: 64", "hidden: 128")
    replace_all(client, log_uri, 2, text)
    found = await diagnostics_for(client, script, where=lambda d: [x.code for x in d] == ["PB102"])
    assert found[0].message.startswith("LEARNING_RATE changed")


async def test_half_typed_python_never_kills_the_server(client, project: Path) -> None:
    uri = await open_file(client, project / "train.py", "python")
    await diagnostics_for(client, uri, where=lambda d: len(d) == 2)
    original = (project / "train.py").read_text(encoding="utf-8")
    replace_all(client, uri, 2, original.replace("LEARNING_RATE = 3e-4", "LEARNING_RATE = 3e-").replace("args = parser", "args = parser.parse_args(("))
    await diagnostics_for(client, uri, where=lambda d: True)
    replace_all(client, uri, 3, original)
    found = await diagnostics_for(client, uri, where=lambda d: len(d) == 2 and d[0].range.start.line == 8)
    assert [d.code for d in found] == ["PB101", "PB101"]


async def test_invalid_yaml_is_an_error_on_the_log(client, project: Path) -> None:
    log_uri = await open_file(client, project / "experiments.yaml", "yaml")
    replace_all(client, log_uri, 2, "- id: b1\n  result: {val_acc: 0.7\n")
    found = await diagnostics_for(client, log_uri, where=lambda d: any(x.code == "PB601" for x in d))
    assert [(d.code, d.severity) for d in found] == [("PB601", lsp.DiagnosticSeverity.Error)]
    assert "not valid YAML" in found[0].message


async def test_non_ascii_entry_id_keeps_utf16_columns(client, project: Path) -> None:
    log_uri = await open_file(client, project / "experiments.yaml", "yaml")
    text = (project / "experiments.yaml").read_text(encoding="utf-8") + '- {id: "e🚀", kind: experimnt}\n'
    replace_all(client, log_uri, 2, text)
    found = await diagnostics_for(client, log_uri, where=lambda d: any(x.code == "PB602" for x in d))
    schema = next(d for d in found if d.code == "PB602")
    line = text.split("\n")[schema.range.start.line]
    assert schema.range.start.character == utf16_column(line, line.index("kind"))


async def test_closing_clears_the_documents_diagnostics(client, project: Path) -> None:
    uri = await open_file(client, project / "train.py", "python")
    await diagnostics_for(client, uri, where=lambda d: len(d) == 2)
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    await diagnostics_for(client, uri, where=lambda d: len(d) == 0)


async def test_severity_setting_applies_without_restart(client, project: Path) -> None:
    uri = await open_file(client, project / "train.py", "python")
    await diagnostics_for(client, uri, where=lambda d: len(d) == 2)
    client.set_configuration({"paribus": {"severity": {"PB101": "error"}}})
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings=None))
    found = await diagnostics_for(client, uri, where=lambda d: len(d) == 2 and d[0].severity == lsp.DiagnosticSeverity.Error)
    assert {d.severity for d in found} == {lsp.DiagnosticSeverity.Error}
