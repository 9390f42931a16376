"""A small project (card, log, script) to break in the ways users and tools do."""

from __future__ import annotations

from pathlib import Path

import pytest
from broken_project import CARD, LOG, TRAIN

@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "paribus.toml").write_text(CARD, encoding="utf-8")
    (tmp_path / "experiments.yaml").write_text(LOG, encoding="utf-8")
    (tmp_path / "train.py").write_text(TRAIN, encoding="utf-8")
    return tmp_path
