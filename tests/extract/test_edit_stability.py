"""What an edit changes: the diff names exactly the edited hyperparameter, or nothing when the
edited number is no hyperparameter; names never depend on the values written.

Each test is one class of problem met on real files, written small."""

from __future__ import annotations

from paribus.core.extract import diff_hyperparameters, extract_text


def names(source: str, path: str = "train.py") -> dict[str, tuple[object, int]]:
    return {p.name: (p.value, p.span.line) for p in extract_text(source, path)}


def changed(before: str, after: str, path: str = "train.py") -> list[str]:
    return [change.name for change in diff_hyperparameters(extract_text(before, path), extract_text(after, path))]


# --- a value never decides whether it counts -----------------------------------------------------


def test_a_counter_is_a_counter_whatever_it_starts_from():
    source = "iter_num = 0\nlocal_iter_num = 0\nepochs = 0\nnum_steps = 0\n"
    assert names(source) == {"epochs": (0, 3), "num_steps": (0, 4)}
    assert changed(source, source.replace("local_iter_num = 0", "local_iter_num = 5")) == []
    assert changed(source, source.replace("epochs = 0", "epochs = 5")) == ["epochs"]


def test_a_schedule_that_writes_the_param_groups_owns_the_learning_rate():
    source = (
        "optimizer = torch.optim.SGD(params, lr=0, momentum=0.9)\n"
        "for t in range(10):\n"
        "    for i, param_group in enumerate(optimizer.param_groups):\n"
        "        param_group['lr'] = schedule[t]\n"
    )
    assert names(source) == {"SGD.momentum": (0.9, 1)}
    assert changed(source, source.replace("lr=0", "lr=0.1")) == []
    kept = "optimizer = torch.optim.SGD(params, lr=0, momentum=0.9)\n"
    assert names(kept) == {"SGD.lr": (0, 1), "SGD.momentum": (0.9, 1)}  # no schedule: 0 is the rate


def test_a_formula_is_a_formula_whatever_its_numbers():
    for coefficient in ("1", "2", "4"):
        assert names(f"HIDDEN_DIM = EMBED_DIM * {coefficient}\n") == {"HIDDEN_DIM": (f"EMBED_DIM * {coefficient}", 1)}
    assert changed("torch.manual_seed(seed + 1)\n", "torch.manual_seed(seed + 2)\n") == ["manual_seed.seed"]


def test_an_empty_string_is_a_string_setting_left_empty():
    source = "parser.add_argument('--dataset', default='')\nparser.add_argument('--interpolation', default='')\n"
    assert names(source) == {"dataset": ("", 1), "interpolation": ("", 2)}
    assert changed(source, source.replace("default=''", "default='cifar10'", 1)) == ["dataset"]


# --- names never shift ---------------------------------------------------------------------------


def test_numbered_calls_count_every_call_reported_or_not():
    source = (
        "class A(nn.Module):\n"
        "    def __init__(self):\n"
        "        self.fc1 = nn.Linear(784, 256)\n"
        "        self.out = nn.Linear(256, 64)\n"
        "    def forward(self, x):\n"
        "        return self.out(self.fc1(x))\n"
        "class B(nn.Module):\n"
        "    def __init__(self):\n"
        "        self.fc1 = nn.Linear(64, 32)\n"
        "        self.fc2 = nn.Linear(32, 8)\n"
        "train_model(model, max_epochs=50)\n"
        "train_model(model, max_epochs=80)\n"
    )
    assert names(source) == {
        "fc1.out_features": (256, 3), "fc1#2.out_features": (32, 9),
        "train_model.max_epochs": (50, 11), "train_model#2.max_epochs": (80, 12),
    }
    assert changed(source, source.replace("max_epochs=50", "max_epochs=60")) == ["train_model.max_epochs"]


def test_the_run_reads_the_last_binding_of_a_name():
    source = "epochs = 5\nbatch_size = 64\n\nepochs = 10\nfor t in range(epochs):\n    pass\n"
    assert names(source) == {"batch_size": (64, 2), "epochs": (10, 4)}
    assert changed(source, source.replace("epochs = 5", "epochs = 7")) == []
    assert changed(source, source.replace("epochs = 10", "epochs = 12")) == ["epochs"]
    conditional = "epochs = 5\nif quick:\n    epochs = 1\n"
    assert names(conditional) == {"epochs": (5, 1)}


def test_run_time_accumulators_are_not_settings():
    source = "def export():\n    exported_steps = []\n    for s in dirs:\n        exported_steps.append(s)\n"
    assert names(source) == {}
    assert names("hidden_steps = []\n") == {"hidden_steps": ([], 1)}


# --- what the file declares ----------------------------------------------------------------------


def test_declared_choices_are_choices_whatever_their_words():
    source = (
        "flags.DEFINE_enum('train_mode', 'pretrain', ['pretrain', 'finetune'], 'What to train.')\n"
        "parser.add_argument('--kd-distill-type', default='logit', choices=['logit', 'feature'])\n"
        "parser.add_argument('--kd-kind', default='soft')\n"
        "@click.option('--head', type=click.Choice(['linear', 'mlp']), default='mlp')\n"
        "def main(head): ...\n"
    )
    assert names(source) == {"train_mode": ("pretrain", 1), "kd_distill_type": ("logit", 2), "head": ("mlp", 4)}


def test_an_option_documented_as_evaluation_only_tunes_nothing():
    source = (
        "parser.add_argument('--crop-pct', default=None, type=float, help='Input crop percent (for validation only)')\n"
        "parser.add_argument('--max-seq-len', type=int, default=576, help='Fixed maximum length (validation)')\n"
        "parser.add_argument('--seq-len', type=int, default=256, help='Training sequence length')\n"
    )
    assert names(source) == {"seq_len": (256, 3)}
    assert changed(source, source.replace("576", "512")) == []


def test_a_fallback_literal_is_the_value_the_run_takes():
    source = (
        "config = LoraConfig(\n"
        "    r=8,\n"
        "    target_modules=(modules.split(',') if modules else ['q_proj', 'v_proj']),\n"
        ")\n"
    )
    assert names(source) == {"r": (8, 2), "target_modules": (["q_proj", "v_proj"], 3)}


def test_a_training_function_from_another_module_keeps_its_tuning_keywords():
    source = "from trainer import train_model\ntrain_model(model, max_epochs=1049, lr=lr, logger=logger)\n"
    assert names(source) == {"train_model.max_epochs": (1049, 2)}
    assert names("from helpers import build\nbuild(model, max_epochs=3)\n") == {}


# --- classes reached through the project's own modules ------------------------------------------


def test_a_project_class_is_not_named_by_a_library_signature():
    source = (
        "import utils\n"
        "from torchvision import transforms\n"
        "aug = transforms.Compose([\n"
        "    transforms.GaussianBlur(5),\n"
        "    utils.GaussianBlur(1.0),\n"
        "    utils.Solarization(0.2),\n"
        "    utils.GaussianBlur(p=0.5),\n"
        "    A.HorizontalFlip(p=0.5),\n"
        "    transforms.ToTensor(),\n"
        "    transforms.Normalize((0.5,), (0.5,)),\n"
        "])\n"
    )
    assert names(source) == {
        "GaussianBlur.kernel_size": (5, 4), "GaussianBlur#2.0": (1.0, 5), "Solarization.0": (0.2, 6),
        "GaussianBlur#3.p": (0.5, 7), "HorizontalFlip.p": (0.5, 8),
    }


def test_an_evaluation_pipeline_tunes_nothing():
    source = "val_transform = Compose([Resize(256), CenterCrop(224), ToTensor()])\n"
    assert names(source) == {}


# --- output layers -------------------------------------------------------------------------------


def test_the_layer_a_model_returns_is_its_output():
    source = (
        "class Agent(nn.Module):\n"
        "    def __init__(self, envs):\n"
        "        self.critic = nn.Sequential(nn.Linear(obs, 64), nn.Tanh(), nn.Linear(64, 1))\n"
        "        self.actor = nn.Sequential(nn.Linear(obs, 64), nn.Tanh(), nn.Linear(64, 32))\n"
        "        self.encoder = nn.Linear(32, 16)\n"
        "    def get_value(self, x):\n"
        "        return self.critic(x)\n"
        "    def forward(self, x):\n"
        "        logits = self.actor(self.encoder(x))\n"
        "        probs = Categorical(logits=logits)\n"
        "        return probs.sample()\n"
    )
    assert names(source) == {"Linear.out_features": (64, 3), "Linear#3.out_features": (64, 4),
                             "encoder.out_features": (16, 5)}
    assert changed(source, source.replace("nn.Linear(64, 1)", "nn.Linear(64, 2)")) == []


def test_a_layer_followed_by_dropout_is_no_output():
    source = (
        "def build():\n"
        "    return nn.Sequential(nn.Linear(784, 128), nn.Dropout(0.2))\n"
        "def head():\n"
        "    return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10), nn.Softmax())\n"
    )
    assert set(names(source)) == {"Linear.out_features", "Dropout.p", "Linear#2.out_features"}


# --- vocabulary ----------------------------------------------------------------------------------


def test_words_that_only_qualify_a_choice():
    source = (
        "parser.add_argument('--warmup-prefix', action='store_true', default=False)\n"
        "parser.add_argument('--dist-bn', type=str, default='reduce')\n"
        "parser.add_argument('--data-prefix', default='train2017')\n"
        "parser.add_argument('--dist-url', default='env')\n"
        "parser.add_argument('--channels-last', action='store_true', default=False)\n"
        "parser.add_argument('--patchify-channels-first', action='store_true', default=False)\n"
        "parser.add_argument('--synchronize-step', action='store_true', default=False)\n"
        "parser.add_argument('--is-gshard-loss', action='store_true', default=False)\n"
    )
    assert set(names(source)) == {"warmup_prefix", "dist_bn", "is_gshard_loss"}


def test_hub_ids_in_a_data_or_model_path_are_the_data_and_model():
    source = (
        "parser.add_argument('--data_path', default='timdettmers/openassistant-guanaco')\n"
        "parser.add_argument('--model_path', default='./checkpoints/')\n"
        "parser.add_argument('--data_path2', default='data/train.json')\n"
    )
    assert names(source) == {"data_path": ("timdettmers/openassistant-guanaco", 1)}


def test_a_glue_task_is_a_choice_a_run_task_is_not():
    assert names("@dataclass\nclass DataArguments:\n    task_name: str = 'mrpc'\n") == {"task_name": ("mrpc", 3)}
    assert names("task_name: train\n", "configs/train.yaml") == {}


# --- configs -------------------------------------------------------------------------------------


LDM = """\
model:
  target: ldm.models.diffusion.ddpm.LatentDiffusion
  params:
    image_size: 32
    channels: 4
    unet_config:
      target: ldm.modules.UNetModel
      params:
        image_size: 32
        in_channels: 4
        out_channels: 4
        model_channels: 192
    cond_stage_config: __is_unconditional__
  stem:
    channels: 64
sparse_attention:
  mode: fixed
scheduler:
  mode: min
  factor: 0.1
"""


def test_a_network_that_declares_its_resolution_has_the_data_s_channels():
    assert names(LDM, "ldm.yaml") == {
        "model": ("ldm.models.diffusion.ddpm.LatentDiffusion", 2),
        "model.unet_config": ("ldm.modules.UNetModel", 7), "model.unet_config.model_channels": (192, 12),
        "model.cond_stage_config": ("__is_unconditional__", 13), "model.stem.channels": (64, 15),
        "sparse_attention.mode": ("fixed", 17), "scheduler.factor": (0.1, 20),
    }
    assert changed(LDM, LDM.replace("out_channels: 4", "out_channels: 3"), "ldm.yaml") == []


def test_a_section_s_name_beside_its_type_labels_the_run():
    source = "MODEL:\n  TYPE: swin\n  NAME: swin_tiny_patch4\nOPTIMIZER:\n  NAME: adamw\n"
    assert names(source, "cfg.yaml") == {"MODEL.TYPE": ("swin", 2), "OPTIMIZER.NAME": ("adamw", 5)}


def test_registry_dicts_arguments_are_choices_and_wiring_is_not():
    source = (
        "model = dict(\n"
        "    type='RetinaNet',\n"
        "    backbone=dict(type='ResNet', depth=50, out_indices=(0, 1, 2, 3), norm_eval=True),\n"
        "    neck=dict(type='FPN', out_channels=256, add_extra_convs='on_input'),\n"
        "    bbox_head=dict(\n"
        "        type='RetinaHead',\n"
        "        anchor_generator=dict(type='AnchorGenerator', octave_base_scale=4, strides=[8, 16, 32]),\n"
        "        bbox_post_processes=[dict(type='PreNMS')],\n"
        "    ),\n"
        ")\n"
        "param_scheduler = [dict(type='LinearLR', start_factor=0.001, begin=0, end=500)]\n"
    )
    assert set(names(source, "retinanet.py")) == {
        "model.type", "model.backbone.type", "model.backbone.depth", "model.backbone.norm_eval",
        "model.neck.type", "model.neck.out_channels", "model.neck.add_extra_convs", "model.bbox_head.type",
        "model.bbox_head.anchor_generator.type", "model.bbox_head.anchor_generator.octave_base_scale",
        "param_scheduler[0].type", "param_scheduler[0].start_factor", "param_scheduler[0].end",
    }
    assert changed(source, source.replace("begin=0", "begin=5"), "retinanet.py") == []


def test_a_hydra_group_file_s_own_class_is_a_key_like_any_other():
    source = "# @package optimizer\n_target_: torch.optim.AdamW\nlr: 5e-4\n"
    assert names(source, "conf/optimizer/adamw.yaml") == {
        "optimizer._target_": ("torch.optim.AdamW", 2), "optimizer.lr": (0.0005, 3)}


# --- styles met on real files outside the corpus -------------------------------------------------


def test_hydra_group_choices_name_the_learning_not_the_runtime():
    source = (
        "# @package _global_\n"
        "defaults:\n  - /pipeline: cifar\n  - /model: s4\n  - override /trainer: gpu\n  - override /logger: wandb\n"
        "  - experiment: base\n"
    )
    assert names(source, "configs/experiment/x.yaml") == {
        "pipeline": ("cifar", 3), "model": ("s4", 4), "experiment": ("base", 7)}


def test_a_registry_name_chooses_what_its_section_builds():
    source = "_name_: adamw\nlr: 0.001\nhook:\n  _name_: null\nlayer_decay:\n  _name_: null\n  decay: 0.7\n"
    assert names(source, "configs/optimizer/adamw.yaml") == {
        "optimizer._name_": ("adamw", 1), "optimizer.lr": (0.001, 2),
        "optimizer.layer_decay._name_": (None, 6), "optimizer.layer_decay.decay": (0.7, 7)}


def test_a_config_file_that_names_its_folder_sits_at_the_root():
    source = "train:\n  batch_size_per_gpu: 64\nstudent:\n  drop_path_uniform: true\n"
    assert names(source, "dinov2/configs/train/vitl16_short.yaml") == {
        "train.batch_size_per_gpu": (64, 2), "student.drop_path_uniform": (True, 4)}


def test_the_dataset_a_run_loads_is_a_choice():
    source = (
        "from datasets import load_dataset\n"
        "def get_dataloaders():\n"
        "    return load_dataset('nyu-mll/glue', 'mrpc')\n"
        "def local(path):\n"
        "    return load_dataset('json', data_files=path)\n"
        "def by_name(name):\n"
        "    if name == 'alpaca':\n"
        "        return load_dataset('tatsu-lab/alpaca')\n"
    )
    assert names(source) == {"load_dataset.path": ("nyu-mll/glue", 3), "load_dataset.name": ("mrpc", 3)}


def test_a_seed_is_a_seed_whatever_call_receives_it():
    source = (
        "param = {'max_depth': 2, 'eta': 1}\n"
        "xgb.cv(param, dtrain, num_boost_round=10, nfold=5, seed=0)\n"
        "dataset = dataset.shuffle(seed=42)\n"
        "xgb.callback.EarlyStopping(3)\n"
    )
    assert names(source) == {"max_depth": (2, 1), "eta": (1, 1), "cv.num_boost_round": (10, 2), "cv.seed": (0, 2),
                             "shuffle.seed": (42, 3), "EarlyStopping.0": (3, 4)}
    assert {p.name: p.kind for p in extract_text(source, "train.py")}["shuffle.seed"] == "seed"


def test_generation_settings_and_runtime_switches_tune_no_training():
    source = (
        "@dataclass\nclass GenerationArguments:\n    num_beams: int = field(default=1)\n    top_p: float = 1.0\n"
        "@dataclass\nclass TrainingArguments:\n"
        "    lora_r: int = field(default=64)\n    bits: int = field(default=4)\n"
        "    max_memory_MB: int = field(default=80000)\n    adam8bit: bool = False\n"
        "    max_leaf_nodes: int = 15\n    ignore_warnings: bool = False\n    microbatch: int = -1\n"
        "    dataset_text_field: str = 'prompt'\n    log_std_init: float = -3.29\n"
    )
    assert names(source) == {"lora_r": (64, 7), "max_leaf_nodes": (15, 11), "log_std_init": (-3.29, 15)}


def test_random_augmentation_layers_are_augmentations():
    source = (
        "augment = keras.Sequential([\n"
        "    layers.RandomFlip('horizontal'),\n"
        "    layers.RandomRotation(factor=0.02),\n"
        "])\n"
    )
    assert names(source) == {"RandomFlip.0": ("horizontal", 2), "RandomRotation.factor": (0.02, 3)}


def test_what_a_run_computes_is_not_set():
    source = (
        "for epoch in range(start_epoch, start_epoch + 200):\n    pass\n"
        "for it in range(1, num_iterations + 1):\n    pass\n"
        "testloader = torch.utils.data.DataLoader(testset, batch_size=100)\n"
        "def train(batch_size):\n"
        "    gradient_accumulation_steps = 1\n"
        "    if batch_size > MAX_BATCH:\n"
        "        gradient_accumulation_steps = batch_size // MAX_BATCH\n"
    )
    assert names(source) == {"epochs": (200, 1)}


def test_a_class_a_config_names_is_a_choice():
    source = "hyperparams = {'Pendulum-v1': dict(policy_kwargs=dict(activation_fn=torch.nn.ReLU, ortho_init=False))}\n"
    assert names(source, "ppo_config.py") == {
        "Pendulum-v1.policy_kwargs.activation_fn": ("torch.nn.ReLU", 1), "Pendulum-v1.policy_kwargs.ortho_init": (False, 1)}


def test_a_value_noted_as_filled_in_at_run_time_is_not_set():
    source = "optim:\n  base_lr: 0.004\n  lr: 0.  # will be set after applying scaling rule\ntrain:\n  dataset_path: ImageNet:split=TRAIN\n"
    assert names(source, "ssl.yaml") == {"optim.base_lr": (0.004, 2), "train.dataset_path": ("ImageNet:split=TRAIN", 5)}
