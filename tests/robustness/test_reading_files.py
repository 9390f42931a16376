"""Files that are not what they should be are said on the file (PB604), never skipped in
silence and never waited on: devices and FIFOs are refused before they are opened."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from paribus.core.model.files import MAX_FILE_BYTES


def check_json(project: Path, *args: str) -> tuple[int, list[dict]]:
    """`paribus check --format json` in a subprocess: a hang fails on the timeout, not forever."""
    completed = subprocess.run([sys.executable, "-m", "paribus", "check", "--format", "json", *args],
                               cwd=project, capture_output=True, text=True, timeout=60)
    assert completed.stderr == "", completed.stderr
    return completed.returncode, json.loads(completed.stdout)


def codes_at(findings: list[dict]) -> list[tuple[str, str, int, int, str]]:
    return [(f["path"], f["code"], f["line"], f["column"], f["severity"]) for f in findings]


def test_a_latin1_byte_in_a_comment_keeps_every_check_on(project: Path) -> None:
    (project / "train.py").write_bytes(b"# r\xe9glages\n" + (project / "train.py").read_bytes())
    code, findings = check_json(project)
    assert code == 1
    assert codes_at(findings) == [
        ("train.py", "PB604", 1, 4, "info"),
        ("train.py", "PB101", 5, 17, "warning"),
        ("train.py", "PB101", 7, 10, "warning"),
    ]
    assert findings[0]["message"] == ("not UTF-8: 1 byte sequence replaced by U+FFFD (first on line 1); "
                                      "the rest is checked as usual")


def test_a_script_linked_to_dev_zero_is_refused_not_read(project: Path) -> None:
    (project / "train.py").unlink()
    (project / "train.py").symlink_to("/dev/zero")
    code, findings = check_json(project)
    assert code == 1
    assert [(f["path"], f["code"], f["line"], f["severity"], f["message"]) for f in findings] == [
        ("train.py", "PB604", 1, "warning", "train.py is a device, not a file: not checked"),
    ]


def test_a_fifo_where_the_log_is_expected_is_refused_not_waited_on(project: Path) -> None:
    (project / "experiments.yaml").unlink()
    os.mkfifo(project / "experiments.yaml")
    code, findings = check_json(project)
    assert ("experiments.yaml", "PB604", 1, 1, "warning") in codes_at(findings)
    assert next(f["message"] for f in findings if f["code"] == "PB604") == "experiments.yaml is a FIFO, not a file: not checked"


def test_a_file_too_large_to_judge_is_said_never_passed(project: Path) -> None:
    (project / "train.py").write_text("LEARNING_RATE = 0.001\n" + "#" * MAX_FILE_BYTES + "\n")
    completed = subprocess.run([sys.executable, "-m", "paribus", "check"], cwd=project, capture_output=True, text=True, timeout=60)
    assert completed.returncode == 1
    assert "All checks passed" not in completed.stdout
    assert completed.stdout.splitlines()[0] == "train.py:1:1: PB604 [warning] train.py is larger than 5 MB: not checked"


def test_a_long_file_read_in_part_says_how_far(project: Path) -> None:
    from paribus.core.extract.api import MAX_CHARS

    text = (project / "train.py").read_text() + "#########\n" * (MAX_CHARS // 10 + 100)
    (project / "train.py").write_text(text)
    complete_lines = text[:MAX_CHARS].count("\n")
    code, findings = check_json(project)
    [partly] = [f for f in findings if f["code"] == "PB604"]
    assert partly["severity"] == "info"
    assert partly["message"].startswith(f"only the first {complete_lines:,} of {text.count(chr(10)) + 1:,} lines are read")
    assert partly["line"] == complete_lines + 1  # the first line not read
    assert [f["code"] for f in findings if f["path"] == "train.py"].count("PB101") == 2


def test_a_folder_named_like_a_script_is_no_file_to_read(project: Path) -> None:
    (project / "train_more.py").mkdir()
    code, findings = check_json(project)
    assert [f["path"] for f in findings if f["code"] == "PB604"] == []
    assert code == 1 and {f["code"] for f in findings} == {"PB101"}


def test_warnings_about_the_users_code_stay_off_stderr(project: Path) -> None:
    (project / "train.py").write_text((project / "train.py").read_text() + "flag = 1if LEARNING_RATE else 0\nx = '\\d'\n")
    code, findings = check_json(project)  # asserts an empty stderr
    assert [f["line"] for f in findings if f["code"] == "PB101"] == [4, 6]


def test_a_form_feed_is_no_line_break(project: Path) -> None:
    """Python and the editor see one line where `str.splitlines` sees two: a page break (^L)."""
    text = (project / "train.py").read_text().replace("LEARNING_RATE = 3e-4", "LEARNING_RATE = 3e-4  # paribus: ignore[PB101]")
    (project / "train.py").write_text(text.replace("import random\n", "import random\n\x0c\n"))
    code, findings = check_json(project)
    assert [(f["code"], f["line"], f["column"], f["end_column"]) for f in findings] == [("PB101", 7, 10, 13)]
