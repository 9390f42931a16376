"""Seeds: part of a run's state, reported with kind ``seed`` under the name the code reads."""

from __future__ import annotations

from paribus.core.extract import diff_hyperparameters, extract_text
from paribus.core.extract.vocabulary import is_seed


def extract(source: str, path: str = "train.py"):
    return {p.name: (p.value, p.kind, p.span.line) for p in extract_text(source, path)}


def test_seed_constants_argparse_options_and_fields_keep_their_names():
    source = (
        "SEED = 42\n"
        "parser.add_argument('--seed', type=int, default=1234)\n"
        "parser.add_argument('--data-seed', type=int, default=None)\n"
        "@dataclass\n"
        "class Args:\n"
        "    random_seed: int = 7\n"
    )
    assert extract(source) == {
        "SEED": (42, "seed", 1),
        "seed": (1234, "seed", 2),
        "data_seed": (None, "seed", 3),
        "random_seed": (7, "seed", 6),
    }


def test_a_literal_passed_to_a_seeding_call_is_the_seed():
    source = (
        "import lightning as L\n"
        "import numpy as np\n"
        "L.seed_everything(42, workers=True)\n"
        "np.random.seed(0)\n"
        "torch.manual_seed(1337 + seed_offset)\n"
        "torch.manual_seed(7)\n"
    )
    assert extract(source) == {
        "seed_everything.seed": (42, "seed", 3), "np.random.seed": (0, "seed", 4),
        "manual_seed.seed": ("1337 + seed_offset", "seed", 5), "manual_seed#2.seed": (7, "seed", 6),
    }
    assert extract("transformers.set_seed(seed=5)\n") == {"set_seed.seed": (5, "seed", 1)}
    assert extract("rng = np.random.default_rng(11)\n") == {"default_rng.seed": (11, "seed", 1)}


def test_seeding_from_a_name_or_an_argument_reports_nothing_more():
    source = "SEED = 3\ntorch.manual_seed(SEED)\nnp.random.seed(args.seed)\n"
    assert extract(source) == {"SEED": (3, "seed", 1)}


def test_random_state_of_a_training_call_and_in_configs():
    source = "clf = RandomForestClassifier(n_estimators=300, random_state=0)\n"
    assert extract(source) == {
        "RandomForestClassifier.n_estimators": (300, "call", 1),
        "RandomForestClassifier.random_state": (0, "seed", 1),
    }
    assert extract("seed: 42\ntrainer:\n  max_epochs: 3\n", "config.yaml") == {
        "seed": (42, "seed", 1), "trainer.max_epochs": (3, "config", 3),
    }
    assert extract("seed_everything: true\n", "config.yaml") == {"seed_everything": (True, "seed", 1)}


def test_names_that_only_mention_seeds_are_not_seeds():
    source = "NUM_SEEDS = 5\nSEEDS = [0, 1, 2]\nSEED_DIR = 'seeds/'\nSEED = 0.5\n"
    assert extract(source) == {}
    assert not is_seed("seed_path", 3) and not is_seed("n_seeds", 3)
    assert is_seed("seed", 3) and is_seed("config.random_state", 0)


def test_a_seed_changed_with_a_learning_rate_is_two_changes():
    before = extract_text("SEED = 0\nLR = 1e-3\n", "train.py")
    after = extract_text("SEED = 1\nLR = 3e-4\n", "train.py")
    assert [(c.name, c.old, c.new, c.line) for c in diff_hyperparameters(before, after)] == [
        ("SEED", 0, 1, 1), ("LR", 0.001, 0.0003, 2),
    ]
