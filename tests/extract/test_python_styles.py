"""Each declaration style, with exact names, values, kinds and spans."""

from __future__ import annotations

from paribus.core.extract import ExtractOptions, extract_text


def extract(source: str, path: str = "train.py", options: ExtractOptions | None = None):
    return {p.name: p for p in extract_text(source, path, options)}


def test_module_constants_with_annotation_and_negative_number():
    found = extract("LEARNING_RATE = 3e-4\nBATCH_SIZE: int = 32\nMIN_DELTA = -1e-3\n")
    assert found["LEARNING_RATE"].value == 0.0003
    assert found["LEARNING_RATE"].kind == "constant"
    assert (found["BATCH_SIZE"].span.line, found["BATCH_SIZE"].span.column) == (2, 19)
    assert found["MIN_DELTA"].value == -0.001 and found["MIN_DELTA"].text == "-1e-3"


def test_columns_count_code_points_after_non_ascii_text():
    source = "# λ = 3e-4 学习率\nLR = 3e-4  # λ 学习率\nε = 1e-8\nη_学习率 = 0.1\n"
    found = extract(source)
    assert (found["LR"].span.line, found["LR"].span.column, found["LR"].span.end_column) == (2, 6, 10)
    assert (found["ε"].span.column, found["ε"].span.end_column) == (5, 9)
    assert (found["η_学习率"].span.column, found["η_学习率"].text) == (9, "0.1")


def test_argparse_dest_type_actions_and_set_defaults():
    source = (
        "import argparse\n"
        "p = argparse.ArgumentParser()\n"
        "p.add_argument('--batch-size', type=int, default=32)\n"
        "p.add_argument('--wd', dest='weight_decay', type=float, default='0.1')\n"
        "p.add_argument('--no-aug', action='store_true')\n"
        "p.add_argument('--decay', action='store_false')\n"
        "p.add_argument('--log-interval', type=int, default=10)\n"
        "p.set_defaults(batch_size=64)\n"
    )
    found = extract(source)
    assert set(found) == {"batch_size", "weight_decay", "no_aug", "decay"}
    assert found["batch_size"].value == 64 and found["batch_size"].span.line == 8
    assert found["weight_decay"].value == 0.1  # argparse applies type= to string defaults
    assert (found["no_aug"].value, found["decay"].value) == (False, True)
    assert all(p.kind == "argparse" for p in found.values())


def test_argparse_defaults_from_constants_and_dicts_are_reported_once_at_the_definition():
    source = (
        "DEFAULT_LR = 3e-4\n"
        "defaults = {'dropout': 0.1}\n"
        "def add(parser):\n"
        "    parser.add_argument('--lr', type=float, default=DEFAULT_LR)\n"
        "    parser.add_argument('--dropout', type=float, default=defaults['dropout'])\n"
    )
    found = extract(source)
    assert set(found) == {"lr", "dropout"}
    assert (found["lr"].value, found["lr"].span.line, found["lr"].kind) == (0.0003, 1, "argparse")
    assert (found["dropout"].span.line, found["dropout"].span.column) == (2, 24)


def test_dataclass_fields_multiline_field_and_factory():
    source = (
        "from dataclasses import dataclass, field\n"
        "@dataclass\n"
        "class TrainArgs:\n"
        "    lr: float = field(\n"
        "        default=1e-3,\n"
        "        metadata={'help': 'step size'},\n"
        "    )\n"
        "    betas: tuple = field(default_factory=lambda: (0.9, 0.98))\n"
        "    output_dir: str = 'out'\n"
        "    epochs: int = 3\n"
    )
    found = extract(source)
    assert set(found) == {"lr", "betas", "epochs"}
    assert (found["lr"].span.line, found["lr"].span.column, found["lr"].kind) == (5, 17, "dataclass")
    assert found["betas"].value == (0.9, 0.98)


def test_config_constructor_keywords_drop_bookkeeping():
    source = "args = TrainingArguments(output_dir='o', learning_rate=2e-5, logging_steps=10, seed=1)\n"
    found = extract(source)
    assert {name: p.kind for name, p in found.items()} == {"learning_rate": "constructor", "seed": "seed"}


def test_dict_namespace_and_attribute_configs_drop_the_container_name():
    source = (
        "config = dict(lr=1e-3, optimizer=dict(name='adam', beta=0.9))\n"
        "hp = SimpleNamespace(hidden=64)\n"
        "C.model.n_layer = 12\n"
        "cfg['train']['epochs'] = 5\n"
    )
    found = extract(source)
    assert {name: p.kind for name, p in found.items()} == {
        "lr": "dict", "optimizer.name": "dict", "optimizer.beta": "dict",
        "hidden": "namespace", "model.n_layer": "attribute", "train.epochs": "dict",
    }


def test_absl_click_typer_and_fire():
    absl = extract("flags.DEFINE_integer('batch_size', 32, 'help')\nflags.DEFINE_string('workdir', '/tmp', 'h')\n")
    assert list(absl) == ["batch_size"] and absl["batch_size"].kind == "flag"
    click = extract(
        "@click.command()\n@click.option('--hidden-size', default=256)\n"
        "@click.option('--verbose', is_flag=True)\ndef main(hidden_size, verbose): pass\n"
    )
    assert list(click) == ["hidden_size"] and click["hidden_size"].kind == "click"
    fire = extract("import fire\ndef train(lr=1e-3, out_dir='o', epochs=2): pass\nfire.Fire(train)\n")
    assert {n: p.kind for n, p in fire.items()} == {"lr": "fire", "epochs": "fire"}
    typer = extract("@app.command()\ndef fit(depth: int = typer.Option(8), seed: int = 0): pass\n")
    assert {n: (p.value, p.kind) for n, p in typer.items()} == {"depth": (8, "click"), "seed": (0, "seed")}


def test_training_call_keywords_positional_names_and_duplicates():
    source = (
        "opt = optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.1)\n"
        "loader = DataLoader(ds, batch_size=64, num_workers=8, shuffle=True)\n"
        "net = nn.Sequential(nn.Linear(784, 128), nn.Dropout(0.5), nn.Linear(128, 10))\n"
        "for epoch in range(10):\n"
        "    pass\n"
    )
    found = extract(source)
    # Input sizes are the data's or the previous layer's; the output layer's width is the task's.
    assert list(found) == ["AdamW.lr", "AdamW.weight_decay", "DataLoader.batch_size", "Linear.out_features",
                           "Dropout.p", "epochs"]
    assert found["Linear.out_features"].value == 128 and found["epochs"].kind == "loop"


def test_every_call_of_a_callee_counts_for_its_number():
    source = (
        "layers = [nn.Linear(n_in, width), nn.Linear(width, 64), nn.ReLU()]\n"
        "head = nn.Sequential(nn.Linear(64, 32), nn.Linear(32, 2))\n"
    )
    assert {name: p.value for name, p in extract(source).items()} == {
        "Linear#2.out_features": 64, "Linear#3.out_features": 32,
    }


def test_call_keyword_bound_to_a_reported_name_is_not_reported_again():
    found = extract("LR = 1e-3\nopt = torch.optim.SGD(params, lr=LR, momentum=0.9)\n")
    assert list(found) == ["LR", "SGD.momentum"]


def test_paths_devices_and_workers_are_not_hyperparameters():
    source = "DATA_DIR = '/data'\nDEVICE = 'cuda'\nNUM_WORKERS = 4\nLOG_INTERVAL = 10\nDROPOUT = 0.1\n"
    assert list(extract(source)) == ["DROPOUT"]


def test_a_cap_on_a_devices_batch_is_memory_not_the_batch_size():
    source = "MAX_GPU_BATCH_SIZE = 16\nBATCH_SIZE_PER_GPU = 32\nBATCH_SIZE = 64\n"
    assert list(extract(source)) == ["BATCH_SIZE_PER_GPU", "BATCH_SIZE"]


def test_settings_of_a_benchmark_the_model_is_only_evaluated_on_are_not_hyperparameters():
    source = (
        "from dataclasses import dataclass, field\n\n\n@dataclass\nclass TrainingArguments:\n"
        "    mmlu_dataset: str = field(default='mmlu-fs')\n"
        "    max_mmlu_samples: int = field(default=None)\n"
        "    hellaswag_max_len: int = 2048\n"
        "    dataset: str = field(default='alpaca')\n"
        "    source_max_len: int = 1024\n"
    )
    assert list(extract(source)) == ["dataset", "source_max_len"]


def test_include_forces_a_name_in_and_exclude_drops_it():
    source = "SEED = 0\nDROPOUT = 0.1\nLR = 1e-3\nLOG_EVERY = 5\n"
    options = ExtractOptions(include=("LOG_*",), exclude=("DROP*", "SEED"))
    assert list(extract(source, options=options)) == ["LR", "LOG_EVERY"]


def test_local_variables_need_a_strong_name():
    found = extract("def main():\n    lr = 1e-3\n    total = 0\n    running_loss = 0.0\n")
    assert list(found) == ["lr"]


def test_nested_hyperparameter_dicts_drop_only_the_container_name():
    found = extract("hp = {'optim': {'lr': 3e-4, 'momentum': 0.9}, 'layers': [{'units': 64}, {'units': 32}]}\n")
    assert {name: p.value for name, p in found.items()} == {
        "optim.lr": 0.0003, "optim.momentum": 0.9, "layers[0].units": 64, "layers[1].units": 32,
    }


def test_layers_assigned_to_attributes_are_named_by_the_attribute():
    source = (
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        self.fc1 = nn.Linear(784, 128)\n"
        "        self.dropout2 = nn.Dropout(0.5)\n"
        "        self.head = nn.Sequential(nn.Linear(128, 64), nn.Dropout(p=0.1))\n"
    )
    found = extract(source)
    assert {name: (p.value, p.span.line) for name, p in found.items()} == {
        "fc1.out_features": (128, 3), "dropout2": (0.5, 4), "Linear.out_features": (64, 5), "Dropout.p": (0.1, 5),
    }
    inserted = source.replace("        self.fc1", "        self.fc0 = nn.Linear(10, 784)\n        self.drop = nn.Dropout(0.2)\n        self.fc1")
    renamed = extract(inserted)
    assert set(found) <= set(renamed)
    assert [renamed[name].value for name in found] == [found[name].value for name in found]


def test_constructor_signatures_a_cli_exposes():
    source = (
        "class ImageNetModel(LightningModule):\n"
        "    def __init__(self, data_path: str, arch: str = 'resnet18', weights=None, lr: float = 0.1,\n"
        "                 momentum: float = 0.9, batch_size: int = 256, workers: int = 4):\n"
        "        super().__init__()\n"
        "class Head(nn.Module):\n"
        "    def __init__(self, hidden=64):\n"
        "        super().__init__()\n"
        "class Block(nn.Module):\n"
        "    def __init__(self, heads=8):\n"
        "        super().__init__()\n"
        "def main():\n"
        "    cli = LightningCLI(ImageNetModel, seed_everything_default=42, trainer_defaults={'max_epochs': 90})\n"
        "    parser.add_class_arguments(Head, 'head')\n"
    )
    found = extract(source)
    assert {name: (p.value, p.kind, p.span.line) for name, p in found.items()} == {
        "model.arch": ("resnet18", "signature", 2),  # LightningCLI exposes it as --model.arch
        "model.weights": (None, "signature", 2),
        "model.lr": (0.1, "signature", 2),
        "model.momentum": (0.9, "signature", 3),
        "model.batch_size": (256, "signature", 3),
        "hidden": (64, "signature", 6),
        "seed_everything": (42, "seed", 12),
        "trainer.max_epochs": (90, "signature", 12),
    }


def test_argparse_args_of_lightning_1_classes():
    source = (
        "class MNISTData(LightningDataModule):\n"
        "    def __init__(self, data_dir='./', batch_size=64): ...\n"
        "class Model(nn.Module):\n"
        "    def __init__(self, hidden=32): ...\n"
        "parser = Model.add_argparse_args(parser)\n"
    )
    assert {name: p.value for name, p in extract(source).items()} == {"batch_size": 64, "hidden": 32}


def test_values_computed_at_run_time_are_not_hyperparameters():
    source = (
        "@dataclass\n"
        "class Args:\n"
        "    num_envs: int = 4\n"
        "    num_steps: int = 128\n"
        "    batch_size: int = 0\n"
        '    """the batch size (computed in runtime)"""\n'
        "    minibatch_size: int = 0\n"
        "    num_minibatches: int = 4\n"
        "    lr: float = 2.5e-4\n"
        "args = tyro.cli(Args)\n"
        "args.minibatch_size = int(args.num_envs * args.num_steps // args.num_minibatches)\n"
        "args.lr = args.lr * 2\n"
        "if args.anneal:\n"
        "    args.num_steps = args.num_steps_short * 2\n"
    )
    assert list(extract(source)) == ["num_envs", "num_steps", "num_minibatches", "lr"]


def test_string_lists_that_choose_are_hyperparameters_launchers_are_not():
    source = (
        "config = LoraConfig(r=8, lora_alpha=16, target_modules=['q_proj', 'v_proj'], lora_dropout=0.05)\n"
        "trainer = Trainer(accelerator='gpu', devices=4, num_nodes=2, strategy='ddp', max_epochs=10)\n"
        "SLURM_PARTITION = 'gpu'\nTIMEOUT_MIN = 60\nLAUNCHER = 'pytorch'\nSUMMARY_FREQ = 100\n"
    )
    assert {name: p.value for name, p in extract(source).items()} == {
        "r": 8, "lora_alpha": 16, "target_modules": ["q_proj", "v_proj"], "lora_dropout": 0.05,
        "Trainer.max_epochs": 10,
    }


def test_dataclasses_nested_under_a_name_are_dotted():
    source = (
        "@dataclass\n"
        "class OptimizerConfig:\n"
        "    name: str = 'adam'\n"
        "    lr: float = 1e-3\n"
        "@dataclass\n"
        "class TrainConfig:\n"
        "    optim: OptimizerConfig = field(default_factory=OptimizerConfig)\n"
        "    epochs: int = 3\n"
        "@dataclass\n"
        "class DataConfig:\n"
        "    batch_size: int = 32\n"
        "parser.add_arguments(TrainConfig, dest='train')\n"
        "parser.add_arguments(DataConfig, 'data')\n"
    )
    assert {name: p.span.line for name, p in extract(source).items()} == {
        "train.optim.name": 3, "train.optim.lr": 4, "train.epochs": 8, "data.batch_size": 11,
    }


def test_keras_layers_compile_and_fit_use_keras_names():
    source = (
        "from tensorflow import keras\n"
        "model = keras.Sequential([keras.layers.Dense(64, activation='relu'), keras.layers.Dropout(0.3),\n"
        "                          keras.layers.Dense(1, activation='sigmoid')])\n"
        "model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])\n"
        "model.fit(x, y, epochs=10, batch_size=32, validation_split=0.2, verbose=2)\n"
    )
    assert {name: p.value for name, p in extract(source).items()} == {
        "Dense.units": 64, "Dense.activation": "relu", "Dropout.rate": 0.3,
        "compile.optimizer": "adam", "fit.epochs": 10, "fit.batch_size": 32, "fit.validation_split": 0.2,
    }
    functional = "def build():\n    x = layers.Dense(64, activation='relu')(inputs)\n    return layers.Dense(10, activation='softmax')(x)\n"
    assert {name: p.value for name, p in extract(functional).items()} == {"Dense.units": 64, "Dense.activation": "relu"}


def test_any_estimator_takes_its_keywords_as_hyperparameters():
    source = (
        "tree = DecisionTreeClassifier(max_depth=5, criterion='gini', random_state=0, n_jobs=-1)\n"
        "svc = SVC(C=1.0, kernel='rbf')\n"
        "booster = CatBoostRegressor(depth=6, learning_rate=0.03, verbose=False)\n"
    )
    assert {name: (p.value, p.kind) for name, p in extract(source).items()} == {
        "DecisionTreeClassifier.max_depth": (5, "call"),
        "DecisionTreeClassifier.criterion": ("gini", "call"),
        "DecisionTreeClassifier.random_state": (0, "seed"),
        "SVC.C": (1.0, "call"), "SVC.kernel": ("rbf", "call"),
        "CatBoostRegressor.depth": (6, "call"), "CatBoostRegressor.learning_rate": (0.03, "call"),
    }


def test_annotated_nested_dataclass_without_default_is_a_prefix():
    source = (
        "@dataclasses.dataclass\nclass OptimizerConfig:\n    learning_rate: float = 3e-4\n"
        "@dataclasses.dataclass\nclass Config:\n    opt: OptimizerConfig\n    seed: int = 0\n"
        "config = tyro.cli(Config)\n"
    )
    assert {name: p.kind for name, p in extract(source).items()} == {"opt.learning_rate": "dataclass", "seed": "seed"}


def test_environment_probes_and_run_time_fallbacks_are_not_settings():
    source = (
        "try:\n    import wandb\n    has_wandb = True\n    use_fused = True\nexcept ImportError:\n    has_wandb = False\n"
        "def main(args):\n"
        "    patch_size = None\n"
        "    if patch_size is None:\n"
        "        patch_size = (16, 16)\n"
        "    if args.warmup is None:\n"
        "        args.warmup = 500\n"
        "    hidden_size = 256\n"
    )
    assert list(extract(source)) == ["hidden_size"]


def test_learning_periods_are_kept_bookkeeping_periods_are_not():
    source = (
        "TARGET_UPDATE_INTERVAL = 1000\nTRAIN_FREQUENCY = 4\nEMA_EVERY = 10\n"
        "LOG_INTERVAL = 10\nEVAL_EVERY = 500\nSAMPLE_INTERVAL = 400\nVAL_FREQ = 1\n"
        "VAL_SPLIT = 0.1\nVAL_BATCHES = 20\nlocal_iter_num = 0\nwarmup_steps = 0\n"
    )
    assert list(extract(source)) == ["TARGET_UPDATE_INTERVAL", "TRAIN_FREQUENCY", "EMA_EVERY", "VAL_SPLIT", "warmup_steps"]


def test_module_docstring_lines_in_column_one_do_not_hide_the_code_after_them():
    source = (
        '"""\nTitle: Simple MNIST convnet\nAuthor: someone\nDate created: 2015/06/19\n'
        'Description: a convnet.\n"""\n\n"""\n## Setup\n"""\n\nfrom tensorflow import keras\n'
        'from tensorflow.keras import layers\n\nbatch_size = 128\n'
        'model = keras.Sequential([layers.Dropout(0.5)])\n'
    )
    assert {name: p.span.line for name, p in extract(source).items()} == {"batch_size": 15, "Dropout.rate": 16}


def test_numbers_written_through_a_conversion_are_literals():
    found = extract("BUFFER_SIZE = int(1e6)\nLR = float('3e-4')\nSTEPS = int(N * 2)\nHIDDEN_SIZE = (IMG // PATCH) ** 2\n")  # a square, no number chosen
    assert {name: (p.value, p.text) for name, p in found.items()} == {
        "BUFFER_SIZE": (1000000, "int(1e6)"),
        "STEPS": ("int(N * 2)", "int(N * 2)"),  # a formula with a number written in it, whatever the number
    }


def test_absl_config_file_flags_and_workdirs_are_not_hyperparameters():
    source = (
        "flags.DEFINE_string('workdir', None, 'Directory to store model data.')\n"
        "config_flags.DEFINE_config_file('config', None, 'File path to the configuration.')\n"
        "flags.DEFINE_float('learning_rate', default=0.05, help='Learning rate.')\n"
        "flags.DEFINE_integer('random_seed', default=0, help='PRNG seed.')\n"
    )
    assert {name: p.kind for name, p in extract(source).items()} == {"learning_rate": "flag", "random_seed": "seed"}


def test_optax_optimizers_take_the_learning_rate_first():
    found = extract("tx = optax.adamw(schedule, b1=0.9, b2=0.98, eps=1e-9, weight_decay=0.1)\n")
    assert list(found) == ["adamw.b1", "adamw.b2", "adamw.eps", "adamw.weight_decay"]


def test_a_scaling_rule_with_its_coefficient_is_a_hyperparameter():
    source = (
        "def get_config():\n"
        "    config = ConfigDict()\n"
        "    config.batch_size = 4096\n"
        "    config.lr = (0.1 / 256) * config.batch_size\n"
        "    config.steps = config.epochs * config.steps_per_epoch\n"
        "    return config\n"
        "WARMUP_STEPS = int(0.1 * TOTAL_STEPS)\n"
    )
    assert {name: (p.value, p.span.line) for name, p in extract(source).items()} == {
        "batch_size": (4096, 3), "lr": ("(0.1 / 256) * config.batch_size", 4),
        "WARMUP_STEPS": ("int(0.1 * TOTAL_STEPS)", 7),
    }


def test_augmentation_settings_of_torchvision_transforms():
    source = (
        "train_tf = transforms.Compose([\n"
        "    transforms.RandomResizedCrop(args.input_size, scale=(0.2, 1.0)),\n"
        "    transforms.RandomHorizontalFlip(),\n"
        "    transforms.ColorJitter(0.4, 0.4, 0.4),\n"
        "])\n"
    )
    assert {name: p.value for name, p in extract(source).items()} == {
        "RandomResizedCrop.scale": (0.2, 1.0), "ColorJitter.brightness": 0.4,
        "ColorJitter.contrast": 0.4, "ColorJitter.saturation": 0.4,
    }


def test_launcher_scripts_report_nothing():
    source = (
        "parser.add_argument('--ngpus', default=8, type=int)\n"
        "parser.add_argument('--nodes', default=2, type=int)\n"
        "parser.add_argument('--timeout', default=4320, type=int)\n"
        "parser.add_argument('--partition', default='learnfair', type=str)\n"
        "executor.update_parameters(mem_gb=40, cpus_per_task=10, slurm_signal_delay_s=120)\n"
    )
    assert extract(source) == {}
