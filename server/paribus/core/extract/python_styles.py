"""One chunk of Python → candidates, for every declaration style (static reading only).

Styles: module constants, argparse, absl flags, click/typer options, fire/typer function
signatures, dataclass-like config classes, config constructors (``TrainingArguments(...)``),
dict/namespace/attribute configs, keywords of training calls and ``for epoch in range(N)``.
Naming: a container's own variable name is dropped and nested keys are dotted
(``config = dict(optimizer=dict(lr=…))`` and ``cfg.optimizer.lr = …`` → ``optimizer.lr``).
"""

from __future__ import annotations

import ast
from itertools import count

from paribus.core.extract import vocabulary
from paribus.core.extract.candidates import Candidate, ChunkFacts
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
_TYPE_CONVERTERS = {"float": float, "int": int}


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


def _calls_save_hyperparameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Lightning records ``__init__``'s arguments as the module's hyperparameters."""
    for statement in node.body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            if callee_name(statement.value) == "save_hyperparameters":
                return True
    return False


class ChunkReader:
    def __init__(self, text: str) -> None:
        self.source = SourceLines(text)
        self.facts = ChunkFacts()
        self._call_ids = count()

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

    def _container_entries(self, node: ast.AST, prefix: str, kind: str) -> bool:
        """Report the leaves of a dict literal / ``dict(...)`` / namespace call; False if not one."""
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    self._container_value(value, prefix + key.value, kind)
            return True
        if isinstance(node, ast.Call) and (
            callee_name(node) == "dict" or callee_name(node) in vocabulary.NAMESPACE_CALLS
        ):
            for argument in node.args:
                self._container_entries(argument, prefix, kind)
            for keyword in node.keywords:
                if keyword.arg is None:
                    self._container_entries(keyword.value, prefix, kind)
                else:
                    self._container_value(keyword.value, prefix + keyword.arg, kind)
            return True
        return False

    def _container_value(self, node: ast.AST, name: str, kind: str) -> None:
        if not self._container_entries(node, name + ".", kind):
            is_literal, _ = try_literal(node)
            if is_literal:
                self._add(self._candidate(name, node, kind))

    # -- statements ------------------------------------------------------------------------

    def read(self, module: ast.Module) -> ChunkFacts:
        self._body(module.body, scope="module")
        return self.facts

    def _body(self, statements: list[ast.stmt], scope: str, owner: str | None = None) -> None:
        for statement in statements:
            self._statement(statement, scope, owner)

    def _statement(self, statement: ast.stmt, scope: str, owner: str | None) -> None:
        for expression in _header_expressions(statement):
            for node in calls_in(expression):
                self._call(node)
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self._function(statement, owner)
            self._body(statement.body, scope="function")
        elif isinstance(statement, ast.ClassDef):
            for expression in statement.decorator_list + statement.bases:
                for node in calls_in(expression):
                    self._call(node)
            class_scope = "config-class" if _is_config_class(statement) else "class"
            self._body(statement.body, scope=class_scope, owner=statement.name)
        elif isinstance(statement, ast.Assign):
            for target in statement.targets:
                self._assignment(target, statement.value, scope)
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            self._assignment(statement.target, statement.value, scope)
        elif isinstance(statement, (ast.For, ast.AsyncFor)):
            self._loop(statement)
            self._body(statement.body, "function" if scope == "module" else scope)
            self._body(statement.orelse, scope)
        else:
            inner_scope = "function" if isinstance(statement, ast.While) else scope
            for field_name in ("body", "orelse", "finalbody"):
                self._body(getattr(statement, field_name, []), inner_scope)
            for handler in getattr(statement, "handlers", []):
                self._body(handler.body, inner_scope)
            for case in getattr(statement, "cases", []):
                self._body(case.body, inner_scope)

    def _assignment(self, target: ast.AST, value: ast.AST, scope: str) -> None:
        if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
            if len(target.elts) == len(value.elts):
                for sub_target, sub_value in zip(target.elts, value.elts):
                    self._assignment(sub_target, sub_value, scope)
            return
        if isinstance(target, ast.Name):
            self._name_assignment(target.id, value, scope)
        elif isinstance(target, ast.Attribute):
            path = dotted_name(target)
            if path and "." in path:
                root, rest = path.split(".", 1)
                if root != "self" and vocabulary.is_config_root(root):
                    if not self._container_entries(value, rest + ".", "attribute"):
                        if try_literal(value)[0]:
                            self._add(self._candidate(rest, value, "attribute"))
        elif isinstance(target, ast.Subscript):
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

    def _name_assignment(self, name: str, value: ast.AST, scope: str) -> None:
        if scope == "config-class":
            self._class_field(name, value)
            return
        if scope == "class":
            return
        is_namespace = isinstance(value, ast.Call) and callee_name(value) in vocabulary.NAMESPACE_CALLS
        is_dict = isinstance(value, ast.Dict) or (isinstance(value, ast.Call) and callee_name(value) == "dict")
        if is_namespace or is_dict:
            if scope == "module":
                self._remember_dict_items(name, value)
            if is_namespace or vocabulary.is_config_root(name):
                self._container_entries(value, "", "namespace" if is_namespace else "dict")
            return
        is_literal, _ = try_literal(value)
        if not is_literal:
            return
        candidate = self._candidate(name, value, "constant", local=scope != "module")
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
        if isinstance(value, ast.Call) and callee_name(value) in _FIELD_CALLS:
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
            self._add(self._candidate(name, value, "dataclass"))

    def _loop(self, statement: ast.For | ast.AsyncFor) -> None:
        target, iterator = statement.target, statement.iter
        if not (isinstance(target, ast.Name) and target.id in vocabulary.LOOP_NAMES):
            return
        if isinstance(iterator, ast.Call) and callee_name(iterator) == "range" and iterator.args:
            bound = iterator.args[1] if len(iterator.args) > 1 else iterator.args[0]
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
        key = owner if node.name == "__init__" and owner else node.name
        self.facts.signatures[key] = defaults
        if node.name == "__init__" and owner and _calls_save_hyperparameters(node):
            self.facts.cli_functions.append((owner, "signature"))

    def _decorators(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            if not isinstance(decorator, ast.Call):
                continue
            name = callee_name(decorator)
            if name == "option":
                self._click_option(decorator)
            elif name == "command" and not (dotted_name(decorator.func) or "").startswith("click"):
                self.facts.cli_functions.append((node.name, "click"))

    # -- calls -----------------------------------------------------------------------------

    def _call(self, call: ast.Call) -> None:
        name = callee_name(call)
        if name == "add_argument":
            self._argparse_argument(call)
        elif name == "set_defaults":
            self._argparse_set_defaults(call)
        elif name.startswith("DEFINE_"):
            self._absl_flag(call)
        elif name in ("Fire", "CLI", "run") and self._cli_call(call, name):
            return
        elif name in vocabulary.TRAINING_CALLS:
            self._training_call(call, name)
        elif name.endswith(vocabulary.CONFIG_CLASS_SUFFIXES) and name[:1].isupper():
            for keyword in call.keywords:
                if keyword.arg and try_literal(keyword.value)[0]:
                    self._add(self._candidate(keyword.arg, keyword.value, "constructor"))
        for keyword in call.keywords:
            if keyword.arg == "config" and name not in vocabulary.NAMESPACE_CALLS:
                self._container_entries(keyword.value, "", "dict")

    def _cli_call(self, call: ast.Call, name: str) -> bool:
        receiver = dotted_name(call.func) or ""
        if name == "run" and not receiver.startswith("typer"):
            return False
        kind = "click" if name == "run" else "fire"
        for argument in call.args[:1]:
            if isinstance(argument, ast.Name):
                self.facts.cli_functions.append((argument.id, kind))
            elif isinstance(argument, ast.Dict):
                for item in argument.values:
                    if isinstance(item, ast.Name):
                        self.facts.cli_functions.append((item.id, kind))
        return True

    def _option_strings(self, call: ast.Call) -> list[str]:
        return [arg.value for arg in call.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]

    def _argparse_argument(self, call: ast.Call) -> None:
        keywords = {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg}
        options = self._option_strings(call)
        dest_node = keywords.get("dest")
        if isinstance(dest_node, ast.Constant) and isinstance(dest_node.value, str):
            name = dest_node.value
        else:
            long_options = [option for option in options if option.startswith("--")]
            chosen = long_options[0] if long_options else (options[0] if options else "")
            name = chosen.lstrip("-").replace("-", "_")
        if not name:
            return
        action = keywords.get("action")
        action_name = action.value if isinstance(action, ast.Constant) else None
        default = keywords.get("default")
        if default is None:
            if action_name in ("store_true", "store_false"):
                self._add(Candidate(name, action_name == "store_false", self.source.text(action),
                                    "argparse", self.source.span(action)))
            return
        candidate = self._candidate(name, default, "argparse")
        if candidate is None:
            return
        if isinstance(default, ast.Name):
            candidate.reference = ("name", default.id)
        elif isinstance(default, ast.Subscript) and isinstance(default.value, ast.Name):
            key = default.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                candidate.reference = ("item", default.value.id, key.value)
        converter = keywords.get("type")
        if isinstance(converter, ast.Name) and isinstance(candidate.value, str) and candidate.literal:
            try:
                candidate.value = _TYPE_CONVERTERS[converter.id](candidate.value)
            except (KeyError, ValueError):
                pass
        self._add(candidate)

    def _argparse_set_defaults(self, call: ast.Call) -> None:
        for keyword in call.keywords:
            if keyword.arg is not None:
                self._add(self._candidate(keyword.arg, keyword.value, "argparse", override=True))
            elif isinstance(keyword.value, ast.Dict):
                for key, item in zip(keyword.value.keys, keyword.value.values):
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        self._add(self._candidate(key.value, item, "argparse", override=True))

    def _absl_flag(self, call: ast.Call) -> None:
        keywords = {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg}
        name_node = call.args[0] if call.args else keywords.get("name")
        default = call.args[1] if len(call.args) > 1 else keywords.get("default")
        if isinstance(name_node, ast.Constant) and isinstance(name_node.value, str) and default is not None:
            self._add(self._candidate(name_node.value, default, "flag"))

    def _click_option(self, call: ast.Call) -> None:
        declarations = self._option_strings(call)
        identifiers = [d for d in declarations if not d.startswith("-")]
        long_options = [d for d in declarations if d.startswith("--")]
        chosen = identifiers[0] if identifiers else (long_options or declarations or [""])[0]
        name = chosen.split("/")[0].strip().lstrip("-").replace("-", "_").lower()
        keywords = {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg}
        default = keywords.get("default")
        if default is not None:
            self._add(self._candidate(name, default, "click"))
        elif "is_flag" in keywords or "/" in chosen:
            flag = keywords.get("is_flag", call)
            self._add(Candidate(name, False, self.source.text(flag), "click", self.source.span(flag)))

    def _training_call(self, call: ast.Call, name: str) -> None:
        call_id = next(self._call_ids)
        parameters = vocabulary.TRAINING_CALLS[name]
        pairs = [(parameters[index] if index < len(parameters) else None, argument)
                 for index, argument in enumerate(call.args)]
        pairs += [(keyword.arg, keyword.value) for keyword in call.keywords]
        for parameter, argument in pairs:
            if not parameter or parameter in vocabulary.CALL_STRUCTURE_KEYWORDS:
                continue
            if not try_literal(argument)[0]:
                continue
            self._add(self._candidate(f"{name}.{parameter}", argument, "call", keyword_only=True,
                                      callee=name, call_id=call_id))


def read_chunk(text: str, module: ast.Module) -> ChunkFacts:
    return ChunkReader(text).read(module)
