"""Command-line declarations → candidates: argparse, absl flags, click/typer options, and the
functions or classes a CLI exposes (``fire.Fire``, jsonargparse ``CLI``, ``LightningCLI``,
``add_class_arguments``, simple-parsing ``add_arguments``). A mixin of the chunk reader."""

from __future__ import annotations

import ast
import re

from paribus.core.extract.candidates import Candidate, ChunkFacts
from paribus.core.extract.python_source import SourceLines, callee_name, dotted_name, try_literal

_TYPE_CONVERTERS = {"float": float, "int": int}
CLASS_EXPOSING_CALLS = {"add_class_arguments", "add_argparse_args", "from_argparse_args"}
# An option whose help says it only serves evaluation (``(for validation only)``) tunes nothing.
_EVALUATION_ONLY_HELP = re.compile(
    r"\b(validation|evaluation|eval|inference|test(ing)?)[- ]only\b"
    r"|\bonly (for|during|at|in) (validation|evaluation|eval|inference|test(ing)?)\b"
    r"|\((for )?(validation|evaluation|inference)\)",
    re.IGNORECASE,
)


def evaluation_only(help_node: ast.AST | None) -> bool:
    """An option whose help says it only serves evaluation."""
    return (isinstance(help_node, ast.Constant) and isinstance(help_node.value, str)
            and bool(_EVALUATION_ONLY_HELP.search(help_node.value)))


def _declares_choices(node: ast.AST | None) -> bool:
    """``choices=[...]`` or ``click.Choice([...])``: the option is one of a declared set."""
    if isinstance(node, ast.Call):
        return callee_name(node) == "Choice"
    return isinstance(node, (ast.List, ast.Tuple, ast.Set)) and bool(node.elts)


class CommandLineReaders:
    """Comes first in the reader's bases: it defines no hook another base provides."""

    source: SourceLines
    facts: ChunkFacts

    def _candidate(self, name: str, node: ast.AST, kind: str, **extra) -> Candidate | None:
        raise NotImplementedError

    def _add(self, candidate: Candidate | None) -> Candidate | None:
        raise NotImplementedError

    def _decorators(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            if not isinstance(decorator, ast.Call):
                continue
            name = callee_name(decorator)
            if name == "option":
                self._click_option(decorator)
            elif name == "command" and not (dotted_name(decorator.func) or "").startswith("click"):
                self.facts.cli_functions.append((node.name, "click", ""))

    # -- calls -----------------------------------------------------------------------------

    def _cli_call(self, call: ast.Call, name: str) -> bool:
        receiver = dotted_name(call.func) or ""
        if name == "run" and not receiver.startswith("typer"):
            return False
        kind = "click" if name == "run" else "fire"
        for argument in call.args[:1]:
            if isinstance(argument, ast.Name):
                self.facts.cli_functions.append((argument.id, kind, ""))
            elif isinstance(argument, ast.Dict):
                for item in argument.values:
                    if isinstance(item, ast.Name):
                        self.facts.cli_functions.append((item.id, kind, ""))
        return True

    def _lightning_cli(self, call: ast.Call) -> None:
        """``LightningCLI(Model, Data, seed_everything_default=42, trainer_defaults={...})``."""
        classes = list(zip(call.args[:2], ("model.", "data."))) + [
            (k.value, "model." if k.arg == "model_class" else "data.")
            for k in call.keywords if k.arg in ("model_class", "datamodule_class")]
        for node, prefix in classes:  # exposed as ``--model.lr``, ``--data.batch_size``
            if isinstance(node, ast.Name):
                self.facts.cli_functions.append((node.id, "signature", prefix))
        for keyword in call.keywords:
            if keyword.arg == "seed_everything_default" and try_literal(keyword.value)[0]:
                self._add(self._candidate("seed_everything", keyword.value, "seed"))
            elif keyword.arg == "trainer_defaults":
                self._container_entries(keyword.value, "trainer.", "signature")

    def _exposed_class(self, call: ast.Call, name: str) -> None:
        """A class whose ``__init__`` becomes command-line options (jsonargparse, Lightning 1.x)."""
        if name == "add_class_arguments":
            exposed = call.args[0] if call.args else None
        else:  # ``Model.add_argparse_args(parser)``, ``Data.from_argparse_args(args)``
            exposed = call.func.value if isinstance(call.func, ast.Attribute) else None
        if isinstance(exposed, ast.Name) and exposed.id[:1].isupper():
            self.facts.cli_functions.append((exposed.id, "signature", ""))

    def _nested_arguments(self, call: ast.Call) -> None:
        """simple-parsing ``parser.add_arguments(OptimizerConfig, dest="optimizer")``."""
        dest = call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords if k.arg == "dest"), None)
        if isinstance(dest, ast.Constant) and isinstance(dest.value, str) and dest.value:
            self.facts.nestings.append((call.args[0].id, dest.value, None, []))

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
        if not name or evaluation_only(keywords.get("help")):
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
        candidate.choice = _declares_choices(keywords.get("choices"))
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

    def _absl_flag(self, call: ast.Call, kind: str) -> None:
        """``flags.DEFINE_float('lr', 0.1, 'help')``; ``DEFINE_enum``'s third argument lists its choices."""
        keywords = {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg}
        name_node = call.args[0] if call.args else keywords.get("name")
        default = call.args[1] if len(call.args) > 1 else keywords.get("default")
        enum = kind.startswith("DEFINE_enum")
        help_node = call.args[3 if enum else 2] if len(call.args) > (3 if enum else 2) else keywords.get("help")
        if (isinstance(name_node, ast.Constant) and isinstance(name_node.value, str) and default is not None
                and not evaluation_only(help_node)):
            self._add(self._candidate(name_node.value, default, "flag", choice=enum))

    def _click_option(self, call: ast.Call) -> None:
        declarations = self._option_strings(call)
        identifiers = [d for d in declarations if not d.startswith("-")]
        long_options = [d for d in declarations if d.startswith("--")]
        chosen = identifiers[0] if identifiers else (long_options or declarations or [""])[0]
        name = chosen.split("/")[0].strip().lstrip("-").replace("-", "_").lower()
        keywords = {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg}
        if evaluation_only(keywords.get("help")):
            return
        default = keywords.get("default")
        if default is not None:
            self._add(self._candidate(name, default, "click", choice=_declares_choices(keywords.get("type"))))
        elif "is_flag" in keywords or "/" in chosen:
            flag = keywords.get("is_flag", call)
            self._add(Candidate(name, False, self.source.text(flag), "click", self.source.span(flag)))
