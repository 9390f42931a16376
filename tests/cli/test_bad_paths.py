"""Every subcommand: a missing, empty, binary, folder, device or unwritable path is one line
`paribus: …` on stderr and exit 2 — never a traceback, never a hang, nothing written."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest


def one_line_error(run, *phrases: str) -> None:
    assert run.code == 2, run.err
    assert run.err.startswith("paribus: ") and run.err.count("\n") == 1, run.err
    for phrase in phrases:
        assert phrase in run.err, run.err


@pytest.fixture
def odd_files(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "empty.py").write_text("")
    (folder / "binary.py").write_bytes(b"\x7fELF\x02\x01\x00\x00LR = 0.1\n")
    (folder / "a-folder.py").mkdir()
    os.mkfifo(folder / "fifo.py")
    (folder / "zero.py").symlink_to("/dev/zero")
    return {p.name: p for p in folder.iterdir()}


@pytest.mark.parametrize(("name", "phrase"), [
    ("missing.py", "no such file"), ("empty.py", "is empty"), ("binary.py", "binary"),
    ("a-folder.py", "a folder"), ("fifo.py", "a FIFO"), ("zero.py", "a device"),
])
def test_params_diff_and_check_refuse_what_is_not_a_text_file(cli, odd_files, tmp_path: Path, name: str, phrase: str) -> None:
    path = str(tmp_path / "odd" / name)
    good = tmp_path / "good.py"
    good.write_text("LR = 0.1\n")
    one_line_error(cli("params", path), phrase)
    one_line_error(cli("diff", str(good), path), phrase)
    if name != "a-folder.py":  # check takes folders: it checks the project there
        one_line_error(cli("check", path), phrase)


@pytest.mark.parametrize(("name", "phrase"), [
    ("missing.csv", "no such file"), ("empty.py", "empty"), ("binary.py", "binary"),
    ("a-folder.py", "directory"), ("fifo.py", "FIFO"), ("zero.py", "device"),
])
def test_analyze_refuses_what_is_not_a_predictions_file(cli, odd_files, tmp_path: Path, name: str, phrase: str) -> None:
    one_line_error(cli("analyze", str(tmp_path / "odd" / name)), phrase)


def test_workflow_output_into_a_missing_folder_or_onto_a_folder(cli, project: Path) -> None:
    one_line_error(cli("workflow", "-o", "missing/dir/x.html", cwd=project), "missing/dir", "does not exist")
    assert not (project / "missing").exists()
    (project / "out").mkdir()
    one_line_error(cli("workflow", "-o", "out", cwd=project), "is a folder")
    one_line_error(cli("workflow", "--root", "nowhere", cwd=project), "no such folder: nowhere")


def test_workflow_output_onto_a_read_only_file_leaves_it(cli, project: Path) -> None:
    page = project / "page.html"
    page.write_text("mine\n")
    page.chmod(0o444)
    one_line_error(cli("workflow", "--format", "html", "-o", "page.html", cwd=project), "read-only")
    assert page.read_text() == "mine\n" and stat.S_IMODE(page.stat().st_mode) == 0o444


def test_workflow_output_keeps_the_mode_of_the_file_it_replaces(cli, project: Path) -> None:
    page = project / "page.txt"
    page.write_text("old\n")
    page.chmod(0o640)
    run = cli("workflow", "-o", "page.txt", cwd=project)
    assert run.code == 0 and page.read_text().startswith("Paribus")
    assert stat.S_IMODE(page.stat().st_mode) == 0o640


def test_init_in_a_read_only_folder_writes_nothing(cli, tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        one_line_error(cli("init", str(folder)), "read-only")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_record_metrics_file_must_be_a_json_text_file(cli, project: Path, odd_files, tmp_path: Path) -> None:
    (project / "experiments.yaml").write_text((project / "experiments.yaml").read_text() + "- id: e1\n  kind: experiment\n")
    before = (project / "experiments.yaml").read_bytes()
    for name, phrase in (("missing.json", "no such file"), ("empty.py", "is empty"), ("binary.py", "binary"),
                         ("a-folder.py", "a folder"), ("fifo.py", "a FIFO"), ("zero.py", "a device")):
        one_line_error(cli("record", "--metrics", str(tmp_path / "odd" / name), cwd=project), phrase)
    assert (project / "experiments.yaml").read_bytes() == before


def test_an_unexpected_error_is_one_line_and_the_traceback_only_when_asked(cli, project: Path, monkeypatch) -> None:
    import paribus.core.judgement.check as check_module

    def broken(*args, **kwargs):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(check_module, "run_rules", broken)
    run = cli("check", cwd=project)
    one_line_error(run, "unexpected error: RuntimeError: boom second line", "PARIBUS_DEBUG=1")
    monkeypatch.setenv("PARIBUS_DEBUG", "1")
    run = cli("check", cwd=project)
    assert run.code == 2 and "Traceback (most recent call last)" in run.err


@pytest.mark.parametrize(("name", "phrase"), [("empty.py", "is empty"), ("fifo.py", "a FIFO"), ("zero.py", "a device")])
def test_scaffold_data_must_be_a_file_with_something_in_it(cli, project: Path, odd_files, tmp_path: Path, name: str, phrase: str) -> None:
    one_line_error(cli("scaffold", "baseline", "--data", str(tmp_path / "odd" / name), cwd=project), phrase)
    assert not (project / "baseline.py").exists()


def test_a_refused_file_is_named_once_as_given(cli, odd_files, tmp_path: Path) -> None:
    big = tmp_path / "big.py"
    big.write_text("x = 1\n" * 1_000_000)  # 6 MB
    run = cli("params", str(big))
    assert (run.code, run.err) == (2, f"paribus: {big} is larger than 5 MB\n")
    run = cli("params", str(tmp_path / "odd" / "fifo.py"))
    assert (run.code, run.err) == (2, f"paribus: {tmp_path / 'odd' / 'fifo.py'} is a FIFO, not a file\n")
