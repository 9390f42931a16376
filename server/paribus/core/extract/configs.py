"""YAML, JSON and TOML configs → hyperparameters named by their dotted key path.

Nested keys are dotted (``optimizer.lr``), under the package of a Hydra group file (its
``# @package`` header, else the group folder it sits in: ``configs/model/mnist.yaml`` →
``model.…``); a list of scalars is one value; lists holding mappings index their items
(``layers.0.width``). Hydra's root ``defaults:`` list chooses config groups: each choice is
named by its group (``- model: mnist`` → ``model``). ``_target_`` is a key like any other
(``model.optimizer._target_``, a group file's own ``optimizer._target_``); other keys starting with ``_``
(``_partial_``) are structure. A section that names the class it builds
(jsonargparse/LightningCLI ``class_path`` + ``init_args``, OmegaConf/latent-diffusion
``target`` + ``params``, DeepSpeed ``type`` + ``params``) is named without the plumbing: the
class is the section's value (``optimizer``) and its arguments sit under it (``optimizer.lr``);
``${…}`` interpolations are kept as text. YAML is composed safely (no tags constructed,
each anchored collection walked once, under a budget, so anchor bombs and alias loops
stay cheap). Invalid files
fall back to a line scanner that reads ``key: value`` lines.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
import tomllib
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from paribus.core.extract import vocabulary
from paribus.core.extract.candidates import Candidate
from paribus.core.positions import Span

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NODE_BUDGET = 50_000
_YAML12_FLOAT = re.compile(r"[-+]?(\.\d+|\d+(\.\d*)?)([eE][-+]?\d+)?")
_SCALAR_CONSTRUCTOR = SafeConstructor()
_TAG_PREFIX = "tag:yaml.org,2002:"


def _scalar_value(node: yaml.ScalarNode) -> Any:
    """The plain value of a composed scalar: ints, floats, bools, null; else its text."""
    tag = node.tag[len(_TAG_PREFIX):] if node.tag.startswith(_TAG_PREFIX) else ""
    try:
        if tag == "int":
            return _SCALAR_CONSTRUCTOR.construct_yaml_int(node)
        if tag == "float":
            return _SCALAR_CONSTRUCTOR.construct_yaml_float(node)
        if tag == "bool":
            return _SCALAR_CONSTRUCTOR.construct_yaml_bool(node)
        if tag == "null":
            return None
    except (ConstructorError, ValueError, KeyError, TypeError):
        return node.value
    if not node.style and _YAML12_FLOAT.fullmatch(node.value):  # plain: None, or "" from the C loader
        return float(node.value)  # YAML 1.2 (and OmegaConf) read 5e-4 as a float
    return node.value


def _node_span(node: yaml.Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


_CLASS_KEYS = ("class_path", "target")
_ARGUMENT_KEYS = ("init_args", "dict_kwargs", "params")
_DOTTED_CLASS = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+")


def _class_plumbing(node: yaml.MappingNode) -> str | None:
    """The key naming the class a section builds (jsonargparse ``class_path``, ``target``,
    DeepSpeed ``type`` beside ``params``).

    Its value is the section's class choice, and the arguments under ``init_args`` /
    ``params`` are named as if they sat in the section itself: ``optimizer.lr``.
    """
    keys = {key.value: value for key, value in node.value if isinstance(key, yaml.ScalarNode)}
    for key in _CLASS_KEYS:
        value = keys.get(key)
        if isinstance(value, yaml.ScalarNode) and _DOTTED_CLASS.fullmatch(value.value):
            return key
    if isinstance(keys.get("type"), yaml.ScalarNode) and isinstance(keys.get("params"), yaml.MappingNode):
        return "type"
    return None


def _declares_resolution(node: yaml.MappingNode, prefix: str) -> bool:
    """A network section that declares its input resolution (a UNet, an autoencoder) maps images
    to images: its ``channels``/``out_channels`` are the data's, not a width to tune."""
    if not any(vocabulary.NETWORK_WORDS.intersection(vocabulary.words(part)) for part in prefix.split(".")):
        return False
    return any(isinstance(key, yaml.ScalarNode) and key.value in vocabulary.RESOLUTIONS for key, _ in node.value)


_WEIGHT_KEYS = frozenset("ckpt_path checkpoint_path ckpt weights_path pretrained_path".split())


def _loads_weights(node: yaml.MappingNode) -> bool:
    """A section (or its ``params``) that names a checkpoint to load: a frozen, pretrained part."""
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode):
            if key.value in _WEIGHT_KEYS and isinstance(value, yaml.ScalarNode) and value.value not in ("", "null", "~"):
                return True
            if key.value in _ARGUMENT_KEYS and isinstance(value, yaml.MappingNode) and _loads_weights(value):
                return True
    return False


def _group_choices(defaults: yaml.SequenceNode) -> list[tuple[str, yaml.ScalarNode]]:
    """Hydra's defaults list: ``- model: mnist`` / ``- override /data: cifar`` → (group, option)."""
    found = []
    for item in defaults.value:
        if isinstance(item, yaml.MappingNode) and len(item.value) == 1:
            key, option = item.value[0]
            if isinstance(key, yaml.ScalarNode) and isinstance(option, yaml.ScalarNode) and option.tag.endswith(":str"):
                group = key.value.split()[-1].strip("/").split("@")[0].replace("/", ".")
                found.append((group, option))
    return found


class _YamlWalker:
    def __init__(self, text_lines: list[str], kind: str) -> None:
        self.lines = text_lines
        self.kind = kind
        self.budget = _NODE_BUDGET
        self.expanded: set[int] = set()
        self.found: list[Candidate] = []
        self.document: yaml.Node | None = None

    def _text(self, span: Span) -> str:
        if span.line == span.end_line and span.line <= len(self.lines):
            return self.lines[span.line - 1][span.column - 1 : span.end_column - 1]
        return ""

    def walk(self, node: yaml.Node, prefix: str, ancestors: frozenset[int]) -> None:
        self.budget -= 1
        if self.budget < 0 or id(node) in ancestors:
            return
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            if id(node) in self.expanded:
                return  # an alias: its values were reported where the anchor is
            self.expanded.add(id(node))
        if isinstance(node, yaml.MappingNode):
            if prefix and _loads_weights(node):
                return  # a pretrained part loaded from a checkpoint: its settings are fixed
            inner = ancestors | {id(node)}
            plumbing = _class_plumbing(node) if prefix and node is not self.document else None
            image_to_image = _declares_resolution(node, prefix)
            for key_node, value_node in node.value:
                if key_node.tag == _TAG_PREFIX + "merge":
                    self.walk(value_node, prefix, inner)
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                if node is self.document and key_node.value == "defaults" and isinstance(value_node, yaml.SequenceNode):
                    for group, option in _group_choices(value_node):  # the choice is named by its group
                        if group.split(".")[0] not in vocabulary.RUNTIME_GROUPS | vocabulary.NEGATIVE_SECTIONS:
                            self._report(group, option.value, _node_span(option), choice=True)
                    continue
                if image_to_image and key_node.value in vocabulary.IMAGE_CHANNELS:
                    continue
                if plumbing and key_node.value == plumbing:
                    self._report(prefix, _scalar_value(value_node), _node_span(value_node))
                elif plumbing and key_node.value in _ARGUMENT_KEYS:
                    self.walk(value_node, prefix, inner)
                else:
                    self.walk(value_node, _join(prefix, str(key_node.value)), inner)
        elif isinstance(node, yaml.SequenceNode):
            items = node.value
            if all(isinstance(item, yaml.ScalarNode) for item in items):
                self._report(prefix, [_scalar_value(item) for item in items], _node_span(node))
            else:
                inner = ancestors | {id(node)}
                for index, item in enumerate(items):
                    self.walk(item, _join(prefix, str(index)), inner)
        elif isinstance(node, yaml.ScalarNode) and prefix:
            self._report(prefix, _scalar_value(node), _node_span(node))

    def _report(self, name: str, value: Any, span: Span, choice: bool = False) -> None:
        if span.line <= len(self.lines) and "#" in self.lines[span.line - 1]:
            comment = self.lines[span.line - 1][len(strip_comment(self.lines[span.line - 1])):]
            if vocabulary.COMPUTED_AT_RUN_TIME.search(comment):
                return  # ``lr: 0.  # will be set after applying scaling rule``
            choice = choice or bool(vocabulary.ALTERNATIVES_NOTE.search(comment))
        literal = not (isinstance(value, str) and "${" in value)
        self.found.append(Candidate(name, value, self._text(span), self.kind, span, literal=literal, choice=choice))


_HYDRA_PACKAGE = re.compile(r"^#\s*@package\s+(?P<package>[\w.]+)\s*$")


def _hydra_package(lines: list[str], group: str = "") -> str:
    """The ``# @package model`` header of a Hydra config-group file ('' for ``_global_``),
    else the group the file sits in."""
    for line in lines[:5]:
        match = _HYDRA_PACKAGE.match(line.strip())
        if match:
            package = match["package"]
            return "" if package.startswith("_global_") else package.replace("_group_", group)
    return group


_CONFIG_ROOTS = {"conf", "config", "configs", "hydra_configs"}


def hydra_group(path: str | Path) -> str:
    """The config group a YAML file belongs to by where it sits: ``configs/model/mnist.yaml``
    is in group ``model`` (its default package), ``configs/train.yaml`` in none."""
    folders = Path(path).parent.parts
    for index in range(len(folders) - 1, -1, -1):
        if folders[index].lower() in _CONFIG_ROOTS:
            return ".".join(folders[index + 1 :])
    return ""


_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:", re.MULTILINE)


def _group_of(text: str, path: str | Path) -> str:
    """The folder's group, unless the file names it itself (``configs/train/x.yaml`` holding a
    ``train:`` section is merged at the root, OmegaConf-style, not packaged under ``train``)."""
    group = hydra_group(path)
    if group and group.rsplit(".", 1)[-1] in _TOP_LEVEL_KEY.findall(text):
        return ""
    return group


def yaml_candidates(text: str, *, json_text: bool = False, path: str | Path = "") -> list[Candidate]:
    lines = text.split("\n")
    package = "" if json_text else _hydra_package(lines, _group_of(text, path))
    walker = _YamlWalker(lines, "config")
    # JSON allows tabs where YAML does not; a space keeps every column where it was.
    source = text.replace("\t", " ") if json_text else text
    try:
        for document in yaml.compose_all(source, Loader=_Loader):
            if document is not None:
                walker.document = document
                walker.walk(document, package, frozenset())
    except (yaml.YAMLError, ValueError, RecursionError, MemoryError):
        scanned = _scan_json_lines(lines) if json_text else _scan_yaml_lines(lines, package)
        known = {candidate.name for candidate in walker.found}
        walker.found.extend(candidate for candidate in scanned if candidate.name not in known)
    return walker.found


_PLAIN_INT = re.compile(r"[-+]?\d[\d_]*")


def _plain_scalar(text: str) -> Any:
    """A scalar written in a line the composer could not read: number, bool, null or text."""
    lowered = text.lower()
    if lowered in ("true", "false", "yes", "no", "on", "off"):
        return lowered in ("true", "yes", "on")
    if lowered in ("null", "~", "none", ""):
        return None
    if _PLAIN_INT.fullmatch(text):
        return int(text.replace("_", ""))
    if _YAML12_FLOAT.fullmatch(text):
        return float(text)
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


_YAML_KEY_LINE = re.compile(r"^(?P<indent> *)(?P<key>[A-Za-z_][\w.\-]*)\s*:(?:[ \t]+(?P<value>[^#]*?))?\s*(?:#.*)?$")
_JSON_KEY_LINE = re.compile(r'^\s*"(?P<key>[^"]+)"\s*:\s*(?P<value>.*?)\s*,?\s*$')


def _scan_yaml_lines(lines: list[str], package: str = "") -> list[Candidate]:
    found: list[Candidate] = []
    parents: list[tuple[int, str]] = []  # (indent, key) of the open mappings
    for number, line in enumerate(lines, start=1):
        match = _YAML_KEY_LINE.match(line)
        if not match:
            continue
        indent = len(match["indent"])
        while parents and parents[-1][0] >= indent:
            parents.pop()
        key, value_text = match["key"], (match["value"] or "").strip()
        if not value_text:
            parents.append((indent, key))
            continue
        name = ".".join(([package] if package else []) + [parent for _, parent in parents] + [key])
        column = match.start("value") + 1
        value = _plain_scalar(value_text)
        span = Span(number, column, number, column + len(value_text))
        found.append(Candidate(name, value, value_text, "config", span,
                               literal=not (isinstance(value, str) and "${" in value)))
    return found


def _scan_json_lines(lines: list[str]) -> list[Candidate]:
    found: list[Candidate] = []
    parents: list[str] = []
    for number, line in enumerate(lines, start=1):
        match = _JSON_KEY_LINE.match(line)
        if not match:
            parents = parents[: max(0, len(parents) - line.count("}"))] if "}" in line else parents
            continue
        key, value_text = match["key"], match["value"]
        if value_text.startswith("{") and not value_text.endswith("}"):
            parents.append(key)
            continue
        try:
            value = json.loads(value_text)
        except ValueError:
            continue
        column = match.start("value") + 1
        span = Span(number, column, number, column + len(value_text))
        found.append(Candidate(".".join(parents + [key]), value, value_text, "config", span))
    return found


_TOML_TABLE = re.compile(r"^\s*(\[\[?)\s*(?P<name>[^\]]+?)\s*\]\]?\s*(#.*)?$")
_TOML_KEY = re.compile(r"^\s*(?P<key>[A-Za-z0-9_\-\.\"' ]+?)\s*=\s*(?P<value>.*)$")


def _toml_value(text: str) -> tuple[bool, Any]:
    try:
        return True, tomllib.loads("v = " + text)["v"]
    except (tomllib.TOMLDecodeError, ValueError, RecursionError):
        return False, None


def _flatten(name: str, value: Any, span: Span, text: str, found: list[Candidate]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(f"{name}.{key}", item, span, text, found)
    else:
        found.append(Candidate(name, value, text, "config", span))


# Where a TOML value may end: string openers, comments, brackets and line ends.
_TOML_VALUE_TOKEN = re.compile(r"""\"\"\"|'''|"|'|#|[\[\]{}]|\n""")
_TOML_STRING_END = {
    '"""': re.compile(r'(?:[^"\\]|\\[\s\S]|"(?!""))*"""(?:""?)?'),
    "'''": re.compile(r"(?:[^']|'(?!''))*'''(?:''?)?"),
    '"': re.compile(r'(?:[^"\\\n]|\\.)*"'),
    "'": re.compile(r"[^'\n]*'"),
}
# A `key =` line: never part of an array, so an array still open there is unclosed.
_TOML_BARE_KEY_LINE = re.compile(r"[ \t]*[A-Za-z0-9_\-]+(?:[ \t]*\.[ \t]*[A-Za-z0-9_\-]+)*[ \t]*=")


def _toml_value_end(text: str, start: int) -> int | None:
    """Where the value starting at ``start`` ends (before a trailing comment), or None.

    Strings (one-line, multi-line, with escapes), comments and brackets are followed, so a
    multi-line array or string is read to its end in one pass; an array that a `key =` line
    interrupts, or a multi-line string that never closes, has no end (None).
    """
    depth = 0
    position = start
    while True:
        match = _TOML_VALUE_TOKEN.search(text, position)
        if match is None:
            return len(text) if depth <= 0 else None
        token = match.group()
        if token == "\n":
            if depth <= 0:
                return match.start()
            if _TOML_BARE_KEY_LINE.match(text, match.end()):
                return None
            position = match.end()
        elif token == "#":
            if depth <= 0:
                return match.start()
            newline = text.find("\n", match.end())
            position = len(text) if newline == -1 else newline
        elif token in _TOML_STRING_END:
            closed = _TOML_STRING_END[token].match(text, match.end())
            if closed is None and len(token) == 3:
                return None
            if closed is None:  # an unterminated one-line string: the line end comes next
                newline = text.find("\n", match.end())
                position = len(text) if newline == -1 else newline
            else:
                position = closed.end()
        else:
            depth += 1 if token in "[{" else -1
            position = match.end()


def toml_candidates(text: str) -> list[Candidate]:
    """TOML by lines (tomllib reads each value; multi-line arrays and strings are followed).

    A value tomllib can't read is skipped and reading goes on at the next line: one bad line
    costs one attempt, so recovery stays linear in the size of the file.
    """
    lines = text.split("\n")
    found: list[Candidate] = []
    table = ""
    array_counts: dict[str, int] = {}
    number = 0
    line_start = 0  # offset of lines[number] in text
    while number < len(lines):
        line = lines[number]
        number += 1
        this_line_start, line_start = line_start, line_start + len(line) + 1
        table_match = _TOML_TABLE.match(line)
        if table_match:
            table = table_match["name"].replace('"', "").replace("'", "")
            if table_match.group(1) == "[[":
                array_counts[table] = array_counts.get(table, -1) + 1
                table = f"{table}.{array_counts[table]}"
            continue
        key_match = _TOML_KEY.match(line)
        if not key_match or line.lstrip().startswith("#"):
            continue
        value_start = this_line_start + key_match.start("value")
        value_end = _toml_value_end(text, value_start)
        if value_end is None:
            continue
        value_text = text[value_start:value_end].rstrip()
        ok, value = _toml_value(value_text)
        if not ok:
            continue
        start_line = number
        extra_lines = value_text.count("\n")
        for _ in range(extra_lines):  # the value's other lines are read
            line_start += len(lines[number]) + 1
            number += 1
        key = key_match["key"].strip().replace('"', "").replace("'", "").replace(" ", "")
        name = f"{table}.{key}" if table else key
        column = key_match.start("value") + 1
        last_line = value_text.split("\n")[-1]
        end_column = (len(last_line) + 1) if extra_lines else column + len(value_text)
        span = Span(start_line, column, start_line + extra_lines, end_column)
        _flatten(name, value, span, value_text, found)
    return found


def strip_comment(text: str) -> str:
    """The text without a trailing ``# …`` comment (a '#' inside quotes stays): TOML and gin."""
    quote = ""
    for index, character in enumerate(text):
        if quote:
            if character == quote:
                quote = ""
        elif character in "\"'":
            quote = character
        elif character == "#":
            return text[:index].rstrip()
    return text
