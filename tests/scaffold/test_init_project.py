"""paribus init: a card drafted from what the folder shows."""

from __future__ import annotations

import tomllib
from pathlib import Path

from paribus.core.actions.init_project import init_project


def test_a_csv_gives_tabular_volume_label_and_chance(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "patients.csv").write_text(
        "id,age,diagnosis\n1,30,healthy\n2,41,sick\n3,52,healthy\n4,60,healthy\n"
    )
    (tmp_path / "train_model.py").write_text("")
    text = init_project(tmp_path)
    card = tomllib.loads(text)
    assert card["data"] == {"type": "tabular", "volume": "4 rows in data/patients.csv", "quirks": []}
    assert card["status"] == "greenfield"
    assert card["chance"] == 0.5  # two classes: macro F1 of guessing by their shares
    assert "'diagnosis'" in text
    assert card["scripts"] == ["train_model.py"]
    assert card["task"] == "" and "TODO" in text
    assert card["log"] == "experiments.yaml"


def test_a_text_column_makes_it_a_text_project(tmp_path: Path) -> None:
    (tmp_path / "reviews.csv").write_text('text,label\n"good film",pos\n"dull",neg\n')
    assert tomllib.loads(init_project(tmp_path))["data"]["type"] == "text"


def test_class_folders_of_images_or_signals(tmp_path: Path) -> None:
    for name in ("cat", "dog"):
        (tmp_path / "data" / name).mkdir(parents=True)
        (tmp_path / "data" / name / "1.png").write_bytes(b"")
    assert tomllib.loads(init_project(tmp_path))["data"]["type"] == "image"


def test_an_empty_folder_still_gives_a_valid_card(tmp_path: Path) -> None:
    card = tomllib.loads(init_project(tmp_path))
    assert card["data"]["type"] == "other"
    assert "chance" not in card
