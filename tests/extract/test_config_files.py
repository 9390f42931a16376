"""Config files: jsonargparse/LightningCLI and OmegaConf class sections, and gin bindings."""

from __future__ import annotations

from paribus.core.extract import diff_hyperparameters, extract_text


def extract(source: str, path: str):
    return {p.name: (p.value, p.span.line) for p in extract_text(source, path)}


LIGHTNING_CLI = """\
seed_everything: 42
trainer:
  accelerator: auto
  max_epochs: null
  callbacks:
    - class_path: lightning.pytorch.callbacks.EarlyStopping
      init_args:
        monitor: val_loss
        patience: 3
model:
  class_path: model.LitModel
  init_args:
    learning_rate: 0.001
optimizer:
  class_path: torch.optim.AdamW
  init_args:
    lr: 0.0002
    weight_decay: 0.01
data:
  class_path: litgpt.data.Alpaca2k
  init_args:
    val_split_fraction: 0.05
    num_workers: 4
"""


def test_class_path_sections_are_named_without_the_plumbing():
    assert extract(LIGHTNING_CLI, "config.yaml") == {
        "seed_everything": (42, 1),
        "trainer.max_epochs": (None, 4),  # a key set to null is a setting left to its default
        "trainer.callbacks.0.patience": (3, 9),
        "model": ("model.LitModel", 11),
        "model.learning_rate": (0.001, 13),
        "optimizer": ("torch.optim.AdamW", 15),
        "optimizer.lr": (0.0002, 17),
        "optimizer.weight_decay": (0.01, 18),
        "data": ("litgpt.data.Alpaca2k", 20),
        "data.val_split_fraction": (0.05, 22),
    }


LATENT_DIFFUSION = """\
model:
  base_learning_rate: 2.0e-06
  target: ldm.models.diffusion.ddpm.LatentDiffusion
  params:
    linear_start: 0.0015
    timesteps: 1000
    unet_config:
      target: ldm.modules.diffusionmodules.openaimodel.UNetModel
      params:
        model_channels: 224
data:
  target: main.DataModuleFromConfig
  params:
    batch_size: 48
    num_workers: 5
lightning:
  callbacks:
    image_logger:
      target: main.ImageLogger
      params:
        batch_frequency: 5000
"""


def test_target_params_sections_are_named_without_the_plumbing():
    assert extract(LATENT_DIFFUSION, "ldm.yaml") == {
        "model.base_learning_rate": (2e-06, 2),
        "model": ("ldm.models.diffusion.ddpm.LatentDiffusion", 3),
        "model.linear_start": (0.0015, 5),
        "model.timesteps": (1000, 6),
        "model.unet_config": ("ldm.modules.diffusionmodules.openaimodel.UNetModel", 8),
        "model.unet_config.model_channels": (224, 10),
        "data.batch_size": (48, 14),
    }


def test_a_plain_target_value_is_not_a_class():
    assert extract("loss:\n  target: 0.5\n  weight: 2\n", "c.yaml") == {"loss.target": (0.5, 2), "loss.weight": (2, 3)}


def test_changing_the_optimizer_class_and_its_lr_is_two_changes():
    before = extract_text(LIGHTNING_CLI, "config.yaml")
    after = extract_text(LIGHTNING_CLI.replace("torch.optim.AdamW", "torch.optim.SGD").replace("0.0002", "0.1"), "config.yaml")
    assert [(c.name, c.line) for c in diff_hyperparameters(before, after)] == [("optimizer", 15), ("optimizer.lr", 17)]


GIN = """\
# Hyperparameters follow the classic Nature DQN.
import dopamine.discrete_domains.atari_lib
include 'base.gin'

LEARNING_RATE = 0.00025
DQNAgent.gamma = 0.99
DQNAgent.min_replay_history = 20000  # agent steps
DQNAgent.epsilon_eval = 0.001
DQNAgent.tf_device = '/gpu:0'  # use '/cpu:*' for non-GPU version
DQNAgent.optimizer = @tf.train.RMSPropOptimizer()
tf.train.RMSPropOptimizer.learning_rate = %LEARNING_RATE
tf.train.RMSPropOptimizer.decay = 0.95
create_agent.agent_name = 'dqn'
train/Runner.num_iterations = 200
eval/Runner.num_iterations = 5
JaxDQNAgent.summary_writing_frequency = 2500
Network.layers = [64,
                  32]  # two hidden layers
"""


def test_gin_bindings_macros_scopes_and_references():
    found = {p.name: (p.value, p.text, p.span.line, p.span.end_line) for p in extract_text(GIN, "dqn.gin")}
    assert found == {
        "LEARNING_RATE": (0.00025, "0.00025", 5, 5),
        "DQNAgent.gamma": (0.99, "0.99", 6, 6),
        "DQNAgent.min_replay_history": (20000, "20000", 7, 7),
        "DQNAgent.optimizer": ("@tf.train.RMSPropOptimizer()", "@tf.train.RMSPropOptimizer()", 10, 10),
        "tf.train.RMSPropOptimizer.decay": (0.95, "0.95", 12, 12),
        "create_agent.agent_name": ("dqn", "'dqn'", 13, 13),
        "train/Runner.num_iterations": (200, "200", 14, 14),
        "Network.layers": ([64, 32], "[64,\n                  32]", 17, 18),
    }
    gamma = next(p for p in extract_text(GIN, "dqn.gin") if p.name == "DQNAgent.gamma")
    assert (gamma.span.column, gamma.span.end_column) == (18, 22)


def test_a_gin_edit_is_one_change_on_its_line():
    after = GIN.replace("LEARNING_RATE = 0.00025", "LEARNING_RATE = 0.0001")
    changes = diff_hyperparameters(extract_text(GIN, "dqn.gin"), extract_text(after, "dqn.gin"))
    assert [(c.name, c.old, c.new, c.line) for c in changes] == [("LEARNING_RATE", 0.00025, 0.0001, 5)]


def test_gin_files_half_typed_keep_what_reads():
    assert extract("A.x = 1\nB.y = [1,\nC.z = 0.5\n", "a.gin") == {"A.x": (1, 1), "C.z": (0.5, 3)}


def test_class_choices_but_not_plumbing_callbacks_or_pretrained_parts():
    source = (
        "model:\n  target: ldm.models.autoencoder.AutoencoderKL\n  params:\n"
        "    lossconfig:\n      target: ldm.modules.losses.LPIPSWithDiscriminator\n"
        "    first_stage_config:\n      target: ldm.models.VQModel\n      params:\n"
        "        ckpt_path: models/first_stage/model.ckpt\n        embed_dim: 3\n"
        "    callbacks:\n      logger:\n        target: main.ImageLogger\n"
        "data:\n  target: main.DataModuleFromConfig\n  params:\n    batch_size: 8\n"
    )
    assert extract(source, "c.yaml") == {
        "model": ("ldm.models.autoencoder.AutoencoderKL", 2),
        "model.lossconfig": ("ldm.modules.losses.LPIPSWithDiscriminator", 5),
        "data.batch_size": (8, 17),
    }


def test_hydra_group_files_live_under_their_group_and_defaults_choose():
    group = "_target_: src.models.MNISTLitModule\noptimizer:\n  _target_: torch.optim.Adam\n  lr: 0.001\n"
    assert extract(group, "configs/model/mnist.yaml") == {  # the file's own class is a key like any other
        "model._target_": ("src.models.MNISTLitModule", 1),
        "model.optimizer._target_": ("torch.optim.Adam", 3), "model.optimizer.lr": (0.001, 4),
    }
    primary = (
        "defaults:\n  - _self_\n  - data: mnist\n  - model: mnist\n  - trainer: default\n"
        "  - logger: null\n  - override /optimizer: adamw\nseed: null\n"
    )
    assert extract(primary, "configs/train.yaml") == {
        "data": ("mnist", 3), "model": ("mnist", 4), "optimizer": ("adamw", 7), "seed": (None, 8),
    }
    assert extract("# @package _global_\ntrainer:\n  max_epochs: 3\n", "configs/experiment/x.yaml") == {
        "trainer.max_epochs": (3, 3),
    }


def test_deepspeed_runtime_settings_are_not_hyperparameters():
    source = (
        '{\n  "train_batch_size": 256,\n  "train_micro_batch_size_per_gpu": 8,\n'
        '  "zero_optimization": {"stage": 2},\n  "prescale_gradients": false,\n'
        '  "fp16": {"enabled": true},\n  "gradient_clipping": 1.0\n}\n'
    )
    assert extract(source, "ds_config.json") == {
        "train_batch_size": (256, 2), "train_micro_batch_size_per_gpu": (8, 3), "gradient_clipping": (1.0, 7),
    }


def test_gin_references_to_configurables_are_choices_evaluation_is_not():
    source = (
        "Policy.body = @trax.models.MLP\n"
        "PPO.policy_optimizer = @trax.optimizers.Adam\n"
        "PPO.value_lr_schedule = @value/multifactor\n"
        "PPO.policy_evals_per_epoch = 1\n"
        "PPO.policy_eval_steps = 1\n"
        "AWR.q_value_aggregate = 'mean'\n"
        "create_agent.summary_writer = @SummaryWriter\n"
    )
    assert extract(source, "rl.gin") == {
        "Policy.body": ("@trax.models.MLP", 1),
        "PPO.policy_optimizer": ("@trax.optimizers.Adam", 2),
        "PPO.value_lr_schedule": ("@value/multifactor", 3),
        "AWR.q_value_aggregate": ("mean", 6),
    }


def test_a_dataset_named_in_a_data_section_is_a_choice():
    source = "input:\n  data:\n    name: imagenet2012\n    split: train[:99%]\n  batch_size: 4096\n"
    assert extract(source, "c.yaml") == {"input.data.name": ("imagenet2012", 3), "input.batch_size": (4096, 5)}


def test_a_comment_offering_other_values_declares_a_string_choice():
    source = (
        "train:\n"
        '  centering: "centering" # or "sinkhorn_knopp"\n'
        "  merge: mean  # options: mean, max\n"
        "  padding_side: left  # [ left | right ]\n"
        "  tokenizer_kind: bpe  # the usual one\n"
        "  output_dir: ./out  # or ./elsewhere\n"
        "  label: baseline\n"
    )
    assert extract(source, "c.yaml") == {
        "train.centering": ("centering", 2),
        "train.merge": ("mean", 3),
        "train.padding_side": ("left", 4),
        "train.tokenizer_kind": ("bpe", 5),
    }


def test_a_rule_named_by_a_string_is_a_choice():
    source = "optim:\n  base_lr: 0.004\n  scaling_rule: sqrt_wrt_1024\n  update_rule: lamb\n  run_label: first\n"
    assert extract(source, "c.yaml") == {
        "optim.base_lr": (0.004, 2),
        "optim.scaling_rule": ("sqrt_wrt_1024", 3),
        "optim.update_rule": ("lamb", 4),
    }


def test_work_split_into_chunks_to_fit_memory_is_not_a_hyperparameter():
    source = "student:\n  arch: vit_large\n  block_chunks: 4\n  loss_chunked: true\n  drop_path_rate: 0.3\n"
    assert extract(source, "c.yaml") == {"student.arch": ("vit_large", 2), "student.drop_path_rate": (0.3, 5)}


def test_weights_left_empty_are_a_checkpoint_path_not_a_choice():
    source = "MODEL:\n  WEIGHTS: ''\n  BACKBONE: resnet50\nmodel:\n  weights: IMAGENET1K_V2\n"
    assert extract(source, "c.yaml") == {"MODEL.BACKBONE": ("resnet50", 3), "model.weights": ("IMAGENET1K_V2", 5)}
