"""Projects with runs really logged by MLflow, W&B, Hydra and dvclive: built once, copied per test."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from stores import build_project  # noqa: E402


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    built: dict[str, Path] = {}

    def build(kind: str) -> Path:
        if kind not in built:
            built[kind] = build_project(tmp_path_factory.mktemp(kind) / "project", kind)
        return built[kind]

    return build


@pytest.fixture
def project(generated, tmp_path):
    """``project(kind)``: a fresh copy of the generated project, for a test to change."""

    def copy(kind: str) -> Path:
        target = tmp_path / kind
        shutil.copytree(generated(kind), target, symlinks=True)
        return target

    return copy


@pytest.fixture
def cli(capsys, monkeypatch):
    """``cli(*argv, cwd=folder)``: (exit code, stdout, stderr) of the CLI run in-process."""
    from paribus.cli import main

    def run(*argv: str, cwd: Path) -> tuple[int, str, str]:
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
