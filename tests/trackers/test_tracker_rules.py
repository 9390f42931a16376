"""PB207 (runs the log doesn't have, *Import N runs*) and PB204 (*Fill result from run*) on real stores."""

from __future__ import annotations

import yaml
from paribus.core.judgement.check import run_rules
from paribus.core.model.project import Project
from stores import RUNS, val_loss


def apply(text: str, edit) -> str:
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def offset(line: int, column: int) -> int:
        return offsets[line - 1] + column - 1 if line <= len(lines) else len(text)

    span = edit.span
    return text[: offset(span.line, span.column)] + edit.new_text + text[offset(span.end_line, span.end_column):]


def findings(folder, code):
    return run_rules(Project(folder).context(), select=[code])


def test_unimported_runs_are_reported_on_the_card_and_the_fix_writes_what_the_import_command_writes(project, cli) -> None:
    folder = project("wandb")
    found = findings(folder, "PB207")
    assert [(f.path.name, f.message) for f in found] == [
        ("paribus.toml", "4 finished W&B runs are not in the log: import them to compare the scripts with their history"),
    ]
    fix = found[0].fixes[0].resolved()
    assert fix.title == "Import 4 runs from W&B"
    (edit,) = fix.edits
    assert edit.create and edit.path == folder / "experiments.yaml"
    cli("import", "wandb", cwd=folder)
    assert edit.new_text == (folder / "experiments.yaml").read_text()
    assert findings(folder, "PB207") == []


def test_the_import_fix_appends_to_an_existing_log_in_one_edit(project) -> None:
    folder = project("mlflow")
    log = "# hand-written so far\n- id: x1\n  kind: exploration\n  conclusion: balanced classes\n"
    (folder / "experiments.yaml").write_text(log)
    (found,) = findings(folder, "PB207")
    assert (found.path.name, found.span.line) == ("experiments.yaml", 1)
    (edit,) = found.fixes[0].resolved().edits
    new_text = apply(log, edit)
    assert new_text.startswith(log)
    entries = yaml.safe_load(new_text)
    assert [e["id"] for e in entries] == ["x1", "b1", "e1", "e2", "e3"]


def test_a_pending_entry_whose_state_a_run_ran_is_filled_from_that_run(project, cli) -> None:
    folder = project("hydra")
    cli("import", "hydra", cwd=folder)
    text = (folder / "experiments.yaml").read_text()
    imported = text[: text.index("- id: e3")]
    pending = imported + "- id: e3\n  kind: experiment\n  hypothesis: A wider layer fits the long sequences.\n  change: {model.hidden: [64, 128]}\n  prediction: {metric: val_loss, direction: down}\n"
    (folder / "experiments.yaml").write_text(pending)
    (found,) = findings(folder, "PB204")
    assert found.span.line == pending.count("\n") - 4
    assert "e3 has no result, but Hydra run outputs/" in found.message and found.message.endswith("ran its state: fill it from the run")
    (edit,) = found.fixes[0].resolved().edits
    filled = yaml.safe_load(apply(pending, edit))[-1]
    run_source = yaml.safe_load(text)[-1]["source"]
    assert filled["result"]["val_loss"] == val_loss(RUNS[3])
    assert filled["source"] == run_source
    assert filled["verdict"] in ("confirmed", "refuted", "inconclusive")
    (folder / "experiments.yaml").write_text(apply(pending, edit))
    assert findings(folder, "PB204") == [] and findings(folder, "PB207") == []
