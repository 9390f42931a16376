"""Hyperparameter extraction: Python training scripts and YAML/JSON/TOML/gin configs.

Public API (everything else in this package is an implementation detail):

- ``Hyperparameter``: one tunable value with its name, value, source text, kind and span.
- ``ExtractOptions(include=(), exclude=())``: fnmatch patterns from the project card.
- ``extract_text(text, path, options=None) -> list[Hyperparameter]``: dispatch on suffix.
- ``extract_file(path, options=None) -> list[Hyperparameter]``: read, then ``extract_text``.
- ``script_text(text, path) -> str``: the Python of a script file (a notebook's code cells).
- ``diff_hyperparameters(old, new) -> list[Change]``: what differs, by value.
- ``same_value(a, b) -> bool``: value equality across formats (``5e-4`` == ``0.0005``).
- ``normalize_value(v)``: the canonical form ``same_value`` compares.

Names are the ones the code reads: the constant (``LEARNING_RATE``), argparse's ``dest``,
the flag/option/field/parameter name (a nested dataclass under its path: ``opt.lr``; a class
a LightningCLI exposes under ``model.``/``data.``), the dotted key path in a nested config
(``optimizer.lr``, list items ``param_scheduler[0].end``; a dict/namespace/attribute config's
own variable name is dropped, so ``cfg.model.n_layer = 12`` is ``model.n_layer``, while a file
that is a config keeps its module-level names: ``optim_wrapper.optimizer.lr``), a gin binding
as written, ``Callee.param`` for a literal argument of a training call or of a call to a
function or class the file defines (``AdamW.lr``; the n-th call of one callee in the file is
``Callee#n.param``; a layer kept in an attribute is named by it: ``dropout2``,
``fc1.out_features``; a positional argument of a class from the project's own modules, whose
signature the file does not show, by its position: ``Solarization.0``), and
``epochs``/``steps``/``iters`` for ``for epoch in range(N)``. A module-level name bound twice
is reported where the run reads it: its last unconditional binding.

``Hyperparameter.kind`` is one of:
``constant`` (a literal assignment; in a function body only for strong names like ``lr``),
``argparse``, ``flag`` (absl ``DEFINE_*``), ``click`` (click options, typer commands),
``fire`` (parameter defaults of a function passed to ``fire.Fire`` or jsonargparse ``CLI``),
``dataclass`` (fields of dataclass-like config classes), ``constructor`` (keywords of a
``...Config(...)``/``...Arguments(...)`` call), ``dict``, ``namespace``, ``attribute``,
``call`` (training-call keywords), ``loop``, ``signature`` (``__init__`` defaults a CLI
exposes: LightningModule/DataModule, LightningCLI, jsonargparse) and ``config``
(YAML/JSON/TOML/gin);
a seed is ``seed`` whatever declared it (part of the run's state, not a tuning knob).
What is *not* a hyperparameter (logging, paths, devices, workers, trackers …) is
decided in ``vocabulary``.
"""

from paribus.core.extract.api import (
    ExtractOptions,
    extract_file,
    extract_text,
    script_text,
)
from paribus.core.extract.model import Change, Hyperparameter
from paribus.core.extract.values import (
    diff_hyperparameters,
    normalize_value,
    same_value,
)

__all__ = [
    "Change",
    "ExtractOptions",
    "Hyperparameter",
    "diff_hyperparameters",
    "extract_file",
    "extract_text",
    "normalize_value",
    "same_value",
    "script_text",
]
