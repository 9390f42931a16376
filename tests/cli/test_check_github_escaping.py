"""`check --format github`: one workflow command per finding, whatever the messages hold.

GitHub's workflow-command syntax (actions/toolkit `command.ts`): in the message `%`, CR and LF
are escaped as %25, %0D, %0A; in property values also `:` as %3A and `,` as %2C.
"""

from __future__ import annotations

from pathlib import Path

from paribus.cli.check import github_data, github_property

HOSTILE_LOG = """\
- id: b1
  kind: baseline
  params: {LEARNING_RATE: 0.001, BATCH_SIZE: 32, hidden: 64}
  result: {val_acc: 0.74}
- id: "x\\n::error file=evil.py::pwned\\r\\n::add-mask::%0A"
  kind: experiment
  prediction: {metric: val_acc, direction: up}
"""


def test_escaping_follows_the_workflow_command_syntax() -> None:
    assert github_data("50% of\r\nerrors: a, b") == "50%25 of%0D%0Aerrors: a, b"
    assert github_property("dir:a,b%\n.py") == "dir%3Aa%2Cb%25%0A.py"


def test_an_entry_id_with_line_breaks_cannot_emit_a_second_command(cli, project: Path) -> None:
    (project / "experiments.yaml").write_text(HOSTILE_LOG)
    run = cli("check", "--format", "github", "--select", "PB201", cwd=project)
    assert run.code == 1
    assert run.out.splitlines() == [
        "::warning file=experiments.yaml,line=5,col=3,endLine=5,endColumn=5,title=PB201::"
        "experiment x%0A::error file=evil.py::pwned%0D%0A::add-mask::%250A has no hypothesis: "
        "write what you expect and why"
    ]


def test_file_names_with_commas_and_colons_stay_one_property(cli, project: Path) -> None:
    folder = project / "a,b:c"
    folder.mkdir()
    (project / "train.py").rename(folder / "train.py")
    card = project / "paribus.toml"
    card.write_text(card.read_text().replace('scripts = ["train.py"]', 'scripts = ["a,b:c/train.py"]'))
    run = cli("check", "--format", "github", "--select", "PB101", cwd=project)
    assert run.out.splitlines()[0].startswith("::warning file=a%2Cb%3Ac/train.py,line=4,col=17,")
