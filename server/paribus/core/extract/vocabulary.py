"""What counts as a hyperparameter: the word lists and heuristics, in one place.

A hyperparameter is a value a researcher tunes to change what the model learns. Values that
only steer bookkeeping are not: logging/eval/save frequencies, output paths, devices, worker
counts, run names, tracker (W&B, MLflow) settings, launcher and cluster settings, numeric
precision and speed switches, evaluation-only settings, and what the data or the task fix
(class counts, a layer's input size, an output layer's width).

Seeds are the one exception to "tunable": a seed is part of a run's state (changing it
changes the result), so it is reported — under the name the code reads (``SEED``, argparse
``seed``, ``random_state``; the argument of a seeding call is named like any call's:
``torch.manual_seed(0)`` → ``manual_seed.seed``, ``L.seed_everything(42)`` →
``seed_everything.seed``, ``np.random.seed(0)`` → ``np.random.seed``) — with kind ``seed``.
A seed changed together with a learning rate is therefore two changes (PB101), while a
seed-only change is a *replicate* of the same state, not an intervention. Seeds stay out of
the tunable words: ``is_seed`` recognises them before any other rule, and only an integer
(or a declared ``None``: a fresh seed per run) is a seed; a list of seeds is a sweep.

Decision for a candidate ``(name, value)``, first match wins:

0. a seed (``is_seed``) → yes, reported with kind ``seed``;
1. a mode switch (``train: true``), a counter (``local_iter_num``, ``begin``: a position, by
   its name, whatever it starts from) or anything in an evaluation, hook, sweeper or
   post-processing section → no;
2. the last name component is in ``NEGATIVE_NAMES``, or it sits in a section of
   ``NEGATIVE_SECTIONS`` (``val_dataloader``, ``default_hooks``), or it is a network's input
   shape (``model.net.input_size``) → no;
3. the last component is in ``POSITIVE_NAMES`` → yes (unless the value is a path/URL), and so
   is a data or model ``*_path`` holding a hub id (``data_path="yahma/alpaca-cleaned"``);
4. a registry's ``type`` (``model.neck.type``) and ``name`` under a choice
   (``optimizer.name``) → yes; the class a section builds (``optimizer: torch.optim.AdamW``,
   Hydra's ``optimizer._target_``, a gin ``@configurable``) → yes unless it is plumbing;
5. a word of any component (for call keywords: of the keyword only) in
   ``NEGATIVE_WORDS`` → no;
   ``*_name`` of a choice (``optimizer_name``, ``is_gshard_loss``) is not a run name;
6. a period (``*_interval``, ``*_every``, ``*_freq``) only when it paces learning
   (``target_update_interval``, ``train_frequency``); an evaluation-only setting
   (``val_*``, ``test_*``, ``eval_*``) only when it sizes a split (``val_set_size``); a data
   key (``input_key``) and a whole config passed along (``train_loop_config``) are not;
7. strings need a word from ``STRING_WORDS`` (or to be declared one of several: ``choices=``,
   ``DEFINE_enum``, an argument of a class a config builds, a config comment offering others)
   and must not look like a path or URL (nor be ``weights`` left empty); an interpolation (``${model.lr}``) is set where it points, not here;
8. numbers, booleans and lists of them → yes; ``None`` → yes for declared settings (argparse
   ``default=None``, a field, a config key set to ``null``), not for plain assignments.

Candidates found in function bodies (plain local variables) are weaker evidence and also
need a word from ``STRONG_WORDS``. Only the class of a value (number, string, path, ``None``)
takes part in the decision, never the number itself, so editing a value never makes a
hyperparameter appear or vanish.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Words that mark bookkeeping, never a tuning knob (matched per word of snake/camel/kebab case).
NEGATIVE_WORDS = frozenset(
    """
    log logs logging logger loggers print verbose verbosity save saving saved checkpoint
    checkpoints ckpt dir dirs directory path paths file files filename root output
    outputs device devices accelerator gpu gpus cuda cpu worker workers pin mem prefetch
    prefetcher persistent seed seeds wandb mlflow tensorboard tb comet neptune aim
    project entity tag tags notes resume debug profile profiler compile torchcompile
    torchscript backend rank world port host url uri hub cache tqdm progress
    deterministic benchmark dtype precision fp16 bf16 fp32 amp apex distributed dist ddp
    eval evaluate evaluation validation visualize visualization plot plots report
    download overwrite run runs name best running track capture video
    fast summary summaries launcher slurm partition cluster submitit qos account timeout
    gres job jobs cudnn has is upload push master recovery display remote implementation
    accel shuffle workdir logdir outdir savedir evaluator evaluators auth evals ngpus
    ngpu quantize quantization quant bnb checkpointing fused parallel parallelism
    profiling printing throughput flash reentrant unsloth tpu tpus zone predict beam
    overfit hash execution return loc location fp render rendering pad checkpointer
    check strict ckpts prefix zip wrap synchronize format memory bit int8 int4 microbatch
    warning warnings hook hooks
    """.split()
) | frozenset(
    # benchmarks a model is only evaluated on: their settings (``max_mmlu_samples``) are evaluation's
    "mmlu bbh hellaswag truthfulqa winogrande humaneval lambada".split()
) | frozenset(
    # work split into pieces to fit memory or shard (``block_chunks``, ``chunked_loss``): the same computation
    "chunks chunked".split()
)

# Words of a period (``log_every``, ``target_update_interval``): bookkeeping unless the
# period paces learning itself (RL target updates, training frequency, EMA, accumulation).
PERIOD_WORDS = frozenset("interval intervals freq frequency every".split())
LEARNING_PERIOD_WORDS = frozenset(
    """
    target update updates train training policy network actor critic gradient grad
    accumulation accumulate sync ema swa replay learn learning optimizer optim lr warmup
    decay reset refresh
    """.split()
)

# Sections of a config that only serve evaluation, logging or the runtime: nothing under
# them is a hyperparameter (``val_dataloader.batch_size``, ``default_hooks.logger.interval``).
NEGATIVE_SECTIONS = frozenset(
    """
    val test valid validation eval evaluation val_cfg test_cfg val_dataloader test_dataloader
    val_evaluator test_evaluator val_pipeline test_pipeline tta_model tta_pipeline
    default_hooks custom_hooks env_cfg log_processor visualizer vis_backends init_cfg hydra
    extras paths launcher evaluator evaluators evals zero_optimization activation_checkpointing flops_profiler aio
    comms_logger
    """.split()
)

# Words a counter is made of: ``local_iter_num = 0`` counts, it is not set. A name made only of
# them is a position (``iter_num``, ``begin``) unless it is an amount (``epochs``, ``num_steps``).
COUNTER_WORDS = frozenset(
    "iter iters iteration step steps epoch epochs num count local global total current cur n "
    "idx index counter it i begin start".split()
)
_AMOUNT_WORDS = frozenset("iters iterations steps epochs".split())
_AMOUNT_FIRST_WORDS = frozenset("num n total max min".split())
# Booleans that pick what a run does, not how it learns (``train: true``, ``test: false``).
MODE_SWITCHES = frozenset("train training test validate predict evaluate".split())
# The first word of a setting that only concerns evaluation, unless it sizes a data split.
_EVALUATION_FIRST_WORDS = frozenset("val valid validation validate test eval evaluation".split())
_SPLIT_WORDS = frozenset("split ratio fraction frac pct percent portion".split())
_DEVICE_WORDS = frozenset("gpu gpus device devices".split())
_NOT_SPLIT_SIZES = frozenset("batch beam step steps chunk buffer".split())


def _sizes_a_split(last_words: set[str]) -> bool:
    """``validation_split``, ``val_set_size``, ``test_size``: how much data is held out."""
    return bool(last_words & _SPLIT_WORDS) or ("size" in last_words and not last_words & _NOT_SPLIT_SIZES)

# Whole names that are bookkeeping or fixed by the task, not tuned.
NEGATIVE_NAMES = frozenset(
    """
    num_classes n_classes num_labels n_labels nclasses classes class_names labels mean std
    tta local_rank channels_last use_multi_epochs_loader load_best_model_at_end
    metric_for_best_model greater_is_better remove_unused_columns report_to push_to_hub
    fast_dev_run limit_val_batches limit_test_batches enable_checkpointing
    enable_progress_bar enable_model_summary num_sanity_val_steps val_check_interval
    check_val_every_n_epoch test_batch_size val_batch_size max_eval_samples
    max_predict_samples do_train do_predict sync_dist random_state inplace batch_first
    shuffle callbacks strategy mode iter_num global_step step epoch iteration start_epoch
    start_iter wall_clock_breakdown ignore_index by_epoch convert_to_iter_based input_shape
    image_shape img_shape obs_shape dataset_type in_chans in_channels in_features nb_classes
    num_class n_class token hf_token hub_token use_auth_token access_token
    zero_allow_untested_optimizer prescale_gradients gradient_predivide_factor load_in_8bit
    load_in_4bit out_indices featmap_strides max_time num_nodes nnodes n_nodes nodes bits
    pretrained_weights exp_name experiment_name id run_id job_id
    """.split()
)

# Whole names that are hyperparameters even though a word looks like bookkeeping.
POSITIVE_NAMES = frozenset(
    """
    model_name model_name_or_path model_type model arch architecture backbone dataset
    dataset_name optimizer optim scheduler lr_scheduler lr_scheduler_type drop_path
    drop_path_rate per_device_train_batch_size target_modules lora_target_modules
    train_micro_batch_size_per_gpu per_device_batch_size batch_size_per_gpu
    per_gpu_train_batch_size micro_batch_size_per_gpu pretrained_model_name_or_path norm_eval
    """.split()
)

# ``owner/name`` on a hub, or a dataset spec with options (``ImageNet:split=TRAIN``).
_HUB_ID = re.compile(r"[\w.-]+/[\w.-]+|[\w.-]+:[\w.=:,-]+")
# A note saying a value is filled in when the program runs (a field's docstring, a YAML comment).
COMPUTED_AT_RUN_TIME = re.compile(
    r"\b(computed|calculated|derived|set|filled)\b[^.]*\b(run[- ]?time|automatically)\b"
    r"|\bauto(matically)?[- ](computed|calculated|set)\b"
    r"|\bwill be (set|computed|calculated|derived|overwritten|overridden|filled)\b",
    re.IGNORECASE,
)
# A note offering other values (``# or "sinkhorn_knopp"``, ``# [ none | reset | bptt ]``,
# ``# options: a, b``): the value is declared one of several, a choice.
ALTERNATIVES_NOTE = re.compile(
    r"^\s*#+\s*(\(\s*)?(or|either|one of|options?|choices?)\b|[\w'\"]\s*\|\s*[\w'\"]", re.IGNORECASE)
# ``*_path`` names whose value may be a hub id (``owner/name``) naming the data or model to use.
POSITIVE_PATH_NAMES = frozenset("data_path dataset_path model_path base_model_path".split())
# A network section's declared input shape follows the data (``model.net.input_size: 784``).
INPUT_SHAPES = frozenset("input_size input_shape input_dim image_size img_size resolution in_channels in_chans".split())
# A network that declares its input resolution maps images to images: its channels are the data's.
RESOLUTIONS = frozenset("image_size img_size resolution input_size".split())
IMAGE_CHANNELS = frozenset("channels out_channels out_ch".split())
NETWORK_WORDS = frozenset("net network model unet encoder decoder backbone generator discriminator".split())
# Parts of a network whose ``mode`` says how they compute (``sparse_attention.mode: fixed``).
COMPONENT_WORDS = frozenset("attention attn norm normalization pool pooling embedding".split())
_GENERATOR_WORDS = frozenset("anchor prior generator".split())
_NORMALIZATION_WORDS = frozenset("bn norm batchnorm".split())
_DISTRIBUTED_WORDS = frozenset("dist distributed".split())
# Negative only for names of strings: ``data_prefix='train/'`` is bookkeeping, ``warmup_prefix=True`` is not.
_STRING_ONLY_NEGATIVE_WORDS = frozenset({"prefix"})
# Words that only qualify a choice: ``optimizer_name``, ``is_gshard_loss``, ``chat_template_format``.
_QUALIFYING_WORDS = frozenset("name is has format".split())
_DATA_KEY_WORDS = frozenset("key keys field fields column columns".split())
_LOG_SCALE_WORDS = frozenset("std alpha beta temperature var variance scale sigma prob probs lr".split())
_RUN_MODES = frozenset("train training eval evaluate evaluation test predict inference finetune pretrain".split())
_MEMORY_LAYOUT = re.compile(r"(^|_)channels_(first|last)($|_)")

# Words that make a string value a choice worth tracking (optimizer, model, …).
STRING_WORDS = frozenset(
    """
    optimizer optim opt scheduler sched schedule activation act model arch architecture
    backbone loss criterion norm normalization pool pooling init initialization dataset
    augment augmentation aug augmentations policy tokenizer encoder decoder head attention
    attn clip mixup cutmix sampler sampling interpolation gp tokenization embedding agent algo
    algorithm network prompt kernel solver penalty booster rule pp preprocess preprocessing
    objective weight weights features splitter method scheme bias net aggregate aggregation
    reduction optax data template flavor variant degradation style env game aa remode bn
    """.split()
)

# Words that make a plain local variable (inside a function) count.
STRONG_WORDS = frozenset(
    """
    lr learning rate batch epochs epoch dropout decay momentum hidden layers layer heads
    warmup beta beta1 beta2 eps epsilon gamma alpha lambda temperature smoothing clip
    embd embed embedding dim dims size width depth patience steps iters accumulation seed wd units
    """.split()
)

# ``torch.optim.AdamW``, ``T.ResizeScale``, ``SGD``: a class, as configs name the one they build.
_CLASS_PATH = re.compile(r"([A-Za-z_]\w*\.)*[A-Z]\w*")
# gin's reference to a configurable (``@trax.models.MLP``, ``@value/multifactor``, ``@Adam()``).
_CONFIGURABLE = re.compile(r"@[\w./]+(\(\))?")
_GLUED_SUFFIX = re.compile(r"([a-z]{2,})(config|cfg)")
_WORD_SPLIT = re.compile(r"[A-Z]?[a-z]+\d*|[A-Z]+\d*(?![a-z])|\d+")
_FILE_EXTENSION = re.compile(
    r"\.(pt|pth|ckpt|bin|safetensors|npz|npy|pkl|pickle|h5|hdf5|csv|tsv|json|jsonl|ya?ml|"
    r"toml|txt|log|png|jpe?g|parquet|arrow|zip|tar|gz|onnx|db|sqlite|py)$",
    re.IGNORECASE,
)

# Variable names that hold a whole config (their own name is dropped from reported names).
_WHOLE_CONFIG = (
    r"^(c|C|_C|__C|cfg|conf|config|configs|hp|hps|hparams|hyperparams|hyperparameters|"
    r"param|params|args|opt|opts|options|settings|defaults|default_config|train_config|FLAGS)$"
)
CONFIG_ROOT = re.compile(
    _WHOLE_CONFIG + r"|(config|cfg|conf|hparams|hyperparams|args|settings|defaults|kwargs)$",
    re.IGNORECASE,
)
_WHOLE_CONFIG_ROOT = re.compile(_WHOLE_CONFIG, re.IGNORECASE)


@lru_cache(maxsize=8192)
def words(name: str) -> tuple[str, ...]:
    """``lrSchedulerType`` / ``lr-scheduler_type`` → ``('lr', 'scheduler', 'type')``.

    A glued ``config``/``cfg`` suffix is a word of its own: ``lossconfig`` → ``('loss', 'config')``.
    """
    found = [word.lower() for word in _WORD_SPLIT.findall(name)]
    if "cfg" in name or "onfig" in name:
        glued = [_GLUED_SUFFIX.fullmatch(word) for word in found]
        found = [part for word, match in zip(found, glued) for part in (match.groups() if match else (word,))]
    return tuple(found)


def looks_like_path(value: str) -> bool:
    """Paths and URLs are where things go, not what is learned."""
    text = value.strip()
    return (
        "://" in text
        or text.startswith(("/", "./", "../", "~", "\\"))
        or text.endswith(("/", "\\"))
        or bool(_FILE_EXTENSION.search(text))
        or text.count("/") >= 2
        or (len(text) > 2 and text[1] == ":" and text[2] in "/\\")
    )


# Whole names of seeds that carry no ``seed`` word.
SEED_NAMES = frozenset({"random_state", "rng_key", "prng_key"})
# Words that, next to ``seed``, make a name something else (``seed_dir``, ``num_seeds``).
_NOT_SEED_WORDS = (NEGATIVE_WORDS - {"seed"}) | {"num", "n", "seeds", "count", "offset"}

# Hydra groups that pick the runtime, not the learning (lightning-hydra's ``trainer: gpu``).
RUNTIME_GROUPS = frozenset("trainer debug local hparams_search".split())
# Calls that load the data a run trains on: their path, configuration name and split choose it.
DATASET_LOADERS = frozenset({"load_dataset"})
# Loaders named by a file format: the data is in the files they read, not in the name.
DATA_FORMATS = frozenset("json csv text parquet arrow pandas imagefolder audiofolder webdataset".split())
# Keywords that seed whatever call receives them (``xgb.cv(..., seed=0)``, ``env.reset(seed=0)``).
SEED_KEYWORDS = frozenset("seed random_state random_seed".split())
# Calls whose first argument (or ``seed=``) is the run's seed; ``seed`` itself only on a
# random module (``random.seed``, ``np.random.seed``).
SEEDING_CALLS = frozenset(
    """
    seed_everything set_seed set_random_seed set_global_seed seed_all fix_seed fix_random_seed
    set_seeds seed_torch random_seed manual_seed manual_seed_all default_rng RandomState
    PRNGKey set_seed_everywhere
    """.split()
)


def is_seed(name: str, value: Any, *, literal: bool = True) -> bool:
    """Whether ``name = value`` is a run's seed: a seed name holding an integer or ``None``."""
    lowered = name.lower()
    if "seed" not in lowered and not lowered.endswith(("random_state", "_key")):
        return False  # the common case, before any cache
    if not literal or not _is_seed_name(name):
        return False
    return value is None or (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, bool) and name.rsplit(".", 1)[-1].lower() == "seed_everything")


@lru_cache(maxsize=8192)
def _is_seed_name(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    lowered = last.lower().replace("-", "_")
    if lowered in SEED_NAMES:
        return True
    if "seed" not in lowered:
        return False
    last_words = set(words(last))
    return "seed" in last_words and not last_words & _NOT_SEED_WORDS


def is_config_root(name: str) -> bool:
    return bool(CONFIG_ROOT.search(name))


def is_whole_config(name: str) -> bool:
    """``config``, ``cfg``, ``hp``: a name for the whole config, even in a file that is one
    (where ``train_cfg`` is one of its sections)."""
    return bool(_WHOLE_CONFIG_ROOT.match(name))


def _is_numeric_or_bool(value: Any) -> bool:
    if isinstance(value, (bool, int, float)):
        return True
    if isinstance(value, (list, tuple)):
        return bool(value) and all(_is_numeric_or_bool(item) for item in value)
    return False


def _value_class(value: Any, literal: bool) -> str:
    """What the decision needs to know of a value, small enough to cache on."""
    if isinstance(value, str) and "${" in value:
        return "reference"  # an OmegaConf interpolation: the value is set where it points
    if isinstance(value, str) and "." in value and _CLASS_PATH.fullmatch(value):
        # a class that only builds itself from the config (``main.DataModuleFromConfig``) is plumbing
        return "plumbing" if value.endswith(("FromConfig", "Wrapper")) else "class"
    if isinstance(value, str) and not literal and _CONFIGURABLE.fullmatch(value):
        return "configurable"
    if not literal:
        return "expression" if str(value).strip() else "empty"
    if value is None:
        return "none"
    if isinstance(value, str):  # an empty string is a string setting left empty (``dataset=''``)
        return "path" if looks_like_path(value) else "string"
    if isinstance(value, (list, tuple)) and not value:
        return "number"  # an empty list is a setting too (``attn_resolutions: []``)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return "paths" if any(looks_like_path(v) for v in value) else "strings"
    return "number" if _is_numeric_or_bool(value) else "other"


def _negative_section(section: str) -> bool:
    """``val_dataloader``, ``model_test_cfg``, ``default_hooks``: nothing under it is tuned."""
    bare = section.split("[", 1)[0].lower()
    return bare in NEGATIVE_SECTIONS or bool(_EVALUATION_FIRST_WORDS.intersection(words(bare))) or (
        "postprocess" in bare.replace("_", ""))  # runs on predictions, after the model


def _compound_exceptions(name_words: tuple[str, ...]) -> set[str]:
    """Negative words that a neighbour makes a setting: ``log_std_init`` is a log-scale value, not
    logging; ``drop_path_uniform`` is stochastic depth, not a path."""
    found = set()
    for word, following in zip(name_words, name_words[1:]):
        if word == "log" and following in _LOG_SCALE_WORDS:
            found.add("log")
        if word == "drop" and following == "path":
            found.add("path")
    return found


def is_counter(name: str) -> bool:
    """``local_iter_num``, ``begin``, ``epoch``: where a loop is, whatever value it starts from
    (``epochs`` and ``num_steps`` are amounts)."""
    name_words = words(name)
    if not name_words or not set(name_words) <= COUNTER_WORDS or set(name_words) & _AMOUNT_WORDS:
        return False
    return not (len(name_words) > 1 and name_words[0] in _AMOUNT_FIRST_WORDS)


def is_hyperparameter(
    name: str,
    value: Any,
    *,
    literal: bool = True,
    keyword_only: bool = False,
    local: bool = False,
    declared: bool = True,
    choice: bool = False,
) -> bool:
    """Whether ``name`` bound to ``value`` is a tunable hyperparameter.

    ``literal`` is False when ``value`` is source text of a non-literal expression;
    ``keyword_only`` judges only the last component (call keywords: ``DataLoader.batch_size``);
    ``local`` marks a plain variable inside a function body; ``declared`` marks a declared
    option (argparse, flags, fields, parameters) as opposed to a plain assignment; ``choice``
    marks a value the code declares as one of several (``choices=[...]``, ``DEFINE_enum``, an
    argument of the class a config builds): a string there needs no word to count.

    Only the value's class (number, string, path, …) matters, never the value itself: an edit
    that changes a number never changes whether it is a hyperparameter.
    """
    if "." in name and not keyword_only and any(_negative_section(section) for section in name.split(".")[:-1]):
        return False  # a sweeper's or evaluator's seed is not the run's
    if is_seed(name, value, literal=literal):
        return value is not None or declared
    if isinstance(value, bool) and literal and name.rsplit(".", 1)[-1].lower() in MODE_SWITCHES:
        return False
    value_class = _value_class(value, literal)
    if value_class == "none" and not declared:
        return False
    if isinstance(value, str) and name.rsplit(".", 1)[-1].lower() in ("task", "task_name"):
        choice = value.strip().lower() not in _RUN_MODES  # a GLUE task, not ``task_name: train``
    if value_class == "string" and _HUB_ID.fullmatch(value) and (
            name.rsplit(".", 1)[-1].lower().replace("-", "_") in POSITIVE_PATH_NAMES):
        value_class = "hub"  # ``data_path="yahma/alpaca-cleaned"``: the data to train on, by its hub id
    if value == "" and literal and words(name.rsplit(".", 1)[-1])[-1:] == ("weights",):
        value_class = "path"  # ``MODEL.WEIGHTS: ''``: the checkpoint to start from, left empty
    return _decide(name, value_class, keyword_only, local, choice)


@lru_cache(maxsize=16384)
def _decide(name: str, value_class: str, keyword_only: bool, local: bool, choice: bool = False) -> bool:
    components = name.split(".")
    last = components[-1].lower().replace("-", "_")
    if last == "_name_":  # a registry's name for what its section builds (``optimizer._name_: adamw``)
        return len(components) > 1 and value_class in ("string", "none") and not _negative_section(
            components[-2]) and not NEGATIVE_WORDS.intersection(words(components[-2]))
    if last == "_target_":  # Hydra's class of a choice section (``model.optimizer._target_``)
        return value_class == "class" and len(components) > 1 and bool(
            STRING_WORDS.intersection(words(components[-2])))
    sections = () if keyword_only else components[:-1]
    if last == "mode" and sections and COMPONENT_WORDS.intersection(words(sections[-1])):
        return value_class in ("string", "expression")  # how a part computes (``sparse_attention.mode``)
    if last in NEGATIVE_NAMES or last.startswith("_") or (keyword_only and last in LAYER_INPUTS):
        return False
    if any(_negative_section(section) for section in sections) or is_counter(components[-1]):
        return False
    if last in INPUT_SHAPES and any(NETWORK_WORDS.intersection(words(section)) for section in sections):
        return False  # a network's input shape follows the data (``model.net.input_size``)
    if last == "strides" and sections and _GENERATOR_WORDS.intersection(words(sections[-1])):
        return False  # anchors follow the backbone's feature levels
    if keyword_only and components[0] in DATASET_LOADERS and last in ("path", "name", "split"):
        return value_class in ("string", "hub")  # ``load_dataset("nyu-mll/glue", "mrpc")``: the data
    if last in POSITIVE_NAMES or value_class == "hub":
        return value_class not in ("path", "paths", "empty")
    if last == "type" and len(components) > 1:  # a registry's class choice (``model.neck.type``)
        section = components[-2].split("[", 1)[0]
        return value_class in ("string", "expression", "class") and section not in TYPE_PLUMBING_SECTIONS and not (
            NEGATIVE_WORDS.intersection(words(section)))
    if last in ("name", "names") and len(components) > 1 and STRING_WORDS.intersection(words(components[-2])):
        return value_class in ("string", "expression", "class")
    last_word_list = words(components[-1])
    last_words = set(last_word_list)
    negative = last_words & NEGATIVE_WORDS
    if {"batch", "size"} <= last_words and "max" not in last_words:
        # ``train_batch_size_per_gpu``: still the batch size; ``MAX_GPU_BATCH_SIZE`` caps what fits in memory
        negative -= _DEVICE_WORDS
    if last_words & _NORMALIZATION_WORDS:
        negative -= _DISTRIBUTED_WORDS  # ``dist_bn``: how normalisation statistics are gathered
    if value_class == "number":
        negative -= _STRING_ONLY_NEGATIVE_WORDS  # ``warmup_prefix``: a switch, not a name's prefix
    negative -= _compound_exceptions(last_word_list)
    if _MEMORY_LAYOUT.search("_".join(last_word_list)):
        return False  # ``channels_first`` / ``channels_last``: a memory layout
    for section in sections:
        negative |= NEGATIVE_WORDS.intersection(words(section))
    if last_word_list and last_word_list[-1] in _DATA_KEY_WORDS and value_class in ("string", "none", "expression"):
        return False  # the name of a field in the data (``input_key``, ``dataset_text_field``)
    evaluation_first = bool(last_word_list) and last_word_list[0] in _EVALUATION_FIRST_WORDS
    if evaluation_first and not _sizes_a_split(last_words):
        return False
    if negative and not (negative <= _QUALIFYING_WORDS and last_words & STRING_WORDS) and not (
            negative == {"name"} and choice and value_class == "string") and not (
        evaluation_first and negative <= _EVALUATION_FIRST_WORDS  # ``validation_split``
    ):
        return False
    if value_class == "configurable":  # every gin binding to a configurable chooses a component
        return True
    if value_class == "class":  # the class a section builds (``optimizer: torch.optim.AdamW``)
        return not any(component.startswith("callback") for component in components)
    if last_word_list and last_word_list[-1] in ("config", "cfg", "conf"):
        # a whole config passed along (``train_loop_config``), not one setting; a word in its place
        # chooses the part (``cond_stage_config: __is_unconditional__``)
        return value_class == "string" and len(last_word_list) > 1
    if last_words & PERIOD_WORDS and not last_words & LEARNING_PERIOD_WORDS:
        return False
    if local and not last_words & STRONG_WORDS:
        return False
    if value_class in ("string", "expression"):
        return choice or bool(last_words & (STRING_WORDS | STRONG_WORDS))
    if value_class == "strings":
        return choice or bool(last_words & STRING_WORDS)
    return value_class in ("number", "none")

# Calls whose literal arguments are hyperparameters when nothing else names them, with the
# names of their positional parameters (None: an argument that is data, not a setting).
OPTIMIZERS = frozenset(
    "SGD Adam AdamW Adamax NAdam RAdam RMSprop Adagrad Adadelta ASGD LBFGS Lion "
    "Adafactor LAMB Lamb SparseAdam FusedAdam AdamW8bit Adam8bit".split()
)
TRAINING_CALLS: dict[str, tuple[str | None, ...]] = {
    # optimizers
    **{name: (None, "lr") for name in OPTIMIZERS},
    # learning-rate schedules
    "StepLR": (None, "step_size", "gamma"),
    "MultiStepLR": (None, "milestones", "gamma"),
    "ExponentialLR": (None, "gamma"),
    "CosineAnnealingLR": (None, "T_max", "eta_min"),
    "CosineAnnealingWarmRestarts": (None, "T_0", "T_mult", "eta_min"),
    "OneCycleLR": (None, "max_lr", "total_steps", "epochs", "steps_per_epoch", "pct_start"),
    "ReduceLROnPlateau": (None, "mode", "factor", "patience"),
    "LinearLR": (None, "start_factor", "end_factor", "total_iters"),
    "PolynomialLR": (None, "total_iters", "power"),
    "get_linear_schedule_with_warmup": (None, "num_warmup_steps", "num_training_steps"),
    "get_cosine_schedule_with_warmup": (None, "num_warmup_steps", "num_training_steps"),
    "get_scheduler": (None, None, "num_warmup_steps", "num_training_steps"),
    # data
    "DataLoader": (None, "batch_size"),
    "random_split": (None, "lengths"),
    "train_test_split": (),
    "load_dataset": ("path", "name"),  # Hugging Face datasets: the data to train on
    **{name: () for name in "KFold StratifiedKFold GroupKFold ShuffleSplit StratifiedShuffleSplit".split()},
    # layers
    "Linear": ("in_features", "out_features", "bias"),
    "LazyLinear": ("out_features",),
    "Bilinear": ("in1_features", "in2_features", "out_features"),
    **{name: ("in_channels", "out_channels", "kernel_size", "stride", "padding") for name in (
        "Conv1d Conv2d Conv3d ConvTranspose1d ConvTranspose2d ConvTranspose3d"
    ).split()},
    **{name: ("p",) for name in "Dropout Dropout1d Dropout2d Dropout3d AlphaDropout".split()},
    **{name: ("num_features", "eps", "momentum") for name in "BatchNorm1d BatchNorm2d BatchNorm3d".split()},
    "LayerNorm": ("normalized_shape", "eps"),
    "GroupNorm": ("num_groups", "num_channels", "eps"),
    "Embedding": ("num_embeddings", "embedding_dim"),
    **{name: ("input_size", "hidden_size", "num_layers") for name in "LSTM GRU RNN".split()},
    "MultiheadAttention": ("embed_dim", "num_heads", "dropout"),
    "TransformerEncoderLayer": ("d_model", "nhead", "dim_feedforward", "dropout"),
    "TransformerDecoderLayer": ("d_model", "nhead", "dim_feedforward", "dropout"),
    "TransformerEncoder": (None, "num_layers"),
    "TransformerDecoder": (None, "num_layers"),
    "Transformer": ("d_model", "nhead", "num_encoder_layers", "num_decoder_layers", "dim_feedforward", "dropout"),
    "LeakyReLU": ("negative_slope",),
    "MaxPool2d": ("kernel_size", "stride"),
    "AvgPool2d": ("kernel_size", "stride"),
    "Dense": ("units",),
    # torchvision augmentations
    "RandomResizedCrop": ("size", "scale", "ratio"),
    "RandomCrop": ("size", "padding"),
    "RandomHorizontalFlip": ("p",),
    "RandomVerticalFlip": ("p",),
    "RandomRotation": ("degrees",),
    "ColorJitter": ("brightness", "contrast", "saturation", "hue"),
    "RandomErasing": ("p", "scale", "ratio"),
    "RandAugment": ("num_ops", "magnitude"),
    "Resize": ("size",),
    "CenterCrop": ("size",),
    "RandomAffine": ("degrees", "translate", "scale", "shear"),
    "RandomPerspective": ("distortion_scale", "p"),
    "RandomSolarize": ("threshold", "p"),
    "RandomPosterize": ("bits", "p"),
    "RandomAdjustSharpness": ("sharpness_factor", "p"),
    **{name: ("p",) for name in "RandomAutocontrast RandomEqualize RandomInvert".split()},
    "Normalize": ("mean", "std"),  # the data's statistics
    "TrivialAugmentWide": ("num_magnitude_bins",),
    "GaussianBlur": ("kernel_size", "sigma"),
    "RandomGrayscale": ("p",),
    "RandomApply": (None, "p"),
    # functional layers (``F.max_pool2d(x, 2)``, ``F.dropout(x, 0.5)``)
    **{name: (None, "kernel_size", "stride") for name in "max_pool1d max_pool2d max_pool3d avg_pool1d avg_pool2d".split()},
    "dropout": (None, "p"),
    "leaky_relu": (None, "negative_slope"),
    **{name: ("filters", "kernel_size", "strides") for name in (
        "Conv1D Conv2D Conv3D SeparableConv1D SeparableConv2D Conv2DTranspose Conv3DTranspose"
    ).split()},
    **{name: ("pool_size", "strides") for name in (
        "MaxPooling1D MaxPooling2D MaxPooling3D AveragePooling1D AveragePooling2D AveragePooling3D"
    ).split()},
    **{name: ("rate",) for name in "SpatialDropout1D SpatialDropout2D GaussianDropout".split()},
    "GaussianNoise": ("stddev",),
    "SimpleRNN": ("units",),
    # optax / functional optimizers: the first argument is the learning rate (or its schedule)
    **{name: ("learning_rate",) for name in "adam adamw sgd lamb lars adafactor rmsprop adagrad lion".split()},
    # losses and regularisation
    "CrossEntropyLoss": (),
    "clip_grad_norm_": (None, "max_norm"),
    "clip_grad_value_": (None, "clip_value"),
    # trainers and fits
    "Trainer": (),
    "fit": (None, None),
    "compile": (),  # Keras: ``model.compile(optimizer="adam", loss=...)``
    "from_pretrained": ("pretrained_model_name_or_path",),
    "EarlyStopping": (),
    "LayerNormalization": (),  # Keras
    "MultiHeadAttention": ("num_heads", "key_dim"),
    # classical models (and any ``*Classifier``/``*Regressor``, see ``training_call_parameters``)
    **{name: () for name in (
        "LogisticRegression SVC SVR LinearSVC LinearSVR Ridge Lasso ElasticNet KMeans PCA "
        "TruncatedSVD GaussianNB MultinomialNB TfidfVectorizer CountVectorizer "
        "HistGradientBoostingClassifier CatBoostClassifier"
    ).split()},
}
_ESTIMATOR_SUFFIXES = ("Classifier", "Regressor", "Regression")
# What PyTorch calls ``p`` Keras calls ``rate`` (``layers.Dropout(0.5)`` in a Keras file).
KERAS_PARAMETERS = {"p": "rate", "input_size": "units", "num_embeddings": "input_dim",
                    "embedding_dim": "output_dim"}


def training_call_parameters(callee: str) -> tuple[str | None, ...] | None:
    """The positional parameter names of a training call, or None if ``callee`` is not one."""
    parameters = TRAINING_CALLS.get(callee)
    if parameters is None and callee[:1].isupper() and callee.endswith(_ESTIMATOR_SUFFIXES):
        return ()  # scikit-learn, XGBoost, LightGBM, CatBoost estimators take keywords
    return parameters

# Layers with weights: the last one a model builds is its output layer.
WEIGHT_LAYERS = frozenset(
    "Linear LazyLinear Bilinear Conv1d Conv2d Conv3d ConvTranspose1d ConvTranspose2d ConvTranspose3d "
    "Embedding LSTM GRU RNN MultiheadAttention Transformer TransformerEncoder TransformerDecoder "
    "TransformerEncoderLayer TransformerDecoderLayer Dense Conv1D Conv2D Conv3D SeparableConv1D "
    "SeparableConv2D Conv2DTranspose Conv3DTranspose SimpleRNN".split()
)
# Packages whose classes ``TRAINING_CALLS`` describes: positional arguments of a class reached
# through any other module (``utils.GaussianBlur(1.0)``) are named by position, not by this table.
LIBRARY_PACKAGES = frozenset(
    "torch torchvision keras tensorflow tf_keras optax transformers sklearn timm lightning "
    "pytorch_lightning xgboost lightgbm catboost bitsandbytes apex deepspeed lion_pytorch "
    "torch_optimizer jax flax datasets".split()
)

# A layer's input size: fixed by the data or forced by the layer before it, never tuned.
LAYER_INPUTS = frozenset(
    "in_features in_channels in1_features in2_features input_size num_features num_channels "
    "normalized_shape input_dim num_embeddings in_feat in_feats in_dim in_ch in_planes inplanes".split()
)
# The settings of a model's output layer are the task's (its width is the class count).
OUTPUT_LAYERS = frozenset("Linear LazyLinear Dense".split())
OUTPUT_SETTINGS = frozenset("out_features units activation".split())
# The ``type`` of these sections picks the runner's machinery, not the model (OpenMMLab).
TYPE_PLUMBING_SECTIONS = frozenset("train_cfg optim_wrapper runner".split())

# Words of a function that trains or splits data: its tuning keywords count even when the
# function is a library's (``stratify_split(test_size=0.2)``, ``train_model(max_epochs=50)``).
TRAINING_FUNCTION_WORDS = frozenset("train training fit split finetune learn optimize tune cv".split())

# Keywords that tune training whatever function receives them (``stratify_split(test_size=0.2)``,
# ``train_model(max_epochs=50)``): any call's literal keyword by one of these names is reported.
TUNING_KEYWORDS = frozenset(
    """
    lr learning_rate base_lr batch_size epochs num_epochs max_epochs max_steps num_train_epochs
    weight_decay momentum dropout dropout_rate warmup_steps warmup_ratio warmup_epochs test_size
    val_size train_size validation_split label_smoothing grad_clip max_grad_norm num_boost_round
    n_estimators
    """.split()
)

# Keywords of training calls that wire things up rather than tune them (the task's loss and
# metrics included: ``model.compile(loss="categorical_crossentropy", metrics=["accuracy"])``).
CALL_STRUCTURE_KEYWORDS = frozenset(
    """
    loss metrics
    params model module optimizer dataset collate_fn sampler batch_sampler generator
    drop_last monitor logger callbacks strategy x y validation_data verbose dirpath
    filename n_jobs device dtype num_workers pin_memory persistent_workers
    prefetch_factor worker_init_fn
    """.split()
)

# Class-name endings that mark a config object: its constructor keywords are hyperparameters.
CONFIG_CLASS_SUFFIXES = ("Config", "Args", "Arguments", "Hparams", "HParams", "Params",
                         "Hyperparameters", "Settings", "Options", "Cfg")

# Constructors of attribute/dict-like config containers.
NAMESPACE_CALLS = frozenset(
    "SimpleNamespace Namespace ConfigDict FrozenConfigDict EasyDict edict AttrDict Box "
    "DotMap Munch create CN CfgNode ConfigNode".split()
)

# Loop variables of ``for epoch in range(10)`` and the name reported for the bound.
LOOP_NAMES = {"epoch": "epochs", "ep": "epochs", "epochs": "epochs", "step": "steps",
              "steps": "steps", "it": "iters", "iter": "iters", "iteration": "iters"}
