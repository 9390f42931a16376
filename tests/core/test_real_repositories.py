"""Findings on real repositories without a card or a log: every rule that can fire there is run.

The reduced repositories under `tests/fixtures/repos/` (see their README) are always checked,
with every finding they must produce. The original repositories are checked too when
`PARIBUS_REAL_REPOS` names a folder with their checkouts (`owner+name/`); the expectations
below were decided by reading their code at the commit each names.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from paribus.core.judgement.check import run_rules
from paribus.core.model.project import Project, find_project_root

REDUCED = Path(__file__).parent.parent / "fixtures" / "repos"
UNSEEDED = "not seeded: run-to-run noise will confound comparisons between runs"
NO_CARD = "No project card: describe the task, data and metric in paribus.toml"


def _findings(root: Path, scripts: tuple[str, ...]) -> list[tuple[str, str, int, str]]:
    """What `paribus check` reports for the folder (or for the scripts named on the command line)."""
    project = Project(find_project_root(root))
    ctx = project.context(extra_scripts=[root / script for script in scripts])
    found = run_rules(ctx)
    if scripts:
        found = [f for f in found if f.path in {root / script for script in scripts}]
    return [(f.code, f.path.relative_to(root).as_posix(), f.span.line, f.message) for f in found]


# Folder → (scripts named on the command line, every finding expected).
REDUCED_EXPECTED = {
    "nanogpt": ((), [("PB001", "train.py", 1, NO_CARD)]),
    "cleanrl": (("cleanrl/dqn_jax.py", "cleanrl/ppo.py"), [("PB001", "cleanrl/dqn_jax.py", 1, NO_CARD)]),
    "timm": ((), [("PB001", "train.py", 1, NO_CARD)]),
    "yolov5": ((), [("PB001", "train.py", 1, NO_CARD)]),
    "mmpretrain": ((), [("PB001", "tools/train.py", 1, NO_CARD)]),
    "fabric-image-classifier": ((), [("PB001", "train_fabric.py", 1, NO_CARD)]),
    "accelerate-examples": (("nlp_example.py",), [("PB001", "nlp_example.py", 1, NO_CARD)]),
    "image-captioning": ((), [("PB001", "train.py", 1, NO_CARD), ("PB105", "train.py", 2, f"torch {UNSEEDED}")]),
    "x-transformers": ((), [("PB001", "train_enwik8.py", 1, NO_CARD), ("PB105", "train_enwik8.py", 4, f"random, torch {UNSEEDED}")]),
}


@pytest.mark.parametrize("name", sorted(REDUCED_EXPECTED))
def test_reduced_repository_findings(tmp_path: Path, name: str) -> None:
    root = tmp_path / name
    shutil.copytree(REDUCED / name, root, ignore=shutil.ignore_patterns("ORIGIN.md"))
    (root / ".git").mkdir()  # a checkout: the project's root is the repository's
    scripts, expected = REDUCED_EXPECTED[name]
    assert sorted(_findings(root, scripts)) == sorted(expected)


def test_every_reduced_repository_has_its_origin() -> None:
    folders = {path.name for path in REDUCED.iterdir() if path.is_dir()}
    assert folders == set(REDUCED_EXPECTED)
    for folder in folders:
        origin = (REDUCED / folder / "ORIGIN.md").read_text(encoding="utf-8")
        assert all(key in origin for key in ("- repository: https://github.com/", "- commit: ", "- license: ", "Expected:")), folder


# -- the original repositories ---------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    commit: str
    unseeded: dict[str, set[str]]  # entry script → frameworks PB105 names
    card_finding_on: str  # where the one PB001 goes
    scripts: tuple[str, ...] = ()  # named on the command line (entry scripts not called train*.py)
    lines: dict[str, int] = field(default_factory=dict)  # PB105's line where it was read


_X_TRANSFORMERS_UNSEEDED = [
    "train_belief_state.py", "train_copy.py", "train_entropy_tokenizer.py", "train_enwik8.py", "train_enwik8_lejepa_style.py",
    "train_enwik8_xm.py", "train_free.py", "train_gpt_vae.py", "train_length_extrapolate.py", "train_parity.py",
    "train_self_masked_repr.py", "train_with_muon.py", "train_xl_enwik8.py",
]

REAL = {
    "karpathy+nanoGPT": Expected("3adf61e154c3fe3fca428ad6bc3818b27a3b8291", {}, "train.py"),
    "vwxyzjn+cleanrl": Expected(
        "fe8d8a03c41a7ef5b523e2e354bd01c363e786bb", {}, "cleanrl/dqn.py",
        scripts=("cleanrl/dqn.py", "cleanrl/dqn_jax.py", "cleanrl/ppo.py", "cleanrl/sac_continuous_action.py", "cleanrl/td3_continuous_action_jax.py"),
    ),
    "huggingface+pytorch-image-models": Expected("aa4b5850c1543fa488abf260f18390eda46cf85d", {}, "train.py"),
    "ultralytics+yolov5": Expected("5081342f04fb287fc2e5f2b5a4e06752b7937b1c", {}, "train.py"),
    "open-mmlab+mmpretrain": Expected("ee7f2e88501f61aa95c742dd5f429f039935ee90", {}, "tools/train.py"),
    "huggingface+accelerate": Expected(
        "16cb6eb80dd9aa8b4df1a63ef57863e455d53b83", {}, "examples/complete_nlp_example.py",
        scripts=("examples/complete_nlp_example.py", "examples/cv_example.py", "examples/nlp_example.py"),
    ),
    "karpathy+minGPT": Expected("37baab71b9abea1b76ab957409a1cc2fbfba8a26", {}, "mingpt/trainer.py"),
    # examples/pytorch/tensor_parallel/train.py builds an `L.Trainer` and never seeds.
    "Lightning-AI+pytorch-lightning": Expected(
        "7f0c3436cd3f6ad3753125672024fc415cbcb414", {"examples/pytorch/tensor_parallel/train.py": {"torch"}}, "examples/fabric/dcgan/train_fabric.py",
    ),
    # legacy/snli/train.py never seeds; time_sequence_prediction/train.py seeds numpy and torch.
    "pytorch+examples": Expected("77f55b912142e11fcfdf5b530231fb9c52f181e8", {"legacy/snli/train.py": {"torch"}}, "time_sequence_prediction/train.py"),
    "yunjey+pytorch-tutorial": Expected(
        "0500d3df5a2a8080ccfccbc00aca0eacc21818db", {"tutorials/03-advanced/image_captioning/train.py": {"torch"}},
        "tutorials/03-advanced/image_captioning/train.py", lines={"tutorials/03-advanced/image_captioning/train.py": 2},
    ),
    # Of its 14 training scripts only train_path_star.py seeds.
    "lucidrains+x-transformers": Expected(
        "9252ed7838021ee61e6c5be0930b3a9a88efdf06", {name: {"random", "torch"} for name in _X_TRANSFORMERS_UNSEEDED}, "train_belief_state.py",
        lines={"train_enwik8.py": 14},
    ),
}


def _frameworks(message: str) -> set[str]:
    named = message.removesuffix(f" {UNSEEDED}")
    return {re.sub(r" \(through .*\)$", "", part) for part in named.split(", ")}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_repository_findings(name: str) -> None:
    folder = os.environ.get("PARIBUS_REAL_REPOS")
    if not folder or not (Path(folder) / name).is_dir():
        pytest.skip(f"no checkout of {name} (set PARIBUS_REAL_REPOS to a folder holding {name}/)")
    root = Path(folder).resolve() / name
    expected = REAL[name]
    found = _findings(root, expected.scripts) if expected.scripts else _findings(root, ())
    unseeded = {path: _frameworks(message) for code, path, _, message in found if code == "PB105"}
    assert unseeded == expected.unseeded
    assert [path for code, path, _, _ in found if code == "PB001"] == [expected.card_finding_on]
    lines = {path: line for code, path, line, _ in found if code == "PB105" and path in expected.lines}
    assert lines == expected.lines
    assert {code for code, *_ in found} <= {"PB001", "PB105"}
