"""One chunk of Python → candidates, for every declaration style (static reading only).

Styles: module constants, dataclass-like config classes (nested ones under their field),
config constructors (``TrainingArguments(...)``), the signatures a CLI exposes, keywords of
training calls and of calls to the file's own functions, seeding calls and ``for epoch in
range(N)``; command-line declarations are read by ``python_cli``, config containers (dicts,
namespaces, lazy calls, attribute paths) by ``python_configs``.
"""

from __future__ import annotations

import ast
import re
from itertools import count

from paribus.core.extract import vocabulary
from paribus.core.extract.candidates import Candidate, ChunkFacts
from paribus.core.extract.python_cli import CLASS_EXPOSING_CALLS, CommandLineReaders, evaluation_only
from paribus.core.extract.python_configs import ConfigContainers, is_computation, is_formula, names_in as _names_in
from paribus.core.extract.python_models import is_augmentation, pipeline_steps, returned_attributes
from paribus.core.extract.python_source import (
    SourceLines,
    callee_name,
    calls_in,
    dotted_name,
    try_literal,
)

_DATACLASS_DECORATORS = {"dataclass", "define", "frozen", "mutable", "s", "attrs", "dataclasses"}
_CONFIG_BASES = {"BaseModel", "BaseSettings", "NamedTuple", "Tap", "Serializable", "TypedDict",
                 "PretrainedConfig", "Config", "Struct"}
_FIELD_CALLS = {"field", "Field", "ib", "attrib", "field_"}


def _is_config_class(node: ast.ClassDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = dotted_name(target) or ""
        if name.split(".")[-1] in _DATACLASS_DECORATORS:
            return True
    for base in node.bases:
        name = (dotted_name(base) or "").split(".")[-1]
        if name in _CONFIG_BASES or name.endswith(vocabulary.CONFIG_CLASS_SUFFIXES):
            return True
    return node.name.endswith(vocabulary.CONFIG_CLASS_SUFFIXES)


def _header_expressions(statement: ast.stmt) -> list[ast.AST]:
    """The expressions a statement evaluates itself (not those of its nested blocks)."""
    if isinstance(statement, (ast.If, ast.While)):
        return [statement.test]
    if isinstance(statement, (ast.For, ast.AsyncFor)):
        return [statement.iter]
    if isinstance(statement, (ast.With, ast.AsyncWith)):
        return [item.context_expr for item in statement.items]
    if isinstance(statement, (ast.Try, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
        return []
    if hasattr(ast, "TryStar") and isinstance(statement, ast.TryStar):
        return []
    if isinstance(statement, ast.Match):
        return [statement.subject]
    return [statement]


_LIGHTNING_BASES = {"LightningModule", "LightningDataModule"}
_EVALUATION_TARGET = re.compile(
    r"(test|val|valid|validation|eval|evaluation)(_|loader|set|dataset|data|transforms?|$)", re.IGNORECASE)
# Config classes that only serve evaluation or generation: their fields tune no training.
_EVALUATION_CLASS_WORDS = frozenset("generation generate eval evaluation inference predict prediction test".split())


def _loads_a_tool(call: ast.Call) -> bool:
    """``AutoTokenizer.from_pretrained(...)``: the model's companion, not a choice of its own."""
    receiver = dotted_name(call.func) or ""
    return any(part in receiver for part in ("Tokenizer", "Processor", "FeatureExtractor", "Config"))


_ENTRY_POINTS = {"main", "train", "setup", "run", "fit", "finetune", "pretrain", "cli_main"}
_FILLING_METHODS = frozenset("append extend insert add update".split())


def _compares_to_a_word(test: ast.AST) -> bool:
    """``dataset_name == "alpaca"``, ``args.optimizer in ("sgd", "lars")``: a branch of a dispatch."""
    return any(isinstance(node, ast.Compare) and any(
        isinstance(inner, ast.Constant) and isinstance(inner.value, str)
        for comparator in node.comparators for inner in ast.walk(comparator)) for node in ast.walk(test))


def _field_help(call: ast.Call) -> ast.AST | None:
    """The help text of ``field(..., metadata={"help": "..."})``."""
    metadata = next((k.value for k in call.keywords if k.arg == "metadata"), None)
    if isinstance(metadata, ast.Dict):
        for key, value in zip(metadata.keys, metadata.values):
            if isinstance(key, ast.Constant) and key.value == "help":
                return value
    return None


def _fallback(node: ast.AST) -> ast.AST:
    """``x.split(",") if x else ["q_proj", "v_proj"]``: the literal the file falls back to is the
    value the run takes unless told otherwise."""
    if isinstance(node, ast.IfExp):
        body, orelse = try_literal(node.body)[0], try_literal(node.orelse)[0]
        if body != orelse:
            return node.body if body else node.orelse
    return node


_BUILTINS = frozenset(
    "print len range int float str bool list dict set tuple isinstance open enumerate zip min max sum "
    "sorted getattr setattr hasattr super type round abs any all format repr iter next map filter "
    "Path partial".split()
)


def _is_plain(statement: ast.stmt) -> bool:
    """An import, an assignment or a docstring: what a file that is a config is made of."""
    if isinstance(statement, (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign)):
        return True
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
        return True
    return isinstance(statement, ast.With) and all(
        isinstance(item.context_expr, ast.Call) and callee_name(item.context_expr) == "read_base"
        for item in statement.items)


def _nested_class(value: ast.AST) -> tuple[str, list[ast.keyword]] | None:
    """The config class a field holds and the values it sets: ``field(default_factory=Optim)``,
    ``Optim(lr=0.1)``, ``field(default_factory=partial(Task, "age", num_layers=2))``."""
    if not isinstance(value, ast.Call):
        return None
    if callee_name(value) in _FIELD_CALLS:
        built = next((k.value for k in value.keywords if k.arg in ("default_factory", "factory", "default")), None)
        if isinstance(built, ast.Lambda):
            built = built.body
    else:
        built = value
    keywords: list[ast.keyword] = []
    if isinstance(built, ast.Call) and callee_name(built) == "partial" and built.args:
        built, keywords = built.args[0], built.keywords
    elif isinstance(built, ast.Call) and not built.args:
        built, keywords = built.func, built.keywords
    last = (dotted_name(built) or "").split(".")[-1] if built is not None else ""
    if not last[:1].isupper() or last in ("dict", "list"):
        return None
    return last, [keyword for keyword in keywords if keyword.arg]


def _is_lightning_class(node: ast.ClassDef) -> bool:
    """A LightningModule/DataModule: its ``__init__`` defaults are what its CLI exposes."""
    return any((dotted_name(base) or "").split(".")[-1] in _LIGHTNING_BASES for base in node.bases)


def _documented_as_computed(following: list[ast.stmt]) -> bool:
    """A field whose docstring says the value is computed when the program runs."""
    if not following or not isinstance(following[0], ast.Expr):
        return False
    value = following[0].value
    return isinstance(value, ast.Constant) and isinstance(value.value, str) and bool(
        vocabulary.COMPUTED_AT_RUN_TIME.search(value.value))


def _calls_save_hyperparameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Lightning records ``__init__``'s arguments as the module's hyperparameters."""
    for statement in node.body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            if callee_name(statement.value) == "save_hyperparameters":
                return True
    return False


class ChunkReader(CommandLineReaders, ConfigContainers):
    def __init__(self, text: str) -> None:
        self.source = SourceLines(text)
        self.facts = ChunkFacts()
        self._call_ids = count()
        self.conditional_depth = 0
        self.dispatch_depth = 0  # inside ``if dataset_name == "alpaca":``: a choice made elsewhere
        self._module_level = False  # reading a function defined at module level
        self.tested_names: list[set[str]] = []  # names the enclosing ``if`` tests read
        self._config_class: str | None = None
        # Training calls assigned to an attribute: ``self.dropout2 = nn.Dropout(0.5)``.
        self._attribute_calls: dict[int, str] = {}
        # The output layer of a model (the last ``Linear``/``Dense`` of a Sequential or a function).
        self._output_calls: set[int] = set()
        # Per function being read: (call id, callee) of the last layer built so far.
        self._last_layers: list[tuple[int, str] | None] = []
        # Per class being read: attribute → (call id, callee) of the last layer its assignment builds.
        self._attribute_layers: list[dict[str, tuple[int, str]]] = []
        self._statement_layers: list[tuple[int, str]] = []  # layers the current statement builds
        self._class_last_layers: list[tuple[int, str] | None] = []  # per class: its methods' last layer
        self._evaluation_calls: set[int] = set()  # calls building what only evaluation uses
        self._pipeline_steps: set[int] = set()  # the steps of a transforms pipeline (``Compose([...])``)
        self._param_groups: set[str] = set()  # loop variables over an optimizer's ``param_groups``

    # -- helpers ---------------------------------------------------------------------------

    def _candidate(self, name: str, node: ast.AST, kind: str, **extra) -> Candidate | None:
        """A candidate for ``node``'s value: its literal value, else its source text."""
        is_literal, value = try_literal(node)
        if is_literal and isinstance(value, dict):
            return None
        text = self.source.text(node)
        return Candidate(name, value if is_literal else text, text, kind,
                         self.source.span(node), literal=is_literal, **extra)

    def _add(self, candidate: Candidate | None) -> Candidate | None:
        if candidate is not None and candidate.name:
            self.facts.candidates.append(candidate)
        return candidate

    # -- statements ------------------------------------------------------------------------

    def read(self, module: ast.Module) -> ChunkFacts:
        for statement in module.body:
            self._module_level = isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
            if not _is_plain(statement):
                self.facts.plain = False
            self._statement(statement, "module", None)
        return self.facts

    def _body(self, statements: list[ast.stmt], scope: str, owner: str | None = None) -> None:
        for index, statement in enumerate(statements):
            if scope == "config-class" and _documented_as_computed(statements[index + 1 : index + 2]):
                continue  # ``batch_size: int = 0  """computed in runtime"""``
            self._statement(statement, scope, owner)

    def _statement(self, statement: ast.stmt, scope: str, owner: str | None) -> None:
        if isinstance(statement, (ast.Assign, ast.AnnAssign)) and isinstance(statement.value, ast.Call):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            attribute = dotted_name(targets[0]) if isinstance(targets[0], ast.Attribute) else None
            if attribute and len(targets) == 1:
                self._attribute_calls[id(statement.value)] = attribute.removeprefix("self.")
            if _EVALUATION_TARGET.match((dotted_name(targets[0]) or "").rsplit(".", 1)[-1]):  # ``testloader = ...``
                self._evaluation_calls.update(id(node) for node in calls_in(statement.value))
        calls = [node for expression in _header_expressions(statement) for node in calls_in(expression)]
        self._pipeline_steps.update(id(step) for call in calls for step in pipeline_steps(call))
        self._statement_layers = []
        for node in sorted(calls, key=lambda call: (call.lineno, call.col_offset)):
            self._call(node)
        if self._statement_layers and self._attribute_layers and isinstance(statement, ast.Assign):
            attribute = dotted_name(statement.targets[0]) or ""
            if attribute.startswith("self."):  # ``self.critic = nn.Sequential(..., nn.Linear(64, 1))``
                self._attribute_layers[-1][attribute.removeprefix("self.")] = self._statement_layers[-1]
        self._note_run_time_writes(statement)
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self._function(statement, owner)
            self._last_layers.append(None)
            self._body(statement.body, scope="function")
            last = self._last_layers.pop()
            if owner is not None and self._attribute_layers and last is not None:
                self._class_last_layers[-1] = last  # settled with what the class's methods return
            else:
                self._drop_output_layer(last)
        elif isinstance(statement, ast.ClassDef):
            for expression in statement.decorator_list + statement.bases:
                for node in calls_in(expression):
                    self._call(node)
            if _is_lightning_class(statement):
                self.facts.cli_functions.append((statement.name, "signature", ""))
            class_scope = "config-class" if _is_config_class(statement) else "class"
            outer, self._config_class = self._config_class, statement.name
            self._attribute_layers.append({})
            self._class_last_layers.append(None)
            self._body(statement.body, scope=class_scope, owner=statement.name)
            layers, last = self._attribute_layers.pop(), self._class_last_layers.pop()
            returned = returned_attributes(statement) & layers.keys() if layers else set()
            for attribute in returned:
                self._drop_output_layer(layers[attribute])  # what ``forward`` returns is the output
            if not returned:
                self._drop_output_layer(last)  # else the last layer its methods build
            self._config_class = outer
        elif isinstance(statement, ast.Assign):
            for target in statement.targets:
                self._assignment(target, statement.value, scope)
        elif isinstance(statement, ast.AnnAssign) and "ClassVar" in (dotted_name(getattr(
                statement.annotation, "value", statement.annotation)) or ""):
            return  # a class constant, not a field the command line sets
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            self._assignment(statement.target, statement.value, scope)
        elif isinstance(statement, ast.AnnAssign) and scope == "config-class":
            nested = (dotted_name(statement.annotation) or "").rsplit(".", 1)[-1]
            if nested[:1].isupper() and isinstance(statement.target, ast.Name):  # ``opt: OptimizerConfig``
                self.facts.nestings.append((nested, statement.target.id, self._config_class, []))
        elif isinstance(statement, (ast.For, ast.AsyncFor)):
            if any(isinstance(node, ast.Attribute) and node.attr == "param_groups" for node in ast.walk(statement.iter)):
                self._param_groups |= _names_in(statement.target)  # ``for group in optimizer.param_groups``
            self._loop(statement)
            self._body(statement.body, "function" if scope == "module" else scope)
            self._body(statement.orelse, scope)
        elif isinstance(statement, ast.ImportFrom) and scope == "module":
            self._import_from(statement)
        elif isinstance(statement, ast.Import) and scope == "module":
            for alias in statement.names:
                package = alias.name.split(".")[0]
                self.facts.packages.add(package)
                self.facts.import_sources[alias.asname or package] = package
        else:
            if isinstance(statement, ast.With) and any(
                isinstance(item.context_expr, ast.Call) and callee_name(item.context_expr) == "read_base"
                for item in statement.items
            ):
                self.facts.config_module = True  # mmengine's pure-Python config inheritance
            # A loop body runs at run time; a try block probes the environment (``has_wandb = True``).
            inner_scope = "function" if isinstance(statement, (ast.While, ast.Try)) else scope
            conditional = isinstance(statement, (ast.If, ast.Try, ast.While))
            dispatch = isinstance(statement, ast.If) and _compares_to_a_word(statement.test)
            self.conditional_depth += conditional
            self.dispatch_depth += dispatch
            tested = _names_in(statement.test) if isinstance(statement, ast.If) else set()
            self.tested_names.append(tested)
            for field_name in ("body", "orelse", "finalbody"):
                self._body(getattr(statement, field_name, []), inner_scope)
            for handler in getattr(statement, "handlers", []):
                self._body(handler.body, inner_scope)
            for case in getattr(statement, "cases", []):
                self._body(case.body, inner_scope)
            self.tested_names.pop()
            self.conditional_depth -= conditional
            self.dispatch_depth -= dispatch

    def _note_run_time_writes(self, statement: ast.stmt) -> None:
        """Counters and accumulators (``n += 1``, ``steps.append(s)``) and the optimizer settings a
        schedule writes (``param_group["lr"] = lr``): values the run fills in, not settings."""
        if isinstance(statement, ast.AugAssign) and isinstance(statement.op, ast.Add) and isinstance(
                statement.target, ast.Name):
            self.facts.mutated.add(statement.target.id)
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            func = statement.value.func
            if isinstance(func, ast.Attribute) and func.attr in _FILLING_METHODS and isinstance(func.value, ast.Name):
                self.facts.mutated.add(func.value.id)
        elif isinstance(statement, ast.Assign):
            for target in statement.targets:
                if (isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant)
                        and isinstance(target.slice.value, str) and self._writes_a_param_group(target.value)):
                    self.facts.overwritten_settings.add(target.slice.value)

    def _writes_a_param_group(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self._param_groups
        return any(isinstance(inner, ast.Attribute) and inner.attr == "param_groups" for inner in ast.walk(node))

    def _assignment(self, target: ast.AST, value: ast.AST, scope: str) -> None:
        if self.tested_names and (
            (isinstance(target, ast.Name) and any(target.id in tested for tested in self.tested_names))
            or (isinstance(target, ast.Attribute) and any(target.attr in tested for tested in self.tested_names))
        ):
            return  # ``if x is None: x = 16``: a fallback filled in at run time, not a setting
        if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
            if len(target.elts) == len(value.elts):
                for sub_target, sub_value in zip(target.elts, value.elts):
                    self._assignment(sub_target, sub_value, scope)
            return
        if isinstance(target, ast.Name):
            self._name_assignment(target.id, value, scope)
        elif isinstance(target, ast.Attribute) and scope not in ("class", "config-class"):
            self._attribute_assignment(target, value)
        elif isinstance(target, ast.Subscript):
            self._subscript_assignment(target, value)

    def _name_assignment(self, name: str, value: ast.AST, scope: str) -> None:
        if scope == "config-class":
            self._class_field(name, value)
            return
        if scope == "class":
            return
        if scope == "module" and name == "_base_":
            self.facts.config_module = True  # OpenMMLab inheritance: the file is a config
            return
        if scope == "module" and isinstance(value, (ast.Dict, ast.Call)):
            self._remember_dict_items(name, value)
        if self._config_binding(name, value, scope):
            return
        is_literal, _ = try_literal(value)
        if not is_literal:
            if scope == "module" and is_formula(value):  # ``WARMUP_STEPS = int(0.1 * TOTAL_STEPS)``
                self._add(self._candidate(name, value, "constant"))
            elif scope != "module" and self.conditional_depth and is_computation(value) and name not in _names_in(value):
                self.facts.computed_locals.add(name)  # ``if …: accumulation = batch_size // max_batch``
            return
        candidate = self._candidate(name, value, "constant", local=scope != "module",
                                    rebinding=scope == "module" and not self.conditional_depth)
        if candidate is None:
            return
        self._add(candidate)
        if scope == "module":
            self.facts.bindings[name] = candidate

    def _remember_dict_items(self, name: str, value: ast.AST) -> None:
        """Module dicts that argparse defaults may read (``default=defaults["lr"]``)."""
        pairs: list[tuple[str, ast.AST]] = []
        if isinstance(value, ast.Dict):
            pairs = [(key.value, item) for key, item in zip(value.keys, value.values)
                     if isinstance(key, ast.Constant) and isinstance(key.value, str)]
        elif isinstance(value, ast.Call):
            pairs = [(keyword.arg, keyword.value) for keyword in value.keywords if keyword.arg]
        for key, item in pairs:
            candidate = self._candidate(key, item, "dict")
            if candidate is not None:
                self.facts.dict_items[(name, key)] = candidate

    def _class_field(self, name: str, value: ast.AST) -> None:
        if self._config_class and _EVALUATION_CLASS_WORDS.intersection(vocabulary.words(self._config_class)):
            return  # ``GenerationArguments.num_beams``: only generation reads it
        nested = _nested_class(value)
        if nested:  # ``optimizer: OptimizerConfig = field(default_factory=OptimizerConfig)``
            overrides = [self._candidate(keyword.arg, keyword.value, "dataclass") for keyword in nested[1]
                         if try_literal(keyword.value)[0]]
            self.facts.nestings.append((nested[0], name, self._config_class, [c for c in overrides if c]))
            return
        if isinstance(value, ast.Call) and callee_name(value) in _FIELD_CALLS:
            if evaluation_only(_field_help(value)):
                return  # ``metadata={"help": "… (for evaluation only)"}``
            default = next((k.value for k in value.keywords if k.arg == "default"), None)
            if default is None and callee_name(value) == "Field" and value.args:
                default = value.args[0]
            factory = next((k.value for k in value.keywords if k.arg in ("default_factory", "factory")), None)
            if default is None and isinstance(factory, ast.Lambda):
                default = factory.body
            if default is None:
                return
            value = default
        if try_literal(value)[0]:
            self._add(self._candidate(name, value, "dataclass", owner=self._config_class))

    def _loop(self, statement: ast.For | ast.AsyncFor) -> None:
        target, iterator = statement.target, statement.iter
        if not (isinstance(target, ast.Name) and target.id in vocabulary.LOOP_NAMES):
            return
        if isinstance(iterator, ast.Call) and callee_name(iterator) == "range" and iterator.args:
            bound = iterator.args[1] if len(iterator.args) > 1 else iterator.args[0]
            if (isinstance(bound, ast.BinOp) and isinstance(bound.op, ast.Add) and len(iterator.args) > 1
                    and ast.dump(bound.left) == ast.dump(iterator.args[0])):
                bound = bound.right  # ``range(start_epoch, start_epoch + 200)``: 200 epochs
            if try_literal(bound)[0]:
                self._add(self._candidate(vocabulary.LOOP_NAMES[target.id], bound, "loop"))

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, owner: str | None) -> None:
        self._decorators(node)
        arguments = node.args
        positional = arguments.posonlyargs + arguments.args
        pairs = list(zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults))
        pairs += [(arg, default) for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults)
                  if default is not None]
        defaults = []
        for argument, default in pairs:
            if isinstance(default, ast.Call) and callee_name(default) in ("Option", "Argument"):
                inner = default.args[0] if default.args else next(
                    (k.value for k in default.keywords if k.arg == "default"), None)
                if inner is None:
                    continue
                default = inner
            if try_literal(default)[0]:
                candidate = self._candidate(argument.arg, default, "fire")
                if candidate is not None:
                    defaults.append(candidate)
            elif isinstance(default, ast.Call) and callee_name(default).endswith(vocabulary.CONFIG_CLASS_SUFFIXES):
                defaults += [candidate for keyword in default.keywords if keyword.arg and try_literal(keyword.value)[0]
                             for candidate in [self._candidate(f"{argument.arg}.{keyword.arg}", keyword.value, "fire")]
                             if candidate is not None]  # ``train: TrainArgs = TrainArgs(epochs=5)``
        key = owner if node.name == "__init__" and owner else node.name
        self.facts.signatures[key] = defaults
        self.facts.parameters[key] = [argument.arg for argument in positional + arguments.kwonlyargs
                                      if argument.arg not in ("self", "cls")]
        if owner is None and node.name in _ENTRY_POINTS and self._module_level:
            self.facts.entry_points.append(node.name)
        self._module_level = False  # functions nested in this one are not entry points
        if node.name == "__init__" and owner and _calls_save_hyperparameters(node):
            self.facts.cli_functions.append((owner, "signature", ""))

    def _call(self, call: ast.Call) -> None:
        name = callee_name(call)
        if name == "add_argument":
            self._argparse_argument(call)
        elif name == "set_defaults":
            self._argparse_set_defaults(call)
        elif name.startswith("DEFINE_") and not name.startswith("DEFINE_config"):  # a config file's path
            self._absl_flag(call, name)
        elif name in ("Fire", "CLI", "run") and self._cli_call(call, name):
            return
        elif name == "LightningCLI":
            self._lightning_cli(call)
        elif name in CLASS_EXPOSING_CALLS:
            self._exposed_class(call, name)
        elif name == "add_arguments" and call.args and isinstance(call.args[0], ast.Name):
            self._nested_arguments(call)
        elif vocabulary.training_call_parameters(name) is not None:
            if name == "Sequential" or name.endswith("Sequential"):
                self._mark_output_layer([call])
            self._training_call(call, name)
        elif name in vocabulary.SEEDING_CALLS or (
            name == "seed" and (dotted_name(call.func) or "").endswith("random.seed")
        ):
            self._seeding_call(call, name)
        elif (name.endswith(vocabulary.CONFIG_CLASS_SUFFIXES) and name[:1].isupper()
              and not vocabulary.NEGATIVE_WORDS.intersection(vocabulary.words(name))):  # not ``CheckpointConfig``
            for keyword in call.keywords:
                value = _fallback(keyword.value)
                if keyword.arg and try_literal(value)[0]:
                    self._add(self._candidate(keyword.arg, value, "constructor"))
        elif name == "Sequential" or name.endswith("Sequential"):
            self._mark_output_layer([call])
        elif id(call) in self._pipeline_steps or is_augmentation(name):
            self._training_call(call, name, step=True)  # ``utils.Solarization(0.2)``, ``layers.RandomFlip(...)``
        elif isinstance(call.func, ast.Name) and name not in _BUILTINS and (call.args or call.keywords):
            self._training_call(call, name, local=True)  # resolved if the file defines ``name``
        elif vocabulary.TRAINING_FUNCTION_WORDS.intersection(vocabulary.words(name)) and any(
                keyword.arg in vocabulary.TUNING_KEYWORDS | vocabulary.SEED_KEYWORDS for keyword in call.keywords):
            self._training_call(call, name, tuning_only=True)
        elif any(keyword.arg in vocabulary.SEED_KEYWORDS for keyword in call.keywords):
            self._training_call(call, name, seeds_only=True)  # ``dataset.shuffle(seed=42)``
        for keyword in call.keywords:
            if keyword.arg == "config" and name not in vocabulary.NAMESPACE_CALLS:
                self._container_entries(keyword.value, "", "dict")

    def _seeding_call(self, call: ast.Call, name: str) -> None:
        """``torch.manual_seed(0)`` → ``manual_seed.seed``: a training call whose value is the seed
        (``1337 + seed_offset`` included: the literal part is what a run changes)."""
        seed = call.args[0] if call.args else next(
            (keyword.value for keyword in call.keywords if keyword.arg == "seed"), None)
        call_id = next(self._call_ids)
        # ``random.seed(0)`` is named by the call itself: ``np.random.seed``, not ``seed.seed``
        callee, parameter = (dotted_name(call.func) or name, None) if name == "seed" else (name, "seed")
        self.facts.calls.append((callee, call_id, len(call.args), ()))
        if seed is not None and (try_literal(seed)[0] or is_formula(seed)):
            self._add(self._candidate(f"{callee}.seed" if parameter else callee, seed, "seed", keyword_only=True,
                                      callee=callee, call_id=call_id, parameter=parameter))

    def _training_call(self, call: ast.Call, name: str, local: bool = False, tuning_only: bool = False,
                       step: bool = False, seeds_only: bool = False) -> None:
        """Literal arguments of a training call (or, ``local``, of a call to a function the file
        may define: positional ones are named ``#i`` until its signature is known; a ``step`` of a
        transforms pipeline likewise, by position when nothing names them; or, with ``tuning_only``,
        the tuning keywords of any other call)."""
        if id(call) in self._evaluation_calls or (name == "from_pretrained" and _loads_a_tool(call)):
            return
        call_id = next(self._call_ids)
        parameters = (vocabulary.training_call_parameters(name) or ()) if not local else ()
        keywords = (vocabulary.SEED_KEYWORDS if seeds_only else
                    vocabulary.TUNING_KEYWORDS | vocabulary.SEED_KEYWORDS if tuning_only else None)
        pairs = [] if keywords is not None else [
            (index, parameters[index] if index < len(parameters) else f"#{index}", argument)
            for index, argument in enumerate(call.args) if not isinstance(argument, ast.Starred)]
        pairs += [(None, keyword.arg, _fallback(keyword.value)) for keyword in call.keywords
                  if keywords is None or keyword.arg in keywords]
        attribute = self._attribute_calls.get(id(call))
        if attribute is None:
            passed = tuple(keyword.arg for keyword in call.keywords if keyword.arg)
            self.facts.calls.append((name, call_id, len(call.args), passed))
        else:
            self.facts.attribute_calls.append((attribute, call_id))
        settings = [parameter for parameter in parameters if parameter]
        output_layer = id(call) in self._output_calls
        if name in vocabulary.WEIGHT_LAYERS:
            self._statement_layers.append((call_id, name))
            if self._last_layers:
                self._last_layers[-1] = (call_id, name)
        elif "Dropout" in name and self._last_layers:
            self._last_layers[-1] = None  # dropout never follows a model's output layer
        receiver = (dotted_name(call.func) or "").split(".")[0] or None
        tuning = local and bool(vocabulary.TRAINING_FUNCTION_WORDS.intersection(vocabulary.words(name)))
        for position, parameter, argument in pairs:
            is_literal, value = try_literal(argument)
            if not parameter or not is_literal:
                continue
            if parameter in vocabulary.CALL_STRUCTURE_KEYWORDS and not (
                isinstance(value, str) and parameter in ("optimizer", "sampler")
            ):
                continue  # wiring (``optimizer=opt``); a name is a choice (``optimizer="adam"``)
            if output_layer and parameter in vocabulary.OUTPUT_SETTINGS:
                continue  # the output layer's width and activation are the task's
            if name in vocabulary.DATASET_LOADERS and (self.dispatch_depth or value in vocabulary.DATA_FORMATS):
                continue  # ``if dataset == "alpaca": load_dataset("tatsu-lab/alpaca")``, ``load_dataset("json", …)``
            if attribute is None:
                callee, reported = name, parameter
            else:  # named by the attribute the code reads: ``dropout2``, ``fc1.out_features``
                callee = attribute
                reported = None if settings == [parameter] else parameter
            full_name = callee if reported is None else f"{callee}.{reported}"
            if local and not (tuning and parameter in vocabulary.TUNING_KEYWORDS):
                condition = ("defined", name)  # ``train_model(max_epochs=50)`` counts even if imported
            elif name in vocabulary.OPTIMIZERS and not local:
                condition = ("kept", parameter)  # unless a schedule writes it into the param groups
            else:
                condition = None
            self._add(self._candidate(full_name, argument, "call", keyword_only=True, callee=callee,
                                      call_id=call_id, parameter=reported, condition=condition,
                                      position=position, receiver=receiver, choice=step and position is not None))

    def _drop_output_layer(self, last: tuple[int, str] | None) -> None:
        """A function's last layer with weights (dropout and activations aside) is its model's
        output when it is a ``Linear``/``Dense``."""
        if last is None or last[1] not in vocabulary.OUTPUT_LAYERS:
            return
        self.facts.candidates = [
            c for c in self.facts.candidates
            if not (c.call_id == last[0] and (c.parameter is None or c.parameter in vocabulary.OUTPUT_SETTINGS))]

    def _mark_output_layer(self, nodes: list[ast.AST]) -> None:
        """The last layer (in source order) among ``nodes`` is the output layer when it is a
        ``Linear``/``Dense``: its width and activation are the task's. In a function (a module's
        ``__init__``, a model builder) the function's last layer is, wherever it is built."""
        if self._last_layers:
            return
        layers = [node for root in nodes for node in ast.walk(root) if isinstance(node, ast.Call)
                  and (callee_name(node) in vocabulary.WEIGHT_LAYERS or "Dropout" in callee_name(node))]
        if layers:
            last = max(layers, key=lambda call: (call.lineno, call.col_offset))
            if callee_name(last) in vocabulary.OUTPUT_LAYERS:
                self._output_calls.add(id(last))


def read_chunk(text: str, module: ast.Module) -> ChunkFacts:
    return ChunkReader(text).read(module)
