"""Values compare across formats; diffs name exactly what changed."""

from __future__ import annotations

from paribus.core.extract import (
    diff_hyperparameters,
    extract_text,
    normalize_value,
    same_value,
)
from paribus.core.extract.vocabulary import is_hyperparameter, looks_like_path


def test_yaml_string_exponent_equals_python_float():
    assert same_value("5e-4", 0.0005)
    assert same_value(1e3, 1000) and same_value("1e3", 1000)
    assert same_value(True, True) and not same_value(True, 1)
    assert same_value([0.9, 0.95], (0.9, 0.95)) and not same_value([0.9], [0.9, 0.95])
    assert not same_value(0.001, 0.0011)
    assert not same_value("adam", "adamw")
    assert normalize_value("1_000") == 1000 and normalize_value(2.0) == 2


def test_yaml_config_and_python_script_agree_on_values():
    python = {p.name: p.value for p in extract_text("lr = 0.0005\nepochs = 10\n", "train.py")}
    config = {p.name: p.value for p in extract_text("lr: 5e-4\nepochs: 1e1\n", "c.yaml")}
    assert all(same_value(python[name], config[name]) for name in python)


def test_diff_reports_changed_added_and_removed_names_with_lines():
    old = extract_text("LR = 1e-3\nDROPOUT = 0.1\nEPOCHS = 5\n", "train.py")
    new = extract_text("LR = 0.001\nEPOCHS = 6\nWIDTH = 64\n", "train.py")
    changes = [(c.name, c.old, c.new, c.line) for c in diff_hyperparameters(old, new)]
    assert changes == [("DROPOUT", 0.1, None, 2), ("EPOCHS", 5, 6, 2), ("WIDTH", None, 64, 3)]


def test_vocabulary_keeps_knobs_and_drops_bookkeeping():
    keep = [("lr", 0.1), ("optimizer", "adamw"), ("drop_path", 0.1), ("scheduler.name", "cosine"),
            ("AdamW.lr", 1e-3), ("DataLoader.batch_size", 32), ("model_name_or_path", "bert-base")]
    drop = [("num_seeds", 3), ("seed_dir", "s"), ("num_workers", 4), ("log_interval", 10), ("output_dir", "out"),
            ("wandb_project", "p"), ("device", "cuda"), ("save_every", 5), ("eval_iters", 200),
            ("DataLoader.num_workers", 4), ("fp16", True), ("data", "/data/train.csv"), ("run_name", "x")]
    assert all(is_hyperparameter(name, value) for name, value in keep)
    assert not any(is_hyperparameter(name, value) for name, value in drop)
    assert looks_like_path("https://example.org/x") and looks_like_path("ckpt/model.pt")
    assert not looks_like_path("resnet50")
