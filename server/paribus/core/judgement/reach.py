"""What a training run executes, read statically: nothing is imported or run.

From an entry script: the project modules it imports (transitively, bounded, inside the
project root), the functions and classes its code reaches (called, or passed on as a
callback), and what that code does with global random generators — which frameworks it puts
in play and which it seeds, directly or through helpers. Facts about a statement are cached by
the statement's text, facts about an imported module by the module's text.
"""

from __future__ import annotations

import ast
from collections import OrderedDict, deque
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, NamedTuple

from paribus.core.extract.python_extract import read_trees_with
from paribus.core.extract.python_source import walk

# Frameworks with a global generator a run can leave unseeded (JAX has none: its keys are explicit).
FRAMEWORKS = ("random", "numpy", "torch", "tensorflow", "keras")
_LIBRARY_ROOTS = frozenset(FRAMEWORKS) | {"jax", "torchvision"}
# An entry script that imports these builds models with them (torch's TensorBoard writer draws nothing);
# elsewhere a framework is in play where the run reaches code that draws from its generator.
_IN_PLAY_ON_ENTRY_IMPORT = {"torch", "keras"}
_DRAWS_NOTHING = ("torch.utils.tensorboard",)
_TORCH_DRAWS = {"nn", "rand", "randn", "randint", "randperm", "rand_like", "randn_like", "randint_like", "normal",
                "bernoulli", "multinomial", "poisson", "dropout", "distributions"}
_TENSORFLOW_DRAWS = {"keras", "random", "layers", "initializers", "estimator", "data", "Variable", "get_variable", "contrib"}
EVERY = "*"  # what a seed-everything helper seeds

# Framework calls that seed a global generator, by qualified name.
_FRAMEWORK_SEEDERS: dict[str, frozenset[str]] = {
    "random.seed": frozenset({"random"}),
    "numpy.random.seed": frozenset({"numpy"}),
    "torch.manual_seed": frozenset({"torch"}),
    "torch.random.manual_seed": frozenset({"torch"}),
    "tensorflow.random.set_seed": frozenset({"tensorflow", "keras"}),
    "tensorflow.set_random_seed": frozenset({"tensorflow", "keras"}),
    "tensorflow.compat.v1.set_random_seed": frozenset({"tensorflow", "keras"}),
    "tensorflow.compat.v1.random.set_random_seed": frozenset({"tensorflow", "keras"}),
    "tensorflow.keras.utils.set_random_seed": frozenset({EVERY}),
    "keras.utils.set_random_seed": frozenset({EVERY}),
}
# Library entry points that seed every global generator though their names don't say so, by
# package: trainers on construction (`TrainingArguments.seed`, mmengine's `randomness`), setups
# from the config (detectron2's `cfg.SEED`; a fresh seed, logged, when it is unset), LightningCLI
# (`seed_everything_default=True`), ignite's `manual_seed`.
_SEEDING_ENTRY_POINTS = {
    "transformers": {"Trainer", "Seq2SeqTrainer"},
    "mmengine": {"Runner"},
    "detectron2": {"default_setup"},
    "lightning": {"LightningCLI"},
    "pytorch_lightning": {"LightningCLI"},
    "ignite": {"manual_seed"},
}
# Decorators that register a function with a command-line app which runs it (`@app.command()`).
_REGISTERING_DECORATORS = {"command", "callback", "group", "main"}
# Called without arguments, these expose every function of the calling module (`fire.Fire()`).
_MODULE_DISPATCHERS = {"fire.Fire", "jsonargparse.CLI"}
# Frameworks that enter a run only through the entry script's own code: a project module that
# imports them serves an export path or an input pipeline more often than the model.
_ENTRY_ONLY = {"tensorflow", "keras"}
# Names in `numpy.random` / `random` that make or manage a generator of their own.
_LOCAL_GENERATORS = {
    "numpy": {"seed", "default_rng", "Generator", "RandomState", "SeedSequence", "BitGenerator", "PCG64", "PCG64DXSM",
              "MT19937", "Philox", "SFC64", "get_state", "set_state", "get_bit_generator", "set_bit_generator"},
    "random": {"seed", "Random", "SystemRandom", "getstate", "setstate"},
}
# Method names that seed one object (an environment, a local generator), never the run.
_NOT_SEEDERS = {"seed", "manual_seed", "manual_seed_all", "initial_seed", "seed_worker", "worker_init_fn", "seeding"}
# Module-level calls a library module makes on import; they don't make it a script.
_SETUP_ROOTS = {
    "print", "warnings", "logging", "logger", "log", "LOGGER", "_logger", "os", "sys", "matplotlib", "mpl", "plt",
    "sns", "torch", "np", "numpy", "tf", "tensorflow", "jax", "random", "pd", "cv2", "mp", "multiprocessing",
    "faulthandler", "atexit", "signal", "load_dotenv", "setattr", "globals",
}
# Method calls at module level that prepare a library module's surroundings, whatever the receiver.
_SETUP_METHODS = {"mkdir", "makedirs", "touch", "filterwarnings", "simplefilter", "basicConfig", "dictConfig", "setLevel", "addHandler",
                  "set_tracking_uri", "set_experiment"}
_CALLED_IMPLICITLY = {"__init__", "__new__", "__post_init__", "__call__", "__enter__", "__exit__", "__iter__", "__next__",
                      "__getitem__", "__len__", "forward"}  # `model(x)` runs `forward`
MAX_MODULES = 64  # project modules followed from one entry script


def names_a_seeder(name: str) -> bool:
    """`set_seed`, `seed_everything`, `random_seed`, `init_seeds`… — not `env.seed` or `g.manual_seed`."""
    lowered = name.lower()
    return "seed" in lowered and lowered not in _NOT_SEEDERS and not lowered.startswith(("get_", "load_", "read_", "save_", "worker_"))


# -- facts about statements ---------------------------------------------------------------------


@dataclass(frozen=True)
class Body:
    """What a stretch of code calls and reads, by dotted name as written."""

    calls: tuple[tuple[str, bool], ...]  # (callee, called with an argument that can carry a seed)
    loads: frozenset[str]  # names read: callees, callbacks, generator functions
    attributes: frozenset[str]  # attribute names read (`trainer.fit()` → fit): the methods it may call
    unseeding: frozenset[str] = frozenset()  # callees told not to seed: `LightningCLI(seed_everything_default=False)`


@dataclass(frozen=True)
class Definition:
    """A function, or a class: its own statements (bases, attributes) and its methods apart."""

    name: str
    body: Body
    methods: tuple[tuple[str, Body], ...] = ()


@dataclass(frozen=True)
class Statement:
    """One top-level statement, with lines relative to the text it was parsed from."""

    imports: tuple[tuple[str, str | None, str, int], ...]  # see `_imports`
    definition: Definition | None
    runs: Body | None  # what runs on import, or as a script under the main guard
    script_code: bool  # a `__main__` guard, a loop, or a call that does work at module level


def _dotted(node: ast.AST, consumed: set[int] | None = None) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        if consumed is not None:
            consumed.add(id(node))
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    if consumed is not None:
        consumed.add(id(node))
    parts.append(node.id)
    return ".".join(reversed(parts))


def _carries_seed(call: ast.Call) -> bool:
    values = [*call.args, *(keyword.value for keyword in call.keywords)]
    return any(not (isinstance(value, ast.Constant) and value.value is None) for value in values)


def _declines_seeding(call: ast.Call) -> bool:
    return any(keyword.arg == "seed_everything_default" and isinstance(keyword.value, ast.Constant)
               and keyword.value.value is False for keyword in call.keywords)


def _body(nodes: Iterable[ast.AST]) -> Body:
    calls: list[tuple[str, bool]] = []
    loads: set[str] = set()
    unseeding: set[str] = set()
    attributes: set[str] = set()
    consumed: set[int] = set()
    attribute, call, name_node, load = ast.Attribute, ast.Call, ast.Name, ast.Load
    for top in nodes:
        for node in walk(top):
            kind = type(node)  # node classes are never subclassed: cheaper than isinstance
            if kind is attribute:
                attributes.add(node.attr)
            if kind is call:
                callee = _dotted(node.func)
                if callee:
                    calls.append((callee, _carries_seed(node)))
                    if node.keywords and _declines_seeding(node):
                        unseeding.add(callee)
            elif (kind is attribute or kind is name_node) and type(node.ctx) is load and id(node) not in consumed:
                name = _dotted(node, consumed)
                if name:
                    loads.add(name)
    return Body(tuple(calls), frozenset(loads), frozenset(attributes), frozenset(unseeding))


_STATEMENT_FIELDS = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})


def _statements(node: ast.AST) -> list[ast.AST]:
    """``node`` and the statements (and handlers, cases) nested in it, in ``ast.walk`` order:
    expressions hold no statements, so they are not entered."""
    nodes = [node]
    index = 0
    while index < len(nodes):
        current = nodes[index]
        index += 1
        for field in current._fields:
            if field in _STATEMENT_FIELDS:
                nodes.extend(getattr(current, field))
    return nodes


def _imports(node: ast.AST) -> tuple[tuple[str, str | None, str, int], ...]:
    """(module or name imported, local name or None for `*`, what the local name is bound to, line)."""
    found = []
    for child in _statements(node):
        if isinstance(child, ast.Import):
            for alias in child.names:
                local = alias.asname or alias.name.split(".")[0]
                found.append((alias.name, local, alias.name if alias.asname else local, child.lineno))
        elif isinstance(child, ast.ImportFrom):
            module = "." * child.level + (child.module or "")
            for alias in child.names:
                if alias.name == "*":
                    found.append((module, None, module, child.lineno))
                else:
                    qualified = f"{module}{'' if module.endswith('.') else '.'}{alias.name}"
                    found.append((qualified, alias.asname or alias.name, qualified, child.lineno))
    return tuple(found)


def _is_main_guard(node: ast.AST) -> bool:
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    names = [n for n in walk(node.test) if isinstance(n, ast.Name) and n.id == "__name__"]
    return bool(names) and any(isinstance(n, ast.Constant) and n.value == "__main__" for n in walk(node.test))


def _does_work(node: ast.stmt) -> bool:
    """Training code at module level: a loop, a `with` block, or a call beyond import-time setup."""
    if isinstance(node, (ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith)):
        return True
    if isinstance(node, ast.Expr) and isinstance(node.value, (ast.Call, ast.Await)):
        call = node.value.value if isinstance(node.value, ast.Await) else node.value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in _SETUP_METHODS:
            return False  # `MODELS_DIR.mkdir(parents=True)`, `Path(out).mkdir()`
        callee = _dotted(call.func) if isinstance(call, ast.Call) else None
        if callee is None:
            return True
        first, last = callee.split(".")[0], callee.rsplit(".", 1)[-1]
        return first not in _SETUP_ROOTS and not last.startswith("register")
    if isinstance(node, ast.If):
        return any(_does_work(child) for child in [*node.body, *node.orelse])
    if isinstance(node, ast.Try):
        return any(_does_work(child) for child in node.body)
    return False


def _definition(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> Definition:
    if not isinstance(node, ast.ClassDef):
        return Definition(node.name, _body(node.body))
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    own = [*node.bases, *node.keywords, *(statement for statement in node.body if not isinstance(statement, functions))]
    methods = tuple((method.name, _body([method])) for method in node.body if isinstance(method, functions))
    return Definition(node.name, _body(own), methods)


def _registers(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> bool:
    """A function the app it registers with runs: `@app.command()`, `@cli.group()`, `@hydra.main(...)`."""
    if isinstance(node, ast.ClassDef):
        return False
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute) and target.attr in _REGISTERING_DECORATORS:
            return True
    return False


def statement_facts(module: ast.Module) -> tuple[Statement, ...]:
    """Facts of each top-level statement in ``module`` (lines relative to its text)."""
    facts = []
    for node in module.body:
        imports = _imports(node)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            decorators = _body(node.decorator_list) if node.decorator_list else None
            if decorators is not None and _registers(node):
                decorators = Body(decorators.calls, decorators.loads | {node.name}, decorators.attributes)
            facts.append(Statement(imports, _definition(node), decorators, False))
        else:
            facts.append(Statement(imports, None, _body([node]), _is_main_guard(node) or _does_work(node)))
    return tuple(facts)


read_trees_with("reach-statements", statement_facts)  # every statement's: read while extraction parses it


# -- facts about modules -------------------------------------------------------------------------


class ModuleFacts:
    """A module's statements merged: names it binds, what it imports, defines and runs."""

    def __init__(self, statements: Iterable[tuple[int, Statement]]) -> None:
        self.imports: list[tuple[str, int]] = []  # (qualified target, absolute line)
        self.bindings: dict[str, tuple[str, int]] = {}
        self.star_imports: list[str] = []
        self.definitions: dict[str, Definition] = {}
        self.runs: list[Body] = []
        self.is_entry = False
        self.resolved: tuple[object, dict] = (None, {})  # see `Run._cache_of`
        for offset, statement in statements:
            for target, local, bound, line in statement.imports:
                self.imports.append((target, line + offset))
                if local is None:
                    self.star_imports.append(target)
                else:
                    self.bindings.setdefault(local, (bound, line + offset))
            if statement.definition is not None:
                self.definitions[statement.definition.name] = statement.definition
            if statement.runs is not None:
                self.runs.append(statement.runs)
            self.is_entry = self.is_entry or statement.script_code


_MODULE_CACHE_SIZE = 512
_module_cache: OrderedDict[str, ModuleFacts] = OrderedDict()


def module_facts_of_text(text: str) -> ModuleFacts:
    """Facts of a whole module, cached by its text; a file that doesn't parse has none."""
    hit = _module_cache.get(text)
    if hit is not None:
        _module_cache.move_to_end(text)
        return hit
    try:
        facts = ModuleFacts((0, statement) for statement in statement_facts(ast.parse(text)))
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # MemoryError: the parser's, on deep nesting
        facts = ModuleFacts(())
    _module_cache[text] = facts
    if len(_module_cache) > _MODULE_CACHE_SIZE:
        _module_cache.popitem(last=False)
    return facts


# -- the project's modules ------------------------------------------------------------------------


class ProjectModules:
    """The project's Python files by relative path, and import names resolved against them."""

    def __init__(self, root: Path, files: Iterable[Path]) -> None:
        self.root = root
        self.known: dict[str, Path] = {}  # relative path → path
        self._found: dict[tuple[str, str | tuple[str, ...]], tuple[str, list[str]] | None] = {}
        for path in files:
            if path.suffix == ".py":
                try:
                    self.known[path.relative_to(root).as_posix()] = path
                except ValueError:
                    continue

    def relative(self, path: Path) -> str | None:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return None

    @staticmethod
    def search_folders(entry: str) -> tuple[str, ...]:
        """Where absolute imports are looked for: the script's folder and those above it up to
        the root (`sys.path` of `python path/to/script.py`, and of a run from the root), then `src/`."""
        parts = entry.split("/")[:-1]
        return (*("/".join(parts[:count]) for count in range(len(parts), -1, -1)), "src")

    def find(self, qualified: str, importer: str, folders: tuple[str, ...]) -> tuple[str, list[str]] | None:
        """The project file (relative path) a dotted import names and the names left after it."""
        level = len(qualified) - len(qualified.lstrip("."))
        key = (qualified, importer.rpartition("/")[0] if level else folders)
        if key not in self._found:
            self._found[key] = self._find(qualified, level, importer, folders)
        return self._found[key]

    def _find(self, qualified: str, level: int, importer: str, folders: tuple[str, ...]) -> tuple[str, list[str]] | None:
        parts = [part for part in qualified[level:].split(".") if part]
        if level:
            folder = importer.split("/")[:-1]
            if level - 1 > len(folder):
                return None  # above the project root
            bases, shortest = ("/".join(folder[: len(folder) - (level - 1)]),), 0
        else:
            bases, shortest = folders, 1
        for base in bases:
            prefix = f"{base}/" if base else ""
            for count in range(len(parts), shortest - 1, -1):
                stem = prefix + "/".join(parts[:count])
                candidates = (f"{stem}.py", f"{stem}/__init__.py") if count else (f"{prefix}__init__.py",)
                for candidate in candidates:
                    if candidate in self.known:
                        return candidate, parts[count:]
        return None


_index_cache: list[tuple[object, ProjectModules]] = []


def project_modules(root: Path, files: list[Path]) -> ProjectModules:
    """The module index for this listing, rebuilt only when the listing changes."""
    if _index_cache and _index_cache[0][0] is files:
        return _index_cache[0][1]
    index = ProjectModules(root, files)
    _index_cache[:] = [(files, index)]
    return index


# -- a run ----------------------------------------------------------------------------------------


class Target(NamedTuple):
    kind: str  # "framework" | "definition" | "external"
    name: str  # qualified name (framework, external) or the definition's name
    module: str = ""  # the definition's module (relative path)


@dataclass
class RunFacts:
    """What a run started from one entry script does with global generators."""

    entry: Path
    in_play: dict[str, tuple[Path, int]]  # framework → (file, line) where it enters the run
    seeded: set[str]  # frameworks seeded, or EVERY
    entry_line: dict[Path, int]  # module → the entry script's import line that brings it in

    def unseeded(self) -> dict[str, tuple[Path, int]]:
        if EVERY in self.seeded:
            return {}
        return {name: where for name, where in self.in_play.items() if name not in self.seeded and not self._seeded_by_loader_workers(name, where)}

    def _seeded_by_loader_workers(self, name: str, where: tuple[Path, int]) -> bool:
        """Dataset and transform code in project modules runs in DataLoader workers, which seed
        `random` and `numpy` from torch's seed."""
        return name in ("random", "numpy") and "torch" in self.seeded and where[0] != self.entry


class Run:
    """An entry script and the project modules it imports (read on construction, never run)."""

    def __init__(self, entry_path: Path, entry: ModuleFacts, modules: ProjectModules, read: Callable[[Path], str | None]) -> None:
        self.entry_path = entry_path
        self.entry = modules.relative(entry_path) or entry_path.name
        self.modules = modules
        self.folders = modules.search_folders(self.entry)
        self.loaded: dict[str, ModuleFacts] = {self.entry: entry}
        self.entry_line: dict[str, int] = {}
        self._follow_imports(read)
        # What names in the imported modules resolve to depends only on those modules: kept
        # across checks while none of them changes, so a keystroke in the script re-resolves its own names.
        self.signature = (modules, self.folders, tuple((name, facts) for name, facts in self.loaded.items() if name != self.entry))
        self._entry_resolved: dict[str, Target] = {}

    def _follow_imports(self, read: Callable[[Path], str | None]) -> None:
        order = deque([self.entry])
        while order:
            module = order.popleft()
            for target, line in self.loaded[module].imports:
                if target.split(".")[0] in _LIBRARY_ROOTS:
                    continue
                found = self.modules.find(target, module, self.folders)
                if found is None or found[0] in self.loaded or len(self.loaded) >= MAX_MODULES:
                    continue
                text = read(self.modules.known[found[0]])
                if text is None:
                    continue
                self.loaded[found[0]] = module_facts_of_text(text)
                self.entry_line[found[0]] = line if module == self.entry else self.entry_line[module]
                order.append(found[0])

    def _cache_of(self, module: str) -> dict[str, Target]:
        if module == self.entry:
            return self._entry_resolved
        facts = self.loaded[module]
        if facts.resolved[0] != self.signature:
            facts.resolved = (self.signature, {})
        return facts.resolved[1]

    def resolve(self, module: str, dotted: str, depth: int = 0) -> Target:
        cache = self._cache_of(module)
        target = cache.get(dotted)
        if target is None:
            target = cache[dotted] = self._resolve(module, dotted, depth)
        return target

    def _resolve(self, module: str, dotted: str, depth: int) -> Target:
        facts = self.loaded[module]
        first, _, rest = dotted.partition(".")
        if first in facts.definitions:
            return Target("definition", first, module)
        binding = facts.bindings.get(first)
        if binding is None:
            for star in facts.star_imports:
                found = self.modules.find(star, module, self.folders)
                if found and not found[1] and found[0] in self.loaded and depth < 8:
                    starred = self.loaded[found[0]]
                    if first in starred.definitions or first in starred.bindings:
                        return self.resolve(found[0], dotted, depth + 1)
            return Target("external", dotted)
        qualified = binding[0] + (f".{rest}" if rest else "")
        if qualified.split(".")[0] in _LIBRARY_ROOTS:
            return Target("framework", qualified)
        found = self.modules.find(qualified, module, self.folders)
        if found is None or not found[1] or found[0] not in self.loaded or depth >= 8:
            return Target("external", qualified)
        return self.resolve(found[0], ".".join(found[1]), depth + 1)

    def _note_draw(self, in_play: dict[str, tuple[str, int]], framework: str | None, module: str, name: str) -> None:
        """Where ``framework`` enters the run: the entry script's own use names it best."""
        if framework is None or (module != self.entry and (framework in _ENTRY_ONLY or framework in in_play)):
            return
        if module == self.entry and in_play.get(framework, ("",))[0] == self.entry:
            return
        binding = self.loaded[module].bindings.get(name.split(".")[0])
        in_play[framework] = (module, binding[1] if binding else 1)

    def facts(self) -> RunFacts:
        in_play: dict[str, tuple[str, int]] = {}
        for target, line in self.loaded[self.entry].imports:
            framework = target.split(".")[0]
            if framework in _IN_PLAY_ON_ENTRY_IMPORT and not target.startswith(_DRAWS_NOTHING):
                in_play.setdefault(framework, (self.entry, line))
        seeded: set[str] = set()
        reached: set[tuple[str, str, str]] = set()  # (module, definition, method or "")
        classes: list[tuple[str, Definition]] = []
        attributes: set[str] = set()
        queue = deque((module, body) for module, facts in self.loaded.items() for body in facts.runs)

        def reach(module: str, name: str) -> None:
            definition = self.loaded[module].definitions.get(name)
            if definition is not None and (module, name, "") not in reached:
                reached.add((module, name, ""))
                queue.append((module, definition.body))
                if definition.methods:
                    classes.append((module, definition))

        while queue:
            while queue:
                module, body = queue.popleft()
                attributes |= body.attributes
                for callee, carries_seed in body.calls:
                    target = self.resolve(module, callee)
                    if target.kind == "framework" and carries_seed:
                        seeded |= _FRAMEWORK_SEEDERS.get(target.name, frozenset())
                    elif target.kind == "external" and names_a_seeder(callee.rsplit(".", 1)[-1]):
                        seeded.add(EVERY)
                    elif target.kind == "external" and target.name in _MODULE_DISPATCHERS and not carries_seed:
                        for name in list(self.loaded[module].definitions):  # no argument: every function is a command
                            reach(module, name)
                for name in body.loads:
                    target = self.resolve(module, name)
                    if target.kind == "definition":
                        reach(target.module, target.name)
                    elif target.kind == "external" and seeds_on_use(target.name) and name not in body.unseeding:
                        seeded.add(EVERY)
                    elif target.kind == "framework":
                        self._note_draw(in_play, draws_from(target.name), module, name)
            # A reached class runs the methods Python calls for it and those some reached code names.
            for module, definition in classes:
                for method, body in definition.methods:
                    key = (module, definition.name, method)
                    if key not in reached and (method in attributes or method in _CALLED_IMPLICITLY):
                        reached.add(key)
                        queue.append((module, body))
        paths = self.modules.known
        return RunFacts(
            self.entry_path,
            {name: (self.entry_path if module == self.entry else paths[module], line) for name, (module, line) in in_play.items()},
            seeded,
            {paths[module]: line for module, line in self.entry_line.items()},
        )


def seeds_on_use(qualified: str) -> bool:
    """A library entry point that seeds every generator: `transformers.Trainer` and TRL's trainers
    (`trl.SFTTrainer`), `mmengine.runner.Runner.from_cfg`, `detectron2.engine.default_setup`, …"""
    parts = qualified.split(".")
    if parts[0] == "trl":
        return parts[-1].endswith("Trainer")
    names = _SEEDING_ENTRY_POINTS.get(parts[0], ())
    return any(part in names for part in parts[1:])


def draws_from(qualified: str) -> str | None:
    """The framework whose global generator ``qualified`` draws from: `numpy.random.shuffle` →
    numpy, `torch.nn.Linear` → torch; None for a generator of its own (`numpy.random.default_rng`)."""
    parts = qualified.split(".")
    if parts[0] == "numpy" and len(parts) >= 3 and parts[1] == "random":
        return None if parts[2] in _LOCAL_GENERATORS["numpy"] else "numpy"
    if parts[0] == "random" and len(parts) >= 2:
        return None if parts[1] in _LOCAL_GENERATORS["random"] else "random"
    if parts[0] == "torchvision" or (parts[0] == "torch" and len(parts) >= 2 and (parts[1] in _TORCH_DRAWS or parts[1:3] == ["utils", "data"])):
        return "torch"
    if parts[0] == "tensorflow":
        rest = parts[3:] if parts[1:3] == ["compat", "v1"] else parts[1:]
        if rest and (rest[0] in _TENSORFLOW_DRAWS or rest[:2] == ["nn", "dropout"]):
            return "tensorflow"
    if parts[0] == "keras" and len(parts) >= 2:
        return "keras"
    return None


# -- for the rules --------------------------------------------------------------------------------


def _entry_statements(ctx, script) -> tuple[tuple[int, Statement], ...]:
    def compute() -> tuple[tuple[int, Statement], ...]:
        return tuple((offset, statement) for offset, found in script.per_chunk("reach-statements", statement_facts) for statement in found)

    return ctx.memo(f"entry-statements:{script.path}", compute)


_ENTRY_CACHE_SIZE = 64
_entry_cache: OrderedDict[Path, tuple[tuple[tuple[int, Statement], ...], ModuleFacts]] = OrderedDict()


def entry_facts(ctx, script) -> ModuleFacts:
    """A script's module facts from its statements' cached facts (a keystroke re-reads one);
    statements that read as before (a value edited) give the last facts again."""

    def compute() -> ModuleFacts:
        statements = _entry_statements(ctx, script)
        hit = _entry_cache.get(script.path)
        if hit is not None and hit[0] == statements:
            _entry_cache.move_to_end(script.path)
            return hit[1]
        facts = ModuleFacts(statements)
        _entry_cache[script.path] = (statements, facts)
        if len(_entry_cache) > _ENTRY_CACHE_SIZE:
            _entry_cache.popitem(last=False)
        return facts

    return ctx.memo(f"entry-facts:{script.path}", compute)


_RUN_CACHE_SIZE = 64
_run_cache: OrderedDict[Path, tuple[object, RunFacts]] = OrderedDict()


def run_facts(ctx, script) -> RunFacts:
    """What the run started by ``script`` does with global generators; a keystroke that leaves
    every statement's facts and every imported module as they were reuses the last answer."""

    def compute() -> RunFacts:
        modules = project_modules(ctx.root, ctx.project.files())
        run = Run(script.path, entry_facts(ctx, script), modules, ctx.project.read)
        key = (_entry_statements(ctx, script), run.signature)
        hit = _run_cache.get(script.path)
        if hit is not None and hit[0] == key:
            _run_cache.move_to_end(script.path)
            return hit[1]
        facts = run.facts()
        _run_cache[script.path] = (key, facts)
        if len(_run_cache) > _RUN_CACHE_SIZE:
            _run_cache.popitem(last=False)
        return facts

    return ctx.memo(f"run-facts:{script.path}", compute)
