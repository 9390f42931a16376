"""PB105: randomness seeded, so that runs differ only by what the log says changed."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterable

from paribus.core.actions.fixes import insert_lines_after
from paribus.core.judgement.findings import Finding, Fix, Severity
from paribus.core.judgement.reach import RunFacts, entry_facts, run_facts
from paribus.core.judgement.rules.base import Example, Rule, register
from paribus.core.positions import Span

# How the fix seeds each framework, and the names it imports it under when the script doesn't.
_SEED_LINES = {
    "keras": "{alias}.utils.set_random_seed(SEED)",
    "numpy": "{alias}.random.seed(SEED)",
    "random": "{alias}.seed(SEED)",
    "tensorflow": "{alias}.random.set_seed(SEED)",
    "torch": "{alias}.manual_seed(SEED)",
}
_IMPORT_NAMES = {"keras": ("keras",), "numpy": ("np", "numpy"), "random": ("random", "stdlib_random"), "tensorflow": ("tf", "tensorflow"), "torch": ("torch",)}
_SEED_COMMENT = "  # fixed so that runs differ only by what the log says changed"

_HELPER = "import random\n\nimport numpy as np\nimport torch\n\n\ndef set_seed(seed):\n    random.seed(seed)\n    np.random.seed(seed)\n    torch.manual_seed(seed)\n"
_MAIN = "import torch\nfrom utils import set_seed\n\n\ndef main():\n    set_seed(0)\n    model = torch.nn.Linear(4, 2)\n\n\nif __name__ == \"__main__\":\n    main()\n"


@register
class UnseededRandomness(Rule):
    """Randomness is not seeded, so run-to-run noise confounds comparisons.

    ## What it does
    Reports an entry script (a `__main__` guard, or training code at module level — not a
    library module) whose run draws from a global random generator it never seeds: torch once
    the script imports it (or the run reaches `torch.nn`, `torch.rand*`, `torch.utils.data`,
    torchvision), TensorFlow/Keras where the script builds with them, `random` and numpy where
    their global generator is called (`np.random.shuffle`, not `np.random.default_rng(seed)`).
    Seeding counts wherever the run reaches it: `torch.manual_seed`, `np.random.seed`,
    `random.seed`, `tf.random.set_seed`, a library helper (`set_seed`, `seed_everything`,
    `random_seed`, `transformers.set_seed`, `accelerate.utils.set_seed`, `L.seed_everything`
    …), a library entry point that seeds (`transformers.Trainer` from `TrainingArguments.seed`,
    mmengine's `Runner` from `randomness`, detectron2's `default_setup` from `cfg.SEED`,
    `LightningCLI`), or a function of the project whose body seeds — followed into the
    project's own modules the script imports, read without running them. The run is what the
    script calls, passes on, or registers as a command (`@app.command()` with typer or click,
    `fire.Fire()`). Dataset code in project modules counts as seeded once torch is:
    DataLoader workers seed `random` and numpy from torch's seed.

    ## Why is this bad?
    Unseeded runs differ by chance alone: a 1-point gain may be noise, and one change at a
    time means nothing if the second "change" is the random seed.

    ## Example
    ```python
    import torch

    if __name__ == "__main__":
        model = torch.nn.Linear(10, 2)   # initialised differently on every run
    ```

    ## Fix
    *Seed random generators* inserts `SEED = 0` and one seeding call per unseeded framework
    after the imports (importing the framework when the script reaches it only through
    another module).
    """

    code = "PB105"
    name = "unseeded-randomness"
    severity = Severity.WARNING
    VALID = [
        Example({"train.py": "import random\nimport numpy as np\nrandom.seed(0)\nnp.random.seed(0)\nfor step in range(3):\n    print(np.random.rand(), random.random())\n"}),
        Example({"train.py": _MAIN, "utils.py": _HELPER}),
        Example({"train.py": "import lightning as L\nimport torch\n\nif __name__ == '__main__':\n    L.seed_everything(42)\n    torch.nn.Linear(4, 2)\n"}),
        # A generator of its own, seeded: the global one is never used.
        Example({"train.py": "import numpy as np\n\nrng = np.random.default_rng(0)\nfor step in range(3):\n    print(rng.normal())\n"}),
        # A command the app runs, seeded by it.
        Example({"train.py": "import torch\nimport typer\n\napp = typer.Typer()\n\n\n@app.command()\ndef fit(seed: int = 0):\n    torch.manual_seed(seed)\n    torch.nn.Linear(4, 2)\n\n\nif __name__ == '__main__':\n    app()\n"}),
        # A library module: nothing runs when it is imported.
        Example({"trainer.py": "import torch\n\n\nclass Trainer:\n    def fit(self, model):\n        return torch.optim.SGD(model.parameters(), lr=0.1)\n"}),
    ]
    INVALID = [
        Example({"train.py": "import numpy as np\nimport torch\n\ntorch.manual_seed(1)\nfor step in range(3):\n    print(np.random.rand(3))\n"}, expect=(("train.py", 1),)),
        # The project's helper seeds numpy only; torch initialises the model unseeded.
        Example({"train.py": _MAIN, "utils.py": "import numpy as np\n\n\ndef set_seed(seed):\n    np.random.seed(seed)\n"}, expect=(("train.py", 1),)),
        # torch enters through the project's model module.
        Example({"train.py": "from model import Net\n\nNet().fit()\n", "model.py": "import torch\n\n\nclass Net(torch.nn.Module):\n    pass\n"}, expect=(("train.py", 1),)),
    ]

    def check(self, ctx) -> Iterable[Finding]:
        for script in ctx.scripts:
            if script.path.suffix != ".py" or not entry_facts(ctx, script).is_entry:
                continue
            facts = run_facts(ctx, script)
            unseeded = facts.unseeded()
            if not unseeded:
                continue
            lines = {name: _line_in_entry(script.path, facts, where) for name, where in unseeded.items()}
            first_line = min(lines.values())
            names = ", ".join(_described(ctx, script.path, name, where) for name, where in sorted(unseeded.items()))
            message = f"{names} not seeded: run-to-run noise will confound comparisons between runs"
            fix = Fix("Seed random generators", build=lambda script=script, unseeded=sorted(unseeded): seed_fix(script.path, script.text, unseeded), preferred=True)
            yield self.finding(script.path, Span.of_line(first_line, script.line(first_line)), message, [fix])


def _line_in_entry(entry: Path, facts: RunFacts, where: tuple[Path, int]) -> int:
    path, line = where
    return line if path == entry else facts.entry_line.get(path, 1)


def _described(ctx, entry: Path, name: str, where: tuple[Path, int]) -> str:
    return name if where[0] == entry else f"{name} (through {ctx.project.relative(where[0])})"


def seed_fix(path: Path, text: str, frameworks: list[str]) -> Fix:
    """`SEED = 0` and a seeding call per framework after the script's imports."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # MemoryError: the parser's, on deep nesting
        tree = ast.Module(body=[], type_ignores=[])
    imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    if imports:
        after = max(node.end_lineno for node in imports)
    elif tree.body and isinstance(tree.body[0], ast.Expr) and isinstance(tree.body[0].value, ast.Constant) and isinstance(tree.body[0].value.value, str):
        after = tree.body[0].end_lineno  # below the docstring
    else:
        after = 0
    aliases = _module_aliases(tree)
    taken = _top_level_names(tree)
    new_imports, calls = [], []
    for framework in frameworks:
        alias = aliases.get(framework)
        if alias is None:
            alias = next((name for name in _IMPORT_NAMES[framework] if name not in taken), _IMPORT_NAMES[framework][-1])
            new_imports.append(f"import {framework}" if alias == framework else f"import {framework} as {alias}")
        calls.append(_SEED_LINES[framework].format(alias=alias))
    has_seed = any(
        isinstance(node, ast.Assign) and node.lineno <= after and any(isinstance(t, ast.Name) and t.id == "SEED" for t in node.targets) for node in tree.body
    )
    lines = ([""] if after else []) + new_imports + ([] if has_seed else [f"SEED = 0{_SEED_COMMENT}"]) + calls
    return Fix("Seed random generators", (insert_lines_after(path, after, "\n".join(lines) + "\n"),), preferred=True)


def _module_aliases(tree: ast.Module) -> dict[str, str]:
    """Framework → the top-level name it is imported under (`import numpy as np` → np)."""
    aliases: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                root = alias.name.split(".")[0]
                if root in _SEED_LINES and (alias.name == root or alias.asname is None):
                    aliases.setdefault(root, alias.asname or root)
    return aliases


def _top_level_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names
