"""`paribus history`: the commits that changed hyperparameters, and whether the log covers them."""

from __future__ import annotations

import json
import subprocess


def commits(folder) -> list[str]:
    return subprocess.run(["git", "log", "--reverse", "--format=%H"], cwd=folder, capture_output=True, text=True, check=True).stdout.split()


def test_each_commit_that_changed_values_is_listed_with_old_and_new_values_and_flagged_when_several(project, cli) -> None:
    folder = project("mlflow")
    _card, run1, run2, run3, run4 = commits(folder)
    code, out, _ = cli("history", cwd=folder)
    assert code == 0
    lines = out.splitlines()
    assert any(line.endswith(f"  {run3[:10]}  run 3: learning_rate=0.0003, batch_size=64, dropout=0.3, hidden=64  [no log entry]  ⚠ 2 changes at once") for line in lines)
    assert "    train.py: BATCH_SIZE 32 → 64" in lines and "    train.py: DROPOUT 0.1 → 0.3" in lines
    assert "    train.py: LEARNING_RATE 0.001 → 0.0003" in lines and "    train.py: HIDDEN 64 → 128" in lines
    assert "    train.py: created" in lines
    assert lines[-1] == "4 commits changed hyperparameters; 1 changed more than one; 4 have no log entry."

    cli("import", "mlflow", cwd=folder)
    code, out, _ = cli("history", "--format", "json", cwd=folder)
    listed = json.loads(out)["commits"]
    assert [(c["sha"], c["covered_by"], c["several"]) for c in listed] == [
        (run1, ["b1"], False), (run2, ["e1"], False), (run3, ["e2"], True), (run4, ["e3"], False),
    ]
    assert listed[2]["changes"] == [
        {"path": "train.py", "name": "BATCH_SIZE", "old": 32, "new": 64},
        {"path": "train.py", "name": "DROPOUT", "old": 0.1, "new": 0.3},
    ]


def test_since_limits_to_later_commits_and_a_bad_revision_is_an_error(project, cli) -> None:
    folder = project("hydra")
    run2 = commits(folder)[2]
    code, out, _ = cli("history", "--since", run2, "--format", "json", cwd=folder)
    listed = json.loads(out)["commits"]
    assert [c["subject"].split(":")[0] for c in listed] == ["run 3", "run 4"]
    assert [change["name"] for change in listed[0]["changes"]] == ["model.dropout", "batch_size"]
    code, _, err = cli("history", "--since", "no-such-rev", cwd=folder)
    assert code == 2 and "--since no-such-rev: no such revision" in err


def test_without_git_history_says_so(tmp_path, cli) -> None:
    (tmp_path / "train.py").write_text("LR = 0.1\n")
    code, out, _ = cli("history", cwd=tmp_path)
    assert code == 0
    assert out.startswith("No git history (") and "not a git repository" in out
