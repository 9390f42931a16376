"""A notebook in VS Code's notebook editor (code-server in Chromium, the built-in `.ipynb`
support, no Jupyter extension): the warnings sit on the cell's lines and *Revert* edits the cell.

vscode/notebook.mjs opens tests/fixtures/lsp-notebook/train.ipynb and records what the page
showed; each test asserts one behaviour on that record. Screenshots go to test-output/e2e/."""

from __future__ import annotations

import pytest
from e2e_support import E2E, REPO, SCREENSHOTS, DriverRun, run_driver
from e2e_support import driver_step as step

pytestmark = pytest.mark.e2e
FIXTURE = REPO / "tests" / "fixtures" / "lsp-notebook"
CELL_3 = [
    "# λ: learning rate, 学习率",
    "LEARNING_RATE = 3e-4",
    "parser = argparse.ArgumentParser()",
    'parser.add_argument("--hidden", help="隐藏层 🚀", default=128, type=int)',
    "args = parser.parse_args([])",
]
HINT = "\u200a "  # how an inlay hint's padding and the label's leading space render


@pytest.fixture(scope="module")
def notebook(editors_installed, python, vsix, tmp_path_factory) -> DriverRun:
    scratch = tmp_path_factory.mktemp("vscode-notebook")
    result_file = scratch / "result.json"
    command = ["node", str(E2E / "vscode" / "notebook.mjs"), "--scratch", str(scratch), "--result", str(result_file),
               "--screenshots", str(SCREENSHOTS), "--python", python, "--vsix", str(vsix), "--fixture", str(FIXTURE)]
    return run_driver(command, scratch=scratch, result_file=result_file, timeout=300)


def cell_3(cells: list[dict]) -> dict:
    """The rendered cell that holds the learning rate (cells are found by their text: the
    notebook editor renders only the cells in view)."""
    found = [cell for cell in cells if cell["lines"][:1] == CELL_3[:1]]
    assert len(found) == 1, cells
    return found[0]


def test_the_notebook_opens_in_the_notebook_editor(notebook):
    record = step(notebook, "open")
    assert record["activeTab"].startswith("train.ipynb"), record["activeTab"]
    assert len(cell_3(record["cells"])["lines"]) == len(CELL_3), record["cells"]


def test_two_changed_values_squiggle_on_their_lines_of_the_cell(notebook):
    cells = step(notebook, "diagnostics")["cells"]
    cell = cell_3(cells)
    assert cell["warnings"] == [2, 4], cells
    assert all(other["warnings"] == [] for other in cells if other is not cell), cells
    # Each changed value shows its parent value beside it (inlay hints in the cell).
    assert cell["lines"][1] == f"LEARNING_RATE = 3e-4{HINT}b1: 0.001", cell
    assert cell["lines"][3] == CELL_3[3].replace("default=128", f"default=128{HINT}b1: 64"), cell
    problems = [row for row in step(notebook, "diagnostics")["problems"] if "PB101" in row]
    assert len(problems) == 2, problems
    learning_rate, hidden = sorted(problems, key=lambda row: row.startswith("hidden"))
    assert learning_rate.startswith("LEARNING_RATE changed (0.001 → 0.0003) together with hidden"), learning_rate
    assert learning_rate.endswith("[Ln 2, Col 17]"), learning_rate
    assert hidden.startswith("hidden changed (64 → 128) together with LEARNING_RATE"), hidden
    before_value = CELL_3[3][: CELL_3[3].index("128")]
    utf16_column = len(before_value.encode("utf-16-le")) // 2 + 1  # the rocket counts twice, as VS Code counts
    assert hidden.endswith(f"[Ln 4, Col {utf16_column}]"), hidden


def test_revert_edits_the_cell_and_one_change_is_left(notebook):
    record = step(notebook, "revert")  # chose "Revert LEARNING_RATE to 0.001" in the cell's quick fixes
    cell = cell_3(record["cells"])
    expected = [line.replace("3e-4", "0.001") for line in CELL_3]
    expected[3] = expected[3].replace("default=128", f"default=128{HINT}b1: 64")  # still changed
    assert cell["lines"] == expected, cell
    # One change left: PB102 (information) on `hidden`, no warning anywhere.
    assert cell["infos"] == [4] and all(c["warnings"] == [] for c in record["cells"]), record["cells"]
    assert "Pending change: hidden — add hypothesis" in " | ".join(record["codeLenses"]), record["codeLenses"]
