"""Paribus writes only inside the project, only to YAML logs, never to a read-only file or
folder, never changes a file's mode, and writes a linked log through to its target."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from paribus.core.model.files import WriteRefused, writable_path

CARD = 'task = "t"\nlog = "{log}"\n'
PENDING = "- id: b1\n  kind: baseline\n  params: {lr: 0.1}\n"


def project_with_log(root: Path, log: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "paribus.toml").write_text(CARD.format(log=log))
    return root


def one_line_error(run, phrase: str) -> None:
    assert run.code == 2, run.err
    assert run.err.startswith("paribus: ") and run.err.count("\n") == 1 and phrase in run.err, run.err


@pytest.mark.parametrize("log", ["../outside.yaml", "{tmp}/elsewhere/outside.yaml"])
def test_a_card_log_outside_the_project_is_never_written(cli, tmp_path: Path, log: str) -> None:
    outside = tmp_path / "elsewhere" / "outside.yaml" if "{tmp}" in log else tmp_path / "outside.yaml"
    outside.parent.mkdir(exist_ok=True)
    outside.write_text(PENDING)
    root = project_with_log(tmp_path / "project", log.format(tmp=tmp_path))
    (root / "x.csv").write_text("a,label\n1,x\n")
    one_line_error(cli("record", "val_f1=0.7", cwd=root), "outside the project folder")
    one_line_error(cli("scaffold", "baseline", "--data", "x.csv", cwd=root), "outside the project folder")
    assert outside.read_text() == PENDING
    assert sorted(p.name for p in root.iterdir()) == ["paribus.toml", "x.csv"]  # no baseline.py either


def test_a_card_log_that_is_not_yaml_is_never_appended_to(cli, tmp_path: Path) -> None:
    root = project_with_log(tmp_path, "train.py")
    (root / "train.py").write_text("LR = 0.1\n")
    (root / "train.py").chmod(0o750)
    one_line_error(cli("record", "val_f1=0.7", cwd=root), "not a .yaml or .yml file")
    (root / "d.csv").write_text("a,label\n1,x\n")
    one_line_error(cli("scaffold", "baseline", "--data", "d.csv", cwd=root), "not a .yaml or .yml file")
    assert (root / "train.py").read_text() == "LR = 0.1\n"
    assert stat.S_IMODE((root / "train.py").stat().st_mode) == 0o750
    assert not (root / "baseline.py").exists()


def test_a_read_only_log_is_left_as_it_is(cli, tmp_path: Path) -> None:
    root = project_with_log(tmp_path, "experiments.yaml")
    log = root / "experiments.yaml"
    log.write_text(PENDING)
    log.chmod(0o444)
    one_line_error(cli("record", "val_f1=0.7", cwd=root), "experiments.yaml is read-only")
    (root / "d.csv").write_text("a,label\n1,x\n")
    one_line_error(cli("scaffold", "baseline", "--data", "d.csv", cwd=root), "experiments.yaml is read-only")
    assert log.read_text() == PENDING and stat.S_IMODE(log.stat().st_mode) == 0o444
    assert not (root / "baseline.py").exists()


def test_a_read_only_folder_is_left_as_it_is(cli, tmp_path: Path) -> None:
    root = project_with_log(tmp_path, "logs/experiments.yaml")
    (root / "logs").mkdir()
    log = root / "logs" / "experiments.yaml"
    log.write_text(PENDING)
    (root / "logs").chmod(0o555)
    try:
        one_line_error(cli("record", "val_f1=0.7", cwd=root), "the folder logs is read-only")
        assert log.read_text() == PENDING
        assert [p.name for p in (root / "logs").iterdir()] == ["experiments.yaml"]
    finally:
        (root / "logs").chmod(0o755)


def test_a_linked_log_is_written_through_to_its_target(cli, tmp_path: Path) -> None:
    root = project_with_log(tmp_path, "experiments.yaml")
    (root / "logs").mkdir()
    target = root / "logs" / "shared.yaml"
    target.write_text(PENDING)
    target.chmod(0o640)
    (root / "experiments.yaml").symlink_to(Path("logs") / "shared.yaml")
    run = cli("record", "val_f1=0.7", cwd=root)
    assert run.code == 0, run.err
    assert (root / "experiments.yaml").is_symlink()
    assert target.read_text() == PENDING + "  result: {val_f1: 0.7}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_link_out_of_the_project_is_not_followed_for_writing(cli, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(PENDING)
    root = project_with_log(tmp_path / "project", "experiments.yaml")
    (root / "experiments.yaml").symlink_to(outside)
    one_line_error(cli("record", "val_f1=0.7", cwd=root), "outside the project folder")
    assert outside.read_text() == PENDING


def test_scaffold_names_out_of_the_project_are_refused(cli, tmp_path: Path) -> None:
    root = project_with_log(tmp_path / "project", "experiments.yaml")
    (root / "d.csv").write_text("a,label\n1,x\n")
    one_line_error(cli("scaffold", "baseline", "--data", "d.csv", "--name", "../escape.py", cwd=root), "outside the project folder")
    assert not (tmp_path / "escape.py").exists() and not (root / "experiments.yaml").exists()


def test_the_one_judge_of_writing(tmp_path: Path) -> None:
    (tmp_path / "ok.yaml").write_text("")
    assert writable_path(tmp_path, "ok.yaml", suffixes=(".yaml",)) == (tmp_path / "ok.yaml").resolve()
    assert writable_path(tmp_path, "new.yaml") == (tmp_path / "new.yaml").resolve()
    (tmp_path / "dir.yaml").mkdir()
    for path, reason in (("../x.yaml", "outside the project"), ("/etc/hosts", "outside the project"),
                         ("dir.yaml", "is a folder"), ("no/such/x.yaml", "does not exist"), ("ok.yaml/x", "not a folder")):
        with pytest.raises(WriteRefused, match=reason):
            writable_path(tmp_path, path)


def test_import_never_writes_a_log_outside_the_project(cli, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(PENDING)
    root = project_with_log(tmp_path / "project", "../outside.yaml")
    run_folder = root / "outputs" / "2026-11-20" / "10-00-00"
    (run_folder / ".hydra").mkdir(parents=True)
    (run_folder / ".hydra" / "config.yaml").write_text("lr: 0.1\nbatch_size: 32\n")
    (run_folder / ".hydra" / "overrides.yaml").write_text("[]\n")
    (run_folder / "metrics.json").write_text('{"val_f1": 0.7}\n')
    one_line_error(cli("import", "hydra", cwd=root), "outside the project folder")
    assert outside.read_text() == PENDING
