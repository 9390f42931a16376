"""Predictions files built from exact counts, shuffled with a fixed seed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest


def predictions_frame(blocks: list[dict], seed: int = 0) -> pd.DataFrame:
    """Each block is ``{"label", "pred", "count", **other columns}``: ``count`` identical rows."""
    rows = []
    for block in blocks:
        values = {key: value for key, value in block.items() if key != "count"}
        rows.extend([values] * block["count"])
    frame = pd.DataFrame(rows)
    frame = frame.iloc[np.random.default_rng(seed).permutation(len(frame))].reset_index(drop=True)
    frame.insert(0, "id", [f"rec{index:05d}" for index in range(len(frame))])
    return frame


@pytest.fixture
def frame_of():
    return predictions_frame


@pytest.fixture
def write_csv(tmp_path: Path):
    def write(frame: pd.DataFrame, name: str = "predictions.csv") -> Path:
        path = tmp_path / name
        frame.to_csv(path, index=False)
        return path

    return write
