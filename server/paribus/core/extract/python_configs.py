"""Python values that form a config: dicts, namespaces, lazy calls and attribute paths.

Naming: keys are dotted from the config's root (``optimizer.lr``), list items are indexed
(``param_scheduler[0].end``). A root whose name means "the config" (``cfg``, ``hp``,
``_C``, ``args`` …) is dropped: ``cfg.model.depth = 50`` and ``hp = {'optim': {'lr': …}}``
give ``model.depth`` and ``optim.lr``. A module that *is* a config (OpenMMLab/mmengine:
``_base_``, ``read_base()``, or registry dicts ``dict(type=...)``; detectron2 LazyConfig:
``LazyCall``) keeps its module-level names as the first component, since they are the
config's top-level keys: ``optim_wrapper.optimizer.lr``, ``train_cfg.max_epochs``.
The class a registry dict or lazy call builds (``type=SGD``, ``L(SGD)(...)``) is a choice
reported as ``….type`` or under the call's own name (``optimizer``).
"""

from __future__ import annotations

import ast

from paribus.core.extract import vocabulary
from paribus.core.extract.candidates import Candidate, ChunkFacts
from paribus.core.extract.python_source import SourceLines, callee_name, dotted_name, try_literal

_LAZY_CALLS = {"L", "LazyCall"}
_CONFIG_MODULE = ("config-module",)
_PLAIN_MODULE = ("plain-module",)


def is_lazy_call(node: ast.AST) -> bool:
    """``L(SGD)(lr=0.1)``: detectron2's LazyCall builds a config of the call."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Call)
            and callee_name(node.func) in _LAZY_CALLS and len(node.func.args) == 1)


def _is_dict(node: ast.AST) -> bool:
    return isinstance(node, ast.Dict) or (isinstance(node, ast.Call) and callee_name(node) == "dict")


def _is_namespace(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and callee_name(node) in vocabulary.NAMESPACE_CALLS


def _is_container(node: ast.AST) -> bool:
    return _is_dict(node) or _is_namespace(node) or is_lazy_call(node)


def _holds_containers(node: ast.AST) -> bool:
    return isinstance(node, (ast.List, ast.Tuple)) and any(_is_container(item) for item in node.elts)


def _builds_a_class(call: ast.Call) -> bool:
    """A class constructed with keywords inside a config (``ResNet(block=..., layers=[...])``)."""
    class_name = (dotted_name(call.func) or "").rsplit(".", 1)[-1]
    return class_name[:1].isupper() and bool(call.keywords)


# Calls that load a config object: what is assigned to their result is the config.
_CONFIG_LOADERS = {"get_config", "load_config", "load", "fromfile", "from_file", "LazyConfig"}


def _loads_a_config(node: ast.AST) -> bool:
    """``get_config("common/train.py").train``, ``LazyConfig.load(path)``, ``Config.fromfile(path)``."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Call) and callee_name(node) in _CONFIG_LOADERS


def _registry_dicts(node: ast.AST, nested: bool = True) -> int:
    """How many ``dict(type=...)`` / ``{'type': ...}`` (an OpenMMLab registry entry) ``node`` holds
    (with ``nested`` False: whether ``node`` itself is one)."""
    found = 0
    for inner in ast.walk(node) if nested else (node,):
        if isinstance(inner, ast.Call) and callee_name(inner) == "dict":
            found += any(keyword.arg == "type" for keyword in inner.keywords)
        elif isinstance(inner, ast.Dict):
            found += any(isinstance(key, ast.Constant) and key.value == "type" for key in inner.keys)
    return found


_COMPUTING_CALLS = {"int", "float", "len", "round", "ceil", "floor", "max", "min", "sum"}


def is_computation(node: ast.AST) -> bool:
    """Arithmetic on other values (``int(a * b)``, ``len(tokenizer)``), not a choice."""
    return any(isinstance(inner, ast.BinOp) or (isinstance(inner, ast.Call) and callee_name(inner) in _COMPUTING_CALLS)
               for inner in ast.walk(node))


_CONVERSION_CALLS = {"int", "float", "round", "ceil", "floor"}


def is_formula(node: ast.AST) -> bool:
    """A computation with a number the researcher wrote (``(0.1 / 256) * batch_size``,
    ``250 / train.max_iter``), not a function's result or a plain product of other values.
    Which number it is never matters: an edit must not turn a formula into a non-formula."""
    inner_nodes = list(ast.walk(node))
    if not any(isinstance(inner, ast.BinOp) for inner in inner_nodes):
        return False
    if any(isinstance(inner, ast.Call) and callee_name(inner) not in _CONVERSION_CALLS for inner in inner_nodes):
        return False
    exponents = {id(inner.right) for inner in inner_nodes if isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.Pow)}
    return any(isinstance(inner, ast.Constant) and isinstance(inner.value, (int, float))
               and not isinstance(inner.value, bool) and id(inner) not in exponents for inner in inner_nodes)


def is_text_formula(node: ast.AST) -> bool:
    """Text the researcher wrote with more joined to it (``'inception_crop(224)|flip_lr' + pp_common``):
    editing the written text edits the setting."""
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        node = node.left
    return node is not None and isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(node.value)


def names_in(node: ast.AST) -> set[str]:
    """The names and attribute names an expression reads."""
    return {inner.attr for inner in ast.walk(node) if isinstance(inner, ast.Attribute)} | {
        inner.id for inner in ast.walk(node) if isinstance(inner, ast.Name)}


class ConfigContainers:
    """Mixin of the chunk reader: the config-container part of reading assignments."""

    source: SourceLines
    facts: ChunkFacts
    conditional_depth: int

    def _candidate(self, name: str, node: ast.AST, kind: str, **extra) -> Candidate | None:
        raise NotImplementedError

    def _add(self, candidate: Candidate | None) -> Candidate | None:
        raise NotImplementedError

    def _choice(self, name: str, node: ast.AST, kind: str, condition) -> None:
        """The class a registry dict or lazy call builds: its source text, not a literal."""
        class_name = (dotted_name(node) or "").rsplit(".", 1)[-1]
        if name and class_name[:1].isupper():  # a class, not a variable (``type=dataset_type``)
            text = self.source.text(node)
            self._add(Candidate(name, text, text, kind, self.source.span(node), literal=False,
                                condition=condition))

    def _container_entries(self, node: ast.AST, prefix: str, kind: str, condition=None) -> bool:
        """Report the leaves of a dict / ``dict(...)`` / namespace / lazy call; False if not one.
        The arguments of a class the container builds (``dict(type='FPN', add_extra_convs='on_input')``,
        ``L(SGD)(...)``) are choices of that class."""
        if isinstance(node, ast.Dict):
            builds = _registry_dicts(node, nested=False) > 0
            for key, value in zip(node.keys, node.values):
                if key is None:
                    self._container_entries(value, prefix, kind, condition)
                elif isinstance(key, ast.Constant) and isinstance(key.value, str):
                    self._container_value(value, prefix + key.value, kind, condition, builds)
            return True
        lazy = is_lazy_call(node)
        if lazy or _is_dict(node) or _is_namespace(node):
            builds = lazy or _registry_dicts(node, nested=False) > 0
            for argument in node.args if not lazy else ():
                self._container_entries(argument, prefix, kind, condition)
            for keyword in node.keywords:
                if keyword.arg is None:
                    self._container_entries(keyword.value, prefix, kind, condition)
                else:
                    self._container_value(keyword.value, prefix + keyword.arg, kind, condition, builds)
            return True
        return False

    def _container_value(self, node: ast.AST, name: str, kind: str, condition=None, builds: bool = False) -> None:
        if self._container_entries(node, name + ".", kind, condition):
            return
        if isinstance(node, ast.Call) and _builds_a_class(node):  # ``model=ResNet(layers=[3, 4, 6, 3])``
            for keyword in node.keywords:
                if keyword.arg:
                    self._container_value(keyword.value, f"{name}.{keyword.arg}", kind, condition, True)
            return
        if _holds_containers(node):
            for index, item in enumerate(node.elts):
                self._container_value(item, f"{name}[{index}]", kind, condition)
        elif try_literal(node)[0] or is_formula(node):  # ``warmup_length=500 / train.max_iter``
            self._add(self._candidate(name, node, kind, condition=condition, choice=builds))
        elif name.rsplit(".", 1)[-1] == "type" or isinstance(node, ast.Attribute):
            self._choice(name, node, kind, condition)  # ``type=SGD``, ``activation_fn=torch.nn.ReLU``

    # -- assignments -----------------------------------------------------------------------

    def _config_binding(self, name: str, value: ast.AST, scope: str) -> bool:
        """``name = <dict | namespace | lazy call | list of dicts>``: report it; False if none."""
        if (_is_namespace(value) and not value.args and not value.keywords) or _loads_a_config(value):
            self.facts.config_roots.add(name)  # ``_C = CN()``: attributes set later are the config
            return True
        if is_lazy_call(value):
            self.facts.config_module = True
            self._container_value(value, name, "namespace")
            return True
        is_dict, holds = _is_dict(value), _holds_containers(value)
        if not (is_dict or holds or _is_namespace(value)):
            return False
        if scope == "module":
            self.facts.registry_dicts += _registry_dicts(value)
            self.facts.dict_bindings += 1
        if _is_namespace(value):
            prefix = "" if vocabulary.is_config_root(name) else name + "."
            self._container_entries(value, prefix, "namespace")
        elif scope == "module" and vocabulary.is_whole_config(name) and is_dict:
            self._container_entries(value, "", "dict")  # ``config = dict(lr=…)`` even in a config file
        elif scope == "module":
            if vocabulary.is_config_root(name) and is_dict:
                self._container_entries(value, "", "dict", _PLAIN_MODULE)
            self._container_value(value, name, "dict", _CONFIG_MODULE)
        elif vocabulary.is_config_root(name) and is_dict:
            self._container_entries(value, "", "dict")
        return True

    def _attribute_assignment(self, target: ast.Attribute, value: ast.AST) -> None:
        """``cfg.model.depth = 50`` → ``model.depth``; ``optimizer.lr = 0.02`` → ``optimizer.lr``."""
        path = dotted_name(target)
        if not path or "." not in path:
            return
        root, rest = path.split(".", 1)
        if root in ("self", "cls"):
            return
        if vocabulary.is_config_root(root):
            name, condition = rest, None
        else:
            name, condition = path, ("root", root)
        if self._container_entries(value, name + ".", "attribute", condition):
            return
        if try_literal(value)[0] or _holds_containers(value):
            self._container_value(value, name, "attribute", condition)
        elif is_formula(value) or (isinstance(value, ast.BinOp) and is_text_formula(value)):
            # ``config.lr = (0.1 / 256) * config.batch_size``: a linear scaling rule; ``config.pp = 'crop|flip' + common``
            self._add(self._candidate(name, value, "attribute", condition=condition))
        elif (not self.conditional_depth and is_computation(value)
              and name.rsplit(".", 1)[-1] not in names_in(value)):
            self.facts.computed_fields.add(name)  # ``args.batch_size = int(a * b)``: computed

    def _subscript_assignment(self, target: ast.Subscript, value: ast.AST) -> None:
        """``cfg['train']['epochs'] = 5`` → ``train.epochs``."""
        keys = []
        node: ast.AST = target
        while isinstance(node, ast.Subscript):
            key = node.slice
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                return
            keys.append(key.value)
            node = node.value
        root = dotted_name(node)
        if root and vocabulary.is_config_root(root.split(".")[-1]):
            self._container_value(value, ".".join(reversed(keys)), "dict")

    def _import_from(self, statement: ast.ImportFrom) -> None:
        """Names imported from another config (detectron2: ``from ..common.optim import SGD as optimizer``)."""
        if statement.module and not statement.level:
            self.facts.packages.add(statement.module.split(".")[0])
        for alias in statement.names:
            if alias.name == "*":
                continue
            name = alias.asname or alias.name
            self.facts.import_sources[name] = "" if statement.level else (statement.module or "").split(".")[0]
            (self.facts.config_roots if statement.level else self.facts.imported_names).add(name)
