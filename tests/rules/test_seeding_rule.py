"""PB105: what counts as seeding, which scripts are judged, and the exact seeding the fix inserts."""

from __future__ import annotations

from pathlib import Path

import pytest
from paribus.core.judgement.check import run_rules
from paribus.core.model.project import Project

from rule_helpers import check, fixed

MESSAGE = "not seeded: run-to-run noise will confound comparisons between runs"


def _found(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, int, str]]:
    return [(f.path.relative_to(tmp_path).as_posix(), f.span.line, f.message) for f in check(tmp_path, "PB105", files)]


def _main(body: str, imports: str = "import torch\n") -> str:
    indented = "".join(f"    {line}\n" for line in body.splitlines())
    return f"{imports}\n\ndef main():\n{indented}    model = torch.nn.Linear(4, 2)\n\n\nif __name__ == \"__main__\":\n    main()\n"


@pytest.mark.parametrize(
    ("imports", "call"),
    [
        ("import transformers\n", "transformers.set_seed(42)"),
        ("from transformers import set_seed\n", "set_seed(training_args.seed)"),
        ("from accelerate.utils import set_seed\n", "set_seed(args.seed)"),
        ("import accelerate\n", "accelerate.utils.set_seed(1)"),
        ("import pytorch_lightning as pl\n", "pl.seed_everything(7, workers=True)"),
        ("from lightning.pytorch import seed_everything\n", "seed_everything()"),
        ("from timm.utils import random_seed\n", "random_seed(args.seed, args.rank)"),
        ("from mmengine.runner import set_random_seed\n", "set_random_seed(0)"),
        ("from common import set_seed_everywhere\n", "set_seed_everywhere(cfg.seed)"),
        ("import tensorflow as tf\n", "tf.keras.utils.set_random_seed(1)"),
    ],
)
def test_library_seeding_helpers_count(tmp_path: Path, imports: str, call: str) -> None:
    assert _found(tmp_path, {"train.py": _main(call, "import torch\n" + imports)}) == []


@pytest.mark.parametrize(
    "call",
    [
        "torch.cuda.manual_seed_all(0)",  # GPU generators only: the weights are initialised on the CPU
        "torch.seed()",  # a fresh non-deterministic seed
        "random.seed()",
        "np.random.seed(None)",
        "env.seed(0)",  # one environment, not the run
        "generator = torch.Generator()\ngenerator.manual_seed(0)",
    ],
)
def test_calls_that_do_not_seed_the_run(tmp_path: Path, call: str) -> None:
    script = _main(call, "import random\n\nimport numpy as np\nimport torch\n")
    assert _found(tmp_path, {"train.py": script}) == [("train.py", 4, f"torch {MESSAGE}")]


def test_a_project_helper_counts_for_what_its_body_seeds(tmp_path: Path) -> None:
    helper = "import numpy as np\n\n\ndef fix_seeds(seed):\n    np.random.seed(seed)\n"
    files = {"train.py": _main("utils.fix_seeds(0)\nprint(np.random.rand())", "import numpy as np\nimport torch\n\nimport utils\n"), "utils.py": helper}
    assert _found(tmp_path, files) == [("train.py", 2, f"torch {MESSAGE}")]
    helper += "    import torch\n    torch.manual_seed(seed)\n"
    assert _found(tmp_path, {"utils.py": helper}) == []


def test_helpers_are_followed_through_packages_relative_imports_and_reexports(tmp_path: Path) -> None:
    files = {
        "mypkg/__init__.py": "from .utils import *\n",
        "mypkg/utils/__init__.py": "from ..common.seeding import init_run as setup\n",
        "mypkg/common/__init__.py": "",
        "mypkg/common/seeding.py": "import random\nimport numpy as np\nimport torch\n\n\ndef init_run(cfg):\n    random.seed(cfg.seed)\n    np.random.seed(cfg.seed)\n    torch.manual_seed(cfg.seed)\n",
        "tools/train_net.py": _main("mypkg.utils.setup(cfg)", "import torch\nimport mypkg.utils\n"),
        "tools/train_det.py": _main("setup(cfg)", "import torch\nfrom mypkg import setup\n"),
    }
    assert _found(tmp_path, files) == []


def test_seeding_in_a_function_the_run_never_reaches_does_not_count(tmp_path: Path) -> None:
    utils = "import torch\n\n\ndef seed_all(seed):\n    torch.manual_seed(seed)\n\n\ndef other():\n    pass\n"
    files = {"train.py": _main("utils.other()", "import torch\n\nimport utils\n"), "utils.py": utils}
    assert _found(tmp_path, files) == [("train.py", 1, f"torch {MESSAGE}")]


def test_numpy_counts_only_when_its_global_generator_is_used(tmp_path: Path) -> None:
    own_generator = "import numpy as np\n\nrng = np.random.default_rng(0)\nfor _ in range(3):\n    x = rng.normal(size=3) + np.random.Generator(np.random.PCG64(1)).random()\n"
    assert _found(tmp_path, {"train.py": own_generator}) == []
    global_generator = "import os\nfrom numpy.random import shuffle\n\nfor _ in range(3):\n    shuffle(items)\n"
    assert _found(tmp_path, {"train.py": global_generator}) == [("train.py", 2, f"numpy {MESSAGE}")]


def test_a_framework_used_only_in_a_project_module_is_named_with_that_module(tmp_path: Path) -> None:
    files = {
        "train.py": "import json\n\nfrom data import batches\n\nfor batch in batches():\n    print(json.dumps(batch))\n",
        "data.py": "import numpy as np\n\n\ndef batches():\n    return np.random.permutation(10)\n",
    }
    assert _found(tmp_path, files) == [("train.py", 3, f"numpy (through data.py) {MESSAGE}")]


def test_dataset_code_in_project_modules_is_seeded_by_torch_loader_workers(tmp_path: Path) -> None:
    data = "import random\nimport numpy as np\n\n\nclass Crops:\n    def __getitem__(self, i):\n        return np.random.rand() + random.random()\n"
    script = "import torch\n\nfrom data import Crops\n\ntorch.manual_seed(0)\nloader = torch.utils.data.DataLoader(Crops(), num_workers=4)\nfor batch in loader:\n    pass\n"
    assert _found(tmp_path, {"train.py": script, "data.py": data}) == []
    # In the script itself the main process draws: numpy stays unseeded.
    script = script.replace("import torch\n", "import numpy as np\nimport torch\n").replace("    pass\n", "    noise = np.random.rand()\n")
    assert _found(tmp_path, {"train.py": script}) == [("train.py", 1, f"numpy {MESSAGE}")]


def test_frameworks_imported_for_logging_or_devices_draw_nothing(tmp_path: Path) -> None:
    script = (
        "import jax\nimport tensorflow as tf\nfrom torch.utils.tensorboard import SummaryWriter\n\n"
        "from buffers import Buffer\n\n"
        "tf.config.experimental.set_visible_devices([], 'GPU')\nwriter = SummaryWriter('runs')\nkey = jax.random.PRNGKey(0)\n"
        "for step in range(3):\n    Buffer().add(step)\n"
    )
    buffers = "import torch as th\n\n\nclass Buffer:\n    def add(self, x):\n        return th.as_tensor(x)\n"
    assert _found(tmp_path, {"train.py": script, "buffers.py": buffers}) == []


def test_library_modules_are_not_judged(tmp_path: Path) -> None:
    files = {
        "training/train_utils.py": "import warnings\n\nimport torch\n\nwarnings.filterwarnings('ignore')\n\n\ndef step(model):\n    return torch.randn(3)\n",
        "trainer.py": "import numpy as np\ntry:\n    import apex\nexcept ImportError:\n    print('no apex')\n\n\nclass Trainer:\n    def fit(self):\n        np.random.shuffle(self.items)\n",
    }
    assert _found(tmp_path, files) == []


def test_jax_keys_need_no_global_seed(tmp_path: Path) -> None:
    script = "import jax\nfrom jax import random\n\nkey = random.PRNGKey(0)\nfor _ in range(3):\n    key, sub = random.split(key)\n"
    assert _found(tmp_path, {"train.py": script}) == []


def test_imported_modules_are_read_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    files = {"train.py": _main("helpers.go()", "import torch\nimport helpers\n"), "helpers.py": f"open({str(marker)!r}, 'w').close()\n\n\ndef go():\n    pass\n"}
    assert _found(tmp_path, files) == [("train.py", 1, f"torch {MESSAGE}")]
    assert not marker.exists()


def test_a_cycle_of_imports_and_a_long_chain_terminate(tmp_path: Path) -> None:
    files = {f"m{index}.py": f"import m{(index + 1) % 100}\n\n\ndef f():\n    m{(index + 1) % 100}.f()\n" for index in range(100)}
    files["train.py"] = _main("m0.f()", "import torch\nimport m0\n")
    assert _found(tmp_path, files) == [("train.py", 1, f"torch {MESSAGE}")]


def test_an_edit_to_an_imported_module_is_seen_on_the_next_check(tmp_path: Path) -> None:
    seeding = "import torch\n\n\ndef set_up(seed):\n    torch.manual_seed(seed)\n"
    files = {"train.py": _main("set_up(0)", "import torch\nfrom common import set_up\n"), "common.py": seeding}
    assert _found(tmp_path, files) == []
    project = Project(tmp_path)
    (tmp_path / "common.py").write_text(seeding.replace("torch.manual_seed(seed)", "pass"), encoding="utf-8")
    assert [(f.path.name, f.span.line) for f in run_rules(project.context(), select=["PB105"])] == [("train.py", 1)]


# -- the fix --------------------------------------------------------------------------------------


def _fixed_text(tmp_path: Path, files: dict[str, str]) -> str:
    (finding,) = check(tmp_path, "PB105", files)
    return fixed(finding, "Seed random generators")


def test_fix_seeds_each_unseeded_framework_under_its_alias(tmp_path: Path) -> None:
    script = '"""Train."""\nimport numpy as np\nimport torch.nn as nn\nimport torch\n\nfor step in range(3):\n    x = np.random.rand(3)\n'
    assert _fixed_text(tmp_path, {"train.py": script}) == (
        '"""Train."""\nimport numpy as np\nimport torch.nn as nn\nimport torch\n\n'
        "SEED = 0  # fixed so that runs differ only by what the log says changed\n"
        "np.random.seed(SEED)\ntorch.manual_seed(SEED)\n"
        "\nfor step in range(3):\n    x = np.random.rand(3)\n"
    )


def test_fix_imports_a_framework_the_script_reaches_only_through_its_modules(tmp_path: Path) -> None:
    files = {"train.py": "from model import Net\nfrom random import shuffle\n\nshuffle(items)\nNet().fit()\n", "model.py": "import torch\n\n\nclass Net(torch.nn.Module):\n    pass\n"}
    assert _fixed_text(tmp_path, files) == (
        "from model import Net\nfrom random import shuffle\n\n"
        "import random\nimport torch\n"
        "SEED = 0  # fixed so that runs differ only by what the log says changed\n"
        "random.seed(SEED)\ntorch.manual_seed(SEED)\n"
        "\nshuffle(items)\nNet().fit()\n"
    )


def test_fix_for_tensorflow_and_keras_and_an_existing_seed_constant(tmp_path: Path) -> None:
    script = "SEED = 1234\nimport keras\nimport tensorflow as tf\n\nmodel = tf.keras.Sequential()\nmodel.fit(x, y)\n"
    assert _fixed_text(tmp_path, {"train.py": script}) == (
        "SEED = 1234\nimport keras\nimport tensorflow as tf\n\n"
        "keras.utils.set_random_seed(SEED)\ntf.random.set_seed(SEED)\n"
        "\nmodel = tf.keras.Sequential()\nmodel.fit(x, y)\n"
    )


def test_fix_picks_a_free_name_when_random_means_jax_random(tmp_path: Path) -> None:
    script = '"""Train."""\n\n\ndef main():\n    import random as rnd\n    from jax import random\n    rnd.shuffle(items)\n\n\nif __name__ == "__main__":\n    main()\n'
    files = {"train.py": script.replace("def main", "from jax import random\n\n\ndef main")}
    assert _fixed_text(tmp_path, files) == files["train.py"].replace(
        "from jax import random\n",
        "from jax import random\n\nimport random as stdlib_random\n"
        "SEED = 0  # fixed so that runs differ only by what the log says changed\nstdlib_random.seed(SEED)\n",
        1,
    )


def test_a_reached_class_runs_its_constructor_and_the_methods_the_run_names(tmp_path: Path) -> None:
    engine = (
        "import torch\n\n\nclass Engine:\n    def __init__(self, cfg):\n        self.cfg = cfg\n\n"
        "    def seed_all(self):\n        torch.manual_seed(self.cfg.seed)\n\n    def fit(self):\n        return torch.nn.Linear(4, 2)\n"
    )
    script = "import torch\nfrom engine import Engine\n\nif __name__ == '__main__':\n    Engine(cfg).fit()\n"
    assert _found(tmp_path, {"train.py": script, "engine.py": engine}) == [("train.py", 1, f"torch {MESSAGE}")]
    engine = engine.replace("        self.cfg = cfg\n", "        self.cfg = cfg\n        self.seed_all()\n")
    assert _found(tmp_path, {"engine.py": engine}) == []


def test_a_transformers_trainer_seeds_the_run(tmp_path: Path) -> None:
    script = _main("trainer = DistillTrainer(model=model, args=TrainingArguments('out'))\ntrainer.train()", "import torch\nfrom transformers import Trainer, TrainingArguments\n")
    script += "\n\nclass DistillTrainer(Trainer):\n    def compute_loss(self, model, inputs):\n        return model(**inputs).loss\n"
    assert _found(tmp_path, {"train.py": script}) == []
    assert _found(tmp_path, {"train.py": script.replace("Trainer, TrainingArguments", "TrainingArguments\nfrom lightning import Trainer")}) == [("train.py", 1, f"torch {MESSAGE}")]


@pytest.mark.parametrize(
    ("imports", "call"),
    [
        # detectron2 seeds every generator from `cfg.SEED` (a fresh seed, logged, when it is -1).
        ("from detectron2.engine import default_setup\n", "default_setup(cfg, args)"),
        ("import detectron2.engine.defaults as defaults\n", "defaults.default_setup(cfg, args)"),
        # mmengine's Runner seeds from `randomness` when it is built.
        ("from mmengine.runner import Runner\n", "runner = Runner.from_cfg(cfg)\nrunner.train()"),
        ("from mmengine import Runner\n", "Runner(model, work_dir='out').train()"),
        ("from lightning.pytorch.cli import LightningCLI\n", "LightningCLI(Net, Data)"),
        ("from ignite.utils import manual_seed\n", "manual_seed(config['seed'])"),
    ],
)
def test_library_entry_points_that_seed_the_run_count(tmp_path: Path, imports: str, call: str) -> None:
    assert _found(tmp_path, {"train.py": _main(call, "import torch\n" + imports)}) == []


def test_lightning_cli_told_not_to_seed_leaves_the_run_unseeded(tmp_path: Path) -> None:
    imports = "import torch\nfrom lightning.pytorch.cli import LightningCLI\n"
    assert _found(tmp_path, {"train.py": _main("LightningCLI(Net, Data, seed_everything_default=False)", imports)}) == [
        ("train.py", 1, f"torch {MESSAGE}")]
    assert _found(tmp_path, {"train.py": _main("LightningCLI(Net, Data, seed_everything_default=1234)", imports)}) == []


def test_look_alike_library_names_do_not_seed(tmp_path: Path) -> None:
    script = _main("runner = Runner(cfg)\nsetup(cfg)", "import torch\nfrom mmengine.runner import LogProcessor\nfrom detectron2.engine import DefaultTrainer as Runner\nfrom detectron2.config import get_cfg as setup\n")
    assert _found(tmp_path, {"train.py": script}) == [("train.py", 1, f"torch {MESSAGE}")]


_TYPER = (
    "import torch\nimport typer\n\nfrom utils import set_seeds\n\napp = typer.Typer()\n\n\n"
    "@app.command()\ndef train_model(epochs: int = 3):\n    set_seeds()\n    model = torch.nn.Linear(4, 2)\n\n\n"
    "if __name__ == '__main__':\n    app()\n"
)
_SET_SEEDS = "import torch\n\n\ndef set_seeds(seed=42):\n    torch.manual_seed(seed)\n"


def test_a_command_registered_with_its_app_is_part_of_the_run(tmp_path: Path) -> None:
    assert _found(tmp_path, {"train.py": _TYPER, "utils.py": _SET_SEEDS}) == []
    click = _TYPER.replace("import typer", "import click").replace("app = typer.Typer()", "@click.group()\ndef app():\n    pass").replace("(epochs: int = 3)", "()")
    assert _found(tmp_path, {"train.py": click}) == []
    # The command runs unseeded when its body seeds nothing.
    assert _found(tmp_path, {"train.py": _TYPER.replace("    set_seeds()\n", "")}) == [("train.py", 1, f"torch {MESSAGE}")]


def test_fire_without_a_target_exposes_every_function_of_the_script(tmp_path: Path) -> None:
    script = "import fire\nimport torch\n\n\ndef train(seed=0):\n    torch.manual_seed(seed)\n    return torch.nn.Linear(4, 2)\n\n\nif __name__ == '__main__':\n    fire.Fire()\n"
    assert _found(tmp_path, {"train.py": script}) == []
    # Named, only that function is the run.
    script = script.replace("\n\nif __name__", "\n\ndef evaluate():\n    return torch.nn.Linear(4, 2)\n\n\nif __name__").replace("fire.Fire()", "fire.Fire(evaluate)")
    assert _found(tmp_path, {"train.py": script}) == [("train.py", 2, f"torch {MESSAGE}")]


def test_import_time_folder_setup_does_not_make_a_library_module_a_script(tmp_path: Path) -> None:
    library = (
        "from pathlib import Path\n\nimport torch\nimport mlflow\n\nMODELS_DIR = Path(__file__).parent / 'models'\n"
        "MODELS_DIR.mkdir(exist_ok=True, parents=True)\nPath('logs').mkdir(exist_ok=True)\nmlflow.set_tracking_uri('file:runs')\n\n\n"
        "def train_model(model):\n    return torch.optim.Adam(model.parameters())\n"
    )
    assert _found(tmp_path, {"utils/training_vaes.py": library}) == []
    # Work at module level still makes it a script.
    assert _found(tmp_path, {"utils/training_vaes.py": library + "\ntrain_model(torch.nn.Linear(4, 2))\n"}) == [("utils/training_vaes.py", 3, f"torch {MESSAGE}")]
