"""`paribus check` on repositories without a card or a log: every finding the card-less rules make.

Each folder under `tests/fixtures/repos/` stands for one public repository (see its README and
each folder's ORIGIN.md): written after reading the repository at a pinned commit, with its
layout, its imports and every line that decides PB105 and PB001. The expected findings below were
decided by reading the original code. The original checkouts are checked as well when
`PARIBUS_REAL_REPOS` names a folder holding them (`owner+name/`); without it those tests don't
exist, so nothing is skipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from paribus.cli import main

STAND_INS = Path(__file__).parent.parent / "fixtures" / "repos"
UNSEEDED = "not seeded: run-to-run noise will confound comparisons between runs"
NO_CARD = "No project card: describe the task, data and metric in paribus.toml"


def _check(root: Path, named: tuple[str, ...], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[tuple[str, str, int, str]]]:
    """`paribus check --format json . [entry scripts]` run in the repository: exit code and findings."""
    monkeypatch.chdir(root)
    capsys.readouterr()
    code = main(["check", "--format", "json", ".", *named])
    rows = json.loads(capsys.readouterr().out)
    return code, sorted((row["code"], Path(row["path"]).as_posix(), row["line"], row["message"]) for row in rows)


@dataclass(frozen=True)
class StandIn:
    findings: list[tuple[str, str, int, str]]  # every finding, exactly
    named: tuple[str, ...] = ()  # entry scripts named on the command line (not `train*.py`)


STAND_IN_EXPECTED = {
    # Seeded: no PB105, one PB001 on the main entry script.
    "nanogpt": StandIn([("PB001", "train.py", 1, NO_CARD)]),
    "cleanrl": StandIn([("PB001", "cleanrl/dqn_jax.py", 1, NO_CARD)], named=("cleanrl/dqn_jax.py", "cleanrl/ppo.py")),
    "timm": StandIn([("PB001", "train.py", 1, NO_CARD)]),
    "mmpretrain": StandIn([("PB001", "tools/train.py", 1, NO_CARD)]),
    "fabric-image-classifier": StandIn([("PB001", "train_fabric.py", 1, NO_CARD)]),
    "accelerate-examples": StandIn([("PB001", "nlp_example.py", 1, NO_CARD)], named=("nlp_example.py",)),
    "detr": StandIn([("PB001", "main.py", 1, NO_CARD)], named=("main.py",)),
    "made-with-ml": StandIn([("PB001", "madewithml/train.py", 1, NO_CARD)]),
    # Never seeded: PB105 at the import that brings the first unseeded framework in.
    "image-captioning": StandIn([("PB001", "train.py", 1, NO_CARD), ("PB105", "train.py", 2, f"torch {UNSEEDED}")]),
    "x-transformers": StandIn([("PB001", "train_enwik8.py", 1, NO_CARD), ("PB105", "train_enwik8.py", 4, f"random, torch {UNSEEDED}")]),
    "lightning-tensor-parallel": StandIn(
        [
            ("PB001", "examples/pytorch/tensor_parallel/train.py", 1, NO_CARD),
            ("PB105", "examples/pytorch/tensor_parallel/train.py", 1, f"torch {UNSEEDED}"),
        ]
    ),
}


def _as_checkout(tmp_path: Path, name: str) -> Path:
    """The folder copied as a repository checkout (its root is the project's), without ORIGIN.md."""
    root = tmp_path / name
    shutil.copytree(STAND_INS / name, root, ignore=shutil.ignore_patterns("ORIGIN.md"))
    (root / ".git").mkdir()
    return root


@pytest.mark.parametrize("name", sorted(STAND_IN_EXPECTED))
def test_stand_in_repository_findings(tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = _as_checkout(tmp_path, name)
    before = {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}
    expected = STAND_IN_EXPECTED[name]
    code, found = _check(root, expected.named, capsys, monkeypatch)
    assert found == sorted(expected.findings)
    assert code == (1 if any(finding[0] == "PB105" for finding in expected.findings) else 0)  # PB105 is a warning, PB001 info
    assert {path: path.read_bytes() for path in root.rglob("*") if path.is_file()} == before


def test_a_detectron2_wrapper_alone_gets_the_card_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Without `main.py` named, DETR's only `train*.py` is the detectron2 wrapper, seeded by `default_setup`."""
    assert _check(_as_checkout(tmp_path, "detr"), (), capsys, monkeypatch) == (0, [("PB001", "d2/train_net.py", 1, NO_CARD)])


def test_every_stand_in_has_its_origin() -> None:
    folders = {path.name for path in STAND_INS.iterdir() if path.is_dir() and not path.name.startswith((".", "__"))}
    assert folders == set(STAND_IN_EXPECTED)
    for folder in folders:
        origin = (STAND_INS / folder / "ORIGIN.md").read_text(encoding="utf-8")
        assert all(key in origin for key in ("- repository: https://github.com/", "- commit: ", "- license: ", "Expected:")), folder
        license_name = re.search(r"^- license: (.+)$", origin, re.MULTILINE).group(1)
        assert license_name in {"MIT", "Apache-2.0", "BSD-3-Clause"}, folder


# -- the original repositories ---------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    commit: str
    unseeded: dict[str, set[str]]  # entry script → frameworks PB105 names
    card_finding_on: str  # where the one PB001 goes
    named: tuple[str, ...] = ()  # entry scripts named on the command line (not `train*.py`)
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
        named=("cleanrl/dqn.py", "cleanrl/dqn_jax.py", "cleanrl/ppo.py", "cleanrl/sac_continuous_action.py", "cleanrl/td3_continuous_action_jax.py"),
    ),
    "huggingface+pytorch-image-models": Expected("aa4b5850c1543fa488abf260f18390eda46cf85d", {}, "train.py"),
    "ultralytics+yolov5": Expected("5081342f04fb287fc2e5f2b5a4e06752b7937b1c", {}, "train.py"),
    "open-mmlab+mmpretrain": Expected("ee7f2e88501f61aa95c742dd5f429f039935ee90", {}, "tools/train.py"),
    # tools/train.py reaches torch through mmyolo's own modules; mmengine's Runner seeds from `randomness`.
    "open-mmlab+mmyolo": Expected("8c4d9dc503dc8e327bec8147e8dc97124052f693", {}, "tools/train.py"),
    "huggingface+accelerate": Expected(
        "16cb6eb80dd9aa8b4df1a63ef57863e455d53b83", {}, "examples/complete_nlp_example.py",
        named=("examples/complete_nlp_example.py", "examples/cv_example.py", "examples/nlp_example.py"),
    ),
    "karpathy+minGPT": Expected("37baab71b9abea1b76ab957409a1cc2fbfba8a26", {}, "mingpt/trainer.py"),
    # main.py seeds torch, numpy and random; d2/train_net.py through detectron2's default_setup.
    "facebookresearch+detr": Expected("29901c51d7fe8712168b8d0d64351170bc0f83e0", {}, "main.py", named=("main.py",)),
    "facebookresearch+detectron2": Expected("02b5c4e295e990042a714712c21dc79b731e8833", {}, "tools/train_net.py"),
    "facebookresearch+dinov2": Expected("b8931f7bf91576930313be2c6d6af376033b35f0", {}, "dinov2/train/train.py"),
    "Megvii-BaseDetection+YOLOX": Expected("6ddff4824372906469a7fae2dc3206c7aa4bbaee", {}, "tools/train.py"),
    "facebookresearch+fairseq": Expected("3d262bb25690e4eb2e7d3c1309b1e9c406ca4b99", {}, "train.py"),
    "EleutherAI+gpt-neox": Expected("ea7aefd8f8e183256992d9fede4d7c71a46d67a5", {}, "train.py"),
    "DLR-RM+rl-baselines3-zoo": Expected("22e3ff2450fd92033f7f032915e1f64894a09584", {}, "train.py"),
    # src/open_clip_train/train.py is the library of main.py (no guard, no module-level work).
    "mlfoundations+open_clip": Expected("89fb801f1e6087880e951fc8354b8a2077b79c6d", {}, "src/open_clip_train/main.py", named=("src/open_clip_train/main.py",)),
    # A typer command hands the worker loop, which calls utils.set_seeds(), to Ray.
    "GokuMohandas+Made-With-ML": Expected("66e8e437115029422db1a80ff93c308cfcd82648", {}, "madewithml/train.py"),
    # utils/experiments/training_*.py are library modules that create folders when imported.
    "MachineLearningLifeScience+hdbo_benchmark": Expected(
        "67d80fda69e9cee21e9a930e3d25774cda1c39cc", {}, "src/hdbo_benchmark/experiments/training_vae_on_zinc250k/train_vae.py",
    ),
    # examples/pytorch/tensor_parallel/train.py builds an `L.Trainer` and never seeds.
    "Lightning-AI+pytorch-lightning": Expected(
        "7f0c3436cd3f6ad3753125672024fc415cbcb414", {"examples/pytorch/tensor_parallel/train.py": {"torch"}}, "examples/fabric/dcgan/train_fabric.py",
        lines={"examples/pytorch/tensor_parallel/train.py": 1},
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


_CHECKOUTS = os.environ.get("PARIBUS_REAL_REPOS")

if _CHECKOUTS:  # only where the checkouts are: a test that would skip everywhere else is not defined

    @pytest.mark.parametrize("name", sorted(name for name in REAL if (Path(_CHECKOUTS) / name).is_dir()))
    def test_real_repository_findings(name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        expected = REAL[name]
        _, found = _check(Path(_CHECKOUTS).resolve() / name, expected.named, capsys, monkeypatch)
        assert {path: _frameworks(message) for code, path, _, message in found if code == "PB105"} == expected.unseeded
        assert [path for code, path, _, _ in found if code == "PB001"] == [expected.card_finding_on]
        assert {path: line for code, path, line, _ in found if code == "PB105" and path in expected.lines} == expected.lines
        assert {code for code, *_ in found} <= {"PB001", "PB105"}
