"""Python files that are configs: OpenMMLab/mmengine, detectron2 LazyConfig, yacs."""

from __future__ import annotations

from paribus.core.extract import diff_hyperparameters, extract_text


def extract(source: str, path: str = "config.py"):
    return {p.name: (p.value, p.span.line) for p in extract_text(source, path)}


MMENGINE = """\
_base_ = ['../_base_/models/faster-rcnn_r50_fpn.py', '../_base_/default_runtime.py']
model = dict(backbone=dict(depth=101))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=12, val_interval=1)
val_cfg = dict(type='ValLoop')
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', end=12, milestones=[8, 11], gamma=0.1)
]
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=0.0001))
default_hooks = dict(logger=dict(type='LoggerHook', interval=50))
work_dir = './work_dirs/faster'
"""


def test_mmengine_config_names_are_paths_from_the_module():
    found = extract(MMENGINE)
    assert found == {
        "model.backbone.depth": (101, 2),
        "train_cfg.max_epochs": (12, 3),
        "param_scheduler[0].type": ("LinearLR", 6),
        "param_scheduler[0].start_factor": (0.001, 6),
        "param_scheduler[0].end": (500, 6),
        "param_scheduler[1].type": ("MultiStepLR", 7),
        "param_scheduler[1].end": (12, 7),
        "param_scheduler[1].milestones": ([8, 11], 7),
        "param_scheduler[1].gamma": (0.1, 7),
        "optim_wrapper.optimizer.type": ("SGD", 11),
        "optim_wrapper.optimizer.lr": (0.02, 11),
        "optim_wrapper.optimizer.momentum": (0.9, 11),
        "optim_wrapper.optimizer.weight_decay": (0.0001, 11),
    }


def test_an_inheriting_override_file_is_a_config_too():
    source = "_base_ = './faster-rcnn_r50_fpn_1x_coco.py'\ntrain_cfg = dict(max_epochs=24)\noptim_wrapper = dict(optimizer=dict(lr=0.01))\n"
    assert extract(source) == {"train_cfg.max_epochs": (24, 2), "optim_wrapper.optimizer.lr": (0.01, 3)}


def test_pure_python_mmengine_config_reports_the_class_choice_and_constants():
    source = (
        "from mmengine.config import read_base\n"
        "with read_base():\n"
        "    from .._base_.default_runtime import *\n"
        "from torch.optim import SGD\n"
        "max_epochs = 20\n"
        "optim_wrapper = dict(optimizer=dict(type=SGD, lr=0.02, momentum=0.9))\n"
        "train_cfg = dict(max_epochs=max_epochs)\n"
    )
    assert extract(source) == {
        "max_epochs": (20, 5),
        "optim_wrapper.optimizer.type": ("SGD", 6),
        "optim_wrapper.optimizer.lr": (0.02, 6),
        "optim_wrapper.optimizer.momentum": (0.9, 6),
    }


def test_ordinary_scripts_keep_their_module_dicts_out():
    source = (
        "label_map = {'cat': 0, 'dog': 1}\n"
        "optimizer_spec = dict(type='Adam', lr=1e-3)\n"
        "hp = {'optim': {'lr': 0.1, 'momentum': 0.9}, 'epochs': 3}\n"
        "def main():\n    train(hp)\n"
    )
    assert extract(source, "train.py") == {"optim.lr": (0.1, 3), "optim.momentum": (0.9, 3), "epochs": (3, 3)}


def test_a_file_that_only_assigns_is_a_config():
    source = "from .base import *\ntrain = dict(max_iter=90000, amp=dict(enabled=False), log_period=20)\nconfig = dict(lr=0.1)\n"
    assert extract(source) == {"train.max_iter": (90000, 2), "lr": (0.1, 3)}


DETECTRON2 = """\
from detectron2.config import LazyCall as L
from detectron2.solver import WarmupParamScheduler
from fvcore.common.param_scheduler import MultiStepParamScheduler

from ..common.data.coco import dataloader
from ..common.models.mask_rcnn_fpn import model
from ..common.optim import SGD as optimizer
from ..common.train import train

model.backbone.bottom_up.freeze_at = 2
train.init_checkpoint = "detectron2://ImageNetPretrained/MSRA/R-50.pkl"
dataloader.train.total_batch_size = 64
optimizer.lr = 0.02
train.max_iter = 90000
train.eval_period = 5000
lr_multiplier = L(WarmupParamScheduler)(
    scheduler=L(MultiStepParamScheduler)(values=[1.0, 0.1, 0.01], milestones=[60000, 80000]),
    warmup_length=250 / train.max_iter,
    warmup_factor=0.001,
)
"""


def test_detectron2_lazy_config_names_are_the_attribute_paths():
    assert extract(DETECTRON2) == {
        "model.backbone.bottom_up.freeze_at": (2, 10),
        "dataloader.train.total_batch_size": (64, 12),
        "optimizer.lr": (0.02, 13),
        "train.max_iter": (90000, 14),
        "lr_multiplier.scheduler.values": ([1.0, 0.1, 0.01], 17),
        "lr_multiplier.scheduler.milestones": ([60000, 80000], 17),
        "lr_multiplier.warmup_length": ("250 / train.max_iter", 18),  # its coefficient is set here
        "lr_multiplier.warmup_factor": (0.001, 19),
    }


def test_lazy_call_keywords_are_a_nested_config():
    source = (
        "from detectron2.config import LazyCall as L\n"
        "optimizer = L(torch.optim.SGD)(\n"
        "    params=L(get_default_optimizer_params)(weight_decay_norm=0.0),\n"
        "    lr=0.02, momentum=0.9,\n"
        ")\n"
    )
    assert extract(source) == {  # a lazy call's class is its config's own business, not a value
        "optimizer.params.weight_decay_norm": (0.0, 3),
        "optimizer.lr": (0.02, 4),
        "optimizer.momentum": (0.9, 4),
    }


def test_library_attributes_set_by_a_script_are_not_config():
    source = (
        "import torch\nfrom torch.backends import cudnn\n"
        "torch.backends.cudnn.benchmark = True\ncudnn.enabled = True\nmodel.dropout = 0.3\n"
    )
    assert extract(source, "train.py") == {}


def test_yacs_nodes_under_any_root_name():
    source = (
        "from yacs.config import CfgNode as CN\n"
        "_C = CN()\n"
        "_C.SOLVER = CN()\n"
        "_C.SOLVER.BASE_LR = 0.001\n"
        "_C.SOLVER.LR_SCHEDULER_NAME = 'WarmupMultiStepLR'\n"
        "_C.SOLVER.CHECKPOINT_PERIOD = 5000\n"
        "MODELS = CN()\n"
        "MODELS.OUT_FEATURE_CHANNELS = 256\n"
        "MODELS.DEVICE = 'cuda'\n"
    )
    assert extract(source) == {
        "SOLVER.BASE_LR": (0.001, 4),
        "SOLVER.LR_SCHEDULER_NAME": ("WarmupMultiStepLR", 5),
        "MODELS.OUT_FEATURE_CHANNELS": (256, 8),
    }


def test_one_edit_in_a_config_module_is_one_change():
    before = extract_text(MMENGINE, "config.py")
    after = extract_text(MMENGINE.replace("lr=0.02", "lr=0.01").replace("max_epochs=12", "max_epochs=24"), "config.py")
    assert [(c.name, c.line) for c in diff_hyperparameters(before, after)] == [
        ("train_cfg.max_epochs", 3), ("optim_wrapper.optimizer.lr", 11),
    ]


def test_a_config_loaded_by_name_and_classes_built_inside_lazy_calls():
    source = (
        "from detectron2.config import LazyCall as L\n"
        "from detectron2.model_zoo import get_config\n"
        "model = L(ClassificationNet)(model=ResNet(block=Bottleneck, layers=[3, 4, 6, 3]))\n"
        "dataloader.evaluator = L(ClassificationAcc)()\n"
        "train = get_config('common/train.py').train\n"
        "train.max_iter = 100 * 1281167 // 256\n"
        "train.init_checkpoint = None\n"
    )
    assert extract(source) == {
        "model.model.layers": ([3, 4, 6, 3], 3),
        "train.max_iter": (500455, 6),
    }


BIG_VISION = """\
import ml_collections as mlc


def get_config():
  config = mlc.ConfigDict()
  config.input = dict()
  pp_common = '|value_range(-1, 1)|keep("image", "labels")'
  config.input.pp = 'decode_jpeg_and_inception_crop(224)|flip_lr' + pp_common
  config.run_name = 'bit-' + config.input.pp
  config.optax_name = 'scale_by_adam'
  return config
"""


def test_a_setting_written_as_text_joined_to_more_is_reported_and_its_edit_named():
    assert extract(BIG_VISION) == {
        "input.pp": ("'decode_jpeg_and_inception_crop(224)|flip_lr' + pp_common", 8),
        "optax_name": ("scale_by_adam", 10),
    }
    edited = BIG_VISION.replace("|flip_lr'", "'")
    changes = diff_hyperparameters(extract_text(BIG_VISION, "config.py"), extract_text(edited, "config.py"))
    assert [change.name for change in changes] == ["input.pp"]
